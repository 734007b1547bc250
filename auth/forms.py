"""Sign-in form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import EqualTo, Regexp, ValidationError

from auth.validation import (
    EMAIL_MESSAGE,
    USERNAME,
    USERNAME_MESSAGE,
    email_ok,
    normalise_username,
)
from core.forms import BaseForm, length, optional, required

# A user name is typed as it is stored: no capital the phone adds, no correction, no
# spelling marks (matched without case and surrounding spaces anyway: normalise_username).
USERNAME_INPUT = {"autocomplete": "username", "autocapitalize": "none", "autocorrect": "off",
                  "spellcheck": "false"}


class UserNameField(StringField):
    """A user name: normalised by `auth.validation.normalise_username` alone (its filter),
    not by the general one-line clean-up, so that the form, the sign-in limiter's keys, the
    lookup and user creation see exactly the same name."""

    own_normalisation = True


class LoginForm(BaseForm):
    username = UserNameField(_l("Username"), validators=[required(), length(64)],
                           filters=[normalise_username],
                           render_kw={**USERNAME_INPUT, "autofocus": True})
    password = PasswordField(_l("Password"), validators=[required(), length(200)],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField(_l("Keep me signed in on this device"))


class SettingsForm(BaseForm):
    reminder_mode = SelectField(_l("Reminders"), choices=[
        SelectChoice("single", _l("One e-mail per reminder")),
        SelectChoice("digest", _l("One digest every morning at 07:30"))])
    offsets_text = StringField(_l("Remind me this many working days before a deadline"),
                          validators=[required(), length(40)],
                          render_kw={"placeholder": "3, 1"})
    locale = SelectField(_l("Language"), choices=[SelectChoice("vi", "Tiếng Việt"),
                                                  SelectChoice("en", "English")])

    def validate_offsets_text(self, field):
        try:
            values = sorted({int(p) for p in field.data.replace(";", ",").split(",")
                             if p.strip()}, reverse=True)
        except ValueError:
            values = []
        if not values or any(not 1 <= v <= 20 for v in values) or len(values) > 5:
            raise ValidationError(_l("Give up to five whole numbers from 1 to 20, "
                                     "separated by commas, e.g. 3, 1."))
        self.offset_values = values


class UserForm(BaseForm):
    username = UserNameField(_l("Username"), validators=[required(), length(64), Regexp(
        USERNAME, message=USERNAME_MESSAGE)], filters=[normalise_username],
        render_kw=USERNAME_INPUT)
    full_name = StringField(_l("Full name"), validators=[required(), length(200)])
    email = StringField(_l("E-mail"), validators=[required(), length(254)])
    role = SelectField(_l("Role"), choices=[SelectChoice("inspector", _l("Inspector")),
                                            SelectChoice("supervisor", _l("Supervisor")),
                                            SelectChoice("admin", _l("Administrator"))])
    title = StringField(_l("Title printed on documents"), validators=[optional(), length(200)])
    competence_title = SelectField(_l("Sanctioning competence"), default="", choices=[
        SelectChoice("", _l("— does not sign decisions —")),
        SelectChoice("chief_inspector", _l("Chief Inspector of the Department")),
        SelectChoice("inspector_on_duty", _l("Inspector on duty")),
        SelectChoice("district_chairman", _l("Chairman of the district People's Committee")),
        SelectChoice("police_director", _l("Director of the provincial Police")),
        SelectChoice("provincial_chairman",
                     _l("Chairman of the provincial People's Committee"))])
    signs_on_behalf = BooleanField(_l("Deputy: signs “KT.” on behalf of the head"))
    delegation_basis = StringField(_l("Delegation of sanctioning power (cited in decisions)"),
                                   validators=[optional(), length(500)],
                                   render_kw={"placeholder": "Quyết định số 15/QĐ-STTTT ngày "
                                              "02/01/2014 về việc giao quyền xử phạt"})
    active = BooleanField(_l("Active"), default=True)
    password = PasswordField(_l("Password (new users, or to reset)"),
                             validators=[optional(), length(200)],
                             render_kw={"autocomplete": "new-password"})

    def validate_email(self, field):  # the rule of `flask users create` (auth.validation)
        if field.data and not email_ok(field.data):
            raise ValidationError(EMAIL_MESSAGE)


class PasswordChangeForm(BaseForm):
    current = PasswordField(_l("Current password"), validators=[required(), length(200)],
                            render_kw={"autocomplete": "current-password"})
    new = PasswordField(_l("New password"), validators=[required(), length(200)],
                        render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("New password again"), validators=[required(), EqualTo(
        "new", message=_l("The two passwords differ."))],
        render_kw={"autocomplete": "new-password"})
