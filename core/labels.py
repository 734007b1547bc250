"""Labels of the audit trail's actions. Closed sets of stored codes carry their labels on
their `core.enums.Choice` members (`CaseState.detected.label`; `label_of(cls, code)`)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

ACTION_LABELS: dict[str, object] = {
    "case.opened": _l("Case opened"),
    "case.updated": _l("Case corrected"),
    "case.verifying": _l("Verification started"),
    "case.dismissed": _l("Case dismissed"),
    "case.transferred": _l("Case transferred"),
    "case.closed": _l("Case closed"),
    "evidence.added": _l("Evidence added"),
    "evidence.withdrawn": _l("Evidence withdrawn"),
    "coordination.changed": _l("Coordination request corrected"),
    "case.reopened": _l("Case reopened"),
    "capture.requested": _l("Web page capture requested"),
    "capture.done": _l("Web page captured"),
    "capture.failed": _l("Web page capture failed"),
    "watch.added": _l("Page watch started"),
    "watch.stopped": _l("Page watch stopped"),
    "watch.changed": _l("Watched page changed"),
    "watch.gone": _l("Watched page no longer online"),
    "watch.back": _l("Watched page online again"),
    "watch.online_after_deadline": _l("Page still online after the take-down date"),
    "coordination.requested": _l("Coordination requested"),
    "coordination.answered": _l("Coordination response received"),
    "violation.added": _l("Violation added"),
    "violation.removed": _l("Violation removed"),
    "violation.sanction_changed": _l("Proposed sanction changed"),
    "decision.national_db": _l("Entered in the national database"),
    "record.made": _l("Violation record made"),
    "decision.time_limit_extended": _l("Time limit to decide extended"),
    "sanction.proposed": _l("Sanction proposed"),
    "sanction.approved": _l("Sanction approved"),
    "sanction.returned": _l("Proposal returned"),
    "decision.issued": _l("Decision issued"),
    "decision.delivered": _l("Decision delivered"),
    "decision.complied": _l("Decision complied with"),
    "decision.voided": _l("Decision number voided"),
    "decision.amend": _l("Decision amending issued"),
    "decision.correct": _l("Decision correcting issued"),
    "decision.cancel": _l("Decision cancelling issued"),
    "decision.cancelled": _l("Decision cancelled"),
    "catalogue.clause_added": _l("Catalogue entry added"),
    "catalogue.clause_changed": _l("Catalogue entry corrected"),
    "catalogue.clause_retired": _l("Catalogue entry retired"),
    "catalogue.clause_verified": _l("Catalogue entry verified"),
    "catalogue.loaded": _l("Catalogue release loaded"),
}


def action_label(code: str | None) -> str:
    """The translated label of an audit action such as "case.opened"; the code when unknown."""
    if code is None:
        return ""
    return str(ACTION_LABELS.get(code, code))
