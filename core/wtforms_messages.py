"""WTForms' own messages, marked here so they are extracted into our catalogues (WTForms
ships no Vietnamese). `core.forms.BaseForm` answers WTForms' gettext calls from our
catalogue, so these are shown in the user's language."""

from flask_babel import lazy_gettext as _l

MESSAGES = (
    _l("This field is required."),
    _l("Not a valid choice."),
    _l("Not a valid integer value."),
    _l("Not a valid decimal value."),
    _l("Not a valid float value."),
    _l("Not a valid date value."),
    _l("Invalid input."),
    _l("Invalid URL."),
    _l("Invalid email address."),
    _l("Invalid Choice: could not coerce."),
    _l("Number must be at least %(min)s."),
    _l("Number must be at most %(max)s."),
    _l("Number must be between %(min)s and %(max)s."),
    _l("Field must be equal to %(other_name)s."),
    _l("This field is disabled and cannot have a value."),
)
