"""Fixtures for the web-capture tests: a local test site on loopback whose pages change,
redirect, fail, time out, download and grow; one capture browser for the whole session;
loopback allowed (EVIDENCE_ALLOW_PRIVATE) with short limits.

Captures run where Chromium is installed; locally they skip without it, and under
``E2E_REQUIRED=1`` (`.ci/run`) a missing browser is a failure.
"""

from __future__ import annotations

import os
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from core.capture.browser import find_chromium

SLOW_SECONDS = 6  # longer than the slow-page test's capture limit (2 s)


class SiteState:
    """What the test site serves; tests change it between captures."""

    def __init__(self):
        self.text = "Bài viết vi phạm: nội dung ban đầu."
        self.gone = False
        self.head_status = None  # a status for HEAD / (405: the server refuses HEAD)
        self.root_status = None  # a status for / (500: the server fails)
        self.requests: list[str] = []


def _handler(state: SiteState):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def _send(self, status: int, body: bytes, kind: str = "text/html; charset=utf-8",
                  headers: dict | None = None, head: bool = False):
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("X-Test-Site", "evidence")
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            if not head:
                self.wfile.write(body)

        def do_HEAD(self):
            self._route(head=True)

        def do_GET(self):
            self._route(head=False)

        def _route(self, head: bool):
            path = self.path.split("?", 1)[0]
            state.requests.append(path)
            if path == "/slow":
                time.sleep(SLOW_SECONDS)
            if path == "/" and (state.root_status or (head and state.head_status)):
                return self._send(state.root_status or state.head_status, b"", head=head)
            if path in ("/", "/page", "/slow"):
                if state.gone and path == "/page":
                    return self._send(404, b"<h1>Not found</h1>", head=head)
                body = (f"<!doctype html><html lang='vi'><head><title>Trang thử</title>"
                        f"<link rel='stylesheet' href='/style.css'></head><body>"
                        f"<h1>Tin tức</h1><p>{state.text}</p><img src='/logo.png' alt=''>"
                        f"</body></html>").encode()
                return self._send(200, body, head=head)
            if path == "/style.css":
                return self._send(200, b"body { font-family: serif; color: #123; }",
                                  "text/css", head=head)
            if path == "/logo.png":
                return self._send(200, PNG_1PX, "image/png", head=head)
            if path == "/redirect":
                return self._send(302, b"", headers={"Location": "/page"}, head=head)
            if path == "/redirect-private":
                return self._send(302, b"", headers={"Location": "http://10.0.0.1/"}, head=head)
            if path == "/fail":
                return self._send(500, b"<h1>Server error</h1>", head=head)
            if path == "/download":
                return self._send(200, b"PK\x03\x04" + b"\x00" * 200, "application/zip",
                                  {"Content-Disposition": "attachment; filename=a.zip"},
                                  head=head)
            if path == "/big":
                return self._send(200, b"<html><body>" + b"x" * 3_000_000 + b"</body></html>",
                                  head=head)
            return self._send(404, b"<h1>Not found</h1>", head=head)

    return Handler


PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005fe02fea735819a0000000049454e44ae426082")


class LocalSite:
    def __init__(self, tls_dir=None):
        self.state = SiteState()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.state))
        self.server.daemon_threads = True
        self.scheme = "http"
        if tls_dir is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(tls_dir / "cert.pem", tls_dir / "key.pem")
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
            self.scheme = "https"
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str = "/", host: str = "127.0.0.1") -> str:
        return f"{self.scheme}://{host}:{self.port}{path}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site():
    """A fresh local site per test (its text and state start over)."""
    server = LocalSite()
    yield server
    server.close()


@pytest.fixture(scope="session")
def tls_site(tmp_path_factory):
    """The same site over HTTPS with a self-signed certificate for CN=localhost."""
    folder = tmp_path_factory.mktemp("tls")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=localhost/O=Test Evidence Site", "-keyout",
                    str(folder / "key.pem"), "-out", str(folder / "cert.pem")],
                   check=True, capture_output=True)
    server = LocalSite(tls_dir=folder)
    yield server
    server.close()


@pytest.fixture(scope="session")
def chromium() -> str:
    """The system Chromium: capture is turned off without it, so these tests skip locally
    and fail under E2E_REQUIRED (CI)."""
    path = find_chromium()
    if path is None:
        if os.environ.get("E2E_REQUIRED"):
            pytest.fail("Chromium is required for the capture tests (apt-get install chromium)")
        pytest.skip("no Chromium installed: capture tests skipped (CI installs it)")
    return path


@pytest.fixture(scope="session")
def engine(chromium):
    """One capture browser (Chromium behind the guard proxy) for the whole session."""
    from core.capture.browser import CaptureEngine

    with CaptureEngine(chromium) as running:
        yield running


@pytest.fixture
def loopback(app):
    """EVIDENCE_ALLOW_PRIVATE on (loopback only) and short limits, restored afterwards."""
    saved = {k: app.config[k] for k in ("EVIDENCE_ALLOW_PRIVATE", "EVIDENCE_CAPTURE_SECONDS",
                                        "EVIDENCE_MAX_BYTES", "REACHABILITY_TIMEOUT")}
    app.config.update(EVIDENCE_ALLOW_PRIVATE=True, EVIDENCE_CAPTURE_SECONDS=15,
                      EVIDENCE_MAX_BYTES=1_000_000, REACHABILITY_TIMEOUT=1)
    yield app
    app.config.update(saved)
