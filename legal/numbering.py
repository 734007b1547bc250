"""Document numbers as documents print them: "Số: 01/QĐ-XPVPHC".

Decree 30/2020/NĐ-CP, Appendix I, Part I, section II, clause 3, point c (V): the number of a
document below 10 is written with a leading zero ("Với những số nhỏ hơn 10 phải ghi thêm số 0
phía trước"); the symbol follows after a slash. The product writes every document number it
prints or lists this way, whatever the year (docs/legal/documents.md#numbering).

    >>> document_number(1, "QĐ-XPVPHC")
    '01/QĐ-XPVPHC'
    >>> document_number(12, "BB-VPHC")
    '12/BB-VPHC'
    >>> normalise_number("5 / BB-VPHC")
    '05/BB-VPHC'
"""

from __future__ import annotations

import re
import unicodedata

_TYPED = re.compile(r"0*([0-9]{1,9})\s*(?:/\s*(.*))?")


def padded(number: int) -> str:
    """`number` with a leading zero below 10: 1 → "01", 10 → "10". Raises ValueError for a
    number below 1."""
    if number < 1:
        raise ValueError("Số văn bản phải từ 1 trở lên.")
    return f"{number:02d}"


def document_number(number: int, symbol: str) -> str:
    """"01/QĐ-XPVPHC": the number (leading zero below 10), a slash and the symbol."""
    return f"{padded(number)}/{symbol}"


def normalise_number(text: str, symbol: str | None = None) -> str:
    """A number typed by a user, as printed: "5" → "05/<symbol>" (when `symbol` is given),
    "5/BB-VPHC" → "05/BB-VPHC", "005 / STTTT-TTra" → "05/STTTT-TTra" (no spaces in the
    symbol; its letters as typed, since a unit's abbreviation such as "TTra" keeps its small
    letters). Text that does not start with a number is returned NFC-normalised and
    stripped, unchanged otherwise."""
    shown = unicodedata.normalize("NFC", text or "").strip()
    match = _TYPED.fullmatch(shown)
    if not match:
        return shown
    number, rest = int(match.group(1)), (match.group(2) or "").replace(" ", "")
    if number < 1:
        return shown
    rest = rest or (symbol or "")
    return document_number(number, rest) if rest else padded(number)
