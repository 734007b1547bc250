"""Golden table of proposed fines (docs/legal/fines.md#circumstances) and competence limits
(docs/legal/competence.md#limits)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from legal.catalogue import shipped
from legal.competence import CompetenceError, check_competence, max_fine
from legal.fines import FineError, check_fine, propose_fine

D2014 = date(2014, 12, 1)
D2023 = date(2023, 3, 1)
D2025 = date(2025, 6, 2)  # after Decree 68/2025/NĐ-CP (02/05/2025)


@pytest.mark.parametrize("clause,subject,on,mit,agg,amount,low,high,exclusive", [
    # Law 15/2012 Art. 23(4): the midpoint; an individual pays half (174/2013 Art. 2)
    ("174/2013/NĐ-CP:63.3", "organisation", D2014, 0, 0, 25_000_000, 25_000_000, 25_000_000,
     False),
    ("174/2013/NĐ-CP:63.3", "individual", D2014, 0, 0, 12_500_000, 12_500_000, 12_500_000,
     False),
    ("174/2013/NĐ-CP:64.3.a", "individual", D2014, 0, 0, 12_500_000, 12_500_000, 12_500_000,
     False),
    # before 2022: toward the minimum / maximum, anywhere in the half-range
    ("174/2013/NĐ-CP:63.3", "organisation", D2014, 1, 0, 22_500_000, 20_000_000, 25_000_000,
     False),
    ("174/2013/NĐ-CP:63.3", "organisation", D2014, 0, 2, 27_500_000, 25_000_000, 30_000_000,
     False),
    # 2022 – 01/05/2025 (Decree 118/2021 Art. 9): two or more → the minimum or maximum; one
    # → the half-range, bounds included, as before
    ("15/2020/NĐ-CP:99.3.a", "organisation", D2023, 1, 0, 22_500_000, 20_000_000, 25_000_000,
     False),
    ("15/2020/NĐ-CP:99.3.a", "organisation", D2023, 2, 0, 20_000_000, 20_000_000, 20_000_000,
     False),
    ("15/2020/NĐ-CP:99.3.a", "organisation", D2023, 0, 1, 27_500_000, 25_000_000, 30_000_000,
     False),
    ("15/2020/NĐ-CP:99.3.a", "organisation", D2023, 0, 3, 30_000_000, 30_000_000, 30_000_000,
     False),
    ("15/2020/NĐ-CP:99.3.a", "organisation", D2023, 1, 1, 25_000_000, 25_000_000, 25_000_000,
     False),  # one for one
    ("15/2020/NĐ-CP:99.3.a", "organisation", D2023, 3, 1, 20_000_000, 20_000_000, 20_000_000,
     False),  # net two mitigating
    # from 02/05/2025 (Decree 68/2025): one → strictly inside the half-range
    ("15/2020/NĐ-CP:99.3.a", "organisation", D2025, 1, 0, 22_500_000, 20_000_000, 25_000_000,
     True),
    ("15/2020/NĐ-CP:99.3.a", "organisation", D2025, 0, 1, 27_500_000, 25_000_000, 30_000_000,
     True),
    ("15/2020/NĐ-CP:101.1.a", "individual", D2023, 0, 0, 7_500_000, 7_500_000, 7_500_000,
     False),
    ("15/2020/NĐ-CP:101.1", "individual", D2023, 0, 0, 7_500_000, 7_500_000, 7_500_000,
     False),  # the clause-level id of release 1 still resolves
    ("119/2020/NĐ-CP:20.1.e", "organisation", date(2021, 7, 8), 0, 0, 15_000_000, 15_000_000,
     15_000_000, False),
])
def test_golden_fines(clause, subject, on, mit, agg, amount, low, high, exclusive):
    p = propose_fine(clause, subject, on, mit, agg)
    assert (p.amount, p.low, p.high, p.exclusive) == (amount, low, high, exclusive)
    assert p.allows(p.amount)


def test_other_amounts_only_within_what_the_rule_allows():
    p = propose_fine("15/2020/NĐ-CP:99.3.a", "organisation", D2025, mitigating=1)
    check_fine(p, 21_000_000)
    for bad in (20_000_000, 25_000_000, 26_000_000):
        with pytest.raises(FineError, match="trên 20.000.000 đồng và dưới 25.000.000 đồng"):
            check_fine(p, bad)
    p = propose_fine("174/2013/NĐ-CP:63.3", "organisation", D2014)
    with pytest.raises(FineError, match="mức phạt phải là 25.000.000 đồng"):
        check_fine(p, 24_000_000)


def test_unknown_range_asks_for_the_amount():
    with pytest.raises(FineError, match="chưa có trong danh mục"):
        propose_fine("174/2013/NĐ-CP:unplaced.not-removing-on-request", "organisation", D2014)


def test_the_basis_is_stated():
    p = propose_fine("174/2013/NĐ-CP:63.3", "organisation", D2014)
    assert "khoản 4 Điều 23" in p.basis and "20.000.000–30.000.000" in p.basis


ranged = [v for vs in shipped().entries.values() for v in vs if v.range_known]


@settings(max_examples=300, deadline=None)
@given(clause=st.sampled_from(ranged), subject=st.sampled_from(["organisation", "individual"]),
       on=st.dates(min_value=date(2014, 1, 15), max_value=date(2027, 12, 31)),
       mit=st.integers(0, 4), agg=st.integers(0, 4))
def test_a_proposal_is_always_allowed_and_inside_the_range(clause, subject, on, mit, agg):
    p = propose_fine(clause, subject, on, mit, agg)
    assert p.range.minimum <= p.amount <= p.range.maximum
    assert p.allows(p.amount)
    if mit == agg:
        assert p.amount == p.range.midpoint
    elif mit > agg:
        assert p.amount <= p.range.midpoint
    else:
        assert p.amount >= p.range.midpoint


def test_competence_limits():
    assert max_fine("chief_inspector", "individual", D2014) == 30_000_000
    assert max_fine("chief_inspector", "organisation", D2014) == 60_000_000
    assert max_fine("inspector_on_duty", "individual", D2014) == 500_000
    check_competence("chief_inspector", "organisation", D2014, 30_000_000)
    with pytest.raises(CompetenceError) as raised:
        check_competence("chief_inspector", "organisation", D2014, 75_000_000)
    assert raised.value.competent_title == "provincial_chairman"
    assert "Chủ tịch Ủy ban nhân dân cấp tỉnh" in str(raised.value)
    assert "60.000.000" in str(raised.value)
