"""legal.dates: parsing and writing dates the Vietnamese way."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from legal.dates import date_line, format_date_vn, parse_date_vn


@pytest.mark.parametrize(("text", "expected"), [
    ("14/11/2014", date(2014, 11, 14)),
    ("14/11/14", date(2014, 11, 14)),
    ("4/1/2015", date(2015, 1, 4)),
    ("04/01/2015", date(2015, 1, 4)),
    ("2014-11-14", date(2014, 11, 14)),
    ("  01/12/2014 ", date(2014, 12, 1)),
    ("29/02/2016", date(2016, 2, 29)),
])
def test_parse_date_vn(text, expected):
    assert parse_date_vn(text) == expected


@pytest.mark.parametrize("text", [
    "31/02/2014", "29/02/2015", "32/01/2014", "14/13/2014", "0/1/2014", "", "abc",
    "14-11-2014", "2014/11/14", "14.11.2014", "14/11/214", "14/11", "2014-1-4",
    "14/11/2014 10:00", "114/11/2014",
])
def test_parse_date_vn_rejects(text):
    with pytest.raises(ValueError) as info:
        parse_date_vn(text)
    assert f"«{text.strip()}»" in str(info.value)


def test_parse_date_vn_message():
    with pytest.raises(ValueError) as info:
        parse_date_vn("31/02/2014")
    assert str(info.value) == "Ngày không hợp lệ: «31/02/2014». Nhập theo dạng dd/mm/yyyy."


@pytest.mark.parametrize(("d", "expected"), [
    (date(2014, 11, 14), "14/11/2014"),
    (date(2015, 1, 4), "04/01/2015"),
    (datetime(2015, 1, 4, 9, 30), "04/01/2015"),
])
def test_format_date_vn(d, expected):
    assert format_date_vn(d) == expected


def test_round_trip():
    d = date(2014, 1, 1)
    while d.year < 2016:
        assert parse_date_vn(format_date_vn(d)) == d
        d = date.fromordinal(d.toordinal() + 1)


@pytest.mark.parametrize(("d", "expected"), [
    (date(2015, 3, 5), "Hà Nội, ngày 05 tháng 3 năm 2015"),
    (date(2014, 1, 31), "Hà Nội, ngày 31 tháng 01 năm 2014"),
    (date(2014, 2, 9), "Hà Nội, ngày 09 tháng 02 năm 2014"),
    (date(2014, 11, 14), "Hà Nội, ngày 14 tháng 11 năm 2014"),
    (date(2021, 12, 10), "Hà Nội, ngày 10 tháng 12 năm 2021"),
])
def test_date_line(d, expected):
    assert date_line("Hà Nội", d) == expected


def test_date_line_requires_place():
    with pytest.raises(ValueError):
        date_line("  ", date(2015, 3, 5))


@pytest.mark.parametrize("text,expected", [
    ("15/05/85", date(1985, 5, 15)),   # a birth date: 2085 is in the future, so 1985
    ("01/01/99", date(1999, 1, 1)),
    ("10/11/14", date(2014, 11, 10)),  # 2014 is not after today: kept
    ("12/11/14", date(2014, 11, 12)),  # today itself
    ("13/11/14", date(1914, 11, 13)),  # one day after today: the previous century
    ("15/05/1985", date(1985, 5, 15)),  # four digits are never changed
])
def test_parse_date_vn_past_only_two_digit_years(text, expected):
    assert parse_date_vn(text, past_of=date(2014, 11, 12)) == expected
    if len(text) == 10:
        assert parse_date_vn(text) == expected
