"""The printed record of a web capture ("Biên bản ghi nhận kết quả kiểm tra thông tin trên
mạng"): what was captured, when, from where, by which software, each file's SHA-256 and the
manifest's, and the top of the screenshot. Rendered once when the capture is done and kept
beside its files (its own SHA-256 in the database).

No official form for this record was found: the layout follows the agency's other records
(Decree 30/2020 presentation) and is marked unverified (docs/legal/evidence.md#record).
"""

from __future__ import annotations

import base64
import io
import json
from datetime import UTC, datetime
from pathlib import Path

from PIL import Image

from cases.documents.render import agency_block
from cases.models import WebCapture
from core.clock import LOCAL_TZ
from core.pdf import render_pdf
from legal.dates import date_line

SCREENSHOT_TOP = 1600  # px of the page's top shown on the record


def render_capture_record(capture: WebCapture, root: Path) -> bytes:
    """The record's PDF bytes for a done `capture` whose files are in `root` (reads its
    manifest and screenshot)."""
    about = json.loads(capture.manifest or "{}")
    captured = _local(about.get("captured_at"))
    tls = about.get("tls") or None
    if tls:
        tls = dict(tls, valid_from=_epoch(tls.get("valid_from")),
                   valid_to=_epoch(tls.get("valid_to")))
    d = {
        "agency": agency_block(), "number": "……",
        "date_line": date_line(agency_block()["place"], captured.date()),
        "time": captured.strftime("%H giờ %M phút %S giây"),
        "day": captured.strftime("%d/%m/%Y"),
        "case": ({"code": capture.case.code, "subject": capture.case.subject_name}
                 if capture.case else None),
        "site": capture.site.domain if capture.site else None,
        "by": ({"name": capture.requested_by.full_name, "title": capture.requested_by.title}
               if capture.requested_by else None),
        "watch": capture.watch_id is not None,
        "url": capture.url, "final_url": about.get("final_url"),
        "redirects": about.get("redirects") or [],
        "status": (about.get("http") or {}).get("status"),
        "server_address": about.get("server_address"), "tls": tls,
        "software": about.get("software") or {},
        "files": about.get("files") or [],
        "manifest_sha256": capture.manifest_sha256,
        "screenshot": _screenshot_top(root / "screenshot.png"),
        "screenshot_cut": about.get("screenshot_cut"),
    }
    return render_pdf("documents/capture_record.html", d)


def _local(stamp: str | None) -> datetime:
    moment = datetime.fromisoformat((stamp or "").replace("Z", "+00:00"))
    return moment.astimezone(LOCAL_TZ)


def _epoch(value) -> str | None:
    if value in (None, ""):
        return None
    return datetime.fromtimestamp(float(value), UTC).astimezone(LOCAL_TZ).strftime("%d/%m/%Y")


def _screenshot_top(path) -> str | None:
    """The top of the screenshot as a PNG data: URI (the renderer fetches nothing else)."""
    try:
        with Image.open(path) as image:
            top = image.crop((0, 0, image.width, min(image.height, SCREENSHOT_TOP)))
            buffer = io.BytesIO()
            top.save(buffer, "PNG", optimize=True)
    except OSError:
        return None
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
