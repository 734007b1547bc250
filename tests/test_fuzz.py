"""The guard for the whole kind: every route of the application, for every role, with
hostile values in every form field and query parameter — control characters and NUL,
decomposed Vietnamese, emoji, very long text, huge and negative numbers, impossible dates.
No answer may be a 5xx, and nothing already saved may change unless the request saved it
(answered with a redirect).

Form fields and query parameters are discovered, not listed: every page each role can GET
is read for its forms (action, method, field names), and a POST-only route no page shows
gets the fields of every form class of the application. URL arguments take the ids of a
small world (a site, cases from detection to closure, a decision, a report …), or hostile
text for the string ones.

`make test` runs one example per route and role (about 400 requests); `make fuzz` runs
the long profile (FUZZ_PROFILE=long) and prints how many requests it made.
"""

from __future__ import annotations

import hashlib
import io
import os
from html.parser import HTMLParser
from urllib.parse import parse_qs, quote, urlsplit

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text
from wtforms import SelectMultipleField

from extensions import db
from tests.conftest import PASSWORD, login

PROFILES = {"quick": 1, "long": 30}
EXAMPLES = PROFILES[os.environ.get("FUZZ_PROFILE", "quick")]
ROLES = ("anonymous", "inspector", "supervisor", "admin")

CONTROL = st.text(st.characters(min_codepoint=0, max_codepoint=0x1F), min_size=1, max_size=8)
HOSTILE = st.one_of(
    CONTROL,
    st.sampled_from(["\x00", "Tin\x00 tức", "Ghi\x07 chú\x1b[31m", "\r\n", "a\rb", "\u200b\u200b",
                     "Nguye\u0302\u0303n Va\u0306n A\u0301nh", "😀👨‍👩‍👧 Báo",
                     "<svg onload=alert(1)>", "' OR 1=1 --", "../../etc/passwd", "%00",
                     "=HYPERLINK(\"x\")", " "]),
    st.text(max_size=40),
    st.integers(min_value=300, max_value=20_000).map(lambda n: "Ắ" * n),
    st.sampled_from(["9" * 25, "-1", "-99999999999999999999", "0", "1e308", "²", "٣", "NaN",
                     "1.5", "15.000.000.000.000.000.000", "-15.000.000"]),
    st.integers(min_value=-2**70, max_value=2**70).map(str),
    st.sampled_from(["31/02/2014", "00/00/0000", "01/01/0001", "31/12/9999", "29/02/2015",
                     "32/13/2014", "2014-13-45", "1/1/1", "01/01/1900"]),
)
SKIP_ENDPOINTS = {"static"}
# Names of multi-choice fields (a <select multiple>, checkboxes, a SelectMultipleField):
# they get several hostile values at once, none of them a valid choice.
MULTIPLE: set[str] = set()


class _Forms(HTMLParser):
    """The forms of a page, [(action, method, {field name: input type})], and the query
    parameters of its links, {path: {parameter names}}."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, str, dict[str, str]]] = []
        self.links: dict[str, set[str]] = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and "?" in (a.get("href") or ""):
            url = urlsplit(a["href"])
            self.links.setdefault(url.path, set()).update(parse_qs(url.query, True))
        elif tag == "form":
            self.forms.append((a.get("action") or "", (a.get("method") or "get").lower(), {}))
        elif tag in ("input", "select", "textarea", "button") and self.forms and a.get("name"):
            self.forms[-1][2][a["name"]] = a.get("type") or tag
            if a.get("type") == "checkbox" or (tag == "select" and "multiple" in a):
                MULTIPLE.add(a["name"])


def _world(app, make_case, login_as):
    """A small registry and case history to aim the ids at; {URL argument: value}."""
    inspector, supervisor, admin = (login_as(r) for r in ("inspector", "supervisor", "admin"))
    inspector.post("/sites/new", data={
        "kind": "general_website", "name": "Tin Yên Thế", "domain": "tinyenthe.vn",
        "status": "unlicensed", "operator_kind": "organisation", "operator_name": "Công ty A",
        "hosted_in_vietnam": "", "inspector_id": ""})
    for state in ("detected", "verifying", "record_made", "sanction_proposed", "approved",
                  "decision_issued", "closed"):
        make_case(state=state)
    case = make_case(state="verifying")
    inspector.post(f"/cases/{case.id}/evidence", data={
        "file": (io.BytesIO(b"Trang chu\n"), "anh.txt"), "note": "Ghi chú"},
        content_type="multipart/form-data")
    inspector.post(f"/cases/{case.id}/coordination", data={
        "partner": "police", "partner_name": "Công an tỉnh", "sent_on": "12/11/2014",
        "request_text": "Đề nghị phối hợp.", "response_due_on": "20/11/2014"})
    inspector.post("/sites/import", data={"file": (io.BytesIO(
        "Tên trang,Tên miền\nTin,tin.vn\n".encode()), "a.csv")},
        content_type="multipart/form-data")
    supervisor.post("/sites/reports", data={"period_start": "01/11/2014",
                                            "period_end": "12/11/2014", "action": "issue",
                                            "confirm_report": "y"})
    admin.post("/legal/calendar", data={"day": "15/11/2014", "kind": "holiday",
                                        "name": "Nghỉ bù"})
    _campaigns(app, login_as)
    tables = {"site_id": "sites", "request_id": "coordination_requests",
              "decision_id": "decisions", "violation_id": "violations",
              "evidence_id": "evidence", "report_id": "reports",
              "text_id": "deadline_rule_texts", "limit_id": "competence_limits",
              "override_id": "calendar_overrides", "row_id": "notifications",
              "user_id": "users", "check_id": "inspection_checks",
              "member_id": "campaign_members"}
    with app.app_context():
        first = {arg: db.session.scalar(text(f"SELECT max(id) FROM {table}"))
                 for arg, table in tables.items()}
        first["case_id"] = db.session.scalar(text(
            f"SELECT case_id FROM decisions WHERE id = {first['decision_id']}"))
        first["clause_id"] = db.session.scalar(text("SELECT min(id) FROM legal_clauses"))
        first["token"] = db.session.scalar(text("SELECT token FROM import_batches"))
        # the campaign still being planned (scope, team, plan open); its checks are the
        # running campaign's (recording open)
        first["campaign_id"] = db.session.scalar(text("SELECT max(id) FROM campaigns"))
    first.update(code="vi", ext="pdf", name="x.eml", filename="app.js")
    return first


def _campaigns(app, login_as) -> None:
    """A running campaign (scope, team, plan, team decision issued, a check with a file)
    and, created after it, one still being planned with a team."""
    supervisor, other = login_as("supervisor"), login_as("supervisor2")
    for code in ("KT-2014-01", "KT-2014-02"):
        supervisor.post("/inspections/", data={
            "code": code, "title": "Kiểm tra trang thông tin điện tử", "legal_basis":
            "Công văn ngày 06/11/2014", "period_start": "10/11/2014",
            "period_end": "19/11/2014", "report_due_on": "19/11/2014"})
        with app.app_context():
            cid = db.session.scalar(text("SELECT max(id) FROM campaigns"))
        supervisor.post(f"/inspections/{cid}/scope", data={
            "kinds": ["general_website"], "statuses": ["unlicensed"]})
        supervisor.post(f"/inspections/{cid}/members", data={
            "name": "Nguyễn Đức Thắng", "agency": "department", "role": "head", "user_id": ""})
        if code == "KT-2014-01":
            supervisor.post(f"/inspections/{cid}/plan-scope")
            supervisor.post(f"/inspections/{cid}/decision/draft")
            other.post(f"/inspections/{cid}/decision/issue")
            with app.app_context():
                check = db.session.scalar(text("SELECT max(id) FROM inspection_checks"))
            supervisor.post(f"/inspections/checks/{check}/evidence", data={
                "file": (io.BytesIO(b"Trang chu\n"), "anh.txt")},
                content_type="multipart/form-data")


def _snapshot(app, tables) -> str:
    """A digest of every row of every table (what "nothing saved changed" compares)."""
    digest = hashlib.sha256()
    with app.app_context():
        for table in tables:
            for row in db.session.execute(text(f'SELECT * FROM "{table}" ORDER BY 1')):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def _restore_users(app, saved) -> None:
    """Undo what a hostile but valid form did to the users (a reset password, a role)."""
    from auth.models import User

    with app.app_context():
        for user in db.session.scalars(select(User)):
            user.password_hash, user.active, user.role, user.session_version = saved[user.id]
        db.session.commit()


def test_no_route_answers_5xx_to_hostile_input(app, users, make_case, login_as, capsys):
    from auth.models import User
    from core.forms import BaseForm

    world = _world(app, make_case, login_as)
    with app.app_context():
        saved_users = {u.id: (u.password_hash, u.active, u.role, u.session_version)
                       for u in db.session.scalars(select(User))}
        db.session.commit()
    tables = [t.name for t in db.metadata.sorted_tables]
    every_field: set[str] = set()
    classes = list(BaseForm.__subclasses__())
    while classes:
        form_class = classes.pop()
        classes.extend(form_class.__subclasses__())
        unbound = {n: getattr(form_class, n) for n in dir(form_class)
                   if hasattr(getattr(form_class, n), "field_class")}
        every_field |= set(unbound)
        MULTIPLE.update(n for n, f in unbound.items()
                        if issubclass(f.field_class, SelectMultipleField))
    rules = [r for r in app.url_map.iter_rules() if r.endpoint not in SKIP_ENDPOINTS]
    counter = {"requests": 0}

    def client_for(role):
        client = app.test_client()
        if role != "anonymous":
            login(client, role, PASSWORD)
        return client

    def path_of(rule, data=None) -> str:
        parts = {}
        for arg in rule.arguments:
            value = world.get(arg, "1")
            if data is not None and not isinstance(value, int) and data.draw(st.booleans()):
                value = data.draw(HOSTILE)
            parts[arg] = quote(str(value), safe="")
        path = rule.rule
        for arg in rule.arguments:
            path = path.replace(f"<{arg}>", parts[arg])
            for conv in ("int", "path", "string"):
                path = path.replace(f"<{conv}:{arg}>", parts[arg])
        return path

    # discovery: the forms each role sees on each page it can GET
    discovered: dict[tuple[str, str], set[str]] = {}
    for role in ROLES:
        client = client_for(role)
        for rule in rules:
            if "GET" not in rule.methods:
                continue
            response = client.get(path_of(rule))
            counter["requests"] += 1
            if response.mimetype != "text/html":
                continue
            parser = _Forms()
            parser.feed(response.get_data(as_text=True))
            for action, method, fields in parser.forms:
                target = urlsplit(action).path or path_of(rule)
                discovered.setdefault((target, method), set()).update(fields)
            for target, names in parser.links.items():
                discovered.setdefault((target, "get"), set()).update(names)
    _restore_users(app, saved_users)

    def fuzzer(rule, role, client):
        @settings(max_examples=EXAMPLES, database=None, deadline=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        @given(data=st.data())
        def run(data):
            path = path_of(rule, data)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                fields = discovered.get((path_of(rule), method.lower()))
                if fields is None:
                    fields = every_field if method == "POST" else set()
                values, files = {}, {}
                for name in sorted(fields):
                    if name == "file":
                        files[name] = (io.BytesIO(data.draw(st.binary(max_size=64))),
                                       data.draw(HOSTILE)[:300] or "x")
                    elif name in MULTIPLE:
                        values[name] = [data.draw(HOSTILE), data.draw(HOSTILE)]
                    elif name not in ("csrf_token",):
                        values[name] = data.draw(HOSTILE)
                before = _snapshot(app, tables)
                if method == "GET":
                    response = client.get(path, query_string=values)
                else:
                    response = client.post(path, data={**values, **files},
                                           content_type="multipart/form-data")
                counter["requests"] += 1
                assert response.status_code < 500, (
                    f"{role} {method} {path} → {response.status_code}")
                saved = method == "POST" and 300 <= response.status_code < 400
                if not saved and rule.endpoint != "registry.reports":  # GET plans reports
                    assert _snapshot(app, tables) == before, (
                        f"{role} {method} {path} → {response.status_code} changed data")

        return run

    failures: list[str] = []
    for rule in sorted(rules, key=lambda r: r.rule):
        for role in ROLES:
            run = fuzzer(rule, role, client_for(role))
            try:
                run()
            except Exception as exc:  # a failed assertion, or the app's error (testing mode)
                first = (str(exc).splitlines() or [""])[0]
                failures.append(f"{role} {rule.rule}: {type(exc).__name__}: {first[:300]}")
            _restore_users(app, saved_users)
    with capsys.disabled():
        print(f"\nfuzz ({os.environ.get('FUZZ_PROFILE', 'quick')}): {counter['requests']} "
              f"requests, {len(rules)} routes × {len(ROLES)} roles")
    assert failures == []
