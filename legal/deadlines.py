"""Statutory time limits of the sanctioning procedure (LEGAL.md §5).

Pure Python. Each function takes the date of the triggering act and a `WorkingCalendar`
and returns a `ComputedDeadline` with the due date (the last day of the period, a local
date in Vietnam), the legal basis in Vietnamese and the inputs used.

Which text applies is decided by the date of the procedural act: acts before 01/01/2022
follow Law 15/2012/QH13 as enacted ("2012"); acts from that day follow it as amended by
Law 67/2020/QH14 ("2020").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from legal.calendar import WorkingCalendar

REGIME_2020_FROM = date(2022, 1, 1)


def regime(act_on: date) -> str:
    """"2012" or "2020": the procedural text in force on `act_on` (Law 67/2020/QH14, in force
    for these rules from 01/01/2022)."""
    return "2020" if act_on >= REGIME_2020_FROM else "2012"


@dataclass(frozen=True)
class DeadlineRule:
    code: str
    name_vi: str
    name_en: str
    status: str  # V / P / U, as in LEGAL.md


RULES: dict[str, DeadlineRule] = {
    r.code: r
    for r in (
        DeadlineRule("decision_due", "Thời hạn ra quyết định xử phạt",
                     "Time limit to issue the sanction decision", "V"),
        DeadlineRule("delivery_due", "Thời hạn gửi quyết định xử phạt",
                     "Time limit to deliver the decision", "V"),
        DeadlineRule("compliance_due", "Thời hạn chấp hành quyết định (nộp phạt)",
                     "Time limit to comply with the decision (pay the fine)", "V"),
        DeadlineRule("enforcement_limitation", "Thời hiệu thi hành quyết định xử phạt",
                     "Limitation period for enforcing the decision", "V"),
        DeadlineRule("sanction_limitation", "Thời hiệu xử phạt vi phạm hành chính",
                     "Limitation period for sanctioning", "U"),
        DeadlineRule("coordination_response", "Hạn trả lời đề nghị phối hợp",
                     "Coordination response due", "V"),
    )
}


@dataclass(frozen=True)
class ComputedDeadline:
    rule_code: str
    due_on: date
    legal_basis: str
    inputs: dict = field(default_factory=dict)

    @property
    def rule(self) -> DeadlineRule:
        return RULES[self.rule_code]


def decision_due(record_made_on: date, cal: WorkingCalendar, *, explanation: bool = False
                 ) -> ComputedDeadline:
    """Last day to issue the sanction decision after the violation record was made.

    - 2012 text, Law 15/2012/QH13 Art. 66(1): 7 days from the record; 30 days when the
      violator explains or facts must be verified. Calendar days, Civil Code 2015
      Art. 147–148 (start day not counted; a last day off moves to the next working day).
    - 2020 text, Art. 66(1) as amended by Law 67/2020/QH14: 7 working days; 1 month when the
      violator explains or facts must be verified.
    """
    text = regime(record_made_on)
    inputs = {"record_made_on": record_made_on.isoformat(), "regime": text,
              "explanation": explanation}
    if text == "2012":
        if explanation:
            due = cal.add_days(record_made_on, 30)
            basis = "Khoản 1 Điều 66 Luật Xử lý vi phạm hành chính 2012: 30 ngày (có giải trình)"
        else:
            due = cal.add_days(record_made_on, 7)
            basis = ("Khoản 1 Điều 66 Luật Xử lý vi phạm hành chính 2012: 07 ngày kể từ ngày "
                     "lập biên bản")
    elif explanation:
        due = cal.add_months(record_made_on, 1)
        basis = "Khoản 1 Điều 66 Luật XLVPHC (sửa đổi 2020): 01 tháng (có giải trình)"
    else:
        due = cal.add_working_days(record_made_on, 7)
        basis = ("Khoản 1 Điều 66 Luật XLVPHC (sửa đổi 2020): 07 ngày làm việc kể từ ngày "
                 "lập biên bản")
    return ComputedDeadline("decision_due", due, basis, inputs)


def delivery_due(decision_issued_on: date, cal: WorkingCalendar) -> ComputedDeadline:
    """Last day to send the decision to the violator and the bodies concerned: 2 working days
    from its issue (Law 15/2012/QH13 Art. 70(1), unchanged in 2020)."""
    return ComputedDeadline(
        "delivery_due", cal.add_working_days(decision_issued_on, 2),
        "Khoản 1 Điều 70 Luật Xử lý vi phạm hành chính: 02 ngày làm việc kể từ ngày ra quyết định",
        {"decision_issued_on": decision_issued_on.isoformat()},
    )


def compliance_due(received_on: date, cal: WorkingCalendar, days: int = 10) -> ComputedDeadline:
    """Last day for the violator to comply (pay the fine): 10 calendar days from receipt, or
    the longer period the decision states (Law 15/2012/QH13 Art. 73(1)); Civil Code end rule."""
    return ComputedDeadline(
        "compliance_due", cal.add_days(received_on, days),
        f"Khoản 1 Điều 73 Luật Xử lý vi phạm hành chính: {days:02d} ngày kể từ ngày nhận "
        "quyết định",
        {"received_on": received_on.isoformat(), "days": days},
    )


def enforcement_limitation(decision_issued_on: date) -> ComputedDeadline:
    """End of the limitation period for enforcing a decision: 1 year from its issue (Law
    15/2012/QH13 Art. 74(1)); remedial measures are still enforced after it. The date is the
    anniversary, not moved to a working day: a period that bars the State is read narrowly."""
    return ComputedDeadline(
        "enforcement_limitation", _anniversary(decision_issued_on, 1),
        "Khoản 1 Điều 74 Luật Xử lý vi phạm hành chính: 01 năm kể từ ngày ra quyết định",
        {"decision_issued_on": decision_issued_on.isoformat()},
    )


def sanction_limitation(start_on: date, fields: set[str] | frozenset[str] = frozenset(),
                        *, ongoing: bool = False) -> ComputedDeadline:
    """End of the limitation period for sanctioning (Law 15/2012/QH13 Art. 6(1)(a)): 1 year
    for information technology, telecoms and electronic information; 2 years for press and
    publishing (the Decree 119/2020 clauses, LEGAL.md §5 P). With several violations the
    shortest period governs the case. `start_on` is the day an ended violation ended, or the
    day an ongoing one was detected (Art. 6(1)(b); status U). The anniversary is returned
    unmoved: the earlier reading is the safe one for the Department.
    """
    years = 1 if (not fields or "electronic_information" in fields) else 2
    start_label = "ngày phát hiện (vi phạm đang thực hiện)" if ongoing else "ngày chấm dứt vi phạm"
    return ComputedDeadline(
        "sanction_limitation", _anniversary(start_on, years),
        f"Điểm a, b khoản 1 Điều 6 Luật Xử lý vi phạm hành chính: {years:02d} năm kể từ "
        f"{start_label}",
        {"start_on": start_on.isoformat(), "years": years, "ongoing": ongoing,
         "fields": sorted(fields)},
    )


def _anniversary(start: date, years: int) -> date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February
        return start.replace(year=start.year + years, day=28)
