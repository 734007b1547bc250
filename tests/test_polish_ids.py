"""Ids posted by the user (a document of the evidence, a web capture, a receipt): a value
that is no id (30 digits, "-1", words) or an id that is not one of the case's own is a
field error beside its field, HTTP 422, what was typed kept — never a 500, never silently
ignored (issue: OverflowError from a 30-digit evidence_id)."""

from __future__ import annotations

from sqlalchemy import func, select

from cases.models import FineRelief
from extensions import db
from tests.helpers import read
from tests.test_enforcement import _login, _obligation
from tests.test_enforcement import decided as decided_with_measure
from tests.test_reliefs import _request
from tests.test_reliefs import decided as decided_fine

NOT_IDS = ("9" * 30, str(2**63), "-1", "0", "abc", "٣")


def _reliefs(app, cid) -> int:
    return read(app, lambda: db.session.scalar(
        select(func.count()).select_from(FineRelief).where(FineRelief.case_id == cid)))


def test_a_relief_refuses_an_evidence_id_that_is_no_id_or_not_the_cases(app, users,
                                                                       make_case, clock):
    cid = decided_fine(app, users, make_case, fine=5_000_000)
    client = _login(app, users)
    for value in (*NOT_IDS, "12345"):  # 12345: an id, but no file of this case
        response = _request(client, cid, evidence_id=value)
        assert response.status_code == 422, value
        page = response.get_data(as_text=True)
        assert "không có trong danh sách" in page, value
        assert "Nhà bị cháy ngày 09/11/2014" in page  # what was typed is kept
    assert _reliefs(app, cid) == 0
    assert _request(client, cid, evidence_id="").status_code == 302
    assert _reliefs(app, cid) == 1


def test_an_obligation_refuses_ids_that_are_not_the_cases(app, users, make_case, clock):
    cid = decided_with_measure(app, users, make_case, clock)
    ob = _obligation(app, cid)
    client = _login(app, users)
    p = f"o{ob.id}-"
    base = {p + "state": "done", p + "on": "12/11/2014", p + "proof": "confirmation",
            p + "confirmation": "Cục PTTH&TTĐT, công văn số 15/PTTH ngày 12/11/2014"}
    for field in ("evidence_id", "capture_id"):
        for value in (*NOT_IDS, "4242"):
            response = client.post(f"/cases/{cid}/obligations/{ob.id}",
                                   data={**base, p + field: value})
            assert response.status_code == 422, (field, value)
            assert "không có trong danh sách" in response.get_data(as_text=True)
    assert _obligation(app, cid).state == "pending"
    assert client.post(f"/cases/{cid}/obligations/{ob.id}", data=base).status_code == 302
    assert _obligation(app, cid).state == "done"


def test_the_delivery_proof_refuses_a_huge_id(app, users, make_case, clock):
    cid = decided_with_measure(app, users, make_case, clock, deliver_on=None)
    response = _login(app, users).post(f"/cases/{cid}/delivery", data={
        "method": "post", "sent_on": "10/11/2014", "delivered_on": "", "proof_id": "9" * 30})
    assert response.status_code == 422
    assert "không có trong danh sách" in response.get_data(as_text=True)


def test_every_select_of_an_id_checks_its_value():
    """The guard for the kind: a select of any form whose name ends in "_id" either checks
    its value against its choices (WTForms' own check) or is an `IdSelectField`."""
    from wtforms import SelectField

    import app as _app  # noqa: F401 - every blueprint imported, so every form defined
    from core.forms import BaseForm, IdSelectField

    loose = []
    classes = list(BaseForm.__subclasses__())
    while classes:
        form_class = classes.pop()
        classes.extend(form_class.__subclasses__())
        for name in dir(form_class):
            unbound = getattr(form_class, name)
            kind = getattr(unbound, "field_class", None)
            if kind is None or not issubclass(kind, SelectField) or not name.endswith("_id"):
                continue
            if not issubclass(kind, IdSelectField) and \
                    unbound.kwargs.get("validate_choice", True) is False:
                loose.append(f"{form_class.__name__}.{name}")
    assert loose == []
