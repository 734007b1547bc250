"""legal.words: the "Bằng chữ" reading of amounts."""

from __future__ import annotations

import random

import pytest

from legal.words import amount_in_words, number_in_words

CASES = [
    (15_000_000, "Mười lăm triệu đồng"),
    (25_000_000, "Hai mươi lăm triệu đồng"),
    (105_000_000, "Một trăm linh năm triệu đồng"),
    (1_005_000, "Một triệu không trăm linh năm nghìn đồng"),
    (523_056, "Năm trăm hai mươi ba nghìn không trăm năm mươi sáu đồng"),
    (1_100_000_000_000, "Một nghìn một trăm tỷ đồng"),
    (937_000_000, "Chín trăm ba mươi bảy triệu đồng"),
    (75_000_000, "Bảy mươi lăm triệu đồng"),
    (0, "Không đồng"),
    (21, "Hai mươi mốt đồng"),
    (11, "Mười một đồng"),
    (10, "Mười đồng"),
    (110, "Một trăm mười đồng"),
    (101, "Một trăm linh một đồng"),
    (24, "Hai mươi bốn đồng"),
    (1_000_005, "Một triệu không trăm linh năm đồng"),
    (12_500_000, "Mười hai triệu năm trăm nghìn đồng"),
    (15, "Mười lăm đồng"),
    (14, "Mười bốn đồng"),
    (55, "Năm mươi lăm đồng"),
    (1_000_000_000, "Một tỷ đồng"),
    (1_000_000_005, "Một tỷ không trăm linh năm đồng"),
    (2_000_000_000_000_000, "Hai triệu tỷ đồng"),
    (10**18, "Một tỷ tỷ đồng"),
]


@pytest.mark.parametrize(("vnd", "expected"), CASES)
def test_amount_in_words(vnd, expected):
    assert amount_in_words(vnd) == expected


@pytest.mark.parametrize(("n", "expected"), [
    (0, "không"),
    (1_005_000, "một triệu không trăm linh năm nghìn"),
    (21, "hai mươi mốt"),
])
def test_number_in_words(n, expected):
    assert number_in_words(n) == expected


def test_le_instead_of_linh():
    assert amount_in_words(1_005_000, linh="lẻ") == "Một triệu không trăm lẻ năm nghìn đồng"
    assert number_in_words(101, linh="lẻ") == "một trăm lẻ một"


def test_unknown_linh_word_rejected():
    with pytest.raises(ValueError):
        number_in_words(101, linh="lẽ")


@pytest.mark.parametrize("bad", [-1, 1.5, "15", True, False, None])
def test_bad_amount_raises_value_error(bad):
    with pytest.raises(ValueError, match="Số tiền"):
        amount_in_words(bad)
    with pytest.raises(ValueError):
        number_in_words(bad)


def test_random_amounts_are_read_cleanly():
    rng = random.Random(2014)
    for _ in range(3000):
        n = rng.randrange(10 ** rng.randint(1, 19))
        text = amount_in_words(n)
        assert "  " not in text
        assert text == text.strip()
        assert text.endswith(" đồng")
        assert text[0].isupper()
        assert "tư" not in text.split()
