"""PAdES signatures over the documents the agency issues, and their verification (pyHanko).

The agency's key is a PKCS#12 file (``SIGNING_P12`` and its password in
``SIGNING_P12_PASSWORD`` or a file named by ``SIGNING_P12_PASSWORD_FILE``) or a PKCS#11 token
(``SIGNING_PKCS11_MODULE``; the token by ``SIGNING_PKCS11_SLOT``, the slot's index from 0, or
by ``SIGNING_PKCS11_TOKEN_LABEL``; ``SIGNING_PKCS11_KEY_LABEL``; the PIN in
``SIGNING_PKCS11_PIN`` or ``SIGNING_PKCS11_PIN_FILE``). The password, the PIN and the key are
read when a document is signed and never stored in the database, the audit trail or a log.
Without a key, documents are issued unsigned (`SignatureLevel.unsigned`).

Levels reached (ETSI EN 319 142-1, PAdES baseline): B-B (the signature), B-T (with an RFC 3161
time stamp from ``SIGNING_TSA_URL``), B-LT (with the certificates' revocation information
embedded). When the time stamp or the revocation information cannot be had, the document is
signed at the level reached and the note says what is missing. The legal frame (Decree
30/2020/NĐ-CP) is in docs/legal/documents.md#digital-signatures.
"""

from __future__ import annotations

import asyncio
import io
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from flask import current_app
from flask_babel import lazy_gettext as _l
from pyhanko.config.pkcs11 import PKCS11SignatureConfig, TokenCriteria
from pyhanko.keys import load_certs_from_pemder
from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.pkcs11 import PKCS11SigningContext
from pyhanko.sign.timestamps import HTTPTimeStamper, TimeStamper, TimestampRequestError
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError
from pypdf import PdfReader

from core.clock import LOCAL_TZ, clock
from core.enums import Choice

FIELD = "ChuKyCoQuan"  # the signature field's name ("the agency's signature")
MARKER = "signature-box"  # id of the element the templates place where the signer signs
BOX_WIDTH, BOX_HEIGHT = 180, 54  # pt
# pyHanko's revocation policies: embedding (B-LT) needs the information for every certificate
# of the chain; verification takes missing information as a warning, not a failure.
EMBEDDING_REVOCATION = "require"
CHECKING_REVOCATION = "soft-fail"
STAMP_FONTS = (
               "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
               "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


class SignatureLevel(Choice):
    """How far a frozen document is signed (PAdES baseline levels)."""

    unsigned = "unsigned", _l("Not signed")
    b_b = "b_b", _l("Signed (PAdES B-B)")
    b_t = "b_t", _l("Signed and time-stamped (PAdES B-T)")
    b_lt = "b_lt", _l("Signed, time-stamped, with revocation information (PAdES B-LT)")


class SigningConfigError(ValueError):
    """The signing settings are incomplete or contradictory (the message says which)."""


@dataclass(frozen=True)
class SigningSettings:
    """Where the key is, read from the configuration. Holds paths and labels only: secrets
    are read from their setting or file when a document is signed."""

    p12: str | None = None
    pkcs11_module: str | None = None
    pkcs11_slot: int | None = None
    pkcs11_key_label: str | None = None
    pkcs11_token_label: str | None = None
    tsa_url: str | None = None
    trust_roots: tuple[str, ...] = ()
    organisation: str = ""

    @property
    def configured(self) -> bool:
        return bool(self.p12 or self.pkcs11_module)

    @property
    def source(self) -> str:
        """"PKCS#12 file" or "PKCS#11 token" (for the command line and the pages)."""
        if self.p12:
            return "PKCS#12"
        return "PKCS#11" if self.pkcs11_module else ""


def settings_from(config) -> SigningSettings:
    """Read the signing settings from a Flask config mapping. Raises SigningConfigError when
    both a PKCS#12 file and a token are named, a token lacks its key label, the slot is not
    a number, or a password is given both in the setting and in a file."""
    p12 = (config.get("SIGNING_P12") or "").strip() or None
    module = (config.get("SIGNING_PKCS11_MODULE") or "").strip() or None
    if p12 and module:
        raise SigningConfigError("Set SIGNING_P12 or SIGNING_PKCS11_MODULE, not both.")
    if config.get("SIGNING_P12_PASSWORD") and config.get("SIGNING_P12_PASSWORD_FILE"):
        raise SigningConfigError(
            "Set SIGNING_P12_PASSWORD or SIGNING_P12_PASSWORD_FILE, not both.")
    slot = config.get("SIGNING_PKCS11_SLOT")
    label = (config.get("SIGNING_PKCS11_KEY_LABEL") or "").strip() or None
    if module:
        if not label:
            raise SigningConfigError("SIGNING_PKCS11_KEY_LABEL is required with a token.")
        if slot not in (None, ""):
            try:
                slot = int(slot)
            except (TypeError, ValueError):
                raise SigningConfigError("SIGNING_PKCS11_SLOT must be a number.") from None
        else:
            slot = None
    else:
        slot = None
    roots = config.get("SIGNING_TRUST_ROOTS") or ()
    if isinstance(roots, str):
        roots = [r for r in roots.replace(";", ",").split(",")]
    return SigningSettings(
        p12=p12, pkcs11_module=module, pkcs11_slot=slot, pkcs11_key_label=label,
        pkcs11_token_label=(config.get("SIGNING_PKCS11_TOKEN_LABEL") or "").strip() or None
        if module else None,
        tsa_url=(config.get("SIGNING_TSA_URL") or "").strip() or None,
        trust_roots=tuple(r.strip() for r in roots if r and r.strip()),
        organisation=config.get("AGENCY_FULL_NAME") or "")


def current_settings() -> SigningSettings:
    """The current application's signing settings (`settings_from` its config)."""
    return settings_from(current_app.config)


def _secret(config, name: str) -> str | None:
    """The secret of setting `name` or of the file named by `name`_FILE (one line, without
    its line break). Never logged."""
    value = config.get(name)
    if value:
        return str(value)
    path = config.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").rstrip("\r\n")
    return None


def load_trust_roots(settings: SigningSettings) -> list[asn1_x509.Certificate]:
    """The certificates of ``SIGNING_TRUST_ROOTS`` (PEM or DER files; a PEM file may hold
    several)."""
    return [cert for path in settings.trust_roots for cert in load_certs_from_pemder([path])]


@dataclass
class SignResult:
    """What signing produced: the signed PDF, the level reached, and what is missing."""

    pdf: bytes
    level: SignatureLevel
    note: str = ""
    certificate: str = ""  # the signer's subject, as readable text


@dataclass(frozen=True)
class Box:
    """Where the visible signature goes: page index (0 = first) and (x1, y1, x2, y2) in PDF
    points from the bottom left."""

    page: int
    rect: tuple[int, int, int, int]


def signature_box(pdf: bytes) -> Box:
    """The box at the element with id ``signature-box`` (the named destination WeasyPrint
    writes for it: its page, left and top), `BOX_WIDTH` × `BOX_HEIGHT` pt below and right of
    that point; without the marker, the bottom right of the last page."""
    reader = PdfFileReader(io.BytesIO(pdf))
    try:
        pages = reader.root["/Pages"]["/Count"]
    except KeyError:
        pages = 1
    dest = _named_destination(pdf)
    if dest is not None:
        page, left, top = dest
        return Box(page, (round(left), round(top - BOX_HEIGHT), round(left + BOX_WIDTH),
                          round(top)))
    return Box(int(pages) - 1, (360, 60, 360 + BOX_WIDTH, 60 + BOX_HEIGHT))


def _named_destination(pdf: bytes) -> tuple[int, float, float] | None:
    reader = PdfReader(io.BytesIO(pdf))
    dest = reader.named_destinations.get(MARKER)
    if dest is None:
        return None
    return reader.get_destination_page_number(dest), float(dest.left), float(dest.top)


class _ScaledGlyphs(GlyphAccumulator):
    """pyHanko's glyph accumulator writes glyph widths in the font's own units (2048 per em
    for DejaVu); PDF widths are per 1000 em: scaled here, or the letters drift apart."""

    def prepare_write(self):
        self._glyphs = {gid: (cid, round(w * 1000 / self.units_per_em))
                        for gid, (cid, w) in self._glyphs.items()}
        super().prepare_write()


@dataclass(frozen=True)
class _Fonts(GlyphAccumulatorFactory):
    def create_font_engine(self, writer, obj_stream=None):
        engine = super().create_font_engine(writer, obj_stream)
        engine.__class__ = _ScaledGlyphs
        return engine


def _stamp_style() -> TextStampStyle:
    font = next((f for f in STAMP_FONTS if Path(f).is_file()), None)
    box = TextBoxStyle(font=_Fonts(font), font_size=8) if font else TextBoxStyle(font_size=8)
    return TextStampStyle(
        stamp_text="Ký bởi: %(signer)s\nCơ quan: %(org)s\nThời gian: %(when)s",
        text_box_style=box, border_width=1, background=None)


class _Signer(signers.PdfSigner):
    """PdfSigner whose signing time is the application's clock (`core.clock`)."""

    def __init__(self, *args, moment: datetime, **kwargs):
        super().__init__(*args, **kwargs)
        self._moment = moment

    def init_signing_session(self, pdf_out, existing_fields_only=False):
        session = super().init_signing_session(pdf_out, existing_fields_only)
        session.system_time = self._moment
        return session


def _open_signer(settings: SigningSettings, config):
    """A pyHanko signer for the configured key and, for a token, the context to close."""
    if settings.p12:
        password = _secret(config, "SIGNING_P12_PASSWORD")
        signer = signers.SimpleSigner.load_pkcs12(
            settings.p12, passphrase=password.encode("utf-8") if password else None)
        if signer is None:
            raise SigningConfigError("The PKCS#12 file could not be read (path or password).")
        return signer, None
    context = PKCS11SigningContext(PKCS11SignatureConfig(
        module_path=settings.pkcs11_module, slot_no=settings.pkcs11_slot,
        token_criteria=TokenCriteria(label=settings.pkcs11_token_label)
        if settings.pkcs11_token_label else None,
        key_label=settings.pkcs11_key_label, cert_label=settings.pkcs11_key_label,
        user_pin=_secret(config, "SIGNING_PKCS11_PIN")))
    return context.__enter__(), context


def _subject(cert) -> str:
    return cert.subject.human_friendly


def sign_pdf(pdf: bytes, *, reason: str, signer_name: str,
             timestamper: TimeStamper | None = None, config=None) -> SignResult:
    """PAdES-sign `pdf` with the configured key: a visible box (the signer's name, the
    organisation, the time in Vietnam) at the form's signature place (`signature_box`).
    B-T when a TSA is configured (or `timestamper` given), B-LT when the revocation
    information of the signer's chain can be fetched and embedded; otherwise signed at the
    level reached with a note. Returns the input unsigned (level ``unsigned``) when no key is
    configured. Raises SigningConfigError or SigningError when the key cannot be used."""
    config = config if config is not None else current_app.config
    settings = settings_from(config)
    if not settings.configured:
        return SignResult(pdf, SignatureLevel.unsigned)
    moment = clock().now()
    if timestamper is None and settings.tsa_url:
        timestamper = HTTPTimeStamper(settings.tsa_url, timeout=10)
    return _isolated(_sign_with, pdf, settings, config, timestamper, reason, signer_name,
                     moment)


def _isolated(fn, *args):
    """`fn(*args)` run in a thread of its own: pyHanko drives asyncio (``asyncio.run``),
    which cannot start in a thread whose event loop is already running (Playwright's sync
    API during a capture job, an asyncio test helper)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args).result()


def _sign_with(pdf, settings, config, timestamper, reason, signer_name, moment) -> SignResult:
    signer, context = _open_signer(settings, config)
    try:
        notes = []
        box = signature_box(pdf)
        roots = load_trust_roots(settings)
        text = {"signer": signer_name, "org": settings.organisation,
                "when": moment.astimezone(LOCAL_TZ).strftime("%H:%M %d/%m/%Y")}
        level = SignatureLevel.b_t if timestamper else SignatureLevel.b_b
        attempts = []
        if timestamper:
            attempts.append((timestamper, True))
            attempts.append((timestamper, False))
        attempts.append((None, False))
        last_error = None
        for stamper, long_term in attempts:
            try:
                signed = _sign_once(pdf, signer, box, reason, text, stamper, long_term,
                                    roots, moment)
            except TimestampRequestError as exc:
                notes.append(f"No time stamp: the time-stamp authority did not answer ({exc}).")
                last_error = exc
                continue
            except (SigningError, PathBuildingError, PathValidationError, ValueError,
                    OSError) as exc:
                if long_term:
                    notes.append("Revocation information could not be fetched; signed "
                                 f"without it ({type(exc).__name__}: {exc}).")
                    continue
                if stamper is not None:
                    notes.append(f"No time stamp ({type(exc).__name__}: {exc}).")
                    continue
                raise
            if long_term:
                level = SignatureLevel.b_lt
            elif stamper is not None:
                level = SignatureLevel.b_t
            else:
                level = SignatureLevel.b_b
            return SignResult(signed, level, " ".join(dict.fromkeys(notes)),
                              _subject(signer.signing_cert))
        raise SigningError(str(last_error))
    finally:
        if context is not None:
            context.__exit__(None, None, None)


def _sign_once(pdf, signer, box: Box, reason, text, timestamper, long_term, roots, moment):
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD, md_algorithm="sha256", reason=reason,
        name=text["signer"], location=text["org"] or None,
        subfilter=fields.SigSeedSubFilter.PADES,
        embed_validation_info=long_term, use_pades_lta=False,
        validation_context=ValidationContext(
            trust_roots=roots, other_certs=list(signer.cert_registry), allow_fetching=True,
            revocation_mode=EMBEDDING_REVOCATION) if long_term else None)
    spec = fields.SigFieldSpec(FIELD, on_page=box.page, box=box.rect)
    pdf_signer = _Signer(meta, signer=signer, timestamper=timestamper,
                         stamp_style=_stamp_style(), new_field_spec=spec, moment=moment)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    out = pdf_signer.sign_pdf(writer, appearance_text_params=text)
    return out.getvalue()


@dataclass
class Verification:
    """What `verify_pdf` found in a PDF (pyHanko's validator with the trust roots).

    signed: a signature is there; intact: the signed bytes are unchanged; trusted: the
    signer's certificate chains to a trust root; whole_file: the signature covers the whole
    file (nothing appended after it); signer: the certificate's subject; signed_at: the time
    the signer's software claims; timestamp: the TSA's time, when there is one."""

    signed: bool = False
    intact: bool = False
    valid: bool = False
    trusted: bool = False
    whole_file: bool = False
    signer: str = ""
    issuer: str = ""
    serial: str = ""
    signed_at: datetime | None = None
    timestamp: datetime | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def genuine(self) -> bool:
        return self.signed and self.intact and self.valid and self.trusted and self.whole_file


def verify_pdf(pdf: bytes, *, config=None) -> Verification:
    """Validate the agency's signature of `pdf` with pyHanko against ``SIGNING_TRUST_ROOTS``
    (revocation checked softly: missing information is not a failure). A PDF that cannot be
    read, or carries no signature, gives ``signed=False`` with the reason in `problems`."""
    config = config if config is not None else current_app.config
    settings = settings_from(config)
    result = Verification()
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        sigs = reader.embedded_signatures
    except Exception as exc:  # noqa: BLE001 — any unreadable upload is an answer, not a 500
        result.problems.append(f"Not a readable PDF ({type(exc).__name__}).")
        return result
    if not sigs:
        result.problems.append("The PDF carries no signature.")
        return result
    sig = sigs[-1]
    result.signed = True
    context = ValidationContext(trust_roots=load_trust_roots(settings), allow_fetching=False,
                                revocation_mode=CHECKING_REVOCATION)
    try:
        status = _isolated(asyncio.run, async_validate_pdf_signature(sig, context))
    except Exception as exc:  # noqa: BLE001 — a damaged signature is an answer, not a 500
        result.problems.append(f"The signature could not be checked ({type(exc).__name__}).")
        return result
    cert = status.signing_cert
    result.intact = bool(status.intact)
    result.valid = bool(status.valid)
    result.trusted = bool(status.trusted)
    result.whole_file = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    result.signer = _subject(cert)
    result.issuer = cert.issuer.human_friendly
    result.serial = format(cert.serial_number, "X")
    result.signed_at = status.signer_reported_dt
    if status.timestamp_validity is not None:
        result.timestamp = status.timestamp_validity.timestamp
    if not result.intact:
        result.problems.append("The signed content was changed after signing.")
    if result.intact and not result.trusted:
        result.problems.append("The signer's certificate is not trusted by the configured "
                               "roots (SIGNING_TRUST_ROOTS).")
    if not result.whole_file:
        result.problems.append("Content was added after the signature.")
    return result
