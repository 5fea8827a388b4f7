"""Template tags the e-service's pages use to show casework facts without the applications app
importing casework: the home page lists the applicant's open requests through a tag, and every
page that shows a case's status names it with `status_label`."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext

from applications.models import Status
from casework.applicant_selectors import open_requests_of_applicant
from casework.selectors import related_or_none

register = template.Library()


@register.inclusion_tag("casework/includes/open_requests.html")
def open_requests_for(user):
    """Every open request for supplementary information on the user's cases, soonest first."""
    return {"open_requests": open_requests_of_applicant(user=user)}


@register.filter
def status_label(case) -> str:
    """The case's status as both sides see it: "In processing again" once it is back from the
    applicant. A filter rather than an included template: the queue and the home page show it on
    every row, and an include costs a template render of its own each time."""
    if case.status == Status.IN_PROCESSING:
        case_file = related_or_none(case, "case_file")
        if case_file is not None and case_file.is_in_processing_again:
            return gettext("In processing again")
    return case.get_status_display()
