"""Translated labels for stored codes (states, kinds, partners…), used by forms and templates."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

LABELS: dict[str, dict[str, object]] = {
    "case_state": {
        "detected": _l("Detected"),
        "verifying": _l("Verifying"),
        "record_made": _l("Violation record made"),
        "sanction_proposed": _l("Sanction proposed"),
        "approved": _l("Approved"),
        "decision_issued": _l("Decision issued"),
        "delivered": _l("Decision delivered"),
        "complied": _l("Complied"),
        "enforcement": _l("Enforcement"),
        "closed": _l("Closed"),
        "dismissed": _l("Dismissed"),
        "transferred": _l("Transferred"),
    },
    "subject_kind": {
        "organisation": _l("Organisation"),
        "individual": _l("Individual"),
    },
    "detection_method": {
        "monitoring": _l("Monitoring"),
        "complaint": _l("Complaint"),
        "ministry_referral": _l("Ministry referral"),
        "police_referral": _l("Police referral"),
        "campaign": _l("Inspection campaign"),
    },
    "partner": {
        "police": _l("Provincial Police"),
        "culture_department": _l("Department of Culture, Sports and Tourism"),
        "authority": _l("Authority of Broadcasting and Electronic Information"),
        "vnnic": _l("VNNIC (domain registry)"),
        "other": _l("Other body"),
    },
    "site_kind": {
        "general_website": _l("General information website"),
        "social_network": _l("Social network"),
        "other": _l("Other"),
    },
    "registry_status": {
        "licensed": _l("Licensed"),
        "registered": _l("Registered"),
        "unlicensed": _l("Operating without a licence"),
        "trial": _l("Trial operation"),
        "suspended": _l("Suspended"),
        "revoked": _l("Revoked"),
        "ceased": _l("Ceased"),
    },
    "deadline_state": {
        "open": _l("Open"),
        "met": _l("Met"),
        "missed": _l("Missed"),
        "cancelled": _l("Cancelled"),
    },
    "sanction_kind": {
        "fine": _l("Fine"),
        "warning": _l("Warning"),
    },
    "role": {
        "inspector": _l("Inspector"),
        "supervisor": _l("Supervisor"),
        "admin": _l("Administrator"),
    },
    "rule": {
        "decision": _l("Time limit to issue the sanction decision"),
        "decision_transfer": _l("Time limit to issue the decision (file transferred)"),
        "decision_explanation": _l("Time limit to issue the decision (explanation)"),
        "decision_extended": _l("Time limit to issue the decision (extended)"),
        "delivery": _l("Time limit to deliver the decision"),
        "compliance": _l("Time limit to comply (pay the fine)"),
        "enforcement_limit": _l("Limitation period for enforcing the decision"),
        "sanction_limitation": _l("Limitation period for sanctioning"),
        "national_db_entry": _l("Entry into the national database"),
        "licence_withdrawal_notice": _l("Licence withdrawal sent to the licensing body"),
        "semiannual_report": _l("Six-monthly report to the Ministry"),
        "coordination_response": _l("Coordination response due"),
        "licence_launch": _l("Launch of the site after its licence"),
        "licence_expiry": _l("Licence expiry"),
        "report_due": _l("Report due"),
    },
    # the field of a sanction clause that decides the limitation period (Law 15/2012 Art. 6)
    "rule_field": {
        "it": _l("information technology, electronic information"),
        "press": _l("press, publishing"),
    },
    "action": {
        "case.opened": _l("Case opened"),
        "case.updated": _l("Case corrected"),
        "case.verifying": _l("Verification started"),
        "case.dismissed": _l("Case dismissed"),
        "case.transferred": _l("Case transferred"),
        "case.closed": _l("Case closed"),
        "evidence.added": _l("Evidence added"),
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
    },
    "decision_kind": {
        "sanction": _l("Sanction decision"),
        "amend": _l("Decision amending"),
        "correct": _l("Decision correcting"),
        "cancel": _l("Decision cancelling"),
        "transfer": _l("Decision transferring the case"),
    },
    "decision_status": {
        "issued": _l("Issued"),
        "voided": _l("Voided (issued by mistake)"),
        "cancelled": _l("Cancelled"),
    },
    "import_outcome": {
        "new": _l("New"),
        "update": _l("Update"),
        "unchanged": _l("Unchanged"),
        "error": _l("Error"),
    },
    "mail_status": {
        "pending": _l("Pending"),
        "sending": _l("Sending"),
        "sent": _l("Sent"),
        "failed": _l("Failed"),
        "cancelled": _l("Cancelled"),
    },
}


def label(group: str, code: str | None) -> str:
    """The translated label of `code` in `group`; the code itself when unknown."""
    if code is None:
        return ""
    return str(LABELS[group].get(code, code))


def choices(group: str) -> list[SelectChoice]:
    """Choices for a WTForms SelectField, in declaration order."""
    return [SelectChoice(value, label) for value, label in LABELS[group].items()]
