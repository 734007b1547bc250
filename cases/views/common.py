"""Helpers shared by the case views."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import exists, inspect, select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError
from wtforms.fields.choices import SelectChoice

from auth.models import Role, User
from cases import forms
from cases.capture_forms import ButtonForm, CaptureForm, WatchForm
from cases.deadlines import longer_time_limit
from cases.enforcement import next_step, standing
from cases.models import (
    CaptureState,
    Case,
    CaseAction,
    CoercionDecision,
    Complaint,
    Evidence,
    Explanation,
    FineRelief,
    InstalmentPlan,
    Obligation,
    Payment,
    Violation,
    ViolationRecord,
    Watch,
    WebCapture,
)
from cases.operations.explanation import explanation_hold
from cases.operations.instalments import refusals as plan_refusals
from cases.operations.record import proposed_record_number
from cases.operations.reliefs import refusals as relief_refusals
from cases.operations.reliefs import rule_of as relief_rule
from cases.views.capture_panel import capture_panel
from catalogue.engine import legal_catalogue
from core.clock import clock
from core.documents import case_register, signing_configured
from core.errors import NotAllowed, OperationError
from core.forms import refuse
from core.input import to_int
from core.labels import action_label
from core.models import AuditEvent, IssuedDocument
from core.once import already_done, commit_once, done_before, remember
from extensions import db
from inspections.models import InspectionCheck
from legal.catalogue import short_citation
from legal.fines import FineError, propose_fine, range_for_subject
from legal.money import format_vnd


def case_page_loads() -> tuple:
    """What the case page reads, loaded with the case so that no template fires a query of
    its own (`is_time_barred` reads the deadlines and the decisions, `has_unverified_law` the
    violations' clauses): the one-to-one relations joined — the inspection check the case
    was opened from and its campaign too (`Case.inspection_check` is declared by the
    inspections package, which the page, on the web floor, may read) — each list in one
    query, the violations' measures with the violations. The frozen PDFs stay deferred.
    The deadlines come after the coordination requests, whose rows they name (found in the
    session, no query). The payments are read by `load_by_state`, only when there are any.
    A function: the options resolve the mappers, which must all be imported first."""
    return (
        joinedload(Case.site), joinedload(Case.inspector), joinedload(Case.supervisor),
        joinedload(Case.proposer), joinedload(Case.approver),
        joinedload(Case.record).joinedload(ViolationRecord.made_by),
        joinedload(Case.record).joinedload(ViolationRecord.extended_by),
        joinedload(Case.inspection_check).joinedload(InspectionCheck.campaign),
        selectinload(Case.violations).options(joinedload(Violation.clause),
                                              joinedload(Violation.measures)),
        selectinload(Case.coordination_requests),
        selectinload(Case.deadlines),
        joinedload(Case.decisions),
        selectinload(Case.evidence).joinedload(Evidence.captured_by),
    )


def after_decision() -> tuple:
    """What only a decision brings (each row names its decision: `decision_id` is NOT
    NULL): (the case's collection, its model, loader options). A function, for the same
    reason as `case_page_loads`."""
    return (("obligations", Obligation, (joinedload(Obligation.capture),)),
            ("complaints", Complaint, ()),
            ("instalment_plans", InstalmentPlan, ()),
            ("coercions", CoercionDecision, ()),
            ("reliefs", FineRelief, (joinedload(FineRelief.evidence),)))


def held_lists() -> dict:
    """The case page's lists that a case often does not hold, {name: the condition naming
    the case}: the case query asks, for each, whether it holds any row (an EXISTS each, on
    the table's index on `case_id`), and an empty one is never read (`load_by_state`,
    `capture_panel`, `render_case`). A function, for the same reason as `case_page_loads`."""
    return {"payments": Payment.case_id == Case.id,
            **{name: model.case_id == Case.id for name, model, _o in after_decision()},
            "explanations": Explanation.case_id == Case.id,
            # the case's own captures (a watch's re-captures are read with the watches)
            "captures": (WebCapture.case_id == Case.id) & WebCapture.watch_id.is_(None),
            "watches": Watch.case_id == Case.id,
            "issued": IssuedDocument.case_id == Case.id}


def page_case(case_id: int, *, populate: bool = False) -> Case | None:
    """The case with what its page shows (`case_page_loads`, then `load_by_state`), None
    when there is no such case; `populate`: overwrite what the session already holds of
    it. One query for the case, what it points at and which of `held_lists` hold rows
    (remembered for the request: `holds`)."""
    flags = held_lists()
    stmt = (select(Case, *(exists().where(cond).label(name) for name, cond in flags.items()))
            .where(Case.id == case_id).options(*case_page_loads()))
    if populate:
        stmt = stmt.execution_options(populate_existing=True)
    row = db.session.execute(stmt).unique().one_or_none()
    if row is None:
        return None
    case = row[0]
    held = frozenset(name for name, value in zip(flags, row[1:], strict=True) if value)
    g.setdefault("_case_holds", {})[case.id] = held
    load_by_state(case)
    return case


def holds(case: Case, name: str) -> bool:
    """Whether the case holds rows of the list `name` of `held_lists`, as its page's query
    found (True when the case was not loaded by `page_case`: then read it)."""
    held = g.get("_case_holds", {}).get(case.id)
    return held is None or name in held


def load_by_state(case: Case) -> None:
    """Load what the case page shows only in some states, once the case is loaded with
    `case_page_loads` — none of it from a template, none of it when the state cannot have
    it or the case holds none (`holds`). The payments, remedial measures ordered,
    complaints, instalment plans, coercion decisions and requests to postpone, reduce or
    exempt the fine all belong to a decision: a case without one has none, and no query is
    run (the collections are set empty). The violator's explanations are read only when
    the record gives the right to explain (everything that reads them checks that first:
    the explanation panel, the time limit to decide, the hold on the decision). The replies
    to coordination requests are among the case's evidence (no query)."""
    payments = (db.session.scalars(select(Payment).where(Payment.case_id == case.id)
                                   .order_by(Payment.id)).all()
                if case.decisions and holds(case, "payments") else [])
    for decision in case.decisions:
        set_committed_value(decision, "payments",
                            [p for p in payments if p.decision_id == decision.id])
    for name, model, options in after_decision():
        rows = (db.session.scalars(select(model).where(model.case_id == case.id)
                                   .options(*options).order_by(model.id)).unique().all()
                if case.decisions and holds(case, name) else [])
        set_committed_value(case, name, rows)
        if name == "reliefs":
            # the standing reads them by decision: the same rows, no second query
            for decision in case.decisions:
                set_committed_value(decision, "reliefs",
                                    [r for r in rows if r.decision_id == decision.id])
    record = case.record
    if record is not None and record.explanation_right:
        set_committed_value(case, "explanations", db.session.scalars(
            select(Explanation).where(Explanation.case_id == case.id)
            .options(joinedload(Explanation.evidence))
            .order_by(Explanation.received_on, Explanation.id)).all()
            if holds(case, "explanations") else [])
    for req in case.coordination_requests:
        set_committed_value(req, "replies",
                            [e for e in case.evidence if e.coordination_id == req.id])


def get_case(case_id: int, need: CaseAction | None = None, *, page: bool = False) -> Case:
    """The case, or 404; 403 unless the current user may take the action `need` now
    (`Case.available_actions`): checked before any input is looked at. `page`: with what
    the case page shows (`page_case`), for a view that renders it."""
    case = page_case(case_id) if page else db.session.get(Case, case_id)
    if case is None or not case.can_view(current_user):
        abort(404)
    if need is not None and not case.may(current_user, need):
        # the second click of a form whose first click already moved the case on (issue,
        # approve…): the result of the first, not a refusal
        done = done_before(request.form.get("once")) if request.method == "POST" else None
        if done is not None:
            abort(done)
        abort(403)
    return case


def clause_choices(case: Case | None) -> list[SelectChoice]:
    """The provisions in force on the case's violation date (every latest version without a
    case), labelled with the point-level citation, the act and the range for the case's
    subject; each option carries what the text allows (warning, additional sanctions,
    remedial measures: lists to choose from, or "not known") for the form's hints."""
    cat = legal_catalogue()
    day = case.violation_date if case else None
    versions = cat.in_force(day) if day else cat.find("", None)
    english = str(get_locale()) == "en"
    unknown = _("not known — check the text")
    out = [SelectChoice("", _("— choose a clause —"))]
    for v in versions:
        rng = (range_for_subject(v.fine_min, v.fine_max, v.base_subject, case.subject_kind)
               if case and v.range_known else None)
        span = (f"{format_vnd(rng.minimum)}–{format_vnd(rng.maximum)} đ" if rng
                else _("range not in the catalogue"))
        flag = "" if v.verified else " ⚠ " + _("unverified")
        act = v.act_en if english and v.act_en else v.act_vi
        short = act if len(act) <= 90 else act[:89].rsplit(" ", 1)[0] + "…"
        fine = _proposed_fine(v, case)
        out.append(SelectChoice(v.id, f"{short_citation(v.id)} — {short} ({span}){flag}",
                                render_kw={
            "data-fine": format_vnd(fine) if fine is not None else "",
            "data-id": v.id,
            "data-warning": {True: _("allowed"), False: _("not allowed"),
                             None: unknown}[v.warning_allowed],
            "data-additional": _joined(v.additional_sanctions, unknown),
            "data-remedial": _joined(v.remedial_measures, unknown),
            "data-remedial-items": "\n".join(v.remedial_measures or ())}))
    return out


def _proposed_fine(version, case: Case | None) -> int | None:
    """The fine `legal.fines.propose_fine` proposes for `version` and the case's subject on
    its violation date without circumstances (VND), or None (no case, range not known)."""
    if case is None or not version.range_known:
        return None
    try:
        return propose_fine(version, case.subject_kind, case.violation_date).amount
    except FineError:
        return None


def sanction_form(violation, case: Case, **kwargs):
    """The form changing `violation`'s sanction (prefix "s<id>"; `kwargs` to the form: the
    request's data by default), its fine field's placeholder the proposed fine of its
    clause for the case's subject."""
    form = forms.SanctionForm(prefix=f"s{violation.id}", obj=violation, **kwargs)
    fine = _proposed_fine(violation.clause.as_value(), case)
    if fine is not None:
        form.fine_amount.render_kw = {**(form.fine_amount.render_kw or {}),
                                      "placeholder": format_vnd(fine)}
    return form


def _joined(items, unknown: str) -> str:
    if items is None:
        return unknown
    return "\n".join(items) if items else _("none in the text")


def user_choices(role: Role, blank: str) -> list[SelectChoice]:
    users = db.session.scalars(
        select(User).where(User.role == role, User.active.is_(True))
        .order_by(User.name_key, User.id))
    return [SelectChoice("", blank)] + [SelectChoice(str(u.id), u.full_name) for u in users]


def _violation_form(case: Case, today):
    form = forms.ViolationForm(formdata=None)
    form.clause_id.choices = clause_choices(case)
    return form


def _payment_form(case: Case, today):
    s = standing(case, today)
    # what is owed today: the fine's balance and, when late, its surcharge (Art. 78(1)), which
    # the Treasury collects together
    owed = (s.balance + s.surcharge - s.surcharge_paid) if s is not None else 0
    amount = owed or None
    return forms.PaymentForm(formdata=None, data={"paid_on": today, "amount": amount})


def _relief_form(case: Case, today):
    form = forms.ReliefForm(formdata=None, data={"requested_on": today})
    form.evidence_id.choices = evidence_choices(case)
    return form


def _delivery_form(case: Case, today):
    form = forms.DeliveryForm(formdata=None)
    form.proof_id.choices = evidence_choices(case)
    return form


def evidence_choices(case: Case) -> list[SelectChoice]:
    """The case's stored files, for a form that points at one as proof."""
    return [SelectChoice("", "—")] + [
        SelectChoice(str(e.id), f"{e.filename} ({e.captured_at:%d/%m/%Y})")
        for e in case.evidence if e.stored_name]


def capture_choices(case: Case) -> list[SelectChoice]:
    rows = db.session.scalars(select(WebCapture).where(
        WebCapture.case_id == case.id, WebCapture.state == CaptureState.done)
        .order_by(WebCapture.id.desc())).all()
    return [SelectChoice("", "—")] + [SelectChoice(str(c.id), f"{c.url} #{c.id}") for c in rows]


def case_evidence(case: Case, value: str | None) -> Evidence | None:
    """The case's evidence row named by a form's select (None when empty or not this case's)."""
    if (evidence_id := to_int(value)) is None:  # empty, or not an id (30 digits, "-1")
        return None
    row = db.session.get(Evidence, evidence_id)
    return row if row is not None and row.case_id == case.id else None


def measure_choices(violation) -> list[SelectChoice]:
    """The remedial measures the violation's clause provides; "other" (typed words) only when
    the catalogue does not know the list (docs/legal/enforcement.md#measures)."""
    allowed = violation.clause.remedial_measures if violation.clause is not None else None
    out = [SelectChoice("", _("— choose a measure —"))]
    out += [SelectChoice(m, m) for m in allowed or ()]
    if allowed is None:
        out.append(SelectChoice("other", _("Other (the catalogue does not list them)")))
    return out


A = CaseAction
# Each form of the case page: the actions whose panel shows it, and how to build it empty.
PANEL_FORMS = {
    "evidence_form": ({A.add_evidence}, lambda c, t: forms.EvidenceForm(formdata=None)),
    "coordination_form": ({A.coordinate}, lambda c, t: forms.CoordinationForm(
        formdata=None, data={"sent_on": t})),
    "violation_form": ({A.edit}, _violation_form),
    "record_form": ({A.make_record}, lambda c, t: forms.RecordForm(
        formdata=None, data={"made_on": t, "number": proposed_record_number(t)})),
    "note_form": ({A.verify, A.propose, A.approve, A.edit, A.edit_sanction},
                  lambda c, t: forms.NoteForm(formdata=None)),
    "reason_form": ({A.approve, A.dismiss}, lambda c, t: forms.ReasonForm(formdata=None)),
    "transfer_form": ({A.transfer}, lambda c, t: forms.TransferForm(formdata=None)),
    "correction_form": ({A.correct}, lambda c, t: forms.CorrectionForm(
        formdata=None, data={"correction_on": t})),
    "void_form": ({A.void}, lambda c, t: forms.VoidForm(formdata=None)),
    "extension_form": ({A.extend}, lambda c, t: forms.ExtensionForm(formdata=None)),
    "reopen_form": ({A.reopen}, lambda c, t: forms.ReopenForm(formdata=None)),
    "explanation_form": ({A.explain}, lambda c, t: forms.ExplanationForm(
        formdata=None, data={"received_on": t})),
    "hearing_form": ({A.explain}, lambda c, t: forms.HearingForm(
        formdata=None, data={"held_on": t})),
    "national_db_form": ({A.national_db}, lambda c, t: forms.NationalDbForm(
        formdata=None, data={"entered_on": t})),
    "issue_form": ({A.issue}, lambda c, t: forms.IssueForm(formdata=None, data={"issued_on": t})),
    "delivery_form": ({A.deliver}, _delivery_form),
    "payment_form": ({A.pay}, _payment_form),
    "close_form": ({A.close}, lambda c, t: forms.CloseForm(formdata=None)),
    "coercion_form": ({A.pay}, lambda c, t: forms.CoercionForm(formdata=None)),
    "instalment_form": ({A.pay}, lambda c, t: forms.InstalmentForm(
        formdata=None, data={"requested_on": t})),
    "relief_form": ({A.pay}, _relief_form),
    "complaint_form": ({A.complaint}, lambda c, t: forms.ComplaintForm(
        formdata=None, data={"received_on": t, "accepted_on": t, "complainant": c.subject_name})),
    "capture_form": ({A.capture}, lambda c, t: CaptureForm(formdata=None)),
    "watch_form": ({A.watch}, lambda c, t: WatchForm(formdata=None)),
    "button_form": ({A.watch}, lambda c, t: ButtonForm(formdata=None)),
}


class DeferredForm:
    """A panel's empty form, built when the page first reads one of its attributes: a
    panel whose own conditions hide it (the coercion form outside enforcement, the
    time-barred closing, a correction already made…) never builds it."""

    __slots__ = ("_build", "_form")

    def __init__(self, build):
        self._build, self._form = build, None

    def __getattr__(self, name: str):
        if self._form is None:
            self._form = self._build()
        return getattr(self._form, name)


def panel_forms(case: Case, actions: frozenset[CaseAction], **overrides) -> dict:
    """The empty forms of the panels `actions` show (no other form is built; each is built
    when the page reads it: `DeferredForm`), with `overrides` — a form that failed
    validation keeps what the user typed."""
    today = clock().today()
    f = {name: DeferredForm(lambda build=build: build(case, today))
         for name, (shown_by, build) in PANEL_FORMS.items() if shown_by & actions}
    f.update(response_forms={}, sanction_forms={}, withdraw_forms={},
             coordination_edit_forms={}, measure_forms={}, obligation_forms={},
             settle_forms={}, lawsuit_forms={}, plan_forms={}, coercion_forms={},
             relief_forms={}, relief_forward_forms={},
             coercion_delivery_forms={})
    f.update(overrides)
    return f


def render_case(case: Case, status: int = 200, **overrides):
    """The case page (`status`: 422 or 409 after a refused form, `overrides` its forms).
    Loads what the page shows first (`case_page_loads`) unless the view already did."""
    if "violations" in inspect(case).unloaded:
        case = page_case(case.id, populate=True)
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.case_id == case.id).order_by(AuditEvent.id)).all()
    today = clock().today()

    def response_form_for(req):
        return forms.ResponseForm(prefix=f"r{req.id}", formdata=None, data={"received_on": today})

    def sanction_form_for(violation):
        return sanction_form(violation, case, formdata=None)

    def withdraw_form_for(evidence):
        return forms.WithdrawEvidenceForm(prefix=f"w{evidence.id}", formdata=None)

    def coordination_edit_form_for(req):
        return forms.CoordinationEditForm(prefix=f"c{req.id}", formdata=None, obj=req)

    def measure_form_for(violation):
        form = forms.MeasureForm(prefix=f"m{violation.id}", formdata=None)
        form.text.choices = measure_choices(violation)
        return form

    def obligation_form_for(row):
        form = forms.ObligationForm(prefix=f"o{row.id}", formdata=None, data={"on": today})
        return form

    def settle_form_for(row):
        return forms.SettleForm(prefix=f"cs{row.id}", formdata=None, data={"outcome_on": today})

    def coercion_form_for(row):
        return forms.CoercionIssueForm(prefix=f"k{row.id}", formdata=None,
                                       data={"issued_on": today})

    def coercion_delivery_form_for(row):
        return forms.CoercionDeliveryForm(prefix=f"kd{row.id}", formdata=None,
                                          data={"sent_on": today})

    def plan_form_for(row):
        return forms.DecidePlanForm(prefix=f"p{row.id}", formdata=None,
                                    data={"decided_on": today})

    def relief_form_for(row):
        return forms.DecideReliefForm(prefix=f"r{row.id}", formdata=None,
                                      data={"decided_on": today})

    def relief_forward_form_for(row):
        return forms.ForwardReliefForm(prefix=f"rf{row.id}", formdata=None,
                                       data={"forwarded_on": today})

    def lawsuit_form_for(row):
        return forms.LawsuitForm(prefix=f"l{row.id}", formdata=None, obj=None)

    proofs = {}

    def proof_choices(form):  # the choices read once for every form that offers them
        if not proofs:
            proofs.update(evidence=evidence_choices(case), capture=capture_choices(case))
        form.evidence_id.choices = proofs["evidence"]
        form.capture_id.choices = proofs["capture"]
        return form

    case_standing = standing(case, today)

    actions = case.available_actions(current_user)
    hold = None
    if case.awaiting_decision:
        try:
            hold = explanation_hold(case, today)
        except OperationError:
            hold = None
    return render_template("cases/detail.html", case=case, events=events, actions=actions,
                           explanation_hold=hold, longer_limit=longer_time_limit(case),
                           **capture_panel(case, has_captures=holds(case, "captures"),
                                           has_watches=holds(case, "watches")),
                           issued=case_register(case.id) if holds(case, "issued") else {},
                           signing_on=signing_configured(),
                           response_form_for=response_form_for,
                           sanction_form_for=sanction_form_for,
                           withdraw_form_for=withdraw_form_for,
                           coordination_edit_form_for=coordination_edit_form_for,
                           measure_form_for=measure_form_for,
                           obligation_form_for=obligation_form_for,
                           proof_choices=proof_choices,
                           settle_form_for=settle_form_for,
                           lawsuit_form_for=lawsuit_form_for,
                           plan_form_for=plan_form_for, plan_refusals=plan_refusals,
                           relief_form_for=relief_form_for,
                           relief_forward_form_for=relief_forward_form_for,
                           relief_refusals=relief_refusals, relief_rule=relief_rule,
                           coercion_form_for=coercion_form_for,
                           coercion_delivery_form_for=coercion_delivery_form_for,
                           standing=case_standing,
                           legal_next_step=next_step(case, case_standing),
                           action_label=action_label,
                           **panel_forms(case, actions, **overrides)), status


def run_operation(case: Case, form, operation, *, success: str, anchor: str = "",
                  panel: dict | None = None):
    """Run `operation()` (which may raise), commit once, flash `success`, redirect to the
    case. On a refused input, roll back and show the case page again with the message next
    to the field, keeping what the user typed (HTTP 422). `panel` overrides where the form
    goes on the page (default: by its class)."""
    done = already_done(form)
    if done is not None:
        return done
    target = url_for("cases.detail", case_id=case.id) + anchor
    try:
        operation()
        remember(form, target)
        duplicate = commit_once(form)
        if duplicate is not None:
            return duplicate
    except NotAllowed:
        db.session.rollback()
        abort(403)
    except OperationError as exc:
        refuse(form, exc)
        return render_case(db.session.get(Case, case.id), 422, **(panel or _panel(form)))
    except StaleDataError:
        db.session.rollback()
        done = already_done(form)  # the same form sent twice at once: the first one's result
        if done is not None:
            return done
        flash(_("Someone else changed this case meanwhile. Your change was not saved; "
                "check the page and try again."), "error")
        return render_case(db.session.get(Case, case.id), 409, **(panel or _panel(form)))
    flash(success, "success")
    return redirect(target)


def invalid(case: Case, form, panel: dict | None = None):
    """Re-render the case page with `form`'s validation errors (HTTP 422)."""
    return render_case(case, 422, **(panel or _panel(form)))


PANELS = {"EvidenceForm": "evidence_form", "CoordinationForm": "coordination_form",
          "ViolationForm": "violation_form", "RecordForm": "record_form",
          "NoteForm": "note_form", "ReasonForm": "reason_form", "TransferForm": "transfer_form",
          "IssueForm": "issue_form", "DeliveryForm": "delivery_form",
          "PaymentForm": "payment_form", "CorrectionForm": "correction_form",
          "VoidForm": "void_form", "NationalDbForm": "national_db_form",
          "ExtensionForm": "extension_form", "ReopenForm": "reopen_form",
          "CloseForm": "close_form", "ComplaintForm": "complaint_form",
          "InstalmentForm": "instalment_form", "CoercionForm": "coercion_form",
          "ReliefForm": "relief_form",
          "ExplanationForm": "explanation_form", "HearingForm": "hearing_form"}


def _panel(form) -> dict:
    return {PANELS[type(form).__name__]: form}
