"""Official documents as PDF (WeasyPrint): sanction decision (MQĐ02), violation record
(MBB01), coordination request letter.

A decision is rendered from a *snapshot*: a plain dict of every value the document shows,
built once at issue and stored with the PDF, so the frozen document can be explained later
(LEGAL.md §7; Decree 118/2021/NĐ-CP forms; Decree 30/2020/NĐ-CP formatting).
"""

from __future__ import annotations

from flask import current_app, render_template
from flask_babel import force_locale
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from cases.models import Case, CoordinationRequest, Decision, SanctionKind
from legal.catalogue import citation_vi
from legal.dates import date_line, format_date_vn
from legal.money import format_vnd
from legal.words import amount_in_words

TEMPLATE_VERSION = "mqd02-2014.1"
FIELD_TITLES = {"electronic_information": "thông tin điện tử", "press": "báo chí, xuất bản"}


def render_pdf(template: str, d: dict, *, draft: bool = False) -> bytes:
    """Render `template` with data `d` to PDF bytes. No network or file access: the only
    resources a document may load are ``data:`` URIs."""
    with force_locale("vi"):
        html = render_template(template, d=d, draft=draft)
    fetcher = URLFetcher(allowed_protocols=("data",))
    return HTML(string=html, url_fetcher=fetcher, base_url=None).write_pdf()


def _agency() -> dict:
    c = current_app.config
    return {"parent": c["AGENCY_PARENT"], "name": c["AGENCY_NAME"], "place": c["AGENCY_PLACE"],
            "name_title": c["AGENCY_FULL_NAME"], "unit": c["AGENCY_UNIT"]}


def _subject(case: Case) -> dict:
    fmt = lambda d: format_date_vn(d) if d else None  # noqa: E731
    return {
        "kind": case.subject_kind, "name": case.subject_name, "id_number": case.subject_id_number,
        "id_issued_on": fmt(case.subject_id_issued_on), "id_issued_by": case.subject_id_issued_by,
        "birth_date": fmt(case.subject_birth_date), "nationality": case.subject_nationality,
        "occupation": case.subject_occupation, "address": case.subject_address,
        "representative": case.subject_representative,
        "representative_title": case.subject_representative_title,
    }


def _violations(case: Case) -> list[dict]:
    rows = []
    for v in case.violations:
        fine = v.fine_amount if v.sanction_kind == SanctionKind.fine else None
        rows.append({
            "clause_id": v.clause_id, "citation": citation_vi(v.clause_id),
            "act": v.clause.act_vi, "description": v.description,
            "circumstances": v.circumstances, "sanction_kind": v.sanction_kind,
            "fine_vnd": fine, "fine": format_vnd(fine) if fine else None,
            "fine_words": amount_in_words(fine) if fine else None,
            "additional": v.additional_sanctions, "remedial": v.remedial_measures,
            "verified": v.clause.verified,
        })
    return rows


def _decree_bases(case: Case) -> list[str]:
    seen, bases = set(), []
    for v in case.violations:
        inst = v.clause.instrument
        if inst.id in seen:
            continue
        seen.add(inst.id)
        title = inst.title_vi.removeprefix("Nghị định ")
        bases.append(f"Nghị định số {inst.id} của Chính phủ {title}")
    return bases


def decision_snapshot(case: Case, decision: Decision, *, draft: bool = False) -> dict:
    """Every value the sanction decision shows, as plain JSON-able data."""
    c = current_app.config
    law = "Căn cứ Luật Xử lý vi phạm hành chính năm 2012"
    if decision.issued_on.year >= 2022:
        law += " (được sửa đổi, bổ sung năm 2020)"
    bases = [law + ";"]
    bases += [f"Căn cứ {b};" for b in _decree_bases(case)]
    record = case.record
    bases.append(f"Căn cứ Biên bản vi phạm hành chính số {record.number} lập ngày "
                 f"{format_date_vn(record.made_on)};")
    total = case.total_fine
    number = "……" if draft else str(decision.number)
    return {
        "number": f"{number}/{decision.symbol}",
        "issued_on": format_date_vn(decision.issued_on),
        "date_line": date_line(c["AGENCY_PLACE"], decision.issued_on),
        "agency": _agency(),
        "bases": bases,
        "signer": {"name": decision.signer_name, "title": decision.signer_title,
                   "on_behalf": None},
        "subject": _subject(case),
        "violations": _violations(case),
        "total_vnd": total,
        "total": format_vnd(total),
        "total_words": amount_in_words(total),
        "compliance_days": f"{decision.compliance_days:02d}",
        "treasury": c["TREASURY_ACCOUNT"],
        "treasury_body": c["TREASURY_BODY"],
        "recipients": ["Như Điều 3;", "Lưu: VT, hồ sơ vụ việc " + case.code + "."],
        "case_code": case.code,
        "unverified": sorted({v["clause_id"] for v in _violations(case) if not v["verified"]}),
        "template_version": TEMPLATE_VERSION,
    }


def render_decision(snapshot: dict, *, draft: bool = False) -> bytes:
    """The MQĐ02 sanction decision as PDF bytes."""
    return render_pdf("documents/decision.html", snapshot, draft=draft)


def draft_decision(case: Case, signer, issued_on) -> bytes:
    """A preview of the decision not yet issued, watermarked "DỰ THẢO", number left blank."""
    preview = Decision(number=0, symbol=current_app.config["DECISION_SYMBOL"],
                       issued_on=issued_on, signer_name=signer.full_name if signer else "",
                       signer_title=(signer.title if signer else "") or "", compliance_days=10)
    return render_decision(decision_snapshot(case, preview, draft=True), draft=True)


def render_record(case: Case, *, draft: bool = False) -> bytes:
    """The violation record (MBB01) as PDF bytes."""
    record = case.record
    fields = {v.clause.field for v in case.violations}
    d = {
        "number": record.number, "agency": _agency(),
        "date_line": date_line(current_app.config["AGENCY_PLACE"], record.made_on),
        "made_on_words": date_line("-", record.made_on).split("ngày ", 1)[1],
        "place": record.place, "field_title": " và ".join(FIELD_TITLES[f] for f in sorted(fields)),
        "decree_bases": _decree_bases(case), "subject": _subject(case),
        "violations": _violations(case), "violator_statement": record.violator_statement,
        "made_by": {"name": record.made_by.full_name, "title": record.made_by.title},
    }
    return render_pdf("documents/record.html", d, draft=draft)


def render_letter(req: CoordinationRequest) -> bytes:
    """The coordination request letter ("Số: N/STTTT-TTra") as PDF bytes."""
    c = current_app.config
    case = req.case
    signer = case.supervisor or req.created_by
    d = {
        "number": f"{req.letter_number or '……'}" if "/" in (req.letter_number or "")
        else f"{req.letter_number or '……'}/{c['LETTER_SYMBOL']}",
        "agency": _agency(), "date_line": date_line(c["AGENCY_PLACE"], req.sent_on),
        "partner_name": req.partner_name, "case_code": case.code,
        "subject_line": ("ông (bà) " if case.subject_kind == "individual" else "tổ chức ")
        + case.subject_name,
        "site": case.site.domain if case.site else None,
        "case_description": case.description, "request_text": req.request_text,
        "response_due_on": format_date_vn(req.response_due_on),
        "signer_title": signer.title or "", "signer_name": signer.full_name,
    }
    return render_pdf("documents/letter.html", d)
