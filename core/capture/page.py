"""One page's capture, step by step, on the engine's thread: the route filter, the wait for
the load, what a failed navigation means, and the collection of what the page shows."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from core import netguard
from core.capture.model import MAX_SCREENSHOT_HEIGHT, VIEWPORT, CaptureFailed, PageCapture


def collect(page, response, target, session, blocked, remaining_ms, software) -> PageCapture:
    """What the loaded `page` shows and how it was served (see `PageCapture`)."""
    final_url = page.url
    parts = urlsplit(final_url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    redirects = []
    request = response.request.redirected_from
    while request is not None:
        earlier = request.response()
        redirects.insert(0, {"url": request.url,
                             "status": earlier.status if earlier else None})
        request = request.redirected_from
    details = response.security_details()
    tls = None
    if details:
        tls = {"subject": details.get("subjectName"), "issuer": details.get("issuer"),
               "protocol": details.get("protocol"),
               "valid_from": details.get("validFrom"), "valid_to": details.get("validTo")}
    html = page.content()
    text = page.evaluate("() => document.body ? document.body.innerText : ''") or ""
    height = page.evaluate("() => document.documentElement.scrollHeight") or 0
    cut = height > MAX_SCREENSHOT_HEIGHT
    clip = ({"x": 0, "y": 0, "width": VIEWPORT["width"], "height": MAX_SCREENSHOT_HEIGHT}
            if cut else None)
    png = page.screenshot(full_page=True, clip=clip, animations="disabled",
                          timeout=remaining_ms())
    pdf = page.pdf(format="A4", print_background=True)
    return PageCapture(
        requested_url=target.url, final_url=final_url, status=response.status,
        status_text=response.status_text or "", headers=response.headers_array(),
        server_address=session.address_of(parts.hostname or "", port), tls=tls,
        redirects=redirects, software=dict(software),
        files={"screenshot.png": png, "page.pdf": pdf,
               "page.html": html.encode("utf-8"), "page.txt": text.encode("utf-8")},
        text=text, blocked=list(blocked), screenshot_cut=cut)


def wait_for_load(page, session, remaining_ms) -> None:
    """Wait for the page's load event in short slices, so that a page cut off by the size
    limit (whose load event never comes) fails at once rather than at the time limit."""
    while True:
        if session.over_limit:
            raise CaptureFailed("too_large")
        try:
            page.wait_for_load_state("load", timeout=min(250, remaining_ms()))
            return
        except PlaywrightTimeout:
            continue


def checked(url: str) -> netguard.Target:
    """`url` checked by `netguard.check_url`, or CaptureFailed with its refusal."""
    try:
        return netguard.check_url(url)
    except netguard.Refused as refused:
        raise CaptureFailed(refused.code, refused.detail) from None


def route_filter(route, blocked: list[dict]) -> None:
    """Let a request through only for http(s) URLs the guard accepts, and data:/blob:."""
    url = route.request.url
    scheme = url.split(":", 1)[0].lower()
    if scheme in ("data", "blob"):
        route.continue_()
        return
    try:
        netguard.check_url(url)
    except netguard.Refused as refused:
        blocked.append({"url": url[:300], "reason": refused.code, "detail": refused.detail})
        route.abort("blockedbyclient")
        return
    route.continue_()


def host_of(url: str) -> str:
    """The host of `url` in lower case ("" when it has none)."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def refused_for(session, requested: set[str]) -> list[tuple[str, int, str, str]]:
    """The proxy's refusals for hosts the page asked for (not the browser's own traffic)."""
    with session.lock:
        return [item for item in session.refused if item[0].lower() in requested]


def navigation_failure(exc, refused, blocked) -> CaptureFailed:
    """Why the navigation failed: a download, the time limit, the proxy's refusal of an
    address the page asked for, the route filter's, or the site not answering."""
    message = str(exc)
    if "Download is starting" in message:
        return CaptureFailed("download")
    if "Timeout" in message:
        return CaptureFailed("timeout")
    for _name, _port, code, detail in refused:
        return CaptureFailed(code, detail)
    for item in blocked:
        return CaptureFailed(item["reason"], item["detail"])
    return CaptureFailed("unreachable", message.splitlines()[0][:300])
