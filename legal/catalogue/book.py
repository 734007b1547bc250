"""The catalogue as one value: which version applies on a date, the citation a decision
prints, and search by words or by citation.

Which text applies (docs/legal/catalogue.md#versions):
- the version in force on the violation date — the day the violation ended, or for a
  continuing violation the day it was discovered (Decree 118/2021/NĐ-CP Art. 7(2); the same
  reading of Law 15/2012/QH13 Art. 6 before 2022);
- unless a later text, in force when the fine is decided, sanctions the act more lightly:
  then the later text applies (Law 80/2015/QH13 on legal documents Art. 156(4); before
  01/07/2016 Law 17/2008/QH12 Art. 83(4), the same rule). "More lightly" here: a range whose
  minimum and maximum are both no higher, one of them lower. A later text is the entry's
  own later version or its declared `successor` in the instrument that replaced it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from legal.catalogue.ids import CatalogueError, parse_reference, sort_key
from legal.catalogue.model import Alias, Clause, Instrument, Prohibition
from legal.dates import format_date_vn
from legal.text import fold

_WORDS = re.compile(r"\w+")
LIGHTER_RULE_VI = ("khoản 4 Điều 156 Luật Ban hành văn bản quy phạm pháp luật năm 2015: "
                   "văn bản mới quy định trách nhiệm pháp lý nhẹ hơn thì áp dụng văn bản mới")


class NotInForce(CatalogueError):
    """The entry exists but no version of it was in force on the date asked."""


@dataclass(frozen=True)
class Applied:
    """The version to apply and, when the lighter-text rule chose a later one, the version
    in force on the violation date and the reason (Vietnamese, for the proposal's basis)."""

    version: Clause
    in_force_then: Clause
    reason: str | None = None

    @property
    def lighter_later(self) -> bool:
        return self.version is not self.in_force_then


def _org_range(c: Clause) -> tuple[int, int] | None:
    if not c.range_known:
        return None
    if c.base_subject == "organisation":
        return c.fine_min, c.fine_max
    return c.fine_min * 2, c.fine_max * 2


def is_lighter(later: Clause, earlier: Clause) -> bool:
    """True when `later`'s range is no higher at both ends and lower at one (compared for the
    same subject). Unknown ranges are never lighter."""
    a, b = _org_range(later), _org_range(earlier)
    if a is None or b is None:
        return False
    return a[0] <= b[0] and a[1] <= b[1] and a != b


class Catalogue:
    """Instruments, entries (id → versions in date order), prohibitions and aliases."""

    def __init__(self, instruments: dict[str, Instrument], entries: dict[str, tuple[Clause, ...]],
                 prohibitions: dict[str, Prohibition] | None = None,
                 aliases: dict[str, Alias] | None = None, release: int = 0):
        self.instruments = instruments
        self.entries = entries
        self.prohibitions = prohibitions or {}
        self.aliases = aliases or {}
        self.release = release
        self._tokens_cache: dict[tuple[str, int], tuple[frozenset, frozenset]] = {}

    # -- lookup ------------------------------------------------------------------------
    def resolve(self, clause_id: str) -> str:
        """The entry id for `clause_id`, following an alias of an earlier release. Raises
        CatalogueError (Vietnamese message) when neither exists."""
        if clause_id in self.entries:
            return clause_id
        alias = self.aliases.get(clause_id)
        if alias is not None:
            return alias.new
        raise CatalogueError(f"Không có điều khoản «{clause_id}» trong danh mục.")

    def versions(self, clause_id: str) -> tuple[Clause, ...]:
        return self.entries[self.resolve(clause_id)]

    def version(self, clause_id: str, on: date) -> Clause:
        """The version in force on `on`. Raises CatalogueError for an unknown id and
        NotInForce (naming the periods in force) when none was in force that day."""
        versions = self.versions(clause_id)
        for v in versions:
            if v.in_force_on(on):
                return v
        periods = ", ".join(period_text(v) for v in versions)
        raise NotInForce(f"{versions[0].id} không có hiệu lực ngày {format_date_vn(on)} "
                         f"(hiệu lực: {periods}).")

    def applicable(self, clause_id: str, on: date, decided_on: date | None = None) -> Applied:
        """The version to apply to a violation of `on` decided on `decided_on` (default
        `on`): the one in force on `on`, or a lighter later text in force on `decided_on`
        (see the module's docstring). Raises like `version`."""
        then = self.version(clause_id, on)
        if decided_on is None or decided_on <= on:
            return Applied(then, then)
        best = then
        for later in self._later_texts(then, decided_on):
            if is_lighter(later, best):
                best = later
        if best is then:
            return Applied(then, then)
        reason = (f"{best.ref.provision_vi()} {best.instrument_id} (hiệu lực từ "
                  f"{format_date_vn(best.effective_from)}) quy định mức phạt nhẹ hơn "
                  f"{then.ref.provision_vi()} {then.instrument_id} có hiệu lực tại thời điểm "
                  f"vi phạm: áp dụng quy định nhẹ hơn ({LIGHTER_RULE_VI}).")
        return Applied(best, then, reason)

    def _later_texts(self, then: Clause, decided_on: date):
        seen, cid = set(), then.id
        while cid and cid not in seen:
            seen.add(cid)
            for v in self.entries.get(cid, ()):
                if v.effective_from > then.effective_from and v.in_force_on(decided_on):
                    yield v
            cid = self.entries[cid][-1].successor if cid in self.entries else None

    def in_force(self, on: date) -> list[Clause]:
        """Every version in force on `on` (entries kept only for stored cases excluded), in
        the order of the texts."""
        return [v for vs in self.entries.values() for v in vs
                if v.in_force_on(on) and not v.superseded_by]

    def enforced(self, version: Clause) -> list[Prohibition]:
        """The prohibitions `version` enforces that the catalogue knows."""
        return [self.prohibitions[p] for p in version.enforces if p in self.prohibitions]

    # -- citation ----------------------------------------------------------------------
    def citation(self, version: Clause) -> str:
        """The Vietnamese citation of a version as a decision prints it: "điểm a khoản 1
        Điều 101 Nghị định số 15/2020/NĐ-CP ngày 03 tháng 02 năm 2020 của Chính phủ quy định
        …, được sửa đổi, bổ sung bởi Nghị định số 14/2022/NĐ-CP ngày 27 tháng 01 năm 2022
        của Chính phủ". An act whose article is not established is cited by its instrument
        with "(chưa xác định điều, khoản, điểm)"."""
        ref = version.ref
        inst = self.instruments.get(ref.instrument)
        text = inst.citation_vi() if inst else f"văn bản số {ref.instrument}"
        amending = [self.instruments[a].citation_vi(with_name=False) if a in self.instruments
                    else a for a in version.amended_by]
        if amending:
            text += ", được sửa đổi, bổ sung bởi " + " và ".join(amending)
        if ref.unplaced:
            return f"{text} (chưa xác định điều, khoản, điểm)"
        return f"{ref.provision_vi()} {text}"

    def cite(self, clause_id: str, on: date) -> str:
        """`citation` of the version of `clause_id` in force on `on`. Raises like
        `version`."""
        return self.citation(self.version(clause_id, on))

    # -- search ------------------------------------------------------------------------
    def _tokens(self, v: Clause) -> tuple[frozenset[str], frozenset[str]]:
        """(accented, folded) word sets of an entry: its id, provision and act."""
        key = (v.id, v.version)
        if key not in self._tokens_cache:
            ref = v.ref
            text = unicodedata.normalize("NFC", " ".join(
                (v.id, ref.provision_vi(), ref.provision_en(), v.act_vi, v.act_en))).lower()
            words = frozenset(_WORDS.findall(text))
            self._tokens_cache[key] = (words, frozenset(_WORDS.findall(fold(text))))
        return self._tokens_cache[key]

    def find(self, query: str, on: date | None = None) -> list[Clause]:
        """Entries matching `query`, as versions in force on `on` (or, without a date, each
        entry's latest version), in the order of the texts. The query is a citation in
        either form ("101.1.a", "101(1)(a)", "điểm a khoản 1 Điều 101 Nghị định 15/2020",
        "15/2020/NĐ-CP:101.1.a"), words that must all appear in the act as whole words (case
        and accents ignored: "khong giay phep" finds "không có giấy phép"; words typed with
        accents match those accents first), or both. An empty query returns everything.
        Entries kept only for stored cases are not offered."""
        pool = self.in_force(on) if on else [
            vs[-1] for vs in self.entries.values() if not vs[-1].superseded_by]
        exact = unicodedata.normalize("NFC", (query or "").strip())
        if exact in self.entries or exact in self.aliases:  # an id, placed or not
            cid = self.resolve(exact)
            return [v for v in pool if v.id == cid]
        q = exact.lower()
        ref = parse_reference(q)
        if ref is not None:
            pool = [v for v in pool if not v.ref.unplaced and ref.matches(v.ref)]
            found = self._by_words(pool, ref.rest)
            if found or ref.article is not None:
                return found
            pool = self.in_force(on) if on else pool  # "90 ngày": the number was a word
        return self._by_words(pool, q)

    def _by_words(self, pool: list[Clause], text: str) -> list[Clause]:
        words = _WORDS.findall(text)
        folded = [fold(w) for w in words]
        exact = [v for v in pool if all(w in self._tokens(v)[0] for w in words)]
        if not exact or all(w == f for w, f in zip(words, folded, strict=True)):
            exact = [v for v in pool if all(w in self._tokens(v)[1] for w in folded)]
        return sorted(exact, key=lambda v: sort_key(v.id))


def period_text(v) -> str:
    end = format_date_vn(v.effective_to) if v.effective_to else "…"
    return f"{format_date_vn(v.effective_from)} – {end}"
