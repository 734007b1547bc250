"""Fine ranges, the proposed fine and the amounts an inspector may choose
(docs/legal/fines.md).

Pure Python; amounts are integer VND. A *clause* here is one version of a catalogue entry —
anything with ``id``, ``fine_min``, ``fine_max`` and ``base_subject`` (a
`legal.catalogue.Clause`) — or an entry id, whose version is chosen by date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from legal.catalogue import CatalogueError, shipped
from legal.money import format_vnd

ORGANISATION = "organisation"
INDIVIDUAL = "individual"
# How circumstances move the fine (docs/legal/fines.md#circumstances): two or more net
# circumstances → the minimum or the maximum, Decree 118/2021/NĐ-CP Art. 9, from 01/01/2022;
# one net circumstance → strictly inside the half-range, Decree 68/2025/NĐ-CP (amending
# Art. 9), from 02/05/2025.
MANY_STEPS_FROM = date(2022, 1, 1)
ONE_STEP_FROM = date(2025, 5, 2)


class FineError(ValueError):
    """A fine the rule does not allow; the message (Vietnamese) names the allowed interval."""


@dataclass(frozen=True)
class FineRange:
    """A fine range in VND for one kind of subject (inclusive bounds)."""

    minimum: int
    maximum: int

    @property
    def midpoint(self) -> int:
        """The default fine: the midpoint of the range (Law 15/2012/QH13 Art. 23(4)).
        Rounded down to the đồng when the range has an odd width."""
        return (self.minimum + self.maximum) // 2

    def contains(self, vnd: int) -> bool:
        return self.minimum <= vnd <= self.maximum


@dataclass(frozen=True)
class FineProposal:
    """The proposed amount and the interval the inspector may choose from.

    `low`/`high` are inclusive bounds in VND; `exclusive` means the bounds themselves are
    not allowed (one circumstance in the 2020 text: strictly between minimum and midpoint).
    """

    amount: int
    range: FineRange
    low: int
    high: int
    exclusive: bool
    basis: str

    def allows(self, vnd: int) -> bool:
        if self.exclusive:
            return self.low < vnd < self.high
        return self.low <= vnd <= self.high

    def interval_text(self) -> str:
        lo, hi = format_vnd(self.low), format_vnd(self.high)
        if self.low == self.high:
            return f"{lo} đồng"
        if self.exclusive:
            return f"trên {lo} đồng và dưới {hi} đồng"
        return f"từ {lo} đến {hi} đồng"


def range_for_subject(fine_min: int, fine_max: int, base_subject: str, subject_kind: str
                      ) -> FineRange:
    """The fine range that applies to `subject_kind` for a clause stated for `base_subject`.

    Decree 174/2013/NĐ-CP Art. 2, Decree 15/2020/NĐ-CP Art. 4(3) and Decree 119/2020/NĐ-CP
    Art. 4(2): ranges are stated for organisations; an individual committing the same act
    pays half. The inverse holds for a clause stated for individuals (an organisation pays
    double). Amounts in VND. Raises ValueError for an unknown subject kind or a bad range.
    """
    for kind in (base_subject, subject_kind):
        if kind not in (ORGANISATION, INDIVIDUAL):
            raise ValueError(f"unknown subject kind {kind!r}")
    if not 0 <= fine_min <= fine_max:
        raise ValueError("fine range must satisfy 0 <= min <= max")
    if base_subject == subject_kind:
        return FineRange(fine_min, fine_max)
    if base_subject == ORGANISATION:
        return FineRange(fine_min // 2, fine_max // 2)
    return FineRange(fine_min * 2, fine_max * 2)


def default_fine(fine_min: int, fine_max: int, base_subject: str, subject_kind: str) -> int:
    """The midpoint of the range for the subject's kind (Law 15/2012/QH13 Art. 23(4)).

    >>> default_fine(20_000_000, 30_000_000, "organisation", "organisation")
    25000000
    >>> default_fine(20_000_000, 30_000_000, "organisation", "individual")
    12500000
    """
    return range_for_subject(fine_min, fine_max, base_subject, subject_kind).midpoint


def _round_thousand(vnd: int) -> int:
    return vnd // 1000 * 1000


def _resolve(clause, on: date, decided_on: date | None, catalogue):
    """(version to apply, note on a lighter later text or None)."""
    if not isinstance(clause, str):
        return clause, None
    try:
        applied = (catalogue or shipped()).applicable(clause, on, decided_on)
    except CatalogueError as exc:
        raise FineError(str(exc)) from exc
    return applied.version, applied.reason


def propose_fine(clause, subject: str, on: date, mitigating: int = 0, aggravating: int = 0, *,
                 decided_on: date | None = None, catalogue=None) -> FineProposal:
    """The fine to propose for one violation, and what else the inspector may choose.

    `clause`: an entry id (point level, ``"15/2020/NĐ-CP:101.1.a"``, or an id of an earlier
    release, followed to its entry) or a version object (with ``fine_min``, ``fine_max``,
    ``base_subject``, ``id``) the caller already chose. `subject`: "organisation" or
    "individual". `on`: the violation date — the day it ended, or for a continuing violation
    the day it was discovered; it chooses the version of the text (`legal.catalogue`,
    docs/legal/catalogue.md#versions). `decided_on` (default `on`): the day the fine is decided;
    it chooses the rule for circumstances below, and a later text in force that day applies
    when it is lighter (Law 80/2015/QH13 Art. 156(4)). `catalogue`: a `legal.catalogue.Catalogue`
    (default: the shipped files). Amounts in VND; proposals rounded down to the thousand đồng.

    - No circumstances (or as many mitigating as aggravating): the midpoint of the range for
      the subject (Law 15/2012/QH13 Art. 23(4); individual half, Decree 174/2013 Art. 2(1),
      Decree 15/2020 Art. 4(3), Decree 119/2020 Art. 4(2)).
    - Decided before 01/01/2022 (Law 15/2012 Art. 23(4) as enacted): mitigation lowers toward,
      never below, the minimum; aggravation raises toward, never above, the maximum — any
      amount in that half-range.
    - From 01/01/2022 (Decree 118/2021/NĐ-CP Art. 9; one circumstance cancels one of the other
      kind): two or more net mitigating → the minimum; two or more net aggravating → the
      maximum; one → the half-range as before.
    - From 02/05/2025 (Decree 68/2025/NĐ-CP amending Decree 118/2021 Art. 9): one net
      mitigating → strictly above the minimum and below the midpoint; one net aggravating →
      strictly above the midpoint and below the maximum (docs/legal/fines.md#circumstances).

    Raises FineError (Vietnamese) when the id is unknown or not in force on `on`, or the
    range of the version is not known (the inspector then enters the amount).
    """
    decided = decided_on or on
    clause, lighter = _resolve(clause, on, decided_on, catalogue)
    if clause.fine_min is None or clause.fine_max is None:
        raise FineError(f"Khung tiền phạt của {clause.id} chưa có trong danh mục; "
                        "nhập số tiền phạt.")
    if mitigating < 0 or aggravating < 0:
        raise ValueError("circumstance counts cannot be negative")
    rng = range_for_subject(clause.fine_min, clause.fine_max, clause.base_subject, subject)
    mid = rng.midpoint
    net = mitigating - aggravating
    who = "cá nhân" if subject == INDIVIDUAL else "tổ chức"
    head = f"Khung {format_vnd(rng.minimum)}–{format_vnd(rng.maximum)} đồng đối với {who}"
    if lighter:
        head = f"{head} ({lighter})"
    if net == 0:
        note = ("không có tình tiết" if mitigating == 0
                else "tình tiết giảm nhẹ và tăng nặng bù trừ nhau")
        return FineProposal(mid, rng, mid, mid, False,
                            f"{head}; {note}: mức trung bình (khoản 4 Điều 23 Luật XLVPHC).")
    if decided >= MANY_STEPS_FROM and abs(net) >= 2:
        basis = "khoản 4 Điều 23 Luật XLVPHC; Điều 9 Nghị định số 118/2021/NĐ-CP"
        if net >= 2:
            return FineProposal(rng.minimum, rng, rng.minimum, rng.minimum, False,
                                f"{head}; từ 02 tình tiết giảm nhẹ: mức tối thiểu ({basis}).")
        return FineProposal(rng.maximum, rng, rng.maximum, rng.maximum, False,
                            f"{head}; từ 02 tình tiết tăng nặng: mức tối đa ({basis}).")
    if decided >= ONE_STEP_FROM:
        basis = "Điều 9 Nghị định số 118/2021/NĐ-CP, được sửa đổi bởi Nghị định số 68/2025/NĐ-CP"
        if net == 1:
            amount = _round_thousand((rng.minimum + mid) // 2)
            return FineProposal(amount, rng, rng.minimum, mid, True,
                                f"{head}; 01 tình tiết giảm nhẹ: trên mức tối thiểu, dưới mức "
                                f"trung bình ({basis}).")
        amount = _round_thousand((mid + rng.maximum) // 2)
        return FineProposal(amount, rng, mid, rng.maximum, True,
                            f"{head}; 01 tình tiết tăng nặng: trên mức trung bình, dưới mức "
                            f"tối đa ({basis}).")
    basis = "khoản 4 Điều 23 Luật Xử lý vi phạm hành chính năm 2012"
    if decided >= MANY_STEPS_FROM:
        basis += " (sửa đổi, bổ sung năm 2020)"
    if net > 0:
        return FineProposal(_round_thousand((rng.minimum + mid) // 2), rng, rng.minimum, mid,
                            False,
                            f"{head}; có tình tiết giảm nhẹ: giảm xuống nhưng không dưới mức "
                            f"tối thiểu ({basis}).")
    return FineProposal(_round_thousand((mid + rng.maximum) // 2), rng, mid, rng.maximum,
                        False, f"{head}; có tình tiết tăng nặng: tăng lên nhưng không quá "
                        f"mức tối đa ({basis}).")


def check_fine(proposal: FineProposal, vnd: int) -> None:
    """Raise FineError unless `vnd` is allowed by `proposal`; the message gives the interval
    and why (the proposal's basis: the circumstances counted and the article applied)."""
    if not proposal.allows(vnd):
        raise FineError(f"Số tiền {format_vnd(vnd)} đồng không được phép: mức phạt phải là "
                        f"{proposal.interval_text()}. Căn cứ: {proposal.basis}")
