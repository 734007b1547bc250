"""The mitigating and aggravating circumstances a decision names (Law 15/2012/QH13 Art. 9
and Art. 10(1); docs/legal/documents.md#circumstances), as data in
`data/circumstances.yaml`.

    >>> name("10.1.b")
    'Vi phạm hành chính nhiều lần; tái phạm'
    >>> cite("9.2")
    'khoản 2 Điều 9 Luật Xử lý vi phạm hành chính'
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

DATA_FILE = Path(__file__).parent / "data" / "circumstances.yaml"
KINDS = ("mitigating", "aggravating")


class CircumstanceError(ValueError):
    """An unknown circumstance code (message in Vietnamese)."""


@dataclass(frozen=True)
class Circumstance:
    code: str  # "9.2" (Art. 9 clause 2) or "10.1.b" (Art. 10 clause 1 point b)
    kind: str  # "mitigating" or "aggravating"
    text: str


@cache
def load(path: Path = DATA_FILE) -> dict[str, Circumstance]:
    """code → Circumstance, mitigating first, in the Law's order."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {c["code"]: Circumstance(c["code"], kind, c["text"])
            for kind in KINDS for c in raw[kind]}


def of_kind(kind: str) -> list[Circumstance]:
    """The circumstances of `kind` ("mitigating" or "aggravating"), in the Law's order."""
    return [c for c in load().values() if c.kind == kind]


def name(code: str) -> str:
    """The Law's words for `code`. Raises CircumstanceError for an unknown code."""
    try:
        return load()[code].text
    except KeyError:
        raise CircumstanceError(f"Không có tình tiết «{code}».") from None


def cite(code: str) -> str:
    """"khoản 2 Điều 9 Luật Xử lý vi phạm hành chính", "điểm b khoản 1 Điều 10 …"."""
    parts = code.split(".")
    text = f"khoản {parts[1]} Điều {parts[0]} Luật Xử lý vi phạm hành chính"
    return f"điểm {parts[2]} {text}" if len(parts) > 2 else text


def check(codes: list[str] | None, kind: str) -> list[str]:
    """`codes` of `kind`, each once, in the Law's order. Raises CircumstanceError naming an
    unknown code or one of the other kind."""
    known = {c.code for c in of_kind(kind)}
    wanted = list(dict.fromkeys(codes or ()))
    for code in wanted:
        if code not in known:
            raise CircumstanceError(f"Không có tình tiết «{code}».")
    return [c.code for c in of_kind(kind) if c.code in wanted]
