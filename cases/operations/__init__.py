"""The workflow: every state change of a case is one function here.

Each operation checks its guard (`Case.can_*`), changes state, writes the audit event,
recomputes the case's deadlines and queues e-mails. Operations flush; the caller (a view,
a CLI command, a job) commits once. Views never change state directly.
"""

from cases.operations.coercion import deliver_coercion, issue_coercion, propose_coercion
from cases.operations.complaints import record_complaint, record_lawsuit, settle_complaint
from cases.operations.coordination import (
    record_response,
    request_coordination,
    update_coordination,
)
from cases.operations.enforcement import (
    add_measure,
    adopt_legacy_measures,
    close_time_barred,
    move_overdue_to_enforcement,
    record_delivery,
    record_payment,
    remove_measure,
    update_obligation,
)
from cases.operations.explanation import explanation_hold, record_explanation, record_hearing
from cases.operations.instalments import decide_instalments, request_instalments
from cases.operations.intake import (
    add_evidence,
    dismiss_case,
    open_case,
    start_verification,
    transfer_case,
    update_case,
    withdraw_evidence,
)
from cases.operations.record import (
    add_violation,
    extend_decision_time_limit,
    make_record,
    preview_record,
    remove_violation,
    set_sanction,
)
from cases.operations.reliefs import decide_relief, forward_relief, request_relief
from cases.operations.sanction import (
    approve_sanction,
    issue_decision,
    propose_sanction,
    reopen_case,
    return_sanction,
)

__all__ = [
    "add_evidence", "add_measure", "add_violation", "close_time_barred",
    "adopt_legacy_measures", "move_overdue_to_enforcement", "remove_measure",
    "update_obligation", "approve_sanction",
    "decide_instalments", "decide_relief", "forward_relief", "request_relief",
    "deliver_coercion", "dismiss_case", "issue_coercion",
    "propose_coercion", "record_complaint", "request_instalments",
    "record_lawsuit", "settle_complaint",
    "explanation_hold",
    "extend_decision_time_limit", "issue_decision",
    "make_record", "open_case", "preview_record", "propose_sanction", "record_delivery",
    "record_payment",
    "record_explanation", "record_hearing", "record_response", "remove_violation",
    "request_coordination", "return_sanction",
    "set_sanction", "start_verification", "transfer_case", "update_case",
    "reopen_case", "update_coordination", "withdraw_evidence",
]
