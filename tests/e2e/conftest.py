"""Fixtures for the end-to-end tests: the shipped permit types, real PDF files, a browser."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from tests.e2e import flow
from tests.e2e.browser import Browser


@pytest.fixture
def permit_types(db):
    # What an operator runs once after installing; not a step of the applicant.
    call_command("load_permit_types", stdout=io.StringIO())


@pytest.fixture(scope="session")
def real_pdfs() -> dict[str, bytes]:
    return flow.real_pdfs()


@pytest.fixture
def browser(db) -> Browser:
    return Browser()
