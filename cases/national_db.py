"""The data of issued decisions for the national database on administrative violations (Decree
20/2016/NĐ-CP; field list docs/legal/national-database.md#fields, unverified): violator identity,
violations, sanctions and amounts, remedial measures, decision number and date, issuing official,
execution status."""

from __future__ import annotations

from cases.models import Decision, DecisionStatus, SanctionKind, SubjectKind
from legal.catalogue import short_citation
from legal.dates import format_date_vn
from legal.text import strip_controls

FIELDS = ["so_quyet_dinh", "ngay_quyet_dinh", "nguoi_ky", "chuc_vu_nguoi_ky", "doi_tuong",
          "ten", "ngay_sinh", "so_dinh_danh", "dia_chi", "hanh_vi", "quy_dinh_tai",
          "hinh_thuc_xu_phat", "so_tien_phat", "bien_phap_khac_phuc", "tinh_trang_thi_hanh",
          "ma_vu_viec", "da_cap_nhat_csdl_ngay"]


def execution_status(decision: Decision) -> str:
    if decision.status != DecisionStatus.issued:
        return "đã hủy" if decision.status == DecisionStatus.cancelled else "hủy số"
    if decision.paid_on:
        return "đã chấp hành xong"
    if decision.delivered_on:
        return "đang thi hành"
    return "chưa giao quyết định"


def record(decision: Decision) -> dict:
    """One decision as the national database's fields (strings; dates dd/mm/yyyy; no
    control characters, whatever is stored — `legal.text.strip_controls`)."""
    case = decision.case
    violations = case.violations
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
        "bien_phap_khac_phuc": "; ".join(v.remedial_measures for v in violations
                                         if v.remedial_measures),
        "tinh_trang_thi_hanh": execution_status(decision),
        "ma_vu_viec": case.code,
        "da_cap_nhat_csdl_ngay": format_date_vn(decision.national_db_entered_on)
        if decision.national_db_entered_on else "",
    }
    return {name: strip_controls(value) for name, value in fields.items()}
