"""The calendar module: academic years, quarters, `YYYY-Qn` periods and Russian date text."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import ValidationError

from core import calendar as cal

D = dt.date
TODAY = D(2026, 11, 27)  # academic year 2026/2027, so the last accepted one is 2027/2028


# --- Academic years --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "day, year",
    [
        (D(2021, 8, 31), 2020),
        (D(2021, 9, 1), 2021),
        (D(2021, 1, 1), 2020),
        (D(2020, 12, 31), 2020),
        (D(2024, 2, 29), 2023),
    ],
)
def test_academic_year_turns_on_first_september(day, year):
    assert cal.academic_year_of(day) == year


def test_academic_year_bounds_and_label():
    assert cal.academic_year_bounds(2020) == (D(2020, 9, 1), D(2021, 8, 31))
    assert cal.academic_year_label(2020) == "2020/2021"


def test_bounds_are_consistent_with_academic_year_of():
    for year in (2015, 2019, 2023):
        start, end = cal.academic_year_bounds(year)
        assert cal.academic_year_of(start) == cal.academic_year_of(end) == year
        assert cal.academic_year_of(start - dt.timedelta(days=1)) == year - 1
        assert cal.academic_year_of(end + dt.timedelta(days=1)) == year + 1


def test_accepted_academic_years_run_from_2015_to_next_year():
    years = cal.academic_years(TODAY)
    assert years[0] == 2015 and years[-1] == 2027
    assert cal.last_academic_year(D(2026, 8, 31)) == 2026
    assert cal.last_academic_year(D(2026, 9, 1)) == 2027


@pytest.mark.parametrize("text, year", [("2020/2021", 2020), (" 2015/2016 ", 2015), ("2027-2028", 2027)])
def test_parse_academic_year(text, year):
    assert cal.parse_academic_year(text, today=TODAY) == year


@pytest.mark.parametrize(
    "text, message",
    [
        ("2020", "Учебный год должен быть в формате 2020/2021, указано: «2020»."),
        ("", "Учебный год должен быть в формате 2020/2021, указано: «»."),
        ("2020/2022", "Учебный год «2020/2022»: второй год должен следовать за первым."),
        ("2014/2015", "Учебный год должен быть от 2015/2016 до 2027/2028, указано: 2014."),
        ("2028/2029", "Учебный год должен быть от 2015/2016 до 2027/2028, указано: 2028."),
        ("99999/100000", "Учебный год должен быть от 2015/2016 до 2027/2028, указано: 99999."),
    ],
)
def test_parse_academic_year_refuses_in_russian(text, message):
    with pytest.raises(ValidationError) as exc:
        cal.parse_academic_year(text, today=TODAY)
    assert exc.value.messages == [message]


def test_check_academic_year_shortens_a_huge_value():
    with pytest.raises(ValidationError) as exc:
        cal.check_academic_year(10**30, today=TODAY)
    assert "указано: 100000000000…" in exc.value.messages[0]


# --- Quarters --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "quarter, bounds",
    [
        ((2021, 1), (D(2021, 1, 1), D(2021, 3, 31))),
        ((2021, 2), (D(2021, 4, 1), D(2021, 6, 30))),
        ((2021, 3), (D(2021, 7, 1), D(2021, 9, 30))),
        ((2021, 4), (D(2021, 10, 1), D(2021, 12, 31))),
        ((2024, 1), (D(2024, 1, 1), D(2024, 3, 31))),
    ],
)
def test_quarter_bounds(quarter, bounds):
    assert cal.quarter_bounds(*quarter) == bounds
    assert cal.quarter_of(bounds[0]) == cal.quarter_of(bounds[1]) == quarter


def test_quarter_of_leap_day_and_neighbours():
    assert cal.quarter_of(D(2024, 2, 29)) == (2024, 1)
    assert cal.quarter_of(D(2021, 3, 31)) == (2021, 1)
    assert cal.quarter_of(D(2021, 4, 1)) == (2021, 2)
    assert cal.current_quarter(TODAY) == (2026, 4)


def test_previous_quarter_crosses_the_new_year():
    assert cal.previous_quarter(2021, 1) == (2020, 4)
    assert cal.previous_quarter(2021, 3) == (2021, 2)


def test_quarter_belongs_to_the_academic_year_of_its_last_day():
    assert cal.quarter_academic_year(2021, 1) == 2020
    assert cal.quarter_academic_year(2021, 2) == 2020
    assert cal.quarter_academic_year(2021, 3) == 2021  # ends on 30 September
    assert cal.quarter_academic_year(2021, 4) == 2021
    assert all(cal.quarter_academic_year(y, q) == 2020 for y, q in cal.academic_year_quarters(2020))
    assert cal.academic_year_quarters(2020) == [(2020, 3), (2020, 4), (2021, 1), (2021, 2)]


def test_quarters_within_an_academic_year():
    # 01.09.2020–31.08.2021: Q3 2020 starts in July and Q3 2021 ends in September, both partly outside.
    assert cal.quarters_within(D(2020, 9, 1), D(2021, 8, 31)) == [(2020, 4), (2021, 1), (2021, 2)]


def test_a_partly_overlapping_quarter_is_left_out():
    assert cal.quarters_within(D(2021, 1, 1), D(2021, 6, 29)) == [(2021, 1)]
    assert cal.quarters_within(D(2021, 1, 2), D(2021, 6, 30)) == [(2021, 2)]
    assert cal.quarters_within(D(2021, 1, 1), D(2021, 6, 30)) == [(2021, 1), (2021, 2)]
    assert cal.quarters_within(D(2021, 2, 1), D(2021, 3, 31)) == []


def test_quarters_within_a_leap_year_quarter():
    assert cal.quarters_within(D(2024, 1, 1), D(2024, 2, 29)) == []
    assert cal.quarters_within(D(2024, 1, 1), D(2024, 3, 31)) == [(2024, 1)]


def test_quarters_within_a_single_day_or_an_inverted_period():
    assert cal.quarters_within(D(2021, 5, 5), D(2021, 5, 5)) == []
    assert cal.quarters_within(D(2022, 1, 1), D(2021, 1, 1)) == []


# --- `YYYY-Qn` period strings ----------------------------------------------------------------------


def test_period_string_round_trip():
    for year, quarter in [(2015, 1), (2021, 4), (2028, 2)]:
        assert cal.parse_period(cal.period_string(year, quarter), today=TODAY) == (year, quarter)
    assert cal.period_string(2021, 3) == "2021-Q3"


@pytest.mark.parametrize(
    "text, message",
    [
        ("2026-Q9", "Квартал должен быть от 1 до 4."),
        ("2026-Q0", "Квартал должен быть от 1 до 4."),
        ("99999-Q1", "Год должен быть от 2015 до 2028, указано: 99999."),
        ("2014-Q4", "Год должен быть от 2015 до 2028, указано: 2014."),
        ("2029-Q1", "Год должен быть от 2015 до 2028, указано: 2029."),
        ("2021Q1", "Квартал должен быть в формате 2021-Q1, указано: «2021Q1»."),
        ("2021-q1", "Квартал должен быть в формате 2021-Q1, указано: «2021-q1»."),
        ("-2021-Q1", "Квартал должен быть в формате 2021-Q1, указано: «-2021-Q1»."),
        ("", "Квартал должен быть в формате 2021-Q1, указано: «»."),
        ("1" * 30 + "-Q1", "Квартал должен быть в формате 2021-Q1, указано: «" + "1" * 30 + "-Q1»."),
    ],
)
def test_parse_period_refuses_in_russian(text, message):
    with pytest.raises(ValidationError) as exc:
        cal.parse_period(text, today=TODAY)
    assert exc.value.messages == [message]


def test_parse_period_names_the_value():
    with pytest.raises(ValidationError) as exc:
        cal.parse_period("2021-Q5", what="начала периода", today=TODAY)
    assert exc.value.messages == ["Квартал начала периода должен быть от 1 до 4."]


def test_period_choices():
    assert cal.period_choices([(2021, 2), (2021, 1)]) == [
        ("2021-Q2", "2 квартал 2021 г."),
        ("2021-Q1", "1 квартал 2021 г."),
    ]


# --- Russian date text -----------------------------------------------------------------------------


def test_date_text():
    assert cal.date_text(D(2020, 12, 1)) == "01.12.2020"
    assert cal.date_text("2024-02-29") == "29.02.2024"
    assert cal.date_text(None) == ""
    assert cal.date_text(None, "—") == "—"
    assert cal.date_text(dt.datetime(2021, 9, 1, 23, 59)) == "01.09.2021"


def test_date_text_matches_strftime():
    for day in (D(2021, 1, 9), D(2021, 12, 31), D(2024, 2, 29)):
        assert cal.date_text(day) == day.strftime("%d.%m.%Y")


def test_datetime_text_is_in_the_portal_time_zone(settings):
    moment = dt.datetime(2021, 8, 31, 21, 5, tzinfo=zoneinfo.ZoneInfo("UTC"))
    assert settings.TIME_ZONE == "Europe/Moscow"
    assert cal.datetime_text(moment) == "01.09.2021 00:05"


def test_date_words():
    assert cal.date_words(D(2021, 7, 1)) == "01 июля 2021 года"
    assert cal.date_words("2020-12-15") == "15 декабря 2020 года"
    assert cal.date_words(None) == ""


def test_quarter_text():
    assert cal.quarter_text(2021, 2) == "2 квартал 2021 г."
