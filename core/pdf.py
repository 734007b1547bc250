"""Rendering documents to PDF with WeasyPrint (decisions, records, letters, reports)."""

from __future__ import annotations

import threading
from functools import cache
from pathlib import Path

import tinycss2  # WeasyPrint's own CSS parser (a dependency of weasyprint)
import weasyprint
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


WEASYPRINT_UA = Path(weasyprint.__file__).resolve().parent / "css" / "html5_ua.css"
# pseudo-elements that WeasyPrint's sheet gives to every element of a document, used only
# by footnotes and notes (CSS GCPM), which the documents do not have
_EVERY_ELEMENT_PSEUDO = ("::footnote-call", "::footnote-marker", "::note-call", "::note-marker",
                         "::note-callback")


def documents_ua_css(text: str) -> str:
    """WeasyPrint's user-agent style sheet for HTML (`text`: its CSS source), without what
    can change nothing in the documents and costs a computed style on every element or page:

    - the footnote and note pseudo-elements given to every element (`_EVERY_ELEMENT_PSEUDO`):
      about 830 styles per four-page decision, computed and never used;
    - ``::marker`` kept for the elements that are list items in that sheet (``li``,
      ``summary``) instead of every element;
    - its ``@page`` rule: 75 px margins, which ``style.css`` replaces for every page, and the
      alignment of the 16 page-margin boxes plus footnote and note areas, which made each of
      them a computed style on every page; ``style.css`` aligns the one box it fills
      (``@top-center``) as that rule did.

    Every other rule is kept as WeasyPrint writes it; tests/test_pdf_ua.py checks that the
    documents' PDF bytes are the same with either sheet."""
    kept = []
    for rule in tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True):
        if rule.type == "at-rule" and rule.lower_at_keyword == "page":
            continue
        if rule.type == "qualified-rule":
            selector = tinycss2.serialize(rule.prelude).strip()
            if selector in _EVERY_ELEMENT_PSEUDO:
                continue
            if selector == "::marker":
                rule.prelude = tinycss2.parse_component_value_list("li::marker, summary::marker ")
        kept.append(rule.serialize())
    return "\n".join(kept)


@cache
def documents_ua() -> CSS:
    """The parsed `documents_ua_css` of the installed WeasyPrint, once per process: like
    WeasyPrint's own user-agent sheet (a module-level CSS shared by every thread), it holds
    no font configuration."""
    return CSS(string=documents_ua_css(WEASYPRINT_UA.read_text(encoding="utf-8")))


class DocumentHTML(HTML):
    """A WeasyPrint HTML document styled by `documents_ua` instead of WeasyPrint's whole
    user-agent sheet (its `_ua_stylesheets` hook, the one WeasyPrint's own tests override).
    Should a WeasyPrint release stop calling the hook, documents render as before, only
    slower."""

    def _ua_stylesheets(self, forms=False):
        return [documents_ua(), *super()._ua_stylesheets(forms)[1:]]


def render_document(template: str, d: dict, *, draft: bool = False):
    """The laid-out WeasyPrint document of `template` with data `d` (see `render_pdf`): its
    `pages` can be counted before the bytes are written."""
    with force_locale("vi"):
        html = render_template(template, d=nfc(d), draft=draft)
    fetcher = URLFetcher(allowed_protocols=("data",))
    fonts, style = resources()
    return DocumentHTML(string=html, url_fetcher=fetcher, base_url=None).render(
        stylesheets=[style], font_config=fonts)


def render_pdf(template: str, d: dict, *, draft: bool = False) -> bytes:
    """Render `template` with data `d` (NFC-normalised first) to PDF bytes, styled by
    ``templates/documents/style.css`` (parsed once per thread, `resources`) over WeasyPrint's
    user-agent sheet less what cannot apply to a document (`documents_ua`). The renderer
    fetches nothing from the network or the disk: only ``data:`` URIs are allowed; fonts come
    from the system's fontconfig (Times New Roman or its metric twin Liberation Serif)."""
    return render_document(template, d, draft=draft).write_pdf()
