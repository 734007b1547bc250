"""The data of issued decisions for the national database on administrative violations (Decree
20/2016/NĐ-CP; field list docs/legal/national-database.md#fields, unverified): violator identity,
violations, sanctions and amounts, remedial measures, decision number and date, issuing official,
execution status, the enforcement state, the remedial measures and their outcome, the
payments and the balance (docs/legal/enforcement.md)."""

from __future__ import annotations

from sqlalchemy.orm import selectinload

from cases.models import (
    Case,
    CaseState,
    CloseReason,
    Decision,
    DecisionStatus,
    ObligationState,
    PlanState,
    ReliefKind,
    SanctionKind,
    SubjectKind,
    Violation,
)
from legal.catalogue import short_citation
from legal.dates import format_date_vn
from legal.text import strip_controls

FIELDS = ["so_quyet_dinh", "ngay_quyet_dinh", "nguoi_ky", "chuc_vu_nguoi_ky", "doi_tuong",
          "ten", "ngay_sinh", "so_dinh_danh", "dia_chi", "hanh_vi", "quy_dinh_tai",
          "hinh_thuc_xu_phat", "so_tien_phat", "bien_phap_khac_phuc", "tinh_trang_thi_hanh",
          "ma_vu_viec", "da_cap_nhat_csdl_ngay", "trang_thai_vu_viec", "da_nop",
          "con_phai_nop", "cac_lan_nop", "bien_phap_thuc_hien", "hoan_giam_mien"]
STATE_VI = {"decision_issued": "đã ra quyết định", "delivered": "đã giao quyết định",
            "complied": "đã chấp hành", "enforcement": "cưỡng chế thi hành",
            "closed": "đã kết thúc"}
OBLIGATION_VI = {"pending": "chưa thực hiện", "done": "đã thực hiện",
                 "enforced": "đã cưỡng chế thực hiện", "impossible": "không thể thực hiện"}


def _measures(case, decision) -> list:
    return [o for o in case.obligations if o.decision_id == decision.id]


def _relief_vi(r) -> str:
    """A postponement, reduction or exemption granted, in words."""
    decided = f"(QĐ ngày {format_date_vn(r.decided_on)})"
    if r.kind == ReliefKind.postponement:
        return f"hoãn thi hành đến {format_date_vn(r.until)} {decided}"
    word = "miễn" if r.kind == ReliefKind.exemption else "giảm"
    return f"{word} {r.amount} đồng {decided}"


def execution_status(decision: Decision) -> str:
    if decision.status != DecisionStatus.issued:
        return "đã hủy" if decision.status == DecisionStatus.cancelled else "hủy số"
    case = decision.case
    if case.state == CaseState.closed and case.closed_reason == CloseReason.time_barred:
        return "hết thời hiệu thi hành"
    if case.state == CaseState.closed and case.closed_reason == CloseReason.exempted:
        return "được miễn phần tiền phạt còn lại, đã chấp hành xong"
    if case.state == CaseState.closed:
        return "đã chấp hành xong"
    if case.state == CaseState.enforcement:
        return "đang cưỡng chế thi hành"
    if decision.paid_on and not any(o.state == ObligationState.pending
                                    for o in _measures(case, decision)):
        return "đã chấp hành xong"
    if decision.delivered_on:
        return "đang thi hành"
    return "chưa giao quyết định"


def record(decision: Decision) -> dict:
    """One decision as the national database's fields (strings; dates dd/mm/yyyy; no
    control characters, whatever is stored — `legal.text.strip_controls`)."""
    case = decision.case
    violations = case.violations
    payments = sorted(decision.payments, key=lambda p: (p.paid_on, p.id))
    paid = sum(p.amount for p in payments)
    granted = [r for r in decision.reliefs if r.state == PlanState.granted]
    relieved = sum(r.amount or 0 for r in granted if r.kind != ReliefKind.postponement)
    fields = {
        "so_quyet_dinh": decision.full_number,
        "ngay_quyet_dinh": format_date_vn(decision.issued_on),
        "nguoi_ky": decision.signer_name,
        "chuc_vu_nguoi_ky": decision.signer_title,
        "doi_tuong": "cá nhân" if case.subject_kind == SubjectKind.individual else "tổ chức",
        "ten": case.subject_name,
        "ngay_sinh": format_date_vn(case.subject_birth_date) if case.subject_birth_date else "",
        "so_dinh_danh": case.subject_id_number or "",
        "dia_chi": case.subject_address or "",
        "hanh_vi": "; ".join(v.description for v in violations),
        "quy_dinh_tai": "; ".join(short_citation(v.clause_id) for v in violations),
        "hinh_thuc_xu_phat": "; ".join("cảnh cáo" if v.sanction_kind == SanctionKind.warning
                                       else "phạt tiền" for v in violations),
        "so_tien_phat": str(decision.total_fine),
        "bien_phap_khac_phuc": "; ".join(
            [m.text for v in violations for m in v.measures]
            or [v.remedial_measures for v in violations if v.remedial_measures]),
        "tinh_trang_thi_hanh": execution_status(decision),
        "ma_vu_viec": case.code,
        "da_cap_nhat_csdl_ngay": format_date_vn(decision.national_db_entered_on)
        if decision.national_db_entered_on else "",
        "trang_thai_vu_viec": STATE_VI.get(case.state, case.state),
        "da_nop": str(paid),
        "con_phai_nop": str(max(decision.total_fine - relieved - paid, 0)),
        "cac_lan_nop": "; ".join(
            f"{format_date_vn(p.paid_on)}: {p.amount}"
            + (f" (biên lai {p.receipt_number})" if p.receipt_number else "")
            for p in payments),
        "bien_phap_thuc_hien": "; ".join(
            f"{o.text}: {OBLIGATION_VI.get(o.state, o.state)}"
            + (f" ngày {format_date_vn(o.done_on)}" if o.done_on else "")
            + (f" (hạn {format_date_vn(o.due_on)})" if o.due_on and not o.done_on else "")
            for o in _measures(case, decision)),
        # postponement (Art. 76), reduction, exemption (Art. 77) granted
        "hoan_giam_mien": "; ".join(_relief_vi(r) for r in granted),
    }
    return {name: strip_controls(value) for name, value in fields.items()}


def load_options():
    """What `record` reads, loaded in a constant number of queries whatever the number of
    decisions (the export's query count does not grow with its rows)."""
    return (selectinload(Decision.case).selectinload(Case.violations)
            .selectinload(Violation.measures),
            selectinload(Decision.case).selectinload(Case.obligations),
            selectinload(Decision.payments), selectinload(Decision.reliefs))
