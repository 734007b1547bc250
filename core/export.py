"""CSV downloads of what a list shows (UTF-8 with a byte order mark, so Excel reads the
Vietnamese right)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from flask import Response


def csv_response(filename: str, header: list, rows: Iterable[list]) -> Response:
    """A CSV attachment: `header` then `rows` (values converted with str; None empty)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([str(h) for h in header])
    for row in rows:
        writer.writerow(["" if v is None else str(v) for v in row])
    response = Response(buffer.getvalue().encode("utf-8"), mimetype="text/csv")
    response.headers["Content-Disposition"] = f"attachment; filename={filename}"
    response.headers["Cache-Control"] = "private, no-store"
    return response
