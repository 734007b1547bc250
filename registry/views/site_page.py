"""What a registry site's page shows (`site_page`): the entry, its deadlines, whether it
answers, its web captures and the capture form (docs/evidence.md), the checks of inspection
campaigns (docs/inspections.md)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from cases.capture_forms import CaptureForm
from cases.models import WebCapture
from cases.operations import captures
from deadlines.models import Deadline
from extensions import db
from inspections.models import InspectionCheck
from registry.models import Site


def site_page(site: Site, capture_form: CaptureForm | None = None) -> dict:
    """The template context of `registry/detail.html`; `capture_form` keeps what the user
    typed when a capture was refused."""
    deadlines = db.session.scalars(select(Deadline).where(
        Deadline.scope == f"site:{site.id}").order_by(Deadline.due_on)).all()
    site_captures = db.session.scalars(
        select(WebCapture).where(WebCapture.site_id == site.id)
        .order_by(WebCapture.id.desc()).limit(20)
        .options(selectinload(WebCapture.case), selectinload(WebCapture.requested_by))).all()
    form = capture_form or CaptureForm(formdata=None,
                                       data={"url": site.url or f"https://{site.domain}/"})
    checks = db.session.scalars(
        select(InspectionCheck).where(InspectionCheck.site_id == site.id)
        .order_by(InspectionCheck.planned_on.desc())
        .options(selectinload(InspectionCheck.campaign))).all()
    return {"site": site, "deadlines": deadlines, "captures": site_captures,
            "inspection_checks": checks,
            "capture_form": form, "capture_enabled": captures.chromium_path() is not None,
            "capture_failure": captures.failure_message}
