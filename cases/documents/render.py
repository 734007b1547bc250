"""The parts every case document shares (agency, signer, subject); the PDF itself is
rendered by `core.pdf`."""

from __future__ import annotations

import logging

from sqlalchemy import select

from auth.models import Role, User
from cases.models import Case
from core.agency import agency
from extensions import db
from legal.dates import format_date_vn

log = logging.getLogger(__name__)


def agency_block() -> dict:
    """The agency as the header and the body of a document print it."""
    a = agency()
    return {"parent": a["parent_name"], "name": a["agency_name"], "place": a["place"],
            "name_title": a["full_name"], "unit": a["unit_name"], "head": a["head_title"]}


def department_block() -> dict:
    """The Department as the header of its own documents (coordination letters, reports to
    the Ministry) prints it: its parent body and its name; the sentences keep the full name
    (docs/legal/documents.md#department-documents)."""
    a = agency()
    return {**agency_block(), "parent": a["department_parent"] or a["parent_name"],
            "name": a["department_name"] or a["agency_name"]}


def department_signer_block(user) -> dict:
    """The signer of a Department's document: "TL. GIÁM ĐỐC" (the agency setting) above the
    signer's own title and name."""
    return {**signer_block(user), "for_line": agency()["letter_signer"]}


def default_signer(case: Case):
    """Who signs a document of `case` when nobody is named yet (drafts, letters): the
    approver, the case's supervisor, else the first supervisor who signs in their own name;
    None when there is none (the block then shows the head's title and a blank name)."""
    for user in (case.approver, case.supervisor):
        if user is not None and user.active:
            return user
    return db.session.scalars(
        select(User).where(User.role == Role.supervisor, User.active.is_(True),
                           User.signs_on_behalf.is_(False), User.competence_title.is_not(None))
        .order_by(User.id)).first()


def signer_block(user, fallback_name: str = "", fallback_title: str = "") -> dict:
    """Name and title of the signer; "KT. <head's title>" when a deputy signs on behalf."""
    if user is None:
        return {"name": fallback_name, "title": fallback_title or agency()["head_title"],
                "on_behalf": None}
    return {"name": user.full_name, "title": user.title or fallback_title,
            "on_behalf": agency()["head_title"] if user.signs_on_behalf else None}


def subject_block(case: Case) -> dict:
    fmt = lambda d: format_date_vn(d) if d else None  # noqa: E731
    return {
        "kind": case.subject_kind, "name": case.subject_name, "id_number": case.subject_id_number,
        "id_issued_on": fmt(case.subject_id_issued_on), "id_issued_by": case.subject_id_issued_by,
        "birth_date": fmt(case.subject_birth_date), "nationality": case.subject_nationality,
        "occupation": case.subject_occupation, "address": case.subject_address,
        "gender": {"male": "Nam", "female": "Nữ"}.get(case.subject_gender or ""),
        "representative": case.subject_representative,
        "representative_title": case.subject_representative_title,
    }
