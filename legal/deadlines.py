"""Statutory time limits of the sanctioning procedure (docs/legal/time-limits.md#rules), as data.

Pure Python. The rules live in `data/deadline_rules.yaml`; each has one or more *texts*
(the law as enacted in 2012, as amended in 2020, a decree in force from a date). The text
that applies is the one in force on the date of the triggering act: a record made on
30/12/2021 follows the 2012 limits, one made on 03/01/2022 the 2020 ones (Law
67/2020/QH14).

    >>> due_date("decision", date(2014, 11, 15))
    datetime.date(2014, 11, 24)
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import yaml

from legal.calendar import WorkingCalendar, default_calendar
from legal.catalogue import Status

DATA_FILE = Path(__file__).parent / "data" / "deadline_rules.yaml"
REGIME_2020_FROM = date(2022, 1, 1)
PERIOD_KINDS = ("days", "working_days", "months", "years", "next_of", "given")


class Period(enum.StrEnum):
    """How a deadline text states its period (the key of `period:` in deadline_rules.yaml;
    docs/legal/time-limits.md#counting)."""

    days = "days"  # calendar days, a last day off rolls on
    working_days = "working_days"
    months = "months"
    years = "years"
    next_of = "next_of"  # the first of these MM-DD days after the start (fixed reports)
    given = "given"  # the date the document states (letter, licence, request)


class RuleError(ValueError):
    """Unknown rule, or no text of the rule in force on the date (message in Vietnamese)."""


def regime(act_on: date) -> str:
    """"2012" or "2020": the procedural text of the Law on Handling Administrative Violations
    in force on `act_on` (Law 67/2020/QH14 amends it for acts from 01/01/2022)."""
    return "2020" if act_on >= REGIME_2020_FROM else "2012"


@dataclass(frozen=True)
class RuleText:
    regime: str
    effective_from: date
    effective_to: date | None
    period: dict
    basis: str
    status: str
    source: str
    roll: bool = True
    when: dict = field(default_factory=dict)

    @property
    def verified(self) -> bool:
        return self.status != Status.U

    def in_force_on(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None
                                               or day <= self.effective_to)


def shown_basis(basis: str, period: dict, start_label: str) -> str:
    """A rule text's basis as a reader sees it outside a computed deadline (the help page,
    the catalogue): "{days}" becomes the text's own number of days ("10"), "{start_label}"
    the words `start_label` (what the period runs from); other text is left as written.
    `period` is the text's {unit: amount} (e.g. {"days": 10})."""
    days = period.get(Period.days) if period else None
    if isinstance(days, int):
        basis = basis.replace("{days}", f"{days:02d}")
    return basis.replace("{start_label}", start_label)


@dataclass(frozen=True)
class DeadlineRule:
    code: str
    name_vi: str
    name_en: str
    texts: tuple[RuleText, ...]

    @property
    def status(self) -> str:
        """The weakest status among the rule's texts (U < P < V)."""
        order = {Status.U: 0, Status.P: 1, Status.V: 2}
        return min((t.status for t in self.texts), key=order.__getitem__)


@dataclass(frozen=True)
class ComputedDeadline:
    """A due date (the last day of the period, a local date) with what produced it."""

    rule_code: str
    due_on: date
    legal_basis: str
    regime: str
    status: str
    inputs: dict = field(default_factory=dict)
    name_vi: str = ""

    @property
    def verified(self) -> bool:
        return self.status != Status.U


@cache
def load_rules(path: Path = DATA_FILE) -> dict[str, DeadlineRule]:
    """Read the rules file. Raises RuleError naming a malformed entry."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    rules = {}
    for code, entry in raw["rules"].items():
        texts = []
        for t in entry["texts"]:
            period = t["period"]
            if len(period) != 1 or next(iter(period)) not in PERIOD_KINDS:
                raise RuleError(f"rule {code}: period must be one of {PERIOD_KINDS}")
            if t["status"] not in tuple(Status):
                raise RuleError(f"rule {code}: unknown status {t['status']!r}")
            texts.append(RuleText(
                regime=str(t["regime"]), effective_from=t["effective_from"],
                effective_to=t.get("effective_to"), period=dict(period), basis=t["basis"],
                status=t["status"], source=t["source"], roll=t.get("roll", True),
                when=dict(t.get("when") or {})))
        rules[code] = DeadlineRule(code, entry["name_vi"], entry["name_en"], tuple(texts))
    return rules


RULES = load_rules()


def text_for(rule: str, act_on: date, rules: dict[str, DeadlineRule] | None = None,
             **options) -> RuleText:
    """The text of `rule` in force on `act_on` that matches `options` (e.g. field="press").
    `rules` replaces the shipped rules (the application passes its corrected table).
    Raises RuleError with a Vietnamese message when there is none."""
    rules = rules if rules is not None else RULES
    if rule not in rules:
        raise RuleError(f"Không có quy tắc thời hạn «{rule}».")
    for text in rules[rule].texts:
        if text.in_force_on(act_on) and all(options.get(k) == v for k, v in text.when.items()):
            return text
    raise RuleError(f"Quy tắc «{rules[rule].name_vi}» không áp dụng cho hành vi/thủ tục ngày "
                    f"{act_on:%d/%m/%Y}.")


def compute(rule: str, start: date, *, calendar: WorkingCalendar | None = None,
            rules: dict[str, DeadlineRule] | None = None, **options) -> ComputedDeadline:
    """The deadline of `rule` for a triggering act on `start`.

    Options: ``field`` ("it" or "press", sanction_limitation), ``days`` (compliance: a
    longer period the decision states), ``due_on`` (coordination_response: the date given),
    ``start_label`` (wording of the start in the basis). `calendar` carries the
    administrator's overrides (default: the package's holidays only); `rules` the corrected
    rule texts (default: the shipped file).

    Units are those of the rule's text: calendar days or working days, months, years.
    Raises RuleError (unknown rule, no text in force) or ValueError (bad option).
    """
    cal = calendar or default_calendar()
    match_options = {k: v for k, v in options.items() if k == "field"}
    text = text_for(rule, start, rules, **match_options)
    (kind, amount), = text.period.items()
    if kind == Period.days and rule == "compliance" and options.get("days"):
        if options["days"] < amount:
            raise ValueError("Thời hạn chấp hành không được ngắn hơn 10 ngày.")
        amount = options["days"]
    due = _apply(cal, start, kind, amount, text.roll, options)
    basis = text.basis.format(days=f"{amount:02d}" if isinstance(amount, int) else amount,
                              start_label=options.get("start_label", "ngày vi phạm"))
    inputs = {"start": start.isoformat(), "regime": text.regime, "period": {kind: amount},
              **{k: (v.isoformat() if isinstance(v, date) else v)
                 for k, v in options.items() if k != "start_label"}}
    return ComputedDeadline(rule, due, basis, text.regime, text.status, inputs,
                            (rules or RULES)[rule].name_vi)


def due_date(rule: str, start: date, **options) -> date:
    """The last day of `rule`'s period for an act on `start` (see `compute`)."""
    return compute(rule, start, **options).due_on


def _apply(cal: WorkingCalendar, start: date, kind: str, amount, roll: bool,
           options: dict) -> date:
    if kind == Period.working_days:
        return cal.add_working_days(start, amount)
    if kind == Period.days:
        return cal.add_days(start, amount) if roll else start + _days(amount)
    if kind == Period.months:
        return cal.add_months(start, amount)
    if kind == Period.years:
        return cal.add_years(start, amount) if roll else _anniversary(start, amount)
    if kind == Period.next_of:
        candidates = sorted(date(y, int(md[:2]), int(md[3:])) for y in (start.year,
                                                                         start.year + 1)
                            for md in amount)
        return next(d for d in candidates if d > start)
    if kind == Period.given:
        given = options.get("due_on")
        if given is None or given < start:
            raise ValueError("Hạn trả lời phải được nhập và không trước ngày gửi công văn.")
        return given
    raise RuleError(f"unknown period kind {kind!r}")


def _days(n: int):
    return timedelta(days=n)


def _anniversary(start: date, years: int) -> date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February
        return start.replace(year=start.year + years, day=28)
