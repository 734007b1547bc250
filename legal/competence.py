"""Sanctioning competence: the largest fine a signer may impose, as data
(docs/legal/competence.md#limits).

Pure Python; amounts are integer VND. Limits live in `data/competence.yaml` per title and
period, for individuals and organisations (Law 15/2012/QH13 Art. 24(2): an organisation's
limit is twice the individual's). Most figures are unverified (status U) and are shown with
a warning; an administrator can correct them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import yaml

from legal.catalogue import Status
from legal.money import format_vnd

DATA_FILE = Path(__file__).parent / "data" / "competence.yaml"


class CompetenceError(ValueError):
    """A fine above the signer's competence; names the competent official (Vietnamese)."""

    def __init__(self, message: str, competent_title: str | None):
        super().__init__(message)
        self.competent_title = competent_title


@dataclass(frozen=True)
class Limit:
    title: str
    title_vi: str
    effective_from: date
    effective_to: date | None
    individual: int
    organisation: int
    warning: bool
    status: str
    source: str

    @property
    def verified(self) -> bool:
        return self.status != Status.U

    def for_subject(self, subject: str) -> int:
        return self.organisation if subject == "organisation" else self.individual

    def in_force_on(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None
                                               or day <= self.effective_to)


@cache
def _data() -> tuple[dict[str, list[Limit]], dict[str, str], str]:
    raw = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    limits: dict[str, list[Limit]] = {}
    names: dict[str, str] = {}
    for t in raw["titles"] + raw.get("bounds", []):
        names[t["code"]] = t["title_vi"]
        limits[t["code"]] = [
            Limit(t["code"], t["title_vi"], lim["effective_from"], lim.get("effective_to"),
                  int(lim["individual"]), int(lim["organisation"]), bool(lim["warning"]),
                  lim["status"], lim["source"])
            for lim in t["limits"]
        ]
    return limits, names, raw["escalation"]


BOUNDS = ("fine_minimum", "field_maximum")


def titles() -> dict[str, str]:
    """Signer title code → Vietnamese title, in file order (the bounds excluded)."""
    return {k: v for k, v in _data()[1].items() if k not in BOUNDS}


def fine_bounds(subject: str, on: date, table: list[Limit] | None = None) -> tuple[int, int]:
    """(smallest, largest) fine in VND any clause allows for `subject` on `on` — used when a
    clause's own range is not known (Law 15/2012/QH13 Art. 23–24; status U, see the data)."""
    return (limit_for("fine_minimum", on, table).for_subject(subject),
            limit_for("field_maximum", on, table).for_subject(subject))


def limits() -> list[Limit]:
    """Every limit of every title (the application loads them into its table)."""
    return [lim for rows in _data()[0].values() for lim in rows]


def limit_for(title: str, on: date, table: list[Limit] | None = None) -> Limit:
    """The limit of `title` in force on `on`. Raises KeyError for an unknown title or one
    with no limit on that date."""
    rows = [lim for lim in (table if table is not None else limits()) if lim.title == title]
    for lim in rows:
        if lim.in_force_on(on):
            return lim
    raise KeyError(f"no competence limit for {title!r} on {on.isoformat()}")


def max_fine(title: str, subject: str, on: date, table: list[Limit] | None = None) -> int:
    """The largest fine in VND `title` may impose on an `subject` ("individual" or
    "organisation") on `on` (Law 15/2012/QH13 Art. 38–46, 24(2);
    docs/legal/competence.md#limits)."""
    return limit_for(title, on, table).for_subject(subject)


def check_competence(title: str, subject: str, on: date, largest_fine: int,
                     table: list[Limit] | None = None) -> Limit:
    """Return the signer's limit, or raise CompetenceError naming the competent official
    when `largest_fine` (the largest fine of one violation, VND) exceeds it. Competence is
    judged on the largest fine of one act (Law 15/2012/QH13 Art. 52(1))."""
    own = limit_for(title, on, table)
    if largest_fine <= own.for_subject(subject):
        return own
    escalation = _data()[2]
    other = limit_for(escalation, on, table)
    target = escalation if largest_fine <= other.for_subject(subject) else None
    who = other.title_vi if target else "cơ quan có thẩm quyền cao hơn"
    raise CompetenceError(
        f"Mức phạt {format_vnd(largest_fine)} đồng vượt thẩm quyền của {own.title_vi} "
        f"(tối đa {format_vnd(own.for_subject(subject))} đồng đối với "
        f"{'tổ chức' if subject == 'organisation' else 'cá nhân'}); "
        f"thẩm quyền thuộc {who}: chuyển hồ sơ vụ việc.", target)
