"""The legal catalogue (docs/legal/catalogue.md): entries per instrument with their
midpoints, the version in force on each side of every change date, the lighter later text,
citations as decisions print them, search by words and by citation, ids of release 1."""

from __future__ import annotations

import textwrap
from datetime import date, timedelta

import pytest

from legal import catalogue
from legal.catalogue import CatalogueError, NotInForce, cite, find, parse_id, shipped
from legal.fines import FineError, propose_fine

ORG, IND = "organisation", "individual"


@pytest.mark.parametrize("clause_id,on,org,ind", [
    # Decree 174/2013 (Art. 2(1): organisations; an individual pays half)
    ("174/2013/NĐ-CP:63.3", date(2014, 12, 1), 25_000_000, 12_500_000),
    ("174/2013/NĐ-CP:64.1.a", date(2017, 1, 4), 7_500_000, 3_750_000),
    ("174/2013/NĐ-CP:64.2.đ", date(2017, 1, 4), 15_000_000, 7_500_000),
    ("174/2013/NĐ-CP:64.3.a", date(2020, 1, 31), 25_000_000, 12_500_000),
    ("174/2013/NĐ-CP:unplaced.general-website-without-licence", date(2014, 11, 3),
     15_000_000, 7_500_000),
    # Decree 15/2020 (Art. 4(3)), before and after Decree 14/2022
    ("15/2020/NĐ-CP:101.1.a", date(2021, 5, 7), 15_000_000, 7_500_000),
    ("15/2020/NĐ-CP:101.1.a", date(2023, 2, 27), 15_000_000, 7_500_000),
    ("15/2020/NĐ-CP:99.1", date(2021, 6, 1), 7_500_000, 3_750_000),
    ("15/2020/NĐ-CP:99.3.a", date(2021, 6, 1), 25_000_000, 12_500_000),
    ("15/2020/NĐ-CP:98.3", date(2023, 6, 1), 60_000_000, 30_000_000),
    # Decree 119/2020 (Art. 4(2))
    ("119/2020/NĐ-CP:20.1.đ", date(2021, 7, 8), 15_000_000, 7_500_000),
    ("119/2020/NĐ-CP:20.1.e", date(2021, 7, 8), 15_000_000, 7_500_000),
    ("119/2020/NĐ-CP:20.1.g", date(2024, 1, 1), 15_000_000, 7_500_000),
    # Decree 174/2026 (Art. 4(3))
    ("174/2026/NĐ-CP:95.1.a", date(2026, 7, 1), 25_000_000, 12_500_000),
    ("174/2026/NĐ-CP:92.2.a", date(2026, 9, 1), 60_000_000, 30_000_000),
    ("174/2026/NĐ-CP:93.3.a", date(2026, 11, 29), 35_000_000, 17_500_000),
])
def test_midpoint_by_subject(clause_id, on, org, ind):
    assert propose_fine(clause_id, ORG, on).amount == org
    assert propose_fine(clause_id, IND, on).amount == ind


def test_every_instrument_with_entries_has_at_least_three_priced_ones():
    priced: dict[str, int] = {}
    for versions in shipped().entries.values():
        if any(v.range_known for v in versions):
            inst = versions[0].instrument_id
            priced[inst] = priced.get(inst, 0) + 1
    assert set(priced) == {"174/2013/NĐ-CP", "15/2020/NĐ-CP", "119/2020/NĐ-CP",
                           "174/2026/NĐ-CP"}
    assert all(n >= 3 for n in priced.values()), priced


@pytest.mark.parametrize("clause_id,change,before,after", [
    # Decree 15/2020 applies from 15/04/2020, Art. 101(1) included (release 1 said 2022)
    ("15/2020/NĐ-CP:101.1.a", date(2020, 4, 15), None, 1),
    # Decree 14/2022 rewrote Art. 101 on 27/01/2022
    ("15/2020/NĐ-CP:101.1.a", date(2022, 1, 27), 1, 2),
    ("15/2020/NĐ-CP:98.3", date(2022, 1, 27), 1, 2),
    # Decree 174/2013 ends on 14/04/2020
    ("174/2013/NĐ-CP:63.3", date(2020, 4, 15), 1, None),
    ("174/2013/NĐ-CP:63.3", date(2014, 1, 15), None, 1),
    # Decree 174/2026 replaces Arts. 98–106 on 01/07/2026
    ("15/2020/NĐ-CP:101.1.a", date(2026, 7, 1), 2, None),
    ("174/2026/NĐ-CP:95.1.a", date(2026, 7, 1), None, 1),
    # Decree 119/2020 from 01/12/2020
    ("119/2020/NĐ-CP:20.1.đ", date(2020, 12, 1), None, 1),
])
def test_version_on_each_side_of_a_change(clause_id, change, before, after):
    for day, expected in ((change - timedelta(days=1), before), (change, after)):
        if expected is None:
            with pytest.raises(NotInForce, match="không có hiệu lực ngày"):
                catalogue.version(clause_id, day)
        else:
            assert catalogue.version(clause_id, day).version == expected


def test_citation_as_a_decision_prints_it():
    assert cite("15/2020/NĐ-CP:101.1.a", date(2022, 3, 1)) == (
        "điểm a khoản 1 Điều 101 Nghị định số 15/2020/NĐ-CP ngày 03 tháng 02 năm 2020 của "
        "Chính phủ quy định xử phạt vi phạm hành chính trong lĩnh vực bưu chính, viễn thông, "
        "tần số vô tuyến điện, công nghệ thông tin và giao dịch điện tử, được sửa đổi, bổ sung "
        "bởi Nghị định số 14/2022/NĐ-CP ngày 27 tháng 01 năm 2022 của Chính phủ")
    # before the amendment the citation does not name it
    assert cite("15/2020/NĐ-CP:101.1.a", date(2021, 5, 7)).endswith(
        "công nghệ thông tin và giao dịch điện tử")
    assert cite("174/2013/NĐ-CP:63.3", date(2014, 12, 1)) == (
        "khoản 3 Điều 63 Nghị định số 174/2013/NĐ-CP ngày 13 tháng 11 năm 2013 của Chính phủ "
        "quy định xử phạt vi phạm hành chính trong lĩnh vực bưu chính, viễn thông, công nghệ "
        "thông tin và tần số vô tuyến điện")
    assert cite("119/2020/NĐ-CP:20.1.đ", date(2021, 7, 8)).startswith(
        "điểm đ khoản 1 Điều 20 Nghị định số 119/2020/NĐ-CP ngày 07 tháng 10 năm 2020 của "
        "Chính phủ quy định xử phạt vi phạm hành chính trong hoạt động báo chí")
    # the same number, another year: never confused
    assert "Nghị định số 174/2026/NĐ-CP ngày 15 tháng 5 năm 2026" in cite(
        "174/2026/NĐ-CP:95.1.a", date(2026, 8, 1))
    # an act whose article is not established says so instead of inventing one
    text = cite("174/2013/NĐ-CP:unplaced.general-website-without-licence", date(2014, 11, 3))
    assert text.startswith("Nghị định số 174/2013/NĐ-CP ngày 13 tháng 11 năm 2013")
    assert text.endswith("(chưa xác định điều, khoản, điểm)") and "Điều" not in text


def test_citation_refuses_a_date_the_text_was_not_in_force():
    with pytest.raises(NotInForce, match="15/04/2020"):
        cite("15/2020/NĐ-CP:101.1.a", date(2020, 4, 14))
    with pytest.raises(CatalogueError, match="Không có điều khoản"):
        cite("15/2020/NĐ-CP:999.1.a", date(2021, 1, 1))


@pytest.mark.parametrize("query,on,expected", [
    ("101.1.a", date(2021, 5, 7), ["15/2020/NĐ-CP:101.1.a"]),
    ("101(1)(a)", date(2021, 5, 7), ["15/2020/NĐ-CP:101.1.a"]),
    ("điểm a khoản 1 Điều 101 Nghị định 15/2020", date(2021, 5, 7), ["15/2020/NĐ-CP:101.1.a"]),
    ("diem a khoan 1 dieu 101 nghi dinh 15/2020", date(2023, 1, 1), ["15/2020/NĐ-CP:101.1.a"]),
    ("Điểm a, Khoản 3, Điều 64 Nghị định số 174/2013/NĐ-CP", date(2017, 1, 13),
     ["174/2013/NĐ-CP:64.3.a"]),
    ("khoản 3 Điều 63", date(2014, 12, 1), ["174/2013/NĐ-CP:63.3"]),
    ("15/2020/NĐ-CP:99.3.đ", date(2021, 1, 1), ["15/2020/NĐ-CP:99.3.đ"]),
    ("dieu 64 khoan 2 diem dd", date(2017, 1, 4), ["174/2013/NĐ-CP:64.2.đ"]),  # Telex đ
    ("Art. 64(2)(đ)", date(2017, 1, 4), ["174/2013/NĐ-CP:64.2.đ"]),
    # a citation of a text not in force that day finds nothing
    ("101.1.a", date(2019, 1, 1), []),
])
def test_find_by_citation(query, on, expected):
    assert [v.id for v in find(query, on)] == expected


def test_find_by_words_without_accents():
    ids = [v.id for v in find("mang xa hoi khong giay phep", date(2014, 11, 12))]
    assert ids == ["174/2013/NĐ-CP:63.3", "174/2013/NĐ-CP:65.2.e"]
    ids = [v.id for v in find("trang thong tin dien tu tong hop khong co giay phep",
                              date(2014, 11, 12))]
    assert "174/2013/NĐ-CP:unplaced.general-website-without-licence" in ids
    assert [v.id for v in find("luu tru 90 ngay", date(2015, 1, 1))] == [
        "174/2013/NĐ-CP:64.1.d"]  # "90" is a word here, not an article
    assert [v.id for v in find("BẢN ĐỒ chủ quyền", date(2021, 1, 1))] == [
        "15/2020/NĐ-CP:99.3.b", "15/2020/NĐ-CP:101.1.g"]  # websites; social-network users
    # "174" alone matches both decrees; the date decides
    assert {v.instrument_id for v in find("Nghị định 174 điều 63", date(2015, 1, 1))} == {
        "174/2013/NĐ-CP"}


def test_release_1_ids_still_resolve():
    on = date(2023, 3, 1)
    assert cite("15/2020/NĐ-CP:101.1", on) == cite("15/2020/NĐ-CP:101.1.a", on)
    assert cite("15/2020/NĐ-CP:99.3", on).startswith("điểm a khoản 3 Điều 99")
    assert propose_fine("15/2020/NĐ-CP:99.2", IND, on).amount == 7_500_000
    assert shipped().resolve("15/2020/NĐ-CP:101.1") == "15/2020/NĐ-CP:101.1.a"


def test_ids_keep_the_year_and_vietnamese_point_letters():
    assert parse_id("15/2020/NĐ-CP:101.1.đ").point == "đ"
    for bad in ("15/2020/NĐ-CP:101.1.f", "174/NĐ-CP:63.3", "15/2020/NĐ-CP:101", "101.1.a"):
        with pytest.raises(CatalogueError):
            parse_id(bad)
    assert catalogue.sort_key("15/2020/NĐ-CP:101.1.d") < catalogue.sort_key(
        "15/2020/NĐ-CP:101.1.đ") < catalogue.sort_key("15/2020/NĐ-CP:101.1.e")


def test_decree_72_2013_ends_when_147_2024_begins():
    cat = shipped()
    assert cat.instruments["72/2013/NĐ-CP"].effective_to == date(2024, 12, 24)
    assert cat.instruments["147/2024/NĐ-CP"].effective_from == date(2024, 12, 25)
    assert cat.prohibitions["72/2013/NĐ-CP:5.1.d"].in_force_on(date(2024, 12, 24))
    assert not cat.prohibitions["72/2013/NĐ-CP:5.1.d"].in_force_on(date(2024, 12, 25))


def test_every_entry_is_sourced_and_what_it_enforces_is_known():
    cat = shipped()
    for versions in cat.entries.values():
        for v in versions:
            assert v.status in ("V", "P", "U") and v.source
            assert (v.status == "U") is (not v.verified)
            for target in v.enforces:
                ref = target.split(":")[0]
                assert ref in cat.instruments, (v.id, target)
                if target.count(".") >= 2:
                    assert target in cat.prohibitions, (v.id, target)


LIGHTER = """
release: 9
instrument: "174/2013/NĐ-CP"
entries:
  - id: "174/2013/NĐ-CP:64.9.a"
    field: electronic_information
    base_subject: organisation
    successor: "15/2020/NĐ-CP:99.9.a"
    versions:
      - version: 1
        act_vi: "Hành vi thử"
        fine_min: 20000000
        fine_max: 30000000
        status: P
        source: "test"
  - id: "174/2013/NĐ-CP:64.9.b"
    field: electronic_information
    base_subject: organisation
    successor: "15/2020/NĐ-CP:99.9.b"
    versions:
      - version: 1
        act_vi: "Hành vi thử nặng hơn sau"
        fine_min: 10000000
        fine_max: 20000000
        status: P
        source: "test"
"""
LATER = """
release: 9
instrument: "15/2020/NĐ-CP"
entries:
  - id: "15/2020/NĐ-CP:99.9.a"
    field: electronic_information
    base_subject: organisation
    versions:
      - version: 1
        act_vi: "Hành vi thử (văn bản mới, nhẹ hơn)"
        fine_min: 10000000
        fine_max: 20000000
        status: P
        source: "test"
  - id: "15/2020/NĐ-CP:99.9.b"
    field: electronic_information
    base_subject: organisation
    versions:
      - version: 1
        act_vi: "Hành vi thử (văn bản mới, nặng hơn)"
        fine_min: 20000000
        fine_max: 30000000
        status: P
        source: "test"
"""


def test_a_later_lighter_text_applies_a_heavier_one_does_not(tmp_path):
    (tmp_path / "instruments.yaml").write_text(
        (catalogue.DATA_DIR / "instruments.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "a.yaml").write_text(textwrap.dedent(LIGHTER), encoding="utf-8")
    (tmp_path / "b.yaml").write_text(textwrap.dedent(LATER), encoding="utf-8")
    cat = catalogue.load(tmp_path)
    committed, decided = date(2020, 2, 1), date(2020, 5, 4)
    applied = cat.applicable("174/2013/NĐ-CP:64.9.a", committed, decided)
    assert applied.version.id == "15/2020/NĐ-CP:99.9.a" and applied.lighter_later
    assert "khoản 4 Điều 156" in applied.reason
    p = propose_fine("174/2013/NĐ-CP:64.9.a", ORG, committed, decided_on=decided, catalogue=cat)
    assert p.amount == 15_000_000 and "nhẹ hơn" in p.basis
    # decided while the old text was still in force: the old text
    assert cat.applicable("174/2013/NĐ-CP:64.9.a", committed, date(2020, 4, 14)).version.id == (
        "174/2013/NĐ-CP:64.9.a")
    # a heavier later text never applies to an earlier violation
    assert cat.applicable("174/2013/NĐ-CP:64.9.b", committed, decided).version.id == (
        "174/2013/NĐ-CP:64.9.b")
    assert propose_fine("174/2013/NĐ-CP:64.9.b", ORG, committed, decided_on=decided,
                        catalogue=cat).amount == 15_000_000


def test_bad_data_is_refused_naming_the_entry(tmp_path):
    (tmp_path / "instruments.yaml").write_text(
        (catalogue.DATA_DIR / "instruments.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    bad = LIGHTER.replace("fine_min: 20000000", "fine_min: 40000000")
    (tmp_path / "a.yaml").write_text(textwrap.dedent(bad), encoding="utf-8")
    with pytest.raises(CatalogueError, match="64.9.a version 1: the range"):
        catalogue.load(tmp_path)


def test_stepped_rule_dates():
    one = "15/2020/NĐ-CP:99.3.a"
    on = date(2021, 6, 1)
    # two mitigating: the minimum only from 01/01/2022 (Decree 118/2021 Art. 9)
    assert propose_fine(one, ORG, on, 2, decided_on=date(2021, 12, 31)).low == 20_000_000
    assert propose_fine(one, ORG, on, 2, decided_on=date(2021, 12, 31)).high == 25_000_000
    assert propose_fine(one, ORG, on, 2, decided_on=date(2022, 1, 1)).high == 20_000_000
    # one mitigating: strictly inside only from 02/05/2025 (Decree 68/2025)
    assert not propose_fine(one, ORG, on, 1, decided_on=date(2025, 5, 1)).exclusive
    assert propose_fine(one, ORG, on, 1, decided_on=date(2025, 5, 2)).exclusive


def test_unknown_id_or_range_is_a_fine_error():
    with pytest.raises(FineError, match="Không có điều khoản"):
        propose_fine("15/2020/NĐ-CP:999.9", ORG, date(2021, 1, 1))
    with pytest.raises(FineError, match="không có hiệu lực"):
        propose_fine("174/2013/NĐ-CP:63.3", ORG, date(2021, 1, 1))
