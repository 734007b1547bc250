"""Forms of the web captures and watches (the URL's safety is checked by the operation)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange

from core.forms import BaseForm, DateVNField, length, optional, required


class ButtonForm(BaseForm):
    """A button that does one thing (CSRF and the one-time token only)."""


class _Prefixed(BaseForm):
    """Its fields carry the form's prefix ("capture-url"), so that they do not clash with
    the evidence form's on the same page."""

    PREFIX = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", self.PREFIX)
        super().__init__(*args, **kwargs)


class CaptureForm(_Prefixed):
    PREFIX = "capture"
    url = StringField(_l("Address of the page (http:// or https://)"),
                      validators=[required(), length(2000)],
                      render_kw={"inputmode": "url", "placeholder": "https://"})
    note = TextAreaField(_l("Note"), validators=[optional(), length(2000)])


class WatchForm(_Prefixed):
    PREFIX = "watch"
    url = StringField(_l("Address to watch"), validators=[required(), length(2000)],
                      render_kw={"inputmode": "url", "placeholder": "https://"})
    scope = SelectField(_l("Watch"), choices=[
        SelectChoice("page", _l("This page: tell me when its text changes or it disappears")),
        SelectChoice("site", _l("The whole site: tell me when it stops or starts answering"))])
    interval_days = IntegerField(_l("Every (days)"), default=1,
                                 validators=[required(), NumberRange(1, 30)])
    take_down_by = DateVNField(_l("To be taken down by (optional)"), validators=[optional()])
    compare_screenshot = BooleanField(_l("Also compare the screenshots"))
