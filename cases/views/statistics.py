"""The statistics on administrative sanctions for a period, as a page, XLSX and PDF
(docs/legal/enforcement.md#statistics)."""

from __future__ import annotations

from io import BytesIO

from flask import abort, render_template, send_file
from flask_babel import gettext as _
from flask_login import login_required

from auth.permissions import permission_required
from cases.documents.render import agency_block
from cases.statistics import FORM_STATUS, ROW_LABELS, figures
from cases.views import bp
from cases.views.decisions import _period
from core.pdf import nfc, render_pdf
from legal.dates import format_date_vn
from registry.spreadsheet import xlsx_bytes


def _send(data: bytes, mimetype: str, name: str):
    response = send_file(BytesIO(data), mimetype=mimetype, as_attachment=True,
                         download_name=name)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/statistics")
@login_required
@permission_required("case.view")
def statistics():
    start, end, errors = _period()
    return render_template("cases/statistics.html", start=start, end=end, errors=errors,
                           rows=figures(start, end), form_status=FORM_STATUS,
                           row_labels=ROW_LABELS)


@bp.get("/statistics.<ext>")
@login_required
@permission_required("case.view")
def statistics_file(ext: str):
    start, end, errors = _period()
    if errors or ext not in ("xlsx", "pdf"):
        abort(400 if errors else 404)
    rows = figures(start, end)
    name = f"thong-ke-xu-phat-{start:%Y%m%d}-{end:%Y%m%d}"
    if ext == "xlsx":
        return _send(xlsx_bytes("Thống kê", [_("Row"), _("Value")],
                                ([label, value] for _c, label, value in rows)),
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     f"{name}.xlsx")
    period = f"Từ ngày {format_date_vn(start)} đến ngày {format_date_vn(end)}"
    d = nfc({"agency": agency_block(), "number": "", "date_line": "", "period": period,
             "rows": [{"label": label, "value": f"{value:,}".replace(",", ".")}
                      for _c, label, value in rows], "form_status": FORM_STATUS})
    return _send(render_pdf("documents/statistics.html", d), "application/pdf", f"{name}.pdf")
