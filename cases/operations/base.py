"""Helpers shared by the operations."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm.attributes import flag_modified

from cases.models import Case, Decision
from core import audit
from core.clock import clock
from core.errors import NotAllowed, OperationError
from extensions import db
from legal.dates import format_date_vn


def require(allowed: bool, message: str | None = None) -> None:
    """Raise NotAllowed (403) unless `allowed`."""
    if not allowed:
        raise NotAllowed(message or _("You are not allowed to do this."))


def check(condition: bool, message: str, field: str | None = None) -> None:
    """Raise OperationError with `message` unless `condition`."""
    if not condition:
        raise OperationError(message, field)


def touch(case: Case) -> None:
    """Mark `case` changed (its version goes up at the flush): a change to what the case's
    decision rests on (a violation, its sanction) conflicts with any concurrent change of
    the case made from the state read before (StaleDataError, shown as the 409 page)."""
    case.updated_at = clock().now()
    flag_modified(case, "updated_at")  # an UPDATE (and a new version) even at the same time


def transition(case: Case, user, new_state: str, action: str, *, note: str | None = None,
               extra: dict | None = None) -> None:
    """Move `case` to `new_state` and write the audit event `action`."""
    before = {"state": case.state}
    case.state = new_state
    case.updated_at = clock().now()
    after = {"state": new_state, **(extra or {})}
    audit.record(user, action, case, case=case, before=before, after=after, note=note)


def check_series_order(kind: str, issued_on) -> None:
    """Numbers follow dates: a decision cannot be dated before the last one already issued in
    its series (kind, year), or number N+1 would be older than number N. Call it after
    `core.numbering.next_document_number` took the number: the series is locked then, so a
    concurrent issue of the same series has committed and is seen."""
    latest = db.session.scalar(select(func.max(Decision.issued_on)).where(
        Decision.kind == kind, Decision.year == issued_on.year))
    check(latest is None or issued_on >= latest,
          _("Decision numbers follow their dates: the last decision of this series is dated "
            "%(d)s; this one cannot be dated earlier.", d=format_date_vn(latest)
            if latest else ""), "issued_on")
