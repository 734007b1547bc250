"""The catalogue's entries as plain values: instruments, one value per version of a
sanction provision, the prohibitions they enforce, and the aliases of retired ids.

Statuses (docs/legal/README.md#status-of-a-fact): V verified against the text or a real
decision, P inferred (the reasoning is in `source`), U believed but not found; `verified` is
false exactly for U. A field left ``None`` is *not known* (the text listing it was not
read), which is different from an empty list (the text lists none).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date

from legal.catalogue.ids import Ref, parse_id
from legal.dates import date_words


class Status(enum.StrEnum):
    """How sure we are of a fact (docs/legal/README.md#status-of-a-fact)."""

    V = "V"  # verified against a quoted text or an official decision
    P = "P"  # inferred from verified facts
    U = "U"  # believed, not checked: shown with a warning, editable


class Field(enum.StrEnum):
    """The field of a sanction provision; it decides the limitation period
    (docs/legal/time-limits.md#limitation)."""

    electronic_information = "electronic_information"
    press = "press"


STATUSES = tuple(Status)
SUBJECTS = ("organisation", "individual")
FIELDS = tuple(Field)


def _in_force(start: date, end: date | None, day: date) -> bool:
    return start <= day and (end is None or day <= end)


@dataclass(frozen=True)
class Instrument:
    """A law, decree or circular. `name_vi` follows the kind: "Nghị định" + "quy định xử
    phạt …"; `issuer_vi` signs it ("Chính phủ"). `amends` names the instrument an amending
    decree changes; `replaced_by` the one that replaced this one."""

    id: str
    kind_vi: str
    name_vi: str
    title_en: str
    issuer_vi: str
    signed_on: date | None
    effective_from: date
    effective_to: date | None
    status: str
    source: str
    amends: str | None = None
    replaced_by: str | None = None

    @property
    def verified(self) -> bool:
        return self.status != Status.U

    @property
    def title_vi(self) -> str:
        return f"{self.kind_vi} {self.name_vi}".strip()

    def in_force_on(self, day: date) -> bool:
        return _in_force(self.effective_from, self.effective_to, day)

    def citation_vi(self, *, with_name: bool = True) -> str:
        """"Nghị định số 15/2020/NĐ-CP ngày 03 tháng 02 năm 2020 của Chính phủ quy định …" —
        how a decision names the text (the date as Decree 30/2020 writes dates)."""
        text = f"{self.kind_vi} số {self.id}"
        if self.signed_on:
            text += f" {date_words(self.signed_on)}"
        if self.issuer_vi:
            text += f" của {self.issuer_vi}"
        if with_name and self.name_vi:
            text += f" {self.name_vi}"
        return text


@dataclass(frozen=True)
class Clause:
    """One version of a sanction provision: what the text said from `effective_from` to
    `effective_to` (inclusive). Ranges are integer VND for `base_subject`; the other subject's
    range is derived (legal.fines.range_for_subject). `amended_by` lists the instruments that
    had amended this provision by this version (oldest first); `change` says in words what
    changed from the previous version; `successor` is the entry of a later instrument that
    sanctions the same act (for the lighter-text rule, docs/legal/catalogue.md#versions)."""

    id: str
    version: int
    act_vi: str
    act_en: str
    fine_min: int | None
    fine_max: int | None
    base_subject: str
    warning_allowed: bool | None
    field: str
    effective_from: date
    effective_to: date | None
    status: str
    source: str
    enforces: tuple[str, ...] = ()
    additional_sanctions: tuple[str, ...] | None = None
    remedial_measures: tuple[str, ...] | None = None
    applied_in: str | None = None
    amended_by: tuple[str, ...] = ()
    change: str | None = None
    successor: str | None = None
    superseded_by: str | None = None  # set on an old id kept for stored cases (aliases)
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def ref(self) -> Ref:
        return parse_id(self.id)

    @property
    def instrument_id(self) -> str:
        return self.ref.instrument

    @property
    def verified(self) -> bool:
        return self.status != Status.U

    @property
    def range_known(self) -> bool:
        return self.fine_min is not None and self.fine_max is not None

    def in_force_on(self, day: date) -> bool:
        return _in_force(self.effective_from, self.effective_to, day)


@dataclass(frozen=True)
class Prohibition:
    """A prohibited act (Decree 72/2013/NĐ-CP Art. 5 and its successors): no fine of its own;
    sanction provisions enforce it."""

    id: str
    act_vi: str
    act_en: str
    effective_from: date
    effective_to: date | None
    status: str
    source: str

    @property
    def verified(self) -> bool:
        return self.status != Status.U

    def in_force_on(self, day: date) -> bool:
        return _in_force(self.effective_from, self.effective_to, day)


@dataclass(frozen=True)
class Alias:
    """An id used by earlier releases (and stored in cases) and the entry it maps to now."""

    old: str
    new: str
    note: str
