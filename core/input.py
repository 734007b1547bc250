"""What a request carries, cleaned before any view sees it.

- Every query and form parameter (names and values) loses its control characters and is
  put in Unicode NFC (`legal.text.strip_controls`): a NUL typed or pasted anywhere — the
  login name, a search, a filter, any form field — never reaches the database (PostgreSQL
  refuses it in text) nor an export. Form fields then normalise further (`core.forms`).
- A URL segment holding a control character matches no route (404).
- Integers taken from the query or a form (`int_arg`, `int_list`) are ASCII digits within
  a database integer: ``²`` or a 23-digit id is "no value", never an overflow.
"""

from __future__ import annotations

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.routing import IntegerConverter, PathConverter, UnicodeConverter

from legal.text import strip_controls

MAX_ID = 2**63 - 1  # the largest value of a 64-bit (BIGINT) column


def _clean(value):
    return strip_controls(value) if isinstance(value, str) else value


class CleanParameters(ImmutableMultiDict):
    """Request parameters without control characters, in NFC (uploaded files untouched)."""

    def __init__(self, mapping=None):
        if isinstance(mapping, MultiDict):
            mapping = mapping.items(multi=True)
        elif isinstance(mapping, dict):
            mapping = mapping.items()
        super().__init__([(_clean(k), _clean(v)) for k, v in (mapping or ())])


class CleanRequest(Request):
    """The application's request class: parameters are `CleanParameters`."""

    parameter_storage_class = CleanParameters


class SafeStringConverter(UnicodeConverter):
    """A URL segment without control characters."""

    def __init__(self, url_map, *args, **kwargs):
        super().__init__(url_map, *args, **kwargs)
        self.regex = r"[^/\x00-\x1f\x7f]+"  # set after the parent, which sets its own


class SafePathConverter(PathConverter):
    """A URL path (slashes allowed) without control characters."""

    regex = r"[^/\x00-\x1f\x7f][^\x00-\x1f\x7f]*?"
    part_isolating = False


class DatabaseIntConverter(IntegerConverter):
    """Ids in URLs: positive and within a 64-bit integer (larger ones are a 404, not a
    database overflow)."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def install(app) -> None:
    """Use the clean request class and the safe URL converters (before routes are added)."""
    app.request_class = CleanRequest
    app.url_map.converters.update({"default": SafeStringConverter,
                                   "string": SafeStringConverter,
                                   "path": SafePathConverter, "int": DatabaseIntConverter})


def to_int(text, minimum: int = 1, maximum: int = MAX_ID) -> int | None:
    """`text` as an integer when it is ASCII digits (optionally signed) within
    [minimum, maximum], else None (``"²"``, ``"1e3"``, 23 digits, empty)."""
    text = (text or "").strip() if isinstance(text, str) else ""
    digits = text[1:] if text[:1] in "+-" else text
    if not digits or not digits.isascii() or not digits.isdigit() or len(digits) > 19:
        return None
    value = int(text)
    return value if minimum <= value <= maximum else None


def int_arg(params, name: str, minimum: int = 1, maximum: int = MAX_ID) -> int | None:
    """The parameter `name` of `params` (request.args or .form) as `to_int` reads it."""
    return to_int(params.get(name), minimum, maximum)


def int_list(params, name: str, limit: int, minimum: int = 1,
             maximum: int = MAX_ID) -> list[int]:
    """The distinct valid integers among the values of `name` (``ids=1&ids=2``), at most
    `limit`, in the order given; invalid ones are left out."""
    out: list[int] = []
    for text in params.getlist(name):
        value = to_int(text, minimum, maximum)
        if value is not None and value not in out:
            out.append(value)
            if len(out) == limit:
                break
    return out
