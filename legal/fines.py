"""Fine ranges and the default fine.

Pure Python; amounts are integer VND.
"""

from __future__ import annotations

from dataclasses import dataclass

ORGANISATION = "organisation"
INDIVIDUAL = "individual"


@dataclass(frozen=True)
class FineRange:
    """A fine range in VND for one kind of subject (inclusive bounds)."""

    minimum: int
    maximum: int

    @property
    def midpoint(self) -> int:
        """The default fine: the midpoint of the range (Law 15/2012/QH13 Art. 23(4)).

        Rounded down to the đồng when the range has an odd width.
        """
        return (self.minimum + self.maximum) // 2

    def contains(self, vnd: int) -> bool:
        return self.minimum <= vnd <= self.maximum


def range_for_subject(
    fine_min: int, fine_max: int, base_subject: str, subject_kind: str
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
    """The proposed fine in VND: the midpoint of the range for the subject's kind
    (Law 15/2012/QH13 Art. 23(4); individual half, see `range_for_subject`).

    >>> default_fine(20_000_000, 30_000_000, "organisation", "organisation")
    25000000
    >>> default_fine(20_000_000, 30_000_000, "organisation", "individual")
    12500000
    """
    return range_for_subject(fine_min, fine_max, base_subject, subject_kind).midpoint
