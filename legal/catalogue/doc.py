"""The catalogue as a Markdown page (docs/legal/catalogue-entries.md): every entry and
version with its range, what the text allows, its status, source and a real decision. The
page is generated from the data files (`flask legal doc`) and a test checks it is current, so
the reference a lawyer reads is exactly what the product applies."""

from __future__ import annotations

from collections import Counter

from legal.catalogue.book import Catalogue, period_text
from legal.catalogue.ids import short_citation
from legal.catalogue.model import STATUSES, Clause
from legal.money import format_vnd

HEAD = """# Catalogue entries (generated)

Generated from `legal/data/catalogue/` by `flask --app app legal doc`; do not edit by hand
(`tests/legal/test_catalogue_doc.py` fails when this page and the data differ). What the
columns mean, how a version is chosen and how sure we are of each instrument:
[catalogue.md](catalogue.md). Ranges are in đồng; "organisation / individual" — the range
the text states for its base subject and the one derived for the other subject
([fines.md](fines.md#individual-half)). *Not known* means the text listing it was not read;
*none* means the text lists none.
"""


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ").strip()


def _range(v: Clause) -> str:
    if not v.range_known:
        return "**unknown**"
    lo, hi = v.fine_min, v.fine_max
    other = (lo // 2, hi // 2) if v.base_subject == "organisation" else (lo * 2, hi * 2)
    org, ind = ((lo, hi), other) if v.base_subject == "organisation" else (other, (lo, hi))
    return (f"{format_vnd(org[0])}–{format_vnd(org[1])} / "
            f"{format_vnd(ind[0])}–{format_vnd(ind[1])}")


def _items(items) -> str:
    if items is None:
        return "not known"
    return "; ".join(items) if items else "none"


def _allows(v: Clause) -> str:
    warning = {True: "yes", False: "no", None: "not known"}[v.warning_allowed]
    return (f"warning: {warning}; additional: {_items(v.additional_sanctions)}; "
            f"remedial: {_items(v.remedial_measures)}")


def counts(cat: Catalogue) -> dict[str, Counter]:
    """Versions by instrument and status."""
    out: dict[str, Counter] = {}
    for versions in cat.entries.values():
        for v in versions:
            out.setdefault(v.instrument_id, Counter())[v.status] += 1
    return out


def render(cat: Catalogue) -> str:
    """The whole page."""
    lines = [HEAD, "## Counts", "",
             "| instrument | entries | versions | " + " | ".join(STATUSES) + " |",
             "|---|---|---|" + "---|" * len(STATUSES)]
    by_inst = counts(cat)
    entries = Counter(vs[0].instrument_id for vs in cat.entries.values())
    for inst, n in by_inst.items():
        lines.append(f"| {inst} | {entries[inst]} | {sum(n.values())} | "
                     + " | ".join(str(n[s]) for s in STATUSES) + " |")
    current = None
    for versions in cat.entries.values():
        inst = versions[0].instrument_id
        if inst != current:
            current = inst
            i = cat.instruments[inst]
            lines += ["", f"## {inst}", "", f"{i.title_vi} — {period_text(i)}. Status "
                      f"{i.status}: {_cell(i.source)}", "",
                      "| entry | version, in force | act | range (organisation / individual) "
                      "| what the text allows | status | source | applied in |",
                      "|---|---|---|---|---|---|---|---|"]
        for v in versions:
            act = v.act_vi + (f" — *{v.act_en}*" if v.act_en else "")
            amended = f", amended by {', '.join(v.amended_by)}" if v.amended_by else ""
            lines.append(
                f"| `{v.id}`<br>{_cell(short_citation(v.id))} | {v.version}: "
                f"{period_text(v)}{amended} | {_cell(act)} | {_range(v)} | "
                f"{_cell(_allows(v))} | {v.status} | {_cell(v.source)} | "
                f"{_cell(v.applied_in)} |")
    lines += ["", "## Prohibitions", "",
              "| id | act | in force | status | source |", "|---|---|---|---|---|"]
    for p in cat.prohibitions.values():
        lines.append(f"| `{p.id}` | {_cell(p.act_vi)} — *{_cell(p.act_en)}* | "
                     f"{period_text(p)} | {p.status} | {_cell(p.source)} |")
    lines += ["", "## Ids of release 1", "", "| old id | maps to | note |", "|---|---|---|"]
    for a in cat.aliases.values():
        lines.append(f"| `{a.old}` | `{a.new}` | {_cell(a.note)} |")
    return "\n".join(lines) + "\n"
