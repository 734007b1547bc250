"""Registry operations: add and correct sites, record the reports owed to the Ministry
(audited)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from auth.permissions import has_permission
from core import audit, bulk
from core.clock import clock
from core.collation import sort_key
from core.errors import NotAllowed, OperationError
from core.input import to_int
from deadlines.models import Deadline
from deadlines.store import store_new
from extensions import db
from registry.deadlines import (
    LICENCE_COLUMNS,
    ensure_semiannual,
    licence_deadlines,
    recompute_report,
    recompute_site,
)
from registry.models import (
    ObligationKind,
    OperatorKind,
    ReportObligation,
    Site,
    SiteStatusChange,
    search_text,
)

SITE_FIELDS = ("kind", "name", "domain", "url", "status", "operator_kind", "operator_name",
               "operator_address", "operator_tax_id", "licence_number", "licence_issuer",
               "licence_issued_on", "licence_expires_on", "district", "notes",
               "licence_scope", "launched_on", "other_urls", "operator_contact",
               "content_manager", "hosted_in_vietnam", "inspector_id")


class DuplicateDomain(OperationError):
    """The domain is already in the registry; `site` is the entry that has it."""

    def __init__(self, message: str, site: Site):
        super().__init__(message, "domain")
        self.site = site


def _check_unique(domain: str, site_id: int | None) -> None:
    other = db.session.scalar(select(Site).where(Site.domain == domain))
    if other is not None and other.id != site_id:
        raise DuplicateDomain(
            _("%(domain)s is already in the registry as «%(name)s».", domain=domain,
              name=other.name), other)


def _status_change(user, site: Site, old: str | None, reason: str | None) -> None:
    """A line of the site's status history when its status changed."""
    if old != site.status:
        site.history.append(SiteStatusChange(old_status=old, new_status=site.status,
                                             reason=reason, changed_by_id=getattr(user, "id", None),
                                             changed_at=clock().now()))


def _require_edit(user) -> None:
    if not has_permission(user, "site.edit"):
        raise NotAllowed(_("You are not allowed to do this."))


def create_site(user, data: dict, reason: str | None = None) -> Site:
    """Add a registry entry; one site per normalised domain (an operator None or "" is
    stored "": not identified yet). Its first status goes into its
    history and its licence deadlines are computed. Raises NotAllowed or OperationError
    (DuplicateDomain)."""
    return db.session.get(Site, create_sites(user, [data], reason)[0])


def create_sites(user, rows: list[dict], reason: str | None = None) -> list[int]:
    """Add many registry entries at once (an import): as `create_site` for each — the
    site, its first status line, its audit event ("site.created", chained as every other)
    and its licence deadlines — written without ORM objects: the ids are taken first and
    each table gets one executemany (`core.bulk`; the same code on SQLite and PostgreSQL).
    10 000 rows take a few seconds (BENCHMARKS.md, "Registry import"). Returns the new
    sites' ids, in the order of `rows`; the sites are not in the session. Raises
    NotAllowed, or DuplicateDomain for the first domain already in the registry, or
    OperationError for a domain repeated in `rows`."""
    _require_edit(user)
    seen: set[str] = set()
    for data in rows:
        if data["domain"] in seen:
            raise OperationError(_("%(domain)s appears twice.", domain=data["domain"]),
                                 "domain")
        seen.add(data["domain"])
    for chunk in chunks(sorted(seen)):
        other = db.session.scalars(select(Site).where(Site.domain.in_(chunk))).first()
        if other is not None:
            _check_unique(other.domain, None)
    if not rows:
        return []
    now = clock().now()
    user_id = getattr(user, "id", None)
    # the audit head's lock first: on SQLite it is the write lock `take_ids` needs
    audit.lock_head()
    ids = bulk.take_ids(Site.__table__, len(rows))
    sites, history, events, owners = [], [], [], []
    wanted: dict[tuple, dict] = {}  # the same licence dates give the same deadlines
    for site_id, data in zip(ids, rows, strict=True):
        site = {name: data.get(name) for name in SITE_FIELDS}
        site["operator_name"] = site["operator_name"] or ""  # not identified yet
        site["operator_kind"] = site["operator_kind"] or OperatorKind.organisation
        site.update(id=site_id, created_at=now, updated_at=now, version=1,
                    name_key=sort_key(site["name"]), district_key=sort_key(site["district"]),
                    search_text=search_text(site))
        sites.append(site)
        history.append({"site_id": site_id, "old_status": None, "new_status": site["status"],
                        "reason": reason, "changed_by_id": user_id, "changed_at": now})
        events.append(audit.Row("site.created", Site.__name__, str(site_id),
                                after={"domain": site["domain"], "status": site["status"]}))
        dates = tuple(site[name] for name in LICENCE_COLUMNS)
        if dates not in wanted:
            wanted[dates] = licence_deadlines(site)
        owners.append((f"site:{site_id}", wanted[dates], {"site_id": site_id}))
    bulk.insert_rows(Site.__table__, sites)
    bulk.insert_rows(SiteStatusChange.__table__, history)
    audit.record_rows(user, events)
    store_new(owners)
    return ids


def update_site(user, site: Site, data: dict, reason: str | None = None) -> Site:
    """Correct a registry entry. A status change goes into the site's history with its
    reason (required); every change into the audit trail; the licence deadlines follow.
    Raises NotAllowed or OperationError (DuplicateDomain, a status change without reason)."""
    update_sites(user, [(site, data)], reason)
    return site


def update_sites(user, changes: list[tuple[Site, dict]], reason: str | None = None) -> None:
    """Correct many registry entries at once (an import): as `update_site` for each, with
    the deadlines of all read in one query. Raises NotAllowed or OperationError."""
    _require_edit(user)
    entries = []
    for site, data in changes:
        if data["domain"] != site.domain:
            _check_unique(data["domain"], site.id)
        if data.get("status") != site.status and not (reason and reason.strip()):
            raise OperationError(_("Give the reason for the change of status."),
                                 "status_reason")
        old_status = site.status
        before = {name: str(getattr(site, name)) for name in SITE_FIELDS}
        for name in SITE_FIELDS:
            setattr(site, name, data.get(name))
        site.operator_name = site.operator_name or ""  # not identified yet
        site.updated_at = clock().now()
        site.refresh_search_text()
        after = {name: str(getattr(site, name)) for name in SITE_FIELDS}
        changed = [k for k in after if after[k] != before[k]]
        _status_change(user, site, old_status, reason)
        entries.append(audit.Entry("site.updated", site, before={k: before[k] for k in changed},
                                   after={k: after[k] for k in changed}, note=reason))
    audit.record_many(user, entries)
    existing: dict[int, dict[str, Deadline]] = {site.id: {} for site, _data in changes}
    for chunk in chunks(list(existing)):
        for row in db.session.scalars(select(Deadline).where(Deadline.site_id.in_(chunk),
                                                             Deadline.scope.like("site:%"))):
            existing[row.site_id][row.key] = row
    for site, _data in changes:
        recompute_site(site, existing[site.id], flush=False)
    db.session.flush()


def chunks(values: list, size: int = 900):
    """`values` in slices small enough for one IN (…) on every database."""
    for i in range(0, len(values), size):
        yield values[i:i + size]


def add_obligation(user, data: dict) -> ReportObligation:
    """Record a one-off report the Ministry asks for: `data` has title, basis, period_start,
    period_end, due_on (dates); its deadline and reminders follow. Audited; flushes. Raises
    NotAllowed without the "report.manage" permission."""
    if not has_permission(user, "report.manage"):
        raise NotAllowed(_("You are not allowed to do this."))
    row = ReportObligation(kind=ObligationKind.one_off, title=data["title"],
                           basis=data["basis"], period_start=data["period_start"],
                           period_end=data["period_end"], due_on=data["due_on"],
                           created_at=clock().now())
    db.session.add(row)
    db.session.flush()
    recompute_report(row)
    audit.record(user, "report.obligation_added", row,
                 after={"title": row.title, "due": row.due_on.isoformat()})
    return row


NEXT_SEMIANNUAL = "semiannual"  # the report form's value for the six-monthly report not stored yet


def obligation_for_report(user, value: str | None) -> ReportObligation | None:
    """The obligation a report is issued for, from the report form's value: a stored
    obligation's id, `NEXT_SEMIANNUAL` (stored now, with its deadline), or empty (none).
    Raises OperationError for an unknown id."""
    if not value:
        return None
    if value == NEXT_SEMIANNUAL:
        return ensure_semiannual()
    obligation_id = to_int(value)
    row = db.session.get(ReportObligation, obligation_id) if obligation_id else None
    if row is None:
        raise OperationError(_("Choose a report from the list."), "obligation_id")
    return row
