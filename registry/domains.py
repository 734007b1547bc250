"""Domain normalisation for matching registry entries."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import idna
from flask_babel import gettext as _

LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def normalize_domain(text: str) -> str:
    """``https://WWW.Báo-Mới.vn/path`` → ``xn--bo-mi-...vn``: lower case, no scheme, path,
    port or ``www.``, internationalised names in punycode (IDNA 2008, UTS #46).

    Raises ValueError with a message for the user when the text is not a domain name.
    """
    raw = (text or "").strip()
    if not raw:
        raise ValueError(_("Enter the domain name, e.g. tinmoi24h.vn."))
    if "://" not in raw:
        raw = "http://" + raw
    try:
        host = urlsplit(raw).hostname or ""
    except ValueError:
        host = ""
    host = host.rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    try:
        ascii_host = idna.encode(host, uts46=True).decode("ascii") if host else ""
    except idna.IDNAError:
        ascii_host = ""
    labels = ascii_host.split(".")
    if len(labels) < 2 or not all(LABEL.match(label) for label in labels):
        raise ValueError(_("«%(text)s» is not a domain name (e.g. tinmoi24h.vn).", text=text))
    return ascii_host


def display_domain(domain: str | None) -> str:
    """A stored (punycode) domain as people read it: ``xn--bo-mia.vn`` → ``báo.vn``; an
    ASCII domain, or one that does not decode, is returned unchanged."""
    if not domain or "xn--" not in domain:
        return domain or ""
    try:
        return idna.decode(domain)
    except idna.IDNAError:
        return domain
