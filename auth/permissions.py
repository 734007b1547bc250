"""One permission table (role × action) used by views, templates and operations alike.

Object-level checks (is this the user's own case, did they propose this sanction) live on
the models as ``can_*`` methods and call `has_permission` first.
"""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user

from auth.models import Role

INSP, SUP, ADM = Role.inspector, Role.supervisor, Role.admin

PERMISSIONS: dict[str, frozenset[Role]] = {
    "case.view": frozenset({INSP, SUP, ADM}),
    "case.create": frozenset({INSP, SUP}),
    "case.work": frozenset({INSP, SUP}),  # plus: own case, checked by Case.can_work
    "sanction.approve": frozenset({SUP}),  # plus: not the proposer
    "decision.extend": frozenset({SUP}),  # record the head's extension of the time limit
    "decision.issue": frozenset({INSP, SUP}),
    "site.view": frozenset({INSP, SUP, ADM}),
    "site.edit": frozenset({INSP, SUP, ADM}),
    "site.capture": frozenset({INSP, SUP}),  # capture a registry site's page as evidence
    "mail.view": frozenset({ADM, SUP}),
    "users.manage": frozenset({ADM}),
    "catalogue.view": frozenset({INSP, SUP, ADM}),
    "catalogue.manage": frozenset({ADM}),
    "settings.manage": frozenset({ADM}),
    "report.manage": frozenset({SUP, ADM}),  # record a report the Ministry asks for
    "report.issue": frozenset({SUP}),  # sign and issue the report
    "decision.correct": frozenset({SUP}),  # void, amend, correct, cancel an issued decision
    "campaign.view": frozenset({INSP, SUP, ADM}),
    "campaign.plan": frozenset({SUP}),  # create a campaign, its team, scope and plan
    "campaign.check": frozenset({INSP, SUP}),  # plus: a member of the team
    "campaign.approve": frozenset({SUP}),  # plus: not the drafter of the team decision
    "case.reopen": frozenset({SUP}),  # reopen a closed case, with a reason (audited)
}


def has_permission(user, action: str) -> bool:
    """True when `user` (a User or Flask-Login's anonymous user) may perform `action`.

    Raises KeyError for an action missing from `PERMISSIONS`, so a typo never grants access.
    """
    allowed = PERMISSIONS[action]
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return Role(user.role) in allowed


def permission_required(action: str):
    """View decorator: 403 unless the current user has `action` (login is checked first)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not has_permission(current_user, action):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
