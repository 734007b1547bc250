"""legal.money: parsing and formatting amounts in đồng."""

from __future__ import annotations

import random
import unicodedata

import pytest

from legal.money import MAX_VND, format_vnd, format_vnd_with_unit, parse_vnd


@pytest.mark.parametrize(("text", "expected"), [
    ("15000000", 15_000_000),
    ("15.000.000", 15_000_000),
    ("15 000 000", 15_000_000),
    ("15\u00a0000\u00a0000", 15_000_000),
    ("  15.000.000  ", 15_000_000),
    ("15.000", 15_000),
    ("1.000", 1_000),
    ("0", 0),
    ("15.000.000 đ", 15_000_000),
    ("15.000.000đ", 15_000_000),
    ("15.000.000 đồng", 15_000_000),
    ("15.000.000 Đồng", 15_000_000),
    ("15.000.000 VND", 15_000_000),
    ("15.000.000 vnđ", 15_000_000),
    ("15.000.000 VNĐ", 15_000_000),
    ("25000000vnd", 25_000_000),
    (unicodedata.normalize("NFD", "15.000.000 đồng"), 15_000_000),
    ("1.000.000.000.000.000", MAX_VND),
])
def test_parse_vnd(text, expected):
    assert parse_vnd(text) == expected


@pytest.mark.parametrize("text", [
    "15.00.000", "-5.000", "", "   ", "abc", "1,5", "1.5", "15,000,000", "15.000,00",
    "15.000 000", "15 000.000", "15  000", ".000", "15.", "1.0000", "đ", "+15", "15k",
    "１５",
])
def test_parse_vnd_rejects(text):
    with pytest.raises(ValueError) as info:
        parse_vnd(text)
    assert "Số tiền" in str(info.value)


def test_parse_vnd_message_names_input():
    with pytest.raises(ValueError) as info:
        parse_vnd("15.00.000")
    assert str(info.value) == (
        "Số tiền không hợp lệ: «15.00.000». Nhập số nguyên đồng, ví dụ 15.000.000."
    )


def test_parse_vnd_max_guard():
    with pytest.raises(ValueError, match="quá lớn"):
        parse_vnd(str(10**15 + 1))
    with pytest.raises(ValueError, match="quá lớn"):
        parse_vnd("30.000.001", max_vnd=30_000_000)
    assert parse_vnd("30.000.000", max_vnd=30_000_000) == 30_000_000


def test_parse_vnd_rejects_non_str():
    with pytest.raises(TypeError):
        parse_vnd(15000)  # type: ignore[arg-type]


@pytest.mark.parametrize(("vnd", "expected"), [
    (25_000_000, "25.000.000"),
    (0, "0"),
    (-5_000, "-5.000"),
    (999, "999"),
    (1_000, "1.000"),
    (1_100_000_000_000, "1.100.000.000.000"),
])
def test_format_vnd(vnd, expected):
    assert format_vnd(vnd) == expected


def test_format_vnd_with_unit():
    assert format_vnd_with_unit(25_000_000) == "25.000.000 đ"


@pytest.mark.parametrize("bad", [1.5, "15", True, None])
def test_format_vnd_rejects_non_int(bad):
    with pytest.raises(TypeError):
        format_vnd(bad)


def test_round_trip():
    rng = random.Random(2014)
    for _ in range(3000):
        n = rng.randrange(10 ** rng.randint(1, 15) + 1)
        assert parse_vnd(format_vnd(n)) == n
        assert parse_vnd(format_vnd_with_unit(n)) == n
        assert parse_vnd(str(n)) == n
