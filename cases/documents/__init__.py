"""Official documents as PDF: the sanction decision (MQĐ02), the violation record (MBB01),
the coordination letter, the decisions that amend, correct or cancel (MQĐ38–40) or
transfer a case (MQĐ33), and batch printing."""

from cases.documents.decision import (
    TEMPLATE_VERSION,
    decision_snapshot,
    draft_decision,
    render_decision,
    render_letter,
    render_record,
)
from core.pdf import render_pdf

__all__ = ["TEMPLATE_VERSION", "decision_snapshot", "draft_decision", "render_decision",
           "render_letter", "render_pdf", "render_record"]
