"""The decision enforcing a sanction decision by coercion (docs/legal/enforcement.md#coercion),
rendered from a snapshot frozen at issue like every decision."""

from __future__ import annotations

from cases.documents.render import agency_block, signer_block, subject_block
from cases.models import Case, CoercionDecision, Decision
from catalogue.engine import enforcement as enforcement_data
from core.agency import agency
from core.pdf import nfc, render_pdf
from legal.dates import date_line, format_date_vn
from legal.enforcement import coercion_decree, coercion_method
from legal.money import format_vnd
from legal.words import amount_in_words

TEMPLATE_VERSION = "cc-2013.1"


def coercion_snapshot(case: Case, doc: CoercionDecision, decision: Decision, signer) -> dict:
    """Every value the coercion decision shows (NFC): the sanction decision enforced, the
    method and its point of Law 15/2012/QH13 Art. 86(1), the amounts (VND) — the fine unpaid,
    the late-payment surcharge to the day of the decision, their total in words."""
    data = enforcement_data()
    method_vi, method_basis = coercion_method(doc.method, data=data)
    decree, decree_status = coercion_decree(doc.issued_on, data=data)
    law = "Căn cứ Luật Xử lý vi phạm hành chính năm 2012"
    if doc.issued_on.year >= 2022:
        law += " (được sửa đổi, bổ sung năm 2020)"
    total = doc.fine_due + doc.surcharge
    return nfc({
        "number": doc.full_number, "issued_on": format_date_vn(doc.issued_on),
        "date_line": date_line(agency()["place"], doc.issued_on), "agency": agency_block(),
        "title": f"Cưỡng chế thi hành quyết định xử phạt vi phạm hành chính bằng biện pháp "
                 f"{method_vi}",
        "bases": [law + ";", f"Căn cứ {decree};",
                  f"Căn cứ Quyết định xử phạt vi phạm hành chính số {decision.full_number} "
                  f"ngày {format_date_vn(decision.issued_on)};"],
        "decree_status": decree_status,
        "reason": f"{case.subject_name} không tự nguyện chấp hành Quyết định xử phạt vi phạm "
                  f"hành chính số {decision.full_number} trong thời hạn quy định",
        "method": method_vi, "method_basis": f"{method_basis} Luật Xử lý vi phạm hành chính",
        "details": doc.details,
        "fine_due": format_vnd(doc.fine_due), "surcharge": format_vnd(doc.surcharge),
        "total": format_vnd(total), "total_words": amount_in_words(total) if total else "",
        "surcharge_to": format_date_vn(doc.issued_on),
        "decision": {"number": decision.full_number,
                     "issued_on": format_date_vn(decision.issued_on)},
        "subject": subject_block(case), "signer": signer_block(signer), "case_code": case.code,
        "template_version": TEMPLATE_VERSION,
    })


def render_coercion(snapshot: dict) -> bytes:
    return render_pdf("documents/coercion.html", snapshot)
