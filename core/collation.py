"""Vietnamese alphabetical order, the same on SQLite and PostgreSQL.

Neither database sorts Vietnamese by itself (SQLite compares code points, so "Ánh" and
"Đài" land after "Tin"; PostgreSQL follows the server's locale). The order is ICU's for
Vietnamese (``vi_VN``: a, ă, â, b, c, d, đ, e, ê, … with the tones as a secondary
difference, case as a tertiary one). Each name a list sorts by has a stored collation key
beside it — ICU's sort key, bytes that compare in that order byte by byte, as both
databases compare binary columns — kept by `keep_sort_key` whenever the name is set, so
that a list sorts and pages in the database, on an index.
"""

from __future__ import annotations

import threading

import icu
from sqlalchemy import event

_local = threading.local()


def _collator() -> icu.Collator:
    # one per thread: a collator is not to be shared between threads while in use
    collator = getattr(_local, "collator", None)
    if collator is None:
        collator = _local.collator = icu.Collator.createInstance(icu.Locale("vi_VN"))
    return collator


def sort_key(text: str | None) -> bytes | None:
    """The collation key of `text` in Vietnamese order (bytes), or None for None."""
    return None if text is None else bytes(_collator().getSortKey(text))


def sorted_vi(items, key=lambda item: item) -> list:
    """`items` in Vietnamese alphabetical order of `key(item)` (text; None first)."""
    return sorted(items, key=lambda item: sort_key(key(item) or "") or b"")


def keep_sort_key(source, target: str) -> None:
    """Whenever the mapped attribute `source` (e.g. ``Site.name``) is set, set the
    attribute named `target` of the same object to its collation key."""

    @event.listens_for(source, "set", retval=False)
    def _update(obj, value, _old, _initiator):
        setattr(obj, target, sort_key(value))
