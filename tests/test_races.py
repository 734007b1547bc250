"""Changes that race: a sanction edited while the case is proposed (issue 12, item 6).
Run on PostgreSQL too (TEST_DATABASE_URL), where two transactions really overlap; on SQLite
writers are serialised and the second sees the first's result."""

from __future__ import annotations

import html
import re
import threading
from datetime import timedelta

from sqlalchemy import func, select, text
from sqlalchemy.orm.exc import StaleDataError

from auth.models import User
from cases import operations as ops
from cases.models import Case, Decision, Violation
from core.errors import NotAllowed, OperationError
from extensions import db


def _waiting_on_a_lock(app) -> bool:
    with app.app_context():
        return bool(db.session.scalar(text(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND datname = current_database()")))


def _hold_until_waited_on(app, thread: threading.Thread) -> None:
    """On PostgreSQL, return once the other transaction waits for a lock ours holds."""
    if db.engine.dialect.name != "postgresql":
        return
    for _ in range(3000):
        if _waiting_on_a_lock(app) or not thread.is_alive():
            return
        threading.Event().wait(0.01)


def test_a_sanction_edited_while_it_is_proposed_is_not_saved(app, users, make_case):
    """The proposal records 25.000.000 đ; the inspector's edit to 22.500.000 đ made at the
    same moment from the page read before fails (the case changed), so the supervisor
    approves what was proposed."""
    case = make_case(state="record_made", fine_amount=25_000_000)
    outcome: list[str] = []
    with app.app_context():
        violation_id = db.session.scalar(select(Violation.id).where(Violation.case_id == case.id))
        live = db.session.get(Case, case.id)
        inspector = db.session.get(User, users["inspector"].id)
        assert live.total_fine == 25_000_000  # read before the proposal
        db.session.commit()

        def edit():
            with app.app_context():
                user = db.session.get(User, users["inspector"].id)
                violation = db.session.get(Violation, violation_id)
                try:
                    ops.set_sanction(user, violation, sanction_kind="fine",
                                     fine_amount=22_500_000, mitigating=1, aggravating=0)
                    db.session.commit()
                    outcome.append("saved")
                except (StaleDataError, NotAllowed, OperationError) as exc:
                    db.session.rollback()
                    outcome.append(type(exc).__name__)

        if db.engine.dialect.name == "postgresql":
            # both requests read the case in "record_made" before either writes
            other = threading.Thread(target=edit)
            ops.propose_sanction(inspector, live, note="Đề xuất")
            db.session.flush()
            other.start()
            _hold_until_waited_on(app, other)
            db.session.commit()
        else:
            ops.propose_sanction(inspector, live, note="Đề xuất")
            other = threading.Thread(target=edit)
            other.start()
            db.session.commit()
    other.join(60)
    assert outcome != ["saved"], "the edit went through after the proposal"
    with app.app_context():
        live = db.session.get(Case, case.id)
        assert live.state == "sanction_proposed" and live.total_fine == 25_000_000
        ops.approve_sanction(db.session.get(User, users["supervisor"].id), live)
        db.session.commit()


def test_every_change_to_the_violations_bumps_the_cases_version(app, users, make_case):
    """Adding, editing or removing a violation changes the case's version, which any
    concurrent change of the case read before must match (else the 409 page)."""
    case = make_case(state="verifying")
    with app.app_context():
        user = db.session.get(User, users["inspector"].id)
        live = db.session.get(Case, case.id)
        versions = [live.version]
        violation = ops.add_violation(user, live, clause_id="174/2013/NĐ-CP:63.3",
                                      description="Thiết lập mạng xã hội không phép.",
                                      fine_amount=25_000_000)
        db.session.commit()
        versions.append(db.session.get(Case, case.id).version)
        ops.set_sanction(user, violation, sanction_kind="fine", fine_amount=22_500_000,
                         mitigating=1, aggravating=0)
        db.session.commit()
        versions.append(db.session.get(Case, case.id).version)
        ops.remove_violation(user, db.session.get(Violation, violation.id))
        db.session.commit()
        versions.append(db.session.get(Case, case.id).version)
    assert versions == [versions[0] + n for n in range(4)]


def test_approval_refuses_fines_changed_after_the_proposal(app, users, make_case, login_as):
    """Should the fines ever differ from the proposal's total (an edit that slipped in at the
    same moment), approving says so instead of approving an amount nobody proposed."""
    case = make_case(state="sanction_proposed", fine_amount=25_000_000)
    with app.app_context():
        violation = db.session.scalar(select(Violation).where(Violation.case_id == case.id))
        violation.fine_amount = 22_500_000  # what the lost race left behind
        db.session.commit()
    supervisor = login_as("supervisor")
    response = supervisor.post(f"/cases/{case.id}/approve", data={"note": ""})
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    assert "25.000.000" in page and "22.500.000" in page
    with app.app_context():
        assert db.session.get(Case, case.id).state == "sanction_proposed"


def _issue_form(client, case_id: int) -> dict:
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    form = page[page.index(f'action="/cases/{case_id}/issue"'):]
    once = re.search(r'name="once"[^>]*value="([^"]+)"', form[:form.index("</form>")]).group(1)
    return {"issued_on": "12/11/2014", "confirm_issue": "y", "once": once}


def test_a_second_click_on_issue_shows_the_issued_decision(app, users, make_case, login_as):
    """"Ban hành" clicked twice: one decision, and the second click lands on the case with
    the issued decision ("already sent"), not a refusal or a false conflict."""
    case = make_case(state="approved")
    client = login_as("inspector")
    data = _issue_form(client, case.id)
    first = client.post(f"/cases/{case.id}/issue", data=data)
    second = client.post(f"/cases/{case.id}/issue", data=data)
    assert first.status_code == second.status_code == 302
    assert second.headers["Location"].startswith(f"/cases/{case.id}")
    page = html.unescape(client.get(second.headers["Location"]).get_data(as_text=True))
    assert "01/QĐ-XPVPHC" in page and "đã được gửi" in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Decision)) == 1


def test_two_clicks_on_issue_at_the_same_moment_one_decision_no_conflict(app, users,
                                                                         make_case, login_as):
    case = make_case(state="approved")
    clients = [login_as("inspector"), login_as("inspector")]
    data = _issue_form(clients[0], case.id)
    barrier = threading.Barrier(2)
    answers: list[int] = []

    def click(client):
        barrier.wait(timeout=30)
        answers.append(client.post(f"/cases/{case.id}/issue", data=data).status_code)

    threads = [threading.Thread(target=click, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert answers == [302, 302]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Decision)) == 1


def test_form_tokens_and_import_previews_are_purged_after_a_day(app, users, clock):
    from core.models import SubmittedForm
    from jobs import purge
    from registry.models import ImportBatch

    now = clock.now()
    with app.app_context():
        for token, age in (("old", timedelta(days=2)), ("new", timedelta(hours=1))):
            db.session.add(SubmittedForm(token=token, result_url="/cases/1",
                                         user_id=users["inspector"].id, created_at=now - age))
            db.session.add(ImportBatch(token=f"batch-{token}", user_id=users["inspector"].id,
                                       filename="sites.csv", rows=[], created_at=now - age))
        db.session.commit()
        purge()
        assert db.session.scalars(select(SubmittedForm.token)).all() == ["new"]
        assert db.session.scalars(select(ImportBatch.token)).all() == ["batch-new"]
