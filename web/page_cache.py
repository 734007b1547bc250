"""The response cache of signed-in pages: a page rendered for one session is kept, in the
worker process that rendered it, and served again to that same session without running its
view, until any write to the database (in any process) or at most `MAX_AGE_SECONDS`.

What a page is kept under (`_key`): the session as a whole (the user's id and session
version, the CSRF token the page's forms carry, the language chosen, whatever else it
holds — hashed), the full path with its query string, the host, the application clock's
local date, and the data generation (`core.generation`) read at the start of the request,
before the view reads anything. Everything a page shows and everything its authorisation
depends on (the user, their role and version, the case's inspector, the agency settings) is
in the database, so any change to it moves the generation and the page is rendered again.

A page is kept only when it is a 200 text/html answer to a GET of a signed-in user, not a
download (no Content-Disposition), set no cookie, and neither found flashed messages in the
session nor changed the session (a fresh CSRF token, a sign-in refreshed, messages shown).
A session holding flashed messages is never answered from the cache: they are shown once,
by the view. A kept page is served at most `MAX_AGE_SECONDS` after it was rendered (by the
process's monotonic clock and by the application's clock), for the words that depend on
the time of day.

Turned off with ``PAGE_CACHE = False`` (config, or the environment's ``PAGE_CACHE=0``).
Bounded per process by `PAGE_CACHE_ENTRIES` pages and `PAGE_CACHE_BYTES` bytes (least
recently used out first). docs/architecture.md#response-cache states the invariants.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime

from flask import Flask, Response, current_app, g, request, session

from core import generation
from core.clock import clock, to_local
from extensions import login_manager

MAX_AGE_SECONDS = 60
DEFAULT_ENTRIES = 2000
DEFAULT_BYTES = 64 * 1024 * 1024
MAX_PAGE_BYTES = 2 * 1024 * 1024  # a larger page (an import preview) is not kept
HEADER = "X-Page-Cache"  # hit, miss (rendered and kept) or skip (rendered, not kept)
# Headers never replayed: the hooks that run after every request set them again.
NOT_KEPT = {"set-cookie", "content-length", "x-request-id", "date", "vary"}
# A form's one-time token (`core.forms.BaseForm.once`, a hidden input; "o1-once" with a
# prefix). Every copy of a page must carry its own: two tabs showing one kept page would
# otherwise send one token, and the second submission would be taken for a repeat of the
# first and dropped (`core.once`).
_ONCE = re.compile(rb'(<input\b[^>]*\bname="(?:[\w-]*-)?once"[^>]*\bvalue=")([^"]*)(")')


@dataclass(frozen=True)
class Entry:
    body: bytes
    status: int
    headers: tuple[tuple[str, str], ...]
    stored: float  # time.monotonic()
    rendered_at: datetime  # the application's clock


class PageCache:
    """A least-recently-used store bounded in entries and bytes, holding the pages of one
    data generation: the first lookup under a newer one empties it (the generation only
    grows, so nothing kept under an older one can be served again)."""

    def __init__(self, max_entries: int, max_bytes: int):
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self._entries: OrderedDict[tuple, Entry] = OrderedDict()
        self._bytes = 0
        self._generation: int | None = None
        self._lock = threading.Lock()

    def _move_to(self, gen: int) -> None:
        if gen != self._generation:
            if self._generation is None or gen > self._generation:
                self._entries.clear()
                self._bytes = 0
                self._generation = gen

    def get(self, gen: int, key: tuple) -> Entry | None:
        with self._lock:
            self._move_to(gen)
            if gen != self._generation:
                return None
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, gen: int, key: tuple, entry: Entry) -> bool:
        """Keep `entry`, unless a newer generation was seen meanwhile. True when kept."""
        size = len(entry.body)
        with self._lock:
            self._move_to(gen)
            if gen != self._generation or size > self.max_bytes:
                return False
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old.body)
            self._entries[key] = entry
            self._bytes += size
            while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                _key, dropped = self._entries.popitem(last=False)
                self._bytes -= len(dropped.body)
            return True

    def drop(self, key: tuple) -> None:
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old.body)

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def size(self) -> int:
        return self._bytes


def enabled(app: Flask) -> bool:
    value = app.config.get("PAGE_CACHE", True)
    if isinstance(value, str):
        return value.strip().lower() not in ("0", "false", "no", "off", "")
    return bool(value)


def _store(app: Flask) -> PageCache:
    return app.extensions["page_cache"]


def _session_fingerprint() -> str:
    """A hash of everything the session holds (its user id and version, CSRF token,
    language…): two sessions never share a page, nor one session before and after it
    changed."""
    items = repr(sorted((k, repr(v)) for k, v in session.items()))
    return hashlib.blake2b(items.encode(), digest_size=20).hexdigest()


def _identity_holds() -> bool:
    """Flask-Login's session protection would pass untouched: the session was made for
    this browser (its address and user agent, the `_id` the sign-in stored)."""
    mode = current_app.config.get("SESSION_PROTECTION", login_manager.session_protection)
    if not mode:  # any mode: the cache is only ever stricter than Flask-Login
        return True
    return session.get("_id") == login_manager._session_identifier_generator()


def _eligible() -> bool:
    """This request may be answered from the cache, or its page kept."""
    return (request.method == "GET" and not request.path.startswith("/static/")
            and "_user_id" in session and "_flashes" not in session
            and "csrf_token" in session and _identity_holds())


def _key(gen: int) -> tuple:
    return (session["_user_id"], _session_fingerprint(), request.host, request.script_root,
            request.full_path, clock().today(), gen)


def _lookup():
    app = current_app._get_current_object()
    if not enabled(app) or not _eligible():
        return None
    gen = generation.current()
    if gen is None:
        return None
    key = _key(gen)
    g.page_cache = (gen, key)
    entry = _store(app).get(gen, key)
    if entry is None:
        return None
    now = clock().now()
    if (time.monotonic() - entry.stored >= MAX_AGE_SECONDS
            or abs((now - entry.rendered_at).total_seconds()) >= MAX_AGE_SECONDS
            or to_local(now).date() != to_local(entry.rendered_at).date()):
        _store(app).drop(key)
        return None
    g.page_cache_hit = True
    response = Response(fresh_once_tokens(entry.body), status=entry.status,
                        headers=list(entry.headers))
    response.headers[HEADER] = "hit"
    return response


def fresh_once_tokens(body: bytes) -> bytes:
    """`body` (a page's HTML) with a new one-time token in each of its forms, drawn as
    `core.forms.BaseForm` draws them (18 random bytes, URL-safe)."""
    return _ONCE.sub(lambda m: m.group(1) + secrets.token_urlsafe(18).encode() + m.group(3),
                     body)


def _keep(response: Response) -> Response:
    held = g.pop("page_cache", None)
    if held is None or g.get("page_cache_hit"):
        return response
    gen, key = held
    user = g.get("_login_user")
    keep = (response.status_code == 200 and response.mimetype == "text/html"
            and not response.is_streamed and not response.direct_passthrough
            and "Content-Disposition" not in response.headers
            and "Set-Cookie" not in response.headers
            and not session.modified and "_flashes" not in session
            and session.get("_user_id") == key[0]
            and user is not None and getattr(user, "is_authenticated", False)
            and user.get_id() == key[0])
    if keep:
        body = response.get_data()
        keep = len(body) <= MAX_PAGE_BYTES and _store(current_app).put(gen, key, Entry(
            body=body, status=response.status_code,
            headers=tuple((k, v) for k, v in response.headers.items()
                          if k.lower() not in NOT_KEPT and k != HEADER),
            stored=time.monotonic(), rendered_at=clock().now()))
    response.headers[HEADER] = "miss" if keep else "skip"
    return response


def install(app: Flask) -> None:
    """Look pages up before the views (after the request id and the fresh-user hooks, so
    register it after them) and keep them after. Must be registered before the hooks that
    add headers to every response, so that it runs after them and keeps the final page."""
    app.extensions["page_cache"] = PageCache(
        int(app.config.get("PAGE_CACHE_ENTRIES") or DEFAULT_ENTRIES),
        int(app.config.get("PAGE_CACHE_BYTES") or DEFAULT_BYTES))
    app.before_request(_lookup)
    app.after_request(_keep)

