"""The campaigns' frozen documents (the team decision, each check's record, the files
attached to a check) are sealed like the cases' (core.audit.Sealed), re-hashed by
`flask audit verify`, never served once their bytes stop matching, and never copied into a
case when changed on disk."""

from __future__ import annotations

import hashlib
import io
import logging

from sqlalchemy import func, select, update

from cases.models import Case, Evidence
from cases.operations.intake import evidence_dir
from extensions import db
from inspections.models import Campaign, CheckEvidence, InspectionCheck
from tests.helpers import read
from tests.test_inspections import _check_id, _record, _running, sites  # noqa: F401

SHOT = b"%PDF-1.4\n% trang chu vanhoaxuquang.vn\n%%EOF\n"


def _verify(runner):
    result = runner.invoke(args=["audit", "verify"])
    return result.exit_code, result.output


def _attach(client, row):
    response = client.post(f"/inspections/checks/{row}/evidence", data={
        "file": (io.BytesIO(SHOT), "trang-chu.pdf"), "note": "Trang chủ lúc kiểm tra"},
        content_type="multipart/form-data")
    assert response.status_code == 302
    return read(app_of(client), lambda: db.session.scalar(
        select(CheckEvidence).where(CheckEvidence.check_id == row)).id)


def app_of(client):
    return client.application


def test_the_team_decision_and_check_record_changed_in_the_database_are_found_and_refused(
        app, users, login_as, sites, runner, caplog):  # noqa: F811
    cid, sup = _running(app, users, login_as, sites)
    insp = login_as("inspector")
    row = _record(insp, app, cid, "chobacgiang.vn", "no_violation")
    assert read(app, lambda: db.session.get(Campaign, cid).seal) is not None
    code, output = _verify(runner)
    assert code == 0, output
    good = sup.get(f"/inspections/{cid}/decision.pdf")
    assert good.headers["X-Content-SHA256"] == hashlib.sha256(good.data).hexdigest()
    record = insp.get(f"/inspections/checks/{row}/record.pdf")
    assert record.headers["X-Content-SHA256"] == hashlib.sha256(record.data).hexdigest()

    forged = bytearray(good.data)
    forged[len(forged) // 2] ^= 1
    with app.app_context():
        db.session.execute(update(Campaign).where(Campaign.id == cid)
                           .values(decision_pdf=bytes(forged)))
        db.session.execute(update(InspectionCheck).where(InspectionCheck.id == row)
                           .values(record_pdf=b"%PDF-1.7 forged"))
        db.session.commit()
    code, output = _verify(runner)
    assert code == 1
    assert "team decision of campaign KT-2014-01: its PDF hashes to" in output
    assert f"check record {row} (campaign {cid}): its PDF hashes to" in output
    with caplog.at_level(logging.ERROR):
        refused = [sup.get(f"/inspections/{cid}/decision.pdf"),
                   insp.get(f"/inspections/checks/{row}/record.pdf")]
    for response in refused:
        assert response.status_code == 500 and response.mimetype == "text/html"
        assert "X-Content-SHA256" not in response.headers
        assert "audit verify" in response.get_data(as_text=True)
    assert "refusing to serve team decision of campaign KT-2014-01" in caplog.text
    assert f"refusing to serve check record {row}" in caplog.text

    # the forger replaces the stored hash too: the seal gives it away
    with app.app_context():
        db.session.execute(update(Campaign).where(Campaign.id == cid).values(
            decision_sha256=hashlib.sha256(bytes(forged)).hexdigest()))
        db.session.commit()
    assert sup.get(f"/inspections/{cid}/decision.pdf").status_code == 500
    code, output = _verify(runner)
    assert f"campaigns {cid}: changed outside the application" in output


def test_a_check_file_changed_on_disk_is_not_served_nor_copied_into_a_case(
        app, users, login_as, sites, runner, caplog):  # noqa: F811
    cid, _sup = _running(app, users, login_as, sites)
    insp = login_as("inspector")
    row = _check_id(app, "vanhoaxuquang.vn")
    evidence_id = _attach(insp, row)
    url = f"/inspections/checks/{row}/evidence/{evidence_id}"
    assert insp.get(url).data == SHOT
    with app.app_context():
        stored = db.session.get(CheckEvidence, evidence_id).stored_name
        (evidence_dir() / stored).write_bytes(SHOT.replace(b"trang chu", b"trang khac"))

    with caplog.at_level(logging.ERROR):
        refused = insp.get(url)
        member_ids = read(app, lambda: [str(m.id) for m in
                                        db.session.get(Campaign, cid).members])
        response = insp.post(f"/inspections/checks/{row}", data={
            "checked_on": "12/11/2014", "member_ids": member_ids,
            "items": ["licence", "content"], "outcome": "violation",
            "findings": "Trang hoạt động khi chưa có giấy phép."})
    assert refused.status_code == 500 and refused.mimetype == "text/html"
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "trang-chu.pdf" in page and "SHA-256" in page
    assert f"refusing to serve check evidence {evidence_id} of check {row}" in caplog.text
    # nothing was saved: no case, no evidence carrying a fresh hash and a valid seal
    assert read(app, lambda: db.session.scalar(select(func.count()).select_from(Case))) == 0
    assert read(app, lambda: db.session.scalar(select(func.count()).select_from(Evidence))) == 0
    assert read(app, lambda: db.session.get(InspectionCheck, row).outcome) is None
    code, output = _verify(runner)
    assert code == 1 and f"check evidence {evidence_id} (check {row}):" in output


def test_a_check_file_whose_row_was_edited_is_refused_by_its_seal(
        app, users, login_as, sites, runner):  # noqa: F811
    _cid, _sup = _running(app, users, login_as, sites)
    insp = login_as("inspector")
    row = _check_id(app, "vanhoaxuquang.vn")
    evidence_id = _attach(insp, row)
    forged = b"%PDF-1.4\n% forged\n%%EOF\n"
    with app.app_context():
        stored = db.session.get(CheckEvidence, evidence_id).stored_name
        (evidence_dir() / stored).write_bytes(forged)
        db.session.execute(update(CheckEvidence).where(CheckEvidence.id == evidence_id)
                           .values(sha256=hashlib.sha256(forged).hexdigest(),
                                   size=len(forged)))
        db.session.commit()
    assert insp.get(f"/inspections/checks/{row}/evidence/{evidence_id}").status_code == 500
    code, output = _verify(runner)
    assert code == 1
    assert f"inspection_check_evidence {evidence_id}: changed outside the application" in output


def test_a_report_spreadsheet_changed_in_the_database_is_found_and_not_served(
        app, users, login_as, runner):
    from registry.models import Report

    supervisor = login_as("supervisor")
    response = supervisor.post("/sites/reports", data={
        "period_start": "01/11/2014", "period_end": "12/11/2014", "action": "issue",
        "confirm_report": "y"})
    assert response.status_code == 302
    report_id = read(app, lambda: db.session.scalar(select(Report.id)))
    good = supervisor.get(f"/sites/reports/{report_id}.xlsx")
    assert good.status_code == 200
    assert read(app, lambda: db.session.get(Report, report_id).xlsx_sha256) == \
        hashlib.sha256(good.data).hexdigest()
    code, output = _verify(runner)
    assert code == 0, output
    forged = good.data[:-1] + bytes([good.data[-1] ^ 1])
    with app.app_context():
        db.session.execute(update(Report).where(Report.id == report_id).values(xlsx=forged))
        db.session.commit()
    assert supervisor.get(f"/sites/reports/{report_id}.xlsx").status_code == 500
    code, output = _verify(runner)
    assert code == 1 and "its spreadsheet hashes to" in output
    # the forger replaces the stored hash too: the seal gives it away
    with app.app_context():
        db.session.execute(update(Report).where(Report.id == report_id).values(
            xlsx_sha256=hashlib.sha256(forged).hexdigest()))
        db.session.commit()
    assert supervisor.get(f"/sites/reports/{report_id}.xlsx").status_code == 500
    code, output = _verify(runner)
    assert f"reports {report_id}: changed outside the application" in output
