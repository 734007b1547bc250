"""Amounts of money in đồng (VND): parsing what an inspector types and formatting figures.

Vietnamese administrative documents write amounts as whole đồng with a dot between groups
of three digits ("25.000.000 đồng"); the comma is the decimal mark, and fines are always
whole đồng (Law 15/2012/QH13 Art. 23–24 state fines in đồng;
docs/legal/documents.md#amounts-in-words).
"""

from __future__ import annotations

import re
import unicodedata

MAX_VND = 10**15
"""Largest amount `parse_vnd` accepts by default (a sanity guard, far above any fine)."""

_SUFFIX = re.compile(r"\s*(?:đồng|vnđ|vnd|đ|₫)$", re.IGNORECASE)
_PLAIN = re.compile(r"[0-9]+")
_DOTTED = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+")
_SPACED = re.compile(r"[0-9]{1,3}(?: [0-9]{3})+")
_HARD_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " "})


def _invalid(text: str) -> ValueError:
    return ValueError(
        f"Số tiền không hợp lệ: «{text}». Nhập số nguyên đồng, ví dụ 15.000.000."
    )


def parse_vnd(text: str, *, max_vnd: int = MAX_VND) -> int:
    """Parse an amount of đồng typed by a user.

    Accepted (after Unicode NFC normalisation and stripping surrounding spaces):
    plain digits "15000000"; dot-grouped thousands "15.000.000" (first group 1–3 digits,
    then groups of exactly 3, so "15.000" is 15 000, never 15); space-grouped "15 000 000"
    (single spaces, no-break spaces allowed); each optionally followed by "đ", "đồng",
    "VND", "VNĐ" or "₫" (case-insensitive). "0" is accepted.

    Args:
        text: the user's input.
        max_vnd: the largest accepted amount in đồng (default 10^15).

    Returns:
        the amount in đồng (VND), a non-negative ``int``.

    Raises:
        ValueError: with a Vietnamese message naming the input, for empty or non-numeric
            input, negative amounts, decimals or commas ("1,5"), misplaced or mixed
            separators ("15.00.000", "15.000 000"), or an amount above `max_vnd`.
        TypeError: when `text` is not a str (a programming error, not a user error).

    Source: whole-đồng amounts with "." thousands separators as written in sanction
    decisions (Decree 118/2021/NĐ-CP forms; docs/legal/documents.md#decision-layout).
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_vnd expects a str, got {text!r}")
    shown = unicodedata.normalize("NFC", text).strip()
    body = _SUFFIX.sub("", shown.translate(_HARD_SPACES)).strip()
    if body.startswith("-") and _PLAIN.fullmatch(body[1:].replace(".", "").replace(" ", "")):
        raise ValueError(f"Số tiền không được âm: «{shown}».")
    if _PLAIN.fullmatch(body):
        digits = body
    elif _DOTTED.fullmatch(body):
        digits = body.replace(".", "")
    elif _SPACED.fullmatch(body):
        digits = body.replace(" ", "")
    else:
        raise _invalid(shown)
    amount = int(digits)
    if amount > max_vnd:
        raise ValueError(
            f"Số tiền quá lớn: «{shown}». Số tiền tối đa là {format_vnd(max_vnd)} đồng."
        )
    return amount


def format_vnd(vnd: int) -> str:
    """Format whole đồng with "." between groups of three digits, without a unit.

    Args:
        vnd: an ``int`` amount in đồng (VND); negatives are formatted with a leading "-".

    Returns:
        e.g. ``format_vnd(25_000_000) == "25.000.000"``, ``format_vnd(0) == "0"``,
        ``format_vnd(-5000) == "-5.000"``.

    Raises:
        TypeError: when `vnd` is not an int (``bool`` included).

    Source: figures as written in administrative documents (Decree 30/2020/NĐ-CP
    presentation; amounts in Decree 118/2021/NĐ-CP forms; docs/legal/documents.md#decision-layout).
    """
    if isinstance(vnd, bool) or not isinstance(vnd, int):
        raise TypeError(f"format_vnd expects an int number of đồng, got {vnd!r}")
    sign = "-" if vnd < 0 else ""
    return sign + f"{abs(vnd):,}".replace(",", ".")


def format_vnd_with_unit(vnd: int) -> str:
    """`format_vnd` followed by " đ", e.g. ``"25.000.000 đ"``; same argument and TypeError."""
    return f"{format_vnd(vnd)} đ"
