"""The case's frozen documents re-hashed for `flask audit verify` (registered with
`core.audit.register_document_check` by app.create_app): each decision's and violation
record's stored PDF against its SHA-256, each web capture's files against its manifest and
each uploaded evidence file against its SHA-256."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import undefer

from cases.models import Case, Decision, ViolationRecord
from cases.operations.captures import verify_case
from core.capture.manifest import FileState
from extensions import db


def check_documents() -> Iterator[str]:
    """One line per stored document whose bytes no longer hash to the SHA-256 stored with it
    (or whose file is missing). Reads only."""
    for model, what in ((Decision, "decision"), (ViolationRecord, "violation record")):
        for row in db.session.scalars(select(model).options(undefer(model.pdf))
                                      .order_by(model.id).execution_options(yield_per=100)):
            if row.pdf is None:
                continue
            found = hashlib.sha256(row.pdf).hexdigest()
            if found != row.sha256:
                yield (f"{what} {row.id} (case {row.case_id}): its PDF hashes to {found}, "
                       f"not to the stored {row.sha256}")
    for case in db.session.scalars(select(Case).order_by(Case.id)):
        for label, check in verify_case(case):
            if check.state != FileState.ok:
                yield (f"case {case.code}, {label}: {check.name} {check.state} (expected "
                       f"{check.expected}, found {check.found})")
