"""Property tests (hypothesis) of the parsers and the search folding users type into."""

from __future__ import annotations

import unicodedata
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from legal.dates import format_date_vn, parse_date_vn
from legal.money import format_vnd, parse_vnd
from legal.text import fold, normalize_text


@settings(max_examples=500)
@given(st.integers(min_value=0, max_value=10**15))
def test_vnd_round_trips_with_and_without_separators(n):
    assert parse_vnd(format_vnd(n)) == n
    assert parse_vnd(str(n)) == n
    assert parse_vnd(f"{format_vnd(n)} đ") == n
    assert parse_vnd(f"  {format_vnd(n)} đồng ") == n


@settings(max_examples=500)
@given(st.text(max_size=30))
def test_parse_vnd_returns_a_non_negative_int_or_raises_value_error(text):
    try:
        value = parse_vnd(text)
    except ValueError as exc:
        assert str(exc)  # a message for the user
    else:
        assert isinstance(value, int) and value >= 0
        assert any(ch.isdigit() for ch in text)


@settings(max_examples=300)
@given(st.text(alphabet="0123456789.", min_size=1, max_size=15))
def test_dots_are_only_thousands_separators(text):
    try:
        value = parse_vnd(text)
    except ValueError:
        return
    if "." in text:
        groups = text.split(".")
        assert 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])
    assert value == int(text.replace(".", ""))


@settings(max_examples=500)
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)))
def test_dates_round_trip(d):
    assert parse_date_vn(format_date_vn(d)) == d
    assert parse_date_vn(f"{d.day}/{d.month}/{d.year}") == d


@settings(max_examples=500)
@given(st.text(max_size=20))
def test_parse_date_returns_a_date_or_raises_value_error(text):
    try:
        value = parse_date_vn(text)
    except ValueError as exc:
        assert "dd/mm/yyyy" in str(exc) or "Ngày" in str(exc)  # a message for the user
    else:
        assert isinstance(value, date)


VIETNAMESE = ("aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọ"
              "ốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ ")


@settings(max_examples=500)
@given(st.text(alphabet=VIETNAMESE + VIETNAMESE.upper(), max_size=40))
def test_fold_ignores_case_diacritics_and_normal_form(text):
    folded = fold(text)
    assert folded == fold(text.upper()) == fold(text.lower())
    assert folded == fold(unicodedata.normalize("NFD", text))
    assert all(ord(ch) < 128 for ch in folded)
    assert normalize_text(unicodedata.normalize("NFD", text)) == normalize_text(text)
