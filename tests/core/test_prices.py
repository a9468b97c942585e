"""Prices by the manual: tax by acceptance date, discounts, lump sums (端数調整)."""

from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given, strategies as st

from kiosk.ledger.fiscal import fiscal_year
from kiosk.ledger.prices import PriceError, apply_discount, split_lump_sum, tax_included, tax_rate_on


@pytest.mark.parametrize(
    "day, rate",
    [
        (date(1989, 3, 31), 0),
        (date(1989, 4, 1), 3),
        (date(1997, 3, 31), 3),
        (date(1997, 4, 1), 5),
        (date(2014, 3, 31), 5),
        (date(2014, 4, 1), 8),
        (date(2019, 9, 30), 8),
        (date(2019, 10, 1), 10),
        (date(2026, 11, 22), 10),
    ],
)
def test_tax_rate_changes_on_the_days_the_law_did(day, rate):
    assert tax_rate_on(day) == rate


def test_manual_example_1300_yen_at_5_percent_is_1365():
    assert tax_included(1300, date(2005, 6, 1)) == 1365


def test_rate_follows_the_acceptance_date():
    assert tax_included(1200, date(2019, 9, 30)) == 1296
    assert tax_included(1200, date(2019, 10, 1)) == 1320


@pytest.mark.parametrize(
    "list_price, rounding, expected",
    [
        (990, "floor", 1069),  # 990 × 1.08 = 1069.2
        (990, "half_up", 1069),
        (990, "ceil", 1070),
        (1007, "floor", 1087),  # 1007 × 1.08 = 1087.56
        (1007, "half_up", 1088),
        (1007, "ceil", 1088),
        (1000, "ceil", 1080),  # exact: no rounding either way
    ],
)
def test_rounding_mode_setting(list_price, rounding, expected):
    assert tax_included(list_price, date(2015, 1, 1), rounding) == expected


def test_unknown_rounding_mode_is_refused():
    with pytest.raises(PriceError):
        tax_included(100, date(2020, 1, 1), "bankers")


def test_manual_discount_example():
    assert apply_discount(1365, 88) == 1277


def test_discount_larger_than_price_is_refused():
    with pytest.raises(PriceError) as caught:
        apply_discount(100, 101)
    assert "値引き" in caught.value.ja


@pytest.mark.parametrize("bad", [-1, 1.5, "100", True])
def test_prices_must_be_whole_non_negative_yen(bad):
    with pytest.raises(PriceError):
        tax_included(bad, date(2020, 1, 1))


def test_lump_sum_split_by_list_price_with_remainder_on_last_copy_only():
    shares = split_lump_sum(1000, [100, 100, 100])
    assert [s.price for s in shares] == [333, 333, 334]
    assert [s.rounding_adjusted for s in shares] == [False, False, True]


def test_lump_sum_with_no_remainder_marks_nothing():
    shares = split_lump_sum(3300, [1000, 2000])
    assert [s.price for s in shares] == [1100, 2200]
    assert not any(s.rounding_adjusted for s in shares)


def test_lump_sum_splits_evenly_when_a_list_price_is_unknown():
    shares = split_lump_sum(1001, [500, None])
    assert [s.price for s in shares] == [500, 501]
    assert shares[-1].rounding_adjusted


def test_lump_sum_needs_copies():
    with pytest.raises(PriceError):
        split_lump_sum(100, [])


@given(
    total=st.integers(min_value=0, max_value=10_000_000),
    list_prices=st.lists(st.one_of(st.none(), st.integers(min_value=0, max_value=100_000)), min_size=1, max_size=60),
)
def test_lump_sum_invariants(total, list_prices):
    shares = split_lump_sum(total, list_prices)
    prices = [s.price for s in shares]
    assert sum(prices) == total
    assert all(p >= 0 for p in prices)
    assert not any(s.rounding_adjusted for s in shares[:-1])
    weights = list_prices if None not in list_prices and sum(list_prices) else [1] * len(list_prices)
    for price, weight in zip(prices[:-1], weights[:-1]):
        exact = Fraction(total * weight, sum(weights))
        assert exact - 1 < price <= exact
    last_exact = Fraction(total * weights[-1], sum(weights))
    assert shares[-1].rounding_adjusted == (prices[-1] != last_exact)
    assert 0 <= prices[-1] - last_exact < len(prices)


@given(st.integers(min_value=0, max_value=10_000_000), st.dates(min_value=date(1989, 4, 1)))
def test_tax_included_is_never_below_list_price_and_within_the_rate(list_price, day):
    price = tax_included(list_price, day)
    assert list_price <= price <= list_price * (100 + tax_rate_on(day)) / 100


@pytest.mark.parametrize(
    "day, year", [(date(2026, 3, 31), 2025), (date(2026, 4, 1), 2026), (date(2026, 12, 31), 2026), (date(2027, 1, 1), 2026)]
)
def test_fiscal_year_starts_on_april_first(day, year):
    assert fiscal_year(day) == year
