"""Digitally signed documents (issue 20): a throw-away CA and agency certificate made here,
decisions and records signed with PAdES, validated by pyHanko's validator, a changed byte
detected, a loopback time-stamp authority, the unsigned set-up still issuing."""

from __future__ import annotations

import asyncio
import io
import logging
import os
import shutil
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pkcs11
import pytest
from asn1crypto import tsp
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    pkcs12,
)
from pkcs11 import Attribute, CertificateType, ObjectClass
from pyhanko.keys import load_cert_from_pemder, load_private_key_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.timestamps import DummyTimeStamper
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader
from pypdf.generic import ContentStream
from sqlalchemy import select
from sqlalchemy.orm import undefer

from cases.models import Case, Decision, ViolationRecord
from core import signing
from core.documents import check
from core.errors import OperationError
from core.models import AuditEvent, IssuedDocument
from core.signing import SignatureLevel, SigningConfigError, settings_from
from core.test_certificates import make_test_pki
from extensions import db
from registry.models import Report
from tests.helpers import pdf_text, squash

SIGNING_KEYS = ("SIGNING_P12", "SIGNING_P12_PASSWORD", "SIGNING_P12_PASSWORD_FILE",
                "SIGNING_TSA_URL", "SIGNING_TRUST_ROOTS", "SIGNING_PKCS11_MODULE")


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    return make_test_pki(tmp_path_factory.mktemp("pki"),
                         organisation="Thanh tra Sở TT&TT tỉnh Bắc Giang",
                         signer="Chánh Thanh tra Sở TT&TT", password="mật-khẩu-thử")


@pytest.fixture
def signing_app(app, pki):
    """The application with the test agency's PKCS#12 and the test root trusted."""
    saved = {key: app.config.get(key) for key in SIGNING_KEYS}
    app.config.update(SIGNING_P12=str(pki.agency_p12), SIGNING_P12_PASSWORD=pki.password,
                      SIGNING_TRUST_ROOTS=str(pki.root_cert))
    yield app
    app.config.update(saved)


class _TsaHandler(BaseHTTPRequestHandler):
    stamper: DummyTimeStamper
    requests = 0

    def do_POST(self):  # noqa: N802 — http.server's name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        request = tsp.TimeStampReq.load(body)
        answer = self.stamper.request_tsa_response(request).dump()
        type(self).requests += 1
        self.send_response(200)
        self.send_header("Content-Type", "application/timestamp-reply")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


@pytest.fixture
def tsa(pki):
    """A time-stamp authority on loopback answering RFC 3161 requests over HTTP with
    pyHanko's DummyTimeStamper and the test TSA certificate."""
    handler = type("Handler", (_TsaHandler,), {"requests": 0, "stamper": DummyTimeStamper(
        tsa_cert=load_cert_from_pemder(str(pki.tsa_cert)),
        tsa_key=load_private_key_from_pemder(str(pki.tsa_key), passphrase=None))})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", handler
    server.shutdown()
    server.server_close()


def _decision_pdf(app, case_id):
    with app.app_context():
        return db.session.scalar(select(Decision).options(undefer(Decision.pdf))
                                 .where(Decision.case_id == case_id)).pdf


def _appearance_text(reader, widget) -> list[str]:
    """The lines of a signature box as a reader shows them (the /ActualText of each line of
    its appearance stream and the forms it draws)."""
    lines = []

    def walk(xobject):
        for operands, operator in ContentStream(xobject, reader).operations:
            if operator == b"BDC" and isinstance(operands[1], dict):
                if "/ActualText" in operands[1]:
                    lines.append(str(operands[1]["/ActualText"]))
        resources = xobject.get("/Resources") or {}
        for sub in (resources.get("/XObject") or {}).values():
            walk(sub.get_object())

    walk(widget["/AP"]["/N"].get_object())
    return lines


def _validate(pdf: bytes, pki):
    sig = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]
    context = ValidationContext(trust_roots=[load_cert_from_pemder(str(pki.root_cert))])
    # in a thread of its own: a test run earlier in this process may have left an event loop
    # running in this thread (asyncio.run refuses to start then)
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, async_validate_pdf_signature(sig, context)).result()


def test_an_issued_decision_is_signed_by_the_agency(signing_app, pki, make_case):
    case = make_case(state="decision_issued")
    pdf = _decision_pdf(signing_app, case.id)
    status = _validate(pdf, pki)
    assert status.intact and status.valid and status.trusted
    assert status.signing_cert.subject.native["common_name"] == "Chánh Thanh tra Sở TT&TT"
    assert status.coverage.name == "ENTIRE_FILE"
    # the visible box sits at the place the form leaves for the signature (the marker below
    # the signer's title, on page 2 of 3: the receipt follows) and says who signed, for
    # whom, when
    reader = PdfReader(io.BytesIO(pdf))
    marker = reader.named_destinations[signing.MARKER]
    page = reader.get_destination_page_number(marker)
    assert (page, len(reader.pages)) == (1, 3)
    assert "Chánh Thanh tra".upper() in reader.pages[page].extract_text().upper()
    widgets = [a.get_object() for a in reader.pages[page].get("/Annots", [])]
    box = next(w for w in widgets if w.get("/T") == signing.FIELD)
    left, bottom, right, top = (float(v) for v in box["/Rect"])
    assert (round(left), round(top)) == (round(marker.left), round(marker.top))
    assert (right - left, top - bottom) == (signing.BOX_WIDTH, signing.BOX_HEIGHT)
    assert _appearance_text(reader, box) == [
        "Ký bởi: Nguyễn Đức Thắng", "Cơ quan: Sở Thông tin và Truyền thông tỉnh Bắc Giang",
        "Thời gian: 09:00 12/11/2014"]
    with signing_app.app_context():
        entry = db.session.scalar(select(IssuedDocument).where(IssuedDocument.kind == "decision"))
        decision = db.session.scalar(select(Decision).where(Decision.case_id == case.id))
        assert entry.sha256 == decision.sha256
        assert entry.signature_level == SignatureLevel.b_b
        assert "Chánh Thanh tra Sở TT&TT" in entry.certificate
        record = db.session.scalar(select(ViolationRecord).options(undefer(ViolationRecord.pdf))
                                   .where(ViolationRecord.case_id == case.id))
    # the violation record is signed too (its number in the register)
    assert _validate(record.pdf, pki).intact


def test_the_product_tells_a_genuine_decision_from_a_modified_one(signing_app, make_case):
    case = make_case(state="decision_issued")
    pdf = _decision_pdf(signing_app, case.id)
    with signing_app.app_context():
        genuine = check(pdf)
        assert genuine.entry is not None and genuine.entry.reference.endswith("/QĐ-XPVPHC")
        assert genuine.signature.genuine and genuine.genuine
        assert "Chánh Thanh tra Sở TT&TT" in genuine.signature.signer
        changed = bytearray(pdf)
        changed[600] = (changed[600] + 1) % 256  # one byte of the signed content
        forged = check(bytes(changed))
    assert forged.entry is None
    assert not forged.signature.intact
    assert not forged.genuine
    assert "The signed content was changed after signing." in forged.signature.problems


def test_a_time_stamp_from_the_configured_authority(signing_app, pki, tsa, make_case):
    url, handler = tsa
    signing_app.config["SIGNING_TSA_URL"] = url
    case = make_case(state="decision_issued")
    pdf = _decision_pdf(signing_app, case.id)
    status = _validate(pdf, pki)
    assert status.intact and status.trusted
    assert status.timestamp_validity is not None and status.timestamp_validity.intact
    assert handler.requests >= 2  # the record and the decision
    with signing_app.app_context():
        entry = db.session.scalar(select(IssuedDocument).where(IssuedDocument.kind == "decision"))
        # the test certificates name no OCSP or CRL address: no revocation information,
        # said so, and signed all the same
        assert entry.signature_level == SignatureLevel.b_t
        assert "Revocation information could not be fetched" in entry.signature_note
        assert check(pdf).signature.timestamp is not None


def test_an_unreachable_time_stamp_authority_still_signs_and_says_so(signing_app, pki,
                                                                     make_case):
    signing_app.config["SIGNING_TSA_URL"] = "http://127.0.0.1:9/"  # nothing listens there
    case = make_case(state="decision_issued")
    assert _validate(_decision_pdf(signing_app, case.id), pki).intact
    with signing_app.app_context():
        entry = db.session.scalar(select(IssuedDocument).where(IssuedDocument.kind == "decision"))
    assert entry.signature_level == SignatureLevel.b_b
    assert "No time stamp" in entry.signature_note


def test_without_a_certificate_documents_are_issued_unsigned(app, make_case):
    case = make_case(state="decision_issued")
    pdf = _decision_pdf(app, case.id)
    assert PdfFileReader(io.BytesIO(pdf)).embedded_signatures == []
    assert "Ký bởi" not in pdf_text(pdf)
    with app.app_context():
        assert db.session.get(Case, case.id).state == "decision_issued"
        result = check(pdf)
        assert result.entry is not None and result.entry.signature_level == "unsigned"
        assert result.genuine  # ours, unchanged, but proven only by our register
        assert "The PDF carries no signature." in result.signature.problems


def test_a_wrong_password_refuses_to_issue(signing_app, make_case):
    signing_app.config["SIGNING_P12_PASSWORD"] = "sai"
    with pytest.raises(OperationError) as refused:
        make_case(state="record_made")
    assert refused.value.message == ("Không ký số được văn bản bằng chứng thư số của cơ quan: "
                                     "The PKCS#12 file could not be read (path or password).")
    with signing_app.app_context():
        assert db.session.scalar(select(ViolationRecord)) is None


def test_settings_are_read_and_refused_when_contradictory(tmp_path):
    pin_file = tmp_path / "pin"
    pin_file.write_text("123456\n")
    token = settings_from({"SIGNING_PKCS11_MODULE": "/usr/lib/softhsm/libsofthsm2.so",
                           "SIGNING_PKCS11_SLOT": "0", "SIGNING_PKCS11_KEY_LABEL": "agency",
                           "SIGNING_PKCS11_PIN_FILE": str(pin_file),
                           "SIGNING_TRUST_ROOTS": "/a/root.pem, /b/ca.pem"})
    assert token.configured and token.source == "PKCS#11"
    assert (token.pkcs11_slot, token.pkcs11_key_label) == (0, "agency")
    assert token.trust_roots == ("/a/root.pem", "/b/ca.pem")
    assert settings_from({"SIGNING_PKCS11_MODULE": "m.so", "SIGNING_PKCS11_KEY_LABEL": "k",
                          "SIGNING_PKCS11_TOKEN_LABEL": "BCY-CA"}).pkcs11_token_label == "BCY-CA"
    assert signing._secret({"SIGNING_PKCS11_PIN_FILE": str(pin_file)},
                           "SIGNING_PKCS11_PIN") == "123456"
    assert "PIN" not in repr(token) and "123456" not in repr(token)
    assert not settings_from({}).configured
    with pytest.raises(SigningConfigError, match="not both"):
        settings_from({"SIGNING_P12": "a.p12", "SIGNING_PKCS11_MODULE": "m.so",
                       "SIGNING_PKCS11_KEY_LABEL": "k"})
    with pytest.raises(SigningConfigError, match="KEY_LABEL"):
        settings_from({"SIGNING_PKCS11_MODULE": "m.so"})
    with pytest.raises(SigningConfigError, match="number"):
        settings_from({"SIGNING_PKCS11_MODULE": "m.so", "SIGNING_PKCS11_KEY_LABEL": "k",
                       "SIGNING_PKCS11_SLOT": "first"})


def test_the_command_line_makes_a_test_certificate_and_verifies(app, runner, make_case,
                                                                tmp_path):
    made = runner.invoke(args=["documents", "make-test-cert", str(tmp_path / "pki"),
                               "--password", "thu-nghiem"])
    assert made.exit_code == 0, made.output
    assert f"SIGNING_P12={tmp_path / 'pki' / 'agency.p12'}" in made.output
    saved = {key: app.config.get(key) for key in SIGNING_KEYS}
    app.config.update(SIGNING_P12=str(tmp_path / "pki" / "agency.p12"),
                      SIGNING_P12_PASSWORD="thu-nghiem",
                      SIGNING_TRUST_ROOTS=str(tmp_path / "pki" / "root.pem"))
    try:
        case = make_case(state="decision_issued")
        pdf = _decision_pdf(app, case.id)
        genuine = tmp_path / "qd.pdf"
        genuine.write_bytes(pdf)
        result = runner.invoke(args=["documents", "verify", str(genuine)])
        assert result.exit_code == 0, result.output
        assert "Issued by the agency: decision 01/QĐ-XPVPHC" in result.output
        assert "Signed by: Common Name: Chánh Thanh tra Sở" in result.output
        assert "Intact: yes; trusted: yes; covers the whole file: yes" in result.output
        assert result.output.rstrip().endswith("GENUINE")
        # one more byte after the signature: no longer the issued file, nor wholly signed
        forged = tmp_path / "qd-sua.pdf"
        forged.write_bytes(pdf + b"\n%x")
        result = runner.invoke(args=["documents", "verify", str(forged)])
        assert result.exit_code == 1
        assert "Not in the register of issued documents" in result.output
        assert "NOT GENUINE" in result.output
    finally:
        app.config.update(saved)


def test_signing_while_an_event_loop_runs_in_the_thread(signing_app, pki, make_case):
    """A capture job issues its record while Playwright's loop runs: pyHanko's own
    asyncio.run must not collide with it."""

    async def issue():
        return make_case(state="decision_issued")

    # the loop runs in a thread of its own: another test of this worker (Playwright) may have
    # left one running in the main thread, where asyncio.run itself would refuse to start
    with ThreadPoolExecutor(max_workers=1) as pool:
        case = pool.submit(asyncio.run, issue()).result()
    assert _validate(_decision_pdf(signing_app, case.id), pki).intact


def test_downloads_and_the_case_page_show_the_signature_state(signing_app, make_case,
                                                              login_as):
    case = make_case(state="decision_issued")
    client = login_as("inspector")
    response = client.get(f"/cases/{case.id}/decision.pdf")
    assert response.headers["X-Signature-State"] == "b_b"
    assert client.get(f"/cases/{case.id}/record.pdf").headers["X-Signature-State"] == "b_b"
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert 'data-signature-state="b_b">Đã ký số (PAdES B-B)</span>' in page
    assert 'id="not-signed"' not in page


def test_without_a_certificate_the_case_page_says_documents_are_not_signed(app, make_case,
                                                                          login_as):
    case = make_case(state="decision_issued")
    client = login_as("inspector")
    assert client.get(f"/cases/{case.id}/decision.pdf").headers["X-Signature-State"] == \
        "unsigned"
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Văn bản không được ký số" in page
    assert 'data-signature-state="unsigned">Chưa ký số</span>' in page


def test_the_verification_page_tells_genuine_from_modified(signing_app, make_case, login_as):
    case = make_case(state="decision_issued")
    pdf = _decision_pdf(signing_app, case.id)
    client = login_as("inspector2")  # any signed-in user may verify
    assert client.get("/documents/verify").status_code == 200
    answer = client.post("/documents/verify", data={"file": (io.BytesIO(pdf), "qd.pdf")},
                         content_type="multipart/form-data")
    page = squash(answer.get_data(as_text=True))
    assert answer.status_code == 200
    assert "Bản gốc: do cơ quan ban hành, không bị thay đổi" in page
    assert "Quyết định 01/QĐ-XPVPHC" in page
    assert "Ký bởi Common Name: Chánh Thanh tra Sở TT&amp;TT" in page
    changed = bytearray(pdf)
    changed[600] = (changed[600] + 1) % 256
    answer = client.post("/documents/verify",
                         data={"file": (io.BytesIO(bytes(changed)), "qd.pdf")},
                         content_type="multipart/form-data")
    page = squash(answer.get_data(as_text=True))
    assert "Không phải văn bản gốc của cơ quan" in page
    assert "không: nội dung đã ký bị thay đổi" in page
    empty = client.post("/documents/verify", data={}, content_type="multipart/form-data")
    assert empty.status_code == 422
    assert signing_app.test_client().get("/documents/verify").status_code == 302


SOFTHSM = "/usr/lib/softhsm/libsofthsm2.so"


@pytest.fixture
def token(tmp_path, pki, monkeypatch):
    """A SoftHSM token (Debian's softhsm2) holding the agency's key and certificate, as a
    USB token would: label "agency", PIN 246810. CI installs softhsm2 and sets
    SIGNING_PKCS11_REQUIRED, so the test runs there; elsewhere it is skipped without it."""
    if not (Path(SOFTHSM).is_file() and shutil.which("softhsm2-util")):
        if os.environ.get("SIGNING_PKCS11_REQUIRED"):
            pytest.fail("softhsm2 is not installed (apt-get install softhsm2)")
        pytest.skip("softhsm2 is not installed")
    (tmp_path / "tokens").mkdir()
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tmp_path / 'tokens'}\n"
                    "objectstore.backend = file\nlog.level = ERROR\n")
    monkeypatch.setenv("SOFTHSM2_CONF", str(conf))
    pin = "246810"

    def util(*args):
        subprocess.run(["softhsm2-util", *args], check=True, capture_output=True)

    util("--init-token", "--free", "--label", "agency", "--pin", pin, "--so-pin", "13579")
    key, cert, _chain = pkcs12.load_key_and_certificates(pki.agency_p12.read_bytes(),
                                                         pki.password.encode("utf-8"))
    key_file = tmp_path / "key.pem"
    key_file.write_bytes(key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    util("--import", str(key_file), "--token", "agency", "--label", "agency", "--id", "01",
         "--pin", pin)
    key_file.unlink()
    with pkcs11.lib(SOFTHSM).get_token(token_label="agency").open(rw=True,
                                                                 user_pin=pin) as session:
        session.create_object({
            Attribute.CLASS: ObjectClass.CERTIFICATE,
            Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
            Attribute.VALUE: cert.public_bytes(Encoding.DER),
            Attribute.SUBJECT: cert.subject.public_bytes(), Attribute.LABEL: "agency",
            Attribute.ID: b"\x01", Attribute.TOKEN: True})
    pin_file = tmp_path / "pin"
    pin_file.write_text(pin + "\n")
    return pin, pin_file


def test_a_decision_signed_on_a_pkcs11_token(app, pki, token, make_case, caplog):
    pin, pin_file = token
    saved = {key: app.config.get(key) for key in (*SIGNING_KEYS, "SIGNING_PKCS11_KEY_LABEL",
                                                  "SIGNING_PKCS11_TOKEN_LABEL",
                                                  "SIGNING_PKCS11_PIN_FILE")}
    app.config.update(SIGNING_PKCS11_MODULE=SOFTHSM, SIGNING_PKCS11_TOKEN_LABEL="agency",
                      SIGNING_PKCS11_KEY_LABEL="agency", SIGNING_PKCS11_PIN_FILE=str(pin_file),
                      SIGNING_TRUST_ROOTS=str(pki.root_cert))
    try:
        caplog.set_level(logging.DEBUG)
        case = make_case(state="decision_issued")
        status = _validate(_decision_pdf(app, case.id), pki)
        assert status.intact and status.valid and status.trusted
        assert status.signing_cert.subject.native["common_name"] == "Chánh Thanh tra Sở TT&TT"
        # the PIN is in no log line and no row: not the audit trail, not the register
        assert pin not in caplog.text
        with app.app_context():
            for model in (AuditEvent, IssuedDocument):
                for row in db.session.scalars(select(model)):
                    assert pin not in repr({c.name: getattr(row, c.name)
                                            for c in model.__table__.columns})
    finally:
        app.config.update(saved)


def test_long_term_validation_when_revocation_information_can_be_fetched(app, make_case,
                                                                        tmp_path):
    """A CA publishing its CRL on loopback: the decision is signed B-LT, the CRL embedded
    in the document's security store (validation without any network)."""

    class Handler(_TsaHandler):
        crl = b""
        fetched = 0

        def do_GET(self):  # noqa: N802 — http.server's name
            type(self).fetched += 1
            self.send_response(200)
            self.send_header("Content-Type", "application/pkix-crl")
            self.send_header("Content-Length", str(len(self.crl)))
            self.end_headers()
            self.wfile.write(self.crl)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    pki = make_test_pki(tmp_path / "pki", organisation="Thanh tra Sở TT&TT tỉnh Bắc Giang",
                        signer="Chánh Thanh tra Sở TT&TT", crl_url=f"{base}/root.crl")
    Handler.crl = (tmp_path / "pki" / "root.crl").read_bytes()
    Handler.stamper = DummyTimeStamper(
        tsa_cert=load_cert_from_pemder(str(pki.tsa_cert)),
        tsa_key=load_private_key_from_pemder(str(pki.tsa_key), passphrase=None))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    saved = {key: app.config.get(key) for key in SIGNING_KEYS}
    app.config.update(SIGNING_P12=str(pki.agency_p12), SIGNING_P12_PASSWORD=pki.password,
                      SIGNING_TRUST_ROOTS=str(pki.root_cert), SIGNING_TSA_URL=f"{base}/tsa")
    try:
        case = make_case(state="decision_issued")
        pdf = _decision_pdf(app, case.id)
        with app.app_context():
            entry = db.session.scalar(select(IssuedDocument)
                                      .where(IssuedDocument.kind == "decision"))
            assert (entry.signature_level, entry.signature_note) == (SignatureLevel.b_lt, None)
    finally:
        app.config.update(saved)
        server.shutdown()
        server.server_close()
    assert Handler.fetched >= 1
    reader = PdfFileReader(io.BytesIO(pdf))
    dss = reader.root["/DSS"]
    assert len(dss["/CRLs"]) >= 1
    sig = reader.embedded_signatures[0]
    # validated offline with the CRLs the document carries, revocation checked strictly
    embedded = [crl.get_object().data for crl in dss["/CRLs"]]
    context = ValidationContext(trust_roots=[load_cert_from_pemder(str(pki.root_cert))],
                                crls=embedded, allow_fetching=False,
                                revocation_mode="hard-fail")
    with ThreadPoolExecutor(max_workers=1) as pool:  # a loop may run in this thread already
        status = pool.submit(asyncio.run, async_validate_pdf_signature(sig, context)).result()
    assert status.intact and status.trusted and status.timestamp_validity.intact
    assert status.revocation_details is None  # not revoked


def test_a_report_to_the_ministry_is_signed_and_registered(signing_app, pki, clock, login_as):
    clock.set(date(2014, 11, 19))
    supervisor = login_as("supervisor")
    issued = supervisor.post("/sites/reports", data={
        "period_start": "01/11/2014", "period_end": "19/11/2014", "action": "issue",
        "confirm_report": "y"})
    assert issued.status_code == 302
    with signing_app.app_context():
        report = db.session.scalar(select(Report).options(undefer(Report.pdf)))
        entry = db.session.scalar(select(IssuedDocument).where(IssuedDocument.kind == "report"))
        assert (entry.reference, entry.sha256) == ("01/BC-STTTT", report.sha256)
    status = _validate(report.pdf, pki)
    assert status.intact and status.trusted
    download = supervisor.get(f"/sites/reports/{report.id}.pdf")
    assert download.data == report.pdf
    assert download.headers["X-Signature-State"] == "b_b"


def test_every_issuing_path_goes_through_freeze():
    """No operation computes a frozen document's SHA-256 itself: each calls
    core.documents.freeze (which signs and registers)."""
    root = Path(__file__).resolve().parent.parent
    offenders = []
    for path in [*root.glob("*/operations*.py"), *root.glob("*/operations/*.py"),
                 root / "registry" / "report.py", root / "inspections" / "report.py"]:
        text = path.read_text(encoding="utf-8")
        for pdf_hash in ("sha256(pdf)", ".pdf).hexdigest()", "sha256(record)"):
            if pdf_hash in text:
                offenders.append(f"{path.relative_to(root)}: {pdf_hash}")
    assert not offenders, offenders
