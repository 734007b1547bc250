"""The campaigns' frozen documents re-hashed for `flask audit verify` (registered with
`core.audit.register_document_check` by app.create_app): each issued team decision's, check
record's and referral letter's stored PDF against its SHA-256, each file attached to a check
against its SHA-256; and the check of a check's file before it is served or copied into a
case."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import undefer

from cases.operations.intake import evidence_dir
from core.audit import content_matches
from extensions import db
from inspections.models import Campaign, CheckEvidence, InspectionCheck


def check_documents() -> Iterator[str]:
    """One line per stored campaign document whose bytes no longer hash to the SHA-256
    stored with it (or whose file is missing). Reads only."""
    for campaign in db.session.scalars(select(Campaign).options(undefer(Campaign.decision_pdf))
                                       .order_by(Campaign.id).execution_options(yield_per=100)):
        if campaign.decision_pdf is None:
            continue
        found = hashlib.sha256(campaign.decision_pdf).hexdigest()
        if found != campaign.decision_sha256:
            yield (f"team decision of campaign {campaign.code}: its PDF hashes to {found}, "
                   f"not to the stored {campaign.decision_sha256}")
    for row in db.session.scalars(select(InspectionCheck)
                                  .options(undefer(InspectionCheck.record_pdf),
                                           undefer(InspectionCheck.referral_pdf))
                                  .order_by(InspectionCheck.id)
                                  .execution_options(yield_per=100)):
        if row.record_pdf is not None:
            found = hashlib.sha256(row.record_pdf).hexdigest()
            if found != row.record_sha256:
                yield (f"check record {row.id} (campaign {row.campaign_id}): its PDF hashes "
                       f"to {found}, not to the stored {row.record_sha256}")
        if row.referral_pdf is not None:
            found = hashlib.sha256(row.referral_pdf).hexdigest()
            if found != row.referral_sha256:
                yield (f"referral letter {row.referral_full_number} (check {row.id}): its PDF "
                       f"hashes to {found}, not to the stored {row.referral_sha256}")
    for item in db.session.scalars(select(CheckEvidence).order_by(CheckEvidence.id)):
        path = evidence_dir() / item.stored_name
        if not path.is_file():
            yield (f"check evidence {item.id} (check {item.check_id}): file "
                   f"{item.stored_name} missing")
            continue
        found = hashlib.sha256(path.read_bytes()).hexdigest()
        if found != item.sha256:
            yield (f"check evidence {item.id} (check {item.check_id}): {item.stored_name} "
                   f"hashes to {found}, not to the stored {item.sha256}")


def evidence_bytes(item: CheckEvidence) -> bytes | None:
    """The bytes of a file attached to a check when they still hash to its stored SHA-256
    and its seal holds; None (and an error logged) when the file is missing or changed."""
    path = evidence_dir() / item.stored_name
    if not path.is_file():
        return None
    data = path.read_bytes()
    if not content_matches(data, item.sha256, item,
                           what=f"check evidence {item.id} of check {item.check_id}"):
        return None
    return data
