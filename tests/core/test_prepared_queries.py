"""core.prepared_queries: the same rows and instances as the ORM, one statement per call, fresh
data on every call, and shapes or values whose SQL would differ refused; insert_row writes the
row save() writes."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.models import Prefetch
from django.db.models.signals import post_save
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from audit.models import AuditEvent
from audit.services import audit_record
from core.prepared_queries import (
    STATEMENT_SEPARATOR,
    BoundInsert,
    PreparedQuery,
    all_together,
    insert_row,
    sends_together,
)

pytestmark = pytest.mark.django_db


def _events_of_actor(actor_id, action):
    return (
        AuditEvent.objects.filter(actor_id=actor_id, action=action)
        .select_related("actor")
        .defer("request_id")
        .order_by("at", "id")
    )


EVENTS_OF_ACTOR = PreparedQuery(_events_of_actor, actor_id=int, action=str)


@pytest.fixture
def events(make_user):
    me, other = make_user(), make_user()
    for number, actor in enumerate([me, me, other, me]):
        audit_record(
            action="application.viewed" if number != 1 else "application.listed",
            actor=actor,
            object_type="applications.application",
            object_id=number,
            details={"page": "case", "number": number},
        )
    return me, other


def _state(instance):
    return {
        field.attname: getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
        if field.attname not in instance.get_deferred_fields()
    }


def test_the_instances_are_the_querysets_with_their_related_rows_and_deferred_fields(events):
    me, _other = events
    prepared = EVENTS_OF_ACTOR.all(actor_id=me.pk, action="application.viewed")
    expected = list(_events_of_actor(me.pk, "application.viewed"))

    assert len(prepared) == 2
    assert [_state(item) for item in prepared] == [_state(item) for item in expected]
    assert [item.get_deferred_fields() for item in prepared] == [{"request_id"}] * 2
    # The user came with the row (select_related), as the ORM's instance has it.
    assert [_state(item.actor) for item in prepared] == [_state(item.actor) for item in expected]
    assert all(item._state.db == "default" and not item._state.adding for item in prepared)


def test_values_rows_are_the_querysets_dicts(events):
    me, _other = events
    build = lambda actor_id: (  # noqa: E731
        AuditEvent.objects.filter(actor_id=actor_id)
        .values("id", "at", "details", "actor__email")
        .order_by("id")
    )
    prepared = PreparedQuery(build, actor_id=int)

    assert prepared.all(actor_id=me.pk) == list(build(me.pk))
    assert prepared.first(actor_id=me.pk) == build(me.pk).first()


def test_each_call_is_one_statement_that_reads_what_the_database_holds_now(
    events, django_assert_num_queries
):
    me, _other = events
    EVENTS_OF_ACTOR.all(actor_id=me.pk, action="application.viewed")  # compiled here
    with django_assert_num_queries(1):
        assert len(EVENTS_OF_ACTOR.all(actor_id=me.pk, action="application.viewed")) == 2
    audit_record(action="application.viewed", actor=me)
    assert len(EVENTS_OF_ACTOR.all(actor_id=me.pk, action="application.viewed")) == 3
    assert EVENTS_OF_ACTOR.first(actor_id=me.pk + 1000, action="application.viewed") is None


@pytest.mark.parametrize("value", [None, [1, 2], True, "1", 1.0])
def test_a_value_of_another_type_is_refused(events, value):
    """None would need IS NULL and a list one placeholder per item: another statement."""
    with pytest.raises(TypeError):
        EVENTS_OF_ACTOR.all(actor_id=value, action="application.viewed")


def test_a_missing_or_unknown_parameter_is_refused(events):
    me, _other = events
    with pytest.raises(TypeError):
        EVENTS_OF_ACTOR.all(actor_id=me.pk)
    with pytest.raises(TypeError):
        EVENTS_OF_ACTOR.all(actor_id=me.pk, action="application.viewed", page="case")


def test_a_shape_whose_sql_depends_on_the_value_is_refused(events):
    """A slice's bounds are written into the SQL text (here besides a parameter it sends)."""
    prepared = PreparedQuery(
        lambda count: AuditEvent.objects.filter(id__gte=count)[:count], count=int
    )
    with pytest.raises(ValueError, match="depends on its values"):
        prepared.all(count=3)


@pytest.mark.parametrize(
    "build",
    [lambda count: AuditEvent.objects.all(), lambda count: AuditEvent.objects.all()[:count]],
    ids=["unused", "only in the text"],
)
def test_a_parameter_the_query_does_not_send_is_refused(events, build):
    with pytest.raises(ValueError, match="not sent as themselves"):
        PreparedQuery(build, count=int).all(count=1)


def test_prefetch_related_is_refused(events):
    prepared = PreparedQuery(
        lambda actor_id: AuditEvent.objects.filter(actor_id=actor_id).prefetch_related(
            Prefetch("actor")
        ),
        actor_id=int,
    )
    with pytest.raises(ValueError, match="prefetch_related"):
        prepared.all(actor_id=1)


def test_only_int_str_and_datetime_parameters_are_declared():
    with pytest.raises(ValueError):
        PreparedQuery(lambda when: AuditEvent.objects.filter(at=when), when=object)


def _row(pk):
    return AuditEvent.objects.filter(pk=pk).values().get()


def test_an_inserted_row_is_the_row_save_writes(make_user):
    me = make_user()
    values = {
        "actor": me,
        "actor_role": "applicant",
        "action": "application.viewed",
        "object_type": "applications.application",
        "object_id": "7",
        "ip_address": "2001:db8::1",
        "request_id": "a" * 32,
        "details": {"page": "case", "number": 7, "flag": True},
    }
    saved = AuditEvent.objects.create(**values)
    inserted = AuditEvent(**values)
    insert_row(inserted)

    assert inserted.pk is not None and inserted.pk != saved.pk
    assert not inserted._state.adding and inserted._state.db == "default"
    assert inserted.at is not None  # auto_now_add, as save() sets it
    written, expected = _row(inserted.pk), _row(saved.pk)
    assert written.pop("id") == inserted.pk and expected.pop("id") == saved.pk
    assert abs(written.pop("at") - expected.pop("at")).total_seconds() < 5
    assert written == expected


def test_an_insert_with_save_signal_receivers_goes_through_save(make_user):
    seen = []

    def receiver(sender, instance, created, **kwargs):
        seen.append((instance.pk, created))

    post_save.connect(receiver, sender=AuditEvent)
    try:
        event = AuditEvent(action="application.viewed", actor=make_user())
        insert_row(event)
    finally:
        post_save.disconnect(receiver, sender=AuditEvent)
    assert seen == [(event.pk, True)]


def test_a_moment_is_sent_as_the_orm_sends_it(events):
    me, _other = events
    build = lambda actor_id, since: AuditEvent.objects.filter(  # noqa: E731
        actor_id=actor_id, at__gte=since
    ).order_by("id")
    prepared = PreparedQuery(build, actor_id=int, since=datetime.datetime)
    now = timezone.now()
    for since in (now - datetime.timedelta(hours=1), now + datetime.timedelta(hours=1)):
        assert [_state(item) for item in prepared.all(actor_id=me.pk, since=since)] == [
            _state(item) for item in build(me.pk, since)
        ]
    assert len(prepared.all(actor_id=me.pk, since=now - datetime.timedelta(hours=1))) == 3
    with pytest.raises(TypeError, match="aware"):
        prepared.all(actor_id=me.pk, since=datetime.datetime(2026, 1, 1))  # noqa: DTZ001


def test_a_moment_compared_with_a_date_column_is_refused(events):
    """A date lookup sends the moment's date, not the moment: not the parameter as declared."""
    prepared = PreparedQuery(
        lambda since: AuditEvent.objects.filter(at__date__gte=since), since=datetime.datetime
    )
    with pytest.raises(ValueError, match="not sent as themselves"):
        prepared.all(since=timezone.now())


# all_together: several prepared queries in one execute where the database takes it.

USERS_BY_EMAIL = PreparedQuery(
    lambda email: User.objects.filter(email=email).values("id", "email", "date_joined"),
    email=str,
)
ALL_ACTIONS = PreparedQuery(lambda: AuditEvent.objects.values("action").order_by("action"))


def _reads(me):
    return [
        EVENTS_OF_ACTOR.bound(actor_id=me.pk, action="application.viewed"),
        EVENTS_OF_ACTOR.bound(actor_id=me.pk + 1000, action="application.viewed"),  # no row
        USERS_BY_EMAIL.bound(email=me.email),
        ALL_ACTIONS.bound(),  # a statement without parameters
        EVENTS_OF_ACTOR.bound(actor_id=me.pk, action="application.listed"),
    ]


@pytest.fixture(
    params=(
        ["server-side binding", "client-side binding"]
        if connection.vendor == "postgresql"
        else ["one by one"]
    )
)
def binding(request):
    """On PostgreSQL, both ways its connection sends statements together: a pipeline with
    server-side binding (config/settings.py's OPTIONS) and one joined text with Django's default
    cursor."""
    if request.param == "client-side binding":
        request.getfixturevalue("client_side_binding")
    return request.param


def test_queries_read_together_give_each_querys_own_rows(events, binding):
    me, _other = events
    together = all_together(*_reads(me))
    alone = [query.all(**values) for query, values in _reads(me)]

    assert [len(rows) for rows in together] == [2, 0, 1, 4, 1]
    for rows, expected in zip(together, alone, strict=True):
        if rows and isinstance(rows[0], dict):
            assert rows == expected
        else:
            assert [_state(item) for item in rows] == [_state(item) for item in expected]
            assert [_state(item.actor) for item in rows] == [
                _state(item.actor) for item in expected
            ]
    # The instances are the queryset's (select_related, deferred fields, the database).
    assert [_state(item) for item in together[0]] == [
        _state(item) for item in _events_of_actor(me.pk, "application.viewed")
    ]
    assert together[0][0].get_deferred_fields() == {"request_id"}
    assert together[0][0]._state.db == "default"


def test_queries_read_together_are_one_execute_on_postgresql_and_one_each_elsewhere(
    events, django_assert_num_queries
):
    me, _other = events
    all_together(*_reads(me))  # compiled here
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 5):
        all_together(*_reads(me))
    assert sends_together() is (connection.vendor == "postgresql")
    with django_assert_num_queries(1):
        assert len(all_together(_reads(me)[0])[0]) == 2
    assert all_together() == []


def test_queries_read_together_read_what_the_database_holds_now(events):
    me, _other = events
    assert len(all_together(*_reads(me))[0]) == 2
    audit_record(action="application.viewed", actor=me)
    assert len(all_together(*_reads(me))[0]) == 3


def test_values_read_together_are_checked_as_a_single_querys(events):
    me, _other = events
    with pytest.raises(TypeError):
        all_together(EVENTS_OF_ACTOR.bound(actor_id=str(me.pk), action="application.viewed"))


def _viewed(me) -> AuditEvent:
    return AuditEvent(
        actor=me,
        actor_role="applicant",
        action="application.viewed",
        object_type="applications.application",
        object_id="9",
        ip_address="192.0.2.7",
        request_id="b" * 32,
        details={"page": "case", "number": 9, "flag": False, "none": None},
    )


def test_a_row_inserted_with_reads_is_written_in_its_place_as_insert_row_writes_it(
    events, binding, django_assert_num_queries
):
    me, _other = events
    viewed = EVENTS_OF_ACTOR.bound(actor_id=me.pk, action="application.viewed")
    alone = _viewed(me)
    insert_row(alone)
    together = _viewed(me)
    all_together(viewed)  # compiled here
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 3):
        before, inserted, after = all_together(viewed, BoundInsert(together), viewed)

    assert inserted == [together]
    assert together.pk is not None and together.pk > alone.pk
    assert not together._state.adding and together._state.db == "default"
    # The statements run in turn: the read after the INSERT sees the row, the one before not.
    assert [item.pk for item in after] == [item.pk for item in before] + [together.pk]
    written, expected = _row(together.pk), _row(alone.pk)
    assert written.pop("id") == together.pk and expected.pop("id") == alone.pk
    assert alone.at <= written["at"] == together.at  # auto_now_add, set as the row is prepared
    written.pop("at"), expected.pop("at")
    assert written == expected


def test_a_row_that_save_writes_runs_the_statements_one_by_one_in_turn(
    events, django_assert_num_queries
):
    me, _other = events
    viewed = EVENTS_OF_ACTOR.bound(actor_id=me.pk, action="application.viewed")
    seen = []

    def receiver(sender, instance, created, **kwargs):
        seen.append((instance.pk, created))

    all_together(viewed)
    post_save.connect(receiver, sender=AuditEvent)
    try:
        event = _viewed(me)
        with django_assert_num_queries(3):
            before, inserted, after = all_together(viewed, BoundInsert(event), viewed)
    finally:
        post_save.disconnect(receiver, sender=AuditEvent)
    assert seen == [(event.pk, True)]
    assert inserted == [event]
    assert [item.pk for item in after] == [item.pk for item in before] + [event.pk]


@pytest.fixture
def client_side_binding(monkeypatch):
    """This connection as Django's PostgreSQL backend makes it by default (no server_side_binding
    in OPTIONS): a ClientCursor, the statements sent together joined into one text."""
    _use_client_side_binding(monkeypatch)


def _use_client_side_binding(monkeypatch) -> None:
    from django.db.backends.postgresql.base import Cursor

    connection.ensure_connection()
    monkeypatch.setattr(connection.connection, "cursor_factory", Cursor)
    # The feature first: it is cached from OPTIONS when first read, and monkeypatch reads it to
    # restore it (read after OPTIONS changed, it would stay False for the rest of the process).
    monkeypatch.setattr(connection.features, "uses_server_side_binding", False)
    options = {
        name: value
        for name, value in connection.settings_dict["OPTIONS"].items()
        if name != "server_side_binding"
    }
    monkeypatch.setitem(connection.settings_dict, "OPTIONS", options)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's driver")
def test_djangos_postgresql_cursor_binds_on_the_client_so_it_takes_several_statements(
    client_side_binding,
):
    """Without server-side binding, all_together relies on Django's default cursor on psycopg 3
    being a ClientCursor (the simple query protocol: statements separated by semicolons, a
    result each, nextset())."""
    import psycopg

    with connection.cursor() as cursor:
        assert isinstance(cursor.cursor, psycopg.ClientCursor)
        cursor.execute("SELECT %s::int;\nSELECT 'b', %s::int", [1, 2])
        assert cursor.fetchall() == [(1,)]
        assert cursor.nextset()
        assert cursor.fetchall() == [("b", 2)]
        assert not cursor.nextset()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's driver")
def test_statements_sent_together_are_the_bytes_the_driver_binds_for_them_joined(
    events, client_side_binding
):
    """Without server-side binding, all_together binds each statement by itself (ClientCursor.mogrify, whose parse psycopg
    keeps) and sends the joined text without parameters: the text psycopg would have bound from
    the joined statements and all their values, awkward values included."""
    me, _other = events
    awkward = "it's 100% a \\ back'slash; %s -- not a comment\n$$"
    audit_record(action="application.viewed", actor=me, details={"code": awkward[:60]})
    reads = [*_reads(me), USERS_BY_EMAIL.bound(email=awkward)]
    compiled = [query._prepared(None) for query, _values in reads]
    sql = STATEMENT_SEPARATOR.join(one.sql for one, _connection in compiled)
    params = [
        value
        for (query, values), (one, one_connection) in zip(reads, compiled, strict=True)
        for value in query._params(one, one_connection, values)
    ]
    with CaptureQueriesContext(connection) as captured:
        together = all_together(*reads)
    with connection.cursor() as cursor:
        assert captured.captured_queries[0]["sql"] == cursor.mogrify(sql, params)
    assert together[-1] == []
    assert [len(rows) for rows in together] == [3, 0, 1, 5, 1, 0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's driver")
def test_client_side_binding_is_undone_after_the_test():
    """The fixture's changes come undone even where the feature, cached from OPTIONS, was not
    read before (a pipeline's query log reads it: left False, the log would show nothing)."""
    connection.features.__dict__.pop("uses_server_side_binding", None)
    with pytest.MonkeyPatch.context() as patch:
        _use_client_side_binding(patch)
        assert connection.features.uses_server_side_binding is False
        assert "server_side_binding" not in connection.settings_dict["OPTIONS"]
    assert connection.settings_dict["OPTIONS"]["server_side_binding"] is True
    assert connection.features.uses_server_side_binding is True
