"""Administration operations: the agency as printed on documents, the outbox."""

from __future__ import annotations

from flask_babel import gettext as _

from auth.permissions import has_permission
from core import audit, mail
from core.agency import FIELDS, agency, forget_agency
from core.errors import NotAllowed, OperationError
from core.models import AgencySettings, Notification, NotificationStatus
from extensions import db
from legal.districts import parse_districts


def save_agency(user, data: dict) -> AgencySettings:
    """Store the agency's settings (administrator; audited). `data`: the `core.agency.FIELDS`,
    "symbols" (document type → symbol) and optionally "districts" (text, one per line; empty
    for the shipped list of the province). Never commits. Raises NotAllowed."""
    if not has_permission(user, "settings.manage"):
        raise NotAllowed("settings.manage")
    row = db.session.get(AgencySettings, 1)
    before = agency()
    if row is None:
        row = AgencySettings(id=1)
        db.session.add(row)
    for name in FIELDS:
        setattr(row, name, data[name])
    row.symbols = dict(data["symbols"])
    if "districts" in data:  # one per line; empty: the shipped list for the province
        row.districts = "\n".join(parse_districts(data["districts"])) or None
    db.session.flush()
    forget_agency()
    after = agency()
    changed = sorted(k for k in after if after[k] != before.get(k))
    audit.record(user, "settings.agency_changed", row,
                 before={k: before.get(k) for k in changed}, after={k: after[k] for k in changed})
    return row


def resend_mail(user, row: Notification) -> None:
    """Queue a failed or stuck e-mail again (administrator). Raises NotAllowed, or
    OperationError for a message that was sent or is still pending."""
    if not has_permission(user, "users.manage"):
        raise NotAllowed("users.manage")
    if row.status not in (NotificationStatus.failed, NotificationStatus.sending):
        raise OperationError(_("Only a failed or stuck e-mail can be sent again."))
    mail.resend(row)
