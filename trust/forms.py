"""Forms of the trust center: the check, the report, "Did we send this?", the security team's."""

from __future__ import annotations

import base64
import binascii

from django import forms
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from core.form_rendering import LongListSelect
from trust.models import Campaign, OfficialChannel
from trust.selectors import max_message_bytes

TEXT_MAX_CHARACTERS = 100_000
# A checked .eml up to this size travels back in the "report this message" form; a larger one is
# uploaded again on the report page (form fields are limited by DATA_UPLOAD_MAX_MEMORY_SIZE).
INLINE_EML_MAX_BYTES = 1024 * 1024

CHANNEL_CHOICES = [
    ("email", _("Email")),
    ("sms", _("Text message (SMS)")),
    ("social", _("Social media message")),
]


def channel_choices() -> list[tuple[str, str]]:
    """The channels, as a function: LongListSelect writes their options once per language."""
    return CHANNEL_CHOICES


class RecipientMixin(forms.Form):
    """The address the message came to, as the person types it: a verification code in the
    message vouches for it only against this, never against the message's own To: header."""

    recipient = forms.CharField(
        label=_("The email address or phone number the message came to"),
        max_length=320,
        required=False,
        help_text=_(
            "Optional. Type it yourself: with it we can confirm a verification code in the "
            "message. We do not store it."
        ),
    )

    def clean_recipient(self) -> str:
        return self.cleaned_data.get("recipient", "").strip()


class TextCheckForm(RecipientMixin, forms.Form):
    mode = "text"
    field_order = ["text", "channel", "sender", "recipient"]

    text = forms.CharField(
        label=_("The message"),
        max_length=TEXT_MAX_CHARACTERS,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Copy the whole message here, including the sender if you can see it."),
        error_messages={"required": _("Paste the message you want to check.")},
    )
    channel = forms.ChoiceField(
        label=_("Where did you get it?"),
        choices=channel_choices,
        initial="email",
        widget=LongListSelect,
    )
    sender = forms.CharField(label=_("Sender as shown"), max_length=320, required=False)

    def content(self) -> tuple[str, str, bytes]:
        """(channel, content kind, bytes) for the engine and the report."""
        return self.cleaned_data["channel"], "text", self.cleaned_data["text"].encode("utf-8")


class EmailCheckForm(RecipientMixin, forms.Form):
    mode = "eml"
    field_order = ["eml", "raw_b64", "recipient"]

    eml = forms.FileField(
        label=_("The message as an .eml file"),
        required=False,
        help_text=_("In your email program, save the message as a file (.eml) and choose it here."),
    )
    raw_b64 = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        upload, inline = cleaned.get("eml"), cleaned.get("raw_b64")
        limit = max_message_bytes()
        if getattr(self, "upload_stopped", False) or (upload is not None and upload.size > limit):
            raise forms.ValidationError(
                _("The file is larger than %(limit)s. Paste the text of the message instead.")
                % {"limit": filesizeformat(limit)}
            )
        if upload is not None:
            cleaned["raw"] = upload.read()
        elif inline:
            try:
                cleaned["raw"] = base64.b64decode(inline, validate=True)
            except (binascii.Error, ValueError):
                raise forms.ValidationError(_("Choose the message file again.")) from None
            if len(cleaned["raw"]) > limit:
                raise forms.ValidationError(_("Choose the message file again."))
        else:
            self.add_error("eml", _("Choose a message file."))
            return cleaned
        if not cleaned["raw"].strip():
            self.add_error("eml", _("The file is empty."))
        return cleaned

    def content(self) -> tuple[str, str, bytes]:
        return "email", "eml", self.cleaned_data["raw"]


class UrlCheckForm(forms.Form):
    mode = "url"

    url = forms.CharField(
        label=_("Web address"),
        max_length=2048,
        help_text=_(
            "For example the address of a link in a message, or of a site a search engine showed."
        ),
        error_messages={"required": _("Enter the web address you want to check.")},
    )

    def content(self) -> tuple[str, str, bytes]:
        return "url", "text", self.cleaned_data["url"].strip().encode("utf-8")


class ReporterAddressMixin(forms.Form):
    reporter_address = forms.EmailField(
        label=_("Your email address"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "invalid": _(
                "Enter your email address in the form name@example.com, or leave it empty."
            )
        },
        help_text=_(
            "If you give it, we tell you when your report becomes part of a public warning. "
            "We use it for nothing else."
        ),
    )


class TextReportForm(TextCheckForm, ReporterAddressMixin):
    pass


class EmailReportForm(EmailCheckForm, ReporterAddressMixin):
    pass


class UrlReportForm(UrlCheckForm, ReporterAddressMixin):
    pass


CHECK_FORMS = {form.mode: form for form in (TextCheckForm, EmailCheckForm, UrlCheckForm)}
REPORT_FORMS = {form.mode: form for form in (TextReportForm, EmailReportForm, UrlReportForm)}


def submitted_form(form_classes: dict, data=None, files=None, *, upload_stopped: bool = False):
    """The submitted mode's form, bound, with the mode as its prefix (so that field ids stay unique
    on a page that shows every mode's form); None when no known mode was submitted. The other
    modes' forms are blank: the page writes them once per language (templatetags.blank_forms).
    `upload_stopped`: the size-limit upload handler stopped the file before it arrived, so the
    form says the file is too large."""
    mode = (data or {}).get("mode")
    form_class = form_classes.get(mode)
    if form_class is None:
        return None
    form = form_class(data, files, prefix=mode)
    form.upload_stopped = upload_stopped
    return form


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=32,
        help_text=_("Twelve characters, for example 7K3M-Q9TX-2HDA."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": _("Enter the verification code from the message.")},
    )
    address = forms.CharField(
        label=_("The email address or phone number the message came to"),
        max_length=320,
        error_messages={
            "required": _("Enter the email address or phone number the message came to.")
        },
    )


def _https_by_default(field, **kwargs):
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class OfficialChannelForm(forms.ModelForm):
    class Meta:
        model = OfficialChannel
        fields = ["kind", "value", "platform", "url", "notes"]
        formfield_callback = _https_by_default


class CampaignTextsForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["title_fi", "title_sv", "title_en", "summary_fi", "summary_sv", "summary_en"]
        widgets = {
            "summary_fi": forms.Textarea(attrs={"rows": 4}),
            "summary_sv": forms.Textarea(attrs={"rows": 4}),
            "summary_en": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A draft may be saved without them, but a warning is published only with its Finnish
        # and Swedish texts (campaign_publish): they are not "optional", and the form says so.
        for name in ("title_fi", "title_sv", "summary_fi", "summary_sv"):
            self.fields[name].mark_optional = False
            self.fields[name].help_text = _("Needed before the warning can be published.")


class WarningPublishForm(forms.Form):
    """The indicators the security team shows in a warning, ticked from the campaign's candidates
    (trust.selectors.campaign_warning_candidates); domains and web addresses are ticked at first."""

    indicators = forms.MultipleChoiceField(
        label=_("Indicators to publish"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, candidates, previous=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        choices = [
            (self.choice(kind, item["value"]), item["value"])
            for kind, items in candidates.by_kind.items()
            for item in items
        ]
        self.fields["indicators"].choices = choices
        # Publishing again starts from what was published (an address the team ticked stays
        # ticked while it is still allowed) plus every domain and web address.
        ticked = {self.choice(kind, value) for kind, value in candidates.preselected()}
        if previous is not None:
            ticked |= {self.choice(item["kind"], item["value"]) for item in previous.indicators}
        self.fields["indicators"].initial = [value for value, _label in choices if value in ticked]

    @staticmethod
    def choice(kind: str, value: str) -> str:
        return f"{kind}:{value}"  # a kind has no colon; the value may

    def chosen(self) -> list[tuple[str, str]]:
        return [tuple(item.split(":", 1)) for item in self.cleaned_data["indicators"]]

    def rows(self) -> list[dict]:
        """One row per candidate for the page: kind, value, reports, checkbox value and state."""
        ticked = set(self.data.getlist("indicators") if self.is_bound else self.initial_ticked())
        return [
            {
                "kind": kind,
                "value": item["value"],
                "reports": item["reports"],
                "choice": self.choice(kind, item["value"]),
                "checked": self.choice(kind, item["value"]) in ticked,
            }
            for kind, items in self.candidates.by_kind.items()
            for item in items
        ]

    def initial_ticked(self) -> list[str]:
        return list(self.fields["indicators"].initial)
