"""Freezing an issued document: the one function every issuing path calls (decisions,
violation records, reports to the Ministry, web capture records).

`freeze` signs the rendered PDF when a key is configured (`core.signing`), computes the
SHA-256 of the bytes as issued and enters them in the register of issued documents
(`core.models.IssuedDocument`). `lookup` finds a PDF in that register and `check` says what
a PDF is: ours or not, signed by whom, when, intact or not.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from flask_babel import gettext as _
from pyhanko.sign.general import SigningError
from sqlalchemy import select

from core.clock import clock
from core.errors import OperationError
from core.models import DocumentKind, IssuedDocument
from core.signing import (
    SignatureLevel,
    SigningConfigError,
    Verification,
    current_settings,
    sign_pdf,
    verify_pdf,
)
from extensions import db

REASONS = {
    DocumentKind.decision: "Ban hành quyết định",
    DocumentKind.record: "Lập biên bản",
    DocumentKind.report: "Ban hành báo cáo",
    DocumentKind.capture_record: "Lập biên bản ghi nhận",
    DocumentKind.letter: "Ban hành công văn",
}


@dataclass(frozen=True)
class Frozen:
    """A frozen document: the bytes as issued, their SHA-256 (hex), the signature level
    reached and what is missing from it (empty when nothing is)."""

    pdf: bytes
    sha256: str
    signature_level: SignatureLevel
    signature_note: str = ""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def freeze(pdf: bytes, *, kind: DocumentKind, reference: str, signer_name: str,
           case_id: int | None = None) -> Frozen:
    """Sign `pdf` (PAdES, the visible box at the form's signature place) when a key is
    configured, otherwise keep it as rendered; register it (kind, reference such as
    "05/QĐ-XPVPHC", the SHA-256 of the issued bytes, the signature level) and return it.
    Adds the register row to the session; the caller flushes and commits.

    Raises OperationError when a key is configured but cannot sign (a missing file, a wrong
    password, a token not plugged in): a document meant to be signed is never issued
    unsigned in silence. Decree 30/2020/NĐ-CP (docs/legal/documents.md#digital-signatures).
    """
    try:
        signed = sign_pdf(pdf, reason=REASONS[kind], signer_name=signer_name)
    except (SigningConfigError, SigningError, OSError, ValueError) as exc:
        raise OperationError(_("The document could not be signed with the agency's "
                               "certificate: %(error)s",
                               error=exc if isinstance(exc, SigningConfigError)
                               else type(exc).__name__)) from None
    frozen = Frozen(signed.pdf, sha256(signed.pdf), signed.level, signed.note)
    db.session.add(IssuedDocument(
        kind=kind, reference=reference, sha256=frozen.sha256, issued_at=clock().now(),
        case_id=case_id, signature_level=frozen.signature_level,
        signature_note=frozen.signature_note or None, certificate=signed.certificate or None))
    return frozen


def lookup(digest: str) -> IssuedDocument | None:
    """The register's entry for the SHA-256 `digest` (hex), or None."""
    return db.session.scalars(select(IssuedDocument).where(IssuedDocument.sha256 == digest)
                              .order_by(IssuedDocument.id)).first()


def signature_level_of(digest: str | None) -> SignatureLevel:
    """The signature level registered for the document with SHA-256 `digest`; ``unsigned``
    for a document issued before signing existed or not in the register."""
    entry = lookup(digest) if digest else None
    return SignatureLevel(entry.signature_level) if entry else SignatureLevel.unsigned


def case_register(case_id: int) -> dict[str, IssuedDocument]:
    """The register's entries of a case's documents, by SHA-256 (the case page shows each
    document's signature level)."""
    rows = db.session.scalars(select(IssuedDocument).where(IssuedDocument.case_id == case_id)
                              .order_by(IssuedDocument.id))
    return {row.sha256: row for row in rows}


@dataclass
class Check:
    """What `check` found: the register's entry (None: not a document we issued, or changed
    since), the signature's verification, and the PDF's SHA-256."""

    sha256: str
    entry: IssuedDocument | None
    signature: Verification

    @property
    def genuine(self) -> bool:
        """Ours and unchanged: in the register and, when signed, a valid trusted signature."""
        if self.entry is None:
            return False
        if self.entry.signature_level == SignatureLevel.unsigned:
            return True
        return self.signature.genuine


def check(pdf: bytes) -> Check:
    """Look `pdf` up in the register by its SHA-256 and validate its signature."""
    digest = sha256(pdf)
    return Check(digest, lookup(digest), verify_pdf(pdf))


def signing_configured() -> bool:
    """A key is configured: documents issued from now on are signed."""
    return current_settings().configured
