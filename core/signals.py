"""Signals from a lower layer to the ones above it, connected by `app.create_app`.

A lower layer cannot import what is above it; when it must let those layers act inside the
same transaction, it sends a signal and collects their answers.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

deadlines_outdated = _signals.signal("deadlines-outdated")
"""The working calendar or a deadline rule changed, so open deadlines must be recomputed.
Sent by the catalogue's operations (sender: the user, keyword `event_id`: the audit event);
each receiver recomputes the deadlines it owns, queues its notices, and returns the moved
deadlines as [(owner, key, old due date, new due date)]."""
