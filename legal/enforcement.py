"""Enforcing a sanction decision once received (docs/legal/enforcement.md): the late-payment
surcharge and the limitation period for enforcing.

Pure Python over `data/enforcement.yaml`; the text that applies is the one in force on the
first day late.

    >>> late_payment_surcharge(25_000_000, date(2014, 12, 1), date(2014, 12, 1))
    0
    >>> late_payment_surcharge(25_000_000, date(2014, 12, 1), date(2014, 12, 5))
    37500
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import yaml

from legal.catalogue import Status

DATA_FILE = Path(__file__).parent / "data" / "enforcement.yaml"


class EnforcementError(ValueError):
    """No text in force on the date, or a malformed data file (message in Vietnamese)."""


@dataclass(frozen=True)
class LatePayment:
    """How the late-payment surcharge is counted in one period (Law 15/2012/QH13 Art. 78(1);
    the Ministry of Finance's circular on collecting fines)."""

    effective_from: date
    effective_to: date | None
    rate_per_10000: int
    holidays_included: bool
    rounding_status: str
    basis: str
    status: str
    source: str

    @property
    def verified(self) -> bool:
        return self.status != Status.U and self.rounding_status != Status.U

    def in_force_on(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None
                                               or day <= self.effective_to)


@dataclass(frozen=True)
class Limitation:
    """Law 15/2012/QH13 Art. 74(1): years to enforce, counted from the decision's date."""

    years: int
    measures_survive: bool
    basis: str
    status: str
    source: str


@dataclass(frozen=True)
class InstalmentRule:
    """Law 15/2012/QH13 Art. 79 in one period: the fine from which a subject may pay in
    instalments (VND), the months from the decision, the number of instalments, the least
    first instalment (per cent of the fine)."""

    effective_from: date
    effective_to: date | None
    individual_min: int
    organisation_min: int
    max_months: int
    max_count: int
    first_min_percent: int
    basis: str
    status: str
    source: str

    @property
    def verified(self) -> bool:
        return self.status != Status.U


@cache
def _load(path: Path = DATA_FILE) -> dict:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    for entry in raw["late_payment"]:
        if entry["status"] not in {s.value for s in Status}:
            raise EnforcementError(f"enforcement.yaml: trạng thái không hợp lệ {entry['status']!r}")
    late = tuple(LatePayment(
        effective_from=e["effective_from"], effective_to=e["effective_to"],
        rate_per_10000=int(e["rate_per_10000"]), holidays_included=bool(e["holidays_included"]),
        rounding_status=e["rounding_status"], basis=e["basis"], status=e["status"],
        source=e["source"]) for e in raw["late_payment"])
    lim = raw["enforcement_limitation"][-1]
    plans = tuple(InstalmentRule(
        effective_from=e["effective_from"], effective_to=e["effective_to"],
        individual_min=int(e["individual_min"]), organisation_min=int(e["organisation_min"]),
        max_months=int(e["max_months"]), max_count=int(e["max_count"]),
        first_min_percent=int(e["first_min_percent"]), basis=e["basis"], status=e["status"],
        source=e["source"]) for e in raw["instalments"])
    return {"complaints": raw["complaints"][-1], "instalments": plans,
            "coercion": tuple(raw["coercion"]), "coercion_methods": raw["coercion_methods"],
            "late_payment": late, "limitation": Limitation(
        years=int(lim["years"]), measures_survive=bool(lim["measures_survive"]),
        basis=lim["basis"], status=lim["status"], source=lim["source"])}


def late_payment_rule(on: date) -> LatePayment:
    """The counting rule in force on `on` (the first day late). Raises EnforcementError."""
    for entry in _load()["late_payment"]:
        if entry.in_force_on(on):
            return entry
    raise EnforcementError(f"Không có quy định về tiền chậm nộp phạt áp dụng ngày {on:%d/%m/%Y}")


def limitation() -> Limitation:
    """The limitation period for enforcing a decision (Law 15/2012/QH13 Art. 74(1))."""
    return _load()["limitation"]


def days_late(due: date, paid_on: date, excluded: Iterable[tuple[date, date]] = ()) -> int:
    """Days of late payment: from the day after `due` (the last day to pay) to the day before
    `paid_on`, week-ends and holidays included (Circular 18/2023/TT-BTC Art. 5(1); the same in
    Circular 153/2013/TT-BTC Art. 5), less the days of `excluded` (first, last) periods in which
    no surcharge runs (postponement, review of a reduction, instalments: Circular 18/2023
    Art. 5(2)). Calendar days; 0 when paid on or before the day after `due`."""
    first, last = due + timedelta(days=1), paid_on - timedelta(days=1)
    if last < first:
        return 0
    days = (last - first).days + 1
    for start, end in excluded:
        lo, hi = max(start, first), min(end, last)
        if lo <= hi:
            days -= (hi - lo).days + 1
    return max(days, 0)


def late_payment_surcharge(unpaid_vnd: int, due: date, paid_on: date,
                           excluded: Iterable[tuple[date, date]] = ()) -> int:
    """The surcharge (VND, integer) for `unpaid_vnd` đồng of fine paid on `paid_on` when the
    time limit to pay ended on `due`: 0,05 % of the unpaid amount for each day late
    (Law 15/2012/QH13 Art. 78(1)), the days counted by `days_late`, rounded down to the đồng
    (no text found on rounding: status U). Raises EnforcementError when no text is in force
    on the first day late, ValueError for a negative amount."""
    if unpaid_vnd < 0:
        raise ValueError("unpaid_vnd must not be negative")
    days = days_late(due, paid_on, excluded)
    if days == 0 or unpaid_vnd == 0:
        return 0
    rule = late_payment_rule(due + timedelta(days=1))
    return unpaid_vnd * rule.rate_per_10000 * days // 10000


def complaint_days(second: bool = False, complex_case: bool = False, remote: bool = False
                   ) -> tuple[int, str]:
    """(calendar days to settle a complaint, counted from the day it is accepted; the basis
    in Vietnamese): Law on Complaints 2011 Art. 28 (first complaint: 30 days, complex 45;
    remote areas 45, complex 60) and Art. 37 (second: 45, complex 60; remote 60, complex
    70)."""
    entry = _load()["complaints"]
    key = {(False, False): "normal", (False, True): "complex", (True, False): "remote",
           (True, True): "remote_complex"}[(remote, complex_case)]
    table = entry["second" if second else "first"]
    return int(table[key]), entry["basis_second" if second else "basis_first"]


def enforcement_continues_during_complaint() -> bool:
    """Law 15/2012/QH13 Art. 15: a complaint or a lawsuit does not stop enforcement unless
    the person settling it suspends it (status P)."""
    return bool(_load()["complaints"]["enforcement_continues"])


def instalment_rule(on: date) -> InstalmentRule:
    """The Art. 79 text in force on `on` (the decision's date). Raises EnforcementError."""
    for rule in _load()["instalments"]:
        if rule.effective_from <= on and (rule.effective_to is None or on <= rule.effective_to):
            return rule
    raise EnforcementError(f"Không có quy định về nộp tiền phạt nhiều lần ngày {on:%d/%m/%Y}")


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def instalment_refusals(subject_kind: str, fine_vnd: int, decided_on: date,
                        schedule: list[tuple[date, int]], hardship_confirmed: bool
                        ) -> list[str]:
    """Why a plan to pay `fine_vnd` đồng in the instalments `schedule` [(due date, VND)] may
    not be granted under Law 15/2012/QH13 Art. 79 as in force on `decided_on` (the sanction
    decision's date, from which the months run): an empty list when it may. Messages in
    Vietnamese. Raises EnforcementError when no text is in force."""
    rule = instalment_rule(decided_on)
    out = []
    least = rule.organisation_min if subject_kind == "organisation" else rule.individual_min
    if fine_vnd < least:
        out.append(f"Chỉ áp dụng khi bị phạt tiền từ {least:,} đồng trở lên".replace(",", ".")
                   + f" ({rule.basis}).")
    if not hardship_confirmed:
        out.append("Đơn đề nghị phải được xác nhận hoàn cảnh khó khăn đặc biệt về kinh tế.")
    if not 2 <= len(schedule) <= rule.max_count:
        out.append(f"Số lần nộp từ 02 đến tối đa {rule.max_count:02d} lần.")
    if schedule:
        last_day = _add_months(decided_on, rule.max_months)
        if max(d for d, _a in schedule) > last_day:
            out.append(f"Thời hạn nộp nhiều lần không quá {rule.max_months:02d} tháng kể từ "
                       f"ngày quyết định có hiệu lực (đến {last_day:%d/%m/%Y}).")
        first = sorted(schedule)[0][1]
        if first * 100 < rule.first_min_percent * fine_vnd:
            out.append(f"Lần nộp thứ nhất tối thiểu {rule.first_min_percent}% tổng số tiền phạt.")
        if sum(a for _d, a in schedule) != fine_vnd:
            out.append("Tổng các lần nộp phải bằng số tiền phạt.")
    return out


def coercion_decree(on: date) -> tuple[str, str]:
    """(the decree on coercion in force on `on`, its status V/P/U): Decree 166/2013/NĐ-CP,
    then (believed, U) Decree 296/2025/NĐ-CP from 01/01/2026. Raises EnforcementError."""
    for e in _load()["coercion"]:
        if e["effective_from"] <= on and (e["effective_to"] is None or on <= e["effective_to"]):
            return e["decree"], e["status"]
    raise EnforcementError(f"Không có nghị định về cưỡng chế áp dụng ngày {on:%d/%m/%Y}")


def coercion_method(code: str) -> tuple[str, str]:
    """(the method's words in Vietnamese, its point of Law 15/2012/QH13 Art. 86(1)) for a
    method code: salary, account, distraint, third_party, remedial. KeyError otherwise."""
    m = _load()["coercion_methods"][code]
    return m["vi"], m["basis"]
