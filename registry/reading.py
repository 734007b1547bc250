"""Reading an uploaded registry file (CSV or XLSX) into rows, trusting nothing it declares.

- An .xlsx is a zip archive: the declared sizes of its members are checked before openpyxl
  opens it (at most `MAX_UNPACKED` bytes in all; a member over 1 MB may not inflate more
  than `MAX_RATIO` times). Python's zipfile never inflates a member past its declared size,
  so the check bounds what is read.
- The sheet's declared dimension (``<dimension ref="A1:XFD1048576"/>``, or ``"A1"`` from a
  generator that does not compute it) is ignored (openpyxl read-only `reset_dimensions`):
  the sheet is read by what it holds.
- Rows are read lazily, reading stops at the first row past `MAX_ROWS`, and no cell is
  built beyond the header's last known column.
- A CSV is UTF-8 (with or without a byte order mark) or UTF-16 with its mark (Excel's
  "Unicode text", tab-separated, saved as .txt). Its separator (``,`` ``;`` or tab) is the
  one under which the header row names the most known columns — a sniffer guessing from
  the data reads ``Tổ chức, cá nhân`` and ``Số 1 Lê Lợi, TP Bắc Giang`` as two cells. A cell
  over the csv module's field limit, or a quotation mark never closed, is a message naming
  the line.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterable
from datetime import date, datetime

from flask_babel import gettext as _
from openpyxl import load_workbook

from core.export import FORMULA_STARTS
from legal.dates import format_date_vn
from legal.text import fold, normalize_text, single_line
from registry.spreadsheet import COLUMNS

MAX_ROWS = 20_000
MAX_UNPACKED = 100 * 1024 * 1024  # a 20 000-row export unpacks to about 17 MB
MAX_RATIO = 100  # a real sheet deflates 5 to 25 times
RATIO_FROM = 1024 * 1024
TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
SEPARATORS = (",", ";", "\t")

class ImportError_(ValueError):
    """The file itself cannot be read (message in the user's language)."""


class Layout:
    """The columns a kind of file has: (field, Vietnamese header, other accepted headers),
    the fields every file must have, the fields read on several lines."""

    def __init__(self, columns, required: tuple[str, ...], multi_line: tuple[str, ...] = ()):
        self.columns = columns
        self.required = required
        self.multi_line = multi_line
        self.known = {fold(word).strip(): field for field, vi, others in columns
                      for word in (vi, field, *others)}


REGISTRY = Layout(COLUMNS, ("name", "domain"), ("notes",))


def read_rows(filename: str, content: bytes, layout: Layout = REGISTRY
              ) -> list[tuple[int, dict]]:
    """(line number, {field: text}) for every non-empty data row of a CSV or XLSX file whose
    first row holds the column names of `layout` (Vietnamese or English, any case or
    accents; the registry's by default, a payment statement's in `cases.statement`). A row
    holds only the columns the file has. Raises ImportError_ for an unreadable or unsafe
    file, an unknown layout or more than `MAX_ROWS` rows."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        return _xlsx(content, layout)
    if name.endswith(TEXT_SUFFIXES):
        return _delimited(content, layout)
    raise ImportError_(_("Only .csv and .xlsx files are accepted."))


def _check_archive(content: bytes) -> None:
    try:
        members = zipfile.ZipFile(io.BytesIO(content)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ImportError_(_("The Excel (.xlsx) file cannot be read.")) from exc
    total = sum(m.file_size for m in members)
    inflated = any(m.file_size > RATIO_FROM and m.file_size > MAX_RATIO * max(m.compress_size, 1)
                   for m in members)
    if total > MAX_UNPACKED or inflated:
        raise ImportError_(_("This Excel file is too large once unpacked (over %(mb)d MB, or "
                             "compressed abnormally); it is not a registry list.",
                             mb=MAX_UNPACKED // (1024 * 1024)))


def _xlsx(content: bytes, layout: Layout) -> list[tuple[int, dict]]:
    _check_archive(content)
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ImportError_(_("The Excel (.xlsx) file cannot be read.")) from exc
    try:
        sheet = book.active
        sheet.reset_dimensions()
        header = next(sheet.iter_rows(max_row=1, values_only=True), None)
        if header is None:
            raise ImportError_(_("The file holds no data."))
        mapping = _header_map(header, layout)
        rows = sheet.iter_rows(min_row=2, max_col=max(mapping, default=0) + 1,
                               values_only=True)
        return _collect(mapping, enumerate(rows, start=2), layout)
    except ImportError_:
        raise
    except Exception as exc:  # a sheet broken further down
        raise ImportError_(_("The Excel (.xlsx) file cannot be read.")) from exc
    finally:
        book.close()


def _decode(content: bytes) -> str:
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif content.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    else:
        encoding = "utf-8"
    try:
        return content.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ImportError_(_("Save the CSV file with the UTF-8 encoding.")) from exc


def _delimited(content: bytes, layout: Layout) -> list[tuple[int, dict]]:
    text = _decode(content)
    separator = max(SEPARATORS,
                    key=lambda s: len(_header_map(_first_record(text, s), layout)))
    reader = csv.reader(io.StringIO(text), delimiter=separator)
    header = _next(reader, 1)
    if not header:
        raise ImportError_(_("The file holds no data."))
    mapping = _header_map(header, layout)
    width = max(mapping, default=0) + 1

    def records():
        line = 2
        while (values := _next(reader, line)) is not None:
            yield line, values[:width]
            line += 1

    return _collect(mapping, records(), layout)


def _first_record(text: str, separator: str) -> list[str]:
    try:
        return next(csv.reader(io.StringIO(text[:65536]), delimiter=separator), [])
    except csv.Error:
        return []


def _next(reader, line: int) -> list[str] | None:
    try:
        return next(reader, None)
    except csv.Error as exc:
        raise ImportError_(_("Line %(line)d cannot be read: a cell is longer than %(n)d "
                             "characters or a quotation mark is not closed.",
                             line=line, n=csv.field_size_limit())) from exc


def _header_map(header: Iterable, layout: Layout) -> dict[int, str]:
    """{column index: field} for the header cells naming a known column."""
    mapping = {}
    for i, cell in enumerate(header):
        field = layout.known.get(fold(str(cell or "")).strip())
        if field is not None:
            mapping[i] = field
    return mapping


def _collect(mapping: dict[int, str], rows: Iterable[tuple[int, tuple]], layout: Layout) \
        -> list[tuple[int, dict]]:
    missing = [h for f, h, _a in layout.columns
               if f in layout.required and f not in mapping.values()]
    if missing:
        raise ImportError_(_("Required columns are missing: %(columns)s.",
                             columns=", ".join(missing)))
    out = []
    for line, values in rows:
        if line > MAX_ROWS + 1:
            raise ImportError_(_("The file has more than %(n)d rows; split it.", n=MAX_ROWS))
        if not any(v is not None and str(v).strip() for v in values):
            continue
        out.append((line, {field: _text(values[i], field in layout.multi_line)
                           for i, field in mapping.items() if i < len(values)}))
    return out


def _text(value, multi_line: bool) -> str:
    """A cell as text, normalised as a form field is (one line but for the notes)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return format_date_vn(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = (normalize_text if multi_line else single_line)(str(value)) or ""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        text = text[1:]  # escaped by our own CSV export (`core.export.spreadsheet_text`)
    return text
