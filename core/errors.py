"""Errors raised by operations. Views turn them into a message (or a 403) for the user."""

from __future__ import annotations

from werkzeug.exceptions import InternalServerError


class OperationError(Exception):
    """An operation refused its input. `message` is for the user (already translated);
    `field` names the form field it concerns, when there is one."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(OperationError):
    """The user may not perform this operation on this object (answered with 403)."""


class TamperedDocument(InternalServerError):
    """A frozen document whose bytes no longer hash to the SHA-256 stored with it (or whose
    seal is broken): it is never served (web shows an error page; the mismatch is logged by
    `core.audit.content_matches`)."""
