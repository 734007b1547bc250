"""Which registry sites actually operate: a scheduled reachability check of every site.

For each site: `https://<domain>/`, then `http://<domain>/` when https gets no HTTP answer;
for each, a HEAD request, then a GET (its first bytes only) when HEAD gets no answer or a
status the server gives to HEAD alone (405, 501, or 400 and above). Redirects are not
followed: any HTTP answer below 500 means the site operates ("online"); no answer (no such
name, refused, timed out, TLS failure) or a 5xx means "offline". Addresses are checked and
pinned like the captures' (`core.netguard`): the name is resolved once per site, a
private address is refused, and the connection goes to the checked address (TLS still
checks the certificate against the name).

Bounded: `REACHABILITY_WORKERS` sites at once (threads; network only — the database is
written by the calling thread), `REACHABILITY_TIMEOUT` seconds per request.
See docs/evidence.md#registry-check.
"""

from __future__ import annotations

import http.client
import ssl
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from core import netguard
from core.clock import clock
from core.input import to_int
from extensions import db
from registry.models import Reachability, Site, SiteCheck

USER_AGENT = "Mozilla/5.0 (compatible; registry-check; +inspection)"
HEAD_FALLBACK = {400, 403, 404, 405, 406, 501}


@dataclass(frozen=True)
class Probe:
    """One site's result: online or not, the status, the URL that answered, the error."""

    online: bool
    status: int | None
    url: str | None
    error: str | None


def check_all(site_ids: list[int] | None = None) -> dict[str, int]:
    """Check every registry site (or those of `site_ids`) and record each one's
    `SiteCheck`: state, since when (kept while the state holds), status, error.
    Returns {"online": n, "offline": m}. Flushes; never commits."""
    config = current_app.config
    timeout = float(config["REACHABILITY_TIMEOUT"])
    allow_loopback = bool(config["EVIDENCE_ALLOW_PRIVATE"])
    query = select(Site.id, Site.domain).order_by(Site.id)
    if site_ids is not None:
        query = query.where(Site.id.in_(site_ids))
    sites = db.session.execute(query).all()
    with ThreadPoolExecutor(max_workers=max(1, int(config["REACHABILITY_WORKERS"]))) as pool:
        probes = list(pool.map(lambda row: probe(row.domain, timeout, allow_loopback), sites))
    existing = {c.site_id: c for c in db.session.scalars(
        select(SiteCheck).where(SiteCheck.site_id.in_([row.id for row in sites])))}
    now, counts = clock().now(), {"online": 0, "offline": 0}
    for row, result in zip(sites, probes, strict=True):
        state = Reachability.online if result.online else Reachability.offline
        counts[state] += 1
        current = existing.get(row.id)
        if current is None:
            current = SiteCheck(site_id=row.id, state=state, since=now)
            db.session.add(current)
        elif current.state != state:
            current.state, current.since = state, now
        current.checked_at = now
        current.http_status = result.status
        current.url = result.url
        current.error = (result.error or "")[:300] or None
    db.session.flush()
    return counts


def probe(domain: str, timeout: float, allow_loopback: bool = False) -> Probe:
    """Whether `domain` (a registry domain, may carry a port) answers over HTTPS or HTTP.
    Worst case two timeouts: a request that times out or is refused is not retried with
    GET; GET follows only a HEAD answered with a status servers give to HEAD alone, or a
    connection closed without an answer."""
    host, _, port_text = domain.partition(":")
    port = to_int(port_text, 1, 65535)
    try:
        addresses = netguard.resolve(host, port or 443, allow_loopback=allow_loopback)
    except netguard.Refused as refused:
        return Probe(False, None, None, f"{refused.code}: {refused.detail}")
    error = None
    for scheme in ("https", "http"):
        status = None
        for method in ("HEAD", "GET"):
            try:
                status = _request(scheme, host, port, addresses, method, timeout)
            except (http.client.RemoteDisconnected, http.client.BadStatusLine) as exc:
                status, error = None, f"{type(exc).__name__}: {exc}"[:300]
                continue  # closed without an answer: try GET
            except (OSError, http.client.HTTPException, netguard.Refused) as exc:
                status, error = None, f"{type(exc).__name__}: {exc}"[:300]
                break
            if status not in HEAD_FALLBACK:
                break
        if status is not None:
            return Probe(status < 500, status, f"{scheme}://{domain}/", None)
    return Probe(False, None, None, error)


def _request(scheme: str, host: str, port: int | None, addresses: list[str], method: str,
             timeout: float) -> int:
    """The status of one request to `host` at one of the checked `addresses`. The TLS
    certificate is not checked: the question is whether something answers for the name."""
    port = port or (443 if scheme == "https" else 80)
    sock, _address = netguard.connect(addresses, port, timeout)
    try:
        if scheme == "https":
            sock = _UNVERIFIED.wrap_socket(sock, server_hostname=host)
            connection = http.client.HTTPSConnection(host, port, timeout=timeout)
        else:
            connection = http.client.HTTPConnection(host, port, timeout=timeout)
        connection.sock = sock  # already connected to the checked address
        connection.request(method, "/", headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
        response = connection.getresponse()
        if method == "GET":
            response.read(1024)
        return response.status
    finally:
        sock.close()


_UNVERIFIED = ssl.create_default_context()
_UNVERIFIED.check_hostname = False
_UNVERIFIED.verify_mode = ssl.CERT_NONE
