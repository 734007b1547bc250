"""Browser tests: the application served on a free loopback port, driven by Playwright in
the system's headless Chromium (Debian's `chromium`; Playwright downloads no browser).

Locally the tests skip when no Chromium is installed; `.ci/run` sets E2E_REQUIRED=1, and
there a missing browser is a failure, never a skip.
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.helpers import free_port

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-dev-shm-usage"]


def _chromium() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), shutil.which("chromium"),
                      shutil.which("chromium-browser"), "/usr/bin/chromium"):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.fixture
def live_server(app):
    """The app on http://127.0.0.1:<free port>, with CSRF on as in production."""
    app.config["WTF_CSRF_ENABLED"] = True
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        thread.join(10)
        app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture(scope="session")
def chromium():
    path = _chromium()
    if path is None:
        if os.environ.get("E2E_REQUIRED"):
            pytest.fail("Chromium is required for the browser tests (apt-get install chromium)")
        pytest.skip("no Chromium installed: browser tests skipped (CI installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def shots():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
