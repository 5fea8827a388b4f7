"""Forms of Securemail: the public's pages (address, one-time code, a message) and the
administrators' topic form."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.forms import NormalisedEmailField
from core.forms import OneTimeCodeInput
from documents.forms import ACCEPT_ATTRIBUTE, upload_interrupted, upload_too_large
from documents.upload_handlers import REFUSED_FILE, REFUSED_TOTAL
from documents.validation import interrupted_message, limit_in_megabytes, too_large_message
from securemail.models import Topic
from securemail.selectors import topics_active
from securemail.services import (
    BODY_MAX_LENGTH,
    MAX_ATTACHMENTS,
    SUBJECT_MAX_LENGTH,
    attachment_max_bytes,
    message_too_large_message,
)


class EmailForm(forms.Form):
    email = NormalisedEmailField(
        label=_("Your email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Enter your email address."),
            "invalid": _("Enter your email address in the form name@example.com."),
        },
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("One-time code"),
        help_text=_("The 8-digit code from the email we sent you."),
        max_length=32,
        # A refused code is not typed back into the field.
        widget=OneTimeCodeInput(),
        error_messages={"required": _("Enter the code from the email.")},
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; each one's content is checked by documents.services."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_ATTACHMENTS:
            raise ValidationError(
                gettext("You can attach at most %(limit)s files.") % {"limit": MAX_ATTACHMENTS},
                code="too_many_files",
            )
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


def _attachments_help() -> str:
    return gettext("PDF, JPEG or PNG, at most %(limit)s MB each. You can choose several.") % {
        "limit": limit_in_megabytes(attachment_max_bytes())
    }


class MessageForm(forms.Form):
    """An answer in a conversation; pass `request=` so that an oversize upload shows as an error."""

    body = forms.CharField(
        label=_("Message"), max_length=BODY_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 10})
    )
    attachments = MultipleFileField(label=_("Attachments"))

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.fields["attachments"].help_text = _attachments_help()

    def full_clean(self):
        super().full_clean()
        if self.request is not None and self.is_bound and upload_too_large(self.request):
            # The upload handler stopped the body: say which of the two limits it passed.
            if getattr(self.request, "upload_refusal", REFUSED_TOTAL) == REFUSED_FILE:
                error = too_large_message(attachment_max_bytes())
            else:
                error = message_too_large_message()
            self.add_error("attachments", error)
        elif self.request is not None and self.is_bound and upload_interrupted(self.request):
            # A cut-off attachment is dropped by the parser: never send the message without it.
            self.add_error("attachments", interrupted_message())


class NewConversationForm(MessageForm):
    topic = forms.ChoiceField(label=_("Topic"))
    subject = forms.CharField(label=_("Subject"), max_length=SUBJECT_MAX_LENGTH)
    field_order = ["topic", "subject", "body", "attachments"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.topics = {topic.code: topic for topic in topics_active()}
        self.fields["topic"].choices = [("", gettext("Choose a topic"))] + [
            (code, topic.name) for code, topic in self.topics.items()
        ]

    def clean_topic(self):
        return self.topics[self.cleaned_data["topic"]]


class TopicForm(forms.ModelForm):
    """The administrators' topic form: the names in each language and the unit it routes to.
    The code is set once (the public form names the topic by it) and shown, not changed, later."""

    class Meta:
        model = Topic
        fields = ["code", "name_fi", "name_sv", "name_en", "unit", "ordering", "active"]
        help_texts = {
            "code": _("Letters, digits and hyphens; it cannot be changed later."),
            "active": _("Only active topics are offered to senders."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["code"].disabled = True

    def changes(self) -> dict:
        names = self.Meta.fields if not self.instance.pk else self.Meta.fields[1:]
        return {name: self.cleaned_data[name] for name in names}
