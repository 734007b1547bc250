"""Closed sets of codes: one `Choice` enum per set, its label beside each member, and one
helper for the CHECK constraint that keeps the database to the same set.

    class CaseState(Choice):
        detected = "detected", _l("Detected")

    __table_args__ = (check_in("state", CaseState),)

A member *is* its code (a `str`): `case.state == CaseState.detected` holds whether `state`
came from the database as a plain string or was set from the enum. `member.label` is the
translated label (a lazy string, rendered in the user's language); `label_of(CaseState,
code)` gives it for a stored code. Templates see every `Choice` by its class name
(`web`), so they compare with `CaseState.approved`, never with a bare string.
"""

from __future__ import annotations

import enum

from sqlalchemy import CheckConstraint
from wtforms.fields.choices import SelectChoice


class Choice(enum.StrEnum):
    """A closed set of stored codes, each with its translated label (docs/glossary.md)."""

    def __new__(cls, value: str, label=None):
        member = str.__new__(cls, value)
        member._value_ = value
        member._label = label
        return member

    @property
    def label(self):
        """The translated label (the code itself when the member has none)."""
        return self._label if self._label is not None else self.value

    @classmethod
    def choices(cls) -> list[SelectChoice]:
        """The members in declaration order, for a WTForms SelectField."""
        return [SelectChoice(member.value, member.label) for member in cls]


def all_choices() -> list[type[Choice]]:
    """Every `Choice` subclass defined so far (the models must have been imported)."""
    found, todo = [], list(Choice.__subclasses__())
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return sorted(found, key=lambda cls: cls.__name__)


def label_of(cls: type[Choice], code: str | None) -> str:
    """The translated label of the stored `code` in `cls`; "" for None, the code itself when
    it is not a member (a value written by an older release)."""
    if code is None:
        return ""
    try:
        return str(cls(code).label)
    except ValueError:
        return str(code)


def check_in(column: str, cls: type[enum.Enum], name: str | None = None,
             nullable: bool = False) -> CheckConstraint:
    """CHECK (`column` IN (every value of `cls`)), named `<column>_valid` unless `name` is
    given (the metadata's naming convention adds the table). `nullable` also allows NULL."""
    values = ", ".join(repr(member.value) for member in cls)
    sql = f"{column} IN ({values})"
    if nullable:
        sql = f"{column} IS NULL OR {sql}"
    return CheckConstraint(sql, name=name or f"{column}_valid")
