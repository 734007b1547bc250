"""The campaign's documents, rendered by `core.pdf` in the Decree 30/2020/NĐ-CP layout of
`templates/documents/`: the team decision (quyết định thành lập đoàn kiểm tra liên ngành)
and the check record (biên bản kiểm tra) of each site."""

from __future__ import annotations

from cases.documents.render import agency_block, signer_block
from core.agency import agency, symbol
from core.clock import clock
from core.pdf import render_pdf
from inspections.models import CheckItem, CheckOutcome, MemberAgency, MemberRole, ReferralTarget
from legal.dates import date_line, format_date_vn
from legal.inspection import period_for

AGENCY_VI = {
    MemberAgency.department: "Sở Thông tin và Truyền thông",
    MemberAgency.police: "Công an tỉnh",
    MemberAgency.culture: "Sở Văn hóa, Thể thao và Du lịch",
    MemberAgency.other: "Cơ quan khác",
}
ROLE_VI = {MemberRole.head: "Trưởng đoàn", MemberRole.deputy: "Phó Trưởng đoàn",
           MemberRole.member: "Thành viên"}
ITEM_VI = {
    CheckItem.licence: "Giấy phép, đăng ký hoạt động",
    CheckItem.content: "Nội dung thông tin đăng tải",
    CheckItem.storage: "Việc lưu trữ thông tin",
    CheckItem.reporting: "Việc thực hiện chế độ báo cáo",
    CheckItem.operator: "Thông tin về tổ chức, cá nhân quản lý trang",
}
OUTCOME_VI = {
    CheckOutcome.no_violation: "Không phát hiện vi phạm.",
    CheckOutcome.violation: "Phát hiện hành vi vi phạm; lập hồ sơ vụ việc để xử lý theo "
                            "quy định.",
    CheckOutcome.referral: "Chuyển cơ quan có thẩm quyền xem xét, xử lý.",
}
REFERRAL_VI = {ReferralTarget.police: "Công an tỉnh (có dấu hiệu tội phạm)",
               ReferralTarget.other: "cơ quan có thẩm quyền"}


def member_rows(members) -> list[dict]:
    """The members as printed: name, title, agency, role in the team."""
    return [{"name": m.name, "title": m.title or "", "agency": AGENCY_VI[m.agency],
             "role": ROLE_VI[m.role]} for m in members]


def _lead(members) -> str:
    """Who signs for the team: the head when present, else the deputy, else the first."""
    order = {MemberRole.head: 0, MemberRole.deputy: 1, MemberRole.member: 2}
    ranked = sorted(members, key=lambda m: (order[m.role], m.id))
    return ranked[0].name if ranked else ""


def check_record_pdf(row) -> bytes:
    """The record of a check (biên bản kiểm tra) as PDF bytes: the team members present,
    the site and its operator, what was checked, the findings, the operator's statement,
    the outcome. Text in Vietnamese."""
    campaign, site = row.campaign, row.site
    d = {
        "number": f"{row.id:02d}/BB-KT", "agency": agency_block(),
        "date_line": date_line(agency()["place"], row.checked_on),
        "day": format_date_vn(row.checked_on), "place": row.place or "",
        "campaign": {"code": campaign.code, "title": campaign.title,
                     "decision": campaign.decision_full_number,
                     "decision_on": format_date_vn(campaign.decision_issued_on)
                     if campaign.decision_issued_on else None},
        "members": member_rows(row.members),
        "lead": _lead(row.members),
        "site": {"name": site.name, "domain": site.domain, "operator": site.operator_name,
                 "address": site.operator_address or "", "licence": site.licence_number},
        "operator_present": row.operator_present or "",
        "checked": [ITEM_VI[CheckItem(i)] for i in row.items],
        "findings": row.findings, "statement": row.statement or "",
        "evidence": [{"name": e.filename, "size": e.size, "sha256": e.sha256}
                     for e in row.evidence],
        "outcome": OUTCOME_VI[CheckOutcome(row.outcome)],
        "referral": {"to": row.referral_recipient, "target": REFERRAL_VI[row.referral_target],
                     "number": row.referral_full_number, "reason": row.referral_reason}
        if row.outcome == CheckOutcome.referral else None,
    }
    return render_pdf("documents/inspection_record.html", d)


def team_decision_data(campaign, signer) -> dict:
    """What the team decision prints (kept with it once issued): number, date, the bases of
    the period in force on its date (legal.inspection), the members, the tasks, the
    period, the sites in the plan."""
    on = campaign.decision_issued_on or clock().today()  # a draft: as if issued today
    period = period_for(on)
    days = (campaign.period_end - campaign.period_start).days + 1
    head = next((m for m in campaign.members if m.role == MemberRole.head), None)
    return {
        "number": campaign.decision_full_number
                  or "……/" + (campaign.decision_symbol or symbol("team")),
        "agency": agency_block(), "date_line": date_line(agency()["place"], on),
        "code": campaign.code, "title": campaign.title, "basis": campaign.legal_basis,
        "law": period.law, "decree": period.decree, "forms": period.forms,
        "law_status": str(period.status), "inspector": period.inspector,
        "members": member_rows(campaign.members),
        "agencies": sorted({AGENCY_VI[m.agency] for m in campaign.members}),
        "head": head.name if head else "",
        "tasks": campaign.tasks or "", "sites": len(campaign.checks),
        "start": format_date_vn(campaign.period_start),
        "end": format_date_vn(campaign.period_end), "days": days,
        "report_due": format_date_vn(campaign.report_due_on),
        "signer": signer_block(signer),
    }


def team_decision_pdf(data: dict, *, draft: bool = False) -> bytes:
    """The decision establishing the inspection team (quyết định thành lập đoàn kiểm tra
    liên ngành) as PDF bytes, in Vietnamese."""
    return render_pdf("documents/team_decision.html", data, draft=draft)


def referral_letter_pdf(row) -> bytes:
    """The letter referring what a check found to the Police or another authority, numbered
    in the letter series when the check was recorded, signed by whoever issued the team
    decision. Text in Vietnamese."""
    campaign, site = row.campaign, row.site
    d = {"number": row.referral_full_number, "agency": agency_block(),
         "date_line": date_line(agency()["place"], row.checked_on),
         "day": format_date_vn(row.checked_on), "recipient": row.referral_recipient,
         "basis": campaign.legal_basis, "code": campaign.code,
         "decision": campaign.decision_full_number,
         "site": {"name": site.name, "domain": site.domain, "operator": site.operator_name},
         "findings": row.findings, "reason": row.referral_reason,
         "signer": signer_block(campaign.decision_approved_by)}
    return render_pdf("documents/referral_letter.html", d)
