"""A campaign's progress and its result report (báo cáo kết quả kiểm tra) to the Ministry.

`progress(campaign)` counts, from the database as it stands: sites planned, checked, with a
violation, cases opened from checks, sanction decisions in force on those cases, fines
decided and collected (VND), referrals — in total, per member agency (a check counts for
every agency with a member assigned to it, or taking part once checked) and per district
of the site. The result report freezes those figures with the team's conclusion and
proposals, numbered in the report series like the report to the Ministry
(registry.report), as PDF and XLSX, and meets the campaign's report obligation."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import gettext as _

from auth.permissions import has_permission
from cases.documents.render import agency_block, signer_block
from cases.statistics import collected_by_decision
from core import audit
from core.agency import agency, symbol
from core.clock import clock
from core.documents import freeze
from core.errors import NotAllowed, OperationError
from core.models import DocumentKind
from core.numbering import next_number
from core.pdf import render_pdf
from extensions import db
from inspections import deadlines as campaign_deadlines
from inspections.documents import AGENCY_VI
from inspections.models import Campaign, CampaignStatus, CheckOutcome, MemberAgency
from legal.dates import date_line, format_date_vn
from legal.money import format_vnd
from legal.numbering import document_number
from registry.deadlines import recompute_report
from registry.models import Report
from registry.spreadsheet import xlsx_bytes

FIGURES = ("planned", "checked", "violations", "cases", "decisions", "fines_decided",
           "fines_collected", "referrals")
FIGURES_VI = {
    "planned": "Số trang, mạng xã hội trong kế hoạch kiểm tra",
    "checked": "Số trang, mạng xã hội đã kiểm tra",
    "violations": "Số trang, mạng xã hội phát hiện vi phạm",
    "cases": "Số vụ việc đã lập",
    "decisions": "Số quyết định xử phạt đã ban hành",
    "fines_decided": "Số tiền phạt đã quyết định (đồng)",
    "fines_collected": "Số tiền phạt đã thu (đồng)",
    "referrals": "Số vụ việc chuyển cơ quan có thẩm quyền",
}
NO_DISTRICT = "(chưa rõ)"


def _zero() -> dict:
    return dict.fromkeys(FIGURES, 0)


def _add(row: dict, check, collected: dict[int, int]) -> None:
    row["planned"] += 1
    if not check.checked:
        return
    row["checked"] += 1
    if check.outcome == CheckOutcome.violation:
        row["violations"] += 1
    if check.outcome == CheckOutcome.referral:
        row["referrals"] += 1
    case = check.case
    if case is not None:
        row["cases"] += 1
        decision = case.decision
        if decision is not None:
            row["decisions"] += 1
            row["fines_decided"] += decision.total_fine
            row["fines_collected"] += collected.get(decision.id, 0)


def progress(campaign: Campaign) -> dict:
    """{"total": {figure: n}, "agencies": {MemberAgency code: {figure: n}},
    "districts": {district: {figure: n}}} — the figures of FIGURES; amounts in VND."""
    total = _zero()
    agencies = {a.value: _zero() for a in MemberAgency
                if any(m.agency == a for m in campaign.members)}
    districts: dict[str, dict] = {}
    # fines collected up to what each decision owes: an over-payment is refunded
    collected = collected_by_decision([check.case.decision.id for check in campaign.checks
                                       if check.checked and check.case is not None
                                       and check.case.decision is not None])
    for check in campaign.checks:
        _add(total, check, collected)
        for code in sorted({m.agency for m in check.members}):
            _add(agencies.setdefault(code, _zero()), check, collected)
        _add(districts.setdefault(check.site.district or NO_DISTRICT, _zero()), check,
             collected)
    return {"total": total, "agencies": agencies, "districts": dict(sorted(districts.items()))}


def rows(figures: dict) -> list[tuple[str, str, object]]:
    """The figures as (section, line, value) rows: the XLSX sheet, the PDF's tables."""
    out = [("Tổng hợp", FIGURES_VI[k], figures["total"][k]) for k in FIGURES]
    for code, row in figures["agencies"].items():
        out += [(f"Theo cơ quan: {AGENCY_VI[code]}", FIGURES_VI[k], row[k]) for k in FIGURES]
    for district, row in figures["districts"].items():
        out += [(f"Theo địa bàn: {district}", FIGURES_VI[k], row[k]) for k in FIGURES]
    return out


def render(campaign: Campaign, figures: dict, *, number: str, issued_on, conclusion: str,
           proposals: str | None, signer, draft: bool = False) -> bytes:
    """The result report as PDF bytes (Vietnamese, Decree 30/2020 layout)."""
    d = {"number": number, "agency": agency_block(),
         "date_line": date_line(agency()["place"], issued_on),
         "code": campaign.code, "title": campaign.title, "basis": campaign.legal_basis,
         "decision": campaign.decision_full_number,
         "decision_on": format_date_vn(campaign.decision_issued_on)
         if campaign.decision_issued_on else None,
         "start": format_date_vn(campaign.period_start),
         "end": format_date_vn(campaign.period_end),
         "members": len(campaign.members),
         "agencies": [AGENCY_VI[a] for a in figures["agencies"]],
         "labels": FIGURES_VI, "figures": FIGURES,
         "total": figures["total"], "by_agency": [
             (AGENCY_VI[code], row) for code, row in figures["agencies"].items()],
         "by_district": list(figures["districts"].items()),
         "fines_decided": format_vnd(figures["total"]["fines_decided"]),
         "fines_collected": format_vnd(figures["total"]["fines_collected"]),
         "conclusion": conclusion, "proposals": proposals, "signer": signer_block(signer)}
    return render_pdf("documents/campaign_report.html", d, draft=draft)


def issue_result_report(user, campaign: Campaign, conclusion: str,
                        proposals: str | None) -> Report:
    """Number ("NN/BC-STTTT", the report series), render and freeze the campaign's result
    report, signed by `user` (a supervisor: "report.issue"): its figures (`progress`), PDF
    and XLSX; it meets the campaign's report obligation and the team's report deadline, and
    the campaign is reported. Raises NotAllowed, or OperationError (no conclusion, the team
    decision not issued, already reported, nothing checked)."""
    if not has_permission(user, "report.issue"):
        raise NotAllowed(_("You are not allowed to do this."))
    if campaign.status != CampaignStatus.running:
        raise OperationError(_("Only a running campaign (team decision issued, not yet "
                               "reported) reports its result."), "conclusion")
    if not (conclusion or "").strip():
        raise OperationError(_("Write the team's conclusion."), "conclusion")
    figures = progress(campaign)
    if figures["total"]["checked"] == 0:
        raise OperationError(_("No check is recorded yet."), "conclusion")
    today = clock().today()
    issuer = agency()["short_code"]
    number = next_number(issuer, "report", today.year)
    full = document_number(number, symbol("report"))
    frozen = freeze(render(campaign, figures, number=full, issued_on=today,
                           conclusion=conclusion, proposals=proposals, signer=user),
                    kind=DocumentKind.report, reference=full, signer_name=user.full_name)
    pdf = frozen.pdf
    sheet = xlsx_bytes("Ket qua kiem tra", ["Mục", "Nội dung", "Số liệu"],
                       [list(r) for r in rows(figures)]
                       + [["", f"Báo cáo số {full}, đợt {campaign.code}", ""]])
    report = Report(obligation_id=campaign.obligation_id, issuer=issuer, number=number,
                    year=today.year, symbol=symbol("report"), issued_on=today,
                    period_start=campaign.period_start, period_end=campaign.period_end,
                    figures={"campaign": campaign.code, **figures}, proposals=proposals,
                    signer_name=user.full_name, signer_title=user.title or "", pdf=pdf,
                    xlsx=sheet, sha256=frozen.sha256, issued_by_id=user.id,
                    issued_at=clock().now())
    db.session.add(report)
    db.session.flush()
    campaign.report_id = report.id
    campaign.conclusion = conclusion
    campaign.status = CampaignStatus.reported
    campaign.updated_at = clock().now()
    db.session.flush()
    db.session.refresh(campaign, ["report"])
    audit.record(user, "campaign.reported", campaign,
                 after={"number": full, "sha256": report.sha256, **figures["total"]})
    if campaign.obligation is not None:
        db.session.refresh(campaign.obligation, ["reports"])
        recompute_report(campaign.obligation)
    campaign_deadlines.recompute(campaign)
    return report



def calendar(campaign: Campaign) -> list[list[dict]]:
    """The plan as weeks (Monday to Sunday) covering the campaign's period: each day
    {"day": date, "in_period": bool, "checks": [the checks of that day: planned, or
    recorded on it]}."""
    start = campaign.period_start - timedelta(days=campaign.period_start.weekday())
    end = campaign.period_end + timedelta(days=6 - campaign.period_end.weekday())
    by_day: dict[date, list] = {}
    for check in campaign.checks:
        by_day.setdefault(check.checked_on or check.planned_on, []).append(check)
    weeks, day = [], start
    while day <= end:
        week = []
        for _i in range(7):
            week.append({"day": day, "checks": by_day.get(day, []),
                         "in_period": campaign.period_start <= day <= campaign.period_end})
            day += timedelta(days=1)
        weeks.append(week)
    return weeks
