"""The legal catalogue: the sanction provisions an online-information inspector applies,
cited to the point, one value per version of the text (docs/legal/catalogue.md).

Pure Python over the shipped data files (legal/data/catalogue/). The web application copies
them into its tables (``flask legal load``) where an administrator corrects and verifies
them; it builds the same `Catalogue` from its tables (catalogue.engine).

    >>> cite("15/2020/NĐ-CP:101.1.a", date(2022, 3, 1))  # doctest: +ELLIPSIS
    'điểm a khoản 1 Điều 101 Nghị định số 15/2020/NĐ-CP ngày 03 tháng 02 năm 2020 của ...'
"""

from __future__ import annotations

from datetime import date  # noqa: F401  (used by the doctest)
from functools import cache
from pathlib import Path

from legal.catalogue.book import Applied, Catalogue, NotInForce, is_lighter, period_text
from legal.catalogue.files import DATA_DIR, read_directory
from legal.catalogue.ids import (
    CLAUSE_ID,
    POINT_LETTERS,
    CatalogueError,
    Ref,
    parse_id,
    parse_reference,
    short_citation,
    sort_key,
)
from legal.catalogue.model import (
    FIELDS,
    STATUSES,
    SUBJECTS,
    Alias,
    Clause,
    Field,
    Instrument,
    Prohibition,
    Status,
)

__all__ = [
    "CLAUSE_ID", "DATA_DIR", "FIELDS", "POINT_LETTERS", "STATUSES", "SUBJECTS", "Alias",
    "Applied", "Catalogue", "CatalogueError", "Clause", "Field", "Instrument", "NotInForce",
    "Prohibition", "Ref", "Status", "cite", "find", "is_lighter", "load", "parse_id",
    "parse_reference", "period_text", "shipped", "short_citation", "sort_key", "version",
]


def load(data_dir: Path | None = None) -> Catalogue:
    """Read and check the data files of `data_dir` (default legal/data/catalogue). Raises
    CatalogueError naming the first bad entry."""
    release, instruments, entries, prohibitions, aliases = read_directory(data_dir)
    return Catalogue(instruments, entries, prohibitions, aliases, release)


@cache
def shipped() -> Catalogue:
    """The catalogue of this release's files (read once per process)."""
    return load()


def cite(clause_id: str, on: date) -> str:
    """The Vietnamese citation of `clause_id` as a decision prints it, for the version in
    force on `on`: "điểm a khoản 1 Điều 101 Nghị định số 15/2020/NĐ-CP ngày 03 tháng 02 năm
    2020 của Chính phủ quy định xử phạt …, được sửa đổi, bổ sung bởi Nghị định số
    14/2022/NĐ-CP ngày 27 tháng 01 năm 2022 của Chính phủ" (the amending decree only for a
    version it amended). Ids of earlier releases are followed to the entry they map to.
    Raises CatalogueError for an unknown id, NotInForce when no version was in force."""
    return shipped().cite(clause_id, on)


def find(query: str, on: date | None = None) -> list[Clause]:
    """Entries of the shipped catalogue matching `query` — words without regard to case and
    accents, or a citation in either form ("101.1.a", "điểm a khoản 1 Điều 101 Nghị định
    15/2020") — as the versions in force on `on`. See `Catalogue.find`."""
    return shipped().find(query, on)


def version(clause_id: str, on: date) -> Clause:
    """The version of `clause_id` in force on `on` (shipped files). Raises like `cite`."""
    return shipped().version(clause_id, on)
