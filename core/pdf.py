"""Rendering documents to PDF with WeasyPrint (decisions, records, letters, reports)."""

from __future__ import annotations

from flask import render_template
from flask_babel import force_locale
from weasyprint import HTML
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


def render_pdf(template: str, d: dict, *, draft: bool = False) -> bytes:
    """Render `template` with data `d` (NFC-normalised first) to PDF bytes. The renderer
    fetches nothing from the network or the disk: only ``data:`` URIs are allowed; fonts come
    from the system's fontconfig (Times New Roman or its metric twin Liberation Serif)."""
    with force_locale("vi"):
        html = render_template(template, d=nfc(d), draft=draft)
    fetcher = URLFetcher(allowed_protocols=("data",))
    return HTML(string=html, url_fetcher=fetcher, base_url=None).write_pdf()
