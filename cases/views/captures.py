"""Web captures and watches on the case page: ask for a capture, its files, its ZIP and
record, its progress; add and stop watches; mark their notices seen. A capture of a
registry site (no case) is served here too, to users who may view the registry."""

from __future__ import annotations

from io import BytesIO

from flask import abort, current_app, jsonify, redirect, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from auth.permissions import has_permission
from cases.capture_forms import ButtonForm, CaptureForm, WatchForm
from cases.models import CaptureState, CaseAction, Watch, WebCapture
from cases.operations import captures, watches
from cases.operations.captures import RECORD, capture_path
from cases.views import bp
from cases.views.common import get_case, invalid, run_operation
from core.audit import seal_intact
from core.capture import manifest
from core.documents import signature_level_of
from core.errors import TamperedDocument
from extensions import db

# name → (MIME type, shown in the browser): HTML is only ever downloaded, never rendered.
FILES = {"screenshot.png": ("image/png", True), "page.pdf": ("application/pdf", True),
         "page.html": ("text/html; charset=utf-8", False),
         "page.txt": ("text/plain; charset=utf-8", False),
         "manifest.json": ("application/json", False), RECORD: ("application/pdf", True)}


@bp.post("/<int:case_id>/captures")
@login_required
def request_capture(case_id: int):
    case = get_case(case_id, need=CaseAction.capture)
    form = CaptureForm()
    if not form.validate_on_submit():
        return invalid(case, form, panel={"capture_form": form})
    return run_operation(
        case, form, lambda: captures.request_capture(current_user, form.url.data, case=case,
                                                     note=form.note.data or None),
        success=_("The page will be captured in a moment; its state shows below."),
        anchor="#captures", panel={"capture_form": form})


@bp.get("/<int:case_id>/captures/status")
@login_required
def capture_status(case_id: int):
    """{"pending": n}: captures of the case still queued or running (the page polls it)."""
    case = get_case(case_id)
    pending = db.session.scalars(select(WebCapture.id).where(
        WebCapture.case_id == case.id,
        WebCapture.state.in_((CaptureState.queued, CaptureState.running)))).all()
    return jsonify({"pending": len(pending)})


@bp.get("/captures/<int:capture_id>/<name>")
@login_required
def capture_file(capture_id: int, name: str):
    capture = _viewable(capture_id)
    if name not in FILES:
        abort(404)
    path = capture_path(capture) / name
    if not path.is_file():
        abort(404)
    _check_intact(capture)
    mimetype, inline = FILES[name]
    response = send_file(path, mimetype=mimetype, as_attachment=not inline,
                         download_name=f"capture-{capture.id}-{name}")
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if name == RECORD:
        response.headers["X-Signature-State"] = signature_level_of(capture.record_sha256)
    return response


@bp.get("/captures/<int:capture_id>.zip")
@login_required
def capture_zip(capture_id: int):
    capture = _viewable(capture_id)
    _check_intact(capture)
    data = manifest.zip_bytes(capture_path(capture), capture.started_at or capture.requested_at)
    response = send_file(BytesIO(data), mimetype="application/zip", as_attachment=True,
                         download_name=f"ghi-nhan-{capture.id}.zip")
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Manifest-SHA256"] = capture.manifest_sha256
    return response


def _check_intact(capture: WebCapture) -> None:
    """Refuse (TamperedDocument, logged) a capture whose files no longer match its manifest,
    whose manifest no longer matches the stored hash, or whose seal is broken."""
    root = capture_path(capture)
    checks = manifest.verify(root, capture.manifest_sha256)
    if capture.record_sha256:
        checks.append(manifest.check_file(root / RECORD, capture.record_sha256))
    broken = [c.name for c in checks if c.state != manifest.FileState.ok]
    if broken or (capture.seal is not None and not seal_intact(capture)):
        current_app.logger.error("refusing to serve capture %s: %s", capture.id,
                                 ", ".join(broken) or "its seal is broken")
        raise TamperedDocument()


def _viewable(capture_id: int) -> WebCapture:
    """A done capture the current user may see (its case's rule, or the registry's)."""
    capture = db.session.get(WebCapture, capture_id)
    if capture is None or capture.state != CaptureState.done:
        abort(404)
    if capture.case_id is not None:
        get_case(capture.case_id)
    elif not has_permission(current_user, "site.view"):
        abort(403)
    return capture


@bp.post("/<int:case_id>/watches")
@login_required
def add_watch(case_id: int):
    case = get_case(case_id, need=CaseAction.watch)
    form = WatchForm()
    if not form.validate_on_submit():
        return invalid(case, form, panel={"watch_form": form})
    return run_operation(
        case, form, lambda: watches.add_watch(
            current_user, case, url=form.url.data, scope=form.scope.data,
            interval_days=form.interval_days.data, take_down_by=form.take_down_by.date,
            compare_screenshot=form.compare_screenshot.data),
        success=_("The page is watched; the first capture comes in a moment."),
        anchor="#watches", panel={"watch_form": form})


@bp.post("/<int:case_id>/watches/<int:watch_id>/stop")
@login_required
def stop_watch(case_id: int, watch_id: int):
    case = get_case(case_id, need=CaseAction.watch)
    watch = db.session.get(Watch, watch_id)
    if watch is None or watch.case_id != case.id:
        abort(404)
    form = ButtonForm()
    if not form.validate_on_submit():
        abort(400)
    return run_operation(case, form, lambda: watches.stop_watch(
        current_user, watch, _("stopped by %(name)s", name=current_user.full_name)),
        success=_("The watch is stopped."), anchor="#watches")


@bp.post("/<int:case_id>/watch-notices/seen")
@login_required
def notices_seen(case_id: int):
    case = get_case(case_id, need=CaseAction.watch)
    watches.mark_seen(current_user, case)
    db.session.commit()
    return redirect(url_for("cases.detail", case_id=case.id) + "#watches")
