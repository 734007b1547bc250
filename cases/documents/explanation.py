"""The record of the explanation hearing (biên bản phiên giải trình trực tiếp: form MBB03 of
Decree 118/2021/NĐ-CP from 2022; the same layout before, no form of the period identified:
docs/legal/documents.md#forms) and the right-to-explain lines of the violation record."""

from __future__ import annotations

from cases.documents.render import agency_block, default_signer, signer_block, subject_block
from cases.models import Case, Explanation, SubjectKind
from core.pdf import render_pdf
from legal.dates import date_line, format_date_vn
from legal.procedure import form_for


def explanation_lines(case: Case, windows: dict, record=None) -> dict | None:
    """What the violation record says about the right to explain (Law 15/2012/QH13 Art. 58(2)
    and Art. 61; from 2022 Decree 118/2021 Art. 12(4)(i)): the periods, their last days and
    the body that receives the explanation (the agency), or None when the record gives no
    right. `windows`: `cases.deadlines.explanation_windows(record date)`; `record`: a
    preview not saved (default: the case's)."""
    record = record if record is not None else case.record
    if record is None or not record.explanation_right:
        return None
    hearing, written = windows["explanation_hearing_request"], windows["explanation_written"]
    working = "working_days" in written.inputs.get("period", {})
    who = "ông (bà)" if case.subject_kind == SubjectKind.individual else "tổ chức"
    return {
        "who": who, "reason": record.explanation_reason,
        "hearing_days": "02 ngày làm việc", "hearing_due": format_date_vn(hearing.due_on),
        "written_days": "05 ngày làm việc" if working else "05 ngày",
        "written_due": format_date_vn(written.due_on),
        "body": agency_block()["unit"],
        "basis": "Điều 61 Luật Xử lý vi phạm hành chính",
    }


def render_hearing(case: Case, hearing: Explanation) -> bytes:
    """The hearing's record as PDF bytes: number and date, place, who took part, what the
    violator said, the signatures of the chair, the recorder and the violator."""
    form = form_for("hearing", hearing.received_on)
    record = case.record
    chair = default_signer(case)
    d = {
        "number": hearing.number, "agency": agency_block(), "form": form.code,
        "date_line": date_line(agency_block()["place"], hearing.received_on),
        "held_on_words": date_line("-", hearing.received_on).split("ngày ", 1)[1],
        "place": hearing.place,
        "record": {"number": record.number, "made_on": format_date_vn(record.made_on)},
        "subject": subject_block(case),
        "participants": [p.strip() for p in (hearing.participants or "").splitlines()
                         if p.strip()],
        "statement": hearing.note,
        "chair": signer_block(chair),
        "recorder": {"name": hearing.recorded_by.full_name, "title": hearing.recorded_by.title},
    }
    return render_pdf("documents/hearing.html", d)
