"""The sanctioning procedure as data, period by period (docs/legal/procedure.md): who has
the right to explain, whether a decision may be issued after its time limit, the form of each
document and the presentation rules of the agency's documents.

Pure Python over `data/procedure.yaml`. Each fact has one entry per period; the entry in
force on the date of the procedural act applies (the record for the right to explain, the
decision's date for its form).

    >>> form_for("decision", date(2014, 12, 1)).symbol
    'QĐ-XPVPHC'
    >>> form_for("decision", date(2025, 6, 2)).symbol
    'QĐ-XPHC'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import yaml

from legal.catalogue import Status
from legal.money import format_vnd
from legal.text import fold

DATA_FILE = Path(__file__).parent / "data" / "procedure.yaml"
FORM_KINDS = ("record", "decision", "hearing")
# Words of an additional sanction that withdraws a licence or suspends activity for a term
# (Law 15/2012 Art. 61(1)), matched without accents in the catalogue's texts.
LICENCE_WORDS = (fold("tước quyền sử dụng giấy phép"), fold("đình chỉ hoạt động"))


class ProcedureError(ValueError):
    """No entry in force on the date, or a malformed data file (message in Vietnamese)."""


def _in_force(start: date, end: date | None, day: date) -> bool:
    return start <= day and (end is None or day <= end)


@dataclass(frozen=True)
class Period:
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
class Threshold(Period):
    """Law 15/2012 Art. 61(1): the fine maxima (VND) that open the right to explain."""

    individual: int = 0
    organisation: int = 0
    licence: bool = True
    waiver: str = Status.U  # status of the violator's written waiver in this text
    basis: str = ""

    def for_subject(self, subject_kind: str) -> int:
        return self.organisation if subject_kind == "organisation" else self.individual


@dataclass(frozen=True)
class AfterLimit(Period):
    refused: bool = True
    basis: str = ""


@dataclass(frozen=True)
class Layout(Period):
    """The presentation rules of the period: `bases_last` ends the last "Căn cứ" line."""

    regime: str = ""
    bases_last: str = "."


@dataclass(frozen=True)
class Form(Period):
    """One version of a form: its code, the decree that set it, the symbol printed after the
    number, and the `features` it has ("gender", "explanation_ticks", "appearance",
    "receiver", "place_reason", "electronic_contact", "hearing_basis")."""

    kind: str = ""
    code: str = ""
    decree: str = ""
    symbol: str = ""
    features: tuple[str, ...] = ()
    law_basis: str = ""

    def has(self, feature: str) -> bool:
        return feature in self.features


@dataclass(frozen=True)
class CompetenceBasis:
    """The provision of a sanction decree giving a signer's title its competence."""

    instrument: str
    title: str
    text: str
    status: str
    source: str


@dataclass(frozen=True)
class Right:
    """Whether the violator may explain (Law 15/2012 Art. 61(1)) and why, in Vietnamese."""

    applies: bool
    reason: str
    basis: str
    status: str
    waiver_status: str

    @property
    def verified(self) -> bool:
        return self.status != Status.U


def _period(raw: dict) -> dict:
    status = raw.get("status")
    if status not in tuple(Status):
        raise ProcedureError(f"procedure.yaml: trạng thái không hợp lệ {status!r}")
    return {"effective_from": raw["effective_from"], "effective_to": raw.get("effective_to"),
            "status": status, "source": raw.get("source", "")}


@cache
def load(path: Path = DATA_FILE) -> dict[str, tuple]:
    """The data file as {"explanation_right", "decision_after_time_limit", "layout",
    "forms"} → tuples of entries. Raises ProcedureError naming a bad entry."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    forms = []
    for f in raw["forms"]:
        if f["kind"] not in FORM_KINDS:
            raise ProcedureError(f"procedure.yaml: loại mẫu không hợp lệ {f['kind']!r}")
        forms.append(Form(**_period(f), kind=f["kind"], code=f["code"], decree=f["decree"],
                          symbol=f["symbol"], features=tuple(f.get("features") or ()),
                          law_basis=f.get("law_basis", "")))
    return {
        "explanation_right": tuple(Threshold(
            **_period(t), individual=int(t["individual"]), organisation=int(t["organisation"]),
            licence=bool(t["licence"]), waiver=t["waiver"], basis=t["basis"])
            for t in raw["explanation_right"]),
        "decision_after_time_limit": tuple(AfterLimit(
            **_period(t), refused=bool(t["refused"]), basis=t["basis"])
            for t in raw["decision_after_time_limit"]),
        "layout": tuple(Layout(**_period(t), regime=t["regime"], bases_last=t["bases_last"])
                        for t in raw["layout"]),
        "forms": tuple(forms),
        "competence_basis": tuple(CompetenceBasis(
            c["instrument"], c["title"], c["text"], c["status"], c.get("source", ""))
            for c in raw.get("competence_basis") or ()),
    }


def _entry(name: str, on: date, entries: Iterable | None = None):
    for entry in entries if entries is not None else load()[name]:
        if entry.in_force_on(on):
            return entry
    raise ProcedureError(f"Không có quy định «{name}» áp dụng cho ngày {on:%d/%m/%Y}.")


def threshold(on: date) -> Threshold:
    """The Art. 61(1) threshold in force on `on` (the record's date). Raises ProcedureError."""
    return _entry("explanation_right", on)


def licence_sanction(additional_sanctions: Iterable[str] | None) -> bool:
    """True when one of the additional sanctions the text prescribes for the act withdraws a
    licence or suspends activity for a term (Law 15/2012 Art. 61(1); matched on the words of
    the catalogue's list, P)."""
    return any(word in fold(s) for s in additional_sanctions or () for word in LICENCE_WORDS)


def explanation_right(acts: Iterable[tuple[int | None, bool]], subject_kind: str,
                      on: date) -> Right:
    """The violator's right to explain for a record made on `on`.

    `acts`: one (maximum of the act's fine bracket for this subject in VND, or None when the
    range is not known; whether the text prescribes licence withdrawal or suspension) per act
    of the record. The right applies when one maximum reaches the threshold for the subject
    (15.000.000 đ individual, 30.000.000 đ organisation: Law 15/2012 Art. 61(1), 2012 and
    2020 texts, V) or one act carries licence withdrawal or suspension; an act whose range is
    not known gives the right too (the safe reading: a decision that skipped the right can be
    annulled). Raises ProcedureError when no text was in force on `on`.
    """
    t = threshold(on)
    limit = t.for_subject(subject_kind)
    reasons = []
    for maximum, licence in acts:
        if licence and t.licence:
            reasons.append("hình thức xử phạt tước quyền sử dụng giấy phép hoặc đình chỉ "
                           "hoạt động có thời hạn")
        elif maximum is None:
            reasons.append("chưa xác định được mức tối đa của khung tiền phạt")
        elif maximum >= limit:
            reasons.append(f"mức tối đa của khung tiền phạt {format_vnd(maximum)} đồng "
                           f"(từ {format_vnd(limit)} đồng trở lên)")
    return Right(bool(reasons), "; ".join(dict.fromkeys(reasons)), t.basis, t.status, t.waiver)


def after_time_limit(on: date) -> AfterLimit:
    """Whether a sanction decision dated `on` may be issued once its time limit has passed
    (Law 15/2012 Art. 66(2): it may not; remedial measures may still be ordered)."""
    return _entry("decision_after_time_limit", on)


def layout_for(on: date) -> Layout:
    """The presentation rules for a document dated `on` (Circular 01/2011/TT-BNV until
    04/03/2020, Decree 30/2020/NĐ-CP from 05/03/2020)."""
    return _entry("layout", on)


def form_for(kind: str, on: date, forms: Iterable[Form] | None = None) -> Form:
    """The form of `kind` ("record", "decision", "hearing") for a document dated `on`.
    `forms` replaces the shipped entries (the application passes its corrected table).
    Raises ProcedureError when none is in force."""
    entries = [f for f in (forms if forms is not None else load()["forms"]) if f.kind == kind]
    return _entry(f"mẫu {kind}", on, entries)


def competence_basis(title: str | None, instruments: Iterable[str]) -> list[CompetenceBasis]:
    """The provisions giving `title` (a competence code, e.g. "chief_inspector") its power
    in the sanction decrees `instruments` ("174/2013/NĐ-CP"), as far as they are known
    (procedure.yaml `competence_basis`); none for an unknown pair."""
    wanted = list(dict.fromkeys(instruments))
    return [c for i in wanted for c in load()["competence_basis"]
            if c.instrument == i and c.title == title]


def end_bases(lines: list[str], on: date) -> list[str]:
    """The "Căn cứ" lines of a document dated `on`, each ending with ";" and the last with
    the period's end mark ("," before 05/03/2020, "." from then: `layout_for`)."""
    out = [line.rstrip(" ;,.") + ";" for line in lines]
    if out:
        out[-1] = out[-1][:-1] + layout_for(on).bases_last
    return out
