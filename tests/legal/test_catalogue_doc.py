"""The generated reference page is exactly the shipped data (docs/legal/catalogue.md)."""

from __future__ import annotations

from pathlib import Path

from legal.catalogue import shipped
from legal.catalogue.doc import counts, render

PAGE = Path(__file__).resolve().parents[2] / "docs" / "legal" / "catalogue-entries.md"


def test_the_entries_page_is_current():
    assert PAGE.read_text(encoding="utf-8") == render(shipped()), (
        "run: flask --app app legal doc")


def test_the_page_lists_every_version_with_its_status():
    text = PAGE.read_text(encoding="utf-8")
    assert "| `15/2020/NĐ-CP:101.1.a`<br>điểm a khoản 1 Điều 101 Nghị định số 15/2020/NĐ-CP | 2: " \
           "27/01/2022 – 30/06/2026, amended by 14/2022/NĐ-CP |" in text
    assert "10.000.000–20.000.000 / 5.000.000–10.000.000" in text
    total = sum(sum(c.values()) for c in counts(shipped()).values())
    assert text.count("\n| `") == total + len(shipped().prohibitions) + len(shipped().aliases)
