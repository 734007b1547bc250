"""The administrator's review of the catalogue: entries with their versions, what changed
from one version to the next, and the filters of the review page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _

from catalogue.models import LegalClause
from legal.catalogue import sort_key
from legal.money import format_vnd
from legal.text import fold


def _range(row: LegalClause) -> str:
    if row.fine_min is None:
        return _("unknown")
    return f"{format_vnd(row.fine_min)}–{format_vnd(row.fine_max)} đ"


def _items(value) -> str:
    if value is None:
        return _("not known")
    return "; ".join(value) if value else _("none")


def changes_between(before: LegalClause, after: LegalClause) -> list[str]:
    """What changed from version `before` to version `after`, one phrase each: the range,
    the subject it is stated for, the wording, warnings, additional sanctions, remedial
    measures, the provisions enforced, the amending decree."""
    out = []
    if (before.fine_min, before.fine_max) != (after.fine_min, after.fine_max):
        out.append(_("range %(a)s → %(b)s", a=_range(before), b=_range(after)))
    if before.base_subject != after.base_subject:
        out.append(_("range now stated for: %(s)s", s=after.base_subject))
    if before.act_vi != after.act_vi:
        out.append(_("wording of the act"))
    if before.warning_allowed != after.warning_allowed:
        out.append(_("warning allowed: %(a)s → %(b)s", a=_yes(before.warning_allowed),
                     b=_yes(after.warning_allowed)))
    if before.additional_sanctions != after.additional_sanctions:
        out.append(_("additional sanctions: %(s)s", s=_items(after.additional_sanctions)))
    if before.remedial_measures != after.remedial_measures:
        out.append(_("remedial measures: %(s)s", s=_items(after.remedial_measures)))
    if before.enforces != after.enforces:
        out.append(_("enforces: %(s)s", s=", ".join(after.enforces or []) or _("none")))
    new_amendments = [a for a in after.amended_by or [] if a not in (before.amended_by or [])]
    if new_amendments:
        out.append(_("amended by %(s)s", s=", ".join(new_amendments)))
    return out


def _yes(value) -> str:
    return {True: _("yes"), False: _("no"), None: _("not known")}[value]


@dataclass
class Entry:
    """One entry of the review page: its id and its versions (oldest first), each with what
    changed from the version before."""

    id: str
    versions: list[LegalClause] = field(default_factory=list)
    changes: dict[int, list[str]] = field(default_factory=dict)

    @property
    def latest(self) -> LegalClause:
        return self.versions[-1]

    @property
    def instrument_id(self) -> str:
        return self.versions[0].instrument_id


def entries(rows: list[LegalClause], *, instrument: str = "", status: str = "",
            query: str = "", on: date | None = None, ids: set[str] | None = None) -> list[Entry]:
    """Group version rows into entries in the order of the texts, keeping those of
    `instrument`, with a version of `status`, in force on `on`, whose id or act contains the
    words of `query` (accents ignored), or whose id is in `ids` (a citation search)."""
    grouped: dict[str, Entry] = {}
    for row in sorted(rows, key=lambda r: (sort_key(r.id), r.effective_from)):
        entry = grouped.setdefault(row.id, Entry(row.id))
        if entry.versions:
            entry.changes[row.version] = changes_between(entry.versions[-1], row)
        entry.versions.append(row)
    words = fold(query).split()
    out = []
    for entry in grouped.values():
        if instrument and entry.instrument_id != instrument:
            continue
        if status and not any(v.status == status for v in entry.versions):
            continue
        if on and not any(v.in_force_on(on) for v in entry.versions):
            continue
        if ids is not None:
            if entry.id not in ids:
                continue
        elif words:
            text = fold(" ".join([entry.id] + [v.act_vi + " " + v.act_en
                                               for v in entry.versions]))
            if not all(w in text for w in words):
                continue
        out.append(entry)
    return out
