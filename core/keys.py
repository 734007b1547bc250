"""Secret keys outside the database: the session signing key (SECRET_KEY) and the audit
trail's key (AUDIT_KEY).

Each comes from the setting (environment or ``instance/config.py``), else from a file in the
instance folder (``instance/secret_key``, ``instance/audit_key``: one line, mode 0600, written
by `make run` through `ensure_instance_keys`). Outside the demo neither is ever invented: the
application refuses to start with a one-line message saying how to make one.

Python only (no Flask): `tools/instance_keys.py` runs it before the application exists.
"""

from __future__ import annotations

import os
import secrets
import string
from pathlib import Path

# The key every copy of the application used before it refused to run without one: a
# session signed with it must never be accepted again.
KNOWN_WEAK_KEYS = frozenset({"dev-only-change-me"})
MIN_BITS = 256  # 32 random bytes
KEY_FILES = {"SECRET_KEY": "secret_key", "AUDIT_KEY": "audit_key"}
HOW_TO = "python -c 'import secrets; print(secrets.token_hex(32))'"

_HEX = frozenset(string.hexdigits)
_BASE64 = frozenset(string.ascii_letters + string.digits + "+/=-_")


class MissingKey(SystemExit):
    """The application refuses to start. `str()` is one line saying how to fix it, printed
    without a traceback; the exit status is 4, which gunicorn's master takes as "the
    application failed to load" and stops instead of starting workers again and again."""

    EXIT_STATUS = 4

    def __init__(self, message: str):
        super().__init__(self.EXIT_STATUS)
        self.message = message

    def __str__(self) -> str:
        return self.message


def key_strength(key: str) -> float:
    """Estimated random bits in `key`, by the alphabet it is written in: 4 bits a character
    for hexadecimal, 6 for base64 (``token_urlsafe``), 8 for anything else. A key using fewer
    than 10 different characters ("aaaa…", "abab…") counts as 0."""
    if len(set(key)) < 10:
        return 0.0
    chars = set(key)
    if chars <= _HEX:
        return len(key) * 4.0
    if chars <= _BASE64:
        return len(key) * 6.0
    return len(key.encode("utf-8")) * 8.0


def is_strong(key: str | bytes | None) -> bool:
    """True when `key` holds at least 32 random bytes' worth (`MIN_BITS`) and is not a
    published development value."""
    if not key:
        return False
    if isinstance(key, bytes):
        return len(key) >= MIN_BITS // 8 and len(set(key)) >= 10
    return key not in KNOWN_WEAK_KEYS and key_strength(key) >= MIN_BITS


def read_key_file(path: Path) -> str | None:
    """The key stored in `path` (first line, stripped), or None when there is no file."""
    try:
        return path.read_text(encoding="utf-8").strip() or None
    except FileNotFoundError:
        return None


def write_key_file(path: Path) -> str:
    """Create `path` with a new random key (64 hex digits, mode 0600) unless it exists; return
    the key it holds. Two processes starting at once agree: the file is created exclusively
    and the loser reads the winner's key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return read_key_file(path) or ""
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    return key


def ensure_instance_keys(instance: Path) -> list[Path]:
    """Write each missing key file of `KEY_FILES` in `instance` (`make run` on first start);
    return the files written."""
    written = []
    for filename in KEY_FILES.values():
        path = instance / filename
        if read_key_file(path) is None:
            write_key_file(path)
            written.append(path)
    return written


def resolve_key(name: str, given: str | None, instance: Path, *, demo: bool) -> str:
    """The key to use for setting `name` (``SECRET_KEY`` or ``AUDIT_KEY``).

    `given` (from the environment or the config) wins; else the instance file; else, in the
    demo (`demo` true: a pinned date, debug or tests), a new instance file is written. Outside
    the demo a missing key, or one weaker than 32 random bytes, raises `MissingKey`; in the
    demo a weak key given on purpose (tests) is accepted, a published one never is."""
    path = instance / KEY_FILES[name]
    key = given or read_key_file(path)
    source = f"{name}" if given else str(path)
    if key is None:
        if demo:
            return write_key_file(path)
        raise MissingKey(
            f"Refusing to start: {name} is not set. Make one with {HOW_TO} and set {name} "
            f"to it (or write it to {path}, mode 0600).")
    if key in KNOWN_WEAK_KEYS or not (demo or is_strong(key)):
        raise MissingKey(
            f"Refusing to start: {source} is too weak (a published value or under 32 random "
            f"bytes). Make one with {HOW_TO}.")
    return key
