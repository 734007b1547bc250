"""The registry import's bulk writes (`core.bulk`: ids taken first, COPY on PostgreSQL,
executemany on SQLite): the audit trail's chain, the status history, the licence deadlines,
the search text and the sort keys come out as the one-by-one path writes them. Run on
SQLite, and on PostgreSQL with TEST_DATABASE_URL."""

from __future__ import annotations

import csv
import io
from datetime import date

from sqlalchemy import select, update

from core.audit import verify_chain
from core.collation import sort_key
from core.models import AuditEvent, AuditHead
from deadlines.models import Deadline
from extensions import db
from registry.models import Site, SiteStatusChange
from registry.spreadsheet import HEADERS

N = 300


def _file(first: int, n: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    for i in range(first, first + n):
        # every third site unlicensed (no licence deadlines), the others licensed
        licensed = i % 3 != 0
        writer.writerow([f"Trang tin Đồng Tháp {i}", f"dongthap{i}.vn",
                         "Trang thông tin điện tử tổng hợp",
                         "Đã cấp phép" if licensed else "Hoạt động không phép", "Tổ chức",
                         f"Công ty Cổ phần Ánh Dương {i}", "", "",
                         f"{i}/GP-STTTT" if licensed else "", "Sở TT&TT Bắc Giang" if licensed
                         else "", f"{1 + i % 28:02d}/10/2014" if licensed else "",
                         "20/10/2019" if licensed else "", "Lục Ngạn", ""])
    return out.getvalue().encode("utf-8")


def _import(client, content: bytes) -> None:
    response = client.post("/sites/import", data={"file": (io.BytesIO(content), "ds.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]
    assert client.post(response.location, data={}).status_code == 302


def test_a_bulk_import_keeps_the_audit_chain_and_writes_what_one_by_one_writes(
        app, users, login_as):
    client = login_as("inspector")
    # one site the ordinary way before the import, so the import's chain starts mid-trail
    form = {"kind": "general_website", "name": "Trang tin Đồng Tháp 1",
            "domain": "dongthap1.vn", "status": "licensed", "operator_kind": "organisation",
            "operator_name": "Công ty Cổ phần Ánh Dương 1", "licence_number": "1/GP-STTTT",
            "licence_issuer": "Sở TT&TT Bắc Giang", "licence_issued_on": "20/10/2014",
            "licence_expires_on": "20/10/2019", "district": "Lục Ngạn",
            "hosted_in_vietnam": "yes"}
    assert client.post("/sites/new", data=form).status_code == 302
    _import(client, _file(2, N))
    # an edit after it: the chain goes on from the import's last event
    with app.app_context():
        later = db.session.scalar(select(Site).where(Site.domain == "dongthap151.vn"))
        later_id = later.id
    form150 = {**form, "name": "Trang tin Đồng Tháp 151 (sửa)", "domain": "dongthap151.vn",
               "operator_name": "Công ty Cổ phần Ánh Dương 151", "version": "1",
               "licence_number": "151/GP-STTTT", "licence_issued_on": "11/10/2014"}
    edited = client.post(f"/sites/{later_id}/edit", data=form150)
    assert edited.status_code == 302

    with app.app_context():
        assert verify_chain() == []
        sites = db.session.scalars(select(Site).order_by(Site.id)).all()
        assert len(sites) == N + 1
        # the file's order is the ids' order and the audit chain's order
        assert [s.domain for s in sites] == [f"dongthap{i}.vn" for i in range(1, N + 2)]
        created = db.session.execute(
            select(AuditEvent.object_id, AuditEvent.after)
            .where(AuditEvent.action == "site.created").order_by(AuditEvent.id)).all()
        assert [int(object_id) for object_id, _after in created] == [s.id for s in sites]
        assert created[6].after == {"domain": "dongthap7.vn", "status": "licensed"}
        assert created[5].after == {"domain": "dongthap6.vn", "status": "unlicensed"}
        head = db.session.get(AuditHead, 1)
        last = db.session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1))
        assert (head.last_id, head.last_hash) == (last.id, last.hash)
        assert last.action == "site.updated"

        # the imported sites carry what the form's site carries: search text, sort keys,
        # version, history line, deadlines
        first, imported = sites[0], sites[9]  # dongthap10.vn, licensed, issued 11/10/2014
        assert imported.search_text == ("trang tin dong thap 10 dongthap10.vn cong ty co "
                                        "phan anh duong 10 luc ngan 10/gp-stttt")
        assert imported.name_key == sort_key("Trang tin Đồng Tháp 10")
        assert imported.district_key == sort_key("Lục Ngạn") == first.district_key
        assert (imported.version, imported.operator_kind) == (1, "organisation")
        history = db.session.execute(
            select(SiteStatusChange.old_status, SiteStatusChange.new_status,
                   SiteStatusChange.reason).where(SiteStatusChange.site_id == imported.id)
        ).all()
        assert history == [(None, "licensed", "Nhập từ ds.csv")]
        assert db.session.scalar(select(SiteStatusChange.changed_by_id).where(
            SiteStatusChange.site_id == imported.id)) == users["inspector"].id

        def deadlines(site):
            return {d.key: (d.due_on, d.state, d.rule_code, d.legal_basis, d.verified,
                            d.inputs, d.site_id, d.scope)
                    for d in db.session.scalars(select(Deadline).where(
                        Deadline.site_id == site.id))}

        mine, theirs = deadlines(first), deadlines(imported)
        # 90 days from the licence (Circular 09/2014 Art. 2), and the expiry on the licence
        assert theirs["licence_launch"][0] == date(2015, 1, 9)
        assert theirs["licence_expiry"][:2] == (date(2019, 10, 20), "open")
        assert theirs["licence_expiry"][2:5] == mine["licence_expiry"][2:5]
        assert theirs["licence_expiry"][5] == {**mine["licence_expiry"][5],
                                               "start": "2014-10-11"}  # its own licence date
        assert theirs["licence_launch"][2:4] == mine["licence_launch"][2:4]
        assert theirs["licence_expiry"][6:] == (imported.id, f"site:{imported.id}")
        unlicensed = sites[2]  # dongthap3.vn
        assert unlicensed.status == "unlicensed" and deadlines(unlicensed) == {}

        # the check can fail: an imported event edited in the database shows
        db.session.execute(update(AuditEvent).where(
            AuditEvent.object_id == created[100].object_id,
            AuditEvent.action == "site.created").values(note="sửa trái phép"))
        problems = verify_chain()
        assert len(problems) == 1 and "content does not match its hash" in problems[0]
        db.session.rollback()


def test_a_second_import_continues_the_chain_and_the_ids(app, users, login_as):
    client = login_as("inspector")
    _import(client, _file(1, 50))
    _import(client, _file(51, 50))
    with app.app_context():
        assert verify_chain() == []
        ids = db.session.scalars(select(Site.id).order_by(Site.id)).all()
        assert len(ids) == 100 and ids == sorted(set(ids))
        event_ids = db.session.scalars(select(AuditEvent.id).order_by(AuditEvent.id)).all()
        head = db.session.get(AuditHead, 1)
        assert head.count == len(event_ids) and head.last_id == event_ids[-1]
