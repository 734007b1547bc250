"""Case models, split by theme; import them from here."""

from cases.models.capture import (
    CaptureState,
    Watch,
    WatchEvent,
    WatchEventKind,
    WatchOutcome,
    WatchScope,
    WatchState,
    WebCapture,
)
from cases.models.case import (
    Case,
    CaseAction,
    CaseState,
    DetectionMethod,
    Evidence,
    EvidenceKind,
    Gender,
    SubjectKind,
)
from cases.models.coordination import CoordinationRequest, Partner
from cases.models.enforcement import (
    CloseReason,
    CoercionDecision,
    CoercionMethod,
    CoercionState,
    Complaint,
    ComplaintOutcome,
    CostBearer,
    DeliveryMethod,
    FineRelief,
    HardshipCause,
    InstalmentPlan,
    Obligation,
    ObligationProof,
    ObligationState,
    Payment,
    PaymentPlace,
    PlanState,
    ReliefKind,
    SiteStatusEffect,
    StatementBatch,
    StatementOutcome,
    ViolationMeasure,
)
from cases.models.explanation import EXPLAINED, Explanation, ExplanationKind
from cases.models.sanction import (
    Decision,
    DecisionKind,
    DecisionStatus,
    SanctionKind,
    SignatureAbsence,
    TransferTarget,
    Violation,
    ViolationRecord,
)
from cases.models.tally import CaseDayCount, CaseStateCount

__all__ = [
    "CloseReason", "CoercionDecision", "CoercionMethod", "CoercionState", "Complaint",
    "ComplaintOutcome", "CostBearer", "DeliveryMethod",
    "FineRelief", "HardshipCause", "InstalmentPlan", "ReliefKind", "Obligation",
    "ObligationProof", "PlanState",
    "ObligationState", "Payment", "PaymentPlace", "SiteStatusEffect", "StatementBatch",
    "StatementOutcome", "ViolationMeasure",
    "CaptureState", "Case", "CaseAction", "CaseDayCount", "CaseState", "CaseStateCount",
    "CoordinationRequest", "Decision",
    "DecisionKind", "DecisionStatus", "DetectionMethod", "EXPLAINED", "Evidence", "EvidenceKind",
    "Explanation", "ExplanationKind", "Gender", "Partner", "SanctionKind", "SignatureAbsence",
    "SubjectKind", "TransferTarget", "Violation", "ViolationRecord", "Watch",
    "WatchEvent", "WatchEventKind", "WatchOutcome", "WatchScope", "WatchState", "WebCapture",
]
