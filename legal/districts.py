"""The district-level units of a province, and matching a typed district name to them.

Pure Python. The shipped lists are in `data/districts.yaml` (docs/legal/sites.md#districts);
the agency settings hold the list in force, which an administrator may correct.

    >>> match_district("luc ngan", ["Lục Ngạn", "Lục Nam"])
    'Lục Ngạn'
    >>> match_district("Huyện LỤC NAM", ["Lục Ngạn", "Lục Nam"])
    'Lục Nam'
    >>> match_district("Thành phố Bắc Giang", ["TP. Bắc Giang"])
    'TP. Bắc Giang'
    >>> match_district("Hà Nội", ["Lục Ngạn"]) is None
    True
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

from legal.text import fold

DATA_FILE = Path(__file__).parent / "data" / "districts.yaml"
# words before a district's own name that do not tell districts apart
_PREFIX = re.compile(r"^(?:huyen|thanh pho|tp\.?|thi xa|tx\.?|quan)\s+")


@cache
def _provinces() -> dict[str, dict]:
    raw = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    return {fold(p["province"]): p for p in raw["provinces"]}


def shipped_districts(province: str) -> tuple[str, ...]:
    """The district-level units of `province` (matched without accents and case, e.g.
    "Bắc Giang"), as the registry writes them; () for a province the data does not hold."""
    entry = _provinces().get(fold(province or "").strip())
    return tuple(entry["districts"]) if entry else ()


def district_key(text: str) -> str:
    """What two spellings of one district share: folded (no accents, lower case), single
    spaces, without a leading "huyện", "thành phố", "TP.", "thị xã" or "quận"."""
    folded = " ".join(fold(text or "").split())
    return _PREFIX.sub("", folded).strip()


def match_district(text: str, names) -> str | None:
    """The name in `names` that `text` spells (`district_key`: "luc ngan", "Huyện Lục
    Ngạn" → "Lục Ngạn"), or None when it matches none (an unknown district) or `text` is
    empty."""
    key = district_key(text)
    if not key:
        return None
    for name in names:
        if district_key(name) == key:
            return name
    return None


def parse_districts(text: str | None) -> list[str]:
    """The names of a list typed one per line (blank lines and repeats dropped)."""
    seen, out = set(), []
    for line in (text or "").splitlines():
        name = " ".join(line.split())
        if name and district_key(name) not in seen:
            seen.add(district_key(name))
            out.append(name)
    return out
