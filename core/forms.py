"""Form base and fields shared by every form: NFC text, dd/mm/yyyy dates, VND amounts."""

from __future__ import annotations

import functools
import secrets
from datetime import date

import flask_babel
import wtforms.widgets
import wtforms.widgets.core
from flask import flash, g, has_request_context
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileSize
from markupsafe import Markup, escape
from wtforms import Field, HiddenField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import HiddenInput

from core.clock import clock
from core.input import MAX_ID, to_int
from extensions import db
from legal.dates import format_date_vn, parse_date_vn
from legal.money import format_vnd, parse_vnd
from legal.text import normalize_text, single_line


def _multi_line(value):
    return normalize_text(value) if isinstance(value, str) else value


def _one_line(value):
    return single_line(value) if isinstance(value, str) else value


def html_params(**kwargs) -> Markup:
    """WTForms' `wtforms.widgets.core.html_params` — the attributes of a tag, sorted by
    name, `class_` as class, `data_x` as data-x, True as a bare attribute, False left out,
    every name and value escaped, a double quote in a safe value as &quot; — with the same
    output, written without `Markup.format` (markupsafe's pure-Python formatter took two
    thirds of the time of rendering a field: 4 ms of CPU of the case page).
    `install_html_params` puts it in WTForms' place; tests/test_form_rendering.py compares
    the two."""
    params = []
    for key, value in sorted(kwargs.items()):
        key = wtforms.widgets.core.clean_key(key)
        if value is True:
            params.append(str(escape(key)))
        elif value is not False:
            params.append(f'{escape(key)}="{str(escape(value)).replace(chr(34), "&quot;")}"')
    return Markup(" ".join(params))


WTFORMS_HTML_PARAMS = wtforms.widgets.core.html_params  # the library's own, for the tests


def install_html_params() -> None:
    """Render every WTForms widget and label with `html_params` (where WTForms looks it up:
    its widgets module, the package's re-export the labels use, and the two widget classes
    that hold it as a static method). Called once, when this module is imported."""
    wtforms.widgets.core.html_params = html_params
    wtforms.widgets.html_params = html_params
    wtforms.widgets.core.Input.html_params = staticmethod(html_params)
    wtforms.widgets.core.Button.html_params = staticmethod(html_params)


install_html_params()


def render_field(f: Field, class_: str = "") -> Markup:
    """One field as every form of the pages shows it (the `field` of
    templates/_macros.html): in a `div.field` (with `class_`, and `has-error` when it
    failed), its label and input — a check box inside its label —, the input marked
    invalid and tied to its message when it failed, its hint (the description) and its
    messages. A Python function rather than a Jinja macro: a page of forms calls it for
    every field, and the macro cost as much as the field's own rendering. Every text is
    escaped as the template escaped it: a lazily translated message is turned into a
    string first (it would otherwise count as safe HTML)."""
    errors = f.errors
    out = [f'\n<div class="field {escape(class_)}{" has-error" if errors else ""}">\n  ']
    if f.type == "BooleanField":
        box = f(**{"aria-invalid": "true"}) if errors else f()
        out.append(f"\n  <label>{box} {escape(f.label.text)}</label>\n  ")
    else:
        widget = (f(**{"aria-invalid": "true", "aria-describedby": f"{f.id}-error"})
                  if errors else f())
        out.append(f"\n  {escape(f.label)}\n  {widget}\n  ")
    out.append("\n  \n  ")
    if f.description:
        out.append(f'<p class="hint" id="{escape(f.id)}-hint">{escape(_text(f.description))}</p>')
    out.append("\n  ")
    if errors:
        messages = "<br>".join(str(escape(_text(e))) for e in errors)
        # outside the f-string: Babel's extractor does not read calls inside one
        prefix = escape(flask_babel.gettext("Error:"))
        out.append(f'<p class="error" id="{escape(f.id)}-error"><span class="sr-only">'
                   f'{prefix}</span> {messages}</p>')
    out.append("\n</div>\n")
    return Markup("".join(out))


def _text(value) -> str:
    """What Jinja's `string` filter gives: a string as it is, anything else (a lazy
    translation) as str."""
    return value if isinstance(value, str) else str(value)


class _CatalogueTranslations:
    """WTForms' gettext interface answered from the application's catalogues."""

    def gettext(self, string):
        return flask_babel.gettext(string)

    def ngettext(self, singular, plural, n):
        # The catalogue's own ngettext, unformatted: WTForms formats the message itself with
        # its named parameters ("'%(value)s' is not a valid choice", "%(min)d characters"),
        # while flask_babel.ngettext would format it at once with only %(num)s (KeyError).
        return flask_babel.get_translations().ngettext(singular, plural, n)


class BaseForm(FlaskForm):
    """Every text input is normalised (`legal.text.normalize_text`: NFC, no control or
    zero-width characters, stripped; one-line fields lose their line breaks); WTForms'
    built-in messages come in the user's language; each rendered form carries a one-time
    token (`once`) so that submitting it twice does the work once (`core.once`)."""

    once = HiddenField(default=lambda: secrets.token_urlsafe(18))
    # Prefix of the fields' HTML ids when two forms of one page share field names (the
    # evidence form's "note" beside the proposal's): labels and the error summary's links
    # must each reach their own field.
    id_prefix = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if has_request_context():  # the page's error summary lists every form's errors
            g.setdefault("_forms", []).append(self)

    def hidden_tag(self, *fields):
        """The hidden fields, without ids: every form of a page has its own token fields,
        and an id must be unique on the page."""
        chosen = [getattr(self, f, None) if isinstance(f, str) else f for f in fields or self]
        return Markup("\n".join(str(f(id=False)) for f in chosen
                                if f is not None and isinstance(f.widget, HiddenInput)))

    class Meta:
        def get_translations(self, form):
            return _CatalogueTranslations()

        def bind_field(self, form, unbound_field, options):
            filters = unbound_field.kwargs.get("filters", ())
            kind = unbound_field.field_class
            if issubclass(kind, TextAreaField | PasswordField):
                options["filters"] = (_multi_line, *filters)
            elif issubclass(kind, StringField) and not getattr(kind, "own_normalisation",
                                                               False):
                # (a field class with `own_normalisation` applies one function of its own
                # in its filters: a user name, `auth.validation.normalise_username`)
                options["filters"] = (_one_line, *filters)
            if form.id_prefix and "id" not in unbound_field.kwargs:
                options["id"] = form.id_prefix + options.get("prefix", "") + options["name"]
            return unbound_field.bind(form=form, **options)


EARLIEST = date(1900, 1, 1)  # no date typed in this product is older (births included)
LATEST = date(2100, 12, 31)


class DateVNField(StringField):
    """A date typed as dd/mm/yyyy (also dd/mm/yy). Keeps what the user typed on error.
    `past`: a date that can only be in the past (a birth, an ID card's issue), so "85" is
    read as 1985 (the operations refuse such dates after today). Every date lies between
    `earliest` and `latest` (01/01/1900 and 31/12/2100 unless the field says otherwise):
    01/01/0001 or 31/12/9999 is a typing slip, not a date."""

    def __init__(self, label=None, validators=None, *, past: bool = False,
                 earliest: date = EARLIEST, latest: date = LATEST, **kwargs):
        kwargs.setdefault("render_kw", {}).setdefault("placeholder", "dd/mm/yyyy")
        kwargs["render_kw"].setdefault("inputmode", "numeric")
        kwargs["render_kw"].setdefault("autocomplete", "off")
        kwargs["render_kw"].setdefault("data-date", "dd/mm/yyyy")  # app.js adds a calendar
        super().__init__(label, validators, **kwargs)
        self.date = None
        self.past = past
        self.earliest, self.latest = earliest, latest

    def process_data(self, value):
        self.data = format_date_vn(value) if value is not None and not isinstance(value, str) \
            else value
        self.date = value if value is not None and not isinstance(value, str) else None

    def pre_validate(self, form):
        text = (self.data or "").strip()
        self.date = None
        if not text:
            return
        today = clock().today()
        try:
            day = parse_date_vn(text, past_of=today if self.past else None)
        except ValueError as exc:
            # gettext, not the lazy form: a lazy string counts as safe HTML in templates and
            # would print what the user typed unescaped
            raise ValidationError(flask_babel.gettext(
                "Invalid date: «%(text)s». Enter it as dd/mm/yyyy.", text=text)) from exc
        if not self.earliest <= day <= self.latest:
            raise ValidationError(flask_babel.gettext(
                "Enter a date from %(first)s to %(last)s.", first=format_date_vn(self.earliest),
                last=format_date_vn(self.latest)))
        self.date = day


class VNDField(StringField):
    """An integer amount of đồng typed as 15.000.000 (or 15000000, with or without "đ")."""

    def __init__(self, label=None, validators=None, **kwargs):
        # no sample amount as placeholder: it reads as a value (the fine field shows the
        # proposed fine of the chosen clause instead)
        kwargs.setdefault("render_kw", {}).setdefault("inputmode", "numeric")
        super().__init__(label, validators, **kwargs)
        self.amount = None

    def process_data(self, value):
        self.amount = value if isinstance(value, int) else None
        self.data = format_vnd(value) if isinstance(value, int) else value

    def pre_validate(self, form):
        text = (self.data or "").strip()
        self.amount = None
        if not text:
            return
        try:
            self.amount = parse_vnd(text)
        except ValueError as exc:
            raise ValidationError(flask_babel.gettext(
                "Invalid amount: «%(text)s». Enter whole đồng, e.g. 15.000.000.", text=text)
            ) from exc


class IdSelectField(SelectField):
    """A select naming a stored row by its id (a document of the evidence, a web capture, a
    user, a site). The value posted may be anything: it is accepted only when empty, or
    ASCII digits from 1 to 2^63 - 1 (the largest BIGINT), and — once the view has given the
    field its `choices` — one of them. Anything else (a 30-digit number, "-1", "abc", an id
    of another case's file) is a field error, HTTP 422, never an integer overflow in the
    database driver. `.row_id` is the chosen id as an int, or None when nothing is chosen."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("coerce", str)
        kwargs.setdefault("choices", [])
        kwargs["validate_choice"] = False  # checked in pre_validate, with our own message
        super().__init__(label, validators, **kwargs)

    @property
    def row_id(self) -> int | None:
        return to_int(self.data)

    def pre_validate(self, form):
        text = (self.data or "").strip() if isinstance(self.data, str) else ""
        if not text:
            return
        known = {str(c.value) for c in self.iter_choices()} if self.choices else None
        if to_int(text) is None or (known is not None and text not in known):
            raise ValidationError(flask_babel.gettext(
                "«%(text)s» is not one of the listed items: choose one from the list.",
                text=text[:40]))


@functools.cache
def max_lengths(form_class) -> dict[str, int]:
    """{field name: the maximum its `length` validator allows} for a form class: the same
    limits for what is typed and what is imported."""
    out = {}
    for name in dir(form_class):
        unbound = getattr(form_class, name)
        for validator in getattr(unbound, "kwargs", {}).get("validators", ()) or ():
            if isinstance(validator, Length) and validator.max not in (None, -1):
                out[name] = validator.max
    return out


UPLOAD_MAX = 20 * 1024 * 1024


def upload_limit():
    """A file field's size limit, 20 MB, as a field error: the rest of the form comes back
    as typed (a request over `MAX_CONTENT_LENGTH` could not be read at all)."""
    return FileSize(max_size=UPLOAD_MAX, message=_l("The file is larger than 20 MB. Attach a "
                                                    "smaller one (e.g. a PDF of fewer pages)."))


def required():
    """DataRequired with the message in the user's language."""
    return DataRequired(message=_l("This field is required."))


def optional():
    return Optional()


def length(maximum: int):
    return Length(max=maximum, message=_l("At most %(max)d characters.", max=maximum))


__all__ = ["MAX_ID", "BaseForm", "DateVNField", "Field", "IdSelectField", "VNDField", "length",
           "optional", "required"]


class AgencyForm(BaseForm):
    """The agency as printed on its documents (administrator)."""

    parent_name = StringField(_l("Parent body (first header line)"),
                              validators=[required(), length(200)])
    agency_name = StringField(_l("Issuing body (second header line)"),
                              validators=[required(), length(200)])
    full_name = StringField(_l("Full name of the Department (in sentences)"),
                            validators=[required(), length(300)])
    unit_name = StringField(_l("Issuing unit (in sentences)"), validators=[required(),
                                                                           length(300)])
    short_code = StringField(_l("Issuer code for numbering"),
                             validators=[required(), length(30)])
    place = StringField(_l("Place on the date line"), validators=[required(), length(100)])
    head_title = StringField(_l("Title of the head (deputies sign “KT.” for it)"),
                             validators=[required(), length(200)])
    treasury_account = StringField(_l("Where fines are paid (treasury or bank account)"),
                                   validators=[required(), length(1000)])
    treasury_body = StringField(_l("Body that collects the fines"),
                                validators=[required(), length(300)])
    treasury_account_number = StringField(_l("Account number at the Treasury for fines"),
                                          validators=[optional(), length(100)])
    department_parent = StringField(_l("The Department's parent body (its letters' first "
                                       "header line)"), validators=[optional(), length(200)])
    department_name = StringField(_l("The Department (its letters' second header line)"),
                                  validators=[optional(), length(200)])
    letter_signer = StringField(_l("Letters and reports signed for the Director as "
                                   "(e.g. “TL. GIÁM ĐỐC”)"), validators=[optional(), length(200)])
    symbol_sanction = StringField(_l("Symbol of sanction decisions"),
                                  validators=[required(), length(30)])
    symbol_amend = StringField(_l("Symbol of amending decisions"),
                               validators=[required(), length(30)])
    symbol_correct = StringField(_l("Symbol of correcting decisions"),
                                 validators=[required(), length(30)])
    symbol_cancel = StringField(_l("Symbol of cancelling decisions"),
                                validators=[required(), length(30)])
    symbol_transfer = StringField(_l("Symbol of transfer decisions"),
                                  validators=[required(), length(30)])
    symbol_letter = StringField(_l("Symbol of letters"), validators=[required(), length(30)])
    symbol_report = StringField(_l("Symbol of reports"), validators=[required(), length(30)])
    symbol_team = StringField(_l("Symbol of inspection team decisions"),
                              validators=[required(), length(30)])
    symbol_coercion = StringField(_l("Symbol of coercion decisions"),
                                  validators=[optional(), length(30)])
    districts = TextAreaField(_l("Districts of the province (one per line)"),
                              validators=[optional(), length(5000)],
                              description=_l("The registry offers these names and its import "
                                             "accepts only them (accents and case ignored). "
                                             "Empty: the province's list shipped with the "
                                             "application."))


def shown_value(field) -> str:
    """A field's value as the user sees it (the text typed, or the chosen option's label);
    used to show a conflict field by field."""
    if hasattr(field, "_value"):
        return str(field._value() or "")
    for choice in getattr(field, "choices", None) or []:
        value = getattr(choice, "value", None)
        if value is not None and str(value) == str(field.data):
            return str(choice.label)
    return str(field.data or "")


HIDDEN_FIELDS = ("csrf_token", "version", "once")


def failed_fields() -> list[tuple[str | None, str, str]]:
    """What the page's error summary lists: (field id, label, message) for every error of
    every form built during this request, in the order the forms were built and their
    fields declared. The id is None for a hidden field (nothing to jump to)."""
    out = []
    for form in g.get("_forms", ()):
        for field in form:
            for message in field.errors or ():
                hidden = field.type in ("HiddenField", "CSRFTokenField")
                out.append((None if hidden else field.id, str(field.label.text),
                            str(message)))
        for message in getattr(form, "form_errors", ()) or ():
            out.append((None, "", str(message)))
    return out


def conflict_rows(form, fresh, skip: tuple[str, ...] = ()) -> list[tuple[str, str, str]]:
    """(label, saved now, typed) for each field of `form` whose shown value differs from
    `fresh` (the same form built from the stored row): the 409 page of optimistic locking.
    Hidden fields and `skip` are left out."""
    rows = []
    for name, field in form._fields.items():
        if name in HIDDEN_FIELDS or name in skip:
            continue
        stored, typed = shown_value(fresh[name]), shown_value(field)
        if stored != typed:
            rows.append((field.label.text, stored, typed))
    return rows


def refuse(form, exc, field: str | None = None) -> None:
    """Show an operation's refusal (`core.errors.OperationError`) and undo the request's
    changes: roll the session back, then put the message beside the field it names (or
    `field` when it names none the form has), else flash it. What the user typed stays in
    `form`, so the view re-renders it (usually with HTTP 422)."""
    db.session.rollback()
    name = exc.field if exc.field and form is not None and exc.field in form._fields else field
    if name:
        form[name].errors = list(form[name].errors) + [exc.message]
    else:
        flash(exc.message, "error")
