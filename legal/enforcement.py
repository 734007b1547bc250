"""Enforcing a sanction decision once received (docs/legal/enforcement.md): the late-payment
surcharge and the limitation period for enforcing.

Pure Python over `data/enforcement.yaml`, or over the same data as an administrator corrected
it: every function takes `data`, the result of `parse` on the sections as stored (the
catalogue engine passes it; None reads the shipped file). The text that applies is the one in
force on the day each function names.

    >>> late_payment_surcharge(25_000_000, date(2014, 12, 1), date(2014, 12, 1))
    0
    >>> late_payment_surcharge(25_000_000, date(2014, 12, 1), date(2014, 12, 5))
    37500
"""

from __future__ import annotations

import copy
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


@dataclass(frozen=True)
class ReliefRule:
    """Law 15/2012/QH13 Art. 76 (kind "postponement") or Art. 77 (kind "reduction": reducing
    or exempting the rest of the fine) in one period: the least fine (VND) from which an
    individual or an organisation may ask (None: that subject may not), the months a
    postponement lasts at most (from the postponement decision), the calendar days to decide
    (from receiving the request; None: not known), the days to forward a reduction request to
    the direct superior, whether a serious illness or an accident needs a medical
    confirmation too, whether a reduction needs a postponement first, whether an
    organisation may be exempted, who decides a reduction."""

    kind: str
    effective_from: date
    effective_to: date | None
    individual_min: int
    organisation_min: int | None
    max_months: int | None
    decide_days: int | None
    forward_days: int | None
    medical_confirmation: bool
    requires_postponement: bool
    organisation_exemption: bool
    decided_by: str | None
    basis: str
    status: str
    source: str

    @property
    def verified(self) -> bool:
        return self.status != Status.U


def _opt_int(value) -> int | None:
    return None if value is None else int(value)


COMMON_FIELDS = ("effective_from", "effective_to", "status", "basis", "source")


@cache
def _raw(path: Path = DATA_FILE) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def raw_data() -> dict:
    """The shipped file as read (a copy the caller may change): {section: …}."""
    return copy.deepcopy(_raw())


def dated_sections(raw: dict) -> dict[str, list[dict]]:
    """The sections of `raw` that are lists of texts in force over a period (each entry has
    `effective_from`, `effective_to`, `status`, `source`, usually `basis`, and its values):
    the ones an administrator corrects. Other sections (lists of words such as
    `coercion_methods`) are not legal facts with a status and stay as shipped."""
    return {name: entries for name, entries in raw.items()
            if isinstance(entries, list) and entries
            and all(isinstance(e, dict) and "effective_from" in e for e in entries)}


def parse(raw: dict) -> dict:
    """The typed data the functions below read, from `raw` ({section: …} as the file has it,
    or as stored with an administrator's corrections). Raises EnforcementError (message in
    Vietnamese) on a status other than V, P, U or a missing value."""
    statuses = {s.value for s in Status}
    for name, entries in dated_sections(raw).items():
        for entry in entries:
            if entry.get("status") not in statuses:
                raise EnforcementError(
                    f"enforcement.yaml: trạng thái không hợp lệ {entry.get('status')!r} "
                    f"({name})")
    try:
        return _parse(raw)
    except (KeyError, TypeError, ValueError) as exc:
        raise EnforcementError(f"enforcement.yaml: dữ liệu không hợp lệ ({exc})") from exc


def _parse(raw: dict) -> dict:
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
    postponements = tuple(ReliefRule(
        kind="postponement", effective_from=e["effective_from"],
        effective_to=e["effective_to"], individual_min=int(e["individual_min"]),
        organisation_min=_opt_int(e["organisation_min"]), max_months=int(e["max_months"]),
        decide_days=_opt_int(e["decide_days"]), forward_days=None,
        medical_confirmation=bool(e["medical_confirmation"]), requires_postponement=False,
        organisation_exemption=False, decided_by=None, basis=e["basis"], status=e["status"],
        source=e["source"]) for e in raw["postponement"])
    reductions = tuple(ReliefRule(
        kind="reduction", effective_from=e["effective_from"], effective_to=e["effective_to"],
        individual_min=int(e["individual_min"]), organisation_min=_opt_int(e["organisation_min"]),
        max_months=None, decide_days=_opt_int(e["decide_days"]),
        forward_days=_opt_int(e["forward_days"]), medical_confirmation=False,
        requires_postponement=bool(e["requires_postponement"]),
        organisation_exemption=bool(e["organisation_exemption"]), decided_by=e["decided_by"],
        basis=e["basis"], status=e["status"], source=e["source"]) for e in raw["reduction"])
    for entry in (*postponements, *reductions, *raw["surcharge_free"]):
        status = entry.status if isinstance(entry, ReliefRule) else entry["status"]
        if status not in {s.value for s in Status}:
            raise EnforcementError(f"enforcement.yaml: trạng thái không hợp lệ {status!r}")
    return {"complaints": raw["complaints"][-1], "instalments": plans,
            "postponement": postponements, "reduction": reductions,
            "surcharge_free": tuple(raw["surcharge_free"]),
            "hardship_causes": raw["hardship_causes"],
            "coercion": tuple(raw["coercion"]), "coercion_methods": raw["coercion_methods"],
            "late_payment": late, "limitation": Limitation(
        years=int(lim["years"]), measures_survive=bool(lim["measures_survive"]),
        basis=lim["basis"], status=lim["status"], source=lim["source"])}


@cache
def _load() -> dict:
    return parse(_raw())


def _data(data: dict | None) -> dict:
    return _load() if data is None else data


def late_payment_rule(on: date, *, data: dict | None = None) -> LatePayment:
    """The counting rule in force on `on` (the first day late). Raises EnforcementError."""
    for entry in _data(data)["late_payment"]:
        if entry.in_force_on(on):
            return entry
    raise EnforcementError(f"Không có quy định về tiền chậm nộp phạt áp dụng ngày {on:%d/%m/%Y}")


def limitation(*, data: dict | None = None) -> Limitation:
    """The limitation period for enforcing a decision (Law 15/2012/QH13 Art. 74(1))."""
    return _data(data)["limitation"]


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
                           excluded: Iterable[tuple[date, date]] = (), *,
                           data: dict | None = None) -> int:
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
    rule = late_payment_rule(due + timedelta(days=1), data=data)
    return unpaid_vnd * rule.rate_per_10000 * days // 10000


def complaint_days(second: bool = False, complex_case: bool = False, remote: bool = False,
                   *, data: dict | None = None) -> tuple[int, str]:
    """(calendar days to settle a complaint, counted from the day it is accepted; the basis
    in Vietnamese): Law on Complaints 2011 Art. 28 (first complaint: 30 days, complex 45;
    remote areas 45, complex 60) and Art. 37 (second: 45, complex 60; remote 60, complex
    70)."""
    entry = _data(data)["complaints"]
    key = {(False, False): "normal", (False, True): "complex", (True, False): "remote",
           (True, True): "remote_complex"}[(remote, complex_case)]
    table = entry["second" if second else "first"]
    return int(table[key]), entry["basis_second" if second else "basis_first"]


def enforcement_continues_during_complaint(*, data: dict | None = None) -> bool:
    """Law 15/2012/QH13 Art. 15: a complaint or a lawsuit does not stop enforcement unless
    the person settling it suspends it (status P)."""
    return bool(_data(data)["complaints"]["enforcement_continues"])


def instalment_rule(on: date, *, data: dict | None = None) -> InstalmentRule:
    """The Art. 79 text in force on `on` (the decision's date). Raises EnforcementError."""
    for rule in _data(data)["instalments"]:
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
                        schedule: list[tuple[date, int]], hardship_confirmed: bool, *,
                        data: dict | None = None) -> list[str]:
    """Why a plan to pay `fine_vnd` đồng in the instalments `schedule` [(due date, VND)] may
    not be granted under Law 15/2012/QH13 Art. 79 as in force on `decided_on` (the sanction
    decision's date, from which the months run): an empty list when it may. Messages in
    Vietnamese. Raises EnforcementError when no text is in force."""
    rule = instalment_rule(decided_on, data=data)
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


def coercion_decree(on: date, *, data: dict | None = None) -> tuple[str, str]:
    """(the decree on coercion in force on `on`, its status V/P/U): Decree 166/2013/NĐ-CP,
    then (believed, U) Decree 296/2025/NĐ-CP from 01/01/2026. Raises EnforcementError."""
    for e in _data(data)["coercion"]:
        if e["effective_from"] <= on and (e["effective_to"] is None or on <= e["effective_to"]):
            return e["decree"], e["status"]
    raise EnforcementError(f"Không có nghị định về cưỡng chế áp dụng ngày {on:%d/%m/%Y}")


def coercion_method(code: str, *, data: dict | None = None) -> tuple[str, str]:
    """(the method's words in Vietnamese, its point of Law 15/2012/QH13 Art. 86(1)) for a
    method code: salary, account, distraint, third_party, remedial. KeyError otherwise."""
    m = _data(data)["coercion_methods"][code]
    return m["vi"], m["basis"]


def _in_force(entries, on: date):
    for rule in entries:
        if rule.effective_from <= on and (rule.effective_to is None or on <= rule.effective_to):
            return rule
    return None


def postponement_rule(on: date, *, data: dict | None = None) -> ReliefRule:
    """The Art. 76 text in force on `on` (the sanction decision's date). Raises
    EnforcementError."""
    rule = _in_force(_data(data)["postponement"], on)
    if rule is None:
        raise EnforcementError(f"Không có quy định về hoãn thi hành quyết định phạt tiền áp "
                               f"dụng ngày {on:%d/%m/%Y}")
    return rule


def reduction_rule(on: date, *, data: dict | None = None) -> ReliefRule:
    """The Art. 77 text in force on `on` (the sanction decision's date). Raises
    EnforcementError."""
    rule = _in_force(_data(data)["reduction"], on)
    if rule is None:
        raise EnforcementError(f"Không có quy định về giảm, miễn tiền phạt áp dụng ngày "
                               f"{on:%d/%m/%Y}")
    return rule


def hardship_causes() -> dict[str, str]:
    """{code: the cause's words in Vietnamese} for the causes of hardship Art. 76(1) and
    Art. 77 name: disaster, catastrophe, fire, epidemic, illness (serious), accident."""
    return {code: c["vi"] for code, c in _load()["hardship_causes"].items()}


def _medical(cause: str | None) -> bool:
    return bool(_load()["hardship_causes"].get(cause or "", {}).get("medical"))


def _vnd(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def _threshold_refusals(rule: ReliefRule, subject_kind: str, fine_vnd: int) -> list[str]:
    if subject_kind == "organisation":
        if rule.organisation_min is None:
            return [f"Chỉ áp dụng đối với cá nhân bị phạt tiền ({rule.basis})."]
        least = rule.organisation_min
    else:
        least = rule.individual_min
    if fine_vnd < least:
        return [f"Chỉ áp dụng khi bị phạt tiền từ {_vnd(least)} đồng trở lên ({rule.basis})."]
    return []


def _hardship_refusals(rule: ReliefRule, subject_kind: str, cause: str | None,
                       confirmed: bool, medical_confirmed: bool) -> list[str]:
    out = []
    causes = hardship_causes()
    if cause not in causes:
        out.append("Khó khăn về kinh tế phải do thiên tai, thảm họa, hỏa hoạn, dịch bệnh, "
                   "bệnh hiểm nghèo hoặc tai nạn.")
    elif subject_kind == "organisation" and _medical(cause):
        out.append("Đối với tổ chức, khó khăn phải do thiên tai, thảm họa, hỏa hoạn, dịch bệnh.")
    if not confirmed:
        out.append("Đơn đề nghị phải có xác nhận hoàn cảnh khó khăn về kinh tế của cơ quan có "
                   "thẩm quyền.")
    if (rule.medical_confirmation and subject_kind != "organisation" and _medical(cause)
            and not medical_confirmed):
        out.append("Bệnh hiểm nghèo, tai nạn phải có thêm xác nhận của cơ sở khám bệnh, chữa "
                   "bệnh tuyến huyện trở lên.")
    return out


def postponement_until(granted_on: date, months: int) -> date:
    """The last day of a postponement of `months` months granted on `granted_on` (Law
    15/2012/QH13 Art. 76(2): counted from the day of the postponement decision; the same day
    of the month, or the month's last day)."""
    return _add_months(granted_on, months)


def postponement_refusals(subject_kind: str, fine_vnd: int, decided_on: date,
                          cause: str | None, confirmed: bool, months: int,
                          medical_confirmed: bool = False, *,
                          data: dict | None = None) -> list[str]:
    """Why a request to postpone the execution of a fine of `fine_vnd` đồng (decision of
    `decided_on`) for `months` months may not be granted under Law 15/2012/QH13 Art. 76 as in
    force on `decided_on`: an empty list when it may. `cause`: a code of `hardship_causes`;
    `confirmed`: the hardship confirmed in writing (clause 1: the commune People's Committee
    or the place of study or work; from 2022 for an organisation the bodies clause 1 lists);
    `medical_confirmed`: from 2022, the district-level medical facility's confirmation of a
    serious illness or an accident. Clause 1 sets the least fine (2012: an individual from
    3.000.000 đồng, no organisation; 2020: 2.000.000 đồng and 100.000.000 đồng), clause 2 the
    length (at most 3 months). Messages in Vietnamese. Raises EnforcementError when no text
    is in force."""
    rule = postponement_rule(decided_on, data=data)
    out = _threshold_refusals(rule, subject_kind, fine_vnd)
    out += _hardship_refusals(rule, subject_kind, cause, confirmed, medical_confirmed)
    if months is None or not 1 <= months <= (rule.max_months or 0):
        out.append(f"Thời hạn hoãn không quá {rule.max_months:02d} tháng kể từ ngày có quyết "
                   f"định hoãn ({rule.basis}).")
    return out


def reduction_refusals(subject_kind: str, fine_vnd: int, decided_on: date,
                       cause: str | None, confirmed: bool, *, exemption: bool,
                       amount_vnd: int, rest_vnd: int, postponed: bool,
                       medical_confirmed: bool = False, data: dict | None = None
                       ) -> list[str]:
    """Why a request to reduce (by `amount_vnd` đồng) or exempt (`exemption`: the whole
    `rest_vnd` still unpaid) the fine of `fine_vnd` đồng (decision of `decided_on`) may not
    be granted under Law 15/2012/QH13 Art. 77 as in force on `decided_on`: an empty list when
    it may. 2012 text (clause 1): an individual in the case of Art. 76(1) — the same least
    fine, cause and confirmation — who cannot comply; only the rest of the fine. 2020 text: a
    subject whose fine was postponed (`postponed`) and who still faces the hardship; only an
    individual may be exempted (status U: not all read). Messages in Vietnamese. Raises
    EnforcementError when no text is in force."""
    rule = reduction_rule(decided_on, data=data)
    out = _threshold_refusals(rule, subject_kind, fine_vnd)
    out += _hardship_refusals(rule, subject_kind, cause, confirmed, medical_confirmed)
    if rule.requires_postponement and not postponed:
        out.append("Chỉ xem xét giảm, miễn đối với trường hợp đã được hoãn thi hành quyết định "
                   f"phạt tiền ({rule.basis}).")
    if exemption and subject_kind == "organisation" and not rule.organisation_exemption \
            and not any("cá nhân" in m for m in out):
        out.append(f"Chỉ cá nhân được miễn phần tiền phạt còn lại ({rule.basis}).")
    if rest_vnd <= 0:
        out.append("Không còn tiền phạt chưa nộp để giảm, miễn.")
    elif not exemption and not 0 < amount_vnd < rest_vnd:
        out.append(f"Số tiền giảm phải lớn hơn 0 và nhỏ hơn phần tiền phạt còn lại "
                   f"({_vnd(rest_vnd)} đồng); miễn toàn bộ phần còn lại là miễn.")
    return out


def surcharge_free(period: str, on: date, *, data: dict | None = None) -> bool:
    """Whether no late-payment surcharge runs, on `on`, during a period of kind `period`:
    "postponement", "reduction_review" or "instalments" (Circular 18/2023/TT-BTC Art. 5(2),
    in force from 05/05/2023, status P). False for a day no such text covers."""
    for e in _data(data)["surcharge_free"]:
        if e["effective_from"] <= on and (e["effective_to"] is None or on <= e["effective_to"]):
            return period in e["periods"]
    return False
