"""After the decision (docs/legal/enforcement.md): delivery sent and received, remedial
measures as obligations, payments with a balance, closing only when everything is carried
out or the law ends enforcement, and the move to enforcement the day after the deadline."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import func, select

from auth.models import User
from cases import operations as ops
from cases.models import Case, Obligation, Payment, StatementBatch
from core.models import AuditEvent, Notification
from deadlines.models import Deadline
from extensions import db
from registry.models import Site, SiteStatusChange
from tests.conftest import waive
from tests.helpers import pdf_text, read, squash

MEASURE = "Buộc gỡ bỏ thông tin vi phạm trên trang thông tin điện tử"


def _user(users, name):
    return db.session.get(User, users[name].id)


def decided(app, users, make_case, clock, *, measures=((MEASURE, 5),), site=False,
            deliver_on=date(2014, 11, 7)):
    """A case whose decision of 07/11/2014 (25.000.000 đ) orders `measures`, received on
    `deliver_on` (None: not delivered). Returns the case id."""
    case = make_case(state="record_made")
    with app.app_context():
        inspector, supervisor = _user(users, "inspector"), _user(users, "supervisor")
        live = db.session.get(Case, case.id)
        if site:
            live.site = Site(kind="social_network", name="Diễn đàn Sông Thương",
                             domain="diendansongthuong.net", status="unlicensed",
                             operator_kind="organisation", operator_name=live.subject_name,
                             created_at=clock.now(), updated_at=clock.now())
        for text, days in measures:
            ops.add_measure(inspector, live.violations[0], text, days)
        waive(inspector, live, date(2014, 11, 7))  # the right to explain, waived in writing
        ops.propose_sanction(inspector, live)
        ops.approve_sanction(supervisor, live)
        ops.issue_decision(inspector, live, date(2014, 11, 7))
        if deliver_on:
            ops.record_delivery(inspector, live, deliver_on)
        db.session.commit()
        return live.id


def _obligation(app, case_id) -> Obligation:
    return read(app, lambda: db.session.scalar(select(Obligation).where(
        Obligation.case_id == case_id)))


def test_a_measure_becomes_an_obligation_due_from_receipt_and_printed(app, users, make_case,
                                                                      clock):
    cid = decided(app, users, make_case, clock, deliver_on=None)
    ob = _obligation(app, cid)
    assert ob.state == "pending" and ob.due_on is None
    assert ob.responsible == "Công ty TNHH Truyền thông Sông Thương"
    pdf = read(app, lambda: db.session.get(Case, cid).decision.pdf)
    text = squash(pdf_text(pdf))
    assert squash(f"{MEASURE}, thời hạn thực hiện 05 ngày kể từ ngày nhận được quyết định") \
        in text
    with app.app_context():
        ops.record_delivery(_user(users, "inspector"), db.session.get(Case, cid),
                            date(2014, 11, 10))
        db.session.commit()
    # 5 days from receipt on Monday 10/11/2014 → Saturday 15/11 → Monday 17/11/2014
    assert _obligation(app, cid).due_on == date(2014, 11, 17)


def test_sent_meets_the_delivery_deadline_received_starts_compliance(app, users, make_case,
                                                                     clock):
    cid = decided(app, users, make_case, clock, deliver_on=None)
    client = _login(app, users)
    response = client.post(f"/cases/{cid}/delivery", data={
        "method": "post", "sent_on": "10/11/2014", "delivered_on": ""})
    assert response.status_code == 302
    rows = _deadlines(app, cid)
    assert rows["delivery"].state == "met" and rows["delivery"].met_on == date(2014, 11, 10)
    assert "compliance" not in rows
    assert read(app, lambda: db.session.get(Case, cid).state) == "decision_issued"
    response = client.post(f"/cases/{cid}/delivery", data={
        "method": "post", "sent_on": "10/11/2014", "delivered_on": "12/11/2014"})
    assert response.status_code == 302
    # 10 days from receipt on 12/11/2014 → Saturday 22/11 → Monday 24/11/2014
    assert _deadlines(app, cid)["compliance"].due_on == date(2014, 11, 24)
    assert read(app, lambda: db.session.get(Case, cid).state) == "delivered"


def test_the_case_cannot_close_while_a_measure_is_pending(app, users, make_case, clock):
    cid = decided(app, users, make_case, clock)
    client = _login(app, users)
    for amount, receipt in (("10.000.000", "BL-0001"), ("15.000.000", "BL-0002")):
        response = client.post(f"/cases/{cid}/payment", data={
            "paid_on": "12/11/2014", "amount": amount, "receipt_number": receipt,
            "place": "treasury"})
        assert response.status_code == 302
    state, paid, paid_on = read(app, lambda: (
        db.session.get(Case, cid).state, db.session.get(Case, cid).decision.amount_paid,
        db.session.get(Case, cid).decision.paid_on))
    assert state == "delivered"  # paid in full, the measure still pending
    assert paid == 25_000_000 and paid_on == date(2014, 11, 12)
    page = client.get(f"/cases/{cid}").get_data(as_text=True)
    assert MEASURE in page
    ob = _obligation(app, cid)
    response = client.post(f"/cases/{cid}/obligations/{ob.id}", data={
        f"o{ob.id}-state": "done", f"o{ob.id}-on": "12/11/2014",
        f"o{ob.id}-proof": "confirmation", f"o{ob.id}-confirmation": ""})
    assert response.status_code == 422  # done needs its proof
    response = client.post(f"/cases/{cid}/obligations/{ob.id}", data={
        f"o{ob.id}-state": "done", f"o{ob.id}-on": "12/11/2014",
        f"o{ob.id}-proof": "confirmation",
        f"o{ob.id}-confirmation": "Cục PTTH&TTĐT, công văn số 15/PTTH ngày 12/11/2014"})
    assert response.status_code == 302
    case = read(app, lambda: db.session.get(Case, cid))
    assert case.state == "closed" and case.closed_reason == "complied"
    assert case.closed_on == date(2014, 11, 12)
    closing = read(app, lambda: db.session.scalar(select(AuditEvent).where(
        AuditEvent.case_id == cid, AuditEvent.action == "case.closed")))
    assert "25.000.000" in closing.note


def test_a_second_payment_with_the_same_receipt_and_an_over_payment(app, users, make_case,
                                                                     clock):
    cid = decided(app, users, make_case, clock, measures=())
    client = _login(app, users)
    data = {"paid_on": "12/11/2014", "amount": "20.000.000", "receipt_number": "BL-7",
            "place": "bank"}
    assert client.post(f"/cases/{cid}/payment", data=data).status_code == 302
    again = client.post(f"/cases/{cid}/payment", data=dict(data, amount="5.000.000"))
    assert again.status_code == 422
    assert "BL-7" not in read(app, lambda: [p.receipt_number for p in db.session.scalars(
        select(Payment).where(Payment.amount == 5_000_000))])
    assert client.post(f"/cases/{cid}/payment", data=dict(
        data, amount="6.000.000", receipt_number="BL-8")).status_code == 302
    case = read(app, lambda: db.session.get(Case, cid))
    assert case.state == "closed"  # no measure: paid in full closes
    page = client.get(f"/cases/{cid}").get_data(as_text=True)
    assert "1.000.000" in page  # the over-payment, flagged


def test_the_day_after_the_deadline_the_case_moves_to_enforcement(app, users, make_case,
                                                                  clock):
    from jobs import plan

    cid = decided(app, users, make_case, clock)
    # received Friday 07/11/2014: 10 days → Monday 17/11/2014; the measure 5 days → 12/11
    assert _deadlines(app, cid)["compliance"].due_on == date(2014, 11, 17)
    with app.app_context():
        ops.update_obligation(_user(users, "inspector"),
                              db.session.scalar(select(Obligation)), "enforced",
                              on=date(2014, 11, 12))
        db.session.commit()
    clock.set(date(2014, 11, 17))
    with app.app_context():
        plan()
    assert read(app, lambda: db.session.get(Case, cid).state) == "delivered"
    clock.set(date(2014, 11, 18))
    with app.app_context():
        plan()
        plan()  # a second run finds nothing more to do
    assert read(app, lambda: db.session.get(Case, cid).state) == "enforcement"
    sent = read(app, lambda: db.session.scalars(select(Notification).where(
        Notification.kind == "notice_enforcement")).all())
    assert sorted(n.recipient_email for n in sent) == ["inspector@stttt.example",
                                                      "supervisor@stttt.example"]
    assert "25.000.000" in sent[0].body_text
    page = _login(app, users).get(f"/cases/{cid}").get_data(as_text=True)
    assert "Enforcement" in page or "Cưỡng chế" in page
    # paid 5 days after the last day (17/11): late 18–21/11, 4 days × 12.500 đ
    clock.set(date(2014, 11, 22))
    page = _login(app, users).get(f"/cases/{cid}").get_data(as_text=True)
    assert "50.000" in page


def test_a_pending_measure_alone_moves_the_case(app, users, make_case, clock):
    cid = decided(app, users, make_case, clock)
    with app.app_context():
        case = db.session.get(Case, cid)
        ops.record_payment(_user(users, "inspector"), case, date(2014, 11, 10), 25_000_000)
        db.session.commit()
        clock.set(date(2014, 11, 13))  # the measure was due 12/11
        moved = ops.move_overdue_to_enforcement()
        db.session.commit()
        assert [c.id for c in moved] == [cid]
        assert MEASURE in db.session.scalar(select(AuditEvent.note).where(
            AuditEvent.action == "case.enforcement"))


def test_a_done_measure_updates_the_registry_with_the_case_as_reason(app, users, make_case,
                                                                     clock):
    cid = decided(app, users, make_case, clock, site=True,
                  measures=(("Buộc thu hồi tên miền", 10),))
    with app.app_context():
        ob = db.session.scalar(select(Obligation))
        ops.update_obligation(_user(users, "inspector"), ob, "done", on=date(2014, 11, 11),
                              proof="confirmation",
                              confirmation="VNNIC, công văn số 1203/VNNIC-TM ngày 11/11/2014",
                              site_status="revoked")
        db.session.commit()
        site = db.session.scalar(select(Site))
        assert site.status == "revoked"
        change = db.session.scalar(select(SiteStatusChange).where(
            SiteStatusChange.new_status == "revoked"))
        case = db.session.get(Case, cid)
        assert case.code in change.reason and "Buộc thu hồi tên miền" in change.reason


def test_closing_as_time_barred(app, users, make_case, clock):
    cid = decided(app, users, make_case, clock)
    supervisor = _login(app, users, "supervisor")
    clock.set(date(2015, 11, 7))  # the last day to enforce (1 year from 07/11/2014)
    response = supervisor.post(f"/cases/{cid}/close", data={"grounds": "Không xác minh được."})
    assert response.status_code == 422
    clock.set(date(2015, 11, 9))
    response = supervisor.post(f"/cases/{cid}/close", data={"grounds": "Không xác minh được."})
    assert response.status_code == 422  # the measure survives the limitation
    assert "Article 74" in response.get_data(as_text=True) or \
        "Điều 74" in response.get_data(as_text=True)
    with app.app_context():
        ops.update_obligation(_user(users, "inspector"), db.session.scalar(select(Obligation)),
                              "impossible", on=date(2015, 11, 9),
                              reason="Trang đã ngừng hoạt động, chủ thể giải thể.")
        db.session.commit()
    response = supervisor.post(f"/cases/{cid}/close", data={"grounds": "Không xác minh được."})
    assert response.status_code == 302
    case = read(app, lambda: db.session.get(Case, cid))
    assert case.state == "closed" and case.closed_reason == "time_barred"
    assert "25.000.000" in case.closing_grounds and "07/11/2015" in case.closing_grounds


def _login(app, users, who="inspector"):
    from tests.conftest import login

    client = app.test_client()
    login(client, who)
    return client


def _deadlines(app, cid) -> dict[str, Deadline]:
    def rows():
        out = {}
        for d in db.session.scalars(select(Deadline).where(Deadline.case_id == cid)):
            db.session.expunge(d)
            out[d.key] = d
        return out

    with app.app_context():
        return rows()


def test_the_national_database_export_carries_enforcement_in_constant_queries(
        app, users, make_case, clock):
    from tests.test_dashboard import fetch

    first = decided(app, users, make_case, clock)
    with app.app_context():
        case = db.session.get(Case, first)
        ops.record_payment(_user(users, "inspector"), case, date(2014, 11, 10), 10_000_000,
                           receipt_number="BL-1")
        db.session.commit()
    client = _login(app, users)
    url = "/cases/decisions/national-db.json?from=01/11/2014&to=30/11/2014"
    one, body = fetch(app, client, url)
    import json

    (row,) = json.loads(body)["decisions"]
    assert row["da_nop"] == "10000000" and row["con_phai_nop"] == "15000000"
    assert row["cac_lan_nop"] == "10/11/2014: 10000000 (biên lai BL-1)"
    assert row["bien_phap_khac_phuc"] == MEASURE
    assert row["bien_phap_thuc_hien"] == f"{MEASURE}: chưa thực hiện (hạn 12/11/2014)"
    assert row["tinh_trang_thi_hanh"] == "đang thi hành"
    assert row["trang_thai_vu_viec"] == "đã giao quyết định"
    for _ in range(2):
        decided(app, users, make_case, clock)
    three, body = fetch(app, client, url)
    assert len(json.loads(body)["decisions"]) == 3
    assert three == one


def test_the_dashboard_lists_the_enforcement_queue(app, users, make_case, clock):
    cid = decided(app, users, make_case, clock)
    clock.set(date(2014, 11, 13))
    with app.app_context():
        ops.move_overdue_to_enforcement()
        db.session.commit()
    page = _login(app, users, "supervisor").get("/cases/dashboard").get_data(as_text=True)
    queue = page[page.index('id="enforcement-queue"'):]
    code = read(app, lambda: db.session.get(Case, cid).code)
    assert code in queue[:3000] and "25.000.000" in queue[:3000]


def _statement(rows: list[tuple]) -> bytes:
    lines = ["Số quyết định;Số tiền;Ngày nộp;Số biên lai;Nơi nộp"]
    lines += [";".join(r) for r in rows]
    return ("\n".join(lines) + "\n").encode("utf-8-sig")


def test_a_statement_matches_flags_and_records_in_one_go(app, users, make_case, clock):
    from io import BytesIO

    from openpyxl import Workbook

    first = decided(app, users, make_case, clock, measures=())
    second = decided(app, users, make_case, clock, measures=())
    numbers = read(app, lambda: [db.session.get(Case, c).decision.full_number
                                 for c in (first, second)])
    assert numbers == ["01/QĐ-XPVPHC", "02/QĐ-XPVPHC"]
    client = _login(app, users)
    content = _statement([
        ("1/QĐ-XPVPHC", "25.000.000", "10/11/2014", "KB-0001", "Kho bạc Nhà nước Bắc Giang"),
        ("02/QĐ-XPVPHC", "20.000.000", "11/11/2014", "KB-0002", "Ngân hàng Vietinbank"),
        ("02/QĐ-XPVPHC", "6.000.000", "12/11/2014", "KB-0003", "Kho bạc"),
        ("77/QĐ-XPVPHC", "1.000.000", "12/11/2014", "KB-0004", "Kho bạc"),
        ("01/QĐ-XPVPHC", "25.000.000", "12/11/2014", "KB-0001", "Kho bạc"),
    ])
    response = client.post("/cases/payments/import", data={
        "file": (BytesIO(content), "sao-ke-11-2014.csv")}, content_type="multipart/form-data")
    assert response.status_code == 302
    preview = client.get(response.location).get_data(as_text=True)
    assert read(app, lambda: db.session.scalar(select(func.count()).select_from(Payment))) == 0
    batch = read(app, lambda: db.session.scalar(select(StatementBatch)))
    assert [r["outcome"] for r in batch.rows] == [
        "matched", "matched", "overpaid", "unmatched", "duplicate"]
    assert "1.000.000 đ" in batch.rows[2]["message"]  # over the 5.000.000 balance
    assert "KB-0003" in preview
    response = client.post(response.location, data={})
    assert response.status_code == 302
    paid = read(app, lambda: sorted((p.decision.full_number, p.amount, p.receipt_number,
                                     p.place) for p in db.session.scalars(select(Payment))))
    assert paid == [("01/QĐ-XPVPHC", 25_000_000, "KB-0001", "treasury"),
                    ("02/QĐ-XPVPHC", 6_000_000, "KB-0003", "treasury"),
                    ("02/QĐ-XPVPHC", 20_000_000, "KB-0002", "bank")]
    states = read(app, lambda: [db.session.get(Case, c).state for c in (first, second)])
    assert states == ["closed", "closed"]
    # a second click records nothing more
    client.post(f"/cases/payments/import/{batch.token}", data={})
    assert read(app, lambda: db.session.scalar(select(func.count()).select_from(Payment))) == 3

    # the same layout as an Excel file: nothing left to match
    book = Workbook()
    sheet = book.active
    sheet.append(["Số quyết định", "Số tiền", "Ngày nộp", "Số biên lai"])
    sheet.append(["01/QĐ-XPVPHC", 1000, date(2014, 11, 12), "KB-0009"])
    out = BytesIO()
    book.save(out)
    response = client.post("/cases/payments/import", data={
        "file": (BytesIO(out.getvalue()), "sao-ke.xlsx")}, content_type="multipart/form-data")
    assert response.status_code == 302
    rows = read(app, lambda: db.session.scalars(select(StatementBatch)
                                                .order_by(StatementBatch.id.desc())).first().rows)
    assert [r["outcome"] for r in rows] == ["refused"]  # the case is closed


def test_a_statement_without_the_columns_is_refused(app, users, make_case, clock):
    from io import BytesIO

    client = _login(app, users)
    response = client.post("/cases/payments/import", data={
        "file": (BytesIO(b"a;b\n1;2\n"), "x.csv")}, content_type="multipart/form-data")
    assert response.status_code == 422


def test_complaint_time_limits():
    from legal.enforcement import complaint_days, enforcement_continues_during_complaint

    assert complaint_days()[0] == 30
    assert complaint_days(complex_case=True)[0] == 45
    assert complaint_days(remote=True)[0] == 45
    assert complaint_days(remote=True, complex_case=True)[0] == 60
    assert complaint_days(second=True)[0] == 45
    assert complaint_days(second=True, remote=True, complex_case=True)[0] == 70
    assert "Điều 28" in complaint_days()[1] and "Điều 37" in complaint_days(second=True)[1]
    assert enforcement_continues_during_complaint()


def test_a_complaint_that_cancels_the_decision(app, users, make_case, clock):
    cid = decided(app, users, make_case, clock)
    inspector = _login(app, users)
    response = inspector.post(f"/cases/{cid}/complaints", data={
        "complainant": "Công ty TNHH Truyền thông Sông Thương", "received_on": "10/11/2014",
        "accepted_on": "11/11/2014", "settler": "Chánh Thanh tra Sở",
        "summary": "Công ty cho rằng đã nộp hồ sơ xin phép trước ngày kiểm tra."})
    assert response.status_code == 302
    # 30 days from acceptance on 11/11/2014 → Thursday 11/12/2014
    assert _deadlines(app, cid)["complaint_settlement:1"].due_on == date(2014, 12, 11)
    # enforcement goes on meanwhile: the measure's deadline passes, the case moves on
    clock.set(date(2014, 11, 13))
    with app.app_context():
        assert [c.id for c in ops.move_overdue_to_enforcement()] == [cid]
        db.session.commit()
    complaint_id = read(app, lambda: db.session.get(Case, cid).complaints[0].id)
    data = {f"cs{complaint_id}-outcome": "cancel", f"cs{complaint_id}-outcome_on": "13/11/2014",
            f"cs{complaint_id}-outcome_note": "Hồ sơ xin phép nộp ngày 01/10/2014, trước "
                                             "ngày lập biên bản.",
            f"cs{complaint_id}-content": "Hủy bỏ toàn bộ Quyết định số 01/QĐ-XPVPHC."}
    # only a supervisor signs the cancelling decision
    assert inspector.post(f"/cases/{cid}/complaints/{complaint_id}/settle",
                          data=data).status_code == 403
    response = _login(app, users, "supervisor").post(
        f"/cases/{cid}/complaints/{complaint_id}/settle", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with app.app_context():
        case = db.session.get(Case, cid)
        complaint = case.complaints[0]
        assert complaint.outcome == "cancel" and complaint.correction.kind == "cancel"
        assert case.state == "record_made" and case.decision is None
        assert [d.status for d in case.decisions if d.kind == "sanction"] == ["cancelled"]
        text = squash(pdf_text(complaint.correction.pdf))
        assert squash("Hủy bỏ toàn bộ Quyết định số 01/QĐ-XPVPHC") in text
        met = db.session.scalar(select(Deadline).where(
            Deadline.case_id == cid, Deadline.key == "complaint_settlement:1"))
        assert met is None or met.state in ("met", "cancelled")


def test_a_suspended_enforcement_does_not_move_the_case(app, users, make_case, clock):
    cid = decided(app, users, make_case, clock)
    with app.app_context():
        ops.record_complaint(_user(users, "inspector"), db.session.get(Case, cid),
                             complainant="Công ty", received_on=date(2014, 11, 10),
                             accepted_on=date(2014, 11, 10), settler="Chánh Thanh tra Sở",
                             suspended=True)
        db.session.commit()
        clock.set(date(2014, 11, 20))
        assert ops.move_overdue_to_enforcement() == []


def test_an_instalment_plan_is_refused_when_the_law_s_conditions_fail(app, users, make_case,
                                                                      clock):
    cid = decided(app, users, make_case, clock, measures=())
    response = _login(app, users).post(f"/cases/{cid}/instalments", data={
        "requested_on": "10/11/2014", "grounds": "Doanh nghiệp đang thua lỗ.",
        "confirmed_by": "", "schedule": "20/11/2014: 10.000.000\n20/06/2015: 15.000.000"})
    assert response.status_code == 302
    plan_id = read(app, lambda: db.session.get(Case, cid).instalment_plans[0].id)
    page = _login(app, users, "supervisor").post(
        f"/cases/{cid}/instalments/{plan_id}/grant",
        data={f"p{plan_id}-decided_on": "11/11/2014"})
    assert page.status_code == 422
    text = page.get_data(as_text=True)
    # a company fined 25.000.000 đ: below the 200.000.000 đ of Art. 79 (2012 text), no
    # hardship confirmed, the last instalment past 6 months from the decision of 07/11/2014
    assert "200.000.000" in text and "07/05/2015" in text and "xác nhận" in text
    assert read(app, lambda: db.session.get(Case, cid).instalment_plans[0].state) == "requested"
    refused = _login(app, users, "supervisor").post(
        f"/cases/{cid}/instalments/{plan_id}/refuse",
        data={f"p{plan_id}-decided_on": "11/11/2014",
              f"p{plan_id}-note": "Không đủ điều kiện theo Điều 79."})
    assert refused.status_code == 302
    assert read(app, lambda: db.session.get(Case, cid).instalment_plans[0].state) == "refused"


def test_a_granted_plan_replaces_the_time_to_comply(app, users, make_case, clock):
    from cases.models import InstalmentPlan

    cid = decided(app, users, make_case, clock, measures=())
    with app.app_context():
        case = db.session.get(Case, cid)
        # a plan as granted (a fine this size cannot qualify: the data is set up directly)
        db.session.add(InstalmentPlan(
            case_id=cid, decision_id=case.decision.id, requested_on=date(2014, 11, 10),
            grounds="x", confirmed_by="UBND xã", state="granted", decided_on=date(2014, 11, 11),
            schedule=[{"due_on": "2014-11-20", "amount": 10_000_000},
                      {"due_on": "2014-12-20", "amount": 15_000_000}],
            recorded_at=clock.now()))
        db.session.flush()
        clock.set(date(2014, 11, 19))
        ops.record_payment(_user(users, "inspector"), case, date(2014, 11, 19), 10_000_000)
        db.session.commit()
    rows = _deadlines(app, cid)
    assert rows["compliance"].state == "cancelled"  # the instalments replace it
    first, second = rows["instalment_due:1:1"], rows["instalment_due:1:2"]
    assert (first.due_on, first.state) == (date(2014, 11, 20), "met")
    assert (second.due_on, second.state) == (date(2014, 12, 20), "open")
    clock.set(date(2014, 12, 20))
    with app.app_context():
        assert ops.move_overdue_to_enforcement() == []
    clock.set(date(2014, 12, 24))
    with app.app_context():
        assert [c.id for c in ops.move_overdue_to_enforcement()] == [cid]
        db.session.commit()
    # late on 21, 22 and 23/12: 15.000.000 × 0,05 % × 3 = 22.500 đ
    page = _login(app, users).get(f"/cases/{cid}").get_data(as_text=True)
    assert "22.500" in page


def test_a_coercion_decision_issued_and_read_back(app, users, make_case, clock):
    cid = decided(app, users, make_case, clock)
    clock.set(date(2014, 11, 18))  # the day after the last day to pay (17/11/2014)
    with app.app_context():
        ops.move_overdue_to_enforcement()
        db.session.commit()
    clock.set(date(2014, 11, 24))
    inspector = _login(app, users)
    response = inspector.post(f"/cases/{cid}/coercion", data={
        "method": "account",
        "details": "Tài khoản số 0123456789 tại Ngân hàng TMCP Công Thương, chi nhánh "
                   "Bắc Giang."})
    assert response.status_code == 302
    kid = read(app, lambda: db.session.get(Case, cid).coercions[0].id)
    # the proposer cannot sign it; another supervisor can
    assert inspector.post(f"/cases/{cid}/coercion/{kid}/issue",
                          data={f"k{kid}-issued_on": "24/11/2014"}).status_code == 403
    response = _login(app, users, "supervisor").post(
        f"/cases/{cid}/coercion/{kid}/issue", data={f"k{kid}-issued_on": "24/11/2014"})
    assert response.status_code == 302
    pdf = inspector.get(f"/cases/{cid}/coercion/{kid}.pdf")
    assert pdf.status_code == 200
    text = squash(pdf_text(pdf.data))
    # late on 18–23/11/2014: 6 days × 12.500 đ = 75.000 đ on 25.000.000 đ unpaid
    assert squash("Số: 01/QĐ-CCXP") in text
    assert squash("Quyết định xử phạt vi phạm hành chính số 01/QĐ-XPVPHC ngày 07/11/2014") \
        in text
    assert squash("khấu trừ tiền từ tài khoản tại tổ chức tín dụng") in text
    assert squash("Số tiền bị cưỡng chế: 25.075.000 đồng") in text
    assert squash("tiền chậm nộp phạt tính đến ngày 24/11/2014 là 75.000 đồng") in text
    assert squash("(Bằng chữ: Hai mươi lăm triệu không trăm bảy mươi lăm nghìn đồng)") in text
    assert squash("gồm: tiền phạt chưa nộp 25.000.000 đồng") in text
    assert "Nghị định số 166/2013/NĐ-CP" in pdf_text(pdf.data)
    with app.app_context():
        import hashlib

        row = db.session.get(Case, cid).coercions[0]
        assert hashlib.sha256(row.pdf).hexdigest() == row.sha256


def test_coercion_of_the_fine_is_refused_after_the_limitation(app, users, make_case, clock):
    cid = decided(app, users, make_case, clock)
    clock.set(date(2014, 11, 18))
    with app.app_context():
        ops.move_overdue_to_enforcement()
        db.session.commit()
    clock.set(date(2015, 11, 9))  # the limitation ended on 07/11/2015
    response = _login(app, users).post(f"/cases/{cid}/coercion", data={
        "method": "account", "details": "Tài khoản số 0123456789."})
    assert response.status_code == 422
    assert "07/11/2015" in response.get_data(as_text=True)
    # the measure may still be enforced
    response = _login(app, users).post(f"/cases/{cid}/coercion", data={
        "method": "remedial", "details": "Gỡ bỏ thông tin vi phạm."})
    assert response.status_code == 302


def test_the_sanction_statistics_as_pdf_and_xlsx(app, users, make_case, clock):
    from io import BytesIO

    from openpyxl import load_workbook

    cid = decided(app, users, make_case, clock)
    with app.app_context():
        ops.record_payment(_user(users, "inspector"), db.session.get(Case, cid),
                           date(2014, 11, 10), 10_000_000)
        db.session.commit()
    client = _login(app, users)
    query = "?from=01/11/2014&to=30/11/2014"
    page = client.get(f"/cases/statistics{query}").get_data(as_text=True)
    assert "Số quyết định xử phạt đã ban hành" in page
    book = load_workbook(BytesIO(client.get(f"/cases/statistics.xlsx{query}").data))
    values = {row[0]: row[1] for row in book.active.iter_rows(min_row=2, values_only=True)}
    assert values["Số quyết định xử phạt đã ban hành"] == 1
    assert values["Tổng số tiền phạt theo quyết định (đồng)"] == 25_000_000
    assert values["Số tiền phạt đã thu trong kỳ (đồng)"] == 10_000_000
    assert values["Số biện pháp khắc phục hậu quả đã áp dụng"] == 1
    text = squash(pdf_text(client.get(f"/cases/statistics.pdf{query}").data))
    assert squash("Từ ngày 01/11/2014 đến ngày 30/11/2014") in text
    assert squash("Số tiền phạt đã thu trong kỳ (đồng) 10.000.000") in text


def test_coercion_of_the_fine_waits_for_its_last_day_to_pay(app, users, make_case, clock):
    """Art. 86: coercion enforces a decision not complied with after its time limit. A case
    in enforcement because a measure is late (due 12/11/2014) may not have its fine coerced
    before the last day to pay (17/11/2014) has passed, and its next step says so."""
    cid = decided(app, users, make_case, clock)
    clock.set(date(2014, 11, 13))
    with app.app_context():
        assert [c.id for c in ops.move_overdue_to_enforcement()] == [cid]
        db.session.commit()
    client = _login(app, users)
    page = client.get(f"/cases/{cid}").get_data(as_text=True)
    assert "thu tiền chậm nộp phạt" not in page
    assert "có thể nộp đến ngày 17/11/2014" in page
    for method in ("salary", "account", "distraint", "third_party"):
        response = client.post(f"/cases/{cid}/coercion", data={
            "method": method, "details": "Công ty TNHH Truyền thông Sông Thương, lương tháng 11."})
        assert response.status_code == 422, method
        text = response.get_data(as_text=True)
        assert "chưa quá hạn" in text and "17/11/2014" in text
    assert read(app, lambda: db.session.get(Case, cid).coercions) == []
    # the late measure may be enforced now; the fine once 17/11/2014 has passed
    assert client.post(f"/cases/{cid}/coercion", data={
        "method": "remedial", "details": "Gỡ bỏ thông tin vi phạm."}).status_code == 302
    clock.set(date(2014, 11, 18))
    page = client.get(f"/cases/{cid}").get_data(as_text=True)
    assert "thu tiền chậm nộp phạt" in page


def test_a_measure_is_not_coerced_before_its_deadline(app, users, make_case, clock):
    cid = decided(app, users, make_case, clock, measures=((MEASURE, 30),))
    clock.set(date(2014, 11, 18))  # the fine is late; the measure is due 07/12/2014
    with app.app_context():
        ops.move_overdue_to_enforcement()
        db.session.commit()
    response = _login(app, users).post(f"/cases/{cid}/coercion", data={
        "method": "remedial", "details": "Gỡ bỏ thông tin vi phạm."})
    assert response.status_code == 422
    assert "Không có biện pháp khắc phục hậu quả nào quá hạn" in response.get_data(as_text=True)


def test_an_over_payment_is_warned_stated_on_closing_and_kept_apart_in_statistics(
        app, users, make_case, clock):
    from cases.statistics import figures

    cid = decided(app, users, make_case, clock, measures=())  # 25.000.000 đ, no measure
    client = _login(app, users)
    assert client.post(f"/cases/{cid}/payment", data={
        "paid_on": "10/11/2014", "amount": "20.000.000", "receipt_number": "BL-0001",
        "place": "treasury"}).status_code == 302
    response = client.post(f"/cases/{cid}/payment", data={
        "paid_on": "12/11/2014", "amount": "10.000.001", "receipt_number": "BL-0002",
        "place": "treasury"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "30.000.001 đ" in page and "5.000.001 đ" in page and "25.000.000 đ" in page
    case = read(app, lambda: db.session.get(Case, cid))
    assert case.state == "closed"
    assert "30.000.001" in case.closing_grounds and "5.000.001" in case.closing_grounds
    with app.app_context():
        rows = {code: value for code, _label, value in figures(date(2014, 11, 1),
                                                                date(2014, 11, 30))}
        assert (rows["fines_collected"], rows["fines_overpaid"]) == (25_000_000, 5_000_001)
        # a period holding only the second payment: 5.000.000 đ of it was owed
        rows = {code: value for code, _label, value in figures(date(2014, 11, 11),
                                                                date(2014, 11, 30))}
        assert (rows["fines_collected"], rows["fines_overpaid"]) == (5_000_000, 5_000_001)


def test_a_treasury_row_with_the_fine_and_its_surcharge_is_no_over_payment(
        app, users, make_case, clock):
    """The Treasury collects a late fine together with its surcharge (Law 15/2012/QH13
    Art. 78(1)): 25.000.000 đ due by 17/11/2014 paid on 20/11 (late on 18 and 19/11) as one
    row of 25.025.000 đ is matched, not flagged; the case closes; the statistics count
    25.000.000 đ collected and nothing to refund. A row beyond both is flagged for the rest
    only."""
    from io import BytesIO

    from cases.statistics import figures

    late = decided(app, users, make_case, clock, measures=())
    beyond = decided(app, users, make_case, clock, measures=())
    clock.set(date(2014, 11, 20))
    client = _login(app, users)
    content = _statement([
        ("01/QĐ-XPVPHC", "25.025.000", "20/11/2014", "KB-0101", "Kho bạc"),
        ("02/QĐ-XPVPHC", "25.026.000", "20/11/2014", "KB-0102", "Kho bạc")])
    response = client.post("/cases/payments/import", data={
        "file": (BytesIO(content), "sao-ke.csv")}, content_type="multipart/form-data")
    assert response.status_code == 302
    batch = read(app, lambda: db.session.scalar(select(StatementBatch)))
    assert [r["outcome"] for r in batch.rows] == ["matched", "overpaid"]
    assert "1.000 đ" in batch.rows[1]["message"]
    assert client.post(response.location, data={}).status_code == 302
    states = read(app, lambda: [db.session.get(Case, c).state for c in (late, beyond)])
    assert states == ["closed", "closed"]
    with app.app_context():
        rows = {code: value for code, _label, value in figures(date(2014, 11, 1),
                                                                date(2014, 11, 30))}
    assert (rows["fines_collected"], rows["fines_overpaid"]) == (50_000_000, 1_000)


def test_the_directive_report_counts_money_collected_in_its_period_up_to_what_is_owed(
        app, users, make_case, clock):
    """The Ministry report's "đã thu" is the money collected in the period: a part payment
    counts when it is paid (not only once the fine is paid in full), an over-payment counts
    only up to what the decision owes (the excess is to be refunded, never "collected")."""
    from registry.report import figures as report_figures

    part = decided(app, users, make_case, clock, measures=())  # 25.000.000 đ
    over = decided(app, users, make_case, clock, measures=())  # 25.000.000 đ
    with app.app_context():
        inspector = _user(users, "inspector")
        ops.record_payment(inspector, db.session.get(Case, part), date(2014, 11, 10),
                           10_000_000)
        ops.record_payment(inspector, db.session.get(Case, over), date(2014, 11, 10),
                           20_000_000)
        ops.record_payment(inspector, db.session.get(Case, over), date(2014, 11, 12),
                           10_000_001)
        db.session.commit()
        whole = report_figures(date(2014, 11, 1), date(2014, 11, 30))
        second_only = report_figures(date(2014, 11, 11), date(2014, 11, 30))
    assert whole["collected"] == 10_000_000 + 25_000_000
    assert second_only["collected"] == 5_000_000  # of the 10.000.001 đ, 5.000.000 đ was owed



def _swept(app, clock, day, cid=None) -> None:
    """The night's sweep on `day` moves the case `cid` to enforcement (None: moves none)."""
    clock.set(day)
    with app.app_context():
        assert [c.id for c in ops.move_overdue_to_enforcement()] == ([cid] if cid else [])
        db.session.commit()


def _carried_out(app, users, cid, on) -> None:
    """The case's measure recorded as carried out on `on`, confirmed by a letter."""
    with app.app_context():
        ob = db.session.get(Obligation, _obligation(app, cid).id)
        ops.update_obligation(_user(users, "inspector"), ob, "done", on=on,
                              proof="confirmation", confirmation="Công văn số 12/STTTT")
        db.session.commit()


def test_instalments_granted_after_the_move_to_enforcement_take_the_case_back(
        app, users, make_case, clock):
    """A person fined 25.000.000 đ for two violations on 07/11/2014 (received the same day:
    last day to pay 17/11/2014) asks on 12/11 to pay in two instalments, hardship confirmed
    by the commune (Law 15/2012/QH13 Art. 79: from 20.000.000 đ for a person). The request
    waits; the night's sweep of 18/11 moves the case to enforcement; the plan is granted on
    19/11: nothing is late any more, so the case goes back to waiting for compliance
    (case.enforcement_lifted) and is moved again only once an instalment's day passes
    unpaid."""
    cid = make_case("verifying", subject_kind="individual", subject_name="Nguyễn Văn Bình").id
    with app.app_context():
        inspector, supervisor = _user(users, "inspector"), _user(users, "supervisor")
        live = db.session.get(Case, cid)
        for n in (1, 2):
            ops.add_violation(inspector, live, clause_id="174/2013/NĐ-CP:63.3",
                              description=f"Thiết lập mạng xã hội thứ {n} không phép.")
        ops.make_record(inspector, live, number="01/BB-VPHC", made_on=date(2014, 11, 7),
                        place="Trụ sở Sở")
        waive(inspector, live, date(2014, 11, 7))
        ops.propose_sanction(inspector, live)
        ops.approve_sanction(supervisor, live)
        ops.issue_decision(inspector, live, date(2014, 11, 7))
        ops.record_delivery(inspector, live, date(2014, 11, 7))
        assert live.decision.total_fine == 25_000_000  # 2 × 12.500.000 đ, the middle
        ops.request_instalments(
            inspector, live, requested_on=date(2014, 11, 12),
            grounds="Gia đình gặp hỏa hoạn.", confirmed_by="UBND xã Nham Biền",
            schedule=[(date(2014, 12, 15), 10_000_000), (date(2015, 2, 16), 15_000_000)])
        db.session.commit()
    _swept(app, clock, date(2014, 11, 18), cid)
    assert read(app, lambda: db.session.get(Case, cid).state) == "enforcement"
    plan_id = read(app, lambda: db.session.get(Case, cid).instalment_plans[0].id)
    clock.set(date(2014, 11, 19))
    response = _login(app, users, "supervisor").post(
        f"/cases/{cid}/instalments/{plan_id}/grant",
        data={f"p{plan_id}-decided_on": "19/11/2014"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert read(app, lambda: db.session.get(Case, cid).state) == "delivered"
    events = read(app, lambda: db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.case_id == cid).order_by(AuditEvent.id)).all())
    assert events.index("case.enforcement_lifted") > events.index("instalments.granted")
    # the first instalment's day (15/12/2014) is not late; the day after it is
    _swept(app, clock, date(2014, 12, 15))
    _swept(app, clock, date(2014, 12, 16), cid)


def test_a_late_payment_in_full_takes_the_case_back_while_a_measure_is_still_on_time(
        app, users, make_case, clock):
    """Received 07/11/2014: the fine is due by 17/11, the measure (30 days) by 07/12. The
    sweep of 18/11 moves the case to enforcement for the unpaid fine. Paid in two parts on
    20/11, late on 18 and 19/11: the fine is paid but its late-payment surcharge is not (Law
    15/2012/QH13 Art. 78(1): 0,05 % a day, 2 × 12.500 đ = 25.000 đ), so the case stays in
    enforcement; once the surcharge is paid nothing is late any more and the case goes back
    to waiting for the measure; it closes once the measure is carried out."""
    cid = decided(app, users, make_case, clock, measures=((MEASURE, 30),))
    _swept(app, clock, date(2014, 11, 18), cid)
    client = _login(app, users)
    clock.set(date(2014, 11, 20))
    for amount, receipt, state in (("10.000.000", "BL-0001", "enforcement"),
                                   ("15.000.000", "BL-0002", "enforcement"),
                                   ("25.000", "BL-0003", "delivered")):
        response = client.post(f"/cases/{cid}/payment", data={
            "paid_on": "20/11/2014", "amount": amount, "receipt_number": receipt,
            "place": "treasury"})
        assert response.status_code == 302
        assert read(app, lambda: db.session.get(Case, cid).state) == state
        if receipt == "BL-0002":  # the fine paid, its surcharge not
            page = client.get(f"/cases/{cid}").get_data(as_text=True)
            assert "chưa nộp tiền chậm nộp phạt 25.000 đ" in page
            assert "thu tiền chậm nộp phạt 25.000 đ (khoản 1 Điều 78)" in page
            assert "Nộp thừa" not in page
    events = read(app, lambda: db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.case_id == cid).order_by(AuditEvent.id)).all())
    assert events[-2:] == ["payment.recorded", "case.enforcement_lifted"]
    page = client.get(f"/cases/{cid}").get_data(as_text=True)
    assert "Tiền chậm nộp phạt đã nộp: 25.000 đ trên 25.000 đ." in page
    assert "Nộp thừa" not in page
    # the fine and its surcharge are paid: the next step waits for the measure alone
    assert "chờ thực hiện biện pháp đến hết thời hạn; sau đó cưỡng chế." in page
    assert "Trở lại “Đã giao quyết định”: không còn nghĩa vụ quá hạn" in page
    _swept(app, clock, date(2014, 11, 20))  # the measure's day has not passed
    # carried out on 19/11, recorded on the 21st: the case complied on the day of its last
    # payment (20/11), not on the day of the measure nor of its recording
    clock.set(date(2014, 11, 21))
    _carried_out(app, users, cid, date(2014, 11, 19))
    case = read(app, lambda: db.session.get(Case, cid))
    assert (case.state, case.closed_on) == ("closed", date(2014, 11, 20))
    assert "Đã nộp tiền chậm nộp phạt 25.000 đ (khoản 1 Điều 78)." in case.closing_grounds


def test_a_fine_paid_late_without_its_surcharge_is_moved_to_enforcement(
        app, users, make_case, clock):
    """Paid in full on 19/11/2014, late by one day (18/11; the day paid does not count),
    before any sweep: the surcharge (12.500 đ) is unpaid, so the night's sweep moves the case
    to enforcement for it, saying so; paying beyond the fine and the surcharge is an
    over-payment of the rest only."""
    cid = decided(app, users, make_case, clock, measures=())
    clock.set(date(2014, 11, 19))
    client = _login(app, users)
    assert client.post(f"/cases/{cid}/payment", data={
        "paid_on": "19/11/2014", "amount": "25.000.000", "receipt_number": "BL-0001",
        "place": "treasury"}).status_code == 302
    assert read(app, lambda: db.session.get(Case, cid).state) == "delivered"
    # the time to enforce is not over while the surcharge is unpaid (Art. 74(1), 78(1)); the
    # payment form proposes the surcharge
    limit = _deadlines(app, cid)["enforcement_limit"]
    assert (limit.state, limit.met_on) == ("open", None)
    page = client.get(f"/cases/{cid}").get_data(as_text=True)
    assert re.search(r'name="amount"[^>]*value="12\.500"', page) or \
        re.search(r'value="12\.500"[^>]*name="amount"', page)
    _swept(app, clock, date(2014, 11, 20), cid)
    note = read(app, lambda: db.session.scalars(select(AuditEvent.note).where(
        AuditEvent.case_id == cid, AuditEvent.action == "case.enforcement")).one())
    assert "chưa nộp tiền chậm nộp phạt 12.500 đ" in note
    # the surcharge alone may be enforced (Art. 86): the coercion decision's amount is it
    clock.set(date(2014, 11, 20))
    assert client.post(f"/cases/{cid}/coercion", data={
        "method": "account", "details": "Tài khoản số 0123456789."}).status_code == 302
    kid = read(app, lambda: db.session.get(Case, cid).coercions[0].id)
    assert _login(app, users, "supervisor").post(
        f"/cases/{cid}/coercion/{kid}/issue",
        data={f"k{kid}-issued_on": "20/11/2014"}).status_code == 302
    text = squash(pdf_text(client.get(f"/cases/{cid}/coercion/{kid}.pdf").data))
    assert squash("Số tiền bị cưỡng chế: 12.500 đồng") in text
    assert client.post(f"/cases/{cid}/payment", data={
        "paid_on": "20/11/2014", "amount": "112.500", "receipt_number": "BL-0002",
        "place": "treasury"}).status_code == 302
    assert read(app, lambda: db.session.get(Case, cid).state) == "closed"
    grounds = read(app, lambda: db.session.get(Case, cid).closing_grounds)
    assert "Đã nộp tiền chậm nộp phạt 12.500 đ" in grounds
    assert "100.000 đ" in grounds  # more than owed, to be refunded
    limit = _deadlines(app, cid)["enforcement_limit"]
    assert (limit.state, limit.met_on) == ("met", date(2014, 11, 20))


def test_a_measure_carried_out_late_takes_the_case_back_while_the_fine_is_on_time(
        app, users, make_case, clock):
    """Received 07/11/2014: the measure (5 days) is due by 12/11, the fine by 17/11. The
    sweep of 13/11 moves the case to enforcement for the measure; carried out on 14/11,
    nothing is late any more: back to waiting for the fine, moved again only if it is not
    paid by 17/11."""
    cid = decided(app, users, make_case, clock)
    _swept(app, clock, date(2014, 11, 13), cid)
    clock.set(date(2014, 11, 14))
    _carried_out(app, users, cid, date(2014, 11, 14))
    assert read(app, lambda: db.session.get(Case, cid).state) == "delivered"
    _swept(app, clock, date(2014, 11, 17))
    _swept(app, clock, date(2014, 11, 18), cid)


def test_a_coercion_decision_keeps_the_case_in_enforcement_after_a_late_payment(
        app, users, make_case, clock):
    """Once a coercion decision is issued (Law 15/2012/QH13 Art. 86), paying does not take
    the case back to waiting: it stays in enforcement until closed."""
    cid = decided(app, users, make_case, clock, measures=((MEASURE, 30),))
    _swept(app, clock, date(2014, 11, 18), cid)
    clock.set(date(2014, 11, 24))
    assert _login(app, users).post(f"/cases/{cid}/coercion", data={
        "method": "account", "details": "Tài khoản số 0123456789."}).status_code == 302
    kid = read(app, lambda: db.session.get(Case, cid).coercions[0].id)
    assert _login(app, users, "supervisor").post(
        f"/cases/{cid}/coercion/{kid}/issue",
        data={f"k{kid}-issued_on": "24/11/2014"}).status_code == 302
    assert _login(app, users).post(f"/cases/{cid}/payment", data={
        "paid_on": "24/11/2014", "amount": "25.075.000", "receipt_number": "BL-0009",
        "place": "treasury"}).status_code == 302
    assert read(app, lambda: db.session.get(Case, cid).state) == "enforcement"
