"""Every reference in the repository resolves inside it (docs/architecture.md#tests).

- `docs/<page>.md#<section>` in code, data, templates, tests and docs: the page exists and has
  a heading (GitHub-style anchor) or an explicit `<a id="…">` with that name;
- relative links between pages of docs/ resolve the same way;
- no path points outside the repository (`../shared`, an absolute path to a checkout);
- no Markdown page is named that is not a file of the repository.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP_DIRS = {".git", ".venv", "instance", "artifacts", "node_modules", "__pycache__",
             ".pytest_cache", ".ruff_cache"}
SUFFIXES = {".py", ".md", ".yaml", ".yml", ".html", ".txt", ".sql", ".cfg", ".toml", ".ini",
            ".po", ".pot", ".j2", ".sh", ".eml"}
EXTRA = {"Makefile", ".ci/run"}

DOC_REF = re.compile(r"docs/[\w./-]*?\.md(?:#[\w-]+)?")
MD_LINK = re.compile(r"\]\(([^)\s]+)\)")
MD_NAME = re.compile(r"(?<![\w./-])([\w-]+\.md)\b")
OUTSIDE = re.compile(r"\.\./shared|/work/shared|/work/main|shared/domain")


def _files() -> list[Path]:
    out = []
    for path in ROOT.rglob("*"):
        rel = path.relative_to(ROOT)
        if any(part in SKIP_DIRS for part in rel.parts) or not path.is_file():
            continue
        if path == Path(__file__).resolve():
            continue  # its own examples of broken references
        if path.suffix in SUFFIXES or str(rel) in EXTRA:
            out.append(path)
    return out


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = unicodedata.normalize("NFC", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


@cache
def anchors(page: Path) -> frozenset[str]:
    text = page.read_text(encoding="utf-8")
    found = {slug(m.group(1)) for m in re.finditer(r"^#{1,6}\s+(.+?)\s*$", text, re.M)}
    found |= set(re.findall(r'<a id="([\w-]+)"', text))
    return frozenset(found)


def _resolve(target: str, base: Path) -> str | None:
    """None when `target` (path[#anchor], relative to `base`) resolves, else the problem."""
    path, _, anchor = target.partition("#")
    page = (base / path).resolve() if path else None
    if page is None:
        return None
    if ROOT not in page.parents and page != ROOT:
        return "points outside the repository"
    if not page.exists():
        return "no such file"
    if anchor and page.suffix == ".md" and anchor not in anchors(page):
        return f"no section #{anchor} in {page.relative_to(ROOT)}"
    return None


def _problems() -> list[str]:
    md_names = {p.name for p in ROOT.rglob("*.md")
                if not any(part in SKIP_DIRS for part in p.relative_to(ROOT).parts)}
    problems = []
    for path in _files():
        rel = path.relative_to(ROOT)
        text = path.read_text(encoding="utf-8", errors="replace")
        for no, line in enumerate(text.splitlines(), 1):
            where = f"{rel}:{no}"
            if OUTSIDE.search(line):
                problems.append(f"{where}: points outside the repository: {line.strip()}")
            for ref in DOC_REF.findall(line):
                if (problem := _resolve(ref, ROOT)) is not None:
                    problems.append(f"{where}: {ref}: {problem}")
            if path.suffix == ".md":
                for target in MD_LINK.findall(line):
                    if re.match(r"[a-z]+:", target) or target.startswith("#"):
                        continue
                    if (problem := _resolve(target, path.parent)) is not None:
                        problems.append(f"{where}: ({target}): {problem}")
            for name in MD_NAME.findall(line):
                if name not in md_names:
                    problems.append(f"{where}: {name} is not a file of the repository")
    return problems


def test_every_reference_resolves_inside_the_repository():
    problems = _problems()
    assert not problems, "\n".join(problems)


def test_the_checker_catches_a_broken_reference(tmp_path):
    page = ROOT / "docs" / "legal" / "fines.md"
    assert "midpoint" in anchors(page)
    assert _resolve("docs/legal/fines.md#midpoint", ROOT) is None
    assert _resolve("docs/legal/fines.md#no-such-section", ROOT) == (
        "no section #no-such-section in docs/legal/fines.md")
    assert _resolve("docs/legal/nothing.md", ROOT) == "no such file"
    outside = "../outside/page" + ".md"  # built, so that the repository names no page it lacks
    assert _resolve(outside, ROOT) == "points outside the repository"
    assert slug("Art. 101 from 2020") == "art-101-from-2020"
