"""Registry operations: add and correct sites (audited)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from auth.permissions import has_permission
from core import audit
from core.clock import clock
from core.errors import NotAllowed, OperationError
from extensions import db
from registry.deadlines import recompute_site
from registry.models import Site, SiteStatusChange

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


def _record_status(user, site: Site, old: str | None, reason: str | None) -> None:
    if old != site.status:
        db.session.add(SiteStatusChange(site_id=site.id, old_status=old, new_status=site.status,
                                        reason=reason, changed_by_id=getattr(user, "id", None),
                                        changed_at=clock().now()))


def create_site(user, data: dict, reason: str | None = None) -> Site:
    """Add a registry entry; one site per normalised domain. Its first status goes into its
    history and its licence deadlines are computed. Raises NotAllowed or OperationError
    (duplicate domain)."""
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
    _record_status(user, site, None, reason)
    audit.record(user, "site.created", site, after={"domain": site.domain, "status": site.status})
    recompute_site(site)
    return site


def update_site(user, site: Site, data: dict, reason: str | None = None) -> Site:
    """Correct a registry entry. A status change goes into the site's history with its
    reason (required); every change into the audit trail; the licence deadlines follow.
    Raises NotAllowed or OperationError."""
    if not has_permission(user, "site.edit"):
        raise NotAllowed(_("You are not allowed to do this."))
    _check_unique(data["domain"], site.id)
    if data.get("status") != site.status and not (reason and reason.strip()):
        raise OperationError(_("Give the reason for the change of status."), "status_reason")
    old_status = site.status
    before = {name: str(getattr(site, name)) for name in SITE_FIELDS}
    for name in SITE_FIELDS:
        setattr(site, name, data.get(name))
    site.updated_at = clock().now()
    site.refresh_search_text()
    after = {name: str(getattr(site, name)) for name in SITE_FIELDS}
    changed = [k for k in after if after[k] != before[k]]
    _record_status(user, site, old_status, reason)
    audit.record(user, "site.updated", site, before={k: before[k] for k in changed},
                 after={k: after[k] for k in changed}, note=reason)
    db.session.flush()
    recompute_site(site)
    return site
