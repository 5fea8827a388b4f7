"""Rendering a decision PDF logs nothing from WeasyPrint or fontTools below ERROR.

WeasyPrint logs each rendering step and fontTools each font it subsets; with the project's LOGGING
(the same in development and production) those lines never reach the console of `make run` or a
production log.
"""

from __future__ import annotations

import logging

import pytest

pytestmark = pytest.mark.django_db

NOISY = ("weasyprint", "fontTools")


def _library_records(caplog) -> list[logging.LogRecord]:
    return [
        record
        for record in caplog.records
        if record.name.split(".")[0] in NOISY and record.levelno < logging.ERROR
    ]


def test_the_libraries_log_only_errors():
    for name in NOISY:
        assert logging.getLogger(name).getEffectiveLevel() == logging.ERROR


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_rendering_a_decision_pdf_logs_no_library_noise(language, make_user, caplog):
    from applications.catalogue import permit_types_load_directory
    from applications.models import PermitType
    from applications.services import application_start
    from casework.pdf import decision_pdf

    permit_types_load_directory()
    application = application_start(
        applicant=make_user(), permit_type=PermitType.objects.get(code="work-employed")
    )
    caplog.clear()

    pdf = decision_pdf(
        application=application,
        outcome="granted",
        reasoning="Täyttää edellytykset – uppfyller villkoren – ÅÄÖ åäö ß € “quoted”.",
        language=language,
    )

    assert pdf.startswith(b"%PDF")
    noise = _library_records(caplog)
    assert not noise, [f"{r.levelname} {r.name} {r.getMessage()}" for r in noise[:10]]
