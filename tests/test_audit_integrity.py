"""The audit trail keyed with AUDIT_KEY, frozen documents and fines sealed and re-hashed by
`flask audit verify`, a document whose bytes do not match its hash never served, and the
upgrade of a trail from before keying (`flask audit rekey`)."""

from __future__ import annotations

import hashlib
import io
import logging

from sqlalchemy import select, update

from cases.models import Decision, Violation
from core import audit
from core.models import AuditEvent, AuditHead
from extensions import db


def _verify(runner):
    result = runner.invoke(args=["audit", "verify"])
    return result.exit_code, result.output


def _rechain_without_key(app, edit=None):
    """What someone with write access to the database but not the key can do: edit an event,
    recompute every hash with the plain SHA-256 (the code is public) and update the head."""
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        if edit:
            edit(events)
        prev = audit.GENESIS
        for event in events:
            event.prev_hash = prev
            event.hash = prev = audit._unkeyed_digest(event)
        head = db.session.get(AuditHead, 1)
        head.last_hash = prev
        db.session.commit()
        return prev


def test_a_chain_recomputed_without_the_key_is_not_intact(app, runner, make_case):
    make_case(state="record_made")
    code, output = _verify(runner)
    assert code == 0 and "intact" in output

    def forge(events):
        events[1].note = "sửa lại"

    _rechain_without_key(app, forge)
    code, output = _verify(runner)
    assert code == 1
    assert "hashed without the audit key" in output


def test_direct_updates_of_fines_and_documents_are_found(app, runner, make_case):
    case = make_case(state="decision_issued", fine_amount=25_000_000)
    code, output = _verify(runner)
    assert code == 0, output
    with app.app_context():
        decision = db.session.scalar(select(Decision).where(Decision.case_id == case.id))
        violation = db.session.scalar(select(Violation).where(Violation.case_id == case.id))
        db.session.execute(update(Decision).where(Decision.id == decision.id)
                           .values(total_fine=22_500_000))
        db.session.execute(update(Violation).where(Violation.id == violation.id)
                           .values(fine_amount=22_500_000))
        db.session.commit()
        decision_id, violation_id = decision.id, violation.id
    code, output = _verify(runner)
    assert code == 1
    assert f"decisions {decision_id}: changed outside the application" in output
    assert f"violations {violation_id}: changed outside the application" in output


def test_a_frozen_pdf_changed_by_one_byte_is_found_and_never_served(app, runner, make_case,
                                                                    login_as, caplog):
    case = make_case(state="decision_issued", fine_amount=25_000_000)
    client = login_as("inspector")
    good = client.get(f"/cases/{case.id}/decision.pdf")
    assert good.status_code == 200
    assert good.headers["X-Content-SHA256"] == hashlib.sha256(good.data).hexdigest()
    with app.app_context():
        decision = db.session.scalar(select(Decision).where(Decision.case_id == case.id))
        pdf = bytearray(decision.pdf)
        pdf[len(pdf) // 2] ^= 1
        db.session.execute(update(Decision).where(Decision.id == decision.id)
                           .values(pdf=bytes(pdf)))
        db.session.commit()
        decision_id = decision.id
    code, output = _verify(runner)
    assert code == 1 and f"decision {decision_id} (case {case.id}): its PDF hashes" in output
    with caplog.at_level(logging.ERROR):
        refused = client.get(f"/cases/{case.id}/decision.pdf")
        refused_too = client.get(f"/cases/{case.id}/decisions/{decision_id}.pdf")
    for response in (refused, refused_too):
        assert response.status_code == 500
        assert "X-Content-SHA256" not in response.headers
        assert response.mimetype == "text/html"
        assert "không còn khớp" in response.get_data(as_text=True)
    assert "refusing to serve decision" in caplog.text

    # the forger also replaces the stored hash: the seal still gives it away
    with app.app_context():
        db.session.execute(update(Decision).where(Decision.id == decision_id)
                           .values(sha256=hashlib.sha256(bytes(pdf)).hexdigest()))
        db.session.commit()
    assert client.get(f"/cases/{case.id}/decision.pdf").status_code == 500
    code, output = _verify(runner)
    assert code == 1 and f"decisions {decision_id}: changed outside" in output


def test_a_changed_violation_record_pdf_is_not_served(app, make_case, login_as):
    case = make_case(state="record_made")
    client = login_as("inspector")
    assert client.get(f"/cases/{case.id}/record.pdf").status_code == 200
    from cases.models import ViolationRecord

    with app.app_context():
        db.session.execute(update(ViolationRecord).where(ViolationRecord.case_id == case.id)
                           .values(pdf=b"%PDF-1.7 forged"))
        db.session.commit()
    response = client.get(f"/cases/{case.id}/record.pdf")
    assert response.status_code == 500 and "X-Content-SHA256" not in response.headers


def test_upgrading_a_trail_from_before_keying(app, runner, make_case):
    """A trail and documents written before keying (plain SHA-256, no seals): verify names
    them, `audit rekey` refuses a wrong anchor, then keys the trail and seals the rows."""
    make_case(state="decision_issued", fine_amount=25_000_000)
    head = _rechain_without_key(app)
    with app.app_context():
        for cls in (Decision, Violation):
            db.session.execute(update(cls).values(seal=None))
        db.session.commit()
    code, output = _verify(runner)
    assert code == 1
    assert "hashed without the audit key" in output and "not sealed" in output

    refused = runner.invoke(args=["audit", "rekey", "--expect-head", "0" * 64])
    assert refused.exit_code == 1 and "not at the expected head" in refused.output
    assert _verify(runner)[0] == 1  # nothing changed

    done = runner.invoke(args=["audit", "rekey", "--expect-head", head])
    assert done.exit_code == 0, done.output
    code, output = _verify(runner)
    assert code == 0, output
    assert "intact" in output


def test_rekey_refuses_a_trail_edited_before_the_upgrade(app, runner, make_case):
    make_case(state="record_made")
    _rechain_without_key(app)
    with app.app_context():
        db.session.execute(update(AuditEvent).where(AuditEvent.id == 2).values(note="sửa"))
        db.session.commit()
    result = runner.invoke(args=["audit", "rekey"])
    assert result.exit_code == 1 and "event 2" in result.output


def test_an_evidence_file_changed_on_disk_is_not_served(app, make_case, login_as):
    from cases.models import Evidence
    from cases.operations.intake import evidence_dir

    case = make_case(state="verifying")
    client = login_as("inspector")
    response = client.post(f"/cases/{case.id}/evidence", data={
        "file": (io.BytesIO(b"Trang chu ngay 06/10/2014"), "trang-chu.txt"),
        "note": "Ảnh chụp trang"}, content_type="multipart/form-data")
    assert response.status_code == 302
    with app.app_context():
        evidence = db.session.scalar(select(Evidence))
        path = evidence_dir() / evidence.stored_name
        url = f"/cases/{case.id}/evidence/{evidence.id}"
    assert client.get(url).status_code == 200
    path.write_bytes(b"Trang chu ngay 07/10/2014")
    refused = client.get(url)
    assert refused.status_code == 500 and refused.mimetype == "text/html"
