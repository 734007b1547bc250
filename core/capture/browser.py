"""Capture a web page with the system's headless Chromium, driven by Playwright.

`CaptureEngine` owns one thread in which Playwright (its sync API, which must stay on the
thread that started it), one Chromium and one `GuardProxy` live; `capture()` hands a URL to
that thread and waits. One engine serves captures one after another: the scheduler's job
opens one per batch, the test suite one per session.

What a capture gets (`PageCapture`): a full-page screenshot (PNG), the page printed as PDF,
the rendered HTML, the visible text, the final URL after redirects and each redirect, the
HTTP status and headers, the address the proxy connected to, the TLS certificate's subject,
issuer and validity as the browser saw them, the browser's and Playwright's versions.

Limits (`Limits`): the whole capture in `seconds` (30 by default), `max_bytes` downloaded
(20 MB), no file downloads (a URL that downloads a file fails), no permissions granted, no
service workers, only http(s), data: and blob: requests (every request is checked by a route
handler; the proxy checks every connection's address).

Why not `playwrightcapture` (Lookyloo's library): it launches the browser Playwright
downloads (no way to name the system Chromium), starts a new browser per capture, checks
addresses without resolving them, and gives no TLS certificate, server address or PDF;
it also brings about fifty packages. See docs/evidence.md#capture-engine.
"""

from __future__ import annotations

import os
import queue
import shutil
import threading
import time
from concurrent.futures import Future
from importlib.metadata import version as package_version
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from core import netguard
from core.capture.model import VIEWPORT, CaptureFailed, Limits, PageCapture
from core.capture.page import (
    checked,
    collect,
    host_of,
    navigation_failure,
    refused_for,
    route_filter,
    wait_for_load,
)
from core.capture.proxy import GuardProxy

__all__ = ["CaptureEngine", "CaptureFailed", "Limits", "PageCapture", "find_chromium"]

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic",
                 "--disable-client-side-phishing-detection", "--disable-domain-reliability",
                 "--no-pings", "--disable-breakpad",
                 "--disable-features=DnsOverHttps,OptimizationHints,Translate,MediaRouter,"
                 "AutofillServerCommunication,CertificateTransparencyComponentUpdater",
                 "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
                 "--disable-default-apps", "--mute-audio"]
def find_chromium() -> str | None:
    """The system Chromium's path (``CHROMIUM`` environment variable, then the PATH, then
    /usr/bin/chromium), or None when none is installed."""
    for candidate in (os.environ.get("CHROMIUM"), shutil.which("chromium"),
                      shutil.which("chromium-browser"), "/usr/bin/chromium"):
        if candidate and Path(candidate).exists():
            return candidate
    return None


class CaptureEngine:
    """A Chromium (`executable`, e.g. `find_chromium()`) behind a guard proxy, on its own
    thread. Use as a context manager, or `start()` / `close()`. `start()` raises
    `CaptureFailed("no_browser")` when `executable` is None."""

    def __init__(self, executable: str | None):
        self.executable = executable
        self._jobs: queue.Queue = queue.Queue()
        self._thread: threading.Thread | None = None
        self._ready: Future = Future()
        self.broken = False

    def __enter__(self) -> CaptureEngine:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()

    def start(self) -> CaptureEngine:
        if self.executable is None:
            raise CaptureFailed("no_browser")
        self._thread = threading.Thread(target=self._run, name="capture-engine", daemon=True)
        self._thread.start()
        self._ready.result(timeout=60)
        return self

    def close(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            self._jobs.put(None)
            self._thread.join(30)

    def capture(self, url: str, limits: Limits = Limits()) -> PageCapture:
        """Capture `url` within `limits`; `CaptureFailed` when it cannot be."""
        if self.broken or self._thread is None:
            raise CaptureFailed("browser", "engine not running")
        job: Future = Future()
        self._jobs.put((url, limits, job))
        try:
            return job.result(timeout=limits.seconds * 3 + 30)
        except TimeoutError:
            self.broken = True  # a hung browser: the caller starts a new engine
            raise CaptureFailed("timeout") from None

    # -- on the engine's thread --------------------------------------------------------

    def _run(self) -> None:
        proxy = GuardProxy().start()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=self.executable, args=CHROMIUM_ARGS,
                    proxy={"server": f"socks5://127.0.0.1:{proxy.port}"})
                self._software = {"browser": f"Chromium {browser.version}",
                                  "driver": f"Playwright {package_version('playwright')}"}
                self._ready.set_result(True)
                while (job := self._jobs.get()) is not None:
                    url, limits, future = job
                    try:
                        future.set_result(self._capture(browser, proxy, url, limits))
                    except CaptureFailed as exc:
                        future.set_exception(exc)
                    except Exception as exc:  # noqa: BLE001 — reported on the capture
                        future.set_exception(CaptureFailed("browser", str(exc)[:300]))
                browser.close()
        except Exception as exc:  # noqa: BLE001
            if not self._ready.done():
                self._ready.set_exception(CaptureFailed("browser", str(exc)[:300]))
        finally:
            proxy.close()

    def _capture(self, browser, proxy: GuardProxy, url: str, limits: Limits) -> PageCapture:
        target = checked(url)
        deadline = time.monotonic() + limits.seconds

        def remaining_ms() -> float:
            left = deadline - time.monotonic()
            if left <= 0:
                raise CaptureFailed("timeout")
            return left * 1000

        blocked: list[dict] = []
        with proxy.session(allow_loopback=limits.allow_loopback,
                           max_bytes=limits.max_bytes) as session:
            try:  # the one resolution of the main host, pinned for the whole capture
                session.resolved[target.host] = netguard.resolve(
                    target.host, target.port, allow_loopback=limits.allow_loopback)
            except netguard.Refused as refused:
                raise CaptureFailed(refused.code, refused.detail) from None
            context = browser.new_context(
                accept_downloads=False, service_workers="block", permissions=[],
                ignore_https_errors=True, viewport=VIEWPORT, locale="vi-VN",
                timezone_id="Asia/Ho_Chi_Minh")
            try:
                page = context.new_page()
                requested: set[str] = set()  # hosts the page asked for, redirects included
                page.on("request", lambda request: requested.add(host_of(request.url)))
                page.route("**/*", lambda route: route_filter(route, blocked))
                try:
                    response = page.goto(target.url, wait_until="commit",
                                         timeout=remaining_ms())
                except PlaywrightError as exc:
                    if session.over_limit:
                        raise CaptureFailed("too_large") from None
                    raise navigation_failure(exc, refused_for(session, requested),
                                              blocked) from None
                if response is None:
                    raise CaptureFailed("browser", "no response")
                wait_for_load(page, session, remaining_ms)
                try:
                    page.wait_for_load_state("networkidle", timeout=min(3000, remaining_ms()))
                except PlaywrightError:
                    pass  # a page that keeps polling is captured as it is
                result = collect(page, response, target, session, blocked, remaining_ms,
                                 self._software)
                result.blocked += [{"url": f"{host}:{port}", "reason": code, "detail": detail}
                                   for host, port, code, detail in refused_for(session, requested)]
            except PlaywrightError as exc:
                if session.over_limit:
                    raise CaptureFailed("too_large") from None
                if "Timeout" in str(exc):
                    raise CaptureFailed("timeout") from None
                raise CaptureFailed("browser", str(exc).splitlines()[0][:300]) from None
            finally:
                context.close()
            if session.over_limit:
                raise CaptureFailed("too_large")
            result.received_bytes = session.received
            return result
