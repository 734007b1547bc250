"""The law on inspection as a campaign needs it, period by period (docs/legal/inspection.md):
the instruments the team decision cites, the forms, who inspects. Pure Python over
`data/inspection.yaml`; the period in force on the date of the team decision applies.

    >>> period_for(date(2014, 11, 10)).law.startswith("Luật Thanh tra số 56/2010")
    True
    >>> period_for(date(2014, 12, 1)).forms.startswith("Thông tư số 05/2014/TT-TTCP")
    True
    >>> period_for(date(2025, 7, 1)).inspector
    'Thanh tra tỉnh'
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import yaml

from legal.catalogue import Status

DATA_FILE = Path(__file__).parent / "data" / "inspection.yaml"


class InspectionLawError(ValueError):
    """No period in force on the date (message in Vietnamese)."""


@dataclass(frozen=True)
class InspectionPeriod:
    key: str
    effective_from: date
    effective_to: date | None
    law: str
    decree: str
    forms: str
    inspector: str
    status: Status
    source: str

    @property
    def verified(self) -> bool:
        return self.status == Status.V


@cache
def periods() -> tuple[InspectionPeriod, ...]:
    """Every period of the data file, oldest first."""
    raw = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    return tuple(InspectionPeriod(
        key=str(p["key"]), effective_from=p["effective_from"], effective_to=p["effective_to"],
        law=p["law"], decree=p["decree"], forms=p["forms"], inspector=p["inspector"],
        status=Status(p["status"]), source=p["source"]) for p in raw["periods"])


def period_for(day: date) -> InspectionPeriod:
    """The period in force on `day`. Raises InspectionLawError before the first one."""
    for p in periods():
        if p.effective_from <= day and (p.effective_to is None or day <= p.effective_to):
            return p
    raise InspectionLawError(f"Không có quy định về thanh tra có hiệu lực ngày {day:%d/%m/%Y}.")
