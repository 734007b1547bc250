"""Forms of the case workflow. Validation of shapes here; legal checks in the operations."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, DataRequired, NumberRange, ValidationError

from cases.models import (
    CoercionMethod,
    ComplaintOutcome,
    CostBearer,
    DeliveryMethod,
    DetectionMethod,
    ExplanationKind,
    Gender,
    HardshipCause,
    ObligationProof,
    ObligationState,
    Partner,
    PaymentPlace,
    ReliefKind,
    SanctionKind,
    SignatureAbsence,
    SiteStatusEffect,
    SubjectKind,
    TransferTarget,
)
from core.forms import (
    BaseForm,
    DateVNField,
    IdSelectField,
    VNDField,
    length,
    optional,
    required,
    upload_limit,
)
from legal import circumstances
from legal.dates import parse_date_vn
from legal.money import parse_vnd


class CaseForm(BaseForm):
    site_id = SelectField(_l("Site (from the registry)"), coerce=str, validators=[optional()])
    subject_kind = SelectField(_l("Subject is"), choices=SubjectKind.choices(),
                               validators=[required()])
    subject_name = StringField(_l("Name of the individual or organisation"),
                               validators=[required(), length(300)])
    subject_id_number = StringField(_l("ID number / enterprise or tax number"),
                                    validators=[optional(), length(50)])
    subject_id_issued_on = DateVNField(_l("Issued on"), validators=[optional()], past=True)
    subject_id_issued_by = StringField(_l("Issued by"), validators=[optional(), length(200)])
    subject_birth_date = DateVNField(_l("Date of birth (individual)"), validators=[optional()],
                                     past=True)
    subject_nationality = StringField(_l("Nationality"), validators=[optional(), length(100)])
    subject_occupation = StringField(_l("Occupation"), validators=[optional(), length(200)])
    subject_gender = SelectField(_l("Gender (individual)"), validators=[optional()],
                                 choices=[SelectChoice("", "—"), *Gender.choices()])
    subject_address = StringField(_l("Address"), validators=[optional(), length(500)])
    subject_representative = StringField(_l("Legal representative (organisation)"),
                                         validators=[optional(), length(200)])
    subject_representative_title = StringField(_l("Representative's title"),
                                               validators=[optional(), length(200)])
    detection_method = SelectField(_l("How it was detected"), choices=DetectionMethod.choices(),
                                   validators=[required()])
    detected_on = DateVNField(_l("Detected on"), validators=[required()])
    violation_ended_on = DateVNField(_l("Violation ended on (empty if ongoing)"),
                                     validators=[optional()])
    description = TextAreaField(_l("Description"), validators=[required(), length(10000)])
    supervisor_id = SelectField(_l("Supervisor"), coerce=str, validators=[optional()])
    version = HiddenField()

    def data_for_operation(self) -> dict:
        """The values the `open_case` / `update_case` operations take."""
        data = {name: field.data or None for name, field in self._fields.items()
                if name not in ("csrf_token", "version")}
        for name in ("subject_id_issued_on", "subject_birth_date", "detected_on",
                     "violation_ended_on"):
            data[name] = self[name].date
        for name in ("site_id", "supervisor_id"):
            data[name] = int(data[name]) if data[name] else None
        return data


class EvidenceForm(BaseForm):
    id_prefix = "evidence-"  # its note and URL beside the proposal's note, the capture's URL
    file = FileField(_l("File (screenshot, PDF, saved page)"), validators=[upload_limit()])
    url = StringField(_l("URL where the content was seen"),
                      validators=[optional(), URL(message=_l("Enter a full address, e.g. "
                                                             "https://example.vn/page")),
                                  length(2000)])
    note = TextAreaField(_l("Note"), validators=[optional(), length(2000)])


class CoordinationForm(BaseForm):
    partner = SelectField(_l("Partner agency"), choices=Partner.choices(),
                          validators=[required()])
    partner_name = StringField(_l("Addressed to (as on the letter)"),
                               validators=[required(), length(300)])
    letter_number = StringField(_l("Letter number"), validators=[optional(), length(50)])
    sent_on = DateVNField(_l("Sent on"), validators=[required()])
    request_text = TextAreaField(_l("What is asked"), validators=[required(), length(5000)])
    response_due_on = DateVNField(_l("Response due by"), validators=[required()])


class CoordinationEditForm(CoordinationForm):
    """Correcting a request not answered yet (prefix "c<id>")."""


class ResponseForm(BaseForm):
    received_on = DateVNField(_l("Response received on"), validators=[required()])
    summary = TextAreaField(_l("Summary of the response"), validators=[required(), length(5000)])
    reply_file = FileField(_l("The reply letter (file, optional)"), validators=[upload_limit()])


class WithdrawEvidenceForm(BaseForm):
    """Withdrawing one piece of evidence (prefix "w<id>")."""

    withdrawal_reason = TextAreaField(_l("Why it is withdrawn"),
                                      validators=[required(), length(2000)])


class ReopenForm(BaseForm):
    reopen_reason = TextAreaField(_l("Why the case is reopened"),
                                  validators=[required(), length(2000)])


def confirmed(message):
    """A checkbox that must be ticked: the confirmation of an act that cannot be undone."""
    return DataRequired(message=message)


def _circumstance_choices(kind: str) -> list[tuple[str, str]]:
    return [SelectChoice(c.code, f"{circumstances.cite(c.code)}: {c.text}")
            for c in circumstances.of_kind(kind)]


class CircumstancesMixin:
    """The circumstances named from the Law's lists (Art. 9, Art. 10(1)); their counts are
    stored with them."""

    mitigating_codes = SelectMultipleField(_l("Mitigating circumstances (Law, Art. 9)"),
                                           choices=_circumstance_choices("mitigating"),
                                           validate_choice=False,  # the operation checks
                                           validators=[optional()])
    aggravating_codes = SelectMultipleField(_l("Aggravating circumstances (Law, Art. 10)"),
                                            choices=_circumstance_choices("aggravating"),
                                            validate_choice=False,
                                            validators=[optional()])


class ViolationForm(CircumstancesMixin, BaseForm):
    clause_id = SelectField(_l("Violated clause"), validators=[required()],
                            render_kw={"data-filter": "1"})
    description = TextAreaField(_l("The act, as found"), validators=[required(), length(5000)])
    circumstances = TextAreaField(_l("Circumstances (mitigating, aggravating)"),
                                  validators=[optional(), length(2000)])
    mitigating = IntegerField(_l("Number of mitigating circumstances"), default=0,
                              validators=[optional(), NumberRange(0, 20, message=_l(
                                  "Enter a number from 0 to 20."))])
    aggravating = IntegerField(_l("Number of aggravating circumstances"), default=0,
                               validators=[optional(), NumberRange(0, 20, message=_l(
                                   "Enter a number from 0 to 20."))])
    sanction_kind = SelectField(_l("Main sanction"), choices=SanctionKind.choices(),
                                validators=[required()])
    fine_amount = VNDField(_l("Fine in đồng (empty: the midpoint of the range)"),
                           validators=[optional()])
    additional_sanctions = TextAreaField(_l("Additional sanctions"),
                                         validators=[optional(), length(2000)])
    remedial_measures = TextAreaField(_l("Remedial measures"),
                                      validators=[optional(), length(2000)])


class SanctionForm(CircumstancesMixin, BaseForm):
    """The proposed sanction of one violation (prefix "s<id>")."""

    sanction_kind = SelectField(_l("Main sanction"), choices=SanctionKind.choices(),
                                validators=[required()])
    fine_amount = VNDField(_l("Fine in đồng (empty: the midpoint of the range)"),
                           validators=[optional()])
    mitigating = IntegerField(_l("Number of mitigating circumstances"), default=0,
                              validators=[optional(), NumberRange(0, 20, message=_l(
                                  "Enter a number from 0 to 20."))])
    aggravating = IntegerField(_l("Number of aggravating circumstances"), default=0,
                               validators=[optional(), NumberRange(0, 20, message=_l(
                                   "Enter a number from 0 to 20."))])
    circumstances = TextAreaField(_l("Circumstances (mitigating, aggravating)"),
                                  validators=[optional(), length(2000)])
    additional_sanctions = TextAreaField(_l("Additional sanctions"),
                                         validators=[optional(), length(2000)])
    remedial_measures = TextAreaField(_l("Remedial measures"),
                                      validators=[optional(), length(2000)])


class RecordForm(BaseForm):
    # proposed: the next number of the year (cases.operations.record.proposed_record_number);
    # optional here: a draft preview may leave it empty, making the record requires it
    number = StringField(_l("Record number"), validators=[optional(), length(50)])
    made_on = DateVNField(_l("Made on"), validators=[required()])
    place = StringField(_l("Place"), validators=[required(), length(300)])
    violator_statement = TextAreaField(_l("Statement of the violator"),
                                       validators=[optional(), length(5000)])
    made_time = TimeField(_l("Hour made (hh:mm)"), validators=[optional()])
    place_reason = StringField(_l("Why it is made elsewhere than the place of the violation"),
                               validators=[optional(), length(1000)])
    violation_time = StringField(_l("Time of the violation (empty: from the case's dates)"),
                                 validators=[optional(), length(300)])
    violation_place = StringField(_l("Place of the violation (empty: the site's address)"),
                                  validators=[optional(), length(500)])
    violator_signature = SelectField(_l("The violator"), choices=SignatureAbsence.choices(),
                                     default=SignatureAbsence.signed, validators=[required()])
    witnesses = TextAreaField(_l("Witnesses or the commune authority's representative (one "
                                 "per line: name, address or position)"),
                              validators=[optional(), length(2000)])
    signature_reason = StringField(_l("Why the violator did not sign"),
                                   validators=[optional(), length(1000)])
    preventive_measures = TextAreaField(_l("Measures to prevent and secure (empty: none)"),
                                        validators=[optional(), length(2000)])
    copies = IntegerField(_l("Copies"), default=2,
                          validators=[required(), NumberRange(min=2, max=20)])
    explanation_requested = BooleanField(
        _l("The facts must be verified, or the violator asked to explain (longer time limit)"))
    waived_in_record = BooleanField(
        _l("The violator states in the record not to ask to explain (records from 2022)"))
    confirm_record = BooleanField(
        _l("I have checked it: once made, the record's number, date, place, statement and "
           "the violations it lists are frozen (its PDF is kept as signed)."),
        validators=[confirmed(_l("Tick the box to confirm: a record once made cannot be "
                                 "changed."))])

    def record_fields(self) -> dict:
        """The values `make_record` and `preview_record` take."""
        return {"number": self.number.data, "made_on": self.made_on.date,
                "place": self.place.data,
                "violator_statement": self.violator_statement.data or None,
                "explanation_requested": self.explanation_requested.data,
                **{name: self[name].data for name in (
                    "made_time", "place_reason", "violation_time", "violation_place",
                    "violator_signature", "witnesses", "signature_reason",
                    "preventive_measures", "copies", "waived_in_record")}}


class ExplanationForm(BaseForm):
    """What the violator sent about the right to explain (Law Art. 61)."""

    id_prefix = "explanation-"  # its file and note beside the evidence form's
    kind = SelectField(_l("The violator sent"), validators=[required()], choices=[
        c for c in ExplanationKind.choices() if c.value != ExplanationKind.hearing])
    received_on = DateVNField(_l("Received on"), validators=[required()])
    file = FileField(_l("The document (signed letter, PDF or image)"),
                     validators=[upload_limit()])
    note = TextAreaField(_l("Summary"), validators=[optional(), length(5000)])


class HearingForm(BaseForm):
    """The explanation hearing and its record (form MBB03 from 2022)."""

    id_prefix = "hearing-"
    held_on = DateVNField(_l("Held on"), validators=[required()])
    number = StringField(_l("Hearing record number"), validators=[required(), length(50)],
                         render_kw={"placeholder": "01/BB-GTTT"})
    place = StringField(_l("Place"), validators=[required(), length(300)])
    participants = TextAreaField(_l("Others present (one per line)"),
                                 validators=[optional(), length(3000)])
    statement = TextAreaField(_l("What the violator said"),
                              validators=[required(), length(10000)])


class NoteForm(BaseForm):
    note = TextAreaField(_l("Note"), validators=[optional(), length(2000)])


class ReasonForm(BaseForm):
    reason = TextAreaField(_l("Reason"), validators=[required(), length(2000)])


class ExtensionForm(BaseForm):
    id_prefix = "extension-"  # its reason beside the dismissal's
    reason = TextAreaField(_l("Grounds for the extension"), validators=[required(), length(2000)])
    document = StringField(_l("Extension letter (number and date)"), validators=[length(100)])


class TransferForm(BaseForm):
    target = SelectField(_l("Transfer to"), choices=TransferTarget.choices())
    recipient = StringField(_l("Body or official receiving the file"),
                            validators=[required(), length(300)],
                            render_kw={"placeholder": "Cơ quan Cảnh sát điều tra Công an tỉnh"})
    transfer_reason = TextAreaField(_l("Reason for the transfer (signs of a crime, competence)"),
                                    validators=[required(), length(2000)])


class CorrectionForm(BaseForm):
    kind = SelectField(_l("Decision"), choices=[
        SelectChoice("correct", _l("Correct (a clerical error)")),
        SelectChoice("amend", _l("Amend or supplement")),
        SelectChoice("cancel", _l("Cancel the decision"))])
    content = TextAreaField(_l("What the decision changes"), validators=[required(),
                                                                         length(5000)])
    correction_reason = TextAreaField(_l("Reason"), validators=[required(), length(2000)])
    correction_on = DateVNField(_l("Date of the decision"), validators=[required()])


class VoidForm(BaseForm):
    void_reason = TextAreaField(_l("Why this number was issued by mistake"),
                                validators=[required(), length(2000)])


class IssueForm(BaseForm):
    issued_on = DateVNField(_l("Date of the decision"), validators=[required()])
    confirm_issue = BooleanField(
        _l("I have checked it: once issued, the decision's number, content and PDF are "
           "frozen; a later change is a new decision (amend, correct, cancel)."),
        validators=[confirmed(_l("Tick the box to confirm: an issued decision cannot be "
                                 "changed."))])


class DeliveryForm(BaseForm):
    id_prefix = "delivery-"  # its date sent beside the coordination request's
    method = SelectField(_l("Delivered"), choices=DeliveryMethod.choices(),
                         default=DeliveryMethod.in_person, validators=[required()])
    sent_on = DateVNField(_l("Sent on (by post or electronically)"), validators=[optional()])
    delivered_on = DateVNField(_l("Received by the violator on"), validators=[optional()])
    proof_id = IdSelectField(_l("Receipt or postal proof (from the evidence)"),
                             validators=[optional()])


class PaymentForm(BaseForm):
    paid_on = DateVNField(_l("Paid on"), validators=[required()])
    amount = VNDField(_l("Amount paid (đồng)"), validators=[required()])
    receipt_number = StringField(_l("Receipt number"), validators=[optional(), length(100)])
    place = SelectField(_l("Paid at"), choices=PaymentPlace.choices(),
                        default=PaymentPlace.treasury, validators=[required()])

    def validate_amount(self, field):
        if field.amount is not None and field.amount <= 0:
            raise ValidationError(_l("The amount must be more than 0 đồng."))


class MeasureForm(BaseForm):
    """A remedial measure ordered for a violation (prefix m<violation id>)."""

    text = SelectField(_l("Remedial measure"), coerce=str, choices=[], validate_choice=False,
                       validators=[required()])
    other = StringField(_l("Or its words, when the catalogue does not list them"),
                        validators=[optional(), length(1000)])
    days = IntegerField(_l("Days to carry it out, from receipt"), default=10,
                        validators=[required(), NumberRange(1, 365)])
    cost_bearer = SelectField(_l("Cost borne by"), choices=CostBearer.choices(),
                              default=CostBearer.violator, validators=[required()])


class ObligationForm(BaseForm):
    """How a remedial measure of the decision ended (prefix o<obligation id>)."""

    state = SelectField(_l("Outcome"), choices=[
        SelectChoice(ObligationState.done, ObligationState.done.label),
        SelectChoice(ObligationState.enforced, ObligationState.enforced.label),
        SelectChoice(ObligationState.impossible, ObligationState.impossible.label)],
        validators=[required()])
    on = DateVNField(_l("On"), validators=[required()])
    proof = SelectField(_l("Proof"), choices=[SelectChoice("", "—")] + ObligationProof.choices(),
                        validators=[optional()])
    evidence_id = IdSelectField(_l("Document (from the evidence)"), validators=[optional()])
    capture_id = IdSelectField(_l("Web capture"), validators=[optional()])
    confirmation = StringField(_l("Confirmed by (body, letter number and date)"),
                               validators=[optional(), length(1000)])
    reason = TextAreaField(_l("Why it cannot be carried out"),
                           validators=[optional(), length(2000)])
    site_status = SelectField(_l("Registry status of the site"),
                              choices=[SelectChoice("", _l("— unchanged —"))]
                              + SiteStatusEffect.choices(), validators=[optional()])


class ComplaintForm(BaseForm):
    complainant = StringField(_l("Who complains"), validators=[required(), length(300)])
    received_on = DateVNField(_l("Received on"), validators=[required()])
    accepted_on = DateVNField(_l("Accepted (thụ lý) on"), validators=[required()])
    settler = StringField(_l("Settled by"), validators=[required(), length(300)])
    second = BooleanField(_l("Second complaint"))
    complex_case = BooleanField(_l("Complex case"))
    remote = BooleanField(_l("Remote area, hard to travel to"))
    suspended = BooleanField(_l("Enforcement suspended meanwhile (Article 15)"))
    summary = TextAreaField(_l("What the complaint says"), validators=[optional(), length(4000)])


class SettleForm(BaseForm):
    """The outcome of a complaint (prefix cs<complaint id>)."""

    outcome = SelectField(_l("Outcome"), choices=[
        SelectChoice(o, o.label) for o in ComplaintOutcome if o != ComplaintOutcome.pending],
        validators=[required()])
    outcome_on = DateVNField(_l("On"), validators=[required()])
    outcome_note = TextAreaField(_l("Grounds"), validators=[required(), length(2000)])
    content = TextAreaField(_l("What the correcting decision changes"),
                            validators=[optional(), length(4000)])


class LawsuitForm(BaseForm):
    """A lawsuit against the decision (prefix l<complaint id>)."""

    court = StringField(_l("Court"), validators=[required(), length(300)])
    filed_on = DateVNField(_l("Filed on"), validators=[required()])
    lawsuit_outcome = TextAreaField(_l("Judgment"), validators=[optional(), length(2000)])
    judged_on = DateVNField(_l("Judged on"), validators=[optional()])


class InstalmentForm(BaseForm):
    id_prefix = "instalment-"  # its grounds beside the closing form's
    requested_on = DateVNField(_l("Requested on"), validators=[required()])
    grounds = TextAreaField(_l("Grounds of the request"), validators=[required(), length(2000)])
    confirmed_by = StringField(_l("Hardship confirmed by (body, letter)"),
                               validators=[optional(), length(300)])
    schedule = TextAreaField(_l("Instalments, one a line as dd/mm/yyyy: amount in đồng"),
                             validators=[required(), length(2000)],
                             render_kw={"placeholder": "15/12/2014: 10.000.000\n"
                                                      "15/01/2015: 15.000.000"})

    def validate_schedule(self, field):
        self.tranches = []
        for line in (field.data or "").splitlines():
            if not line.strip():
                continue
            day, _sep, amount = line.replace(";", ":").partition(":")
            try:
                self.tranches.append((parse_date_vn(day.strip()), parse_vnd(amount.strip())))
            except ValueError as exc:
                raise ValidationError(_l("Write each line as 15/12/2014: 10.000.000.")) from exc


class DecidePlanForm(BaseForm):
    """The decision on a request to pay in instalments (prefix p<plan id>)."""

    decided_on = DateVNField(_l("Decided on"), validators=[required()])
    note = TextAreaField(_l("Note (the reason, when refusing)"),
                         validators=[optional(), length(2000)])


class ReliefForm(BaseForm):
    """The violator's request to postpone the fine or to reduce or exempt its rest
    (Law 15/2012/QH13 Art. 76, 77)."""

    id_prefix = "relief-"  # its grounds beside the instalments' and the closing form's
    kind = SelectField(_l("The violator asks for"), choices=ReliefKind.choices(),
                       validators=[required()])
    requested_on = DateVNField(_l("Request received on"), validators=[required()])
    cause = SelectField(_l("Cause of the hardship"),
                        choices=[SelectChoice("", "—")] + HardshipCause.choices(),
                        validators=[required()])
    grounds = TextAreaField(_l("Grounds of the request"), validators=[required(), length(2000)])
    confirmed_by = StringField(_l("Hardship confirmed by (body, letter)"),
                               validators=[optional(), length(300)])
    medical_confirmed_by = StringField(
        _l("Illness or accident confirmed by (medical facility; from 2022)"),
        validators=[optional(), length(300)])
    evidence_id = IdSelectField(_l("Supporting document (from the evidence)"),
                                validators=[optional()])
    months = IntegerField(_l("Months of postponement asked for"),
                          validators=[optional(), NumberRange(min=1, max=12)])
    amount = VNDField(_l("Reduction asked for (đồng)"), validators=[optional()])
    forwarded_on = DateVNField(_l("Forwarded to the direct superior on"),
                               validators=[optional()])

    def validate_amount(self, field):
        if field.amount is not None and field.amount <= 0:
            raise ValidationError(_l("The amount must be more than 0 đồng."))


class DecideReliefForm(BaseForm):
    """The decision on a request to postpone, reduce or exempt the fine (prefix r<id>)."""

    decided_on = DateVNField(_l("Decided on"), validators=[required()])
    note = TextAreaField(_l("Note (the reason, when refusing)"),
                         validators=[optional(), length(2000)])


class ForwardReliefForm(BaseForm):
    """A reduction request forwarded to the direct superior (prefix rf<id>)."""

    forwarded_on = DateVNField(_l("Forwarded to the direct superior on"),
                               validators=[required()])


class CoercionForm(BaseForm):
    method = SelectField(_l("Coercion method"), choices=CoercionMethod.choices(),
                         validators=[required()])
    details = TextAreaField(_l("Where and on what (account, employer, property)"),
                            validators=[required(), length(2000)])


class CoercionIssueForm(BaseForm):
    """Signing a proposed coercion decision (prefix k<id>)."""

    issued_on = DateVNField(_l("Date of the decision"), validators=[required()])


class CoercionDeliveryForm(BaseForm):
    """Delivering a coercion decision (prefix kd<id>)."""

    sent_on = DateVNField(_l("Sent on"), validators=[required()])
    delivered_on = DateVNField(_l("Received on"), validators=[optional()])


class CloseForm(BaseForm):
    grounds = TextAreaField(_l("Grounds for closing (time-barred enforcement)"),
                            validators=[required(), length(2000)])


class NationalDbForm(BaseForm):
    entered_on = DateVNField(_l("Entered into the national database on"),
                             validators=[required()])
    # Needed to correct an entry already recorded (audited as a correction).
    reason = StringField(_l("Reason for the correction"), validators=[optional(), length(500)])
