"""A SOCKS5 proxy on loopback through which the capture browser makes every connection.

Chromium is started with this proxy and with its own host resolver switched off (Playwright
adds ``--host-resolver-rules="MAP * ~NOTFOUND"`` for a SOCKS proxy): it sends each host
*name* to the proxy, which resolves it once per capture (`core.netguard.resolve`), refuses
non-public addresses, and connects to the address it checked. The same host keeps the same
address for the whole capture, so a DNS answer that changes cannot move a later request —
a redirect, an image, a script — to an internal address. The proxy also counts the bytes
the page downloads and cuts every connection of the capture past the limit.

One `GuardProxy` serves one browser; captures through it are sequential, each opened with
`session()` (connections outside a session are refused).
"""

from __future__ import annotations

import contextlib
import select
import socket
import struct
import threading
from dataclasses import dataclass, field

from core import netguard

CONNECT_TIMEOUT = 10.0


@dataclass
class Session:
    """What one capture's connections did: `addresses` {(host, port): address connected},
    `refused` [(host, port, code, detail)], `received` bytes from the servers."""

    allow_loopback: bool
    max_bytes: int
    resolved: dict[str, list[str]] = field(default_factory=dict)
    addresses: dict[tuple[str, int], str] = field(default_factory=dict)
    refused: list[tuple[str, int, str, str]] = field(default_factory=list)
    received: int = 0
    over_limit: bool = False
    sockets: set = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def address_of(self, host: str, port: int) -> str | None:
        return self.addresses.get((host.lower(), port))


class GuardProxy:
    """Start with `start()`; `port` is the loopback port; `close()` stops it."""

    def __init__(self):
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self._session: Session | None = None
        self._stopped = False
        self._thread = threading.Thread(target=self._accept, name="capture-proxy", daemon=True)

    def start(self) -> GuardProxy:
        self._thread.start()
        return self

    def close(self) -> None:
        self._stopped = True
        with contextlib.suppress(OSError):
            self._server.close()

    @contextlib.contextmanager
    def session(self, *, allow_loopback: bool, max_bytes: int):
        """Open a capture's session; on exit every connection it opened is closed."""
        current = Session(allow_loopback=allow_loopback, max_bytes=max_bytes)
        self._session = current
        try:
            yield current
        finally:
            self._session = None
            _close_all(current)

    def _accept(self) -> None:
        while not self._stopped:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client, self._session),
                             daemon=True).start()

    def _serve(self, client: socket.socket, current: Session | None) -> None:
        upstream = None
        try:
            client.settimeout(CONNECT_TIMEOUT)
            host, port = _handshake(client)
            if current is None or current.over_limit:
                _reply(client, 2)
                return
            try:
                upstream = self._connect(current, host, port)
            except netguard.Refused as refused:
                with current.lock:
                    current.refused.append((host, port, refused.code, refused.detail))
                _reply(client, 2 if refused.code == "private" else 4)
                return
            _reply(client, 0)
            with current.lock:
                current.sockets.update((client, upstream))
            _pipe(client, upstream, current)
        except (OSError, ValueError):
            pass
        finally:
            for sock in (client, upstream):
                if sock is not None:
                    with contextlib.suppress(OSError):
                        sock.close()

    def _connect(self, current: Session, host: str, port: int) -> socket.socket:
        key = host.lower()
        with current.lock:
            addresses = current.resolved.get(key)
        if addresses is None:
            addresses = netguard.resolve(key, port, allow_loopback=current.allow_loopback)
            with current.lock:  # the first resolution wins: pinned for the capture
                addresses = current.resolved.setdefault(key, addresses)
        sock, address = netguard.connect(addresses, port, CONNECT_TIMEOUT)
        sock.settimeout(None)
        with current.lock:
            current.addresses.setdefault((key, port), address)
        return sock


def _handshake(client: socket.socket) -> tuple[str, int]:
    """Read a SOCKS5 greeting (no authentication) and CONNECT request: (host, port)."""
    version, count = _recv(client, 2)
    if version != 5:
        raise ValueError("not SOCKS5")
    _recv(client, count)
    client.sendall(b"\x05\x00")
    version, command, _reserved, kind = _recv(client, 4)
    if version != 5 or command != 1:
        _reply(client, 7)
        raise ValueError("only CONNECT")
    if kind == 1:
        host = socket.inet_ntop(socket.AF_INET, _recv(client, 4))
    elif kind == 4:
        host = socket.inet_ntop(socket.AF_INET6, _recv(client, 16))
    elif kind == 3:
        host = _recv(client, _recv(client, 1)[0]).decode("ascii", "replace")
    else:
        _reply(client, 8)
        raise ValueError("address type")
    (port,) = struct.unpack("!H", _recv(client, 2))
    return host, port


def _reply(client: socket.socket, code: int) -> None:
    with contextlib.suppress(OSError):
        client.sendall(bytes([5, code, 0, 1, 0, 0, 0, 0, 0, 0]))


def _recv(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise ValueError("closed")
        data += chunk
    return data


def _pipe(client: socket.socket, upstream: socket.socket, current: Session) -> None:
    client.settimeout(None)
    peers = {client: upstream, upstream: client}
    while True:
        readable, _, _ = select.select(list(peers), [], [], 60)
        if not readable:
            return
        for sock in readable:
            data = sock.recv(65536)
            if not data:
                return
            if sock is upstream:
                with current.lock:
                    current.received += len(data)
                    if current.received > current.max_bytes:
                        current.over_limit = True
                if current.over_limit:
                    _close_all(current)
                    return
            peers[sock].sendall(data)


def _close_all(current: Session) -> None:
    with current.lock:
        sockets = list(current.sockets)
        current.sockets.clear()
    for sock in sockets:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        with contextlib.suppress(OSError):
            sock.close()
