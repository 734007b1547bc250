"""The deadlines of a campaign, stored like a case's and reminded by the same planner
(deadlines.planner; every supervisor is reminded):

- inspection_on_site: the team's work on site, counted from the team decision (rule
  inspection_on_site, docs/legal/inspection.md#time-limits); met on the day the last
  planned check is recorded;
- inspection_report: the head's result report, counted from the end of the work on site
  (the last check, else the end of the campaign's period; rule inspection_report); met on
  the day the result report is issued.

The report owed to the Ministry (the directive's date) is the campaign's report obligation,
with its own deadline (registry.deadlines).
"""

from __future__ import annotations

from sqlalchemy import select

from deadlines import rules
from deadlines.models import Deadline
from deadlines.owners import Owner
from deadlines.store import store
from extensions import db
from inspections.models import Campaign, CampaignStatus, DecisionState


def wanted(campaign: Campaign) -> dict:
    """key → (ComputedDeadline, met_on, None) for `campaign` (the shape of
    deadlines.store.store); none before the team decision is issued."""
    if campaign.decision_state != DecisionState.issued:
        return {}
    checks = campaign.checks
    done = bool(checks) and all(c.checked for c in checks)
    last = max((c.checked_on for c in checks if c.checked), default=None)
    on_site = rules.compute("inspection_on_site", campaign.decision_issued_on,
                            start_label="ngày ban hành quyết định")
    end_of_work = last if done else campaign.period_end
    report = rules.compute("inspection_report", end_of_work,
                           start_label="ngày kết thúc kiểm tra")
    reported_on = campaign.report.issued_on if campaign.report is not None else None
    return {"inspection_on_site": (on_site, last if done else None, None),
            "inspection_report": (report, reported_on, None)}


def recompute(campaign: Campaign) -> None:
    """Store the campaign's deadlines (see `wanted`); a reported campaign's open ones are
    met or missed by the report's date. Flushes."""
    existing = {d.key: d for d in db.session.scalars(
        select(Deadline).where(Deadline.scope == f"campaign:{campaign.id}"))}
    want = wanted(campaign)
    if campaign.status == CampaignStatus.reported and "inspection_on_site" in want:
        computed, met_on, _none = want["inspection_on_site"]
        if met_on is None:
            want["inspection_on_site"] = (computed, campaign.report.issued_on, None)
    store(f"campaign:{campaign.id}", existing, want, campaign_id=campaign.id)


OWNER = Owner(
    fk=Deadline.campaign_id, relation="campaign", model=Campaign,
    label=Campaign.code, about=Campaign.code + " — " + Campaign.title,
    path=lambda campaign_id: f"/inspections/{campaign_id}")
"""The planner's view of a campaign's deadlines: every supervisor."""
