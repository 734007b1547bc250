"""legal.text: clean-up and search folding."""

from __future__ import annotations

import unicodedata

import pytest

from legal.text import fold, normalize_text, single_line, strip_controls


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
    ("Ghi\x07 chú\x00\x1b\x7f\x85", "Ghi chú"),
    ("\u200b\u2060\ufeff", ""),
    ("\u200d\u200eTên\u200c", "Tên"),
    ("dòng 1\x0b\r\ndòng 2\x0c", "dòng 1\ndòng 2"),
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


def test_single_line_and_strip_controls():
    assert single_line("Tin Yên Thế\r\n\r\nTổng hợp\n") == "Tin Yên Thế Tổng hợp"
    assert single_line(None) is None
    raw = unicodedata.normalize("NFD", "a\x00b\tc\nd\x1f")
    assert strip_controls(raw) == "ab\tc\nd"
