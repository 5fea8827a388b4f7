"""The demo data gives Securemail its topics, each routed to a demo unit; a second run adds none."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_casework_demo_creates_the_topics_once():
    from casework.demo import load_casework_demo
    from securemail.models import Topic

    load_casework_demo()
    codes = set(Topic.objects.values_list("code", flat=True))
    assert codes == {"residence-permit", "citizenship", "other"}
    assert all(topic.unit_id for topic in Topic.objects.all())
    load_casework_demo()
    assert Topic.objects.count() == 3
