"""Helpers for tests: reading the database, a real SMTP server on loopback, PDF text."""

from __future__ import annotations

import asyncio
import socket
from email import message_from_bytes, policy
from io import BytesIO

from aiosmtpd.controller import Controller
from pypdf import PdfReader
from sqlalchemy import func, select

from extensions import db


def read(app, fn):
    """Run `fn()` in a fresh application context and return its result; a model instance
    comes back detached with its loaded columns readable."""
    with app.app_context():
        result = fn()
        if isinstance(result, db.Model):
            db.session.expunge(result)
        return result


def count(app, model) -> int:
    """The number of rows of `model`'s table."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


class _Collector:
    """Keeps accepted messages. `refuse`: answer 451 to that many DATA commands first.
    `drop_after_data`: hang up right after accepting a message (once)."""

    def __init__(self, refuse: int = 0, drop_after_data: bool = False):
        self.messages = []
        self.refuse = refuse
        self.drop_after_data = drop_after_data

    async def handle_DATA(self, server, session, envelope):
        if self.refuse > 0:
            self.refuse -= 1
            return "451 4.3.0 Try again later"
        msg = message_from_bytes(envelope.original_content or envelope.content,
                                 policy=policy.default)
        self.messages.append((envelope.rcpt_tos, msg))
        if self.drop_after_data:
            self.drop_after_data = False
            asyncio.get_running_loop().call_soon(server.transport.close)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SMTPServer:
    """aiosmtpd on 127.0.0.1 and a free port; `.messages` lists (recipients, EmailMessage)."""

    def __init__(self, refuse: int = 0, drop_after_data: bool = False):
        self.port = free_port()
        self.handler = _Collector(refuse, drop_after_data)
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()

    @property
    def messages(self):
        return self.handler.messages


def pdf_text(data: bytes) -> str:
    reader = PdfReader(BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_reader(data: bytes) -> PdfReader:
    return PdfReader(BytesIO(data))


def pdf_fonts(data: bytes) -> set[str]:
    fonts = set()
    for page in pdf_reader(data).pages:
        for font in page["/Resources"].get("/Font", {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    return fonts


def squash(text: str) -> str:
    """Collapse whitespace (PDF text breaks lines where the layout does)."""
    return " ".join(text.split())


def text_at(page) -> list[tuple[str, float, float]]:
    """(text, x mm, y mm from the top) of each text run of a pypdf page."""
    runs = []
    height = float(page.mediabox.height)

    def visit(text, cm, tm, _font, _size):
        if text.strip():
            x = cm[4] + tm[4] * cm[0]
            y = cm[5] + tm[5] * cm[3]
            runs.append((text.strip(), x / 72 * 25.4, (height - y) / 72 * 25.4))

    page.extract_text(visitor_text=visit)
    return runs
