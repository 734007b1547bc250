"""Words for codes: every audit event the code writes has a label in both languages (the
case timeline never shows "payment.recorded"), and a rule's basis never shows a
placeholder or a function's name."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from cases.models import ExplanationKind, ObligationState, PlanState, ReliefKind, WatchEventKind
from core.labels import ACTION_LABELS

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".venv", "tests", "migrations", "bench", "node_modules"}
# Event names built from a code: each placeholder's possible values. A new f-string event
# name fails the test until it is listed here (and its names labelled).
BUILT = {
    "decision.{kind}": [f"decision.{k}" for k in ("amend", "correct", "cancel")],
    "explanation.{kind}": [f"explanation.{k}" for k in ExplanationKind],
    "instalments.{plan.state}": [f"instalments.{s}" for s in (PlanState.granted,
                                                               PlanState.refused)],
    "measure.{state}": [f"measure.{s}" for s in ObligationState],
    "relief.{kind}.requested": [f"relief.{k}.requested" for k in ReliefKind],
    "relief.{relief.kind}.forwarded": [f"relief.{k}.forwarded" for k in ReliefKind],
    "relief.{relief.kind}.{relief.state}": [f"relief.{k}.{s}" for k in ReliefKind
                                            for s in (PlanState.granted, PlanState.refused)],
    "watch.{kind}": [f"watch.{k}" for k in WatchEventKind],
}


def _event_names() -> tuple[set[str], set[str]]:
    """(literal event names, f-string patterns) passed to audit.record(...) or
    transition(...) anywhere in the application's code."""
    names, built = set(), set()
    for path in ROOT.rglob("*.py"):
        if SKIP & set(path.relative_to(ROOT).parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name not in ("record", "transition"):
                continue
            for arg in node.args[:4]:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) \
                        and re.fullmatch(r"[a-z_]+(\.[a-z_]+)+", arg.value):
                    names.add(arg.value)
                elif isinstance(arg, ast.JoinedStr):
                    built.add("".join(v.value if isinstance(v, ast.Constant)
                                      else "{" + ast.unparse(v.value) + "}"
                                      for v in arg.values))
    return names, built


def test_every_audit_event_written_has_a_label(app):
    names, built = _event_names()
    assert "payment.recorded" in names and "case.enforcement" in names  # the scan works
    assert built - set(BUILT) == set(), "list the new built event names in BUILT"
    for pattern in built:
        names |= set(BUILT[pattern])
    assert sorted(n for n in names if n not in ACTION_LABELS) == []
    from flask_babel import force_locale

    from core.labels import action_label
    with app.test_request_context():
        for locale in ("vi", "en"):
            with force_locale(locale):
                raw = [n for n in names if action_label(n) == n or "." in action_label(n)[:3]]
                assert raw == [], locale
        with force_locale("vi"):
            assert action_label("payment.recorded") == "Đã ghi nhận khoản nộp phạt"
            assert action_label("relief.exemption.requested") == \
                "Đã ghi nhận đề nghị miễn tiền phạt"


def test_the_timeline_shows_words(app, users, make_case, clock):
    from datetime import date

    from tests.test_enforcement import _login, decided

    cid = decided(app, users, make_case, clock)
    client = _login(app, users)
    assert client.post(f"/cases/{cid}/payment", data={
        "paid_on": "12/11/2014", "amount": "10.000.000", "receipt_number": "BL-0001",
        "place": "treasury"}).status_code == 302
    clock.set(date(2014, 11, 13))
    page = client.get(f"/cases/{cid}").get_data(as_text=True)
    assert "Đã ghi nhận khoản nộp phạt" in page and "Đã thêm biện pháp khắc phục hậu quả" in page
    assert not re.search(r">\s*(payment|measure|explanation|case)\.[a-z_]+\s*<", page)


def test_no_basis_shows_a_placeholder_or_a_code(app, users, login_as):
    page = login_as("inspector").get("/help").get_data(as_text=True)
    assert "{days}" not in page and "{start_label}" not in page
    assert "Khoản 1 Điều 73 Luật Xử lý vi phạm hành chính: 10 ngày" in page
    assert "legal.enforcement" not in page
    catalogue = login_as("admin").get("/legal/").get_data(as_text=True)
    assert "{days}" not in catalogue and "legal.enforcement" not in catalogue


def test_the_statistics_rows_in_english_and_the_schedule_label(app, users, login_as):
    client = login_as("supervisor")
    page = client.get("/cases/statistics?from=01/11/2014&to=30/11/2014").get_data(as_text=True)
    assert "Số tiền phạt đã thu trong kỳ (đồng)" in page and "Đến ngày" in page
    client.post("/lang/en", data={"next": "/"})
    page = client.get("/cases/statistics?from=01/11/2014&to=30/11/2014").get_data(as_text=True)
    assert "Fines collected in the period (đồng)" in page
    assert "Paid beyond what was owed in the period, to refund (đồng)" in page
    assert "Số tiền phạt" not in page and "Người nhận" not in page
    from cases.statistics import ROW_LABELS, figures
    with app.app_context():
        from datetime import date
        assert {code for code, _l, _v in figures(date(2014, 11, 1), date(2014, 11, 30))} \
            == set(ROW_LABELS)
    from cases.forms import InstalmentForm
    assert "dd/mm/yyyy" in str(InstalmentForm.schedule.args[0])


def test_one_english_word_two_senses_gets_two_vietnamese_words(app, users, login_as):
    """"Code", "Title", "To" and "Pending" each had one Vietnamese rendering for two senses:
    a campaign's code read "Mã vụ việc" (a case's code), its title "Chức danh" (a person's
    job title), its end date "Người nhận" (an e-mail's recipient), a measure not carried
    out yet "Chờ gửi" (an e-mail waiting to be sent)."""
    from tests.test_inspections import CAMPAIGN

    sup = login_as("supervisor")
    form = sup.get("/inspections/").get_data(as_text=True)
    assert "Mã đợt kiểm tra" in form and "Tên đợt kiểm tra" in form and "Đến ngày" in form
    assert sup.post("/inspections/", data=CAMPAIGN).status_code == 302
    page = sup.get("/inspections/").get_data(as_text=True)
    assert "KT-2014-01" in page
    for wrong in ("Mã vụ việc", "Chức danh", "Người nhận"):
        assert wrong not in page, wrong
    assert str(ObligationState.pending.label) == "Not carried out yet"
    from flask_babel import force_locale
    with app.test_request_context(), force_locale("vi"):
        assert str(ObligationState.pending.label) == "Chưa thực hiện"


def test_the_history_names_the_system_for_what_no_one_did(app, users, make_case, clock,
                                                          login_as):
    """The night's sweep moves a case to enforcement: its history line says the system did
    it, with no space before the colon of its note."""
    from datetime import date

    from cases import operations as ops
    from extensions import db

    case = make_case("delivered")  # received 07/11/2014: the fine is due by 17/11
    clock.set(date(2014, 11, 18))
    with app.app_context():
        assert [c.id for c in ops.move_overdue_to_enforcement()] == [case.id]
        db.session.commit()
    page = login_as("inspector").get(f"/cases/{case.id}").get_data(as_text=True)
    line = re.search(r"<b>Chuyển sang cưỡng chế thi hành[^<]*</b>[^<]*", page)
    assert line is not None
    assert re.sub(r"\s+", " ", line.group(0)).endswith("</b> — hệ thống: ")
