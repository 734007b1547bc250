"""The audit trail: every operation writes one event, chained to the previous one by an
HMAC-SHA-256 keyed with ``AUDIT_KEY`` (a key outside the database, `core.keys`), so someone
who can write to the database but not read the key cannot recompute the chain.

Frozen documents and the amounts they rest on are sealed too: a model with the `Sealed`
mixin carries an HMAC of its `__sealed__` columns, renewed by every write through the ORM;
a direct UPDATE breaks it. `verify_chain` checks the chain, `verify_seals` the seals, and
the checks registered with `register_document_check` re-hash the stored bytes.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Iterable
from datetime import date, datetime
from types import SimpleNamespace
from typing import NamedTuple

from flask import current_app, has_app_context
from sqlalchemy import String, select, update
from sqlalchemy import event as sa_event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from core import bulk
from core.clock import clock
from core.models import AuditEvent, AuditHead
from extensions import db

GENESIS = "0" * 64


def _key() -> bytes:
    """The audit key (``AUDIT_KEY``, resolved at start by app.create_app)."""
    key = current_app.config.get("AUDIT_KEY")
    if not key:
        raise RuntimeError("AUDIT_KEY is not configured")
    return str(key).encode("utf-8")


def _payload(event) -> bytes:
    """What an event's hash covers; `event` is an AuditEvent or any object with its
    attributes (`record_rows` hashes plain rows)."""
    return json.dumps(
        {
            "prev": event.prev_hash,
            "at": event.occurred_at.isoformat(),
            "actor": event.actor_id,
            "case": event.case_id,
            "object": [event.object_type, event.object_id],
            "action": event.action,
            "before": event.before,
            "after": event.after,
            "note": event.note,
        },
        sort_keys=True,
        ensure_ascii=False,
        default=str,
    ).encode("utf-8")


def _digest(event: AuditEvent, key: bytes | None = None) -> str:
    """The event's HMAC-SHA-256 (hex) under the audit key."""
    return hmac.new(key or _key(), _payload(event), hashlib.sha256).hexdigest()


def _unkeyed_digest(event: AuditEvent) -> str:
    """The plain SHA-256 that chained events before the trail was keyed (read by `rekey`)."""
    return hashlib.sha256(_payload(event)).hexdigest()


_HEAD = "audit_head"


@sa_event.listens_for(Session, "after_transaction_end")
def _forget_head(session, transaction) -> None:
    """The lock on the head ends with its transaction (a savepoint's end is enough to
    forget it too): take it again next time. A flush's own inner transaction is not one."""
    if transaction.parent is None or transaction.nested:
        session.info.pop(_HEAD, None)


def lock_head() -> AuditHead:
    """Take the head row for update (creating it on first use) and return it. Once taken,
    the lock lasts until the transaction ends, so later events of the same transaction
    (an import of thousands of rows) reuse the row without asking again."""
    held = db.session.info.get(_HEAD)
    if held is not None:
        return held
    locked = db.session.execute(
        update(AuditHead).where(AuditHead.id == 1).values(count=AuditHead.count + 0)
    ).rowcount
    if not locked:
        try:
            with db.session.begin_nested():
                db.session.add(AuditHead(id=1, last_id=0, last_hash=GENESIS, count=0))
        except IntegrityError:
            db.session.execute(update(AuditHead).where(AuditHead.id == 1)
                               .values(count=AuditHead.count + 0))
    head = db.session.scalars(select(AuditHead).where(AuditHead.id == 1)
                              .execution_options(populate_existing=True)).one()
    db.session.info[_HEAD] = head
    return head


def record(actor, action: str, obj, *, case=None, before: dict | None = None,
           after: dict | None = None, note: str | None = None) -> AuditEvent:
    """Append an audit event for `action` on `obj` (a model instance) by `actor` (a User or
    None for the system), chained to the previous event by its hash. Flushes so the event
    has an id; never commits."""
    return record_many(actor, [Entry(action, obj, case, before, after, note)])[0]


class Entry(NamedTuple):
    """One event of `record_many`."""

    action: str
    obj: object
    case: object = None
    before: dict | None = None
    after: dict | None = None
    note: str | None = None


def record_many(actor, entries: list[Entry]) -> list[AuditEvent]:
    """Append one audit event per entry, in order, chained like `record`'s, with two
    statements for the lot instead of several per event (an import of 10 000 sites writes
    10 000 events). Flushes; never commits. Returns the events."""
    if not entries:
        return []
    db.session.flush()
    head = lock_head()
    now, prev, events = clock().now(), head.last_hash, []
    for entry in entries:
        event = AuditEvent(
            occurred_at=now,
            actor_id=getattr(actor, "id", None),
            case_id=getattr(entry.case, "id", None),
            object_type=type(entry.obj).__name__,
            object_id=None if getattr(entry.obj, "id", None) is None else str(entry.obj.id),
            action=entry.action,
            before=entry.before,
            after=entry.after,
            note=entry.note,
            prev_hash=prev,
        )
        event.hash = prev = _digest(event)
        events.append(event)
    db.session.add_all(events)
    db.session.flush()  # ids in the order added: the chain's order
    last = events[-1]
    head.last_id, head.last_hash, head.count = last.id, last.hash, head.count + len(events)
    return events  # the head's new values go out with the next flush or the commit


class Row(NamedTuple):
    """One event of `record_rows`: the object named by its type and id, not loaded."""

    action: str
    object_type: str
    object_id: str | None
    before: dict | None = None
    after: dict | None = None
    note: str | None = None
    case_id: int | None = None


def record_rows(actor, rows: list[Row]) -> None:
    """Append one audit event per row, in order, chained and hashed exactly as `record_many`
    does, without ORM objects: the events' ids are taken first (`core.bulk.take_ids`, under
    the head's lock, ascending: the chain's order) and the rows inserted by one executemany.
    For imports of thousands of objects (an import of 10 000 sites, BENCHMARKS.md). Flushes
    the session first; never commits; the head's new values go out with the next flush."""
    if not rows:
        return
    db.session.flush()
    head = lock_head()
    ids = bulk.take_ids(AuditEvent.__table__, len(rows))
    now, prev, key = clock().now(), head.last_hash, _key()
    actor_id = getattr(actor, "id", None)
    values = []
    for event_id, row in zip(ids, rows, strict=True):
        event = SimpleNamespace(
            id=event_id, occurred_at=now, actor_id=actor_id, case_id=row.case_id,
            object_type=row.object_type, object_id=row.object_id, action=row.action,
            before=row.before, after=row.after, note=row.note, prev_hash=prev)
        event.hash = prev = _digest(event, key)
        values.append(vars(event))
    bulk.insert_rows(AuditEvent.__table__, values)
    head.last_id, head.last_hash, head.count = ids[-1], prev, head.count + len(values)


def verify_chain() -> list[str]:
    """Problems found in the audit trail (empty list: intact): an event whose content does
    not match its keyed hash (edited, or re-hashed by someone without the key), an event not
    linked to the one before (one deleted or inserted), a trail that does not end where the
    head says (the last ones deleted). Events hashed before the trail was keyed are named as
    such: `rekey` converts them once."""
    problems = []
    key = _key()
    prev, count, last_id, unkeyed = GENESIS, 0, 0, 0
    for event in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)
                                    .execution_options(yield_per=1000)):
        if not hmac.compare_digest(_digest(event, key), event.hash):
            if _unkeyed_digest(event) == event.hash:
                unkeyed += 1
            else:
                problems.append(f"event {event.id}: content does not match its hash (edited)")
        if event.prev_hash != prev:
            problems.append(f"event {event.id}: not linked to the previous event "
                            f"(an event before it was deleted or changed)")
        prev, count, last_id = event.hash, count + 1, event.id
    if unkeyed:
        problems.append(f"{unkeyed} events are hashed without the audit key (a trail from "
                        f"before keying, or re-hashed by someone without the key): after "
                        f"checking them, run `flask --app app audit rekey` once")
    head = db.session.get(AuditHead, 1)
    if head is None:
        if count:
            problems.append("the head of the trail is missing")
    elif (head.last_id, head.last_hash, head.count) != (last_id, prev, count):
        problems.append(f"the trail ends at event {last_id} ({count} events) but the head "
                        f"records event {head.last_id} ({head.count} events): events deleted")
    return problems


def head_hash() -> str:
    """The hash of the last event (GENESIS for an empty trail): what `audit verify` prints,
    to be written down outside the database and given to `rekey --expect-head` later."""
    head = db.session.get(AuditHead, 1)
    return head.last_hash if head is not None else GENESIS


class RekeyRefused(Exception):
    """`rekey` found the unkeyed trail broken (or not ending at the expected head)."""


def rekey(expect_head: str | None = None) -> int:
    """Convert a trail from before keying: check every event against the hash it holds
    (keyed or the old plain SHA-256) and its link to the one before, and, when given, that
    the trail ends at `expect_head` (the head written down before the upgrade); then re-hash
    every event with the audit key and update the head. Also seals the `Sealed` rows that
    have no seal yet (from before sealing). Raises RekeyRefused with the problems when the
    trail is broken (nothing changed). Returns the number of events re-hashed. Flushes."""
    key = _key()
    problems, prev = [], GENESIS
    events = list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)))
    for event in events:
        if event.hash not in (_unkeyed_digest(event), _digest(event, key)):
            problems.append(f"event {event.id}: content does not match its hash (edited)")
        if event.prev_hash != prev:
            problems.append(f"event {event.id}: not linked to the previous event")
        prev = event.hash
    if expect_head is not None and prev != expect_head:
        problems.append(f"the trail ends at {prev}, not at the expected head {expect_head}")
    if problems:
        raise RekeyRefused("; ".join(problems))
    head = lock_head()
    prev = GENESIS
    for event in events:
        event.prev_hash = prev
        event.hash = prev = _digest(event, key)
    if events:
        head.last_id, head.last_hash, head.count = events[-1].id, prev, len(events)
    for cls in _sealed_classes():
        for row in db.session.scalars(select(cls).where(cls.seal.is_(None))):
            row.seal = seal_of(row)
    db.session.flush()
    return len(events)


# --- Seals: rows whose columns must not change behind the application's back ---------------

class Sealed:
    """Mixin for a model whose `__sealed__` columns (a frozen document's hash, number and
    amounts; a violation's fine) must only change through the application: every insert or
    update through the ORM stores in `seal` an HMAC of those columns under the audit key;
    `verify_seals` recomputes them, so a direct UPDATE in the database shows."""

    __sealed__: tuple[str, ...] = ()
    # Columns added after rows were first sealed: they enter the seal only once set, so a
    # row sealed before they existed keeps an intact seal.
    __sealed_late__: tuple[str, ...] = ()
    seal: Mapped[str | None] = mapped_column(String(64))


def _sealed_values(cls, value_of) -> dict:
    """The columns a seal covers, {name: value}: every `__sealed__` column, and each
    `__sealed_late__` column that holds a value."""
    values = {name: value_of(name) for name in cls.__sealed__}
    values.update({name: value_of(name) for name in cls.__sealed_late__
                   if value_of(name) is not None})
    return values


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _seal(table: str, values: dict) -> str:
    payload = json.dumps({"table": table, **{k: _plain(v) for k, v in values.items()}},
                         sort_keys=True, ensure_ascii=False, default=str)
    return hmac.new(_key(), payload.encode("utf-8"), hashlib.sha256).hexdigest()


def seal_of(obj: Sealed) -> str:
    """The HMAC-SHA-256 (hex) of `obj`'s sealed columns, under the audit key."""
    return _seal(type(obj).__tablename__,
                 _sealed_values(type(obj), lambda name: getattr(obj, name)))


def seal_intact(obj: Sealed) -> bool:
    """True when `obj`'s seal matches its sealed columns (False also for no seal)."""
    return obj.seal is not None and hmac.compare_digest(seal_of(obj), obj.seal)


def _fill_defaults(target: Sealed) -> None:
    """Give unset sealed columns their default now (the INSERT would), so the seal covers the
    value stored: a scalar default, or a server default of digits or text."""
    table = type(target).__table__
    for name in target.__sealed__:
        if getattr(target, name) is not None:
            continue
        column = table.c[name]
        if column.default is not None and column.default.is_scalar:
            setattr(target, name, column.default.arg)
        elif column.server_default is not None and isinstance(
                getattr(column.server_default, "arg", None), str):
            text = column.server_default.arg
            setattr(target, name, int(text) if text.isdigit() else text)


@sa_event.listens_for(Sealed, "before_insert", propagate=True)
def _seal_new(_mapper, _connection, target) -> None:
    if has_app_context() and current_app.config.get("AUDIT_KEY"):
        _fill_defaults(target)
        target.seal = seal_of(target)


@sa_event.listens_for(Sealed, "before_update", propagate=True)
def _renew_seal(_mapper, _connection, target) -> None:
    if has_app_context() and current_app.config.get("AUDIT_KEY"):
        target.seal = seal_of(target)


def _sealed_classes() -> list[type]:
    return sorted((m.class_ for m in db.Model.registry.mappers if issubclass(m.class_, Sealed)),
                  key=lambda cls: cls.__tablename__)


def verify_seals() -> list[str]:
    """Rows whose sealed columns changed outside the application (a seal that does not match,
    or none: from before sealing, see `rekey`). Empty list: all intact. Reads only."""
    problems = []
    for cls in _sealed_classes():
        columns = [getattr(cls, name)
                   for name in ("id", "seal", *cls.__sealed__, *cls.__sealed_late__)]
        for row in db.session.execute(select(*columns).order_by(cls.id)
                                      .execution_options(yield_per=1000)):
            values = row._mapping
            if values["seal"] is None:
                problems.append(f"{cls.__tablename__} {values['id']}: not sealed (from before "
                                f"sealing: run `flask --app app audit rekey`)")
            elif not hmac.compare_digest(
                    _seal(cls.__tablename__, _sealed_values(cls, values.get)),
                    values["seal"]):
                changed = ", ".join((*cls.__sealed__, *cls.__sealed_late__))
                problems.append(f"{cls.__tablename__} {values['id']}: changed outside the "
                                f"application (one of: {changed})")
    return problems


# --- Frozen documents: their stored bytes re-hashed -------------------------------------------

_document_checks: list[Callable[[], Iterable[str]]] = []


def register_document_check(check: Callable[[], Iterable[str]]) -> None:
    """Add a check run by `verify_documents` (a higher layer's frozen documents: decisions,
    records, reports, captures, evidence files); it yields one line per mismatch. Called by
    app.create_app; registering the same function twice keeps one."""
    if check not in _document_checks:
        _document_checks.append(check)


def verify_documents() -> list[str]:
    """Every registered check's findings: stored bytes that no longer match their SHA-256."""
    return [problem for check in _document_checks for problem in check()]


def content_matches(data: bytes | None, stored_sha256: str | None, obj: Sealed | None = None,
                    *, what: str = "document") -> bool:
    """Whether a frozen document may be served: its bytes hash to the stored SHA-256 and,
    for a `Sealed` row, the seal holds (the stored hash itself was not replaced). A mismatch
    is logged as an error naming `what`."""
    found = hashlib.sha256(data or b"").hexdigest()
    ok = stored_sha256 is not None and hmac.compare_digest(found, stored_sha256)
    if ok and obj is not None and obj.seal is not None:
        ok = seal_intact(obj)
    if not ok:
        broken = obj is not None and obj.seal is not None and not seal_intact(obj)
        current_app.logger.error(
            "refusing to serve %s: stored SHA-256 %s, content hashes to %s%s", what,
            stored_sha256, found, " (its seal is broken)" if broken else "")
    return ok
