"""legal.text: clean-up and search folding."""

from __future__ import annotations

import unicodedata

import pytest

from legal.text import fold, normalize_text


@pytest.mark.parametrize(("raw", "expected"), [
    (None, None),
    ("", ""),
    ("   ", ""),
    ("  Hà   Nội  ", "Hà Nội"),
    ("a\t\tb", "a b"),
    ("a\u00a0 b", "a b"),
    ("dòng 1  \n   dòng 2", "dòng 1\ndòng 2"),
    ("dòng 1\r\ndòng 2\n\ndòng 4", "dòng 1\ndòng 2\n\ndòng 4"),
    (unicodedata.normalize("NFD", "Nguyễn Văn Ánh"), "Nguyễn Văn Ánh"),
])
def test_normalize_text(raw, expected):
    result = normalize_text(raw)
    assert result == expected
    if result is not None:
        assert unicodedata.is_normalized("NFC", result)


@pytest.mark.parametrize(("raw", "expected"), [
    ("Hà Nội", "ha noi"),
    ("Đống Đa", "dong da"),
    ("đường", "duong"),
    ("NGUYỄN THỊ ÁNH", "nguyen thi anh"),
    ("Thừa Thiên Huế", "thua thien hue"),
    ("Sở TT&TT", "so tt&tt"),
    (unicodedata.normalize("NFD", "Đắk Lắk"), "dak lak"),
    ("ABC.vn", "abc.vn"),
])
def test_fold(raw, expected):
    assert fold(raw) == expected
