"""The procedure as data (docs/legal/procedure.md): the right to explain, the time limit to
decide, the forms of each period, the end of the bases, document numbers."""

from __future__ import annotations

from datetime import date

import pytest

from legal.fines import range_for_subject
from legal.numbering import document_number, normalise_number, padded
from legal.procedure import (
    ProcedureError,
    after_time_limit,
    end_bases,
    explanation_right,
    form_for,
    layout_for,
    licence_sanction,
)

RECORD_2014 = date(2014, 10, 31)
RECORD_2023 = date(2023, 3, 6)


def maximum(fine_min, fine_max, subject):
    return range_for_subject(fine_min, fine_max, "organisation", subject).maximum


@pytest.mark.parametrize("on", [RECORD_2014, RECORD_2023])
def test_the_threshold_is_the_maximum_of_the_bracket_for_the_subject(on):
    # Decree 174/2013 Art. 63(3): 20–30 M for an organisation → 30 M reaches 30 M
    right = explanation_right([(maximum(20_000_000, 30_000_000, "organisation"), False)],
                              "organisation", on)
    assert right.applies and "30.000.000" in right.reason
    # the same act by an individual: 10–15 M → 15 M reaches 15 M
    assert explanation_right([(maximum(20_000_000, 30_000_000, "individual"), False)],
                             "individual", on).applies
    # Decree 119/2020 Art. 20(1): 10–20 M → 20 M < 30 M and 10 M < 15 M: no right
    assert not explanation_right([(20_000_000, False)], "organisation", on).applies
    assert not explanation_right([(10_000_000, False)], "individual", on).applies
    # one act of several is enough
    assert explanation_right([(10_000_000, False), (30_000_000, False)], "organisation",
                             on).applies


def test_licence_withdrawal_or_suspension_gives_the_right_whatever_the_fine():
    sanctions = ["Tước quyền sử dụng giấy phép thiết lập mạng xã hội từ 01 tháng đến 03 tháng"]
    assert licence_sanction(sanctions)
    assert licence_sanction(["Dinh chi hoat dong co thoi han"])
    assert not licence_sanction(["Tịch thu tang vật, phương tiện vi phạm hành chính"])
    assert not licence_sanction(None)
    right = explanation_right([(10_000_000, True)], "organisation", RECORD_2023)
    assert right.applies and "tước quyền sử dụng giấy phép" in right.reason


def test_an_unknown_range_gives_the_right():
    right = explanation_right([(None, False)], "organisation", RECORD_2014)
    assert right.applies and "chưa xác định" in right.reason


def test_waiver_is_in_the_2020_text_only():
    assert explanation_right([], "organisation", RECORD_2014).waiver_status == "U"
    assert explanation_right([], "organisation", RECORD_2023).waiver_status == "V"
    assert explanation_right([], "organisation", RECORD_2014).basis == (
        "Khoản 1 Điều 61 Luật Xử lý vi phạm hành chính năm 2012")


def test_no_decision_after_the_time_limit():
    assert after_time_limit(date(2014, 11, 20)).refused
    assert after_time_limit(date(2014, 11, 20)).status == "V"
    assert after_time_limit(date(2023, 3, 20)).status == "P"  # the 2020 wording not read
    with pytest.raises(ProcedureError):
        after_time_limit(date(2012, 1, 1))


@pytest.mark.parametrize("kind,on,code,decree,symbol", [
    ("decision", date(2014, 12, 1), "Mẫu quyết định số 02", "81/2013/NĐ-CP", "QĐ-XPVPHC"),
    ("decision", date(2017, 10, 5), "MQĐ02", "97/2017/NĐ-CP", "QĐ-XPVPHC"),
    ("decision", date(2023, 3, 6), "MQĐ02", "118/2021/NĐ-CP", "QĐ-XPHC"),
    ("decision", date(2025, 5, 2), "MQĐ02", "68/2025/NĐ-CP", "QĐ-XPHC"),
    ("record", date(2014, 10, 31), "Mẫu biên bản số 01", "81/2013/NĐ-CP", "BB-VPHC"),
    ("record", date(2022, 1, 1), "MBB01", "118/2021/NĐ-CP", "BB-VPHC"),
    ("hearing", date(2023, 3, 9), "MBB03", "118/2021/NĐ-CP", "BB-GTTT"),
])
def test_one_form_per_period_by_the_date(kind, on, code, decree, symbol):
    form = form_for(kind, on)
    assert (form.code, form.decree, form.symbol) == (code, decree, symbol)


def test_form_features_and_statuses():
    assert not form_for("decision", date(2014, 12, 1)).has("gender")
    assert form_for("decision", date(2025, 6, 1)).has("gender")
    assert form_for("record", date(2023, 3, 6)).has("explanation_ticks")
    assert not form_for("decision", date(2023, 3, 6)).verified  # the 2021 form not read
    assert form_for("decision", date(2025, 6, 1)).verified


def test_the_last_basis_ends_as_the_period_prescribes():
    lines = ["Căn cứ Luật Xử lý vi phạm hành chính;", "Căn cứ Biên bản số 01/BB-VPHC"]
    # Circular 01/2011/TT-BNV (to 04/03/2020): a comma; Decree 30/2020: a full stop
    assert end_bases(lines, date(2014, 12, 1)) == [
        "Căn cứ Luật Xử lý vi phạm hành chính;", "Căn cứ Biên bản số 01/BB-VPHC,"]
    assert end_bases(lines, date(2020, 3, 5))[-1] == "Căn cứ Biên bản số 01/BB-VPHC."
    assert layout_for(date(2020, 3, 4)).regime == "01/2011/TT-BNV"
    assert end_bases([], date(2020, 3, 5)) == []


def test_numbers_below_ten_take_a_leading_zero():
    assert document_number(1, "QĐ-XPVPHC") == "01/QĐ-XPVPHC"
    assert document_number(9, "BC-STTTT") == "09/BC-STTTT"
    assert document_number(10, "QĐ-XPHC") == "10/QĐ-XPHC"
    assert padded(145) == "145"
    with pytest.raises(ValueError):
        padded(0)
    assert normalise_number("5/BB-VPHC") == "05/BB-VPHC"
    assert normalise_number("145/STTTT-TTra") == "145/STTTT-TTra"
    assert normalise_number(" 005 / BB-VPHC ") == "05/BB-VPHC"
    assert normalise_number("7", "BB-GTTT") == "07/BB-GTTT"
    assert normalise_number("145") == "145"
    assert normalise_number("BB 12") == "BB 12"
