"""WTForms' own messages, marked here so they are extracted into our catalogues (WTForms
ships no Vietnamese). `core.forms.BaseForm` answers WTForms' gettext calls from our
catalogue, so these are shown in the user's language."""

from flask_babel import lazy_gettext as _l


def ngettext(singular: str, plural: str, n: int) -> str:
    """A marker for the extractor (pybabel's `ngettext` keyword): WTForms' plural messages
    are translated by `core.forms._CatalogueTranslations.ngettext`."""
    return singular if n == 1 else plural


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
    _l("Invalid choice(s): one or more data inputs could not be coerced."),
)

PLURAL_MESSAGES = (
    ngettext("'%(value)s' is not a valid choice for this field.",
             "'%(value)s' are not valid choices for this field.", 1),
    ngettext("Field must be at least %(min)d character long.",
             "Field must be at least %(min)d characters long.", 1),
    ngettext("Field cannot be longer than %(max)d character.",
             "Field cannot be longer than %(max)d characters.", 1),
    ngettext("Field must be exactly %(max)d character long.",
             "Field must be exactly %(max)d characters long.", 1),
)
