"""Rendering documents to PDF with WeasyPrint (decisions, records, letters, reports)."""

from __future__ import annotations

import threading
from pathlib import Path

from flask import render_template
from flask_babel import force_locale
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from legal.text import strip_controls


def nfc(value):
    """Every string of `value` (nested dicts, lists) in Unicode NFC without control
    characters: text typed decomposed ("Nguyễn" as base letters and combining marks) prints
    and is stored composed, and a control character stored before input was cleaned never
    reaches the document (`legal.text.strip_controls`)."""
    if isinstance(value, str):
        return strip_controls(value)
    if isinstance(value, dict):
        return {k: nfc(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [nfc(v) for v in value]
    return value


STYLE = Path(__file__).resolve().parent.parent / "templates" / "documents" / "style.css"
_thread = threading.local()


def resources() -> tuple[FontConfiguration, CSS]:
    """(the font configuration, the documents' parsed style sheet) of the calling thread,
    made on its first document. WeasyPrint does not say its `FontConfiguration` (a fontconfig
    and Pango font map) may be shared between threads, so each thread has its own; within
    a thread, renders run one after another and share them (tests/test_documents_speed.py
    renders in several threads at once and checks every document)."""
    held = getattr(_thread, "resources", None)
    if held is None:
        fonts = FontConfiguration()
        held = _thread.resources = (fonts, CSS(string=STYLE.read_text(encoding="utf-8"),
                                               font_config=fonts))
    return held


def render_document(template: str, d: dict, *, draft: bool = False):
    """The laid-out WeasyPrint document of `template` with data `d` (see `render_pdf`): its
    `pages` can be counted before the bytes are written."""
    with force_locale("vi"):
        html = render_template(template, d=nfc(d), draft=draft)
    fetcher = URLFetcher(allowed_protocols=("data",))
    fonts, style = resources()
    return HTML(string=html, url_fetcher=fetcher, base_url=None).render(
        stylesheets=[style], font_config=fonts)


def render_pdf(template: str, d: dict, *, draft: bool = False) -> bytes:
    """Render `template` with data `d` (NFC-normalised first) to PDF bytes, styled by
    ``templates/documents/style.css`` (parsed once per thread, `resources`). The renderer
    fetches nothing from the network or the disk: only ``data:`` URIs are allowed; fonts come
    from the system's fontconfig (Times New Roman or its metric twin Liberation Serif)."""
    return render_document(template, d, draft=draft).write_pdf()
