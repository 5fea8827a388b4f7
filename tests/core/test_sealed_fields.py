"""Sealed fields: declared at the field, checked to be covered by rotation, bound to table, column
and row, and values sealed before the binding re-sealed by the migrations."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps
from django.db import models
from django.test.utils import isolate_apps

from core import crypto
from core.crypto import DecryptionError
from core.sealed_fields import (
    SealedBinaryField,
    open_field,
    open_field_text,
    sealed_fields,
    sealed_values_covered_by_rotation,
)

# What the models of the checkout seal today; a new sealed field shows up here by itself.
EXPECTED_AT_LEAST = {
    ("accounts.AuthenticatorDevice", "key_sealed"),
    ("applications.Application", "answers_sealed"),
    ("applications.Application", "submitted_answers_sealed"),
    ("casework.InternalNote", "text_sealed"),
    ("casework.AdditionalInformation", "text_sealed"),
    ("casework.SupplementRequest", "message_sealed"),
    ("casework.SupplementRequest", "answer_sealed"),
    ("casework.Decision", "reasoning_sealed"),
    ("documents.Document", "original_filename_sealed"),
    ("notifications.OutboundEmail", "payload_sealed"),
    ("notifications.OutboundSMS", "payload_sealed"),
    ("trust.ScamReport", "content_sealed"),
    ("trust.ScamReport", "result_sealed"),
    ("trust.ScamReport", "reporter_address_sealed"),
}


def test_rotation_finds_every_sealed_field_by_walking_the_models():
    found = {(field.model._meta.label, field.name) for field in sealed_fields()}
    assert found >= EXPECTED_AT_LEAST


def test_the_installed_models_pass_the_check():
    assert sealed_values_covered_by_rotation(None) == []


@isolate_apps("core")
def test_the_check_fails_on_a_sealed_column_rotation_would_skip():
    class Letter(models.Model):
        body_sealed = models.BinaryField()
        covered_sealed = SealedBinaryField()
        thumbnail = models.BinaryField()  # not named as sealed: not held to it

        class Meta:
            app_label = "core"

        def __str__(self) -> str:
            return f"letter {self.pk}"

    errors = sealed_values_covered_by_rotation([django_apps_of(Letter)])
    assert [(error.id, error.obj.name) for error in errors] == [("core.E101", "body_sealed")]


@isolate_apps("core")
def test_the_check_fails_on_a_field_bound_to_a_value_that_names_no_single_row():
    class Letter(models.Model):
        reference = models.CharField(max_length=10)
        body_sealed = SealedBinaryField(bound_to="reference")
        title_sealed = SealedBinaryField(bound_to="no_such_field")

        class Meta:
            app_label = "core"

        def __str__(self) -> str:
            return f"letter {self.pk}"

    errors = sealed_values_covered_by_rotation([django_apps_of(Letter)])
    assert sorted((error.id, error.obj.name) for error in errors) == [
        ("core.E102", "body_sealed"),
        ("core.E102", "title_sealed"),
    ]


def django_apps_of(model):
    """The app config of a model declared under isolate_apps (its own registry)."""
    return model._meta.apps.get_app_config(model._meta.app_label)


# --- bound to table, column and row -------------------------------------------------------------


@pytest.fixture
def submitted_application(applicant):
    """A submitted demo-like application with both answer columns filled, via the services."""
    from applications.demo import load_demo_data
    from applications.models import Application, Status

    load_demo_data()
    return Application.objects.exclude(status=Status.DRAFT).exclude(submitted_answers_sealed=None)[
        0
    ]


@pytest.mark.django_db
def test_two_sealed_columns_of_one_row_swapped_do_not_open(submitted_application):
    from applications.models import Application

    application = submitted_application
    assert application.answers and application.submitted_answers
    Application.objects.filter(pk=application.pk).update(
        answers_sealed=application.submitted_answers_sealed,
        submitted_answers_sealed=application.answers_sealed,
    )
    swapped = Application.objects.get(pk=application.pk)
    for field_name in ("answers_sealed", "submitted_answers_sealed"):
        with pytest.raises(DecryptionError):
            open_field(swapped, field_name)


@pytest.mark.django_db
def test_a_sealed_value_copied_to_another_row_does_not_open(submitted_application):
    from applications.models import Application

    first, second = Application.objects.exclude(answers_sealed=b"")[:2]
    Application.objects.filter(pk=second.pk).update(answers_sealed=first.answers_sealed)
    with pytest.raises(DecryptionError):
        open_field(Application.objects.get(pk=second.pk), "answers_sealed")
    # The original still opens where it belongs.
    assert Application.objects.get(pk=first.pk).answers == first.answers


@pytest.mark.django_db
def test_scam_report_columns_swapped_do_not_open():
    """Sealed before the row exists, scam reports are bound to their public id, column by column."""
    from trust.models import ScamReport
    from trust.services.reports import scam_report_result, scam_report_submit

    report = scam_report_submit(
        source="web",
        channel="sms",
        content_kind="text",
        content=b"Your permit is cancelled. Pay the fee at http://migri-payments.example",
        reporter_address="reporter@example.org",
    )
    assert scam_report_result(report)["verdict"] == report.verdict
    ScamReport.objects.filter(pk=report.pk).update(
        content_sealed=report.reporter_address_sealed,
        reporter_address_sealed=report.content_sealed,
    )
    swapped = ScamReport.objects.get(pk=report.pk)
    with pytest.raises(DecryptionError):
        open_field(swapped, "content_sealed")
    with pytest.raises(DecryptionError):
        open_field_text(swapped, "reporter_address_sealed")


def test_a_value_cannot_be_sealed_before_its_row_has_an_id():
    from casework.models import InternalNote
    from core.sealed_fields import seal_field_text

    with pytest.raises(ValueError, match="save the row first"):
        seal_field_text(InternalNote(), "text_sealed", "note")


# --- the values stored before the binding -------------------------------------------------------


def _format_1(plaintext: bytes, associated_data: bytes) -> bytes:
    """A value as it was stored before format 2: the same layout, version byte 1, old binding.
    (The version byte is not authenticated; it only says which binding to expect.)"""
    return bytes([1]) + crypto.seal(plaintext, associated_data=associated_data)[1:]


def _migration(app_label: str, name: str):
    return importlib.import_module(f"{app_label}.migrations.{name}")


@pytest.mark.django_db
def test_the_migration_reseals_values_stored_before_the_binding(submitted_application):
    from applications.models import Application

    application = submitted_application
    answers, submitted = application.answers, application.submitted_answers
    legacy = f"applications.Application:{application.pk}".encode()
    Application.objects.filter(pk=application.pk).update(
        answers_sealed=_format_1(_json(answers), legacy),
        submitted_answers_sealed=_format_1(_json(submitted), legacy),
    )
    stored = Application.objects.get(pk=application.pk)
    with pytest.raises(DecryptionError):
        stored.answers  # noqa: B018 (a format-1 value does not open until the migration ran)

    migration = _migration("applications", "0002_sealed_fields_bound_to_column")
    migration.reseal(django_apps, None)
    resealed = bytes(Application.objects.get(pk=application.pk).answers_sealed)
    migration.reseal(django_apps, None)  # run again: format-2 values are left as they are
    assert bytes(Application.objects.get(pk=application.pk).answers_sealed) == resealed

    migrated = Application.objects.get(pk=application.pk)
    assert (migrated.answers, migrated.submitted_answers) == (answers, submitted)
    assert crypto.sealed_version(bytes(migrated.answers_sealed)) == crypto.SEALED_VALUE_VERSION


def _json(value) -> bytes:
    import json

    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


@pytest.mark.django_db
def test_the_migration_reseals_scam_reports_and_leaves_what_does_not_open():
    from trust.models import ScamReport
    from trust.services.reports import (
        scam_report_content,
        scam_report_reporter_address,
        scam_report_submit,
    )

    content = b"Your permit is cancelled. Pay the fee at http://migri-payments.example"
    reports = [
        scam_report_submit(
            source="web",
            channel="sms",
            content_kind="text",
            content=content,
            reporter_address=f"reporter{n}@example.org",
        )
        for n in range(2)
    ]
    for n, report in enumerate(reports):
        legacy = f"trust.ScamReport:{report.public_id}".encode()
        ScamReport.objects.filter(pk=report.pk).update(
            content_sealed=_format_1(content, legacy),
            # The second's address was sealed for another row: it never opened, and stays so.
            reporter_address_sealed=_format_1(
                f"reporter{n}@example.org".encode(), legacy if n == 0 else b"elsewhere"
            ),
        )

    _migration("trust", "0005_sealed_fields_bound_to_column").reseal(django_apps, None)

    first, second = (ScamReport.objects.get(pk=report.pk) for report in reports)
    assert scam_report_content(first) == scam_report_content(second) == content
    assert scam_report_reporter_address(first) == "reporter0@example.org"
    with pytest.raises(DecryptionError):
        scam_report_reporter_address(second)
    assert crypto.sealed_version(bytes(second.reporter_address_sealed)) == 1
