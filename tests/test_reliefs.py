"""Postponing the fine (Law 15/2012/QH13 Art. 76) and reducing or exempting its rest
(Art. 77): the law's conditions as data, the decision on the violator's request and its
effect on what is owed, the last day to pay, the surcharge and closing
(docs/legal/enforcement.md#postponement)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from auth.models import User
from cases import operations as ops
from cases.enforcement import standing
from cases.models import Case, Decision, FineRelief
from core.errors import OperationError
from core.models import AuditEvent
from deadlines.models import Deadline
from extensions import db
from legal.enforcement import (
    late_payment_surcharge,
    postponement_refusals,
    postponement_rule,
    postponement_until,
    reduction_refusals,
    reduction_rule,
)
from tests.conftest import login, waive
from tests.helpers import read

PERSON = "Nguyễn Văn Bình"
# a provision whose range the catalogue does not know: any fine within the field's bounds
ANY_FINE = "174/2013/NĐ-CP:unplaced.not-removing-on-request"


def _user(users, name):
    return db.session.get(User, users[name].id)


def _login(app, users, name="inspector"):
    client = app.test_client()
    login(client, name)
    return client


def decided(app, users, make_case, *, fine=5_000_000, subject_kind="individual",
            measures=(), deliver_on=date(2014, 11, 7)):
    """A case decided on 07/11/2014 fining `subject_kind` `fine` đồng, received on
    `deliver_on`: 10 days to pay, the last day Monday 17/11/2014. Returns its id."""
    case = make_case(state="record_made", subject_kind=subject_kind,
                     subject_name=PERSON if subject_kind == "individual"
                     else "Công ty TNHH Truyền thông Sông Thương", fine_amount=fine,
                     clause_id=ANY_FINE)
    with app.app_context():
        inspector, supervisor = _user(users, "inspector"), _user(users, "supervisor")
        live = db.session.get(Case, case.id)
        for text, days in measures:
            ops.add_measure(inspector, live.violations[0], text, days)
        waive(inspector, live, date(2014, 11, 7))
        ops.propose_sanction(inspector, live)
        ops.approve_sanction(supervisor, live)
        ops.issue_decision(inspector, live, date(2014, 11, 7))
        ops.record_delivery(inspector, live, deliver_on)
        db.session.commit()
        assert live.decision.total_fine == fine
        return live.id


# ---- the law's conditions, as data ---------------------------------------------------------
def test_the_texts_in_force_and_their_status():
    old, new = postponement_rule(date(2014, 11, 7)), postponement_rule(date(2022, 1, 1))
    assert (old.individual_min, old.organisation_min, old.max_months, old.decide_days) == \
        (3_000_000, None, 3, 5)
    assert old.status == "P" and "Điều 76" in old.basis
    assert (new.individual_min, new.organisation_min) == (2_000_000, 100_000_000)
    assert new.status == "U" and not new.verified  # the amended clause 2 was not read
    assert reduction_rule(date(2014, 11, 7)).forward_days == 3
    assert reduction_rule(date(2022, 1, 1)).requires_postponement is True


def test_postponement_conditions_name_each_failure():
    # 2012 text: an individual from 3.000.000 đ, the hardship confirmed, at most 3 months
    failed = postponement_refusals("individual", 2_500_000, date(2014, 11, 7), "fire",
                                   confirmed=False, months=4)
    assert len(failed) == 3
    assert "3.000.000" in failed[0] and "xác nhận" in failed[1] and "03 tháng" in failed[2]
    assert postponement_refusals("individual", 3_000_000, date(2014, 11, 7), "fire",
                                 True, 3) == []
    # organisations may not ask under the 2012 text; from 2022 from 100.000.000 đ
    assert "cá nhân" in postponement_refusals("organisation", 500_000_000, date(2014, 11, 7),
                                              "fire", True, 3)[0]
    assert "100.000.000" in postponement_refusals("organisation", 50_000_000,
                                                  date(2022, 3, 1), "fire", True, 3)[0]
    # from 2022 an individual from 2.000.000 đ; an illness needs the medical confirmation too
    assert postponement_refusals("individual", 2_000_000, date(2022, 3, 1), "fire",
                                 True, 3) == []
    assert "cơ sở khám bệnh" in " ".join(postponement_refusals(
        "individual", 2_000_000, date(2022, 3, 1), "illness", True, 3))
    # a cause the law does not name
    assert "thiên tai" in postponement_refusals("individual", 5_000_000, date(2014, 11, 7),
                                                None, True, 3)[0]


def test_reduction_conditions():
    ok = reduction_refusals("individual", 5_000_000, date(2014, 11, 7), "illness", True,
                            exemption=False, amount_vnd=2_000_000, rest_vnd=5_000_000,
                            postponed=False)
    assert ok == []
    too_much = reduction_refusals("individual", 5_000_000, date(2014, 11, 7), "illness", True,
                                  exemption=False, amount_vnd=5_000_000, rest_vnd=5_000_000,
                                  postponed=False)
    assert "5.000.000" in too_much[0]
    # from 2022 only a fine already postponed may be reduced
    assert "đã được hoãn" in reduction_refusals(
        "individual", 5_000_000, date(2022, 3, 1), "fire", True, exemption=True,
        amount_vnd=0, rest_vnd=5_000_000, postponed=False)[0]


def test_postponement_until_counts_months_from_its_decision():
    assert postponement_until(date(2014, 11, 12), 3) == date(2015, 2, 12)
    assert postponement_until(date(2014, 11, 30), 3) == date(2015, 2, 28)


def test_the_surcharge_skips_excluded_days():
    # 5.000.000 đ due 17/02/2015, paid 25/02: late 18–24/02 = 7 days; 3 of them excluded
    assert late_payment_surcharge(5_000_000, date(2015, 2, 17), date(2015, 2, 25)) == 17_500
    assert late_payment_surcharge(5_000_000, date(2015, 2, 17), date(2015, 2, 25),
                                  [(date(2015, 2, 18), date(2015, 2, 20))]) == 10_000


# ---- postponement ---------------------------------------------------------------------------
def _request(client, cid, **data):
    base = {"kind": "postponement", "requested_on": "12/11/2014",
            "grounds": "Nhà bị cháy ngày 09/11/2014, mất toàn bộ tài sản.", "cause": "fire",
            "confirmed_by": "UBND xã Tân Liễu, xác nhận ngày 11/11/2014", "months": "3",
            "amount": "", "forwarded_on": ""}
    base.update(data)
    return client.post(f"/cases/{cid}/reliefs", data=base)


def _relief(app, cid) -> FineRelief:
    return read(app, lambda: db.session.get(Case, cid).reliefs[-1])


def test_a_postponement_is_refused_below_the_threshold_and_without_confirmation(
        app, users, make_case, clock):
    cid = decided(app, users, make_case, fine=2_500_000)
    response = _request(_login(app, users), cid, confirmed_by="")
    assert response.status_code == 302
    rid = _relief(app, cid).id
    page = _login(app, users, "supervisor").post(
        f"/cases/{cid}/reliefs/{rid}/grant", data={f"r{rid}-decided_on": "12/11/2014"})
    assert page.status_code == 422
    text = page.get_data(as_text=True)
    assert "3.000.000" in text and "xác nhận" in text
    # the law's conditions, said above the page — not as an error of the note field
    summary = text.split('<div class="error-summary"', 1)[1].split("</div>")[0]
    assert "3.000.000" in summary and "has-error" not in text
    assert _relief(app, cid).state == "requested"
    refused = _login(app, users, "supervisor").post(
        f"/cases/{cid}/reliefs/{rid}/refuse",
        data={f"r{rid}-decided_on": "12/11/2014",
              f"r{rid}-note": "Không đủ điều kiện theo Điều 76."})
    assert refused.status_code == 302
    assert _relief(app, cid).state == "refused"
    # the time limit to decide (5 days from 12/11/2014) was met on 12/11
    row = read(app, lambda: db.session.scalar(select(Deadline).where(
        Deadline.case_id == cid, Deadline.key == f"postponement_decision:{rid}")))
    assert (row.due_on, row.state, row.met_on) == (date(2014, 11, 17), "met",
                                                   date(2014, 11, 12))


def test_an_organisation_may_not_ask_under_the_2012_text(app, users, make_case, clock):
    cid = decided(app, users, make_case, fine=25_000_000, subject_kind="organisation")
    assert _request(_login(app, users), cid).status_code == 302
    rid = _relief(app, cid).id
    page = _login(app, users, "supervisor").post(
        f"/cases/{cid}/reliefs/{rid}/grant", data={f"r{rid}-decided_on": "12/11/2014"})
    assert page.status_code == 422
    assert "Chỉ áp dụng đối với cá nhân" in page.get_data(as_text=True)


def test_a_granted_postponement_moves_the_last_day_to_pay(app, users, make_case, clock):
    cid = decided(app, users, make_case, fine=5_000_000)
    assert _request(_login(app, users), cid).status_code == 302
    rid = _relief(app, cid).id
    # the inspector cannot decide
    assert _login(app, users).post(f"/cases/{cid}/reliefs/{rid}/grant", data={
        f"r{rid}-decided_on": "12/11/2014"}).status_code == 403
    response = _login(app, users, "supervisor").post(
        f"/cases/{cid}/reliefs/{rid}/grant", data={f"r{rid}-decided_on": "12/11/2014"})
    assert response.status_code == 302
    relief = _relief(app, cid)
    assert relief.state == "granted" and relief.until == date(2015, 2, 12)
    rows = read(app, lambda: {d.key: d for d in db.session.scalars(select(Deadline).where(
        Deadline.case_id == cid))})
    assert rows["compliance"].state == "cancelled"  # replaced by the postponement's end
    assert rows[f"postponement_end:{rid}"].due_on == date(2015, 2, 12)
    # the old last day (17/11/2014) passes: nothing moves
    clock.set(date(2014, 11, 18))
    with app.app_context():
        assert ops.move_overdue_to_enforcement() == []
        assert standing(db.session.get(Case, cid), date(2014, 11, 18)).surcharge == 0
    clock.set(date(2015, 2, 12))
    with app.app_context():
        assert ops.move_overdue_to_enforcement() == []
    # the day after the new last day the case moves to enforcement
    clock.set(date(2015, 2, 13))
    with app.app_context():
        assert [c.id for c in ops.move_overdue_to_enforcement()] == [cid]
        db.session.commit()
    # paid on 17/02/2015: late 13–16/02 = 4 days × 0,05 % × 5.000.000 đ = 10.000 đ; none
    # for the postponed days 18/11/2014–12/02/2015
    clock.set(date(2015, 2, 17))
    with app.app_context():
        assert standing(db.session.get(Case, cid), date(2015, 2, 17)).surcharge == 10_000
    page = _login(app, users).get(f"/cases/{cid}").get_data(as_text=True)
    assert "12/02/2015" in page and "10.000" in page


def test_a_postponement_granted_after_the_surcharge_circular_excludes_its_days(
        app, users, make_case, clock):
    """From 05/05/2023 (Circular 18/2023 Art. 5(2)) a postponement granted when the violator
    is already late stops the surcharge for its days; the days late before it still count."""
    cid = decided(app, users, make_case, fine=5_000_000)
    with app.app_context():
        case = db.session.get(Case, cid)
        decision = case.decision
        # the same facts dated in 2024: last day to pay 17/06/2024, postponed on 20/06 to 20/07
        db.session.add(FineRelief(
            case_id=cid, decision_id=decision.id, kind="postponement",
            requested_on=date(2024, 6, 19), grounds="x", cause="fire", confirmed_by="UBND xã",
            months=1, state="granted", decided_on=date(2024, 6, 20), until=date(2024, 7, 20),
            recorded_at=clock.now()))
        db.session.flush()
        db.session.expire(decision, ["reliefs"])
        from cases.enforcement import surcharge_free_periods, surcharge_to
        assert surcharge_free_periods(decision, date(2024, 7, 25)) == [
            (date(2024, 6, 20), date(2024, 7, 20))]
        # late 18, 19/06 (2 days) and 21–24/07 (4 days): 6 × 2.500 đ
        assert surcharge_to(decision, [(date(2024, 6, 17), 5_000_000)],
                            date(2024, 7, 25)) == 15_000
        db.session.rollback()


# ---- reduction and exemption ----------------------------------------------------------------
def test_a_reduction_lowers_the_balance(app, users, make_case, clock):
    cid = decided(app, users, make_case, fine=5_000_000)
    client = _login(app, users)
    assert client.post(f"/cases/{cid}/payment", data={
        "paid_on": "12/11/2014", "amount": "1.000.000", "receipt_number": "BL-1",
        "place": "treasury"}).status_code == 302
    # more than the rest: refused with a message, nothing saved
    bad = _request(client, cid, kind="reduction", amount="4.000.000", cause="illness",
                   grounds="Bị bệnh hiểm nghèo, đang điều trị.")
    assert bad.status_code == 422 and "4.000.000" in bad.get_data(as_text=True)
    assert read(app, lambda: db.session.get(Case, cid).reliefs) == []
    assert _request(client, cid, kind="reduction", amount="1.500.000", cause="illness",
                    grounds="Bị bệnh hiểm nghèo, đang điều trị.",
                    forwarded_on="12/11/2014").status_code == 302
    rid = _relief(app, cid).id
    rows = read(app, lambda: {d.key: d for d in db.session.scalars(select(Deadline).where(
        Deadline.case_id == cid))})
    # forwarded within 3 days of 12/11 (by 15/11, a Saturday → Monday 17/11) on 12/11; the
    # superior's 5 days from 12/11/2014 → 17/11/2014
    forward = rows[f"reduction_forward:{rid}"]
    assert (forward.due_on, forward.state) == (date(2014, 11, 17), "met")
    assert rows[f"reduction_decision:{rid}"].due_on == date(2014, 11, 17)
    clock.set(date(2014, 11, 14))
    response = _login(app, users, "supervisor").post(
        f"/cases/{cid}/reliefs/{rid}/grant", data={f"r{rid}-decided_on": "14/11/2014"})
    assert response.status_code == 302
    with app.app_context():
        s = standing(db.session.get(Case, cid), date(2014, 11, 14))
        assert (s.fine, s.relieved, s.paid, s.balance) == (5_000_000, 1_500_000, 1_000_000,
                                                           2_500_000)
    page = _login(app, users).get(f"/cases/{cid}").get_data(as_text=True)
    assert "1.500.000" in page and "2.500.000" in page
    # paying the lowered rest closes the case as complied
    assert client.post(f"/cases/{cid}/payment", data={
        "paid_on": "14/11/2014", "amount": "2.500.000", "receipt_number": "BL-2",
        "place": "treasury"}).status_code == 302
    case = read(app, lambda: db.session.get(Case, cid))
    assert case.state == "closed" and case.closed_reason == "complied"


def test_an_exemption_closes_the_case_with_its_reason(app, users, make_case, clock):
    cid = decided(app, users, make_case, fine=5_000_000)
    client = _login(app, users)
    assert client.post(f"/cases/{cid}/payment", data={
        "paid_on": "12/11/2014", "amount": "2.000.000", "receipt_number": "BL-1",
        "place": "treasury"}).status_code == 302
    assert _request(client, cid, kind="exemption", cause="accident",
                    grounds="Tai nạn giao thông, mất khả năng lao động.").status_code == 302
    rid = _relief(app, cid).id
    response = _login(app, users, "supervisor").post(
        f"/cases/{cid}/reliefs/{rid}/grant", data={f"r{rid}-decided_on": "12/11/2014"})
    assert response.status_code == 302
    case = read(app, lambda: db.session.get(Case, cid))
    assert _relief(app, cid).amount == 3_000_000  # the rest unpaid
    assert case.state == "closed" and case.closed_reason == "exempted"
    closing = read(app, lambda: db.session.scalar(select(AuditEvent).where(
        AuditEvent.case_id == cid, AuditEvent.action == "case.closed")))
    assert "2.000.000" in closing.note and "3.000.000" in closing.note
    assert "miễn" in closing.note
    rows = read(app, lambda: {d.key: d for d in db.session.scalars(select(Deadline).where(
        Deadline.case_id == cid))})
    assert (rows["compliance"].state, rows["compliance"].met_on) == ("met", date(2014, 11, 12))
    # the statistics and the national database's fields
    from cases import national_db
    from cases.statistics import figures
    with app.app_context():
        stats = {code: value for code, _label, value in figures(date(2014, 11, 1),
                                                                date(2014, 11, 30))}
        assert (stats["exemptions"], stats["postponements"], stats["fines_relieved"]) == \
            (1, 0, 3_000_000)
        fields = national_db.record(db.session.get(Case, cid).decision)
    assert fields["con_phai_nop"] == "0" and fields["da_nop"] == "2000000"
    assert fields["hoan_giam_mien"] == "miễn 3000000 đồng (QĐ ngày 12/11/2014)"


def test_a_request_s_bad_input_is_a_message_not_an_error(app, users, make_case, clock):
    cid = decided(app, users, make_case, fine=5_000_000)
    client = _login(app, users)
    for data in ({"months": "abc"}, {"requested_on": "31/02/2014"}, {"cause": "war"},
                 {"grounds": ""}, {"kind": "reduction", "amount": "-5"},
                 {"requested_on": "01/01/2014"}):
        response = _request(client, cid, **data)
        assert response.status_code == 422, data
    assert read(app, lambda: db.session.get(Case, cid).reliefs) == []


def test_a_decided_request_cannot_be_decided_again(app, users, make_case, clock):
    cid = decided(app, users, make_case, fine=5_000_000)
    with app.app_context():
        case = db.session.get(Case, cid)
        relief = ops.request_relief(_user(users, "inspector"), case, kind="postponement",
                                    requested_on=date(2014, 11, 12), grounds="Hỏa hoạn.",
                                    cause="fire", confirmed_by="UBND xã", months=2)
        ops.decide_relief(_user(users, "supervisor"), relief, True, date(2014, 11, 12))
        assert relief.until == date(2015, 1, 12)
        with pytest.raises(OperationError):
            ops.decide_relief(_user(users, "supervisor"), relief, False, date(2014, 11, 12),
                              "x")
        db.session.rollback()
    assert read(app, lambda: db.session.scalar(select(Decision).where(
        Decision.case_id == cid)).paid_on) is None


def test_a_postponement_granted_after_the_move_to_enforcement_takes_the_case_back(
        app, users, make_case, clock):
    """Asked on 15/11/2014, within the time to pay; the last day (17/11) passes while the
    request waits, so the night's sweep moves the case to enforcement on 18/11; granted on
    19/11 (within the 5 days to decide), the fine is postponed: nothing is unpaid late any
    more, the case goes back to waiting for compliance and is not moved again before the
    postponement's end (Law 15/2012/QH13 Art. 76)."""
    cid = decided(app, users, make_case, fine=5_000_000)
    clock.set(date(2014, 11, 15))
    assert _request(_login(app, users), cid, requested_on="15/11/2014").status_code == 302
    rid = _relief(app, cid).id
    clock.set(date(2014, 11, 18))
    with app.app_context():
        assert [c.id for c in ops.move_overdue_to_enforcement()] == [cid]
        db.session.commit()
    clock.set(date(2014, 11, 19))
    response = _login(app, users, "supervisor").post(
        f"/cases/{cid}/reliefs/{rid}/grant", data={f"r{rid}-decided_on": "19/11/2014"})
    assert response.status_code == 302
    case = read(app, lambda: db.session.get(Case, cid))
    assert case.state == "delivered"
    events = read(app, lambda: db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.case_id == cid).order_by(AuditEvent.id)).all())
    assert events.index("case.enforcement_lifted") > events.index("relief.postponement.granted")
    assert _relief(app, cid).until == date(2015, 2, 19)
    clock.set(date(2015, 2, 19))
    with app.app_context():
        assert ops.move_overdue_to_enforcement() == []
    clock.set(date(2015, 2, 20))
    with app.app_context():
        assert [c.id for c in ops.move_overdue_to_enforcement()] == [cid]
    page = _login(app, users).get(f"/cases/{cid}").get_data(as_text=True)
    assert "19/02/2015" in page
