"""Department-wide figures kept in memory for a short while (the dashboard's month figures,
charts and case counts): computed once, served to every user entitled to them, dropped on
the next committed write in this process and at the latest `MAX_AGE_SECONDS` after they
were computed (another worker's write is seen then; the page says how old they are).

Only what is the same for everyone who may see it belongs here — never a user's own list.
A value is kept per application (`app.extensions`), so two applications in one process (the
tests) never share one.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from core.clock import clock

MAX_AGE_SECONDS = 60  # how stale a figure may be when another process wrote meanwhile

# Bumped after every commit in this process (a GET never commits: docs/architecture.md).
_writes = {"generation": 0}


def _committed(_session) -> None:
    _writes["generation"] += 1


def install() -> None:
    """Drop the cached figures after every committed transaction of any session."""
    if not event.contains(Session, "after_commit", _committed):
        event.listen(Session, "after_commit", _committed)


def invalidate() -> None:
    """Drop every cached figure now (a write made outside a session, e.g. by a script)."""
    _committed(None)


def cached(key: tuple, compute: Callable[[], Any]) -> tuple[Any, datetime]:
    """(value, when it was computed: aware UTC from the app's clock) for `key`: `compute()`'s
    result, computed again when a commit happened since or it is older than
    MAX_AGE_SECONDS. `key` must name everything the value depends on (the day, the scope)."""
    store = current_app.extensions.setdefault("figures_cache", {})
    held = store.get(key)
    now = time.monotonic()
    if (held is not None and held[0] == _writes["generation"]
            and now - held[1] < MAX_AGE_SECONDS):
        return held[2], held[3]
    generation = _writes["generation"]  # read first: a commit during compute() drops it
    value, computed_at = compute(), clock().now()
    store[key] = (generation, now, value, computed_at)
    return value, computed_at
