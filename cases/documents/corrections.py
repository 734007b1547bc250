"""Decisions about a decision (amend MQĐ38, correct MQĐ39, cancel MQĐ40) and the decision
transferring a case file (MQĐ33, or to the competent official)."""

from __future__ import annotations

from cases.documents.decision import decision_bases
from cases.documents.render import agency_block, signer_block, subject_block
from cases.models import Case, Decision, DecisionKind, TransferTarget
from core.agency import agency
from core.pdf import nfc, render_pdf
from legal.dates import date_line, format_date_vn

TEMPLATE_VERSION = "mqd38-40.1"
TITLES = {
    DecisionKind.amend: ("Sửa đổi, bổ sung Quyết định xử phạt vi phạm hành chính",
                         "sửa đổi, bổ sung"),
    DecisionKind.correct: ("Đính chính Quyết định xử phạt vi phạm hành chính", "đính chính"),
    DecisionKind.cancel: ("Hủy bỏ Quyết định xử phạt vi phạm hành chính", "hủy bỏ"),
}
TARGETS = {
    TransferTarget.criminal: ("Chuyển hồ sơ vụ vi phạm hành chính có dấu hiệu tội phạm để truy "
                              "cứu trách nhiệm hình sự"),
    TransferTarget.competent: "Chuyển hồ sơ vụ vi phạm hành chính đến người có thẩm quyền xử phạt",
}


def _head(doc: Decision) -> dict:
    return {"number": doc.full_number, "issued_on": format_date_vn(doc.issued_on),
            "date_line": date_line(agency()["place"], doc.issued_on), "agency": agency_block()}


def correction_snapshot(case: Case, doc: Decision, original: Decision, signer,
                        reason: str) -> dict:
    title, verb = TITLES[doc.kind]
    return nfc({
        **_head(doc), "kind": doc.kind, "title": title, "verb": verb,
        "original": {"number": original.full_number,
                     "issued_on": format_date_vn(original.issued_on),
                     "signer": original.signer_name, "sha256": original.sha256},
        "bases": ["Căn cứ Luật Xử lý vi phạm hành chính năm 2012"
                  + (" (được sửa đổi, bổ sung năm 2020)" if doc.issued_on.year >= 2022 else "")
                  + ";",
                  f"Căn cứ Quyết định xử phạt vi phạm hành chính số {original.full_number} "
                  f"ngày {format_date_vn(original.issued_on)};"],
        "reason": reason, "content": doc.content, "subject": subject_block(case),
        "signer": signer_block(signer), "case_code": case.code,
        "template_version": TEMPLATE_VERSION,
    })


def render_correction(snapshot: dict) -> bytes:
    return render_pdf("documents/correction.html", snapshot)


def transfer_snapshot(case: Case, doc: Decision, signer, target: str, recipient: str,
                      reason: str) -> dict:
    return nfc({
        **_head(doc), "title": TARGETS[target], "target": target, "recipient": recipient,
        "reason": reason, "bases": decision_bases(case, doc.issued_on, signer),
        "subject": subject_block(case), "signer": signer_block(signer),
        "case_code": case.code, "description": case.description,
        "violations": [{"description": v.description, "clause_id": v.clause_id}
                       for v in case.violations],
        "evidence_count": sum(not e.withdrawn for e in case.evidence),
        "template_version": TEMPLATE_VERSION,
    })


def render_transfer(snapshot: dict) -> bytes:
    return render_pdf("documents/transfer.html", snapshot)
