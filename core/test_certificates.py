"""A throw-away certification authority and agency certificate, for trying signing out
(`flask documents make-test-cert`) and for the tests. Never for real documents: the CA's key
is written beside its certificate, and nobody outside trusts it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

VALID_FROM = datetime(2010, 1, 1, tzinfo=UTC)  # covers the demo's pinned dates (2014…)
VALID_TO = datetime(2045, 1, 1, tzinfo=UTC)


@dataclass
class TestPki:
    """Paths of what `make_test_pki` wrote: the root certificate (to trust), the agency's
    PKCS#12 (to sign), a time-stamping certificate and key (for a local TSA)."""

    root_cert: Path
    root_key: Path
    agency_p12: Path
    agency_cert: Path
    tsa_cert: Path
    tsa_key: Path
    password: str


def _name(common: str, organisation: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
                      x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _issue(subject, key, issuer, issuer_key, *, ca=False, eku=None, serial=None,
           crl_url=None):
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer)
               .public_key(key.public_key())
               .serial_number(serial or x509.random_serial_number())
               .not_valid_before(VALID_FROM).not_valid_after(VALID_TO)
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                              critical=False))
    if ca:
        builder = builder.add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=False, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
            encipher_only=False, decipher_only=False), critical=True)
    else:
        builder = builder.add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=True, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=False,
            crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
    if eku:
        builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=True)
    if crl_url:
        builder = builder.add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
            full_name=[x509.UniformResourceIdentifier(crl_url)], relative_name=None,
            reasons=None, crl_issuer=None)]), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def make_test_pki(directory: Path, *, organisation: str, signer: str = "Chánh Thanh tra",
                  password: str = "test", crl_url: str | None = None) -> TestPki:
    """Write a test root CA, an agency certificate issued by it (in a PKCS#12 protected by
    `password`) and a time-stamping certificate into `directory`; with `crl_url`, the two
name it as their CRL distribution point and ``root.crl`` (DER, empty, signed by the root,
valid 2010–2045) is written to be served there. Certificates are valid
    2010–2045 so that documents dated by the demo's pinned clock can be signed."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    root_key = _key()
    root_name = _name("CA THỬ NGHIỆM (không dùng thật)", organisation[:64])
    root = _issue(root_name, root_key, root_name, root_key, ca=True)
    agency_key = _key()
    agency = _issue(_name(signer[:64], organisation[:64]), agency_key, root_name, root_key,
                    crl_url=crl_url)
    tsa_key = _key()
    tsa = _issue(_name("TSA thử nghiệm", organisation[:64]), tsa_key, root_name, root_key,
                 eku=[ExtendedKeyUsageOID.TIME_STAMPING], crl_url=crl_url)
    pem = serialization.Encoding.PEM
    plain = serialization.NoEncryption()
    pkcs8 = serialization.PrivateFormat.PKCS8
    paths = TestPki(root_cert=directory / "root.pem", root_key=directory / "root.key",
                    agency_p12=directory / "agency.p12", agency_cert=directory / "agency.pem",
                    tsa_cert=directory / "tsa.pem", tsa_key=directory / "tsa.key",
                    password=password)
    paths.root_cert.write_bytes(root.public_bytes(pem))
    paths.root_key.write_bytes(root_key.private_bytes(pem, pkcs8, plain))
    paths.agency_cert.write_bytes(agency.public_bytes(pem))
    paths.agency_p12.write_bytes(pkcs12.serialize_key_and_certificates(
        b"agency", agency_key, agency, [root],
        serialization.BestAvailableEncryption(password.encode("utf-8"))))
    paths.tsa_cert.write_bytes(tsa.public_bytes(pem))
    paths.tsa_key.write_bytes(tsa_key.private_bytes(pem, pkcs8, plain))
    if crl_url:
        crl = (x509.CertificateRevocationListBuilder().issuer_name(root_name)
               .last_update(VALID_FROM).next_update(VALID_TO).sign(root_key, hashes.SHA256()))
        (directory / "root.crl").write_bytes(crl.public_bytes(serialization.Encoding.DER))
    for secret in (paths.root_key, paths.tsa_key, paths.agency_p12):
        secret.chmod(0o600)
    return paths
