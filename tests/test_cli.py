"""The command-line interface others rely on."""

from __future__ import annotations

import hashlib
from datetime import date

from sqlalchemy import func, select

from auth.models import User
from cases.models import Case, Decision
from extensions import db
from registry.models import Site
from tests.helpers import pdf_text, squash


def test_users_create_reads_the_password_from_stdin(app, runner):
    result = runner.invoke(args=["users", "create", "lan", "--role", "inspector", "--email",
                                 "lan@stttt.example", "--name", "Trần Thị Lan"],
                           input="mat-khau-2014\nmat-khau-2014\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "lan"))
        assert user.role == "inspector" and user.check_password("mat-khau-2014")
    again = runner.invoke(args=["users", "create", "lan", "--role", "admin", "--email",
                                "lan2@stttt.example"],
                          input="mat-khau-2014\nmat-khau-2014\n")
    assert again.exit_code != 0 and "already exists" in again.output


def test_decisions_list_and_pdf(app, make_case, runner, tmp_path):
    case = make_case(state="decision_issued", record_on=date(2014, 11, 7))
    listing = runner.invoke(args=["decisions", "list"])
    assert listing.exit_code == 0
    assert listing.output.strip() == (f"01/QĐ-XPVPHC\t{case.code}\t"
                                      "Công ty TNHH Truyền thông Sông Thương\t25.000.000")
    out = tmp_path / "qd.pdf"
    result = runner.invoke(args=["decisions", "pdf", "01/QĐ-XPVPHC", "-o", str(out)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        decision = db.session.scalar(select(Decision))
        assert hashlib.sha256(out.read_bytes()).hexdigest() == decision.sha256
    assert "Hai mươi lăm triệu đồng" in squash(pdf_text(out.read_bytes()))
    missing = runner.invoke(args=["decisions", "pdf", "99", "-o", str(out)])
    assert missing.exit_code != 0 and "no decision" in missing.output


def test_demo_data_is_the_2014_campaign(app, runner):
    result = runner.invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Site)) == 13
        cases = {c.code: c for c in db.session.scalars(select(Case))}
        assert len(cases) == 9
        # after the decision: one case in enforcement (unpaid, its measure pending past
        # 10/11/2014), one paid in two parts and closed
        enforced = cases["VV-2014-0008"]
        assert enforced.state == "enforcement"
        assert [(o.text, o.state, o.due_on) for o in enforced.obligations] == [
            ("Buộc gỡ bỏ thông tin sai sự thật", "pending", date(2014, 11, 10))]
        complaint, = cases["VV-2014-0001"].complaints
        assert (complaint.outcome, complaint.due_on) == ("pending", date(2014, 12, 11))
        paid = cases["VV-2014-0009"]
        assert paid.state == "closed" and paid.closed_reason == "complied"
        assert sorted(p.amount for p in paid.decision.payments) == [5_000_000, 7_500_000]
        first = cases["VV-2014-0001"]
        assert first.violations[0].clause_id == "174/2013/NĐ-CP:63.3"
        assert first.decision.total_fine == 25_000_000
        assert first.decision.full_number == "01/QĐ-XPVPHC"
        assert cases["VV-2014-0002"].detection_method == "ministry_referral"
        # the campaign's unlicensed general website, fined at the midpoint for a company
        unlicensed = cases["VV-2014-0007"]
        assert unlicensed.detection_method == "campaign" and unlicensed.state == "record_made"
        assert unlicensed.violations[0].clause_id == (
            "174/2013/NĐ-CP:unplaced.general-website-without-licence")
        assert unlicensed.total_fine == 15_000_000
        # two points of Art. 64 on the licensed site outside its licence
        assert [(v.clause_id, v.fine_amount) for v in cases["VV-2014-0004"].violations] == [
            ("174/2013/NĐ-CP:64.1.a", 7_500_000), ("174/2013/NĐ-CP:64.2.a", 15_000_000)]
        assert {u.username for u in db.session.scalars(select(User))} == \
            {"inspector", "supervisor", "deputy", "admin"}
        assert db.session.scalar(select(User).where(User.username == "admin")) \
            .check_password("demo-2014")
    again = runner.invoke(args=["demo-data", "--if-empty"])
    assert again.exit_code == 0 and "nothing loaded" in again.output


def test_legal_load_is_idempotent(app, runner):
    result = runner.invoke(args=["legal", "load"])
    assert result.exit_code == 0
    assert result.output.strip().endswith("0 added, 0 changed, kept 0 corrected locally.")
