"""The agency's names, place, document symbols and payment account, as printed."""

from __future__ import annotations

from flask import current_app, g

from core.models import AgencySettings
from extensions import db
from legal.districts import parse_districts, shipped_districts

# Document types and their default symbols ("Số: N/<symbol>"); an administrator changes
# them (e.g. QĐ-XPVPHC → QĐ-XPHC, the form used from 2023).
DEFAULT_SYMBOLS = {
    "sanction": "QĐ-XPVPHC",
    "amend": "QĐ-SĐBS",
    "correct": "QĐ-ĐC",
    "cancel": "QĐ-HB",
    "transfer": "QĐ-CHS",
    "letter": "STTTT-TTra",
    "report": "BC-STTTT",
    "team": "QĐ-TTra",  # the decision establishing an inspection team (inspections)
    "coercion": "QĐ-CCXP",  # the decision enforcing a sanction decision by coercion
}
FIELDS = ("parent_name", "agency_name", "full_name", "unit_name", "short_code", "place",
          "head_title", "treasury_account", "treasury_body", "treasury_account_number",
          "letter_signer", "department_parent", "department_name")


def _defaults() -> dict:
    c = current_app.config
    symbols = dict(DEFAULT_SYMBOLS)
    symbols["sanction"] = c.get("DECISION_SYMBOL") or symbols["sanction"]
    symbols["letter"] = c.get("LETTER_SYMBOL") or symbols["letter"]
    return {
        "parent_name": c["AGENCY_PARENT"], "agency_name": c["AGENCY_NAME"],
        "full_name": c["AGENCY_FULL_NAME"], "unit_name": c["AGENCY_UNIT"],
        "short_code": c["AGENCY_SHORT"], "place": c["AGENCY_PLACE"],
        "head_title": c.get("AGENCY_HEAD_TITLE", "Chánh Thanh tra Sở"),
        "treasury_account": c["TREASURY_ACCOUNT"], "treasury_body": c["TREASURY_BODY"],
        "treasury_account_number": c.get("TREASURY_ACCOUNT_NUMBER") or "",
        "letter_signer": c.get("LETTER_SIGNER") or "TL. GIÁM ĐỐC",
        "department_parent": c.get("DEPARTMENT_PARENT") or "",
        "department_name": c.get("DEPARTMENT_NAME") or "",
        "symbols": symbols,
    }


def agency() -> dict:
    """The settings in force (stored row over configuration), cached per request."""
    cached = g.get("_agency")
    if cached is None:
        cached = _defaults()
        row = db.session.get(AgencySettings, 1)
        if row is not None:
            for name in FIELDS:
                if getattr(row, name):
                    cached[name] = getattr(row, name)
            cached["symbols"] = {**cached["symbols"], **{k: v for k, v in
                                                         (row.symbols or {}).items() if v}}
        stored = parse_districts(row.districts) if row is not None else []
        cached["districts"] = stored or list(shipped_districts(cached["place"]))
        g._agency = cached
    return cached


def district_names() -> list[str]:
    """The province's district-level units as the registry writes them: the administrator's
    list in the agency settings, else the shipped list for the province named in the
    agency's place (docs/legal/sites.md#districts); [] when neither is known (districts are
    then free text)."""
    return agency()["districts"]


def symbol(doc_type: str) -> str:
    return agency()["symbols"][doc_type]


def forget_agency() -> None:
    """Drop the request's cached agency (after an administrator changed it)."""
    g.pop("_agency", None)
