"""What a capture is and how it fails: the limits it runs under, the page it returns."""

from __future__ import annotations

from dataclasses import dataclass, field

VIEWPORT = {"width": 1366, "height": 900}
MAX_SCREENSHOT_HEIGHT = 16000  # px; longer pages are cut there (the manifest says so)


class CaptureFailed(Exception):
    """The page could not be captured. `code`: a `netguard.Refused` code, or "timeout",
    "too_large", "download", "unreachable", "browser", "no_browser"; `detail` says more."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class Limits:
    seconds: float = 30.0
    max_bytes: int = 20 * 1024 * 1024
    allow_loopback: bool = False


@dataclass
class PageCapture:
    """One captured page. `files` maps a file name to its bytes."""

    requested_url: str
    final_url: str
    status: int | None
    status_text: str
    headers: list[dict]
    server_address: str | None
    tls: dict | None
    redirects: list[dict]
    software: dict
    files: dict[str, bytes]
    text: str
    blocked: list[dict] = field(default_factory=list)
    screenshot_cut: bool = False
    received_bytes: int = 0
