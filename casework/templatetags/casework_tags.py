"""Template tags the e-service's pages use to show casework facts without the applications app
importing casework: the home page lists the applicant's open requests through a tag."""

from __future__ import annotations

from django import template

from casework.selectors import open_requests_of_applicant

register = template.Library()


@register.inclusion_tag("casework/includes/open_requests.html")
def open_requests_for(user):
    """Every open request for supplementary information on the user's cases, soonest first."""
    return {"open_requests": list(open_requests_of_applicant(user=user))}
