"""Sign-in form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from core.forms import BaseForm, length, required


class LoginForm(BaseForm):
    username = StringField(_l("Username"), validators=[required(), length(64)],
                           render_kw={"autocomplete": "username", "autofocus": True})
    password = PasswordField(_l("Password"), validators=[required(), length(200)],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField(_l("Keep me signed in on this device"))


class SettingsForm(BaseForm):
    reminder_mode = SelectField(_l("Reminders"), choices=[
        SelectChoice("single", _l("One e-mail per reminder")),
        SelectChoice("digest", _l("One digest every morning at 07:30"))])
    offsets = StringField(_l("Remind me this many working days before a deadline"),
                          validators=[required(), length(40)],
                          render_kw={"placeholder": "3, 1"})
    locale = SelectField(_l("Language"), choices=[SelectChoice("vi", "Tiếng Việt"),
                                                  SelectChoice("en", "English")])

    def validate_offsets(self, field):
        try:
            values = sorted({int(p) for p in field.data.replace(";", ",").split(",")
                             if p.strip()}, reverse=True)
        except ValueError:
            values = []
        if not values or any(not 1 <= v <= 20 for v in values) or len(values) > 5:
            raise ValidationError(_l("Give up to five whole numbers from 1 to 20, "
                                     "separated by commas, e.g. 3, 1."))
        self.offset_values = values
