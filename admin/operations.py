"""Administration operations: the agency as printed on documents, the outbox."""

from __future__ import annotations

from flask_babel import gettext as _

from auth.permissions import has_permission
from core import audit, mail
from core.agency import DEFAULT_SYMBOLS, FIELDS, agency, forget_agency
from core.errors import NotAllowed, OperationError
from core.models import AgencySettings, Notification, NotificationStatus
from extensions import db
from legal.districts import parse_districts

# The kinds of document numbered in the agency's series (core.numbering): every kind with a
# symbol — decisions, letters, reports, inspection team decisions. Each prints its own
# symbol, so two of them sharing a symbol would print the same number twice in a year.
NUMBERED_KINDS = tuple(DEFAULT_SYMBOLS)


def save_agency(user, data: dict) -> AgencySettings:
    """Store the agency's settings (administrator; audited). `data`: the `core.agency.FIELDS`,
    "symbols" (document type → symbol) and optionally "districts" (text, one per line; empty
    for the shipped list of the province). A change of the issuer code or of a symbol
    continues each series' numbering (core.numbering.next_document_number); two numbered
    kinds with one symbol (compared without case), and an empty symbol, are refused
    (OperationError on the field: the same "01/<symbol>" would be printed twice in a year,
    or a number with nothing after it, Decree 30/2020 Appendix I,
    docs/legal/documents.md#numbering). Never commits. Raises NotAllowed."""
    if not has_permission(user, "settings.manage"):
        raise NotAllowed("settings.manage")
    seen: dict[str, str] = {}
    for kind in NUMBERED_KINDS:
        printed = (data["symbols"].get(kind) or "").strip().upper()
        if not printed:
            raise OperationError(_("Give the symbol printed after the number."),
                                 f"symbol_{kind}")
        if printed in seen:
            raise OperationError(_("This symbol is already the symbol of another kind of "
                                   "document: each kind is numbered on its own, so they "
                                   "would print the same numbers."), f"symbol_{kind}")
        seen[printed] = kind
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
