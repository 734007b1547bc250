"""Documents rendered in several threads at once (gunicorn with threads, the scheduler beside
the web): each thread has its own WeasyPrint font configuration and parsed style sheet
(`core.pdf.resources`), and every document reads the same as one rendered alone."""

from __future__ import annotations

import threading

from tests.helpers import pdf_text


def test_decisions_rendered_in_parallel_threads_read_the_same(app, make_case):
    from cases.documents import render_decision
    from cases.models import Decision
    from core import pdf
    from extensions import db

    case = make_case(state="decision_issued")
    with app.app_context():
        snapshot = db.session.scalars(
            db.select(Decision.snapshot).where(Decision.case_id == case.id)).one()
    with app.app_context(), app.test_request_context():
        alone = pdf_text(render_decision(snapshot))
    assert case.code in alone and "QUYẾT ĐỊNH" in alone
    results, held, failures = [], [], []

    def render() -> None:
        try:
            with app.app_context(), app.test_request_context():
                for _i in range(2):
                    results.append(pdf_text(render_decision(snapshot)))
                held.append(pdf.resources())
        except Exception as exc:  # noqa: BLE001  (reported below, with the thread's error)
            failures.append(exc)

    threads = [threading.Thread(target=render) for _i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert results == [alone] * 8
    assert len({id(fonts) for fonts, _style in held}) == 4  # one configuration per thread
    assert len({id(style) for _fonts, style in held}) == 4
