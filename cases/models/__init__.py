"""Case models, split by theme; import them from here."""

from cases.models.case import Case, CaseState, DetectionMethod, Evidence, SubjectKind
from cases.models.coordination import CoordinationRequest, Partner
from cases.models.deadline import Deadline, DeadlineState
from cases.models.sanction import Decision, SanctionKind, Violation, ViolationRecord

__all__ = [
    "Case", "CaseState", "CoordinationRequest", "Deadline", "DeadlineState", "Decision",
    "DetectionMethod", "Evidence", "Partner", "SanctionKind",
    "SubjectKind", "Violation", "ViolationRecord",
]
