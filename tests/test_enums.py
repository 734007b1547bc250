"""Closed sets cannot drift: every code is a `core.enums.Choice` member with a label in both
languages, the database CHECKs the same set, and no state or status is a bare string in
Python or templates (docs/architecture.md#house-rules)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import yaml
from babel.messages.pofile import read_po
from sqlalchemy import CheckConstraint

from core.enums import all_choices, check_in
from extensions import db

ROOT = Path(__file__).resolve().parent.parent
PY_DIRS = ("app.py", "cli.py", "jobs.py", "demo.py", "admin", "auth", "cases", "catalogue", "core",
           "deadlines", "registry", "web")
# Attribute, variable or key names that hold a code of a closed set.
CODE_NAMES = re.compile(r"(^|_)(state|status|kind|mode|outcome|role|partner|target)$")


def _catalogue(lang: str) -> dict[str, str]:
    path = ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as f:
        return {m.id: m.string for m in read_po(f) if m.id}


def test_every_member_of_a_labelled_enum_has_a_vietnamese_and_an_english_label(app):
    vi, en = _catalogue("vi"), _catalogue("en")
    labelled = [cls for cls in all_choices() if any(m._label is not None for m in cls)]
    assert {"CaseState", "DecisionStatus", "NotificationStatus", "RegistryStatus",
            "Role"} <= {cls.__name__ for cls in labelled}
    missing = []
    for cls in labelled:
        for member in cls:
            if member._label is None:
                missing.append(f"{cls.__name__}.{member.name}: no label")
                continue
            msgid = member._label._args[0]
            for lang, catalogue in (("vi", vi), ("en", en)):
                if not catalogue.get(msgid):
                    missing.append(f"{cls.__name__}.{member.name}: no {lang} label for {msgid!r}")
    assert not missing, "\n".join(missing)


def test_a_label_is_shown_in_the_users_language(app):
    from flask_babel import force_locale

    from cases.models import CaseState

    with app.test_request_context():
        with force_locale("vi"):
            assert str(CaseState.record_made.label) == _catalogue("vi")["Violation record made"]
        with force_locale("en"):
            assert str(CaseState.record_made.label) == "Violation record made"


def test_rule_codes_are_the_rules_of_the_data_file():
    from deadlines.models import RuleCode

    data = yaml.safe_load((ROOT / "legal" / "data" / "deadline_rules.yaml").read_text())
    assert {code.value for code in RuleCode} == set(data["rules"])


def test_every_check_constraint_on_a_code_lists_exactly_its_enum(app):
    """The helper's SQL is what the tables carry, for every enum column it guards."""
    checks = {}
    for table in db.metadata.tables.values():
        for constraint in table.constraints:
            if isinstance(constraint, CheckConstraint):
                checks[(table.name, str(constraint.sqltext))] = constraint
    from cases.models import CaseState, DecisionKind, DecisionStatus
    from core.models import NotificationStatus

    for table, column, cls in (("cases", "state", CaseState),
                               ("decisions", "kind", DecisionKind),
                               ("decisions", "status", DecisionStatus),
                               ("notifications", "status", NotificationStatus)):
        assert (table, str(check_in(column, cls).sqltext)) in checks, (table, column)


def _bare_codes_in_python() -> list[str]:
    """String literals compared with, assigned to or passed as a code-holding name."""

    def name(node):
        if isinstance(node, ast.Attribute):
            return node.attr
        if isinstance(node, ast.Name):
            return node.id
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
            return str(node.slice.value)
        return None

    def literals(node):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return [node.value]
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            return [e.value for e in node.elts
                    if isinstance(e, ast.Constant) and isinstance(e.value, str)]
        return []

    found = []
    paths = [p for d in PY_DIRS for p in ((ROOT / d).rglob("*.py") if (ROOT / d).is_dir()
                                          else [ROOT / d])]
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            pairs = []
            if isinstance(node, ast.Compare):
                sides = [node.left, *node.comparators]
                if any(CODE_NAMES.search(name(s) or "") for s in sides):
                    pairs = [(node.lineno, v) for s in sides for v in literals(s)]
            elif isinstance(node, ast.Assign):
                if any(CODE_NAMES.search(name(t) or "") for t in node.targets):
                    pairs = [(node.lineno, v) for v in literals(node.value)]
            elif isinstance(node, ast.keyword) and CODE_NAMES.search(node.arg or ""):
                pairs = [(node.value.lineno, v) for v in literals(node.value)]
            found += [f"{path.relative_to(ROOT)}:{line}: {value!r}" for line, value in pairs]
    return found


# Notification kinds name message templates (before, due, overdue, escalation, digest,
# notice_…): an open set of e-mail kinds, not a state.
NOT_CODES = {"before", "due", "overdue", "escalation", "digest", "notice_moved",
             "\\\\"}  # a backslash in a redirect target is not a code


def test_no_state_or_status_is_a_bare_string_in_python():
    bare = [f for f in _bare_codes_in_python() if f.rsplit(" ", 1)[1].strip("'") not in NOT_CODES]
    assert not bare, "\n".join(bare)


TEMPLATE_BARE = re.compile(
    r"\b(state|status|kind|outcome|mode|role|target)\s*(==|!=|\bin\b|\bnot in\b)\s*\(?\s*[\"']")


def test_no_state_or_status_is_a_bare_string_in_templates():
    bare = []
    for path in sorted((ROOT / "templates").rglob("*.*")):
        for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if TEMPLATE_BARE.search(line):
                bare.append(f"{path.relative_to(ROOT)}:{no}: {line.strip()[:120]}")
    assert not bare, "\n".join(bare)
