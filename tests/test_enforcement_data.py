"""The enforcement data as stored and corrected by an administrator
(docs/legal/enforcement.md#data): loaded from legal/data/enforcement.yaml, read by the
enforcement rules through the catalogue engine, corrected with a reason and audited, kept by
the loader."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from auth.models import User
from cases import operations as ops
from cases.models import Case
from catalogue.engine import enforcement
from catalogue.loader import load_catalogue
from catalogue.models import EnforcementFact
from core.models import AuditEvent
from extensions import db
from legal.enforcement import instalment_refusals
from tests.conftest import waive
from tests.helpers import read
from tests.test_enforcement import _login


def _fact(app, section: str, start: date) -> EnforcementFact:
    return read(app, lambda: db.session.scalar(select(EnforcementFact).where(
        EnforcementFact.section == section, EnforcementFact.effective_from == start)))


def _edit_form(fact: EnforcementFact, **changes) -> dict:
    """The correction form as the page fills it, with `changes` (field name → typed text)."""
    data = {"basis": fact.basis, "effective_from": fact.effective_from.strftime("%d/%m/%Y"),
            "effective_to": fact.effective_to.strftime("%d/%m/%Y") if fact.effective_to else "",
            "status": fact.status, "source": fact.source, "note": ""}
    for name, value in fact.values.items():
        if isinstance(value, bool):
            if value:
                data[f"v_{name}"] = "y"
        elif isinstance(value, int):
            data[f"v_{name}"] = f"{value:,}".replace(",", ".")
        elif isinstance(value, str):
            data[f"v_{name}"] = value
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _decided_2022(app, users, make_case, clock) -> int:
    """A company's case under Decree 15/2020 (101.1.a: 10.000.000–20.000.000 đ for an
    organisation; 15.000.000 đ proposed, no circumstances), its decision issued on
    03/03/2022 and received the same day."""
    clock.set(date(2022, 3, 3))
    case = make_case(state="record_made", clause_id="15/2020/NĐ-CP:101.1.a",
                     detected_on=date(2022, 3, 1), record_on=date(2022, 3, 2))
    with app.app_context():
        inspector = db.session.get(User, users["inspector"].id)
        supervisor = db.session.get(User, users["supervisor"].id)
        live = db.session.get(Case, case.id)
        waive(inspector, live, date(2022, 3, 2))
        ops.propose_sanction(inspector, live)
        ops.approve_sanction(supervisor, live)
        ops.issue_decision(inspector, live, date(2022, 3, 3))
        ops.record_delivery(inspector, live, date(2022, 3, 3))
        db.session.commit()
    clock.set(date(2022, 3, 5))
    return case.id


def _ask_instalments(app, users, cid) -> int:
    response = _login(app, users).post(f"/cases/{cid}/instalments", data={
        "requested_on": "04/03/2022", "grounds": "Doanh nghiệp bị ảnh hưởng bởi dịch bệnh.",
        "confirmed_by": "Chi cục Thuế huyện Yên Dũng",
        "schedule": "10/03/2022: 6.000.000\n10/05/2022: 9.000.000"})
    assert response.status_code == 302
    return read(app, lambda: db.session.get(Case, cid).instalment_plans[-1].id)


def test_every_dated_section_is_stored_with_its_status(app):
    with app.app_context():
        rows = db.session.scalars(select(EnforcementFact)).all()
        sections = {r.section for r in rows}
        assert {"late_payment", "enforcement_limitation", "complaints", "instalments",
                "coercion", "surcharge_free"} <= sections
        assert "coercion_methods" not in sections  # words, not a dated text
        later = next(r for r in rows if r.key == "instalments@2022-01-01")
        assert (later.status, later.values["organisation_min"]) == ("U", 150_000_000)
        assert later.values["individual_min"] == 15_000_000
        assert "Điều 79" in later.basis
        assert load_catalogue()["changed"] == 0  # a second load changes nothing


def test_an_administrator_lowers_the_2022_threshold_and_the_instalment_check_uses_it(
        app, users, make_case, clock):
    cid = _decided_2022(app, users, make_case, clock)
    plan_id = _ask_instalments(app, users, cid)
    supervisor = _login(app, users, "supervisor")
    # a company fined 15.000.000 đ in 2022: below the 150.000.000 đ of the stored 2022 text
    refused = supervisor.post(f"/cases/{cid}/instalments/{plan_id}/grant",
                              data={f"p{plan_id}-decided_on": "05/03/2022"})
    assert refused.status_code == 422
    assert "150.000.000" in refused.get_data(as_text=True)

    fact = _fact(app, "instalments", date(2022, 1, 1))
    admin = _login(app, users, "admin")
    page = admin.get(f"/legal/enforcement/{fact.id}/edit")
    assert page.status_code == 200 and "150.000.000" in page.get_data(as_text=True)
    # no reason given: refused, nothing saved
    response = admin.post(f"/legal/enforcement/{fact.id}/edit",
                          data=_edit_form(fact, v_organisation_min="12.000.000"))
    assert response.status_code == 422
    assert _fact(app, "instalments", date(2022, 1, 1)).values["organisation_min"] == 150_000_000
    response = admin.post(f"/legal/enforcement/{fact.id}/edit", data=_edit_form(
        fact, v_organisation_min="12.000.000", status="P",
        note="Thử nghiệm: ngưỡng theo văn bản hợp nhất (giả định của bài kiểm thử)."))
    assert response.status_code == 302
    stored = _fact(app, "instalments", date(2022, 1, 1))
    assert stored.values["organisation_min"] == 12_000_000
    assert stored.values["individual_min"] == 15_000_000  # the other values as they were
    assert (stored.status, stored.locally_modified) == ("P", True)

    # the same request now passes the threshold: 15.000.000 đ ≥ 12.000.000 đ, confirmed,
    # two instalments within 6 months of 03/03/2022, the first 6.000.000 đ = 40 %
    granted = supervisor.post(f"/cases/{cid}/instalments/{plan_id}/grant",
                              data={f"p{plan_id}-decided_on": "05/03/2022"})
    assert granted.status_code == 302
    assert read(app, lambda: db.session.get(Case, cid).instalment_plans[-1].state) == "granted"
    with app.app_context():
        # the rule itself, with the data the engine passes: 11.000.000 đ is below the new
        # threshold, 12.000.000 đ is not (first instalment 4.800.000 đ = 40 %)
        low = [(date(2022, 3, 10), 4_400_000), (date(2022, 5, 10), 6_600_000)]
        assert instalment_refusals("organisation", 11_000_000, date(2022, 3, 3), low, True,
                                   data=enforcement()) == [
            "Chỉ áp dụng khi bị phạt tiền từ 12.000.000 đồng trở lên (Điều 79 Luật Xử lý vi "
            "phạm hành chính (sửa đổi, bổ sung năm 2020))."]
        ok = [(date(2022, 3, 10), 4_800_000), (date(2022, 5, 10), 7_200_000)]
        assert instalment_refusals("organisation", 12_000_000, date(2022, 3, 3), ok, True,
                                   data=enforcement()) == []
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "catalogue.enforcement_changed"))
        assert event.before["values"]["organisation_min"] == 150_000_000
        assert event.after["values"]["organisation_min"] == 12_000_000
        assert (event.before["status"], event.after["status"]) == ("U", "P")
        assert "giả định của bài kiểm thử" in event.note
    listing = admin.get("/legal/enforcement").get_data(as_text=True)
    assert "12.000.000" in listing and "giả định của bài kiểm thử" in listing


def test_the_loader_keeps_an_administrator_s_correction_and_reports_it(app, users):
    fact = _fact(app, "late_payment", date(2023, 5, 5))
    response = _login(app, users, "admin").post(
        f"/legal/enforcement/{fact.id}/edit",
        data=_edit_form(fact, v_rounding_status="P",
                        note="Làm tròn theo hướng dẫn của Kho bạc (thử nghiệm)."))
    assert response.status_code == 302
    with app.app_context():
        # the release ships rounding_status U for this text: the load keeps the correction
        # and says what it would have changed
        result = load_catalogue()
        db.session.commit()
        kept = [c for c in result["changes"] if c["kind"] == "enforcement"]
        assert kept == [{"kind": "enforcement", "id": "late_payment@2023-05-05",
                         "what": "kept", "fields": ["values"]}]
        row = db.session.get(EnforcementFact, fact.id)
        assert row.values["rounding_status"] == "P"


def test_a_non_administrator_is_refused(app, users):
    fact = _fact(app, "instalments", date(2022, 1, 1))
    for who in ("inspector", "supervisor"):
        client = _login(app, users, who)
        assert client.get("/legal/enforcement").status_code == 200  # everyone reads it
        assert client.get(f"/legal/enforcement/{fact.id}/edit").status_code == 403
        assert client.post(f"/legal/enforcement/{fact.id}/edit", data=_edit_form(
            fact, v_organisation_min="1.000.000", note="x")).status_code == 403
    assert _fact(app, "instalments", date(2022, 1, 1)).values["organisation_min"] == 150_000_000


def test_a_correction_of_the_wrong_kind_or_overlapping_is_refused(app, users):
    fact = _fact(app, "instalments", date(2022, 1, 1))
    admin = _login(app, users, "admin")
    bad = admin.post(f"/legal/enforcement/{fact.id}/edit", data=_edit_form(
        fact, v_organisation_min="nhiều tiền", note="Sai kiểu."))
    assert bad.status_code == 422 and "15.000.000" in bad.get_data(as_text=True)
    overlap = admin.post(f"/legal/enforcement/{fact.id}/edit", data=_edit_form(
        fact, effective_from="01/01/2021", note="Thử chồng thời gian."))
    assert overlap.status_code == 422
    assert "01/07/2013" in overlap.get_data(as_text=True)  # the 2012 text it overlaps
    assert _fact(app, "instalments", date(2022, 1, 1)).effective_from == date(2022, 1, 1)


def test_the_case_page_warning_follows_the_stored_status(app, users, make_case, clock):
    from tests.test_enforcement import decided

    cid = decided(app, users, make_case, clock, measures=())
    clock.set(date(2014, 11, 24))  # late since 18/11/2014
    warning = "the way of counting is not fully verified"
    page = _login(app, users).get(f"/cases/{cid}").get_data(as_text=True)
    assert warning in page or "chưa được xác minh đầy đủ" in page
    # an administrator records the rounding and the 2013 text as verified
    fact = _fact(app, "late_payment", date(2013, 7, 1))
    assert _login(app, users, "admin").post(
        f"/legal/enforcement/{fact.id}/edit", data=_edit_form(
            fact, v_rounding_status="V", status="V",
            note="Đã đối chiếu Công báo (thử nghiệm).")).status_code == 302
    page = _login(app, users).get(f"/cases/{cid}").get_data(as_text=True)
    assert warning not in page and "chưa được xác minh đầy đủ" not in page
    assert "75.000" in page  # 6 days × 12.500 đ: the amount itself unchanged
