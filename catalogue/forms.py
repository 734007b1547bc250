"""Administrator forms for the catalogue and the calendar."""

from __future__ import annotations

import yaml
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Regexp, ValidationError

from core.forms import BaseForm, DateVNField, VNDField, length, optional, required
from legal.catalogue import CLAUSE_ID

STATUS_CHOICES = [SelectChoice("V", _l("V — verified against the text")),
                  SelectChoice("P", _l("P — inferred from verified facts")),
                  SelectChoice("U", _l("U — not verified"))]


class _Period:
    """The period in force and the verification status every dated legal text carries."""

    effective_from = DateVNField(_l("In force from"), validators=[required()])
    effective_to = DateVNField(_l("In force until (empty: still in force)"),
                               validators=[optional()])
    status = SelectField(_l("Status"), choices=STATUS_CHOICES)

    def validate_effective_to(self, field):
        start = self.effective_from.date
        if field.date and start and field.date < start:
            raise ValidationError(_l("The end of the period cannot be before its start."))


class ClauseForm(_Period, BaseForm):
    id = StringField(_l("Clause id"), validators=[required(), length(80), Regexp(
        CLAUSE_ID, message=_l("Write it as <instrument>:<article>.<clause>[.<point>], "
                              "e.g. 15/2020/NĐ-CP:101.1.a"))],
        render_kw={"placeholder": "15/2020/NĐ-CP:101.1.a"})
    act_vi = TextAreaField(_l("Act (Vietnamese)"), validators=[required(), length(2000)])
    act_en = TextAreaField(_l("Act (English)"), validators=[optional(), length(2000)])
    fine_min = VNDField(_l("Minimum fine (đồng)"), validators=[optional()])
    fine_max = VNDField(_l("Maximum fine (đồng)"), validators=[optional()])
    base_subject = SelectField(_l("Range stated for"), choices=[
        SelectChoice("organisation", _l("Organisation")),
        SelectChoice("individual", _l("Individual"))])
    warning_allowed = SelectField(_l("A warning is allowed"), choices=[
        SelectChoice("", _l("Not known")), SelectChoice("yes", _l("Yes")),
        SelectChoice("no", _l("No"))])
    field = SelectField(_l("Field"), choices=[
        SelectChoice("electronic_information", _l("Electronic information (1-year limitation)")),
        SelectChoice("press", _l("Press and publishing (2-year limitation)"))])
    enforces = StringField(_l("Enforces (provisions, separated by commas)"),
                           validators=[optional(), length(500)],
                           render_kw={"placeholder": "72/2013/NĐ-CP:5.1.d"})
    remedial_measures = TextAreaField(_l("Remedial measures (one per line)"),
                                      validators=[optional(), length(4000)])
    remedial_unknown = BooleanField(_l("The text's remedial measures are not known"))
    additional_sanctions = TextAreaField(_l("Additional sanctions (one per line)"),
                                         validators=[optional(), length(4000)])
    additional_unknown = BooleanField(_l("The text's additional sanctions are not known"))
    amended_by = StringField(_l("Amended by (instruments, separated by commas)"),
                             validators=[optional(), length(200)],
                             render_kw={"placeholder": "14/2022/NĐ-CP"})
    change_note = TextAreaField(_l("What changed from the version before"),
                                validators=[optional(), length(2000)])
    successor = StringField(_l("Same act in the text that replaced it (entry id)"),
                            validators=[optional(), length(80)])
    applied_in = TextAreaField(_l("A real decision that applied it"),
                               validators=[optional(), length(2000)])
    source = TextAreaField(_l("Source"), validators=[required(), length(4000)])

    def validate_fine_max(self, field):
        lo, hi = self.fine_min.amount, field.amount
        if (lo is None) != (hi is None):
            raise ValidationError(_l("Give both ends of the range, or neither."))
        if lo is not None and lo > hi:
            raise ValidationError(_l("The maximum cannot be below the minimum."))

    def validate_successor(self, field):
        if field.data and not CLAUSE_ID.match(field.data):
            raise ValidationError(_l("Write it as <instrument>:<article>.<clause>[.<point>], "
                                     "e.g. 15/2020/NĐ-CP:101.1.a"))


class VerifyForm(BaseForm):
    source = TextAreaField(_l("Checked against (gazette issue and page, official decision or "
                              "page)"), validators=[required(), length(2000)])


class LimitForm(_Period, BaseForm):
    individual = VNDField(_l("Largest fine for an individual (đồng)"), validators=[required()])
    organisation = VNDField(_l("Largest fine for an organisation (đồng)"),
                            validators=[required()])
    warning = BooleanField(_l("May give a warning"))
    source = TextAreaField(_l("Source"), validators=[required(), length(2000)])


class RuleTextForm(_Period, BaseForm):
    period_amount = IntegerField(_l("Length of the period"), validators=[
        required(), NumberRange(1, 3650, message=_l("Enter a number from 1 to 3650."))])
    roll = BooleanField(_l("A last day that is a day off moves to the next working day"))
    basis = TextAreaField(_l("Legal basis (as shown and printed)"),
                          validators=[required(), length(2000)])
    source = TextAreaField(_l("Source"), validators=[required(), length(2000)])


class OverrideForm(BaseForm):
    day = DateVNField(_l("Day"), validators=[required()])
    kind = SelectField(_l("Kind"), choices=[
        SelectChoice("day_off", _l("Extra day off")),
        SelectChoice("working_day", _l("Make-up working day"))])
    note = StringField(_l("Note (e.g. the Government's notice)"),
                       validators=[optional(), length(300)])


# The values of the enforcement data an administrator corrects (legal/data/enforcement.yaml),
# by the name the file gives them; a value a release adds without a label here is shown by
# its name.
FACT_LABELS = {
    "rate_per_10000": _l("Rate a day, in ten-thousandths of the unpaid fine (5 = 0,05 %)"),
    "count_from": _l("Days counted from"),
    "count_to": _l("Days counted to"),
    "holidays_included": _l("Week-ends and holidays counted"),
    "rounding": _l("Rounding of the surcharge"),
    "rounding_status": _l("Status of the rounding (V, P or U)"),
    "rounding_note": _l("Note on the rounding"),
    "periods": _l("Periods without surcharge"),
    "years": _l("Years"),
    "measures_survive": _l("Remedial measures still carried out after it"),
    "first": _l("First complaint: days to settle"),
    "second": _l("Second complaint: days to settle"),
    "basis_first": _l("Legal basis, first complaint"),
    "basis_second": _l("Legal basis, second complaint"),
    "enforcement_continues": _l("Enforcement goes on during a complaint"),
    "enforcement_status": _l("Status of that rule (V, P or U)"),
    "enforcement_source": _l("Source of that rule"),
    "individual_min": _l("Least fine for an individual (đồng)"),
    "organisation_min": _l("Least fine for an organisation (đồng)"),
    "max_months": _l("Months at most"),
    "max_count": _l("Instalments at most"),
    "first_min_percent": _l("First instalment at least (per cent of the fine)"),
    "decree": _l("Decree"),
}

SECTION_LABELS = {
    "late_payment": _l("Late-payment surcharge"),
    "surcharge_free": _l("Days without surcharge"),
    "enforcement_limitation": _l("Limitation for enforcing"),
    "complaints": _l("Complaints"),
    "instalments": _l("Payment in instalments"),
    "coercion": _l("Coercion decree"),
}


class FactForm(_Period, BaseForm):
    """One text of the enforcement data; `fact_form` adds a field per value."""

    basis = TextAreaField(_l("Legal basis (as shown and printed)"),
                          validators=[optional(), length(2000)])
    source = TextAreaField(_l("Source"), validators=[required(), length(4000)])
    note = TextAreaField(_l("Why you change it (kept in the history)"),
                         validators=[required(), length(2000)])

    value_names: tuple[str, ...] = ()

    def values(self) -> dict:
        """{name: value} typed as the shipped values (call after validation)."""
        return {name: self[f"v_{name}"].value for name in self.value_names}


class _YAMLField(TextAreaField):
    """A list, a table or an empty value, written as YAML (`[a, b]`, `{normal: 30}`)."""

    def process_data(self, value):
        self.value = value
        self.data = value if isinstance(value, str) else yaml.safe_dump(
            value, allow_unicode=True, default_flow_style=True, sort_keys=False).strip()
        if self.data in ("null", "null\n...", "..."):
            self.data = ""

    def pre_validate(self, form):
        text = (self.data or "").strip()
        try:
            self.value = yaml.safe_load(text) if text else None
        except yaml.YAMLError as exc:
            raise ValidationError(_l("Not readable: write it as the page showed it (a list "
                                     "in square brackets, a table in curly brackets).")
                                  ) from exc


class _IntField(VNDField):
    """A whole number (an amount in đồng, a count of days or months) typed as 15.000.000."""

    def pre_validate(self, form):
        super().pre_validate(form)
        self.value = self.amount


class _TextField(TextAreaField):
    def pre_validate(self, form):
        self.value = (self.data or "").strip()


class _BoolField(BooleanField):
    def pre_validate(self, form):
        self.value = bool(self.data)


def fact_form(values: dict, *args, **kwargs) -> FactForm:
    """A FactForm with one field `v_<name>` per value of `values` (the row's): a number for
    a number, a check box for yes/no, text for text, YAML for a list, a table or an empty
    value."""
    fields = {}
    for name, value in values.items():
        label = FACT_LABELS.get(name, name)
        if isinstance(value, bool):
            fields[f"v_{name}"] = _BoolField(label)
        elif isinstance(value, int):
            fields[f"v_{name}"] = _IntField(label, validators=[required()])
        elif isinstance(value, str):
            fields[f"v_{name}"] = _TextField(label, validators=[required(), length(2000)])
        else:
            fields[f"v_{name}"] = _YAMLField(label, validators=[optional(), length(2000)])
    cls = type("BoundFactForm", (FactForm,), {**fields, "value_names": tuple(values)})
    return cls(*args, **kwargs)
