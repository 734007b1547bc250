"""Entry ids and references to a provision, in the code's form and as people write them.

An entry id is ``<instrument>:<article>.<clause>.<point>`` — ``15/2020/NĐ-CP:101.1.a`` is
point a of clause 1 of Article 101 of Decree 15/2020/NĐ-CP. The point is left out only where
the clause has no points (``174/2013/NĐ-CP:63.3``). The instrument keeps its year: Decree
174/2013 and Decree 174/2026 are different texts. An act known to be sanctioned by an
instrument whose article is not established yet has the id
``<instrument>:unplaced.<name>`` and is cited without an article (docs/legal/catalogue.md#unplaced).

Point letters follow the Vietnamese alphabet without f, j, w, z: a, b, c, d, đ, e, g, h, i,
k, l, m, n, o… (the way legal texts letter their points).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

POINT_LETTERS = ("a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n", "o", "p",
                 "q", "r", "s", "t", "u", "v", "x", "y")
_POINT = "[a-eg-iklm-vxyđ]"
INSTRUMENT_ID = re.compile(r"^(?P<number>\d+)/(?P<year>\d{4})/(?P<kind>[A-ZĐ0-9-]+)$")
CLAUSE_ID = re.compile(
    r"^(?P<instrument>\d+/\d{4}/[A-ZĐ0-9-]+):(?:(?P<article>\d+[a-z]?)\.(?P<clause>\d+[a-z]?)"
    rf"(?:\.(?P<point>{_POINT}))?|unplaced\.(?P<unplaced>[a-z0-9-]+))$")


class CatalogueError(ValueError):
    """A malformed id or data file; the message names the entry."""


@dataclass(frozen=True)
class Ref:
    """A parsed entry id: the instrument and, when placed, article, clause and point."""

    instrument: str
    article: str | None
    clause: str | None
    point: str | None
    unplaced: str | None = None

    @property
    def id(self) -> str:
        if self.unplaced:
            return f"{self.instrument}:unplaced.{self.unplaced}"
        tail = f".{self.point}" if self.point else ""
        return f"{self.instrument}:{self.article}.{self.clause}{tail}"

    def provision_vi(self) -> str:
        """"điểm a khoản 1 Điều 101" — the provision as a decision names it (empty for an
        unplaced act)."""
        if self.unplaced:
            return ""
        text = f"khoản {self.clause} Điều {self.article}"
        return f"điểm {self.point} {text}" if self.point else text

    def provision_en(self) -> str:
        """"Art. 101(1)(a)"."""
        if self.unplaced:
            return ""
        tail = f"({self.point})" if self.point else ""
        return f"Art. {self.article}({self.clause}){tail}"


def parse_id(clause_id: str) -> Ref:
    """Split an entry id. Raises CatalogueError for anything else (a point letter outside
    the Vietnamese alphabet, a missing clause, a missing year)."""
    m = CLAUSE_ID.match(unicodedata.normalize("NFC", clause_id or ""))
    if not m:
        raise CatalogueError(f"bad clause id {clause_id!r}: write <instrument>:<article>."
                             "<clause>[.<point>], e.g. 15/2020/NĐ-CP:101.1.a")
    return Ref(m["instrument"], m["article"], m["clause"], m["point"], m["unplaced"])


KINDS_VI = {"NĐ-CP": "Nghị định", "QH13": "Luật", "QH14": "Luật", "QH15": "Luật"}


def short_citation(clause_id: str) -> str:
    """"điểm a khoản 1 Điều 101 Nghị định số 15/2020/NĐ-CP" — the provision and the
    instrument's number, for lists, reports and exports (a decision prints the full citation,
    `Catalogue.citation`). Raises CatalogueError for a malformed id."""
    ref = parse_id(clause_id)
    kind = KINDS_VI.get(ref.instrument.split("/", 2)[2], "văn bản")
    if ref.unplaced:
        return f"{kind} số {ref.instrument} (chưa xác định điều, khoản, điểm)"
    return f"{ref.provision_vi()} {kind} số {ref.instrument}"


def _num(part: str | None) -> tuple[int, str]:
    if part is None:
        return (0, "")
    m = re.match(r"(\d+)(.*)", part)
    return (int(m[1]), m[2]) if m else (0, part)


def sort_key(clause_id: str) -> tuple:
    """Order entries as the texts do: by instrument year and number, then article, clause
    and point in the Vietnamese order (d before đ before e)."""
    ref = parse_id(clause_id)
    number, year, kind = ref.instrument.split("/", 2)
    point = POINT_LETTERS.index(ref.point) + 1 if ref.point else 0
    return (int(year), int(number), kind, ref.unplaced is not None, _num(ref.article),
            _num(ref.clause), point, ref.unplaced or "")


# A reference typed by a user: "101.1.a", "101(1)(a)", "điểm a khoản 1 Điều 101 Nghị định
# 15/2020", "Điểm a, Khoản 3, Điều 64 Nghị định số 174/2013/NĐ-CP", "15/2020/NĐ-CP:101.1.a".
_INSTR = re.compile(r"(?<![\d/])(\d{1,4})\s*/\s*(\d{4})(?:\s*/\s*([a-zđ0-9-]+))?")
_PT = r"(dd|[a-zđ])"
_ARTICLE_WORD = r"(?:điều|dieu|article|art\.?)"
_KEYWORDS = {"point": re.compile(rf"(?:điểm|diem)\s*{_PT}\b"),
             "clause": re.compile(r"(?:khoản|khoan)\s*(\d+[a-z]?)\b"),
             "article": re.compile(_ARTICLE_WORD + r"\s*(\d+[a-z]?)\b")}
_DOTTED = re.compile(rf"(?<![\d/.])(\d+[a-z]?)(?:\.(\d+[a-z]?)(?:\.{_PT})?)?(?![\d/])")
_PARENS = re.compile(rf"(?<![\d/])(\d+[a-z]?)\((\d+[a-z]?)\)(?:\({_PT}\))?")


@dataclass(frozen=True)
class Query:
    """What a typed reference asks for; None parts match anything."""

    number: str | None = None  # "15"
    year: str | None = None  # "2020"
    article: str | None = None
    clause: str | None = None
    point: str | None = None
    rest: str = ""  # the words left once the reference is taken out

    def matches(self, ref: Ref) -> bool:
        number, year, _kind = ref.instrument.split("/", 2)
        if self.number and int(number) != int(self.number):
            return False
        if self.year and year != self.year:
            return False
        if self.article is not None and ref.article != self.article:
            return False
        if self.clause is not None and ref.clause != self.clause:
            return False
        return self.point is None or ref.point == self.point


def _letter(text: str | None) -> str | None:
    if text is None:
        return None
    return "đ" if text == "dd" else text


def parse_reference(text: str) -> Query | None:
    """Read a provision reference out of typed text (any case, with or without accents),
    or None when the text names no article. The instrument may be given by number and
    year ("15/2020", "174/2013/NĐ-CP"); "Nghị định 174" alone matches both 174/2013 and
    174/2026. "dd" reads as the point letter đ (Telex typing)."""
    s = unicodedata.normalize("NFC", text or "").lower().strip()
    number = year = None
    m = _INSTR.search(s)
    if m:
        number, year = m[1], m[2]
        s = s[:m.start()] + " " + s[m.end():]
    s = re.sub(r"(nghị định|nghi dinh|nđ-cp|nd-cp|nđ|nd|số|so)\b", " ", s)
    s = s.replace(":", " ").replace(",", " ")
    m = _PARENS.search(s)
    if m:  # "Art. 64(2)(đ)", "101(1)(a)"
        rest = re.sub(_ARTICLE_WORD, " ", s[:m.start()] + " " + s[m.end():])
        return Query(number, year, m[1], m[2], _letter(m[3]), " ".join(rest.split()))
    found = {}
    for part, pattern in _KEYWORDS.items():
        m = pattern.search(s)
        if m:
            found[part] = m[1]
            s = s[:m.start()] + " " + s[m.end():]
    if "article" in found:
        return Query(number, year, found["article"], found.get("clause"),
                     _letter(found.get("point")), " ".join(s.split()))
    m = _DOTTED.search(s)
    if m:
        article, clause, point = m.groups()
        rest = " ".join((s[:m.start()] + " " + s[m.end():]).split())
        # a bare number among words ("lưu trữ 90 ngày") is not an article
        if clause is not None or not rest or number:
            return Query(number, year, article, clause, _letter(point), rest)
    if number:
        return Query(number, year, rest=" ".join(s.split()))
    return None
