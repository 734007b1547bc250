"""A capture's files on disk, its manifest, verification and the ZIP.

A capture is a directory: `screenshot.png`, `page.pdf`, `page.html`, `page.txt` and
`manifest.json`. The manifest (UTF-8 JSON, keys sorted) lists each file with its size and
SHA-256 and holds what was observed (URLs, status, headers, address, certificate, time,
software); the SHA-256 of the manifest's bytes is stored in the database, so changing a
file, or the manifest, or both, shows in `verify`.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from core.capture.browser import PageCapture
from core.enums import Choice

MANIFEST = "manifest.json"
FORMAT = "web-capture/1"
TYPES = {".png": "image/png", ".pdf": "application/pdf", ".html": "text/html; charset=utf-8",
         ".txt": "text/plain; charset=utf-8", ".json": "application/json"}
VERIFY_README = (
    "Kiểm tra tính toàn vẹn / Integrity check\n\n"
    "manifest.json liệt kê từng tệp và mã băm SHA-256 của tệp.\n"
    "manifest.json lists every file with its SHA-256.\n\n"
    "    sha256sum manifest.json   # = the hash printed on the capture record\n"
    "    sha256sum screenshot.png page.pdf page.html page.txt\n")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def build_manifest(page: PageCapture, captured_at: datetime, about: dict) -> bytes:
    """The manifest's bytes for `page` captured at `captured_at` (aware UTC); `about` adds
    who asked and for what (case code, site, watch)."""
    files = [{"name": name, "size": len(data), "sha256": sha256(data),
              "type": TYPES.get(Path(name).suffix, "application/octet-stream")}
             for name, data in sorted(page.files.items())]
    document = {
        "format": FORMAT,
        "requested_url": page.requested_url,
        "final_url": page.final_url,
        "captured_at": captured_at.isoformat().replace("+00:00", "Z"),
        "http": {"status": page.status, "status_text": page.status_text,
                 "headers": page.headers},
        "redirects": page.redirects,
        "server_address": page.server_address,
        "tls": page.tls,
        "software": page.software,
        "received_bytes": page.received_bytes,
        "screenshot_cut": page.screenshot_cut,
        "blocked": page.blocked,
        "text_sha256": sha256(page.text.encode("utf-8")),
        "about": about,
        "files": files,
    }
    return (json.dumps(document, ensure_ascii=False, sort_keys=True, indent=2)
            + "\n").encode("utf-8")


def store(root: Path, page: PageCapture, manifest: bytes) -> None:
    """Write the files and the manifest into the new directory `root`."""
    root.mkdir(parents=True, exist_ok=False)
    for name, data in page.files.items():
        (root / name).write_bytes(data)
    (root / MANIFEST).write_bytes(manifest)


class FileState(Choice):
    ok = "ok"
    changed = "changed"
    missing = "missing"


@dataclass(frozen=True)
class FileCheck:
    """One file's state (`FileState`) and its expected and found SHA-256."""

    name: str
    state: str
    expected: str
    found: str | None


def verify(root: Path, manifest_sha256: str) -> list[FileCheck]:
    """Re-hash the manifest against the stored hash, then each file it lists against the
    manifest. A missing or unreadable manifest is reported and nothing else can be."""
    path = root / MANIFEST
    if not path.is_file():
        return [FileCheck(MANIFEST, FileState.missing, manifest_sha256, None)]
    data = path.read_bytes()
    found = sha256(data)
    checks = [FileCheck(MANIFEST, _compare(found, manifest_sha256), manifest_sha256, found)]
    try:
        listed = json.loads(data.decode("utf-8"))["files"]
    except (ValueError, KeyError, TypeError):
        return checks
    for entry in listed:
        file = root / Path(str(entry.get("name", ""))).name
        if not file.is_file():
            checks.append(FileCheck(file.name, FileState.missing, entry.get("sha256", ""), None))
            continue
        digest = _hash_file(file)
        checks.append(FileCheck(file.name, _compare(digest, entry.get("sha256")),
                                entry.get("sha256", ""), digest))
    return checks


def read_manifest(root: Path) -> dict:
    """The manifest as a dict ({} when missing or unreadable)."""
    try:
        return json.loads((root / MANIFEST).read_bytes().decode("utf-8"))
    except (OSError, ValueError):
        return {}


def zip_bytes(root: Path, captured_at: datetime) -> bytes:
    """The capture as one ZIP: every file of `root` (the printed record included) and a
    short README on checking the hashes. Entries are dated at the capture time."""
    stamp = captured_at.timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in [("README.txt", VERIFY_README.encode("utf-8"))] + [
                (path.name, path.read_bytes()) for path in sorted(root.iterdir())
                if path.is_file()]:
            archive.writestr(zipfile.ZipInfo(name, stamp), data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _compare(found: str, expected: str | None) -> FileState:
    return FileState.ok if found == expected else FileState.changed


def check_file(path: Path, expected: str | None) -> FileCheck:
    """Re-hash one file against `expected`."""
    if not path.is_file():
        return FileCheck(path.name, FileState.missing, expected or "", None)
    found = _hash_file(path)
    return FileCheck(path.name, _compare(found, expected), expected or "", found)


def _hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
