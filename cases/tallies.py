"""The department's case counts kept beside the cases (`CaseStateCount`, `CaseDayCount`),
changed in the same flush, hence the same transaction, as the cases they count.

Every change of a case goes through an operation and the ORM's unit of work: a listener on
every session's flush (`install`) reads what each new, changed or deleted case was and is
(its state, `detected_on`, `closed_on`: columns with `active_history`, so the old value is
known even when it had expired) and adds the differences to the counts with one
`INSERT … ON CONFLICT DO UPDATE SET n = n + :d` per row, states then days, each in order
(two flushes never take the same rows in opposite orders). A count row is locked from that
statement to the COMMIT. Before its first count the flush takes the audit trail's head row
(`core.audit.lock_head`'s lock), which every writing transaction takes anyway for its audit
events and keeps to its end: whoever holds a count row holds the head, so transactions that
change counts queue one behind the other on the head and never wait for each other's count
rows — no deadlock, whatever order their flushes and audit events come in
(tests/test_case_tallies.py makes the order that deadlocked without it). Writers were
already serialised by the head; the counts add no waiting of their own.

Only a write that bypasses the unit of work (an ORM bulk insert, Core or SQL: the
benchmarks' generators) must call `recount()` after it. `recount()` is also how a test
proves the kept counts right: they must equal a fresh count of the table.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import event, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, attributes
from sqlalchemy.sql import Select

from cases.models import Case, CaseDayCount, CaseStateCount
from core.models import AuditHead
from extensions import db

_COUNTED = ("state", "detected_on", "closed_on")


def _before_after(case: Case, new: bool, deleted: bool) -> tuple[tuple | None, tuple | None]:
    """((state, detected_on, closed_on) before the flush or None, the same after or None)."""
    after = None if deleted else tuple(getattr(case, name) for name in _COUNTED)
    if new:
        return None, after
    before = []
    for name in _COUNTED:
        history = attributes.get_history(case, name)
        if history.has_changes():  # changed: what it was (nothing listed: it was NULL)
            before.append(history.deleted[0] if history.deleted else None)
        else:
            before.append(getattr(case, name))
    return tuple(before), after


def _changes(session: Session) -> tuple[Counter, Counter, Counter]:
    """(state → Δn, day → Δdetected, day → Δclosed) of the cases this flush writes."""
    states, detected, closed = Counter(), Counter(), Counter()
    for objects, new, deleted in ((session.new, True, False), (session.dirty, False, False),
                                  (session.deleted, False, True)):
        for case in objects:
            if not isinstance(case, Case):
                continue
            before, after = _before_after(case, new, deleted)
            for values, sign in ((before, -1), (after, 1)):
                if values is None:
                    continue
                state, detected_on, closed_on = values
                states[str(state)] += sign
                if detected_on is not None:
                    detected[detected_on] += sign
                if closed_on is not None:
                    closed[closed_on] += sign
    return states, detected, closed


def _upsert(connection, table, key: str, values: dict, deltas: dict) -> None:
    """INSERT the row or add `deltas` ({column: Δ}) to it, in one statement."""
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(table).values(**values)
    stmt = stmt.on_conflict_do_update(
        index_elements=[key],
        set_={column: getattr(table.c, column) + delta for column, delta in deltas.items()})
    connection.execute(stmt)


def _after_flush(session: Session, _context) -> None:
    states, detected, closed = _changes(session)
    states = {s: d for s, d in states.items() if d}
    days = {day: (detected.get(day, 0), closed.get(day, 0))
            for day in set(detected) | set(closed)}
    days = {day: d for day, d in days.items() if any(d)}
    if not states and not days:
        return
    connection = session.connection()
    # the audit trail's head first (see the module's docstring): no deadlock on the counts
    connection.execute(update(AuditHead).where(AuditHead.id == 1)
                       .values(count=AuditHead.count + 0))
    state_table, day_table = CaseStateCount.__table__, CaseDayCount.__table__
    for state in sorted(states):
        _upsert(connection, state_table, "state", {"state": state, "n": states[state]},
                {"n": states[state]})
    for day in sorted(days):
        d_detected, d_closed = days[day]
        _upsert(connection, day_table, "day",
                {"day": day, "detected": d_detected, "closed": d_closed},
                {"detected": d_detected, "closed": d_closed})


def install() -> None:
    """Keep the counts on every flush of any session (idempotent; `app.create_app`)."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)


def recount() -> None:
    """Count the cases table afresh into the kept counts (after a write that bypassed the
    unit of work). The caller commits."""
    states, days = fresh_counts()
    db.session.execute(CaseStateCount.__table__.delete())
    db.session.execute(CaseDayCount.__table__.delete())
    if states:
        db.session.execute(CaseStateCount.__table__.insert(),
                           [{"state": s, "n": n} for s, n in sorted(states.items())])
    if days:
        db.session.execute(CaseDayCount.__table__.insert(),
                           [{"day": day, "detected": d, "closed": c}
                            for day, (d, c) in sorted(days.items())])


def fresh_counts() -> tuple[dict[str, int], dict[date, tuple[int, int]]]:
    """(state → cases, day → (detected, closed)) counted from the cases table now: what the
    kept counts must hold (tests, checks)."""
    states = dict(db.session.execute(select(Case.state, func.count())
                                     .group_by(Case.state)).all())
    detected = dict(db.session.execute(select(Case.detected_on, func.count())
                                       .group_by(Case.detected_on)).all())
    closed = dict(db.session.execute(select(Case.closed_on, func.count())
                                     .where(Case.closed_on.is_not(None))
                                     .group_by(Case.closed_on)).all())
    days = {day: (detected.get(day, 0), closed.get(day, 0))
            for day in set(detected) | set(closed)}
    return states, days


def kept_counts() -> tuple[dict[str, int], dict[date, tuple[int, int]]]:
    """The kept counts in the shape of `fresh_counts()`, rows at zero left out."""
    states = {s: n for s, n in db.session.execute(
        select(CaseStateCount.state, CaseStateCount.n)).all() if n}
    days = {day: (d, c) for day, d, c in db.session.execute(
        select(CaseDayCount.day, CaseDayCount.detected, CaseDayCount.closed)).all()
        if d or c}
    return states, days


def cases_in(states: list[str] | None = None) -> Select:
    """A select of how many cases are in `states` (None: every case), from the kept counts:
    a table of a row per state, whatever the number of cases."""
    stmt = select(func.coalesce(func.sum(CaseStateCount.n), 0))
    if states is not None:
        stmt = stmt.where(CaseStateCount.state.in_(states))
    return stmt
