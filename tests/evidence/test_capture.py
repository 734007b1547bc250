"""Capturing a page as evidence: the files read back with their hashes, verify finds one
changed byte, the guard refuses private addresses (also after a redirect and when DNS
changes its answer), non-http schemes, downloads, oversized and slow pages."""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile

import pytest
from sqlalchemy import select

from cases.capture_worker import run_queued
from cases.models import CaptureState, Case, WebCapture
from cases.operations.captures import capture_path, request_capture
from core import netguard
from core.errors import OperationError
from extensions import db
from tests.helpers import pdf_text, squash


def _capture(user_id, case_id, url, engine):
    from auth.models import User

    capture = request_capture(db.session.get(User, user_id), url,
                              case=db.session.get(Case, case_id))
    db.session.commit()
    run_queued(engine=engine, only=capture.id)
    db.session.expire_all()
    return db.session.get(WebCapture, capture.id)


def test_capture_files_read_back_with_their_hashes(app, loopback, site, engine, make_case,
                                                   users):
    case = make_case("verifying")
    with app.app_context():
        capture = _capture(users["inspector"].id, case.id, site.url("/redirect"), engine)
        assert capture.state == "done", capture.failure_detail
        root = capture_path(capture)
        manifest_bytes = (root / "manifest.json").read_bytes()
        assert hashlib.sha256(manifest_bytes).hexdigest() == capture.manifest_sha256
        manifest = json.loads(manifest_bytes)
        names = {f["name"] for f in manifest["files"]}
        assert names == {"screenshot.png", "page.pdf", "page.html", "page.txt"}
        for entry in manifest["files"]:
            data = (root / entry["name"]).read_bytes()
            assert hashlib.sha256(data).hexdigest() == entry["sha256"]
            assert len(data) == entry["size"]
        # what the inspector reads: where it went, what answered, the page itself
        assert manifest["requested_url"] == site.url("/redirect")
        assert manifest["final_url"] == site.url("/page")
        assert manifest["redirects"] == [{"url": site.url("/redirect"), "status": 302}]
        assert manifest["http"]["status"] == 200
        headers = {h["name"].lower(): h["value"] for h in manifest["http"]["headers"]}
        assert headers["x-test-site"] == "evidence"
        assert manifest["server_address"] == "127.0.0.1"
        assert manifest["tls"] is None
        assert manifest["software"]["browser"].startswith("Chromium ")
        assert manifest["about"]["case"] == case.code
        assert (root / "screenshot.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert "nội dung ban đầu" in (root / "page.txt").read_text("utf-8")
        assert "nội dung ban đầu" in pdf_text((root / "page.pdf").read_bytes())
        assert {"/style.css", "/logo.png"} <= set(site.state.requests)
        # the printed record lists the URL and the manifest's hash
        record = squash(pdf_text((root / "record.pdf").read_bytes()))
        assert "BIÊN BẢN GHI NHẬN" in record
        assert capture.manifest_sha256 in record.replace(" ", "")
        assert case.code in record


def test_verify_finds_one_changed_byte(app, loopback, site, engine, make_case, users, runner):
    case = make_case("verifying")
    with app.app_context():
        capture = _capture(users["inspector"].id, case.id, site.url("/page"), engine)
        root = capture_path(capture)
    result = runner.invoke(args=["evidence", "verify", case.code])
    assert result.exit_code == 0, result.output
    assert "All 6 files intact." in result.output
    shot = root / "screenshot.png"
    data = bytearray(shot.read_bytes())
    data[100] ^= 0x01
    shot.write_bytes(bytes(data))
    result = runner.invoke(args=["evidence", "verify", case.code])
    assert result.exit_code == 1
    assert "CHANGED" in result.output and "screenshot.png" in result.output
    assert "page.pdf" not in result.output


def test_zip_holds_every_file(app, loopback, site, engine, make_case, users, login_as):
    case = make_case("verifying")
    with app.app_context():
        capture = _capture(users["inspector"].id, case.id, site.url("/page"), engine)
        sha = capture.manifest_sha256
    client = login_as("inspector")
    response = client.get(f"/cases/captures/{capture.id}.zip")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert set(archive.namelist()) == {"README.txt", "manifest.json", "screenshot.png",
                                       "page.pdf", "page.html", "page.txt", "record.pdf"}
    assert hashlib.sha256(archive.read("manifest.json")).hexdigest() == sha
    page = client.get(f"/cases/{case.id}")
    text = page.get_data(as_text=True)
    assert sha in text
    assert f"/cases/captures/{capture.id}/screenshot.png" in text
    record = client.get(f"/cases/captures/{capture.id}/record.pdf")
    assert record.status_code == 200 and record.data[:5] == b"%PDF-"


def test_tls_certificate_recorded(app, loopback, tls_site, engine, make_case, users):
    case = make_case("verifying")
    with app.app_context():
        capture = _capture(users["inspector"].id, case.id, tls_site.url("/page", "localhost"),
                           engine)
        assert capture.state == "done", capture.failure_detail
        tls = json.loads(capture.manifest)["tls"]
        assert tls["subject"] == "localhost"
        assert tls["issuer"] == "localhost"  # self-signed: its own issuer
        assert tls["valid_to"] > tls["valid_from"]
        assert capture.tls_subject == "localhost"


def test_private_address_refused_without_the_setting(app, site, engine, make_case, users):
    case = make_case("verifying")
    with app.app_context():
        from auth.models import User

        inspector = db.session.get(User, users["inspector"].id)
        with pytest.raises(OperationError) as refused:  # an address typed as digits
            request_capture(inspector, site.url("/page"), case=db.session.get(Case, case.id))
        assert refused.value.field == "url" and "127.0.0.1" in refused.value.message
        # a name that resolves to loopback: refused by the job, nothing fetched
        capture = _capture(inspector.id, case.id, site.url("/page", host="localhost"), engine)
        assert capture.state == "failed" and capture.failure == "private"
    assert site.state.requests == []


def test_redirect_to_private_address_refused(app, loopback, site, engine, make_case, users):
    case = make_case("verifying")
    with app.app_context():
        capture = _capture(users["inspector"].id, case.id, site.url("/redirect-private"),
                           engine)
        assert capture.state == "failed"
        assert (capture.failure, capture.failure_detail) == ("private", "10.0.0.1")
    assert site.state.requests == ["/redirect-private"]


def test_non_http_and_odd_urls_refused(app, loopback, make_case, users, engine):
    case = make_case("verifying")
    with app.app_context():
        from auth.models import User

        for url in ("file:///etc/passwd", "ftp://127.0.0.1/", "javascript:alert(1)",
                    "data:text/html,<h1>x</h1>", "http://user:pw@127.0.0.1/",
                    "http:///nohost", "http://[::1"):
            with pytest.raises(OperationError) as refused:
                request_capture(db.session.get(User, users["inspector"].id), url,
                                case=db.session.get(Case, case.id))
            assert refused.value.field == "url", url
        assert db.session.scalar(select(WebCapture.id)) is None
    # the engine refuses them too, whoever calls it
    from core.capture.browser import CaptureFailed

    with pytest.raises(CaptureFailed) as failed:
        engine.capture("file:///etc/passwd")
    assert failed.value.code == "scheme"


def test_dns_answer_is_pinned_for_the_whole_capture(app, loopback, site, engine, make_case,
                                                    users, monkeypatch):
    """The name resolves to loopback once, then (rebinding) to a private address: every
    request of the capture still goes to the first answer, and the browser never asks the
    system's resolver (which does not know the name at all)."""
    calls = []
    real = netguard.getaddrinfo

    def rebinding(host, port, *args, **kwargs):
        if host == "evidence.test":
            calls.append(host)
            address = "127.0.0.1" if len(calls) == 1 else "10.0.0.1"
            return real(address, port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(netguard, "getaddrinfo", rebinding)
    case = make_case("verifying")
    with app.app_context():
        capture = _capture(users["inspector"].id, case.id,
                           site.url("/redirect", host="evidence.test"), engine)
        assert capture.state == "done", capture.failure_detail
        manifest = json.loads(capture.manifest)
        assert manifest["blocked"] == []
        assert manifest["final_url"] == site.url("/page", host="evidence.test")
    assert calls == ["evidence.test"]
    assert {"/redirect", "/page", "/style.css", "/logo.png"} <= set(site.state.requests)


@pytest.mark.parametrize("path,failure", [("/slow", "timeout"), ("/download", "download"),
                                          ("/big", "too_large")])
def test_limits(app, loopback, site, engine, make_case, users, path, failure):
    case = make_case("verifying")
    # /slow answers after 6 s: 2 s runs out first. The others get time enough to hit their
    # own limit even on a loaded machine (with 2 s, /big could time out before its size did)
    app.config["EVIDENCE_CAPTURE_SECONDS"] = 2 if path == "/slow" else 20
    with app.app_context():
        capture = _capture(users["inspector"].id, case.id, site.url(path), engine)
        assert (capture.state, capture.failure) == ("failed", failure)
        assert capture.storage_dir is None


def test_cli_capture_prints_the_manifest_hash(app, loopback, site, make_case, runner):
    case = make_case("verifying")
    result = runner.invoke(args=["evidence", "capture", case.code, site.url("/page")])
    assert result.exit_code == 0, result.output
    # the hash on a line of its own (other threads of the session may write to stdout too)
    sha = next(line for line in result.output.splitlines() if re.fullmatch("[0-9a-f]{64}", line))
    with app.app_context():
        capture = db.session.scalars(select(WebCapture)).one()
        assert capture.manifest_sha256 == sha
        assert hashlib.sha256((capture_path(capture) / "manifest.json").read_bytes()
                              ).hexdigest() == sha


def test_without_chromium_capture_is_refused_with_a_clear_message(app, make_case, users):
    case = make_case("verifying")
    app.config["CHROMIUM"] = "/nonexistent/chromium"
    try:
        with app.app_context():
            from auth.models import User
            from cases.operations.captures import chromium_path

            assert chromium_path() is None
            with pytest.raises(OperationError) as refused:
                request_capture(db.session.get(User, users["inspector"].id),
                                "https://example.com/", case=db.session.get(Case, case.id))
            assert "Chromium" in refused.value.message
    finally:
        app.config["CHROMIUM"] = None


def test_interrupted_and_browserless_captures_fail_with_a_reason(app, make_case, users, clock,
                                                                 chromium):
    from datetime import timedelta

    from auth.models import User

    case = make_case("verifying")
    with app.app_context():
        inspector = db.session.get(User, users["inspector"].id)
        live = db.session.get(Case, case.id)
        stale = request_capture(inspector, "https://example.vn/a", case=live)
        stale.state, stale.started_at = CaptureState.running, clock.now() - timedelta(minutes=11)
        waiting = request_capture(inspector, "https://example.vn/b", case=live)
        db.session.commit()
        stale_id, waiting_id = stale.id, waiting.id
    app.config["CHROMIUM"] = "/nonexistent/chromium"  # Chromium removed after the request
    try:
        with app.app_context():
            assert run_queued() == 1
            failures = {c.id: c.failure for c in db.session.scalars(select(WebCapture))}
            assert failures == {stale_id: "interrupted", waiting_id: "no_browser"}
    finally:
        app.config["CHROMIUM"] = None
