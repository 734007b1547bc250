"""Importing the registry from a spreadsheet: preview first, then one transaction."""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from auth.permissions import has_permission
from core import audit
from core.clock import clock
from core.enums import Choice
from core.errors import NotAllowed, OperationError
from core.uploads import safe_filename
from extensions import db
from registry import operations
from registry.domains import display_domain, normalize_domain
from registry.models import ImportBatch, Site
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


class ChangedSince(OperationError):
    """Entries of the file changed in the registry after the preview; `rows` lists their
    (line, domain)."""

    def __init__(self, rows: list[tuple[int, str]]):
        listed = ", ".join(_("line %(line)d (%(domain)s)", line=line, domain=display_domain(d))
                           for line, d in rows[:20]) + (" …" if len(rows) > 20 else "")
        super().__init__(_("Since the preview, someone changed the registry entries of these "
                           "rows: %(rows)s. Nothing was imported; upload the file again to "
                           "compare it with the registry as it is now.", rows=listed))
        self.rows = rows


def preview(user, filename: str, content: bytes) -> ImportBatch:
    """Read the file and record every row's outcome — "new", "update", "unchanged" or
    "error" with its line and message — in an ImportBatch; the registry is not touched.
    For a domain already in the registry a column the file lacks, or an empty cell, keeps
    the stored value; the row keeps the entry's version, so that confirming never reverts
    a later edit (see `apply`). Raises NotAllowed, or OperationError when the file cannot
    be read."""
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
        try:
            existing = domains.get(normalize_domain(values.get("domain", "")))
        except ValueError:
            existing = None
        data, problems = check_row(values, existing)
        if data is not None and data["domain"] in seen:
            problems = [_("the domain repeats line %(line)d", line=seen[data["domain"]])]
            data = None
        if data is None:
            out.append({"line": line, "outcome": ImportOutcome.error,
                        "message": "; ".join(problems), "domain": values.get("domain", ""),
                        "name": values.get("name", "")})
            continue
        seen[data["domain"]] = line
        if existing is None:
            outcome, changes = ImportOutcome.new, []
        else:
            changes = [f for f in COMPARED if f in data and getattr(existing, f) != data[f]]
            outcome = ImportOutcome.update if changes else ImportOutcome.unchanged
        out.append({"line": line, "outcome": outcome, "domain": data["domain"],
                    "name": data.get("name") or existing.name, "changes": changes,
                    "data": _jsonable(data), "site_id": existing.id if existing else None,
                    "version": existing.version if existing else None})
    batch = ImportBatch(token=secrets.token_urlsafe(24), user_id=user.id,
                        filename=safe_filename(filename), rows=out, created_at=clock().now())
    db.session.add(batch)
    db.session.flush()
    return batch


def apply(user, batch: ImportBatch) -> tuple[dict[str, int], bool]:
    """Apply a previewed file: every new and changed row, in the caller's one transaction
    (the caller commits, or rolls back everything on an error). Rows in error are skipped —
    the preview listed them. An update writes only the columns its row sets.

    Returns (counts by outcome, applied now). A batch already applied — a second click, or
    two clicks at once: the batch row is locked, so the second waits for the first — is not
    applied again: its counts come back with False. Raises NotAllowed, or ChangedSince
    naming the rows whose entry was saved (or whose domain was added) after the preview."""
    if not has_permission(user, "site.edit") or batch.user_id != user.id:
        raise NotAllowed(_("You are not allowed to do this."))
    db.session.refresh(batch, with_for_update=True)
    counts = {outcome: 0 for outcome in ImportOutcome}
    for row in batch.rows:
        counts[row["outcome"]] += 1
    if batch.applied_at is not None:
        return counts, False
    reason = _("Imported from %(file)s", file=batch.filename)
    updates = [row for row in batch.rows if row["outcome"] == ImportOutcome.update]
    new = [row for row in batch.rows if row["outcome"] == ImportOutcome.new]
    ids = [row["site_id"] for row in updates]
    sites = {site.id: site for chunk in operations.chunks(ids)
             for site in db.session.scalars(select(Site).where(Site.id.in_(chunk)))}
    taken = {d for chunk in operations.chunks([row["domain"] for row in new])
             for d in db.session.scalars(select(Site.domain).where(Site.domain.in_(chunk)))}
    changed = [(row["line"], row["domain"]) for row in updates
               if (site := sites.get(row["site_id"])) is None or site.domain != row["domain"]
               or row.get("version") not in (None, site.version)]
    changed += [(row["line"], row["domain"]) for row in new if row["domain"] in taken]
    if changed:
        raise ChangedSince(sorted(changed))
    if updates:
        operations.update_sites(user, [
            (sites[row["site_id"]], {**{f: getattr(sites[row["site_id"]], f)
                                        for f in operations.SITE_FIELDS},
                                     **_from_json(row["data"])}) for row in updates], reason)
    if new:
        try:
            operations.create_sites(user, [_from_json(row["data"]) for row in new], reason)
        except (operations.DuplicateDomain, IntegrityError) as exc:  # added meanwhile
            raise ChangedSince([(row["line"], row["domain"]) for row in new]) from exc
    batch.applied_at = clock().now()
    audit.record(user, "site.imported", batch, after=counts, note=batch.filename)
    return counts, True


def purge_batches(older_than: timedelta = timedelta(days=1)) -> int:
    """Delete the import batches (previews, applied or not, with the file's rows) made more
    than `older_than` ago: an unconfirmed preview is stale by then (the registry moved on)
    and an applied one is in the audit trail. Flushes; the job commits. Returns rows
    deleted."""
    cutoff = clock().now() - older_than
    return db.session.execute(delete(ImportBatch).where(
        ImportBatch.created_at < cutoff)).rowcount
