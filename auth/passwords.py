"""Password hashing (argon2id) and the policy for passwords users choose."""

from __future__ import annotations

import secrets
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context
from flask_babel import gettext as _
from werkzeug.security import check_password_hash

MIN_LENGTH = 10


def _hasher() -> PasswordHasher:
    """argon2id with the library's defaults; the test suite lowers the cost by config
    (ARGON2_TIME_COST, ARGON2_MEMORY_COST)."""
    config = current_app.config if has_app_context() else {}
    cost = (config.get("ARGON2_TIME_COST"), config.get("ARGON2_MEMORY_COST"))
    return _hasher_for(*cost)


@cache
def _hasher_for(time_cost: int | None, memory_cost: int | None) -> PasswordHasher:
    kwargs = {}
    if time_cost:
        kwargs["time_cost"] = time_cost
    if memory_cost:
        kwargs["memory_cost"] = memory_cost
    return PasswordHasher(**kwargs)


def hash_password(password: str) -> str:
    """An argon2id hash of `password`."""
    return _hasher().hash(password)


@cache
def _dummy_hash_for(time_cost: int | None, memory_cost: int | None) -> str:
    return _hasher_for(time_cost, memory_cost).hash(secrets.token_hex(16))


def verify_nobody(password: str) -> None:
    """Spend the time a real check takes when there is no password to check (an unknown or
    inactive user name at sign-in): argon2 against a dummy hash of the same cost, so the
    answer's delay does not tell which user names exist."""
    config = current_app.config if has_app_context() else {}
    cost = (config.get("ARGON2_TIME_COST"), config.get("ARGON2_MEMORY_COST"))
    try:
        _hasher_for(*cost).verify(_dummy_hash_for(*cost), password)
    except (VerificationError, InvalidHashError):
        pass


def verify_password(stored: str, password: str) -> tuple[bool, str | None]:
    """(matches, new hash or None). Accepts argon2 hashes and the older werkzeug scrypt or
    pbkdf2 ones; a match on an old or weaker hash returns an argon2 hash to store instead."""
    if stored.startswith("$argon2"):
        hasher = _hasher()
        try:
            hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False, None
        return True, hash_password(password) if hasher.check_needs_rehash(stored) else None
    if stored.startswith(("scrypt:", "pbkdf2:")) and check_password_hash(stored, password):
        return True, hash_password(password)
    return False, None


@cache
def _common() -> frozenset[str]:
    path = Path(__file__).parent / "data" / "common_passwords.txt"
    return frozenset(line.strip().lower() for line in path.read_text(encoding="utf-8")
                     .splitlines() if line.strip() and not line.startswith("#"))


def password_problems(password: str, username: str = "") -> list[str]:
    """Why a new password is refused (empty list: acceptable). At least `MIN_LENGTH`
    characters; not a very common password; not the user name; not one repeated character."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(_("The password needs at least %(n)d characters.", n=MIN_LENGTH))
    lowered = password.lower()
    if lowered in _common() or lowered.rstrip("0123456789!@#.") in _common():
        problems.append(_("This password is too common; choose another."))
    if username and username.lower() in lowered:
        problems.append(_("The password must not contain the user name."))
    if password and len(set(password)) <= 2:
        problems.append(_("The password must not repeat one or two characters."))
    return problems
