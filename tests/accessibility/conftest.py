"""Fixtures for the accessibility tests: the shipped permit types."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command


@pytest.fixture
def permit_types(db):
    # What an operator runs once after installing.
    call_command("load_permit_types", stdout=io.StringIO())
