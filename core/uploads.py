"""What an uploaded evidence file really is, by its content (not its name or the browser's
claim): PDF, PNG, JPEG, WebP, plain text, HTML and MHTML page captures are accepted."""

from __future__ import annotations

import codecs

import filetype
from flask_babel import gettext as _

from core.errors import OperationError
from legal.text import CONTROLS, single_line

BINARY = {"application/pdf", "image/png", "image/jpeg", "image/webp"}


def sniff(content: bytes) -> str:
    """The MIME type of `content`, or OperationError (Vietnamese message) for anything else.

    Binary formats by their signature (the `filetype` library); text formats when the bytes
    are valid UTF-8 without NUL: MHTML (a MIME document of type multipart/related), HTML
    (starts with a doctype or an html tag), otherwise plain text."""
    kind = filetype.guess(content[:8192])
    if kind is not None:
        if kind.mime in BINARY:
            return kind.mime
        raise OperationError(_refusal(), "file")
    try:
        # incremental: a character cut at the 64 KiB boundary is not an error
        text = codecs.getincrementaldecoder("utf-8")().decode(content[:65536], final=False)
    except UnicodeDecodeError:
        raise OperationError(_refusal(), "file") from None
    if "\x00" in text:
        raise OperationError(_refusal(), "file")
    head = text.lstrip("\ufeff \t\r\n")[:2048].lower()
    if head.startswith(("from:", "mime-version:", "date:", "subject:", "snapshot-content"))\
            and "multipart/related" in head:
        return "multipart/related"
    if head.startswith(("<!doctype html", "<html")):
        return "text/html"
    return "text/plain"


def safe_filename(name: str | None, default: str = "tep") -> str:
    """An uploaded file's name as it may be stored and sent back in a Content-Disposition
    header: the last part of any path (``../../etc/passwd`` → ``passwd``), no control
    characters (CR and LF included), one line, no leading dots, at most 200 characters
    (the extension kept); `default` when nothing is left."""
    text = single_line(CONTROLS.sub("", str(name or ""))) or ""
    text = text.replace("\\", "/").rsplit("/", 1)[-1].lstrip(". ").strip()
    if len(text) > 200:
        stem, dot, ext = text.rpartition(".")
        text = (stem[:190] + dot + ext[:9]) if dot and len(ext) <= 9 else text[:200]
    return text or default


def _refusal() -> str:
    return _("This file type is not accepted. Attach a PDF, a PNG, JPEG or WebP image, a text "
             "file, or a web page saved as HTML or MHTML.")
