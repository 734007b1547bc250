"""Numbering, freezing, corrections, batch printing and long decisions (issue: documents)."""

from __future__ import annotations

import html
import logging
import threading
import unicodedata
from datetime import date

from sqlalchemy import select, text
from sqlalchemy.orm import undefer

from auth.models import User
from cases import operations as ops
from cases.models import Case, Decision
from cases.operations.decisions import void_decision
from core.errors import OperationError
from deadlines.models import Deadline
from extensions import db
from tests.conftest import waive
from tests.helpers import pdf_fonts, pdf_reader, pdf_text, squash


def _user(users, name):
    return db.session.get(User, users[name].id)


def test_two_decisions_issued_at_the_same_moment_get_consecutive_numbers(app, users,
                                                                         make_case):
    cases = [make_case(state="approved") for _ in range(2)]
    barrier = threading.Barrier(2)
    errors: list[str] = []

    def issue(case_id: int):
        with app.app_context():
            inspector = _user(users, "inspector")
            case = db.session.get(Case, case_id)
            db.session.commit()  # hold no transaction (SQLite's write lock) while waiting
            barrier.wait(timeout=30)
            try:
                ops.issue_decision(inspector, case, date(2014, 11, 7))
                db.session.commit()
            except Exception as exc:  # noqa: BLE001 - reported below
                db.session.rollback()
                errors.append(repr(exc))

    threads = [threading.Thread(target=issue, args=(c.id,)) for c in cases]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    with app.app_context():
        numbers = sorted(db.session.scalars(select(Decision.number)))
    assert numbers == [1, 2]


def test_a_voided_number_is_never_reused(app, users, make_case):
    case = make_case(state="decision_issued")
    with app.app_context():
        supervisor = _user(users, "supervisor")
        decision = db.session.scalar(select(Decision))
        void_decision(supervisor, decision, "Phát hành nhầm vụ việc.")
        db.session.commit()
        live = db.session.get(Case, case.id)
        assert live.state == "approved" and live.decision is None
        again = ops.issue_decision(_user(users, "inspector"), live, date(2014, 11, 7))
        db.session.commit()
        rows = db.session.scalars(select(Decision).order_by(Decision.id)).all()
        assert [(d.number, d.status) for d in rows] == [(1, "voided"), (2, "issued")]
        assert rows[0].void_reason == "Phát hành nhầm vụ việc."
        assert again.full_number == "02/QĐ-XPVPHC"


def test_correct_amend_and_cancel_are_new_linked_decisions(app, users, make_case, login_as):
    case = make_case(state="delivered")
    supervisor = login_as("supervisor")
    with app.app_context():
        original = db.session.scalar(select(Decision).options(undefer(Decision.pdf)))
        frozen = original.pdf
    response = supervisor.post(f"/cases/{case.id}/decisions/{original.id}/correct", data={
        "kind": "correct", "correction_on": "12/11/2014",
        "content": "Sửa địa chỉ trụ sở thành: Số 27 đường Trần Phú, huyện Yên Dũng.",
        "correction_reason": "Sai sót về địa chỉ khi đánh máy."})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with app.app_context():
        fix = db.session.scalar(select(Decision).where(Decision.kind == "correct")
                                .options(undefer(Decision.pdf)))
        assert fix.full_number == "01/QĐ-ĐC" and fix.amends_id == original.id
        text = squash(pdf_text(fix.pdf))
        assert "Đính chính Quyết định xử phạt vi phạm hành chính" in text
        assert f"số {original.full_number}" in text
        assert "Số 27 đường Trần Phú" in text
        # the original never changes
        assert db.session.get(Decision, original.id).pdf == frozen
        inspector = _user(users, "inspector")
        assert not db.session.get(Case, case.id).can_correct(inspector)
    # cancel: the original is cancelled and the case goes back to the record
    response = supervisor.post(f"/cases/{case.id}/decisions/{original.id}/correct", data={
        "kind": "cancel", "correction_on": "12/11/2014", "content": "Hủy bỏ toàn bộ.",
        "correction_reason": "Xác định sai đối tượng vi phạm."})
    assert response.status_code == 302
    with app.app_context():
        live = db.session.get(Case, case.id)
        assert live.state == "record_made" and live.decision is None
        assert db.session.get(Decision, original.id).status == "cancelled"
        states = dict(db.session.execute(select(Deadline.key, Deadline.state).where(
            Deadline.case_id == case.id)).all())
        assert states["compliance"] == "cancelled" and states["decision"] == "open"
    page = supervisor.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "01/QĐ-HB" in page and "01/QĐ-ĐC" in page


def test_deputy_signs_on_behalf_with_the_delegation_cited(app, users, make_case):
    with app.app_context():
        deputy = _user(users, "supervisor")
        deputy.title = "Phó Chánh Thanh tra Sở"
        deputy.signs_on_behalf = True
        deputy.delegation_basis = ("Quyết định số 15/QĐ-STTTT ngày 02/01/2014 về việc giao "
                                   "quyền xử phạt vi phạm hành chính")
        db.session.commit()
    make_case(state="decision_issued")
    with app.app_context():
        text = squash(pdf_text(db.session.scalar(select(Decision.pdf))))
    assert "KT. CHÁNH THANH TRA SỞ PHÓ CHÁNH THANH TRA SỞ" in text
    assert ("Căn cứ Quyết định số 15/QĐ-STTTT ngày 02/01/2014 về việc giao quyền xử phạt vi "
            "phạm hành chính;") in text


def test_agency_settings_change_new_documents_only(app, users, make_case, login_as):
    first = make_case(state="decision_issued")
    admin = login_as("admin")
    page = admin.get("/admin/agency").get_data(as_text=True)
    assert 'value="QĐ-XPVPHC"' in page
    form = {"parent_name": "SỞ TT&TT TỈNH BẮC GIANG", "agency_name": "THANH TRA SỞ",
            "full_name": "Sở Thông tin và Truyền thông tỉnh Bắc Giang",
            "unit_name": "Thanh tra Sở Thông tin và Truyền thông tỉnh Bắc Giang",
            "short_code": "STTTT", "place": "Bắc Giang", "head_title": "Chánh Thanh tra Sở",
            "treasury_account": "Kho bạc Nhà nước tỉnh Bắc Giang",
            "treasury_body": "Kho bạc Nhà nước tỉnh Bắc Giang", "symbol_sanction": "QĐ-XPHC",
            "symbol_amend": "QĐ-SĐBS", "symbol_correct": "QĐ-ĐC", "symbol_cancel": "QĐ-HB",
            "symbol_transfer": "QĐ-CHS", "symbol_letter": "STTTT-TTra",
            "symbol_report": "BC-STTTT", "symbol_team": "QĐ-TTra",
            "treasury_account_number": "7111.0.1052367"}
    assert admin.post("/admin/agency", data=form).status_code == 302
    make_case(state="decision_issued")
    with app.app_context():
        rows = db.session.scalars(select(Decision).order_by(Decision.id)).all()
        # the symbol is the period's form's (docs/legal/documents.md#form-periods): a 2014
        # decision prints QĐ-XPVPHC whatever the setting
        assert [d.full_number for d in rows] == ["01/QĐ-XPVPHC", "02/QĐ-XPVPHC"]
        first_text, second_text = (squash(pdf_text(r.pdf)) for r in rows)
        assert "Số: 01/QĐ-XPVPHC" in first_text and "7111.0.1052367" not in first_text
        assert ("Kho bạc Nhà nước tỉnh Bắc Giang, số tài khoản 7111.0.1052367"
                in second_text)
    assert first.code


def test_batch_printing_keeps_each_documents_own_pages(app, users, make_case, login_as):
    for _ in range(3):
        make_case(state="decision_issued")
    client = login_as("inspector")
    listing = client.get("/cases/decisions/?from=01/11/2014&to=30/11/2014").get_data(as_text=True)
    assert "03/QĐ-XPVPHC" in listing
    with app.app_context():
        docs = db.session.scalars(select(Decision).options(undefer(Decision.pdf))
                                  .order_by(Decision.number)).all()
        pages = [len(pdf_reader(d.pdf).pages) for d in docs]
        ids = [d.id for d in docs]
    merged = client.post("/cases/decisions/print", data={"ids": [ids[0], ids[2]]})
    assert merged.mimetype == "application/pdf"
    reader = pdf_reader(merged.data)
    assert len(reader.pages) == pages[0] + pages[2]
    text = squash(pdf_text(merged.data))
    assert "Số: 01/QĐ-XPVPHC" in text and "Số: 03/QĐ-XPVPHC" in text
    assert "Số: 02/QĐ-XPVPHC" not in text
    # the second document starts again without a page number on its first page
    second_first = reader.pages[pages[0]].extract_text().lstrip()
    assert second_first.startswith("SỞ TT&TT")
    everything = client.get("/cases/decisions/print?from=01/11/2014&to=30/11/2014")
    assert len(pdf_reader(everything.data).pages) == sum(pages)


def test_forty_violations_span_pages_without_splitting_a_row(app, users, make_case, caplog):
    case = make_case(state="verifying")
    with app.app_context():
        inspector = _user(users, "inspector")
        live = db.session.get(Case, case.id)
        for n in range(1, 41):
            ops.add_violation(inspector, live, clause_id="174/2013/NĐ-CP:63.3",
                              description=f"Hành vi số {n}: thiết lập trang mạng xã hội "
                                          f"thứ {n} khi chưa được cấp giấy phép.")
        ops.make_record(inspector, live, number="40/BB-VPHC", made_on=date(2014, 11, 7),
                        place="Trụ sở Sở")
        waive(inspector, live, date(2014, 11, 7))
        ops.propose_sanction(inspector, live)
        # 40 × 30 M (the range's maximum decides competence) is still one act each
        ops.approve_sanction(_user(users, "supervisor"), live)
        with caplog.at_level(logging.WARNING, logger="weasyprint"):
            decision = ops.issue_decision(inspector, live, date(2014, 11, 7))
        db.session.commit()
        data = decision.pdf
    assert [r.message for r in caplog.records if r.name.startswith("weasyprint")] == []
    reader = pdf_reader(data)
    assert len(reader.pages) >= 4
    pages = [page.extract_text() for page in reader.pages]
    table_pages = [p for p in pages if "Hành vi số" in p]
    assert len(table_pages) >= 2
    for page_text in table_pages:  # the header repeats on every page of the table
        assert "Số tiền phạt (đồng)" in page_text
    for n in range(1, 41):  # each row whole on one page: its number and its act together
        holders = [p for p in table_pages if f"Hành vi số {n}:" in p]
        assert len(holders) == 1
        assert f"thứ {n} khi" in squash(holders[0])
    text = squash(" ".join(pages))
    assert "Tổng số tiền phạt: 1.000.000.000 đồng (Bằng chữ: Một tỷ đồng)" in text


def test_decomposed_input_is_stored_and_printed_composed(app, users, login_as, make_case):
    decomposed = unicodedata.normalize("NFD", "Nguyễn Văn Hùng")
    assert decomposed != "Nguyễn Văn Hùng"
    client = login_as("inspector")
    response = client.post("/cases/new", data={
        "subject_kind": "individual", "subject_name": decomposed,
        "detection_method": "complaint", "detected_on": "03/11/2014",
        "description": unicodedata.normalize("NFD", "Đăng tin sai sự thật.")})
    assert response.status_code == 302
    with app.app_context():
        case = db.session.scalar(select(Case))
        assert case.subject_name == "Nguyễn Văn Hùng"
        inspector = _user(users, "inspector")
        ops.start_verification(inspector, case)
        ops.add_violation(inspector, case, clause_id="174/2013/NĐ-CP:64.3.a",
                          description=unicodedata.normalize("NFD", "Đăng tin sai sự thật."))
        ops.make_record(inspector, case, number="09/BB-VPHC", made_on=date(2014, 11, 7),
                        place="Trụ sở Sở")
        waive(inspector, case, date(2014, 11, 7))
        ops.propose_sanction(inspector, case)
        ops.approve_sanction(_user(users, "supervisor"), case)
        decision = ops.issue_decision(inspector, case, date(2014, 11, 7))
        db.session.commit()
        text = pdf_text(decision.pdf)
        assert decision.snapshot["violations"][0]["description"] == "Đăng tin sai sự thật."
    assert "Nguyễn Văn Hùng" in text
    assert unicodedata.normalize("NFC", text) == text


def test_only_one_font_family_is_embedded(app, make_case):
    make_case(state="decision_issued")
    with app.app_context():
        data = db.session.scalar(select(Decision.pdf))
    fonts = {name.split("+", 1)[-1] for name in pdf_fonts(data)}  # e.g. Liberation-Serif-Bold
    families = {next((f for f in ("Liberation-Serif", "DejaVu-Serif", "TimesNewRoman")
                      if name.replace(" ", "").startswith(f.replace(" ", ""))), name)
                for name in fonts}
    assert len(families) == 1, fonts  # regular, bold, italic of one serif family only
    assert families <= {"Liberation-Serif", "DejaVu-Serif", "TimesNewRoman"}, fonts


def test_decisions_register_filters_and_refuses_bad_dates(app, users, login_as, make_case):
    make_case(state="decision_issued")
    client = login_as("inspector")
    bad = client.get("/cases/decisions/?from=31/02/2014")
    assert bad.status_code == 422
    assert "31/02/2014" in html.unescape(bad.get_data(as_text=True))
    empty = client.get("/cases/decisions/?from=01/01/2015&to=31/12/2015").get_data(as_text=True)
    assert "01/QĐ-XPVPHC" not in empty


def _waiting_on_a_lock(app) -> bool:
    """PostgreSQL: some other backend waits for a row lock (the series' counter)."""
    with app.app_context():
        return bool(db.session.scalar(text(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND datname = current_database()")))


def test_an_earlier_date_issued_meanwhile_waits_for_the_series_and_is_refused(app, users,
                                                                               make_case):
    """Two decisions of a new series at the same moment, dated 12/11 and 11/11: the first
    holds the series; the second waits for it, then sees its 12/11 and is refused, instead of
    taking number 2 for an earlier date (the date order was checked before the lock)."""
    first, second = make_case(state="approved"), make_case(state="approved")
    outcome: list[str] = []
    with app.app_context():
        inspector = _user(users, "inspector")
        ops.issue_decision(inspector, db.session.get(Case, first.id), date(2014, 11, 12))
        db.session.flush()  # number 1, dated 12/11, not committed yet

        def issue_earlier():
            with app.app_context():
                try:
                    ops.issue_decision(_user(users, "inspector"),
                                       db.session.get(Case, second.id), date(2014, 11, 11))
                    db.session.commit()
                    outcome.append("issued")
                except OperationError as exc:
                    db.session.rollback()
                    outcome.append(exc.message)

        thread = threading.Thread(target=issue_earlier)
        thread.start()
        if db.engine.dialect.name == "postgresql":
            for _ in range(3000):  # until the second transaction waits on the series
                if _waiting_on_a_lock(app) or not thread.is_alive():
                    break
                threading.Event().wait(0.01)
        db.session.commit()
    thread.join(60)
    assert len(outcome) == 1 and "12/11/2014" in outcome[0], outcome
    with app.app_context():
        rows = db.session.execute(select(Decision.number, Decision.issued_on)).all()
    assert rows == [(1, date(2014, 11, 12))]


def test_changing_the_issuer_code_continues_the_years_numbers(app, users, make_case,
                                                               login_as):
    make_case(state="decision_issued")
    admin = login_as("admin")
    form = {"parent_name": "SỞ TT&TT TỈNH BẮC GIANG", "agency_name": "THANH TRA SỞ",
            "full_name": "Sở Thông tin và Truyền thông tỉnh Bắc Giang",
            "unit_name": "Thanh tra Sở Thông tin và Truyền thông tỉnh Bắc Giang",
            "short_code": "TTS-BG", "place": "Bắc Giang", "head_title": "Chánh Thanh tra Sở",
            "treasury_account": "Kho bạc Nhà nước tỉnh Bắc Giang",
            "treasury_body": "Kho bạc Nhà nước tỉnh Bắc Giang", "symbol_sanction": "QĐ-XPVPHC",
            "symbol_amend": "QĐ-SĐBS", "symbol_correct": "QĐ-ĐC", "symbol_cancel": "QĐ-HB",
            "symbol_transfer": "QĐ-CHS", "symbol_letter": "STTTT-TTra",
            "symbol_report": "BC-STTTT", "symbol_team": "QĐ-TTra"}
    assert admin.post("/admin/agency", data=form).status_code == 302
    make_case(state="decision_issued")
    with app.app_context():
        rows = db.session.scalars(select(Decision).order_by(Decision.id)).all()
        assert [(d.issuer, d.full_number) for d in rows] == [
            ("STTTT", "01/QĐ-XPVPHC"), ("TTS-BG", "02/QĐ-XPVPHC")]
        assert "Số: 02/QĐ-XPVPHC" in squash(pdf_text(rows[1].pdf))
    # two kinds of document may not print the same symbol (the same numbers twice a year)
    refused = admin.post("/admin/agency", data={**form, "symbol_amend": "qđ-xpvphc"})
    assert refused.status_code == 422
    assert "đã là ký hiệu của loại văn bản khác" in html.unescape(
        refused.get_data(as_text=True))
