"""Dates as Vietnamese administrative documents write them.

Figures: dd/mm/yyyy ("14/11/2014"). Place-and-date line under the national motto:
"Hà Nội, ngày 05 tháng 3 năm 2015" — Decree 30/2020/NĐ-CP, Annex I (place and date of
issue): days below 10 and the months 1 and 2 take a leading zero, other months do not.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

_DMY = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4}|[0-9]{2})")
_ISO = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


def _invalid(text: str) -> ValueError:
    return ValueError(f"Ngày không hợp lệ: «{text}». Nhập theo dạng dd/mm/yyyy.")


def parse_date_vn(text: str, *, past_of: date | None = None) -> date:
    """Parse a date typed by a user.

    Accepted (after NFC normalisation and stripping surrounding spaces): "14/11/2014",
    "4/1/2015" (day and month of 1–2 digits), "14/11/14" (a two-digit year yy means 2000+yy,
    or 1900+yy when `past_of` is given and 20yy would fall after it), and ISO "2014-11-14".

    Args:
        text: the user's input.
        past_of: for a date that can only be in the past (a birth date, the day an ID card
            was issued), the current date: "15/05/85" is then 15/05/1985, not 2085.

    Returns:
        the calendar date (``datetime.date``).

    Raises:
        ValueError: with a Vietnamese message naming the input ("Ngày không hợp lệ:
            «31/02/2014». Nhập theo dạng dd/mm/yyyy.") for any other shape or an impossible
            date.

    Source: the dd/mm/yyyy figures used in administrative documents (Decree 30/2020/NĐ-CP,
    Annex I).
    """
    if not isinstance(text, str):
        raise _invalid(repr(text))
    shown = unicodedata.normalize("NFC", text).strip()
    match = _DMY.fullmatch(shown)
    if match:
        day, month, year = (int(g) for g in match.groups())
        if len(match.group(3)) == 2:
            year += 2000
            if past_of is not None and (year, month, day) > (past_of.year, past_of.month,
                                                               past_of.day):
                year -= 100
    else:
        match = _ISO.fullmatch(shown)
        if not match:
            raise _invalid(shown)
        year, month, day = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise _invalid(shown) from None


def format_date_vn(d: date) -> str:
    """Format a date as dd/mm/yyyy, e.g. ``format_date_vn(date(2014, 11, 14)) ==
    "14/11/2014"`` (day and month always two digits).

    Args:
        d: a ``datetime.date`` (a ``datetime`` is formatted by its date part).

    Raises:
        AttributeError: when `d` is not a date-like object.

    Source: dd/mm/yyyy figures of administrative documents (Decree 30/2020/NĐ-CP, Annex I).
    """
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def date_line(place: str, d: date) -> str:
    """The place-and-date line of an administrative document.

    Args:
        place: the place name, e.g. "Hà Nội" (NFC-normalised and stripped).
        d: the document date.

    Returns:
        e.g. ``date_line("Hà Nội", date(2015, 3, 5)) == "Hà Nội, ngày 05 tháng 3 năm 2015"``;
        months 1 and 2 are written "tháng 01", "tháng 02".

    Raises:
        ValueError: when `place` is empty.

    Source: Decree 30/2020/NĐ-CP, Annex I, presentation of the place and date of issue:
    days below 10 and months 1 and 2 are written with a leading zero.
    """
    place = unicodedata.normalize("NFC", place or "").strip()
    if not place:
        raise ValueError("Thiếu địa danh ở dòng ngày tháng của văn bản.")
    return f"{place}, {date_words(d)}"


def date_words(d: date) -> str:
    """A date in words as documents write it: ``date_words(date(2020, 2, 3)) == "ngày 03
    tháng 02 năm 2020"``, ``"ngày 13 tháng 11 năm 2013"``.

    Source: Decree 30/2020/NĐ-CP, Annex I: days below 10 and months 1 and 2 take a leading
    zero (the same rule as `date_line`)."""
    month = f"{d.month:02d}" if d.month < 3 else str(d.month)
    return f"ngày {d.day:02d} tháng {month} năm {d.year}"
