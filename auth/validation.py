"""What makes a user's name, user name and e-mail acceptable: one set of rules for the web
form (`auth.forms.UserForm`) and the command line (`flask users create`)."""

from __future__ import annotations

import re

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l

from legal.text import single_line

USERNAME = re.compile(r"^[a-z0-9._-]+$")
USERNAME_MESSAGE = _l("Lower-case letters, digits, dots, dashes.")
EMAIL_MESSAGE = _l("Invalid email address.")
LENGTHS = {"username": 64, "full_name": 200, "email": 254, "title": 200}


def normalise_username(value: str | None) -> str:
    """A user name as stored and matched: without surrounding spaces, in lower case (phones
    capitalise the first letter: "Inspector " is "inspector")."""
    return (value or "").strip().lower()


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
