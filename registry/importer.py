"""Importing the registry from a spreadsheet: preview first, then one transaction."""

from __future__ import annotations

import secrets
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from auth.permissions import has_permission
from core import audit
from core.clock import clock
from core.enums import Choice
from core.errors import NotAllowed, OperationError
from extensions import db
from registry import operations
from registry.models import ImportBatch, RegistryStatus, Site
from registry.reading import ImportError_, read_rows
from registry.spreadsheet import DATES, check_row

COMPARED = ("name", "kind", "status", "operator_kind", "operator_name", "operator_address",
            "operator_tax_id", "licence_number", "licence_issuer", "licence_issued_on",
            "licence_expires_on", "district", "notes")


class ImportOutcome(Choice):
    """What confirming an import would do to one row."""

    new = "new", _l("New")
    update = "update", _l("Update")
    unchanged = "unchanged", _l("Unchanged")
    error = "error", _l("Error")


def _jsonable(data: dict) -> dict:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in data.items()}


def _from_json(data: dict) -> dict:
    return {k: date.fromisoformat(v) if k in DATES and v else v for k, v in data.items()}


def preview(user, filename: str, content: bytes) -> ImportBatch:
    """Read the file and record every row's outcome — "new", "update", "unchanged" or
    "error" with its line and message — in an ImportBatch; the registry is not touched.
    For a domain already in the registry an empty cell keeps the stored value.
    Raises NotAllowed, or OperationError when the file cannot be read."""
    if not has_permission(user, "site.edit"):
        raise NotAllowed(_("You are not allowed to do this."))
    try:
        rows = read_rows(filename, content)
    except ImportError_ as exc:
        raise OperationError(str(exc), "file") from exc
    domains = {d: s for d, s in db.session.execute(select(Site.domain, Site))}
    seen: dict[str, int] = {}
    out = []
    for line, values in rows:
        data, problems = check_row(values)
        if data is not None and data["domain"] in seen:
            problems = [_("the domain repeats line %(line)d", line=seen[data["domain"]])]
            data = None
        if data is None:
            out.append({"line": line, "outcome": ImportOutcome.error,
                        "message": "; ".join(problems), "domain": values.get("domain", ""),
                        "name": values.get("name", "")})
            continue
        seen[data["domain"]] = line
        existing = domains.get(data["domain"])
        if existing is None:
            outcome, changes = ImportOutcome.new, []
        else:
            # an empty cell keeps what the registry holds: a short list updating a few
            # columns must not erase licences, addresses or districts it does not mention
            for f in COMPARED:
                if not str(values.get(f) or "").strip() and getattr(existing, f) is not None:
                    data[f] = getattr(existing, f)
            changes = [f for f in COMPARED if getattr(existing, f) != data[f]]
            outcome = ImportOutcome.update if changes else ImportOutcome.unchanged
        if data["status"] == RegistryStatus.licensed and not data["licence_number"]:
            out.append({"line": line, "outcome": ImportOutcome.error, "domain": data["domain"],
                        "name": data["name"],
                        "message": _("a licensed site needs its licence number")})
            continue
        out.append({"line": line, "outcome": outcome, "domain": data["domain"],
                    "name": data["name"], "changes": changes, "data": _jsonable(data),
                    "site_id": existing.id if existing else None})
    batch = ImportBatch(token=secrets.token_urlsafe(24), user_id=user.id,
                        filename=filename[:255], rows=out, created_at=clock().now())
    db.session.add(batch)
    db.session.flush()
    return batch


def apply(user, batch: ImportBatch) -> dict[str, int]:
    """Apply a previewed file: every new and changed row, in the caller's one transaction
    (the caller commits, or rolls back everything on an error). Rows in error are skipped —
    the preview listed them. Returns counts by outcome. Raises NotAllowed or OperationError
    (already applied, or the registry changed since the preview)."""
    if not has_permission(user, "site.edit") or batch.user_id != user.id:
        raise NotAllowed(_("You are not allowed to do this."))
    if batch.applied_at is not None:
        raise OperationError(_("This file was already imported."))
    counts = {outcome: 0 for outcome in ImportOutcome}
    reason = _("Imported from %(file)s", file=batch.filename)
    for row in batch.rows:
        counts[row["outcome"]] += 1
    changed_since = OperationError(_("The registry changed since the preview; upload the "
                                     "file again."))
    updates = [row for row in batch.rows if row["outcome"] == ImportOutcome.update]
    if updates:
        ids = [row["site_id"] for row in updates]
        sites = {site.id: site for chunk in operations.chunks(ids)
                 for site in db.session.scalars(select(Site).where(Site.id.in_(chunk)))}
        changes = []
        for row in updates:
            site = sites.get(row["site_id"])
            if site is None or site.domain != row["domain"]:
                raise changed_since
            changes.append((site, {**{f: getattr(site, f) for f in operations.SITE_FIELDS},
                                   **_from_json(row["data"])}))
        operations.update_sites(user, changes, reason)
    new = [_from_json(row["data"]) for row in batch.rows if row["outcome"] == ImportOutcome.new]
    if new:
        try:
            operations.create_sites(user, new, reason)
        except operations.DuplicateDomain as exc:
            raise changed_since from exc
    batch.applied_at = clock().now()
    audit.record(user, "site.imported", batch, after=counts, note=batch.filename)
    return counts
