from __future__ import annotations

from decimal import Decimal

from core.numbers import format_count_percent, format_decimal, format_number, format_percent, mean, percent


def test_percent_rounds_half_up_like_the_seed():
    assert format_percent(11, 17) == "64,71"
    assert format_percent(2, 16) == "12,50"
    assert format_percent(25, 37) == "67,57"
    assert format_percent(3, 8) == "37,50"


def test_half_up_not_bankers_rounding():
    # 1/8 = 12.5 exactly: half-up gives 13 at 0 places, banker's rounding would give 12.
    assert percent(1, 8, places=0) == Decimal(13)
    assert format_decimal(Decimal("0.125"), 2) == "0,13"


def test_count_percent_with_no_schools_does_not_divide_by_zero():
    assert format_count_percent(0, 0) == "0 (0,00%)"
    assert format_count_percent(13, 16) == "13 (81,25%)"
    assert format_percent(0, 0) == "—"


def test_precision_is_a_parameter():
    assert format_count_percent(13, 16, places=1) == "13 (81,3%)"


def test_scores_print_without_trailing_zeros():
    assert format_number(Decimal("3.50")) == "3,5"
    assert format_number(Decimal("51.00")) == "51"
    assert format_number(None) == "–"


def test_mean_rounds_half_up():
    # 3,40 + 3,41 = 6,81 / 2 = 3,405: half-up 3,41 (banker's rounding would print 3,40).
    assert mean([Decimal("3.40"), Decimal("3.41")]) == Decimal("3.41")
    assert mean([Decimal("3.58"), Decimal("3.4"), Decimal("3.33")]) == Decimal("3.44")
    assert mean([Decimal(50)], places=1) == Decimal("50.0")
    assert mean([]) is None
