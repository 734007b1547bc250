"""CSV downloads of what a list shows (UTF-8 with a byte order mark, so Excel reads the
Vietnamese right)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from flask import Response

from legal.text import CONTROLS

# A cell starting with one of these is run as a formula by Excel and LibreOffice.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value):
    """`value` made safe for a spreadsheet cell: control characters (stored before input
    was cleaned, see `core.input`) are dropped — XML, hence XLSX, cannot hold them; text
    that a spreadsheet would run as a formula (``=HYPERLINK(…)``, ``+1``, ``@SUM(…)``) gets
    a leading apostrophe, the OWASP advice against CSV injection; numbers are returned
    unchanged."""
    if isinstance(value, str):
        value = CONTROLS.sub("", value)
        if value.startswith(FORMULA_STARTS):
            return "'" + value
    return value


def csv_response(filename: str, header: list, rows: Iterable[list]) -> Response:
    """A CSV attachment: `header` then `rows` (values converted with str; None empty; text
    that a spreadsheet would run as a formula is escaped, see `spreadsheet_text`)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([str(h) for h in header])
    for row in rows:
        writer.writerow(["" if v is None else str(spreadsheet_text(v)) for v in row])
    response = Response(buffer.getvalue().encode("utf-8"), mimetype="text/csv")
    response.headers["Content-Disposition"] = f"attachment; filename={filename}"
    response.headers["Cache-Control"] = "private, no-store"
    return response
