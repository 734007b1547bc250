"""The documents' user-agent style sheet (`core.pdf.documents_ua`): WeasyPrint's own, less the
rules that give every element footnote and note pseudo-elements and every page its 16
margin-box styles. The documents come out byte for byte as with WeasyPrint's whole sheet."""

from __future__ import annotations

from datetime import date

import weasyprint
from sqlalchemy import select

from auth.models import User
from cases import operations as ops
from cases.models import Case, Decision
from core import pdf
from extensions import db
from tests.helpers import pdf_reader


def test_the_sheet_is_weasyprints_less_the_pseudo_elements_and_page_rule():
    whole = pdf.WEASYPRINT_UA.read_text(encoding="utf-8")
    ours = pdf.documents_ua_css(whole)
    for left_out in ("::footnote-call", "::note-call", "@page", "@top-left", "@note-area"):
        assert left_out in whole and left_out not in ours
    assert "li::marker, summary::marker {" in ours
    # the rest as WeasyPrint writes it: display, tables, headings, counter styles
    assert "table { display: table }" in ours and "h1 {" in ours
    assert ours.count("@counter-style") == whole.count("@counter-style")
    html = pdf.DocumentHTML(string="<p>x</p>")
    assert html._ua_stylesheets() == [pdf.documents_ua()]


def test_decision_and_record_bytes_are_those_of_weasyprints_whole_sheet(
        app, users, make_case, monkeypatch):
    """A decision with the violations table over two pages, page numbers and the receipt
    on the back page; its draft with the watermark; the violation record."""
    from cases.documents import render_decision, render_record

    case_id = make_case(state="verifying").id
    with app.app_context():
        inspector = db.session.get(User, users["inspector"].id)
        supervisor = db.session.get(User, users["supervisor"].id)
        case = db.session.get(Case, case_id)
        for n in range(1, 9):
            ops.add_violation(inspector, case, clause_id="174/2013/NĐ-CP:63.3",
                              description=f"Hành vi {n}: thiết lập mạng xã hội thứ {n} "
                                          "khi chưa được cấp giấy phép.")
        ops.make_record(inspector, case, number="01/BB", made_on=date(2014, 11, 7),
                        place="Trụ sở Sở")
        # the violator waives the right to explain, so the decision may carry the record's date
        ops.record_explanation(inspector, case, kind="waiver", received_on=date(2014, 11, 7),
                               content="Không yêu cầu giải trình.".encode(),
                               filename="waiver.txt")
        ops.propose_sanction(inspector, case)
        ops.approve_sanction(supervisor, case)
        decision = ops.issue_decision(inspector, case, date(2014, 11, 7))
        db.session.commit()
        snapshot = db.session.scalar(select(Decision.snapshot).where(Decision.id == decision.id))

    def render_all() -> list[bytes]:
        with app.app_context(), app.test_request_context():
            stored = db.session.get(Case, case_id)
            return [render_decision(snapshot), render_decision(snapshot, draft=True),
                    render_record(stored)]

    ours = render_all()
    monkeypatch.setattr(pdf, "DocumentHTML", weasyprint.HTML)
    whole = render_all()
    assert len(pdf_reader(ours[0]).pages) >= 3  # the table runs onto the second page
    assert ours == whole
