"""What makes a user's name, user name and e-mail acceptable: one set of rules for the web
form (`auth.forms.UserForm`) and the command line (`flask users create`)."""

from __future__ import annotations

import re
import unicodedata

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l

from legal.text import single_line

USERNAME = re.compile(r"^[a-z0-9._-]+$")
USERNAME_MESSAGE = _l("Lower-case letters, digits, dots, dashes.")
EMAIL_MESSAGE = _l("Invalid email address.")
LENGTHS = {"username": 64, "full_name": 200, "email": 254, "title": 200}


def normalise_username(value: str | None) -> str:
    """A user name as stored, matched and counted by the sign-in limits — the one
    normalisation for the sign-in and user forms, the limiter's keys, the lookup, and user
    creation on the web and the command line: Unicode NFC, format and control characters
    (categories Cf and Cc: zero-width spaces, joiners, byte order marks, bidi marks, C0/C1)
    dropped wherever they are, surrounding spaces stripped, case folded (phones capitalise
    the first letter: "Inspector " is "inspector", and "deputy\u200b" is "deputy")."""
    text = unicodedata.normalize("NFC", value or "")
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cf", "Cc"))
    return unicodedata.normalize("NFC", text).strip().casefold()


def email_ok(value: str) -> bool:
    """True when `value` is an e-mail address (syntax only: nothing is looked up)."""
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def user_problems(username: str, email: str, full_name: str, title: str = "") -> list[str]:
    """The problems of a new user's details (messages in the request's language), empty
    when they are acceptable. The texts are taken as `legal.text.single_line` leaves them."""
    problems = []
    values = {"username": username, "email": email, "full_name": full_name, "title": title}
    for name, limit in LENGTHS.items():
        if len(single_line(values[name]) or "") > limit:
            problems.append(str(_l("At most %(max)d characters.", max=limit)))
    if not USERNAME.match(username or ""):
        problems.append(str(USERNAME_MESSAGE))
    if not email_ok(email or ""):
        problems.append(str(EMAIL_MESSAGE))
    if not single_line(full_name):
        problems.append(str(_l("This field is required.")))
    return problems
