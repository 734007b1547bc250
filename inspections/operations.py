"""Operations of a campaign: create it, its team, its plan, record each check and its
outcome (a case opened, a referral), the registry updated from the check. Each checks who
may act, changes, audits and flushes; the caller commits (docs/architecture.md#house-rules).

Who may act (auth.permissions): a supervisor plans ("campaign.plan"); an inspector or a
supervisor who is a member of the team records a check ("campaign.check"); a supervisor
other than the drafter approves the team decision ("campaign.approve")."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from auth.models import Role, User
from auth.permissions import has_permission
from cases import operations as case_ops
from cases.models import Case, CaseAction, DetectionMethod
from cases.operations.intake import evidence_dir
from core import audit
from core.agency import agency, symbol
from core.audit import content_matches
from core.calendar import working_calendar
from core.clock import clock
from core.documents import freeze
from core.errors import NotAllowed, OperationError
from core.models import DocumentKind
from core.numbering import next_number
from core.uploads import safe_filename, sniff
from extensions import db
from inspections import deadlines as campaign_deadlines
from inspections import documents
from inspections.integrity import evidence_bytes
from inspections.models import (
    Campaign,
    CampaignMember,
    CampaignStatus,
    CheckEvidence,
    CheckItem,
    CheckOutcome,
    DecisionState,
    InspectionCheck,
    MemberAgency,
    MemberRole,
    ReferralTarget,
)
from registry import operations as registry_ops
from registry.models import ObligationKind, RegistryStatus, ReportObligation, Site

CAMPAIGN_FIELDS = ("code", "title", "legal_basis", "tasks", "period_start", "period_end",
                   "report_due_on")


def _require(user, action: str) -> None:
    if not has_permission(user, action):
        raise NotAllowed(_("You are not allowed to do this."))


def _check(condition: bool, message: str, field: str | None = None) -> None:
    if not condition:
        raise OperationError(message, field)


def _locked(campaign: Campaign) -> Campaign:
    """`campaign` read again under a row lock (SELECT … FOR UPDATE on PostgreSQL; SQLite's
    writers are serialised already): a decision step taken at the same moment by another
    request waits for this transaction and then sees its result, so the team decision is
    drafted, returned or issued once — never numbered twice."""
    db.session.refresh(campaign, with_for_update=True)
    return campaign


def _check_period(data: dict) -> None:
    _check(data["period_start"] <= data["period_end"],
           _("The campaign cannot end before it starts."), "period_end")
    _check(data["report_due_on"] >= data["period_start"],
           _("The result report cannot be due before the campaign starts."), "report_due_on")


def create_campaign(user, data: dict) -> Campaign:
    """A new campaign (being planned) from `data`: code, title, legal_basis, tasks (text),
    period_start, period_end, report_due_on (dates), scope (dict: kinds, statuses,
    districts, site_ids — lists). Its result report is a report owed to the Ministry: the
    one-off obligation due that day when one is recorded, else a new one (its deadline and
    reminders follow, registry.deadlines). Raises NotAllowed (not "campaign.plan") or
    OperationError (a code in use, a period that ends before it starts)."""
    _require(user, "campaign.plan")
    _check(db.session.scalar(select(Campaign.id).where(Campaign.code == data["code"])) is None,
           _("The code %(code)s is already used by another campaign.", code=data["code"]),
           "code")
    _check_period(data)
    now = clock().now()
    campaign = Campaign(status=CampaignStatus.planning, created_by_id=user.id, created_at=now,
                        updated_at=now, scope=clean_scope(data.get("scope") or {}))
    for name in CAMPAIGN_FIELDS:
        setattr(campaign, name, data.get(name))
    obligation = db.session.scalar(select(ReportObligation).where(
        ReportObligation.kind == ObligationKind.one_off,
        ReportObligation.due_on == campaign.report_due_on))
    if obligation is None:
        obligation = registry_ops.add_obligation(user, {
            "title": f"Báo cáo kết quả kiểm tra đợt {campaign.code}",
            "basis": campaign.legal_basis, "period_start": campaign.period_start,
            "period_end": campaign.period_end, "due_on": campaign.report_due_on})
    campaign.obligation_id = obligation.id
    db.session.add(campaign)
    db.session.flush()
    audit.record(user, "campaign.created", campaign,
                 after={"code": campaign.code, "scope": campaign.scope,
                        "period": [campaign.period_start.isoformat(),
                                   campaign.period_end.isoformat()]})
    return campaign


EDITABLE_FIELDS = ("title", "legal_basis", "tasks", "period_start", "period_end")


def update_campaign(user, campaign: Campaign, data: dict) -> Campaign:
    """Correct a campaign before its team decision is drafted: `data` has title,
    legal_basis, tasks (text), period_start, period_end (dates). The code and the result
    report's due date (its report owed to the Ministry) stay. Raises NotAllowed (not
    "campaign.plan") or OperationError (the decision drafted, a period ending before it
    starts or leaving out a check already planned)."""
    _require(user, "campaign.plan")
    _check(campaign.decision_state is None,
           _("The campaign is fixed once the team decision is drafted; return it to change "
             "the campaign."), "title")
    _check_period({**data, "report_due_on": campaign.report_due_on})
    outside = [c for c in campaign.checks
               if not data["period_start"] <= c.planned_on <= data["period_end"]]
    _check(not outside, _("%(n)d planned checks fall outside this period; move them first.",
                          n=len(outside)), "period_end")
    before = {name: str(getattr(campaign, name)) for name in EDITABLE_FIELDS}
    for name in EDITABLE_FIELDS:
        setattr(campaign, name, data.get(name))
    campaign.updated_at = clock().now()
    after = {name: str(getattr(campaign, name)) for name in EDITABLE_FIELDS}
    changed = [k for k in after if after[k] != before[k]]
    audit.record(user, "campaign.updated", campaign, before={k: before[k] for k in changed},
                 after={k: after[k] for k in changed})
    db.session.flush()
    return campaign


def clean_scope(scope: dict) -> dict:
    """The scope with only known codes and integer ids, lists sorted: kinds (SiteKind),
    statuses (RegistryStatus), districts (text), site_ids (registry ids)."""
    statuses = {s.value for s in RegistryStatus}
    return {
        "kinds": sorted({k for k in scope.get("kinds") or [] if k}),
        "statuses": sorted({s for s in scope.get("statuses") or [] if s in statuses}),
        "districts": sorted({d.strip() for d in scope.get("districts") or [] if d.strip()}),
        "site_ids": sorted({int(i) for i in scope.get("site_ids") or []}),
    }


def scope_sites(scope: dict) -> list[Site]:
    """The registry sites a scope names: the hand-picked ids, and every site matching all
    the given kinds, statuses and districts (a scope naming none of them picks no other
    site), ordered by district then name."""
    found: dict[int, Site] = {}
    if scope.get("site_ids"):
        for site in db.session.scalars(select(Site).where(Site.id.in_(scope["site_ids"]))):
            found[site.id] = site
    if scope.get("kinds") or scope.get("statuses") or scope.get("districts"):
        query = select(Site)
        if scope.get("kinds"):
            query = query.where(Site.kind.in_(scope["kinds"]))
        if scope.get("statuses"):
            query = query.where(Site.status.in_(scope["statuses"]))
        if scope.get("districts"):
            query = query.where(Site.district.in_(scope["districts"]))
        for site in db.session.scalars(query):
            found[site.id] = site
    return sorted(found.values(), key=lambda s: (s.district_key or b"", s.name_key or b""))


def update_scope(user, campaign: Campaign, scope: dict) -> Campaign:
    """Change the scope of a campaign being planned. Raises NotAllowed or OperationError."""
    _require(user, "campaign.plan")
    _check(campaign.status == CampaignStatus.planning,
           _("The scope is fixed once the team decision is issued."), "kinds")
    before = campaign.scope
    campaign.scope = clean_scope(scope)
    campaign.updated_at = clock().now()
    audit.record(user, "campaign.scope", campaign, before={"scope": before},
                 after={"scope": campaign.scope})
    db.session.flush()
    return campaign


def team_users():
    """The users a team may name (a SELECT of User, by id): active inspectors and
    supervisors — not administrators, not deactivated accounts."""
    return (select(User).where(User.active.is_(True),
                               User.role.in_([Role.inspector, Role.supervisor]))
            .order_by(User.id))


def add_member(user, campaign: Campaign, data: dict) -> CampaignMember:
    """Add a person to the team: `data` has name, title, agency (MemberAgency), role
    (MemberRole), user_id (or None: people of other agencies need not be users; else one of
    `team_users`). One head per team. Refused once the team decision is issued. Raises NotAllowed or
    OperationError."""
    _require(user, "campaign.plan")
    _check(campaign.decision_state is None,
           _("The team is fixed once the team decision is drafted; return it to change "
             "the team."), "name")
    _check(data["agency"] in tuple(MemberAgency), _("Choose the member's agency."), "agency")
    _check(data["role"] in tuple(MemberRole), _("Choose the member's role."), "role")
    if data["role"] == MemberRole.head:
        _check(all(m.role != MemberRole.head for m in campaign.members),
               _("The team already has a head."), "role")
    if data.get("user_id"):
        _check(db.session.scalar(team_users().where(User.id == data["user_id"])) is not None,
               _("Choose a user from the list: an active inspector or supervisor."),
               "user_id")
        _check(all(m.user_id != data["user_id"] for m in campaign.members),
               _("This user is already a member of the team."), "user_id")
    member = CampaignMember(name=data["name"], title=data.get("title"), agency=data["agency"],
                            role=data["role"], user_id=data.get("user_id") or None)
    campaign.members.append(member)
    db.session.flush()
    audit.record(user, "campaign.member_added", campaign,
                 after={"name": member.name, "agency": member.agency, "role": member.role})
    return member


def remove_member(user, campaign: Campaign, member: CampaignMember) -> None:
    """Take a person off the team (and off the checks planned for them) while the team
    decision is not drafted. Raises NotAllowed or OperationError."""
    _require(user, "campaign.plan")
    _check(campaign.decision_state is None,
           _("The team is fixed once the team decision is drafted."))
    for row in campaign.checks:
        if member in row.members:
            _check(not row.checked, _("%(name)s took part in a check already recorded.",
                                      name=member.name))
            row.members.remove(member)
    campaign.members.remove(member)
    audit.record(user, "campaign.member_removed", campaign, before={"name": member.name})
    db.session.flush()


def _members(campaign: Campaign, member_ids) -> list[CampaignMember]:
    ids = {int(i) for i in member_ids or []}
    chosen = [m for m in campaign.members if m.id in ids]
    _check(len(chosen) == len(ids), _("Choose members of this campaign's team."), "member_ids")
    return chosen


def plan_check(user, campaign: Campaign, site: Site, planned_on: date,
               member_ids=()) -> InspectionCheck:
    """Put `site` in the plan on `planned_on` (within the campaign's period) with the
    members assigned, or move it if it is planned already and not yet checked. Raises
    NotAllowed or OperationError."""
    _require(user, "campaign.plan")
    _check(campaign.status != CampaignStatus.reported,
           _("The campaign has been reported: its plan is closed."), "planned_on")
    _check(campaign.period_start <= planned_on <= campaign.period_end,
           _("Plan the check within the campaign's period (%(a)s – %(b)s).",
             a=f"{campaign.period_start:%d/%m/%Y}", b=f"{campaign.period_end:%d/%m/%Y}"),
           "planned_on")
    members = _members(campaign, member_ids)
    row = next((c for c in campaign.checks if c.site_id == site.id), None)
    if row is None:
        row = InspectionCheck(site_id=site.id, planned_on=planned_on, items=[])
        campaign.checks.append(row)
    else:
        _check(not row.checked, _("This site has been checked already."), "planned_on")
        row.planned_on = planned_on
    row.members = members
    db.session.flush()
    audit.record(user, "campaign.check_planned", campaign,
                 after={"site": site.domain, "on": planned_on.isoformat(),
                        "members": [m.name for m in members]})
    campaign_deadlines.recompute(campaign)
    return row


def plan_scope(user, campaign: Campaign) -> list[InspectionCheck]:
    """Plan every site of the scope not planned yet, spread in turn over the working days of
    the campaign's period (the administrator's working calendar), the whole team assigned.
    Returns the new rows. Raises NotAllowed or OperationError (no working day, nothing in
    the scope)."""
    _require(user, "campaign.plan")
    calendar = working_calendar()
    days, day = [], campaign.period_start
    while day <= campaign.period_end:
        if calendar.is_working_day(day):
            days.append(day)
        day = date.fromordinal(day.toordinal() + 1)
    _check(bool(days), _("The campaign's period has no working day."), "planned_on")
    planned = {c.site_id for c in campaign.checks}
    todo = [s for s in scope_sites(campaign.scope) if s.id not in planned]
    _check(bool(todo) or bool(planned), _("The scope picks no site of the registry."),
           "kinds")
    member_ids = [m.id for m in campaign.members]
    rows = [plan_check(user, campaign, site, days[i * len(days) // max(len(todo), 1)],
                       member_ids) for i, site in enumerate(todo)]
    return rows


def may_record(user, campaign: Campaign) -> bool:
    """An inspector or supervisor who is a member of the team (linked to their user), once
    the team decision is issued and until the result is reported."""
    return (has_permission(user, "campaign.check") and campaign.member_for(user) is not None
            and campaign.status == CampaignStatus.running)


def record_check(user, row: InspectionCheck, data: dict) -> InspectionCheck:
    """Record a check: `data` has checked_on (date), place, operator_present, items
    (CheckItem codes), findings, statement, member_ids (who took part), outcome
    (CheckOutcome) and, for a referral, referral_target (ReferralTarget),
    referral_recipient, referral_reason; optional registry corrections: site_status
    (RegistryStatus), operator_name. The record is rendered to PDF and frozen (SHA-256).

    - no violation: the check is closed with its record;
    - violation: a case is opened in one step (`cases.operations.open_case`): the site, the
      operator as subject, the findings as description, detected by the campaign on the
      check's date, the record PDF as its first evidence, `Case.check_id` → this check;
    - referral: the referral letter is numbered in the letter series.

    A violation on a site already under a case may tie that case (`data["case"]`) instead
    of opening a new one (`tie_case`).

    The registry is updated when the check found another status or the operator's name,
    the check as the reason in the site's history. Raises NotAllowed or OperationError."""
    campaign = row.campaign
    if not may_record(user, campaign):
        raise NotAllowed(_("Only a member of the team records its checks, once the team "
                           "decision is issued."))
    _check(not row.checked, _("This check is already recorded."), "checked_on")
    checked_on = data["checked_on"]
    _check(checked_on is not None, _("Give the date of the check."), "checked_on")
    _check(campaign.period_start <= checked_on <= min(campaign.period_end, clock().today()),
           _("The check's date must be within the campaign's period and not in the future."),
           "checked_on")
    items = [i for i in data.get("items") or [] if i in tuple(CheckItem)]
    _check(bool(items), _("Tick what was checked."), "items")
    _check(bool((data.get("findings") or "").strip()), _("Write what the check found."),
           "findings")
    outcome = data.get("outcome")
    _check(outcome in tuple(CheckOutcome), _("Choose the outcome of the check."), "outcome")
    members = _members(campaign, data.get("member_ids"))
    _check(bool(members), _("Tick the members who took part."), "member_ids")
    if outcome == CheckOutcome.referral:
        _check(data.get("referral_target") in tuple(ReferralTarget),
               _("Choose where the matter is referred."), "referral_target")
        _check(bool((data.get("referral_recipient") or "").strip()),
               _("Name the authority the matter is referred to."), "referral_recipient")
        _check(bool((data.get("referral_reason") or "").strip()),
               _("Give the reason for the referral."), "referral_reason")
    new_status = data.get("site_status") or None
    _check(new_status is None or new_status in tuple(RegistryStatus),
           _("Choose a registry status."), "site_status")

    row.checked_on = checked_on
    row.place = data.get("place")
    row.operator_present = data.get("operator_present")
    row.items = items
    row.findings = data["findings"]
    row.statement = data.get("statement")
    row.outcome = outcome
    row.members = members
    row.recorded_by_id = user.id
    row.recorded_at = clock().now()
    if outcome == CheckOutcome.referral:
        issuer = agency()["short_code"]
        row.referral_target = data["referral_target"]
        row.referral_recipient = data["referral_recipient"]
        row.referral_reason = data["referral_reason"]
        row.referral_year = checked_on.year
        row.referral_number = next_number(issuer, "letter", checked_on.year)
        row.referral_symbol = symbol("letter")
    db.session.flush()
    _update_registry(user, row, new_status, (data.get("operator_name") or "").strip())
    frozen = freeze(documents.check_record_pdf(row), kind=DocumentKind.record,
                    reference=f"{row.site.domain} {checked_on:%d/%m/%Y}"[:200],
                    signer_name=user.full_name)
    row.record_pdf = frozen.pdf
    row.record_sha256 = frozen.sha256
    if outcome == CheckOutcome.referral:
        # the letter as sent: later changes to the site, the agency or the campaign never
        # change a letter already issued
        letter = freeze(documents.referral_letter_pdf(row), kind=DocumentKind.letter,
                        reference=row.referral_full_number,
                        signer_name=row.campaign.decision_approved_by.full_name
                        if row.campaign.decision_approved_by else user.full_name)
        row.referral_pdf = letter.pdf
        row.referral_sha256 = letter.sha256
    audit.record(user, "campaign.check_recorded", row,
                 after={"site": row.site.domain, "on": checked_on.isoformat(),
                        "outcome": outcome, "sha256": row.record_sha256})
    if outcome == CheckOutcome.violation:
        if data.get("case") is not None:
            tie_case(user, row, data["case"])
        else:
            open_case_from_check(user, row)
    db.session.flush()
    campaign_deadlines.recompute(campaign)
    return row


def _update_registry(user, row: InspectionCheck, new_status: str | None,
                     operator_name: str) -> None:
    """The site as the check found it: another status (confirmed unlicensed, found closed…)
    or the operator identified, the check as the reason in its history."""
    site = row.site
    if (new_status is None or new_status == site.status) and (
            not operator_name or operator_name == site.operator_name):
        return
    data = {name: getattr(site, name) for name in registry_ops.SITE_FIELDS}
    if new_status:
        data["status"] = new_status
    if operator_name:
        data["operator_name"] = operator_name
    reason = (f"Kiểm tra ngày {row.checked_on:%d/%m/%Y} (đợt {row.campaign.code}, "
              f"kiểm tra số {row.id})")
    registry_ops.update_site(user, site, data, reason=reason)


def add_check_evidence(user, row: InspectionCheck, content: bytes, filename: str | None,
                       note: str | None = None) -> CheckEvidence:
    """Attach a file to a check, before or after its record, by a member of the running
    team: its type checked by content (`core.uploads.sniff`), stored outside static under a
    random name (the cases' evidence folder), SHA-256 kept; a file attached before the
    record is listed in it and copied to the case the check opens. Raises NotAllowed or
    OperationError (no file, a type refused)."""
    if not may_record(user, row.campaign):
        raise NotAllowed(_("Only a member of the team records its checks, once the team "
                           "decision is issued."))
    _check(bool(content), _("Attach a file."), "file")
    content_type = sniff(content)
    stored = secrets.token_hex(16)
    (evidence_dir() / stored).write_bytes(content)
    evidence = CheckEvidence(filename=safe_filename(filename, "evidence"), stored_name=stored,
                             content_type=content_type, size=len(content),
                             sha256=hashlib.sha256(content).hexdigest(), note=note,
                             added_by_id=user.id, added_at=clock().now())
    row.evidence.append(evidence)
    db.session.flush()
    audit.record(user, "campaign.check_evidence", row,
                 after={"file": evidence.filename, "sha256": evidence.sha256})
    return evidence


def _record_pdf(row: InspectionCheck) -> bytes:
    """The check's record PDF once its bytes are checked against the stored SHA-256 and the
    row's seal. Raises OperationError (and logs) when they no longer match."""
    db.session.flush()  # the seal is renewed at the flush: check it as stored
    if not content_matches(row.record_pdf, row.record_sha256, row,
                           what=f"check record {row.id}"):
        raise OperationError(_("The record of this check no longer matches its stored "
                               "SHA-256: it is not copied into a case. Tell the "
                               "administrator (flask audit verify)."))
    return row.record_pdf


def _copy_evidence(user, row: InspectionCheck, case: Case) -> None:
    """The files attached to the check, added to the case's evidence, each checked first
    against its stored SHA-256 and seal. Raises OperationError (and logs) naming a file
    that is missing or changed since it was attached: nothing is copied then."""
    db.session.flush()
    files = []
    for item in row.evidence:
        content = evidence_bytes(item)
        if content is None:
            raise OperationError(_("The file %(name)s attached to this check no longer "
                                   "matches its stored SHA-256: it is not copied into a "
                                   "case. Tell the administrator (flask audit verify).",
                                   name=item.filename))
        files.append((item, content))
    for item, content in files:
        case_ops.add_evidence(user, case,
                              content=content,
                              filename=item.filename,
                              note=f"Kèm biên bản kiểm tra ngày {row.checked_on:%d/%m/%Y}"
                                   + (f": {item.note}" if item.note else ""))


def open_case_from_check(user, row: InspectionCheck) -> Case:
    """Open the case of a check that found a violation: its site, the operator as subject,
    the findings, detected by the campaign on the check's date; the check's record PDF as
    its first evidence, then the files attached to the check. Raises NotAllowed or
    OperationError (cases.operations.open_case)."""
    site = row.site
    case = case_ops.open_case(user, {
        "site_id": site.id, "subject_kind": site.operator_kind,
        "subject_name": site.operator_name, "subject_id_number": site.operator_tax_id,
        "subject_address": site.operator_address,
        "detection_method": DetectionMethod.campaign, "detected_on": row.checked_on,
        "description": row.findings})
    case.check_id = row.id
    case_ops.add_evidence(user, case, content=_record_pdf(row),
                          filename=f"bien-ban-kiem-tra-{row.campaign.code}-{row.id}.pdf",
                          note=f"Biên bản kiểm tra ngày {row.checked_on:%d/%m/%Y}, "
                               f"đợt {row.campaign.code}")
    _copy_evidence(user, row, case)
    db.session.flush()
    db.session.refresh(row, ["cases"])
    return case


def draft_decision(user, campaign: Campaign) -> Campaign:
    """Draft the team decision from the campaign: the team (a head and at least one other
    member) and the period are fixed from now on. Raises NotAllowed (not "campaign.plan")
    or OperationError (no head, a lone head, already drafted)."""
    _require(user, "campaign.plan")
    _locked(campaign)
    _check(campaign.decision_state is None, _("The team decision is already drafted."))
    _check(any(m.role == MemberRole.head for m in campaign.members),
           _("Name the head of the team first."))
    _check(len(campaign.members) >= 2, _("A team has at least two members."))
    campaign.decision_state = DecisionState.draft
    campaign.decision_drafted_by_id = user.id
    campaign.updated_at = clock().now()
    audit.record(user, "campaign.decision_drafted", campaign,
                 after={"members": len(campaign.members)})
    db.session.flush()
    return campaign


def may_approve(user, campaign: Campaign) -> bool:
    """A supervisor other than the drafter, while the decision is a draft."""
    return (has_permission(user, "campaign.approve")
            and campaign.decision_state == DecisionState.draft
            and campaign.decision_drafted_by_id != getattr(user, "id", None))


def return_decision(user, campaign: Campaign, reason: str) -> Campaign:
    """Send the draft back (the team and period may change again); a reason is required.
    Raises NotAllowed or OperationError."""
    if not may_approve(user, _locked(campaign)):
        raise NotAllowed(_("A supervisor other than the drafter approves or returns the "
                           "team decision."))
    _check(bool((reason or "").strip()), _("Give the reason for returning it."), "reason")
    campaign.decision_state = None
    campaign.updated_at = clock().now()
    audit.record(user, "campaign.decision_returned", campaign, note=reason)
    db.session.flush()
    return campaign


def issue_decision(user, campaign: Campaign) -> Campaign:
    """Approve and issue the team decision, signed by `user` (a supervisor who did not draft
    it): numbered in its own series ("NN/QĐ-TTra", `core.numbering`), rendered to PDF in
    the layout of the period in force (legal.inspection), frozen (bytes, SHA-256, the data
    printed). The campaign is running: its checks may be recorded, and its deadlines (work
    on site, result report; inspections.deadlines) start. Two approvals at the same moment
    issue it once: the second finds it issued (NotAllowed). Raises NotAllowed."""
    if not may_approve(user, _locked(campaign)):
        raise NotAllowed(_("A supervisor other than the drafter approves or returns the "
                           "team decision."))
    today = clock().today()
    issuer = agency()["short_code"]
    campaign.decision_issuer = issuer
    campaign.decision_year = today.year
    campaign.decision_number = next_number(issuer, "team", today.year)
    campaign.decision_symbol = symbol("team")
    campaign.decision_issued_on = today
    campaign.decision_approved_by_id = user.id
    data = documents.team_decision_data(campaign, user)
    frozen = freeze(documents.team_decision_pdf(data), kind=DocumentKind.decision,
                    reference=campaign.decision_full_number, signer_name=user.full_name)
    campaign.decision_data = data
    campaign.decision_pdf = frozen.pdf
    campaign.decision_sha256 = frozen.sha256
    campaign.decision_state = DecisionState.issued
    campaign.status = CampaignStatus.running
    campaign.updated_at = clock().now()
    db.session.flush()
    audit.record(user, "campaign.decision_issued", campaign,
                 after={"number": campaign.decision_full_number,
                        "sha256": campaign.decision_sha256})
    campaign_deadlines.recompute(campaign)
    return campaign


def tie_case(user, row: InspectionCheck, case: Case) -> Case:
    """Tie a case already open about the check's site to the check (the check confirmed
    what the case was opened for): `Case.check_id`, audited on the case; the record is
    added to its evidence while the case still takes evidence. Raises OperationError (a
    case about another site, or tied to another check)."""
    _check(case.site_id == row.site_id, _("The case is about another site."), "outcome")
    _check(case.check_id in (None, row.id), _("The case comes from another check."),
           "outcome")
    case.check_id = row.id
    audit.record(user, "case.tied_to_check", case, case=case,
                 after={"campaign": row.campaign.code, "check": row.id})
    if case.may(user, CaseAction.add_evidence):
        case_ops.add_evidence(user, case, content=_record_pdf(row),
                              filename=f"bien-ban-kiem-tra-{row.campaign.code}-{row.id}.pdf",
                              note=f"Biên bản kiểm tra ngày {row.checked_on:%d/%m/%Y}, "
                                   f"đợt {row.campaign.code}")
        _copy_evidence(user, row, case)
    db.session.flush()
    db.session.refresh(row, ["cases"])
    return case
