"""The legal catalogue as data: instruments (`data/instruments.yaml`), sanction clauses and
the Decree 72/2013 prohibitions they enforce (`data/clauses.yaml`).

Pure Python. The web application copies these entries into its tables (``flask legal load``)
and lets an administrator correct them; this module only reads and validates the files.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

import yaml

DATA_DIR = Path(__file__).parent / "data"

# `<instrument>:<article>.<clause>[.<point>]`, e.g. 174/2013/NĐ-CP:63.3, 119/2020/NĐ-CP:20.1.đ
CLAUSE_ID = re.compile(
    r"^(?P<instrument>[^:]+):(?P<article>\d+)\.(?P<clause>\d+)(?:\.(?P<point>[a-zđ]))?$"
)

class Status(enum.StrEnum):
    """How sure we are of a fact (docs/legal/README.md#status-of-a-fact)."""

    V = "V"  # verified against a quoted text or an official decision
    P = "P"  # inferred from verified facts
    U = "U"  # believed, not checked: shown with a warning, editable


class Field(enum.StrEnum):
    """The field of a sanction clause; it decides the limitation period
    (docs/legal/time-limits.md#limitation)."""

    electronic_information = "electronic_information"
    press = "press"


STATUSES = tuple(Status)
SUBJECTS = ("organisation", "individual")
FIELDS = tuple(Field)


class CatalogueError(ValueError):
    """The catalogue file is malformed; the message names the entry."""


@dataclass(frozen=True)
class Instrument:
    id: str
    title_vi: str
    title_en: str
    effective_from: date
    effective_to: date | None
    status: str
    source: str

    @property
    def verified(self) -> bool:
        return self.status != Status.U


@dataclass(frozen=True)
class Prohibition:
    """A prohibited act of Decree 72/2013/NĐ-CP Art. 5 (no fine of its own)."""

    id: str
    act_vi: str
    act_en: str
    status: str
    source: str

    @property
    def verified(self) -> bool:
        return self.status != Status.U


@dataclass(frozen=True)
class Clause:
    id: str
    instrument_id: str
    article: int
    clause: int
    point: str | None
    act_vi: str
    act_en: str
    fine_min: int | None
    fine_max: int | None
    base_subject: str
    warning_allowed: bool
    field: str
    enforces: str | None
    effective_from: date
    effective_to: date | None
    status: str
    source: str
    additional_sanctions: tuple[str, ...] = field(default_factory=tuple)
    remedial_measures: tuple[str, ...] = field(default_factory=tuple)

    @property
    def verified(self) -> bool:
        return self.status != Status.U


def citation_vi(clause_id: str) -> str:
    """The Vietnamese citation of a clause id: ``174/2013/NĐ-CP:64.3.a`` →
    ``điểm a khoản 3 Điều 64 Nghị định số 174/2013/NĐ-CP``. Raises CatalogueError on a bad id."""
    m = CLAUSE_ID.match(clause_id)
    if not m:
        raise CatalogueError(f"bad clause id {clause_id!r}")
    instrument = m["instrument"]
    kind = "Nghị định số" if "NĐ-CP" in instrument else "văn bản số"
    text = f"khoản {m['clause']} Điều {m['article']} {kind} {instrument}"
    return f"điểm {m['point']} {text}" if m["point"] else text


def _read(name: str) -> dict:
    return yaml.safe_load((DATA_DIR / name).read_text(encoding="utf-8"))


def load(data_dir: Path | None = None) -> tuple[list[Instrument], list[Clause]]:
    """Read and validate the instruments and sanction clauses.

    Returns (instruments, clauses). A clause's effective period defaults to its instrument's.
    Raises CatalogueError naming the first bad entry (unknown instrument, bad id, min > max,
    unknown status, subject or field).
    """
    global DATA_DIR
    if data_dir is not None:
        DATA_DIR = data_dir
    instruments = [
        Instrument(
            id=i["id"], title_vi=i["title_vi"], title_en=i["title_en"],
            effective_from=i["effective_from"], effective_to=i.get("effective_to"),
            status=i["status"], source=i["source"],
        )
        for i in _read("instruments.yaml")["instruments"]
    ]
    by_id = {i.id: i for i in instruments}
    clauses = []
    for c in _read("clauses.yaml")["clauses"]:
        m = CLAUSE_ID.match(c["id"])
        if not m:
            raise CatalogueError(f"clause {c['id']!r}: id must read <instrument>:<art>.<cl>[.<pt>]")
        inst = by_id.get(m["instrument"])
        if inst is None:
            raise CatalogueError(f"clause {c['id']!r}: unknown instrument {m['instrument']!r}")
        lo, hi = c.get("fine_min"), c.get("fine_max")
        if (lo is None) != (hi is None) or (lo is not None and not 0 <= lo <= hi):
            raise CatalogueError(f"clause {c['id']!r}: fine range must be 0 <= min <= max")
        for key, allowed in (("status", STATUSES), ("base_subject", SUBJECTS), ("field", FIELDS)):
            if c[key] not in allowed:
                raise CatalogueError(f"clause {c['id']!r}: {key} must be one of {allowed}")
        clauses.append(
            Clause(
                id=c["id"], instrument_id=inst.id, article=int(m["article"]),
                clause=int(m["clause"]), point=m["point"], act_vi=c["act_vi"],
                act_en=c["act_en"], fine_min=lo, fine_max=hi, base_subject=c["base_subject"],
                warning_allowed=bool(c["warning_allowed"]), field=c["field"],
                enforces=c.get("enforces"),
                effective_from=c.get("effective_from") or inst.effective_from,
                effective_to=c.get("effective_to", inst.effective_to),
                status=c["status"], source=c["source"],
                additional_sanctions=tuple(c.get("additional_sanctions") or ()),
                remedial_measures=tuple(c.get("remedial_measures") or ()),
            )
        )
    return instruments, clauses


def load_prohibitions() -> list[Prohibition]:
    """The prohibited acts of Decree 72/2013/NĐ-CP Art. 5 (docs/legal/sites.md#prohibited-acts)."""
    return [Prohibition(id=p["id"], act_vi=p["act_vi"], act_en=p["act_en"],
                        status=p["status"], source=p["source"])
            for p in _read("clauses.yaml").get("prohibitions", [])]


@cache
def clauses_by_id() -> dict[str, Clause]:
    """The shipped sanction clauses by id (cached)."""
    return {c.id: c for c in load()[1]}
