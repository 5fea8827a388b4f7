"""The audit log's filters: a GET form (no JavaScript), every field optional."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.labels import action_choices
from core.roles import Role

STAFF_ROLES = (Role.CASEWORKER, Role.ADMINISTRATOR)


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        return user.email


class AuditLogFilterForm(forms.Form):
    date_from = forms.DateField(
        label=_("Start date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("End date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    actor = StaffChoiceField(
        label=_("Who"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("Anyone"),
        help_text=_("Staff members; an applicant's events are found by the object."),
    )
    action = forms.ChoiceField(label=_("Event"), required=False)
    object_type = forms.CharField(label=_("Object type"), required=False, max_length=64)
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = (
            get_user_model().objects.filter(role__in=STAFF_ROLES).order_by("email")
        )
        # Built per request: the labels are sorted in the reader's language.
        self.fields["action"].choices = [("", _("Any event")), *action_choices()]

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", _("The end date must not be before the start date."))
        return cleaned

    def filters(self) -> dict:
        """Keyword arguments for audit_event_list from the valid fields (invalid ones are left out:
        the page shows their errors beside the unfiltered fields' results)."""
        data = getattr(self, "cleaned_data", {})
        since = data.get("date_from")
        until = data.get("date_to")
        actor = data.get("actor")
        return {
            "action": data.get("action") or "",
            "object_type": (data.get("object_type") or "").strip(),
            "object_id": (data.get("object_id") or "").strip(),
            "actor_id": actor.pk if actor else None,
            # Whole days in the local time zone; the end date counts in full.
            "since": _start_of(since) if since else None,
            "before": _start_of(until + timedelta(days=1)) if until else None,
        }


def _start_of(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))
