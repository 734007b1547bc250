"""The report to the Ministry (the directive of 06/11/2014; the six-monthly report of
Circular 09/2014/TT-BTTTT Art. 9): the figures of a period, as PDF in the official report
layout ("Số: N/BC-STTTT", to the Authority of Broadcasting and Electronic Information) and
as XLSX with the same figures. An issued report is numbered and frozen like a decision."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterator
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload, undefer

from cases.documents.render import department_block, department_signer_block
from cases.models import (
    Case,
    CoordinationRequest,
    Decision,
    DecisionKind,
    DecisionStatus,
    SanctionKind,
    Violation,
)
from cases.models.case import OPEN_STATES
from cases.statistics import collected_in
from core import audit
from core.agency import agency, district_names, symbol
from core.clock import clock
from core.documents import freeze
from core.errors import OperationError
from core.models import DocumentKind
from core.numbering import next_document_number
from core.pdf import render_pdf
from extensions import db
from legal.catalogue import short_citation
from legal.dates import date_line, format_date_vn
from legal.districts import match_district
from legal.money import format_vnd
from legal.numbering import document_number
from registry.deadlines import recompute_report
from registry.models import RegistryStatus, Report, Site, SiteKind
from registry.spreadsheet import xlsx_bytes

STATUSES = [RegistryStatus.licensed, RegistryStatus.registered, RegistryStatus.unlicensed,
            RegistryStatus.trial, RegistryStatus.suspended, RegistryStatus.revoked,
            RegistryStatus.ceased]
KINDS = [SiteKind.general_website, SiteKind.social_network, SiteKind.other]
STATUS_VI = {"licensed": "Đã cấp phép", "registered": "Đã đăng ký",
             "unlicensed": "Hoạt động không phép", "trial": "Thử nghiệm",
             "suspended": "Bị đình chỉ", "revoked": "Bị thu hồi giấy phép",
             "ceased": "Ngừng hoạt động"}
KIND_VI = {"general_website": "Trang thông tin điện tử tổng hợp",
           "social_network": "Mạng xã hội", "other": "Khác"}
DETECTION_VI = {"monitoring": "Giám sát, theo dõi", "complaint": "Đơn phản ánh, khiếu nại",
                "ministry_referral": "Bộ TT&TT chuyển đến",
                "police_referral": "Công an chuyển đến", "campaign": "Đợt kiểm tra, rà soát"}


def figures(start: date, end: date) -> dict:
    """Every figure of the report for the period [start, end] (dates inclusive; amounts in
    VND). Sites are counted as they stand; cases by their detection date; decisions by
    their issue date; payments by the payment date."""
    sites = db.session.execute(select(Site.kind, Site.status, Site.district)).all()
    by_kind_status = {k.value: {s.value: 0 for s in STATUSES} for k in KINDS}
    districts: dict[str, dict[str, int]] = {}
    names = district_names()
    for kind, status, district in sites:
        by_kind_status[kind][status] += 1
        # an entry typed before the province's list ("Luc Ngan") counts with "Lục Ngạn"
        district = (match_district(district, names) or district) if district else None
        row = districts.setdefault(district or "(chưa rõ)", {s.value: 0 for s in STATUSES})
        row[status] += 1
    cases = db.session.scalars(select(Case).where(Case.detected_on >= start,
                                                  Case.detected_on <= end)).all()
    by_detection = Counter(c.detection_method for c in cases)
    inspected_sites = len({c.site_id for c in cases if c.site_id})
    violations = db.session.execute(
        select(Violation.clause_id, func.count()).join(Case)
        .where(Case.detected_on >= start, Case.detected_on <= end)
        .group_by(Violation.clause_id).order_by(Violation.clause_id)).all()
    coordination = Counter(db.session.scalars(
        select(CoordinationRequest.partner).where(CoordinationRequest.sent_on >= start,
                                                  CoordinationRequest.sent_on <= end)))
    decisions = db.session.scalars(
        select(Decision).where(Decision.kind == DecisionKind.sanction,
                               Decision.status == DecisionStatus.issued,
                               Decision.issued_on >= start, Decision.issued_on <= end)
        .options(selectinload(Decision.case).selectinload(Case.violations))).all()
    warnings = sum(1 for d in decisions for v in d.case.violations
                   if v.sanction_kind == SanctionKind.warning)
    fined = [d for d in decisions if d.total_fine > 0]
    # money collected in the period, up to what each decision owes (an excess is refunded)
    collected, _overpaid = collected_in(start, end)
    remedial = Counter()
    for d in decisions:
        for v in d.case.violations:
            text = (v.remedial_measures or "").lower()
            if "gỡ" in text:
                remedial["removal"] += 1
            if "tên miền" in text:
                remedial["domain"] += 1
    open_cases = db.session.scalar(select(func.count()).select_from(Case).where(
        Case.state.in_([s.value for s in OPEN_STATES]), Case.detected_on <= end))
    return {
        "period": [start.isoformat(), end.isoformat()],
        "sites": by_kind_status,
        "sites_total": len(sites),
        "districts": dict(sorted(districts.items())),
        "inspected_sites": inspected_sites,
        "cases_opened": len(cases),
        "cases_by_detection": {k: by_detection.get(k, 0) for k in DETECTION_VI},
        "violations_by_clause": [[clause, n] for clause, n in violations],
        "coordination": {"police": coordination.get("police", 0),
                         "culture_department": coordination.get("culture_department", 0),
                         "other": sum(n for p, n in coordination.items()
                                      if p not in ("police", "culture_department"))},
        "decisions": len(decisions),
        "warnings": warnings,
        "fined_decisions": len(fined),
        "fines_total": sum(d.total_fine for d in decisions),
        "collected": int(collected),
        "remedial": {"removal": remedial.get("removal", 0),
                     "domain": remedial.get("domain", 0)},
        "open_cases": open_cases,
    }


def table_rows(f: dict) -> list[tuple[str, str, object]]:
    """The figures as (section, line, value) rows: the XLSX sheet, and a check that the PDF
    carries the same numbers."""
    rows: list[tuple[str, str, object]] = []
    for kind in KINDS:
        for status in STATUSES[:4]:
            line = f"{KIND_VI[kind.value]}: {STATUS_VI[status.value].lower()}"
            rows.append(("I. Rà soát, thống kê", line, f["sites"][kind.value][status.value]))
    rows.append(("I. Rà soát, thống kê", "Tổng số trang, mạng xã hội trong danh mục",
                 f["sites_total"]))
    for district, counts in f["districts"].items():
        rows.append(("I. Rà soát, thống kê", f"Địa bàn {district}", sum(counts.values())))
    rows.append(("II. Kiểm tra", "Số trang, mạng xã hội đã kiểm tra", f["inspected_sites"]))
    rows.append(("II. Kiểm tra", "Số vụ việc phát hiện", f["cases_opened"]))
    for code, name in DETECTION_VI.items():
        rows.append(("II. Kiểm tra", f"Nguồn phát hiện: {name}", f["cases_by_detection"][code]))
    for clause, n in f["violations_by_clause"]:
        rows.append(("III. Hành vi vi phạm", short_citation(clause), n))
    rows.append(("IV. Phối hợp", "Đề nghị phối hợp với Công an tỉnh", f["coordination"]["police"]))
    rows.append(("IV. Phối hợp", "Đề nghị phối hợp với Sở Văn hóa, Thể thao và Du lịch",
                 f["coordination"]["culture_department"]))
    rows.append(("IV. Phối hợp", "Đề nghị phối hợp với cơ quan khác", f["coordination"]["other"]))
    rows.append(("V. Xử lý vi phạm", "Quyết định xử phạt đã ban hành", f["decisions"]))
    rows.append(("V. Xử lý vi phạm", "Hành vi bị xử phạt cảnh cáo", f["warnings"]))
    rows.append(("V. Xử lý vi phạm", "Quyết định phạt tiền", f["fined_decisions"]))
    rows.append(("V. Xử lý vi phạm", "Tổng số tiền phạt (đồng)", f["fines_total"]))
    rows.append(("V. Xử lý vi phạm", "Số tiền phạt đã thu (đồng)", f["collected"]))
    rows.append(("V. Xử lý vi phạm", "Biện pháp buộc gỡ bỏ thông tin", f["remedial"]["removal"]))
    rows.append(("V. Xử lý vi phạm", "Biện pháp buộc thu hồi tên miền", f["remedial"]["domain"]))
    rows.append(("V. Xử lý vi phạm", "Vụ việc đang xử lý", f["open_cases"]))
    return rows


def render(f: dict, *, number: str, issued_on: date, proposals: str | None, signer,
           draft: bool = False) -> bytes:
    start, end = (date.fromisoformat(x) for x in f["period"])
    d = {"number": number, "agency": department_block(),
         "date_line": date_line(agency()["place"], issued_on),
         "period": f"từ ngày {format_date_vn(start)} đến ngày {format_date_vn(end)}",
         "f": f, "rows": table_rows(f), "proposals": proposals,
         "signer": department_signer_block(signer),
         "status_vi": STATUS_VI, "kind_vi": KIND_VI, "fines_total": format_vnd(f["fines_total"]),
         "collected": format_vnd(f["collected"])}
    return render_pdf("documents/report.html", d, draft=draft)


def xlsx(f: dict, title: str) -> bytes:
    return xlsx_bytes("Báo cáo", ["Mục", "Nội dung", "Số liệu"],
                      [[s, line, value] for s, line, value in table_rows(f)] + [
                          ["", title, ""]])


def issue_report(user, start: date, end: date, proposals: str | None,
                 obligation=None) -> Report:
    """Number, render and freeze the report for [start, end]; meets its obligation's
    deadline. Signed by `user` (a supervisor). Raises OperationError on a bad period."""
    today = clock().today()
    if start > end or end > today:
        raise OperationError(_("The period must end today at the latest and start before it "
                               "ends."), "period_end")
    f = figures(start, end)
    issuer = agency()["short_code"]
    number = next_document_number("report", today.year)
    full = document_number(number, symbol("report"))
    frozen = freeze(render(f, number=full, issued_on=today, proposals=proposals, signer=user),
                    kind=DocumentKind.report, reference=full, signer_name=user.full_name)
    pdf = frozen.pdf
    sheet = xlsx(f, f"Báo cáo số {full}")
    report = Report(obligation_id=obligation.id if obligation else None, issuer=issuer,
                    number=number, year=today.year, symbol=symbol("report"), issued_on=today,
                    period_start=start, period_end=end, figures=f, proposals=proposals,
                    signer_name=user.full_name, signer_title=user.title or "", pdf=pdf,
                    xlsx=sheet, xlsx_sha256=hashlib.sha256(sheet).hexdigest(),
                    sha256=frozen.sha256,
                    issued_by_id=user.id, issued_at=clock().now())
    db.session.add(report)
    db.session.flush()
    audit.record(user, "report.issued", report, after={"number": full, "sha256": report.sha256})
    if obligation is not None:
        db.session.refresh(obligation, ["reports"])
        recompute_report(obligation)
    return report


def check_reports() -> Iterator[str]:
    """For `flask audit verify` (registered by app.create_app): one line per issued report
    whose stored PDF, or spreadsheet (when its hash was kept), no longer hashes to the
    SHA-256 stored with it. Reads only."""
    for report in db.session.scalars(select(Report).options(undefer(Report.pdf),
                                                            undefer(Report.xlsx))
                                     .order_by(Report.id).execution_options(yield_per=100)):
        found = hashlib.sha256(report.pdf or b"").hexdigest()
        if found != report.sha256:
            yield (f"report {report.id} ({report.full_number}/{report.year}): its PDF hashes "
                   f"to {found}, not to the stored {report.sha256}")
        if report.xlsx_sha256 is not None:
            found = hashlib.sha256(report.xlsx or b"").hexdigest()
            if found != report.xlsx_sha256:
                yield (f"report {report.id} ({report.full_number}/{report.year}): its "
                       f"spreadsheet hashes to {found}, not to the stored "
                       f"{report.xlsx_sha256}")
