"""A GET never writes: every GET rule of the application, requested as every role (and
signed out) with the demo data loaded, commits nothing and sends no INSERT, UPDATE or DELETE
(docs/architecture.md#house-rules: one commit per request, and none for a GET). On the way,
every HTML page's title must be plain text (a block left open in a template once put a whole
calendar table into the browser tab's title)."""

from __future__ import annotations

import re

from sqlalchemy import event
from sqlalchemy.orm import Session

from extensions import db

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|TRUNCATE)\b", re.I)
TITLE = re.compile(r"<title>(.*?)</title>", re.S)
# Values for the URL variables: ids of the demo's first rows (a 404 is fine: what matters is
# that nothing is written on the way).
VALUES = {"int": 1, "default": "demo", "ext": "pdf", "token": "nope", "code": "vi"}


def _url(rule) -> str:
    values = {}
    for name, converter in rule._converters.items():
        kind = type(converter).__name__.lower()
        values[name] = VALUES["int"] if "int" in kind else VALUES.get(name, VALUES["default"])
    path = rule.rule
    for name, value in values.items():
        path = re.sub(rf"<(?:[^:<>]+:)?{name}>", str(value), path)
    return path


def test_no_get_route_commits_or_writes(app, runner):
    result = runner.invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output
    rules = [r for r in app.url_map.iter_rules()
             if "GET" in r.methods and r.endpoint != "static"]
    assert len(rules) > 30

    writes: list[str] = []
    commits: list[str] = []
    current = {"url": ""}

    def on_sql(conn, cursor, statement, parameters, context, executemany):
        if WRITE.match(statement):
            writes.append(f"{current['url']}: {statement.split()[0:3]}")

    def on_commit(session):
        commits.append(current["url"])

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", on_sql)
    event.listen(Session, "after_commit", on_commit)
    try:
        clients = {"anonymous": app.test_client()}
        for role in ("inspector", "supervisor", "admin"):
            client = app.test_client()
            current["url"] = f"POST /login as {role}"
            response = client.post("/login", data={"username": role, "password": "demo-2014"})
            assert response.status_code == 302, role
            clients[role] = client
        writes.clear()
        commits.clear()
        seen = 0
        titles: list[str] = []
        for rule in rules:
            url = _url(rule)
            for role, client in clients.items():
                current["url"] = f"GET {url} as {role}"
                response = client.get(url)
                assert response.status_code < 500, current["url"]
                seen += 1
                if response.status_code == 200 and response.mimetype == "text/html":
                    title = TITLE.search(response.get_data(as_text=True))
                    if title is None or "<" in title.group(1) or "\n" in title.group(1) \
                            or len(title.group(1)) > 200:
                        titles.append(f"{current['url']}: {title and title.group(1)[:80]!r}")
    finally:
        event.remove(engine, "before_cursor_execute", on_sql)
        event.remove(Session, "after_commit", on_commit)
    assert seen >= 4 * len(rules)
    assert titles == [], "\n".join(titles)
    assert writes == [], "\n".join(writes)
    assert commits == [], "\n".join(commits)
