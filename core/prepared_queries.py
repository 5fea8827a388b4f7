"""Querysets of a fixed shape compiled to SQL once per process, then run with new values.

A page's read through the ORM spends most of its Python time building the queryset (filter,
select_related, defer: each a clone) and compiling it to SQL, the same text on every request; only
the values change. `PreparedQuery` builds and compiles the queryset once per database alias, finds
where its parameters went in the statement, and on each call sends that statement with the new
values, then turns the rows into model instances (or dicts, for `.values()`) with the ORM's own
converters, `Model.from_db` and select_related's populators: the same objects the queryset gives.
Nothing but the SQL text is kept: every call reads the database.

A shape is refused (ValueError when first compiled) when its SQL text depends on the values:
the queryset is compiled with two sets of stand-in values and both must give the same text, with
each parameter standing alone in the statement's parameters. Values are refused at the call unless
they are exactly of the declared type (no None, which would need `IS NULL`; no lists, which would
need one placeholder per item). prefetch_related is refused: run a second prepared query instead.

`all_together` runs several prepared queries in one execute where the database takes it
(PostgreSQL): a page's lists cost one round trip, each still its own statement and its own rows;
an insert_row statement (BoundInsert: the audit record of what a page shows) can go with them.
"""

from __future__ import annotations

import copy
import datetime
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any, NamedTuple

from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, ValuesIterable, get_related_populators
from django.db.models.signals import post_save, pre_save
from django.db.models.sql import InsertQuery

from core.rows import field_value

# Stand-in values by type: inside a 32-bit integer column's range (Django turns a lookup with an
# out-of-range integer into another statement), strings no one types, and a moment long past
# whose microseconds tell the stand-ins apart.
_STAND_INS: dict[type, Callable[[int, int], Any]] = {
    int: lambda position, round_: 1_900_000_000 + 1_000 * round_ + position,
    str: lambda position, round_: f"\x00prepared-query-{round_}-{position}\x00",
    datetime.datetime: lambda position, round_: datetime.datetime(
        2001, 2, 3, 4, 5, 6, 1_000 * round_ + position, tzinfo=datetime.UTC
    ),
}


def _sent(value, connection):
    """The value as the ORM sends it: a moment as a DateTimeField's lookup adapts it (SQLite
    takes text); a moment compared with another kind of column is not found, so refused."""
    if type(value) is datetime.datetime:
        return connection.ops.adapt_datetimefield_value(value)
    return value


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple  # the shape's own values, with the stand-ins where parameters go
    slots: tuple[tuple[int, str], ...]  # (position in params, parameter name)
    compiler: Any  # the compiled SQLCompiler: its select list, converters and populators' layout
    values_names: tuple[str, ...] | None  # the dicts' keys for a .values() queryset
    init_list: tuple[str, ...]
    model_slice: slice
    populators: tuple  # select_related's, which keep no state of a row
    # Each column's converters, found once per connection (a thread's DatabaseWrapper): the
    # ORM asks every column's field and the backend again on every query.
    converters: weakref.WeakKeyDictionary = dataclass_field(
        default_factory=weakref.WeakKeyDictionary
    )

    def converters_of(self, connection) -> list:
        converters = self.converters.get(connection)
        if converters is None:
            compiler = copy.copy(self.compiler)
            compiler.connection = connection
            columns = [column[0] for column in compiler.select[: compiler.col_count]]
            converters = self.converters[connection] = list(
                compiler.get_converters(columns).items()
            )
        return converters


class PreparedQuery:
    """`build(**stand_ins)` returns the queryset; `parameters` name each value and its type.

    query = PreparedQuery(
        lambda owner_id: Application.objects.filter(applicant_id=owner_id).select_related(...),
        owner_id=int,
    )
    applications = query.all(owner_id=request.user.pk)
    """

    def __init__(self, build: Callable[..., QuerySet], **parameters: type):
        unsupported = [name for name, kind in parameters.items() if kind not in _STAND_INS]
        if unsupported:
            raise ValueError(f"PreparedQuery supports int, str and datetime, not {unsupported}")
        self._build = build
        self._parameters = parameters
        self._compiled: dict[tuple[str, str], _Compiled] = {}
        self._model: type[Model] | None = None
        self._lock = threading.Lock()

    def all(self, *, using: str | None = None, **values) -> list:
        """Every row, as the queryset with these values would give them."""
        compiled, connection = self._prepared(using)
        params = self._params(compiled, connection, values)
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        return self._rows(compiled, connection, rows)

    def _params(self, compiled: _Compiled, connection, values: dict) -> list:
        """The statement's parameters with these values, each checked against its declaration."""
        for name, kind in self._parameters.items():
            # bool is an int, but the ORM would send it as a boolean; None and lists change the SQL.
            value = values.get(name)
            if type(value) is not kind:
                raise TypeError(f"{name} must be {kind.__name__}, not {type(value).__name__}")
            if kind is datetime.datetime and value.tzinfo is None:
                raise TypeError(f"{name} must be an aware datetime (the ORM would convert it)")
        if len(values) != len(self._parameters):
            raise TypeError(f"unknown parameters: {sorted(set(values) - set(self._parameters))}")
        params = list(compiled.params)
        for position, name in compiled.slots:
            params[position] = _sent(values[name], connection)
        return params

    def bound(self, **values) -> BoundQuery:
        """This query with its values, to be run with others by all_together."""
        return BoundQuery(self, values)

    def first(self, *, using: str | None = None, **values):
        """The first row, or None (the queryset's own order; slice it to one row in `build`)."""
        rows = self.all(using=using, **values)
        return rows[0] if rows else None

    def _prepared(self, using: str | None):
        alias = using or self._alias()
        connection = connections[alias]
        key = (alias, connection.vendor)
        compiled = self._compiled.get(key)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.get(key) or self._compile(alias)
                self._compiled[key] = compiled
        return compiled, connection

    def _alias(self) -> str:
        if self._model is None:
            self._model = self._queryset(0).model
        return router.db_for_read(self._model)

    def _queryset(self, round_: int) -> QuerySet:
        stand_ins = {
            name: _STAND_INS[kind](position, round_)
            for position, (name, kind) in enumerate(self._parameters.items())
        }
        return self._build(**stand_ins)

    def _compile(self, alias: str) -> _Compiled:
        shapes = []
        for round_ in (1, 2):
            queryset = self._queryset(round_)
            if queryset._prefetch_related_lookups:
                raise ValueError("prefetch_related is not prepared: use a second PreparedQuery")
            if queryset._known_related_objects:
                raise ValueError("a related manager's queryset is not prepared: filter by the id")
            if queryset._iterable_class not in (ModelIterable, ValuesIterable):
                raise ValueError("only model instances and .values() dicts are prepared")
            compiler = queryset.query.get_compiler(using=alias)
            sql, params = compiler.as_sql()
            slots = self._slots(params, round_, compiler.connection)
            shapes.append((queryset, compiler, sql, tuple(params), slots))
        (queryset, compiler, sql, params, slots), (_, _, other_sql, _, other_slots) = shapes
        if sql != other_sql or slots != other_slots:
            raise ValueError("this query's SQL depends on its values: it cannot be prepared")
        values_names = None
        init_list: tuple[str, ...] = ()
        model_slice = slice(0)
        if queryset._iterable_class is ValuesIterable:
            query = queryset.query
            values_names = tuple(
                query.selected
                or [*query.extra_select, *query.values_select, *query.annotation_select]
            )
        else:
            select_fields = compiler.klass_info["select_fields"]
            model_slice = slice(select_fields[0], select_fields[-1] + 1)
            init_list = tuple(column[0].target.attname for column in compiler.select[model_slice])
        select = [column[0] for column in compiler.select[: compiler.col_count]]
        if compiler.has_composite_fields(select):
            raise ValueError("composite primary keys are not prepared")
        populators = ()
        if values_names is None:
            populators = tuple(get_related_populators(compiler.klass_info, compiler.select, alias))
        return _Compiled(
            PreparedSQL(sql),
            params,
            slots,
            compiler,
            values_names,
            init_list,
            model_slice,
            populators,
        )

    def _slots(self, params, round_: int, connection) -> tuple[tuple[int, str], ...]:
        """Where each parameter's stand-in went; each must be there, as the ORM sends it."""
        stand_ins = {}
        for position, (name, kind) in enumerate(self._parameters.items()):
            sent = _sent(_STAND_INS[kind](position, round_), connection)
            stand_ins[sent] = (name, type(sent))
        slots = []
        for position, value in enumerate(params):
            try:
                name, kind = stand_ins.get(value, (None, None))
            except TypeError:  # an unhashable value of the shape's own (JSON)
                continue
            if name is not None and type(value) is kind:
                slots.append((position, name))
        missing = set(self._parameters) - {name for _, name in slots}
        if missing:
            raise ValueError(f"parameters not sent as themselves in the SQL: {sorted(missing)}")
        return tuple(slots)

    @staticmethod
    def _rows(compiled: _Compiled, connection, rows: list) -> list:
        """The fetched rows as the queryset gives them: instances, or dicts for .values()."""
        compiler = compiled.compiler
        if compiler.has_extra_select:
            rows = [row[: compiler.col_count] for row in rows]
        converters = compiled.converters_of(connection)
        if converters:
            # SQLCompiler.apply_converters, with the converters found once per connection.
            rows = [list(row) for row in rows]
            for row in rows:
                for position, (functions, expression) in converters:
                    value = row[position]
                    for function in functions:
                        value = function(value, expression, connection)
                    row[position] = value
        if compiled.values_names is not None:
            names = compiled.values_names
            return [dict(zip(names, row, strict=False)) for row in rows]
        model: type[Model] = compiler.klass_info["model"]
        annotations = compiler.annotation_col_map
        instances = []
        for row in rows:
            instance = model.from_db(
                connection.alias, compiled.init_list, row[compiled.model_slice]
            )
            for populator in compiled.populators:
                populator.populate(row, instance)
            for name, position in annotations.items():
                setattr(instance, name, row[position])
            instances.append(instance)
        return instances


# Between the statements all_together sends in one execute (tests split a captured query by it).
STATEMENT_SEPARATOR = ";\n"


class BoundQuery(NamedTuple):
    query: PreparedQuery
    values: dict[str, Any]


def all_together(*calls: BoundQuery | BoundInsert, using: str | None = None) -> list[list]:
    """`[query.all(**values) for query, values in calls]`, the statements sent in one execute
    where the driver takes several: a page's lists cost one round trip instead of one each.
    A BoundInsert among them is written where it stands (insert_row), its result the instance.

    A statement costs the web process about 0.3 ms of CPU however small its result (Django's
    cursor, psycopg's sending, waiting and receiving); a result that comes in the same execute
    costs about a third of that. On PostgreSQL they go by send_together: in one pipeline with
    server-side binding (config/settings.py), or joined into one text for the simple query
    protocol with Django's default client-side binding; either way each statement is answered
    with its own result, outside a transaction block as one implicit transaction (an INSERT
    among them is committed with the rest, or not at all if a statement fails). Each statement
    is the one `all` (or insert_row) sends, so its rows are the same. Other drivers (SQLite's takes one statement an execute) run them one by one, as
    does a row that insert_row would save() (save signals' receivers, ...)."""
    statements = [_statement(call, using) for call in calls]
    if not statements:
        return []
    connection = statements[0].connection
    if (
        len(statements) == 1
        or not _sends_together(connection)
        or any(statement.sql is None for statement in statements)
    ):
        results = []
        for statement in statements:
            if statement.sql is None:
                results.append(statement.rows(None))
                continue
            with statement.connection.cursor() as cursor:
                cursor.execute(statement.sql, statement.params)
                results.append(statement.rows(statement.fetch(cursor)))
        return results
    if any(statement.connection is not connection for statement in statements):
        raise ValueError("statements sent together must read the same database")
    fetched = send_together(
        connection, [(statement.sql, statement.params, statement.fetch) for statement in statements]
    )
    return [statement.rows(one) for statement, one in zip(statements, fetched, strict=True)]


class PreparedSQL(str):
    """The text of a statement of a fixed shape, sent on every request (a PreparedQuery's, an
    insert_row's, a hand-written one's), which core.postgresql's cursor has the server keep
    prepared per connection: parsed and planned once instead of on every request. Only these
    are prepared. PostgreSQL plans a prepared statement for its values five times, then may
    keep one generic plan for any values, and a generic plan cannot use an index whose
    condition names a value the statement sends as a parameter: django-tasks-db's partial
    index on READY tasks, skipped by a generic plan of the worker's poll, made every poll read
    most of the task table. These statements' rows were compared (bench/README.md)."""


class Together(str):
    """Statements for one execute of a cursor of core.postgresql with server-side binding, which
    sends them in one pipeline: (sql, params, fetch) each, fetch(cursor) its result. Django's
    cursor wrappers and query log see one query, this text: the statements joined."""

    statements: tuple[tuple[str, list, Callable], ...]

    def __new__(cls, text: str, statements) -> Together:
        together = super().__new__(cls, text)
        together.statements = tuple(statements)
        return together


def send_together(connection, statements: list[tuple[str, list, Callable]]) -> list:
    """[fetch(cursor) for each (sql, params, fetch)], the statements sent in one round trip on a
    connection where _sends_together holds: each the same statement, each its own result.

    With server-side binding (core.postgresql's pipeline cursor) each statement goes by the
    extended protocol, and a PreparedSQL is kept prepared by the connection, so the server no
    longer parses and plans it on every request. With Django's default client-side binding
    they are bound here and joined into one text for the simple query protocol (no prepared
    statements there)."""
    with connection.cursor() as cursor:
        if getattr(connection, "pipelines_together", False):
            # The text is for Django's query log and execute wrappers: bound values only where
            # queries are logged (tests, DEBUG), as Django's own log shows them.
            bind = connection.ops.compose_sql if connection.queries_logged else _unbound
            text = STATEMENT_SEPARATOR.join(bind(sql, params) for sql, params, _fetch in statements)
            cursor.execute(Together(text, statements))
            return cursor.together_results
        # psycopg parses a text's placeholders once and keeps the parse only for texts up to
        # 4 KB (psycopg._queries.MAX_CACHED_STATEMENT_LENGTH): a page's statements joined are
        # longer and were parsed again on every request. Each statement is bound by itself
        # (ClientCursor.mogrify: "merged the same way that execute() would do", its parse kept)
        # and the joined text sent without parameters (not parsed): the same bytes.
        cursor.execute(
            STATEMENT_SEPARATOR.join(cursor.mogrify(sql, params) for sql, params, _f in statements)
        )
        fetched = [statements[0][2](cursor)]
        for _sql, _params, fetch in statements[1:]:
            if not cursor.nextset():
                raise RuntimeError("a statement sent together gave no result")
            fetched.append(fetch(cursor))
        return fetched


def _unbound(sql: str, _params) -> str:
    return sql


class BoundInsert(NamedTuple):
    """A new row to be written by all_together with the statements it sends, as insert_row
    writes it (its values prepared when all_together is called)."""

    instance: Model


@dataclass(frozen=True)
class _Statement:
    sql: str | None  # None: nothing to send, `rows` does the work (a row save() writes)
    params: list
    connection: Any
    fetch: Callable  # the statement's result from the cursor it ran on
    rows: Callable  # that result as all_together gives it


def _statement(call: BoundQuery | BoundInsert, using: str | None) -> _Statement:
    if isinstance(call, BoundInsert):
        return _insert_statement(call.instance, using)
    query, values = call
    compiled, connection = query._prepared(using)
    return _Statement(
        compiled.sql,
        query._params(compiled, connection, values),
        connection,
        fetch_all,
        lambda rows: query._rows(compiled, connection, rows),
    )


def fetch_all(cursor) -> list:
    """A statement's rows, as send_together fetches a read's result."""
    return cursor.fetchall()


def sends_together(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether all_together sends its statements in one execute on this database (a read that
    is worth adding only when it costs no statement of its own)."""
    return _sends_together(connections[using])


def _sends_together(connection) -> bool:
    """Whether the connection runs several statements in one round trip (send_together): Django's
    PostgreSQL backend on psycopg 3 with client-side binding (its default), or core.postgresql's
    with server-side binding (a pipeline)."""
    if connection.vendor != "postgresql" or connection.Database.__name__ != "psycopg":
        return False
    if getattr(connection, "pipelines_together", False):
        return True
    return not connection.settings_dict.get("OPTIONS", {}).get("server_side_binding")


@dataclass(frozen=True)
class _CompiledInsert:
    sql: str
    fields: tuple  # the fields whose values the statement sends, in its order
    returning_params: tuple
    compiler: Any  # for prepare_value and pre_save_val, the ORM's own preparation of each value


_INSERTS: dict[tuple[type[Model], str, str], _CompiledInsert] = {}


def insert_row(instance: Model, *, using: str | None = None) -> None:
    """`instance.save()` for a new row of a model with an automatic primary key, with the INSERT
    statement compiled once per process: each field's value is prepared by the ORM's insert
    compiler (pre_save, so auto_now_add is set; get_db_prep_save), the primary key read back as
    save() reads it. Where the ORM would do more, it saves: a model with save signals' receivers
    or parents, a value that is an expression, a field with its own placeholder."""
    all_together(BoundInsert(instance), using=using)


def _insert_statement(instance: Model, using: str | None) -> _Statement:
    """insert_row's statement for the instance, its values prepared now; or one without SQL
    whose `rows` saves the instance where the ORM would do more."""
    model = type(instance)
    meta = model._meta
    alias = using or router.db_for_write(model, instance=instance)
    connection = connections[alias]

    def saved(_nothing) -> list:
        instance.save(using=alias)
        return [instance]

    if (
        not instance._state.adding
        or meta.auto_field is None
        or instance.pk is not None
        or meta.parents
        or pre_save.has_listeners(model)
        or post_save.has_listeners(model)
    ):
        return _Statement(None, [], connection, fetch_all, saved)
    key = (model, alias, connection.vendor)
    compiled = _INSERTS.get(key) or _compile_insert(model, alias)
    if compiled is None:
        return _Statement(None, [], connection, fetch_all, saved)
    _INSERTS[key] = compiled
    compiler = copy.copy(compiled.compiler)
    compiler.connection = connection
    params = [
        compiler.prepare_value(field, compiler.pre_save_val(field, instance))
        for field in compiled.fields
    ]
    if any(hasattr(value, "as_sql") for value in params):
        return _Statement(None, [], connection, fetch_all, saved)
    params.extend(compiled.returning_params or ())

    def fetch(cursor):
        if compiled.returning_params is not None:
            return connection.ops.fetch_returned_insert_columns(cursor, compiled.returning_params)[
                0
            ]
        return connection.ops.last_insert_id(cursor, meta.db_table, meta.pk.column)

    def written(pk) -> list:
        setattr(instance, meta.pk.attname, field_value(model, meta.pk.name, pk, connection))
        instance._state.adding = False
        instance._state.db = alias
        return [instance]

    return _Statement(compiled.sql, params, connection, fetch, written)


def _compile_insert(model: type[Model], alias: str) -> _CompiledInsert | None:
    """The statement Django's insert compiler writes for one row of `model` (as Model._save_table
    asks it: every local concrete field but the automatic key, the key returned)."""
    meta = model._meta
    fields = tuple(
        field
        for field in meta.local_concrete_fields
        if field is not meta.auto_field and not field.generated
    )
    if any(hasattr(field, "get_placeholder") for field in fields):
        return None
    query = InsertQuery(model)
    query.insert_values(fields, [model()])
    compiler = query.get_compiler(using=alias)
    compiler.returning_fields = [meta.pk]
    ((sql, params),) = compiler.as_sql()
    returning = compiler.connection.features.can_return_columns_from_insert
    returning_params = tuple(compiler.returning_params) if returning else None
    if len(params) != len(fields) + len(returning_params or ()):
        return None  # a value written into the text, not sent: not the same statement each time
    return _CompiledInsert(PreparedSQL(sql), fields, returning_params, compiler)
