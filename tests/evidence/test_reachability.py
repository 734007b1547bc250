"""The registry check on loopback sites: one that answers, one that is down (nothing
listens), one that is slow (accepts and never answers), one that refuses HEAD; online or
offline since when, the HTTP status, shown in the registry list and filtered there."""

from __future__ import annotations

import socket
import threading
from datetime import datetime, timedelta

from sqlalchemy import select

from core.clock import LOCAL_TZ
from extensions import db
from registry.models import Site, SiteCheck
from registry.reachability import check_all
from tests.helpers import free_port


class SilentServer:
    """Accepts connections and never answers (a hung site)."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.held = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)

    def close(self):
        self.sock.close()
        for conn in self.held:
            conn.close()


def _site(domain: str, name: str, now) -> int:
    site = Site(kind="general_website", name=name, domain=domain, operator_name="Công ty A",
                status="licensed", created_at=now, updated_at=now)
    site.refresh_search_text()
    db.session.add(site)
    db.session.flush()
    return site.id


def test_up_down_slow_and_head_refused(app, loopback, site, clock, login_as):
    slow = SilentServer()
    t0 = datetime(2014, 11, 12, 2, 0, tzinfo=LOCAL_TZ)
    clock.set(t0)
    try:
        with app.app_context():
            up = _site(f"localhost:{site.port}", "Trang hoạt động", t0)
            down = _site(f"127.0.0.1:{free_port()}", "Trang đã tắt", t0)
            hung = _site(f"127.0.0.1:{slow.port}", "Trang treo", t0)
            db.session.commit()
            assert check_all() == {"online": 1, "offline": 2}
            db.session.commit()
            checks = {c.site_id: c for c in db.session.scalars(select(SiteCheck))}
            assert (checks[up].state, checks[up].http_status) == ("online", 200)
            assert checks[up].url == f"https://localhost:{site.port}/" or \
                checks[up].url == f"http://localhost:{site.port}/"
            assert checks[down].state == "offline" and checks[down].http_status is None
            assert "refused" in checks[down].error.lower() or "unreachable" in checks[down].error
            assert checks[hung].state == "offline"
            assert "timed out" in checks[hung].error or "timeout" in checks[hung].error.lower()
            assert {c.since for c in checks.values()} == {t0}

            # a day later the site refuses HEAD (405): GET says it operates; since is kept
            clock.set(t0 + timedelta(days=1))
            site.state.head_status = 405
            check_all([up])
            db.session.commit()
            check = db.session.get(SiteCheck, up)
            assert (check.state, check.http_status, check.since) == ("online", 200, t0)
            assert check.checked_at == t0 + timedelta(days=1)
            assert site.state.requests[-2:] == ["/", "/"]  # HEAD then GET

            # two days later it fails with 500: offline since then
            clock.set(t0 + timedelta(days=2))
            site.state.root_status = 500
            check_all([up])
            db.session.commit()
            check = db.session.get(SiteCheck, up)
            assert (check.state, check.http_status) == ("offline", 500)
            assert check.since == t0 + timedelta(days=2)
    finally:
        slow.close()

    client = login_as("inspector")
    page = client.get("/sites/?online=offline").get_data(as_text=True)
    assert "Trang đã tắt" in page and "Trang treo" in page and "Trang hoạt động" in page
    assert "HTTP 500" in page
    page = client.get("/sites/?online=online").get_data(as_text=True)
    assert "Trang đã tắt" not in page and "Trang hoạt động" not in page
