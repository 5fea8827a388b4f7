"""The administrators' topic page: list, add, change and deactivate topics (names in fi, sv and
en, the unit), each change audited; other roles and anonymous visitors are kept out."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.applications.test_double_submission import token_from
from tests.conftest import sign_in_with_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(make_user):
    administrator = make_user(role="administrator")
    return sign_in_with_second_factor(Client(), administrator), administrator


def _data(unit, **overrides):
    return {
        "code": "family",
        "name_fi": "Perheenyhdistäminen",
        "name_sv": "Familjeåterförening",
        "name_en": "Family reunification",
        "unit": unit.pk,
        "ordering": 5,
        "active": "on",
        **overrides,
    }


@pytest.mark.parametrize("role", ["applicant", "caseworker"])
def test_only_administrators_reach_the_topic_pages(make_user, topic, role):
    client = sign_in_with_second_factor(Client(), make_user(role=role))
    for url in (
        reverse("securemail:topics"),
        reverse("securemail:topic_new"),
        reverse("securemail:topic_edit", args=[topic.pk]),
    ):
        assert client.get(url).status_code in (403, 404)
        assert Client().get(url).status_code in (302, 403, 404)


def test_an_administrator_adds_a_topic_that_senders_are_then_offered(admin_client, units):
    from audit.models import AuditEvent
    from securemail.forms import NewConversationForm
    from securemail.models import Topic

    client, administrator = admin_client
    url = reverse("securemail:topic_new")
    response = client.post(
        url, {**_data(units[1]), "submission_token": token_from(client.get(url))}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("securemail:topics")
    topic = Topic.objects.get(code="family")
    assert (topic.name_fi, topic.name_sv, topic.name_en) == (
        "Perheenyhdistäminen",
        "Familjeåterförening",
        "Family reunification",
    )
    assert topic.unit == units[1] and topic.active
    event = AuditEvent.objects.get(action="securemail.topic_created")
    assert event.actor == administrator and event.object_id == str(topic.pk)
    listing = client.get(reverse("securemail:topics")).content.decode()
    assert "Familjeåterförening" in listing and "The topic was saved." in listing
    assert "family" in dict(NewConversationForm(request=None).fields["topic"].choices)


def test_deactivating_a_topic_stops_offering_it_and_keeps_its_conversations_unit(
    admin_client, topic, units, start_conversation
):
    from audit.models import AuditEvent
    from securemail.forms import NewConversationForm

    conversation = start_conversation()
    client, _administrator = admin_client
    url = reverse("securemail:topic_edit", args=[topic.pk])
    data = _data(
        units[1],
        code="changed-code",
        name_fi=topic.name_fi,
        name_sv=topic.name_sv,
        name_en="Residence permits (old)",
    )
    del data["active"]
    response = client.post(url, data)
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.code == "residence-permit"  # the code is shown, not changed
    assert not topic.active and topic.unit == units[1]
    assert topic.name_en == "Residence permits (old)"
    conversation.refresh_from_db()
    assert conversation.unit_id == units[0].pk
    assert "residence-permit" not in dict(NewConversationForm(request=None).fields["topic"].choices)
    event = AuditEvent.objects.get(action="securemail.topic_changed")
    assert set(event.details["changed"].split(",")) == {"active", "name_en", "ordering", "unit"}


def test_a_duplicate_code_or_missing_name_is_refused_with_what_was_typed_kept(
    admin_client, topic, units
):
    from securemail.models import Topic

    client, _administrator = admin_client
    response = client.post(
        reverse("securemail:topic_new"), _data(units[0], code=topic.code, name_sv="")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Perheenyhdistäminen" in page
    assert Topic.objects.count() == 1


def test_another_topic_id_is_not_found(admin_client):
    client, _administrator = admin_client
    assert client.get(reverse("securemail:topic_edit", args=[999_999])).status_code == 404


@pytest.mark.parametrize(
    ("language", "heading"),
    [("fi", "Securemail-aiheet"), ("sv", "Securemail-ämnen"), ("en", "Securemail topics")],
)
def test_the_topic_page_speaks_each_language(admin_client, topic, language, heading):
    client, _administrator = admin_client
    page = client.get(reverse("securemail:topics"), HTTP_ACCEPT_LANGUAGE=language)
    assert heading in page.content.decode()
