"""Registry operations: add and correct sites (audited)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from auth.permissions import has_permission
from core import audit
from core.clock import clock
from core.errors import NotAllowed, OperationError
from extensions import db
from registry.models import Site

SITE_FIELDS = ("kind", "name", "domain", "url", "status", "operator_kind", "operator_name",
               "operator_address", "operator_tax_id", "licence_number", "licence_issuer",
               "licence_issued_on", "licence_expires_on", "district", "notes")


def _check_unique(domain: str, site_id: int | None) -> None:
    other = db.session.scalar(select(Site).where(Site.domain == domain))
    if other is not None and other.id != site_id:
        raise OperationError(
            _("%(domain)s is already in the registry as «%(name)s».", domain=domain,
              name=other.name), "domain")


def create_site(user, data: dict) -> Site:
    """Add a registry entry; one site per normalised domain. Raises NotAllowed or
    OperationError (duplicate domain)."""
    if not has_permission(user, "site.edit"):
        raise NotAllowed(_("You are not allowed to do this."))
    _check_unique(data["domain"], None)
    now = clock().now()
    site = Site(created_at=now, updated_at=now)
    for name in SITE_FIELDS:
        setattr(site, name, data.get(name))
    site.refresh_search_text()
    db.session.add(site)
    db.session.flush()
    audit.record(user, "site.created", site, after={"domain": site.domain, "status": site.status})
    return site


def update_site(user, site: Site, data: dict) -> Site:
    """Correct a registry entry; a status change is recorded in the audit trail.
    Raises NotAllowed or OperationError."""
    if not has_permission(user, "site.edit"):
        raise NotAllowed(_("You are not allowed to do this."))
    _check_unique(data["domain"], site.id)
    before = {name: str(getattr(site, name)) for name in SITE_FIELDS}
    for name in SITE_FIELDS:
        setattr(site, name, data.get(name))
    site.updated_at = clock().now()
    site.refresh_search_text()
    after = {name: str(getattr(site, name)) for name in SITE_FIELDS}
    changed = [k for k in after if after[k] != before[k]]
    audit.record(user, "site.updated", site, before={k: before[k] for k in changed},
                 after={k: after[k] for k in changed})
    return site
