"""Forms of the campaign pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField, widgets
from wtforms.fields.choices import SelectChoice

from core.forms import BaseForm, DateVNField, length, optional, required, upload_limit
from inspections.models import CheckItem, CheckOutcome, MemberAgency, MemberRole, ReferralTarget
from registry.models import RegistryStatus, SiteKind


class CheckboxesField(SelectMultipleField):
    """Several choices ticked in a list of checkboxes."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class CampaignForm(BaseForm):
    code = StringField(_l("Campaign code"), validators=[required(), length(30)],
                       render_kw={"placeholder": "KT-2014-01"})
    title = StringField(_l("Campaign title"), validators=[required(), length(300)])
    legal_basis = TextAreaField(_l("Legal basis (the directive or plan carried out)"),
                                validators=[required(), length(4000)])
    tasks = TextAreaField(_l("Tasks of the team"), validators=[optional(), length(4000)])
    period_start = DateVNField(_l("From (date)"), validators=[required()])
    period_end = DateVNField(_l("To (date)"), validators=[required()])
    report_due_on = DateVNField(_l("Result report due by"), validators=[required()])


class CampaignEditForm(BaseForm):
    id_prefix = "edit-"
    title = StringField(_l("Campaign title"), validators=[required(), length(300)])
    legal_basis = TextAreaField(_l("Legal basis (the directive or plan carried out)"),
                                validators=[required(), length(4000)])
    tasks = TextAreaField(_l("Tasks of the team"), validators=[optional(), length(4000)])
    period_start = DateVNField(_l("From (date)"), validators=[required()])
    period_end = DateVNField(_l("To (date)"), validators=[required()])


class ScopeForm(BaseForm):
    kinds = CheckboxesField(_l("Kinds of sites"), choices=SiteKind.choices())
    statuses = CheckboxesField(_l("Registry statuses"), choices=RegistryStatus.choices())
    districts = TextAreaField(_l("Districts (one per line)"),
                              validators=[optional(), length(2000)])
    site_ids = SelectMultipleField(_l("Sites picked by hand"), coerce=str,
                                   render_kw={"size": 8})


class MemberForm(BaseForm):
    name = StringField(_l("Name"), validators=[required(), length(200)])
    title = StringField(_l("Position"), validators=[optional(), length(200)])
    agency = SelectField(_l("Agency"), choices=MemberAgency.choices(), validators=[required()])
    role = SelectField(_l("Role in the team"), choices=MemberRole.choices(),
                       default=MemberRole.member, validators=[required()])
    user_id = SelectField(_l("User of the product (optional)"), default="",
                          validators=[optional()])


class PlanForm(BaseForm):
    id_prefix = "plan-"
    site_id = SelectField(_l("Site"), validators=[required()])
    planned_on = DateVNField(_l("Date of the check"), validators=[required()])
    member_ids = CheckboxesField(_l("Members assigned"))


class CheckForm(BaseForm):
    checked_on = DateVNField(_l("Date of the check"), validators=[required()])
    place = StringField(_l("Place"), validators=[optional(), length(300)])
    operator_present = StringField(_l("Representative of the operator"),
                                   validators=[optional(), length(300)])
    member_ids = CheckboxesField(_l("Members who took part"))
    items = CheckboxesField(_l("What was checked"), choices=CheckItem.choices())
    findings = TextAreaField(_l("Findings"), validators=[required(), length(8000)])
    statement = TextAreaField(_l("Statement of the operator"),
                              validators=[optional(), length(4000)])
    outcome = SelectField(_l("Outcome"), choices=CheckOutcome.choices(),
                          validators=[required()])
    referral_target = SelectField(_l("Referred to"), choices=ReferralTarget.choices(),
                                  default=ReferralTarget.police)
    referral_recipient = StringField(_l("Authority receiving the referral"),
                                     validators=[optional(), length(300)])
    referral_reason = TextAreaField(_l("Reason for the referral"),
                                    validators=[optional(), length(4000)])
    site_status = SelectField(_l("Registry status found"), default="",
                              choices=[SelectChoice("", _l("Unchanged")),
                                       *RegistryStatus.choices()])
    operator_name = StringField(_l("Operator identified"), validators=[optional(), length(300)])


class ResultReportForm(BaseForm):
    conclusion = TextAreaField(_l("Conclusion of the team"),
                               validators=[required(), length(8000)])
    proposals = TextAreaField(_l("Proposals to the Ministry"),
                              validators=[optional(), length(8000)])


class IssueDecisionForm(BaseForm):
    """The "approve and issue" button: no field but its one-time token (a second click
    shows the issued decision)."""


class CheckEvidenceForm(BaseForm):
    id_prefix = "evidence-"
    file = FileField(_l("File (screenshot, PDF, saved page)"), validators=[upload_limit()])
    note = StringField(_l("Note"), validators=[optional(), length(500)])
