"""Forms of the back office and of the applicant's casework pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.forms import DateInput
from applications.models import Status
from casework.applicant_services import OTHER_KIND, UploadedAttachment
from casework.models import Outcome
from casework.selectors import OPEN_STATUSES
from casework.services import MAX_TEXT_LENGTH, decision_check
from core.forms import ListedModelChoiceField

ATTACHMENT_SLOTS = 3


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    permit_type = forms.ChoiceField(label=_("Permit type"), required=False)
    # The upper bound keeps "now - days" a representable date (a larger number was a 500).
    older_than_days = forms.IntegerField(
        label=_("Submitted more than this many days ago"),
        required=False,
        min_value=0,
        max_value=36_500,
    )
    case_number = forms.CharField(label=_("Case number"), required=False, max_length=40)
    assigned = forms.ChoiceField(
        label=_("Assignee"),
        required=False,
        choices=[("", _("Anyone")), ("mine", _("Me")), ("unassigned", _("Nobody"))],
    )

    def __init__(self, *args, permit_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        statuses = [(value, Status(value).label) for value in OPEN_STATUSES]
        closed = [
            (value, Status(value).label)
            for value in (Status.DECIDED, Status.CLOSED, Status.WITHDRAWN)
        ]
        self.fields["status"].choices = [("", _("All open cases")), *statuses, *closed]
        self.fields["permit_type"].choices = [("", _("All permit types"))] + [
            (permit_type.code, permit_type.localized_name) for permit_type in permit_types
        ]


class AssignForm(forms.Form):
    # Empty means "not assigned": the case goes back to the queue for anyone to take.
    assignee = ListedModelChoiceField(
        label=_("Assign to"), queryset=None, required=False, empty_label=_("Not assigned")
    )

    def __init__(self, *args, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = colleagues
        self.fields["assignee"].label_from_instance = lambda user: user.display_name

    @classmethod
    def listed(cls, *, colleagues: list, **kwargs) -> AssignForm:
        """The unbound form with its choices from colleagues already read (the case page's
        prepared query): the same options, without a queryset to compile. It validates
        nothing: a POST is checked by the form with colleagues_for_case's queryset."""
        form = cls(colleagues=None, **kwargs)
        field = form.fields["assignee"]
        field.choices = [
            ("", field.empty_label),
            *((user.pk, user.display_name) for user in colleagues),
        ]
        return form


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note"),
        help_text=_("Only caseworkers see internal notes; the applicant never does."),
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class SupplementRequestForm(forms.Form):
    message = forms.CharField(
        label=_("What is missing"),
        help_text=_("The applicant sees this text in the e-service. Write it in plain language."),
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    requested_kinds = forms.MultipleChoiceField(
        label=_("Requested attachments"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    deadline = forms.DateField(label=_("Deadline"), widget=DateInput)

    def __init__(self, *args, kind_labels: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requested_kinds"].choices = list(kind_labels.items())


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    reasoning = forms.CharField(
        label=_("Reasons"),
        help_text=_("Printed in the decision document the applicant receives."),
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    valid_until = forms.DateField(
        label=_("Permit valid until"),
        help_text=_(
            "The last day a granted permit is valid. Leave empty for a permit without an end "
            "date, such as citizenship."
        ),
        required=False,
        widget=DateInput,
    )
    decision_maker_name = forms.CharField(
        label=_("Decision-maker's name"),
        help_text=_("Printed as the signature of the decision."),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    decision_maker_title = forms.CharField(
        label=_("Decision-maker's title"), max_length=200, required=False
    )

    def clean(self):
        cleaned = super().clean()
        if "outcome" in cleaned and not self.has_error("valid_until"):
            try:
                _outcome, cleaned["valid_until"] = decision_check(
                    outcome=cleaned["outcome"], valid_until=cleaned.get("valid_until")
                )
            except forms.ValidationError as error:
                self.add_error("valid_until", error)
        return cleaned


class _TextWithAttachmentsForm(forms.Form):
    """A text and up to three files, each with its kind of attachment."""

    text_label = _("Your message")

    def __init__(self, *args, kind_labels: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"] = forms.CharField(
            label=self.text_label,
            required=False,
            max_length=MAX_TEXT_LENGTH,
            widget=forms.Textarea(attrs={"rows": 6}),
        )
        choices = [*kind_labels.items(), (OTHER_KIND, _("Other document"))]
        for slot in range(1, ATTACHMENT_SLOTS + 1):
            self.fields[f"file_{slot}"] = forms.FileField(
                label=_("File %(number)s") % {"number": slot}, required=False
            )
            self.fields[f"kind_{slot}"] = forms.ChoiceField(
                label=_("Kind of file %(number)s") % {"number": slot},
                choices=choices,
                required=False,
                initial=choices[0][0],
            )

    def uploads(self) -> list[UploadedAttachment]:
        return [
            UploadedAttachment(
                kind=self.cleaned_data.get(f"kind_{slot}") or OTHER_KIND,
                file=self.cleaned_data[f"file_{slot}"],
            )
            for slot in range(1, ATTACHMENT_SLOTS + 1)
            if self.cleaned_data.get(f"file_{slot}")
        ]


class SupplementAnswerForm(_TextWithAttachmentsForm):
    text_label = _("Your answer")


class AdditionalInformationForm(_TextWithAttachmentsForm):
    text_label = _("Additional information")


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I withdraw my application. I understand that it will not be processed further."),
        # The label is the whole statement: the error does not repeat it.
        error_messages={"required": _("Tick the box to withdraw the application.")},
    )
