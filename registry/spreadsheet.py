"""The registry as a spreadsheet: one column layout for export (CSV, XLSX) and import.

An import reads CSV or XLSX (openpyxl), checks every row and lists its outcome — new,
update, unchanged, or an error with its line number and a Vietnamese message — without
writing anything; the user then confirms and the whole file is applied in one transaction.
Importing the same file again changes nothing.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date, datetime

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from core.agency import district_names
from core.enums import label_of
from core.forms import max_lengths
from legal.dates import format_date_vn, parse_date_vn
from legal.districts import match_district
from legal.text import CONTROLS, fold
from registry.domains import display_domain, normalize_domain
from registry.forms import SiteForm
from registry.models import OperatorKind, RegistryStatus, Site, SiteKind

# (field, Vietnamese header, other accepted headers)
COLUMNS = [
    ("name", "Tên trang", ["ten", "name", "ten trang/mang xa hoi"]),
    ("domain", "Tên miền", ["domain", "ten mien"]),
    ("kind", "Loại", ["kind", "loai hinh"]),
    ("status", "Tình trạng", ["status", "trang thai"]),
    ("operator_kind", "Chủ thể là", ["operator kind", "loai chu the"]),
    ("operator_name", "Chủ thể quản lý", ["operator", "chu the", "to chuc, ca nhan"]),
    ("operator_address", "Địa chỉ", ["address", "dia chi chu the"]),
    ("operator_tax_id", "Mã số thuế/CCCD", ["tax id", "ma so thue", "mst"]),
    ("licence_number", "Số giấy phép", ["licence number", "giay phep"]),
    ("licence_issuer", "Cơ quan cấp phép", ["licence issuer", "noi cap"]),
    ("licence_issued_on", "Ngày cấp", ["issued on", "ngay cap phep"]),
    ("licence_expires_on", "Ngày hết hạn", ["expires on", "han giay phep"]),
    ("district", "Huyện/thành phố", ["district", "huyen", "dia ban"]),
    ("notes", "Ghi chú", ["notes"]),
]
HEADERS = [header for _f, header, _alt in COLUMNS]
COLUMN_NAMES = {field: header for field, header, _alt in COLUMNS}
DATES = ("licence_issued_on", "licence_expires_on")

KIND_WORDS = {SiteKind.general_website: ["general_website", "trang thong tin dien tu tong hop",
                                         "trang tong hop", "general information website"],
              SiteKind.social_network: ["social_network", "mang xa hoi", "social network"],
              SiteKind.other: ["other", "khac"]}
STATUS_WORDS = {RegistryStatus.licensed: ["licensed", "da cap phep", "co giay phep"],
                RegistryStatus.registered: ["registered", "da dang ky", "dang ky"],
                RegistryStatus.unlicensed: ["unlicensed", "hoat dong khong phep", "khong phep",
                                            "operating without a licence"],
                RegistryStatus.trial: ["trial", "thu nghiem", "hoat dong thu nghiem",
                                       "trial operation"],
                RegistryStatus.suspended: ["suspended", "bi dinh chi", "dinh chi"],
                RegistryStatus.revoked: ["revoked", "bi thu hoi giay phep", "thu hoi"],
                RegistryStatus.ceased: ["ceased", "ngung hoat dong"]}
OPERATOR_WORDS = {OperatorKind.organisation: ["organisation", "to chuc", ""],
                  OperatorKind.individual: ["individual", "ca nhan"]}


# Exported after the import's columns, so that a file exported holds every column of the
# registry; the import ignores them (a column it does not know is skipped).
EXPORT_ONLY = ["Địa chỉ (URL)", "Địa chỉ khác", "Ngày ra mắt", "Phạm vi giấy phép",
               "Liên hệ", "Người chịu trách nhiệm nội dung", "Máy chủ tại Việt Nam",
               "Thanh tra viên theo dõi"]
EXPORT_HEADERS = HEADERS + EXPORT_ONLY


def row_values(site: Site, *, dates: bool = False) -> list:
    """The exported row of a site (`EXPORT_HEADERS`), codes shown as their labels in the
    user's language and an internationalised domain in Unicode (the import reads it back to
    the same entry). Dates as dd/mm/yyyy text, or as `date` objects when `dates` (a
    spreadsheet stores them as dates). Needs `site.inspector` (load it with the sites)."""
    def day(value):
        if value is None:
            return ""
        return value if dates else format_date_vn(value)

    hosted = {True: _("Yes"), False: _("No")}.get(site.hosted_in_vietnam, _("Not known"))
    return [site.name, display_domain(site.domain), label_of(SiteKind, site.kind),
            label_of(RegistryStatus, site.status), label_of(OperatorKind, site.operator_kind),
            site.operator_name, site.operator_address, site.operator_tax_id,
            site.licence_number, site.licence_issuer,
            day(site.licence_issued_on), day(site.licence_expires_on),
            site.district, site.notes,
            site.url, site.other_urls, day(site.launched_on), site.licence_scope,
            site.operator_contact, site.content_manager, hosted,
            site.inspector.full_name if site.inspector else ""]


def xlsx_bytes(sheet_title: str, header: list, rows: Iterable[list]) -> bytes:
    """An .xlsx workbook with one sheet, a bold header row and the rows. Text starting with
    "=" is stored as text, not as a formula (no formula injection from a site's name);
    control characters, which XML cannot hold, are dropped from every cell."""
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title[:31]
    sheet.append([CONTROLS.sub("", str(h)) for h in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(["" if v is None else CONTROLS.sub("", v) if isinstance(v, str) else v
                      for v in row])
        for cell in sheet[sheet.max_row]:
            if cell.data_type == "f":  # text typed or imported as "=…": never a formula
                cell.data_type = "s"
            elif isinstance(cell.value, date | datetime):  # a date, shown as Vietnam writes it
                cell.number_format = "DD/MM/YYYY"
    for column in sheet.columns:
        width = max(len(str(c.value or "")) if not isinstance(c.value, date | datetime) else 10
                    for c in column)
        sheet.column_dimensions[column[0].column_letter].width = min(max(10, width + 2), 60)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _choice(text: str, words: dict, default=None):
    folded = fold(text or "").strip()
    if not folded and default is not None:
        return default
    for code, options in words.items():
        if folded in options or folded == fold(str(code)):
            return str(code.value if hasattr(code, "value") else code)
    return None


def _shown(text: str) -> str:
    """A cell quoted in a message: at most 60 characters."""
    return text if len(text) <= 60 else text[:59] + "…"


TEXT_FIELDS = ("operator_address", "operator_tax_id", "licence_number", "licence_issuer",
               "district", "notes")
CHOICES = (("kind", KIND_WORDS, None), ("status", STATUS_WORDS, None),
           ("operator_kind", OPERATOR_WORDS, OperatorKind.organisation.value))


def _unknown(field: str, text: str) -> str:
    if field == "kind":
        return _("invalid kind «%(v)s»", v=_shown(text))
    if field == "status":
        return _("invalid status «%(v)s»", v=_shown(text))
    return _("invalid kind of operator «%(v)s»", v=_shown(text))


def check_row(values: dict, stored: Site | None = None) -> tuple[dict | None, list[str]]:
    """The site's data from one row, or the problems found (in the request's language).

    `stored` is the registry entry with the row's domain, if any: a column the file does
    not have, or an empty cell, keeps what the entry holds, and the data then holds only
    the columns the row sets (and the domain). A new entry needs its name, kind and status;
    its operator is an organisation named as the site unless the row says otherwise. A
    district is matched to the province's list without regard to accents and case
    (`core.agency.district_names`, `legal.districts.match_district`) and stored as the list
    writes it; one not in the list is a problem of its row. Text
    longer than the registry form allows (the same limits) is a problem of its row, never a
    failure at confirmation."""
    problems = []
    data: dict = {}

    def given(field: str) -> str:
        return (values.get(field) or "").strip()

    try:
        data["domain"] = normalize_domain(values.get("domain", ""))
    except ValueError:
        problems.append(_("invalid domain «%(v)s»", v=_shown(values.get("domain", ""))))
    if given("name"):
        data["name"] = given("name")
    elif stored is None:
        problems.append(_("the name of the site is missing"))
    for field, words, default in CHOICES:
        text = given(field)
        code = _choice(text, words) if text else (default if stored is None else None)
        if code is not None:
            data[field] = code
        elif text or stored is None:
            problems.append(_unknown(field, text) if text else _(
                "«%(column)s» is missing (a new entry needs it)", column=COLUMN_NAMES[field]))
    if given("operator_name") or stored is None:
        data["operator_name"] = given("operator_name") or data.get("name")
    for field in TEXT_FIELDS:
        if given(field):
            data[field] = given(field)
        elif stored is None:
            data[field] = None
    names = district_names()
    if data.get("district") and names:  # "luc ngan" is the province's "Lục Ngạn"
        matched = match_district(data["district"], names)
        if matched is None:
            problems.append(_("«%(v)s» is not a district of the province (agency settings)",
                              v=_shown(data["district"])))
        else:
            data["district"] = matched
    for field in DATES:
        if given(field):
            try:
                data[field] = parse_date_vn(given(field))
            except ValueError:
                problems.append(_("invalid date «%(v)s»", v=_shown(given(field))))
        elif stored is None:
            data[field] = None
    merged = {**{f: getattr(stored, f) for f in (*TEXT_FIELDS, *DATES, "status")}, **data} \
        if stored is not None else data
    issued, expires = merged.get("licence_issued_on"), merged.get("licence_expires_on")
    if issued and expires and expires < issued:
        problems.append(_("the licence expires before it was issued"))
    if merged.get("status") == RegistryStatus.licensed and not merged.get("licence_number"):
        problems.append(_("a licensed site needs its licence number"))
    for field, limit in max_lengths(SiteForm).items():
        if isinstance(data.get(field), str) and len(data[field]) > limit:
            problems.append(_("«%(column)s» is longer than %(n)d characters",
                              column=COLUMN_NAMES.get(field, field), n=limit))
    return (None if problems else data), problems
