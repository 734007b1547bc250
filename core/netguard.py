"""Which web addresses the product may fetch, and the one resolution it connects to.

Capturing evidence and checking registry sites make the server fetch addresses that users
typed (or that a fetched page redirects to). Without care, that lets anyone who can type a
URL read the agency's internal network through the server (server-side request forgery).
The rules, for every connection, first or after a redirect:

- only `http` and `https`, with a host name or address and no user name or password;
- the host is resolved **once**; every address it resolves to must be public (not private,
  loopback, link-local, multicast, reserved, unspecified, shared 100.64/10, nor such an IPv4
  address inside IPv6) — and the connection goes to that resolved address, never to a
  second resolution (a DNS answer that changes between the check and the connection,
  "DNS rebinding", cannot reach an internal address);
- `allow_loopback` (setting ``EVIDENCE_ALLOW_PRIVATE=1``, for the tests only) lets loopback
  addresses (127.0.0.0/8, ::1) through, where the tests' own site runs; every other
  non-public address stays refused, so a test can never reach a real private network.

`Refused` carries a reason in Vietnamese-first translation (via `reason()`), shown to the
inspector on the capture or the check.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

SCHEMES = ("http", "https")
MAX_URL_LENGTH = 2000
NAT64 = ipaddress.ip_network("64:ff9b::/96")
getaddrinfo = socket.getaddrinfo  # the one resolver (tests replace it to play DNS rebinding)


class Refused(Exception):
    """A URL or an address the product will not fetch. `code` is stable (for tests and
    logs), `detail` the host or address concerned."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class Target:
    """A checked URL: scheme, host (IDN in ASCII), port and the URL itself."""

    url: str
    scheme: str
    host: str
    port: int


def check_url(url: str) -> Target:
    """`url` if the product may fetch it (scheme, host, no credentials), else `Refused`
    ("scheme", "no_host", "credentials", "too_long", "malformed"). Does not resolve."""
    url = (url or "").strip()
    if len(url) > MAX_URL_LENGTH:
        raise Refused("too_long")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise Refused("malformed", url[:100]) from None
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise Refused("scheme", scheme or url[:20])
    if parts.username is not None or parts.password is not None:
        raise Refused("credentials")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise Refused("no_host")
    try:
        host = host.encode("idna").decode("ascii") if not is_ip_literal(host) else host
    except UnicodeError:
        raise Refused("malformed", host) from None
    return Target(url=url, scheme=scheme, host=host.lower(),
                  port=port or (443 if scheme == "https" else 80))


def public_address(address: str) -> bool:
    """True when `address` (IPv4 or IPv6 text) is a public internet address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo or (None, None))[1]
        if ip in NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None and not public_address(str(embedded)):
            return False
    return bool(ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_private
                                      or ip.is_loopback or ip.is_link_local
                                      or ip.is_unspecified))


def allowed_address(address: str, allow_loopback: bool = False) -> bool:
    """True when the product may connect to `address`: public, or loopback when
    `allow_loopback` (tests)."""
    if allow_loopback and ipaddress.ip_address(address.split("%", 1)[0]).is_loopback:
        return True
    return public_address(address)


def resolve(host: str, port: int, *, allow_loopback: bool = False) -> list[str]:
    """The addresses of `host` from one resolution, in the resolver's order, after checking
    every one: `Refused("not_found")` when it does not resolve, `Refused("private", addr)`
    when any address is not public (loopback allowed when `allow_loopback`)."""
    try:
        infos = getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError):
        raise Refused("not_found", host) from None
    addresses: list[str] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        if sockaddr[0] not in addresses:
            addresses.append(sockaddr[0])
    if not addresses:
        raise Refused("not_found", host)
    for address in addresses:
        if not allowed_address(address, allow_loopback):
            raise Refused("private", address)
    return addresses


def connect(addresses: list[str], port: int, timeout: float) -> tuple[socket.socket, str]:
    """A TCP connection to the first of `addresses` (already checked) that answers, and the
    address used; `Refused("unreachable")` when none does."""
    last = None
    for address in addresses:
        try:
            return socket.create_connection((address, port), timeout=timeout), address
        except OSError as exc:
            last = exc
    raise Refused("unreachable", str(last or ""))


def is_ip_literal(host: str) -> bool:
    """True when `host` is an IPv4 or IPv6 address rather than a name."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
