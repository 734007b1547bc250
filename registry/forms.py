"""Registry forms."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from catalogue.models import SubjectKind
from core.agency import district_names
from core.clock import clock
from core.forms import BaseForm, DateVNField, length, optional, required, upload_limit
from legal.districts import match_district
from registry.domains import normalize_domain
from registry.models import RegistryStatus, SiteKind


class SiteForm(BaseForm):
    version = HiddenField()  # the entry's version when the form was loaded
    kind = SelectField(_l("Kind"), choices=SiteKind.choices(), validators=[required()])
    name = StringField(_l("Name"), validators=[required(), length(300)])
    domain = StringField(_l("Domain"), validators=[required(), length(253)],
                         render_kw={"placeholder": "tinmoi24h.vn"})
    url = StringField(_l("Address (URL)"), validators=[optional(), length(500)])
    status = SelectField(_l("Registry status"), choices=RegistryStatus.choices(),
                         validators=[required()])
    operator_kind = SelectField(_l("Operator is"), choices=SubjectKind.choices(),
                                validators=[required()])
    # empty: not identified yet ("chưa xác định", shown as a gap to fill): identifying the
    # operator of an anonymous site is what the Police are often asked to do
    operator_name = StringField(_l("Operator"), validators=[optional(), length(300)],
                                description=_l("Leave empty when the operator is not "
                                               "identified yet."))
    operator_address = StringField(_l("Operator's address"), validators=[optional(), length(500)])
    operator_tax_id = StringField(_l("Tax or ID number"), validators=[optional(), length(50)])
    licence_number = StringField(_l("Licence number"), validators=[optional(), length(100)])
    licence_issuer = StringField(_l("Licence issued by"), validators=[optional(), length(300)])
    licence_issued_on = DateVNField(_l("Licence issued on"), validators=[optional()])
    licence_expires_on = DateVNField(_l("Licence expires on"), validators=[optional()])
    # one of the province's districts (core.agency.district_names), offered by a datalist
    district = StringField(_l("District"), validators=[optional(), length(100)],
                           render_kw={"list": "district-names", "autocomplete": "off"})
    notes = TextAreaField(_l("Notes"), validators=[optional(), length(5000)])
    licence_scope = TextAreaField(_l("Scope of the licence"), validators=[optional(),
                                                                          length(2000)])
    launched_on = DateVNField(_l("Launched on"), validators=[optional()])
    other_urls = TextAreaField(_l("Other addresses (one per line)"),
                               validators=[optional(), length(4000)])
    operator_contact = StringField(_l("Contact (telephone, e-mail)"),
                                   validators=[optional(), length(300)])
    content_manager = StringField(_l("Person responsible for the content"),
                                  validators=[optional(), length(300)])
    hosted_in_vietnam = SelectField(_l("Server located in Vietnam"), choices=[
        SelectChoice("", _l("Not known")), SelectChoice("yes", _l("Yes")),
        SelectChoice("no", _l("No"))], default="")
    inspector_id = SelectField(_l("Inspector following it"), default="",
                               validators=[optional()])
    status_reason = StringField(_l("Reason for a change of status"),
                                validators=[optional(), length(500)])

    def validate_domain(self, field):
        try:
            self.normalized_domain = normalize_domain(field.data)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc

    def validate_district(self, field):
        names = district_names()
        if not field.data or not names:  # no list known: free text
            return
        matched = match_district(field.data, names)
        if matched is None:
            raise ValidationError(_l("«%(name)s» is not a district of the province (agency "
                                     "settings): choose one of the list.", name=field.data))
        field.data = matched  # "luc ngan" is stored as "Lục Ngạn"

    def validate_licence_issued_on(self, field):
        if field.date and field.date > clock().today():
            raise ValidationError(_l("The issue date cannot be in the future."))

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        # a licensed site is one holding a licence (Decree 72/2013 Art. 23): its number is
        # what the registry and the report rely on (checked here: the field is optional)
        if self.status.data == "licensed" and not (self.licence_number.data or "").strip():
            self.licence_number.errors = [*self.licence_number.errors,
                                          _l("A licensed site needs its licence number.")]
            return False
        if self.status.data == "licensed" and not (self.operator_name.data or "").strip():
            self.operator_name.errors = [*self.operator_name.errors,
                                         _l("A licensed site needs its operator.")]
            return False
        return ok

    def validate_licence_expires_on(self, field):
        issued = self.licence_issued_on.date
        if field.date and issued and field.date < issued:
            raise ValidationError(_l("The expiry date cannot be before the issue date."))

    def data_for_operation(self) -> dict:
        data = {name: f.data or None for name, f in self._fields.items() if name != "csrf_token"}
        data["domain"] = self.normalized_domain
        data["licence_issued_on"] = self.licence_issued_on.date
        data["licence_expires_on"] = self.licence_expires_on.date
        data["launched_on"] = self.launched_on.date
        data["hosted_in_vietnam"] = {"yes": True, "no": False}.get(self.hosted_in_vietnam.data)
        data["inspector_id"] = int(self.inspector_id.data) if self.inspector_id.data else None
        data.pop("status_reason", None)
        data.pop("once", None)
        data.pop("version", None)
        return data

    def validate_launched_on(self, field):
        if field.date and field.date > clock().today():
            raise ValidationError(_l("The date cannot be in the future."))
        issued = self.licence_issued_on.date
        if field.date and issued and field.date < issued:
            raise ValidationError(_l("The launch cannot be before the licence."))


class ImportForm(BaseForm):
    file = FileField(_l("File (.csv or .xlsx)"), validators=[required(), upload_limit()])


class ConfirmForm(BaseForm):
    """Confirming a previewed import (only the CSRF and one-time tokens)."""


# Reports to the Ministry cover the registry kept under Decree 72/2013 (in force from
# 01/09/2013): a period before 2013 is a typing slip (01/01/1900), not a report.
REPORTS_FROM = date(2013, 1, 1)


class ObligationForm(BaseForm):
    title = StringField(_l("Report"), validators=[required(), length(300)],
                        render_kw={"placeholder": "Báo cáo kết quả kiểm tra, rà soát theo "
                                                  "Công văn ngày 06/11/2014 của Bộ TT&TT"})
    basis = StringField(_l("Requested by (letter, article)"),
                        validators=[required(), length(500)])
    period_start = DateVNField(_l("Period from"), validators=[required()],
                               earliest=REPORTS_FROM)
    period_end = DateVNField(_l("Period to"), validators=[required()], earliest=REPORTS_FROM)
    due_on = DateVNField(_l("Due by"), validators=[required()], earliest=REPORTS_FROM)

    def validate_period_end(self, field):
        if field.date and self.period_start.date and field.date < self.period_start.date:
            raise ValidationError(_l("The end of the period cannot be before its start."))


class ReportForm(BaseForm):
    obligation_id = SelectField(_l("For"), default="", validators=[optional()])
    period_start = DateVNField(_l("Period from"), validators=[required()],
                               earliest=REPORTS_FROM)
    period_end = DateVNField(_l("Period to"), validators=[required()], earliest=REPORTS_FROM)

    def validate_period_end(self, field):
        if field.date and field.date.year > clock().today().year:
            raise ValidationError(_l("A report covers a period that has begun: it cannot "
                                     "end after this year."))
    proposals = TextAreaField(_l("Proposals to the Ministry"),
                              validators=[optional(), length(10000)])
    # required to issue (not to preview): an issued report is frozen
    confirm_report = BooleanField(_l("I have checked the preview: once issued, the report's "
                                     "number, figures and files (PDF, XLSX) are frozen."))
