"""Reminder e-mails before, at and after each open legal deadline, and the daily digest.

The planner turns open deadlines into outbox rows keyed (deadline, recipient, kind, date):
running it any number of times, in any number of processes, plans each reminder once (the
unique key: `core.bulk.insert_new` skips a key already taken, as INSERT … ON CONFLICT DO
NOTHING would). What is due is computed from *today*,
so a planner that was down for days sends one catch-up reminder per deadline, not one per
missed day. A moved deadline gets new keys; `deadlines.store` cancels the old pending rows.
Who is reminded comes from the owners' descriptions (`deadlines.owners`).

Schedule (working days on the calendar with the administrator's overrides):
- the case's inspector, unless they chose the digest: N working days before for each of
  their offsets (default 3 and 1; only the latest one due is sent), on the day, then every
  working day while overdue;
- the case's supervisor (or every supervisor): once the deadline is 2 working days
  overdue — always, whatever their settings (escalation cannot be switched off).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import ARRAY, Integer, any_, func, literal, null, or_, select
from sqlalchemy.orm import selectinload

from auth.models import ReminderMode, Role, User
from core import bulk, mail
from core.calendar import working_calendar
from core.clock import clock
from core.models import Notification, NotificationStatus
from deadlines.mail import ReminderText
from deadlines.models import Deadline, DeadlineState, still_due
from deadlines.owners import owner_of, owners
from extensions import db
from legal.calendar import WorkingCalendar
from legal.dates import format_date_vn
from legal.deadlines import RULES
from legal.text import fold

MAX_OFFSET = 20  # working days; user offsets are capped to this
ESCALATE_AFTER = 2  # working days overdue before the supervisor is told
DIGEST_DAYS = 7  # calendar days ahead listed in a digest


def days_left_text(days_left: int) -> str:
    """"còn 3 ngày", "đến hạn hôm nay" or "quá hạn 2 ngày" (calendar days)."""
    if days_left > 0:
        return f"còn {days_left} ngày"
    if days_left == 0:
        return "đến hạn hôm nay"
    return f"quá hạn {-days_left} ngày"


def reminder_subject(deadline: Deadline, today: date) -> str:
    """The Vietnamese subject line, e.g.
    "[VV-2014-0007] Thời hạn ra quyết định xử phạt: hạn 21/11/2014 (còn 3 ngày)" (a case),
    "[tintuckinhbac.vn] Giấy phép hết hạn: …" (a site), "[Báo cáo 6 tháng …] …" (a report)."""
    left = days_left_text(deadline.days_left(today))
    return (f"[{deadline.owner_label}] {deadline.rule.name_vi}: hạn "
            f"{format_date_vn(deadline.due_on)} ({left})")


def inspector_reminder(due: date, today: date, offsets: Iterable[int],
                       cal: WorkingCalendar) -> tuple[str, date] | None:
    """(kind, planned date) of the reminder due `today` for a deadline `due`, or None.

    Before the deadline: the latest of the offsets' planned dates (N working days before)
    that has come — so a missed day is caught up once, never twice. On the day: "due".
    After: "overdue", planned today, on working days (one a day)."""
    if today > due:
        return ("overdue", today) if cal.is_working_day(today) else None
    if today == due:
        return "due", due
    planned = [(cal.sub_working_days(due, n), n) for n in offsets]
    reached = [(day, n) for day, n in planned if day <= today]
    if not reached:
        return None
    day, n = max(reached)
    return f"before_{n}", day


@dataclass
class _Planned:
    key: str
    kind: str
    user_id: int
    deadline_id: int


def plan_reminders(today: date | None = None) -> int:
    """Queue the reminders due today for every open deadline of an open case (see the module
    docstring). Returns the number of rows queued. Flushes; the caller commits.

    Reads the candidates as plain rows (no ORM objects), compares with the marks the last
    cycle left on each deadline, and renders only what is new: a cycle with nothing to send
    costs a fixed handful of queries whatever the number of cases.
    """
    today = today or clock().today()
    cal = working_calendar()
    horizon = cal.add_working_days(today, MAX_OFFSET)
    # by id: the e-mails of one deadline to several people go out in a stable order
    users = {u.id: u for u in db.session.scalars(
        select(User).where(User.active.is_(True)).order_by(User.id))}
    supervisors = [u for u in users.values() if u.role == Role.supervisor]
    kinds = owners()
    rows = db.session.execute(_candidates(kinds).where(
        Deadline.state == DeadlineState.open, Deadline.due_on <= horizon,
        still_due(today))).all()
    reminder_at = _memo(lambda due, offsets: inspector_reminder(due, today, offsets, cal))
    escalate_from = _memo(lambda due: cal.add_working_days(due, ESCALATE_AFTER))
    planned: list[_Planned] = []
    marks: list[dict] = []
    for d_id, due, reminded, escalated, inspector_id, supervisor_id, *keys in rows:
        mark = {}
        owner = next((o for o, key in zip(kinds, keys, strict=True) if key is not None), None)
        escalates = owner is not None and owner.escalates
        # a case's inspector; for a site its follower; otherwise (reports, sites nobody
        # follows) every supervisor, with their own settings
        responsible = [users[inspector_id]] if inspector_id in users else (
            [] if escalates else supervisors)
        for person in responsible:
            if person.reminder_mode == ReminderMode.digest:
                continue
            found = reminder_at(due, tuple(person.offsets))
            if found:
                kind, day = found
                stem = f"deadline:{d_id}:{kind}:{day.isoformat()}"
                if stem != reminded:
                    planned.append(_Planned(f"{stem}:{person.id}", kind, person.id, d_id))
                    mark["reminded_key"] = stem
        if escalates and today >= escalate_from(due):
            stem = f"deadline:{d_id}:escalation:{due.isoformat()}"
            if stem != escalated:
                boss = users.get(supervisor_id)
                bosses = [boss] if boss is not None else supervisors
                planned += [_Planned(f"{stem}:{b.id}", "escalation", b.id, d_id)
                            for b in bosses if b.id != inspector_id]
                mark["escalated_key"] = stem
        if mark:
            marks.append({"id": d_id, "reminded_key": mark.get("reminded_key", reminded),
                          "escalated_key": mark.get("escalated_key", escalated)})
    queued = _insert(planned, users, today)
    bulk.update_rows(Deadline.__table__, marks)
    return queued


def _first(columns: list):
    """The first non-null of `columns` in SQL (NULL when there is none)."""
    if not columns:
        return null()
    return columns[0] if len(columns) == 1 else func.coalesce(*columns)


def _candidates(kinds):
    """SELECT id, due_on, reminded_key, escalated_key, inspector id, supervisor id, then one
    foreign key per owner kind, for deadlines whose owner is still open."""
    stmt = select(Deadline.id, Deadline.due_on, Deadline.reminded_key, Deadline.escalated_key,
                  _first([o.inspector for o in kinds if o.inspector is not None]),
                  _first([o.supervisor for o in kinds if o.supervisor is not None]),
                  *[o.fk for o in kinds])
    for o in kinds:
        if o.inspector is not None or o.supervisor is not None or o.open is not None:
            stmt = stmt.outerjoin(o.model, o.fk == o.model.id)
        if o.open is not None:
            stmt = stmt.where(or_(o.fk.is_(None), o.open))
    return stmt


def _memo(fn):
    cache: dict = {}

    def wrapped(*args):
        if args not in cache:
            cache[args] = fn(*args)
        return cache[args]

    return wrapped


def _details(ids: list[int]):
    """The columns the e-mails show for the deadlines `ids`, as plain rows (no ORM objects:
    a catch-up cycle reads tens of thousands): id, case_id, rule_code, due_on, legal_basis,
    scope, then per owner kind its foreign key, label, about and inspector's name."""
    kinds = owners()
    stmt = select(Deadline.id, Deadline.case_id, Deadline.rule_code, Deadline.due_on,
                  Deadline.legal_basis, Deadline.scope)
    for o in kinds:
        stmt = stmt.outerjoin(o.model, o.fk == o.model.id)
        for target, on in o.joins():
            stmt = stmt.outerjoin(target, on)
        stmt = stmt.add_columns(o.fk, o.label, o.about,
                                o.inspector_name if o.inspector_name is not None else null())
    # PostgreSQL: one array parameter, not tens of thousands of IN (…) placeholders that
    # SQLAlchemy and psycopg would compile and parse
    if db.session.get_bind().dialect.name == "postgresql":
        return db.session.execute(stmt.where(Deadline.id == any_(literal(ids, ARRAY(Integer)))))
    return db.session.execute(stmt.where(Deadline.id.in_(ids)))


# the outbox's columns the planner writes, in the order of `_insert`'s rows
_COLUMNS = ["key", "kind", "deadline_id", "case_id", "recipient_id", "recipient_email",
            "subject", "body_text", "body_html", "status", "attempts", "created_at",
            "send_after", "search_text"]


def _insert(planned: list[_Planned], users: dict[int, User], today: date) -> int:
    """Write the outbox rows of `planned` not written yet; returns how many were written.

    The keys already in the outbox are left out first (one query), then the rows are made
    one by one while the database writes the previous ones (`core.bulk.insert_new`: COPY on
    PostgreSQL; a key taken meanwhile by a concurrent planner is skipped, as with
    ``INSERT … ON CONFLICT DO NOTHING``)."""
    if not planned:
        return 0
    done = bulk.taken(Notification.__table__.c.key, [p.key for p in planned])
    planned = [p for p in planned if p.key not in done]
    if not planned:
        return 0
    kinds = owners()
    base_url = current_app.config["BASE_URL"].rstrip("/")
    by_owner: dict[int, list] = {}  # owner kind → [(deadline id, rule code, owner id)]
    shown = {}  # deadline id → (case id, label, about, inspector, url, rule code, due on, basis)
    for d_id, case_id, rule_code, due_on, basis, scope, *owned in _details(
            sorted({p.deadline_id for p in planned})):
        label, about, inspector, url = scope, scope, "", base_url
        for i, o in enumerate(kinds):
            owner_id, o_label, o_about, o_inspector = owned[4 * i:4 * i + 4]
            if owner_id is not None:
                label, about = o_label, o_about
                inspector, url = o_inspector or "", base_url + o.path(owner_id)
                by_owner.setdefault(i, []).append((d_id, rule_code, owner_id))
                break
        shown[d_id] = (case_id, label, about, inspector, url, rule_code, due_on, basis)
    money = {}
    for i, rows in by_owner.items():
        if kinds[i].money is not None:
            money.update(kinds[i].money(rows, today))

    def text_of(d_id: int) -> tuple:
        """(case id, subject, subject folded, ReminderText) of the deadline `d_id`."""
        case_id, label, about, inspector, url, rule_code, due_on, basis = shown[d_id]
        rule_name, due, left = (RULES[rule_code].name_vi, _date_vn(due_on),
                                days_left_text((due_on - today).days))
        return (
            case_id, f"[{label}] {rule_name}: hạn {due} ({left})",  # as `reminder_subject`
            f"[{fold(label)}] {_fold(rule_name)}: han {due} ({_fold(left)})",
            ReminderText(code=label, subject_name=about, inspector=inspector,
                         rule_name=rule_name, due=due, left=left, basis=basis, url=url,
                         money=money.get(d_id)))

    # plain values: nothing below reads the database while the rows are copied
    people = {u.id: (u.email, u.full_name, fold(u.email)) for u in users.values()}
    now = clock().now()

    def rows():
        # each deadline's shared text is made on its first row, while the database writes
        # the rows before it (a catch-up's tenth of a second no longer waits in front)
        texts = {}
        for p in planned:
            email, name, email_folded = people[p.user_id]
            text = texts.get(p.deadline_id)
            if text is None:
                text = texts[p.deadline_id] = text_of(p.deadline_id)
            case_id, subject, subject_folded, text = text
            body_text, body_html = text.bodies(p.kind, name)
            # the search text is `notification_search_text(email, subject)`: folding
            # works letter by letter, so the subject's parts are folded apart (the rule's
            # name and the days left once per cycle)
            yield (p.key, f"reminder_{p.kind}", p.deadline_id, case_id, p.user_id, email,
                   subject, body_text, body_html, NotificationStatus.pending.value, 0, now,
                   now, f"{email_folded} {subject_folded}")

    return bulk.insert_new(Notification.__table__, _COLUMNS, rows(), ["key"])


def _url(deadline: Deadline, base_url: str) -> str:
    """The page of the deadline's owner."""
    owner = owner_of(deadline)
    if owner is None:
        return base_url
    return base_url + owner.path(getattr(deadline, owner.fk.key))


_date_vn = lru_cache(maxsize=4096)(format_date_vn)
_fold = lru_cache(maxsize=4096)(fold)


def plan_digests(today: date | None = None) -> int:
    """Queue today's digest for every active user who chose it and has deadlines: one e-mail
    listing the open deadlines of their cases due within `DIGEST_DAYS` days, overdue first.
    Keyed (digest, user, date): once a day whatever happens. Returns rows queued."""
    today = today or clock().today()
    users = db.session.scalars(select(User).where(User.reminder_mode == ReminderMode.digest,
                                                  User.active.is_(True))
                               .order_by(User.id)).all()
    queued = 0
    base_url = current_app.config["BASE_URL"].rstrip("/")
    listed = [o for o in owners() if o.digest]
    if not listed:
        return 0
    for user in users:
        stmt = (select(Deadline)
                .where(Deadline.state == DeadlineState.open, still_due(today),
                       Deadline.due_on <= today + timedelta(days=DIGEST_DAYS))
                .order_by(Deadline.due_on, Deadline.id))
        for o in listed:
            stmt = stmt.join(o.model, o.fk == o.model.id).options(
                selectinload(getattr(Deadline, o.relation)))
            if o.open is not None:
                stmt = stmt.where(o.open)
            if user.role != Role.supervisor:
                stmt = stmt.where(o.inspector == user.id)
        items = db.session.scalars(stmt).all()
        if not items:
            continue
        overdue = sum(1 for d in items if d.due_on < today)
        subject = (f"Tổng hợp thời hạn ngày {format_date_vn(today)}: {len(items)} thời hạn"
                   + (f" ({overdue} quá hạn)" if overdue else ""))
        rows = [{"deadline": d, "case": d.case, "due": format_date_vn(d.due_on),
                 "left": days_left_text(d.days_left(today)),
                 "url": _url(d, base_url)} for d in items]
        with force_locale("vi"):
            text = render_template("email/digest.txt", user=user, rows=rows,
                                   today=format_date_vn(today))
            html = render_template("email/digest.html", user=user, rows=rows,
                                   today=format_date_vn(today))
        if mail.queue(key=f"digest:{user.id}:{today.isoformat()}", kind="digest",
                      recipient=user, subject=subject, body_text=text, body_html=html):
            queued += 1
    return queued
