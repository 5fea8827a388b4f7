"""Forms of the back office's secure inbox and of a message about a case from the applicant.

A reply is Securemail's own answer form (securemail.forms.MessageForm): the same upload checks and
limits as every other Securemail page.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.forms import ListedModelChoiceField
from securemail.forms import MessageForm, NewConversationForm

ReplyForm = MessageForm


class InboxFilterForm(forms.Form):
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("open", _("Open")), ("closed", _("Closed"))],
    )
    assigned = forms.ChoiceField(
        label=_("Assignee"),
        required=False,
        choices=[("", _("Anyone")), ("mine", _("Me")), ("unassigned", _("Nobody"))],
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("All my units"))] + [
            (str(unit.pk), unit.name) for unit in units
        ]


class ConversationAssignForm(forms.Form):
    assignee = ListedModelChoiceField(
        label=_("Assign to"), queryset=None, required=False, empty_label=_("Not assigned")
    )

    def __init__(self, *args, caseworkers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = caseworkers
        self.fields["assignee"].label_from_instance = lambda user: user.display_name


class LinkCaseForm(forms.Form):
    """The case number of a case the caseworker can see; empty removes the link."""

    case_number = forms.CharField(
        label=_("Case number"),
        required=False,
        max_length=40,
        help_text=_("Leave empty to remove the link."),
    )


class CaseMessageForm(NewConversationForm):
    """A signed-in applicant's message about one of their cases: the topics are those of the
    units that handle the case (all topics when none of them has one)."""

    def __init__(self, *args, topics=None, **kwargs):
        super().__init__(*args, **kwargs)
        if topics:
            self.topics = {topic.code: topic for topic in topics}
            self.fields["topic"].choices = [("", gettext("Choose a topic"))] + [
                (code, topic.name) for code, topic in self.topics.items()
            ]
