"""Web captures: asked for from a case, a site or a watch; made by the capture job.

`request_capture` only queues (a web request never drives the browser); the capture worker
(`cases.capture_worker`, run by the scheduler and by `flask evidence capture`) takes queued
captures one at a time and calls `run_capture`: the capture ends
`done` — files, manifest and printed record under ``instance/evidence/captures/<random>/``,
the manifest's SHA-256 in the database — or `failed` with the reason. A watch's capture is
then compared with the watch's last good one (`cases.operations.watches.evaluate`).
See docs/evidence.md.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from auth.permissions import has_permission
from cases.documents.capture_record import render_capture_record
from cases.models import CaptureState, Case, CaseAction, Evidence, WebCapture
from cases.operations.base import check, require
from cases.operations.intake import evidence_dir
from core import audit, netguard
from core.capture import manifest
from core.capture.browser import CaptureEngine, CaptureFailed, Limits, find_chromium
from core.clock import clock
from core.documents import freeze
from core.errors import OperationError
from core.models import DocumentKind
from extensions import db

STALE_AFTER = timedelta(minutes=10)  # a capture `running` longer than this was interrupted


def captures_dir() -> Path:
    path = evidence_dir() / "captures"
    path.mkdir(parents=True, exist_ok=True)
    return path


def capture_path(capture: WebCapture) -> Path | None:
    """The directory of a done capture's files (None before it is done)."""
    return captures_dir() / capture.storage_dir if capture.storage_dir else None


def chromium_path() -> str | None:
    """The Chromium the captures use (setting ``CHROMIUM``, else the system's), or None:
    capture is then disabled and says so."""
    configured = current_app.config.get("CHROMIUM")
    if configured:
        return configured if Path(configured).exists() else None
    return find_chromium()


def limits() -> Limits:
    config = current_app.config
    return Limits(seconds=float(config["EVIDENCE_CAPTURE_SECONDS"]),
                  max_bytes=int(config["EVIDENCE_MAX_BYTES"]),
                  allow_loopback=bool(config["EVIDENCE_ALLOW_PRIVATE"]))


def request_capture(user, url: str, *, case: Case | None = None, site=None,
                    note: str | None = None, watch=None) -> WebCapture:
    """Queue a capture of `url` for `case` and/or `site` (a registry entry). `user` None is
    the system (a watch). Checks the URL's form — scheme http(s), a host, no credentials, an
    address typed as digits must be public — here; names are resolved by the job.
    Raises NotAllowed, or OperationError on the field "url"."""
    if user is not None:
        if case is not None:
            require(case.may(user, CaseAction.capture))
        else:
            require(site is not None and has_permission(user, "site.capture"))
    check_capture_enabled()
    target = checked_target(url)
    capture = WebCapture(case_id=case.id if case else None, site_id=site.id if site else None,
                         watch_id=watch.id if watch else None, url=target.url, note=note,
                         state=CaptureState.queued, requested_at=clock().now(),
                         requested_by_id=getattr(user, "id", None))
    db.session.add(capture)
    db.session.flush()
    audit.record(user, "capture.requested", capture, case=case,
                 after={"url": target.url, "site": getattr(site, "domain", None),
                        "watch": getattr(watch, "id", None)})
    return capture


def check_capture_enabled() -> None:
    """OperationError (field "url") when no Chromium is installed: capture is turned off."""
    check(chromium_path() is not None, failure_message("no_browser"), "url")


def checked_target(url: str) -> netguard.Target:
    """`url` checked for its form (`netguard.check_url`) and, when its host is typed as an
    address, for that address; OperationError on the field "url" otherwise. Host names are
    resolved later, by the job that connects."""
    try:
        target = netguard.check_url(url)
        if netguard.is_ip_literal(target.host) and not netguard.allowed_address(
                target.host, limits().allow_loopback):
            raise netguard.Refused("private", target.host)
    except netguard.Refused as refused:
        raise OperationError(failure_message(refused.code, refused.detail), "url") from None
    return target


def run_capture(capture: WebCapture, engine: CaptureEngine) -> None:
    """Capture a `running` capture with `engine`, store its files, manifest and record,
    and mark it done or failed. Flushes; never commits."""
    try:
        page = engine.capture(capture.url, limits())
    except CaptureFailed as failure:
        finish_failed(capture, failure)
        return
    now = clock().now()
    manifest_bytes = manifest.build_manifest(page, capture.started_at or now, _about(capture))
    name = secrets.token_hex(16)
    root = captures_dir() / name
    manifest.store(root, page, manifest_bytes)
    capture.state = CaptureState.done
    capture.finished_at = now
    capture.final_url = page.final_url[:2000]
    capture.http_status = page.status
    capture.server_address = page.server_address
    capture.tls_subject = (page.tls or {}).get("subject")
    capture.storage_dir = name
    capture.manifest = manifest_bytes.decode("utf-8")
    capture.manifest_sha256 = manifest.sha256(manifest_bytes)
    capture.text_sha256 = manifest.sha256(page.text.encode("utf-8"))
    capture.screenshot_sha256 = manifest.sha256(page.files["screenshot.png"])
    by = capture.requested_by.full_name if capture.requested_by else ""
    record = freeze(render_capture_record(capture, root), kind=DocumentKind.capture_record,
                    reference=f"{capture.case.code if capture.case else ''} {capture.url}"
                    .strip()[:200], signer_name=by, case_id=capture.case_id)
    (root / RECORD).write_bytes(record.pdf)
    capture.record_sha256 = record.sha256
    audit.record(None, "capture.done", capture, case=capture.case,
                 after={"url": capture.url, "final_url": capture.final_url,
                        "status": capture.http_status, "manifest_sha256": capture.manifest_sha256})


RECORD = "record.pdf"


def finish_failed(capture: WebCapture, failure: CaptureFailed) -> None:
    """Mark `capture` failed with `failure`'s code and detail. Flushes nothing itself."""
    capture.state = CaptureState.failed
    capture.failure = failure.code
    capture.failure_detail = (failure.detail or "")[:300] or None
    capture.finished_at = clock().now()
    audit.record(None, "capture.failed", capture, case=capture.case,
                 after={"url": capture.url, "failure": failure.code})


def fail_stale() -> int:
    """Mark captures left `running` by a process that died as failed ("interrupted");
    returns how many."""
    cutoff = clock().now() - STALE_AFTER
    stale = db.session.scalars(select(WebCapture).where(
        WebCapture.state == CaptureState.running, WebCapture.started_at < cutoff)).all()
    for capture in stale:
        finish_failed(capture, CaptureFailed("interrupted"))
    return len(stale)


def _about(capture: WebCapture) -> dict:
    return {"capture_id": capture.id,
            "case": capture.case.code if capture.case else None,
            "site": capture.site.domain if capture.site else None,
            "watch_id": capture.watch_id,
            "requested_by": capture.requested_by.username if capture.requested_by else None,
            "requested_at": capture.requested_at.isoformat().replace("+00:00", "Z")}


def failure_message(code: str | None, detail: str | None = None) -> str:
    """Why a capture failed or a URL was refused, in the user's language."""
    messages = {
        "scheme": _("Only http:// and https:// addresses can be captured."),
        "no_host": _("The address has no host name."),
        "credentials": _("Addresses with a user name or password are not captured."),
        "too_long": _("The address is longer than 2 000 characters."),
        "malformed": _("This is not a valid web address."),
        "private": _("The address leads to a private or internal network address (%(d)s); "
                     "it is not captured.", d=detail or ""),
        "not_found": _("The host name %(d)s does not exist (DNS).", d=detail or ""),
        "unreachable": _("The site did not answer."),
        "timeout": _("The page did not load within the time limit."),
        "too_large": _("The page is larger than the limit (20 MB)."),
        "download": _("The address is a file download, not a page."),
        "no_browser": _("Capturing web pages is turned off on this server: Chromium is not "
                        "installed (sudo apt-get install chromium)."),
        "interrupted": _("The capture was interrupted (the server stopped); ask again."),
        "browser": _("The browser failed to capture the page."),
    }
    return messages.get(code or "", messages["browser"])


def verify_case(case: Case) -> list[tuple[str, manifest.FileCheck]]:
    """Re-hash every stored file of `case`: each done capture's manifest (against the hash
    in the database) and files (against the manifest), its printed record, and each
    uploaded evidence file (against its SHA-256). [(what, FileCheck)]; reads only."""
    results: list[tuple[str, manifest.FileCheck]] = []
    for capture in db.session.scalars(select(WebCapture).where(
            WebCapture.case_id == case.id, WebCapture.state == CaptureState.done)
            .order_by(WebCapture.id)):
        root = capture_path(capture)
        label = f"capture {capture.id} ({capture.url[:80]})"
        results += [(label, check) for check in manifest.verify(root, capture.manifest_sha256)]
        results.append((label, manifest.check_file(root / RECORD, capture.record_sha256)))
    for evidence in db.session.scalars(select(Evidence).where(
            Evidence.case_id == case.id, Evidence.stored_name.is_not(None))
            .order_by(Evidence.id)):
        check = manifest.check_file(evidence_dir() / evidence.stored_name, evidence.sha256)
        results.append((f"evidence {evidence.id}",
                        manifest.FileCheck(evidence.filename or evidence.stored_name,
                                           check.state, check.expected, check.found)))
    return results
