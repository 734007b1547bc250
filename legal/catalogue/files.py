"""Read and check the catalogue's data files (legal/data/catalogue/*.yaml).

- ``instruments.yaml``: the laws, decrees and circulars, with their dates and issuer;
- one file per sanction instrument (``15-2020-ND-CP.yaml`` …): its entries, each with its
  versions; a version repeats only what changed (the rest is carried from the version
  before);
- ``72-2013-ND-CP.yaml`` also lists the prohibitions (no fine of their own);
- ``aliases.yaml``: ids of earlier releases and the entry each maps to now.

Every file carries ``release``; the loader says which release it loaded. Version numbers
are stable: a version once shipped keeps its number (stored cases point to it), a new one
takes the next free number even when it is dated between two others.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import yaml

from legal.catalogue.ids import INSTRUMENT_ID, CatalogueError, parse_id, sort_key
from legal.catalogue.model import FIELDS, STATUSES, SUBJECTS, Alias, Clause, Instrument, Prohibition

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "catalogue"

# Fields a version carries over from the version before it unless it says otherwise.
CARRIED = ("act_vi", "act_en", "fine_min", "fine_max", "base_subject", "warning_allowed",
           "additional_sanctions", "remedial_measures")
ENTRY_DEFAULTS = ("field", "enforces", "base_subject", "successor")


def _read(path: Path) -> dict:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise CatalogueError(f"{path.name}: not valid YAML ({exc})") from exc


def _check(cond: bool, where: str, message: str) -> None:
    if not cond:
        raise CatalogueError(f"{where}: {message}")


def _status(item: dict, where: str) -> None:
    _check(item.get("status") in STATUSES, where, f"status must be one of {STATUSES}")
    _check(bool(item.get("source")), where, "a source is required")


def _tuple(value) -> tuple[str, ...] | None:
    if value is None:
        return None
    return tuple(value) if isinstance(value, list | tuple) else (value,)


def read_instruments(path: Path) -> dict[str, Instrument]:
    out = {}
    for item in _read(path).get("instruments", []):
        where = f"instrument {item.get('id')!r}"
        _check(bool(INSTRUMENT_ID.match(item.get("id") or "")), where,
               "id must read <number>/<year>/<kind>, e.g. 15/2020/NĐ-CP")
        _status(item, where)
        inst = Instrument(
            id=item["id"], kind_vi=item["kind_vi"], name_vi=item.get("name_vi", ""),
            title_en=item["title_en"], issuer_vi=item.get("issuer_vi", ""),
            signed_on=item.get("signed_on"), effective_from=item["effective_from"],
            effective_to=item.get("effective_to"), status=item["status"],
            source=item["source"], amends=item.get("amends"),
            replaced_by=item.get("replaced_by"))
        _check(inst.effective_to is None or inst.effective_from <= inst.effective_to, where,
               "the period ends before it starts")
        out[inst.id] = inst
    return out


def _versions(entry: dict, inst: Instrument) -> list[Clause]:
    cid = entry["id"]
    raw = entry.get("versions") or []
    _check(bool(raw), cid, "an entry needs at least one version")
    numbers = [v.get("version") for v in raw]
    _check(all(isinstance(n, int) and n > 0 for n in numbers), cid,
           "each version needs its number (1, 2, …)")
    _check(len(set(numbers)) == len(numbers), cid, "version numbers repeat")
    raw = sorted(raw, key=lambda v: v.get("effective_from") or inst.effective_from)
    carried = {k: entry.get(k) for k in ENTRY_DEFAULTS}
    carried.setdefault("base_subject", None)
    out, amended = [], []
    for i, v in enumerate(raw):
        where = f"{cid} version {v['version']}"
        for key in CARRIED:
            if key in v:
                carried[key] = v[key]
        start = v.get("effective_from") or inst.effective_from
        following = raw[i + 1].get("effective_from") if i + 1 < len(raw) else None
        end = v["effective_to"] if "effective_to" in v else (
            following - timedelta(days=1) if following else inst.effective_to)
        if v.get("amended_by"):
            amended.append(v["amended_by"])
        lo, hi = carried.get("fine_min"), carried.get("fine_max")
        _check((lo is None) == (hi is None), where, "give both ends of the range, or neither")
        _check(lo is None or 0 <= lo <= hi, where, "the range must satisfy 0 <= min <= max")
        _check(carried.get("base_subject") in SUBJECTS, where,
               f"base_subject must be one of {SUBJECTS}")
        _check(carried.get("field") in FIELDS, where, f"field must be one of {FIELDS}")
        _check(bool(carried.get("act_vi")), where, "act_vi is required")
        _check(end is None or start <= end, where, "the period ends before it starts")
        _status(v, where)
        out.append(Clause(
            id=cid, version=v["version"], act_vi=carried["act_vi"],
            act_en=carried.get("act_en") or "", fine_min=lo, fine_max=hi,
            base_subject=carried["base_subject"], warning_allowed=carried.get("warning_allowed"),
            field=carried["field"], effective_from=start, effective_to=end,
            status=v["status"], source=v["source"].strip(),
            enforces=_tuple(carried.get("enforces")) or (),
            additional_sanctions=_tuple(carried.get("additional_sanctions")),
            remedial_measures=_tuple(carried.get("remedial_measures")),
            applied_in=v.get("applied_in"), amended_by=tuple(amended),
            change=v.get("change"), successor=carried.get("successor")))
    for before, after in zip(out, out[1:], strict=False):
        _check(before.effective_to is not None and before.effective_to < after.effective_from,
               cid, f"versions {before.version} and {after.version} overlap")
    return out


def read_directory(data_dir: Path | None = None) -> tuple[int, dict, dict, dict, dict]:
    """Read every file of the directory. Returns (release, instruments, entries, prohibitions,
    aliases); `entries` maps an id to its versions in date order. Raises CatalogueError
    naming the first bad entry: unknown instrument, malformed id, overlapping versions, a
    range with min > max, an unknown status, subject or field, a version without a source,
    an alias to an unknown entry."""
    data_dir = data_dir or DATA_DIR
    instruments = read_instruments(data_dir / "instruments.yaml")
    release = 0
    entries: dict[str, list[Clause]] = {}
    prohibitions: dict[str, Prohibition] = {}
    aliases: dict[str, Alias] = {}
    for path in sorted(data_dir.glob("*.yaml")):
        data = _read(path)
        release = max(release, int(data.get("release") or 0))
        for entry in data.get("entries", []):
            ref = parse_id(entry.get("id", ""))
            inst = instruments.get(ref.instrument)
            _check(inst is not None, entry["id"], f"unknown instrument {ref.instrument!r}")
            _check(entry["id"] not in entries, entry["id"], f"listed twice ({path.name})")
            entries[entry["id"]] = _versions(entry, inst)
        for item in data.get("prohibitions", []):
            ref = parse_id(item["id"])
            inst = instruments.get(ref.instrument)
            _check(inst is not None, item["id"], f"unknown instrument {ref.instrument!r}")
            _status(item, item["id"])
            prohibitions[item["id"]] = Prohibition(
                id=item["id"], act_vi=item["act_vi"], act_en=item["act_en"],
                effective_from=item.get("effective_from") or inst.effective_from,
                effective_to=item.get("effective_to", inst.effective_to),
                status=item["status"], source=item["source"].strip())
        for item in data.get("aliases", []):
            aliases[item["old"]] = Alias(item["old"], item["new"], item.get("note", ""))
    for alias in aliases.values():
        _check(alias.new in entries, alias.old, f"alias to an unknown entry {alias.new!r}")
        _check(alias.old not in entries, alias.old, "an alias cannot also be an entry")
    for cid, versions in entries.items():
        succ = versions[-1].successor
        _check(succ is None or succ in entries, cid, f"unknown successor {succ!r}")
    ordered = {cid: tuple(entries[cid]) for cid in sorted(entries, key=sort_key)}
    return release, instruments, ordered, prohibitions, aliases
