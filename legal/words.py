"""Vietnamese reading of whole numbers and of amounts in đồng ("Bằng chữ: …").

Sanction decisions state every amount in figures and in words, e.g. "Phạt tiền: 25.000.000
đồng (Bằng chữ: Hai mươi lăm triệu đồng)" (Decree 118/2021/NĐ-CP, form MQĐ02;
docs/legal/documents.md#decision-layout).
The reading follows common Vietnamese administrative practice:

- tens: "mười" for 10–19, "<digit> mươi" for 20–90;
- units: "mốt" for 1 after tens ≥ 20, "lăm" for 5 after any non-zero tens, "bốn" for 4
  (never "tư"), "linh" (or "lẻ") when the tens are zero and the unit is not;
- a group of three that is not the leading group is read in full, so its zero hundreds are
  read "không trăm" (1 005 000 → "một triệu không trăm linh năm nghìn"); an all-zero group
  is skipped;
- scales nghìn (10^3), triệu (10^6), tỷ (10^9); above that the scales repeat on tỷ
  ("nghìn tỷ", "triệu tỷ", "tỷ tỷ").
"""

from __future__ import annotations

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_SCALES = ("", "nghìn", "triệu")  # groups below tỷ; tỷ itself is handled by recursion
_BILLION = 10**9
_LINH_WORDS = ("linh", "lẻ")


def _check_int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"Số phải là số nguyên không âm, nhận được: «{value!r}».")
    return value


def _read_group(n: int, *, full: bool, linh: str) -> list[str]:
    """Words of a group 1..999. `full` reads zero hundreds ("không trăm") as inside a number."""
    hundreds, rest = divmod(n, 100)
    tens, unit = divmod(rest, 10)
    words: list[str] = []
    if hundreds or full:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if unit:
            if hundreds or full:
                words.append(linh)
            words.append(_DIGITS[unit])
    elif tens == 1:
        words.append("mười")
        if unit == 5:
            words.append("lăm")
        elif unit:
            words.append(_DIGITS[unit])
    else:
        words += [_DIGITS[tens], "mươi"]
        if unit == 1:
            words.append("mốt")
        elif unit == 5:
            words.append("lăm")
        elif unit:
            words.append(_DIGITS[unit])
    return words


def _read_below_billion(n: int, *, full: bool, linh: str) -> list[str]:
    """Words of 0 < n < 10^9; `full` when a higher part precedes (every group read in full)."""
    groups = [(n // 10**6) % 1000, (n // 1000) % 1000, n % 1000]
    words: list[str] = []
    leading = not full
    for index, group in enumerate(groups):
        if group == 0:
            continue
        words += _read_group(group, full=not leading, linh=linh)
        scale = _SCALES[2 - index]
        if scale:
            words.append(scale)
        leading = False
    return words


def _read(n: int, *, full: bool, linh: str) -> list[str]:
    if n >= _BILLION:
        high, low = divmod(n, _BILLION)
        words = _read(high, full=full, linh=linh) + ["tỷ"]
        if low:
            words += _read_below_billion(low, full=True, linh=linh)
        return words
    return _read_below_billion(n, full=full, linh=linh)


def number_in_words(n: int, *, linh: str = "linh") -> str:
    """Read a non-negative integer in Vietnamese, lower case, without a unit.

    Args:
        n: a non-negative ``int`` (``bool`` is refused).
        linh: the word for a zero tens before a non-zero unit: "linh" (default) or "lẻ".

    Returns:
        e.g. ``number_in_words(1_005_000) == "một triệu không trăm linh năm nghìn"``,
        ``number_in_words(0) == "không"``.

    Raises:
        ValueError: (Vietnamese message) when `n` is negative or not an int, or `linh` is
            neither "linh" nor "lẻ".

    Source: Vietnamese usage for "bằng chữ" amounts in the forms of Decree 118/2021/NĐ-CP
    (docs/legal/documents.md#decision-layout); no statute prescribes the reading itself.
    """
    n = _check_int(n)
    if linh not in _LINH_WORDS:
        raise ValueError(f"Từ đọc số 0 hàng chục phải là «linh» hoặc «lẻ», nhận được: «{linh}».")
    if n == 0:
        return _DIGITS[0]
    return " ".join(_read(n, full=False, linh=linh))


def amount_in_words(vnd: int, *, linh: str = "linh") -> str:
    """The "Bằng chữ" reading of an amount in đồng, first letter capitalised.

    Args:
        vnd: the amount, a non-negative ``int`` number of đồng (VND).
        linh: "linh" (default) or "lẻ", see `number_in_words`.

    Returns:
        e.g. ``amount_in_words(25_000_000) == "Hai mươi lăm triệu đồng"``,
        ``amount_in_words(0) == "Không đồng"``.

    Raises:
        ValueError: (Vietnamese message) for a negative or non-int amount (``bool`` included).

    Source: amounts are written in figures and in words in sanction decisions and records
    (Decree 118/2021/NĐ-CP forms MQĐ02, MBB01; docs/legal/documents.md#decision-layout).
    """
    if isinstance(vnd, bool) or not isinstance(vnd, int) or vnd < 0:
        raise ValueError(f"Số tiền phải là số nguyên đồng không âm, nhận được: «{vnd!r}».")
    text = number_in_words(vnd, linh=linh)
    return f"{text[0].upper()}{text[1:]} đồng"
