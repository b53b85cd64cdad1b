"""The Vietnamese lunar calendar (UTC+7) against known dates, including where China's differs."""

import csv
from datetime import date, timedelta
from pathlib import Path

import pytest

from portal.calendar.lunar import (
    LunarDate,
    can_chi_year,
    leap_month_of,
    lunar_month_length,
    lunar_to_solar,
    solar_to_lunar,
)

with open(Path(__file__).parent / "data" / "lunar-dates.csv", encoding="utf-8") as vectors:
    VECTORS = list(csv.DictReader(vectors))


def test_reference_table_is_loaded():
    assert len(VECTORS) >= 100


@pytest.mark.parametrize("row", VECTORS, ids=lambda r: f"{r['kind']}-{r['lunar_year']}")
def test_reference_dates_both_ways(row):
    solar = date.fromisoformat(row["gregorian_date"])
    lunar = (int(row["lunar_year"]), int(row["lunar_month"]), int(row["lunar_day"]), row["leap"] == "1")
    assert lunar_to_solar(*lunar) == solar
    assert solar_to_lunar(solar) == LunarDate(*lunar)


# Years in which Vietnam's calendar (UTC+7) and China's (UTC+8) put Tết on different days.
# Sources: Hồ Ngọc Đức, "Âm lịch Việt Nam" (Tết 1985 = 21/01, China 20/02; Tết 2007 = 17/02, China 18/02;
# Tết 1969 = 16/02, China 17/02; Tết 2030 = 02/02, China 03/02).
@pytest.mark.parametrize("year, vietnam, china", [
    (1969, date(1969, 2, 16), date(1969, 2, 17)),
    (1985, date(1985, 1, 21), date(1985, 2, 20)),
    (2007, date(2007, 2, 17), date(2007, 2, 18)),
    (2030, date(2030, 2, 2), date(2030, 2, 3)),
])
def test_tet_where_vietnam_and_china_differ(year, vietnam, china):
    assert lunar_to_solar(year, 1, 1) == vietnam
    assert lunar_to_solar(year, 1, 1, tz=8.0) == china


@pytest.mark.parametrize("year, leap", [(2020, 4), (2023, 2), (2025, 6), (2028, 5), (2024, None), (2017, 6)])
def test_leap_months(year, leap):
    assert leap_month_of(year) == leap


def test_leap_month_is_distinct_from_the_regular_month():
    regular = lunar_to_solar(2025, 6, 1)
    leap = lunar_to_solar(2025, 6, 1, leap=True)
    assert regular == date(2025, 6, 25)
    assert leap == date(2025, 7, 25)
    assert solar_to_lunar(leap) == LunarDate(2025, 6, 1, True)
    assert lunar_to_solar(2024, 6, 1, leap=True) is None


def test_round_trip_every_day_2000_to_2031():
    day = date(2000, 1, 1)
    while day < date(2031, 1, 1):
        lunar = solar_to_lunar(day)
        assert lunar_to_solar(lunar.year, lunar.month, lunar.day, lunar.leap) == day
        day += timedelta(days=1)


def test_month_lengths_and_names():
    assert lunar_month_length(2025, 1) in (29, 30)
    assert {lunar_month_length(2025, m) for m in range(1, 13)} == {29, 30}
    assert can_chi_year(2025) == "Ất Tỵ"
    assert can_chi_year(2024) == "Giáp Thìn"
    assert can_chi_year(1930) == "Canh Ngọ"
    assert LunarDate(2025, 3, 10).describe() == "10/3 năm Ất Tỵ"


# The two days the published algorithm's month-start search got wrong (it printed lunar day 0):
# their new moons fall just after local midnight, 2054-05-08 00:00 and 2062-04-10 00:16 (UTC+7).
@pytest.mark.parametrize("solar, lunar", [
    (date(2054, 5, 7), LunarDate(2054, 3, 30)),
    (date(2054, 5, 8), LunarDate(2054, 4, 1)),
    (date(2062, 4, 9), LunarDate(2062, 2, 30)),
    (date(2062, 4, 10), LunarDate(2062, 3, 1)),
])
def test_days_just_before_a_new_moon_after_midnight(solar, lunar):
    assert solar_to_lunar(solar) == lunar


# vnlunar's table (Hồ Ngọc Đức's TK21 year codes) starts three lunar months one day earlier than
# the UTC+7 computation: their new moons come at 00:00:14 (2054-05-08), 23:58:28 (2072-12-09) and
# 23:59:34 (2077-11-15) UTC+7 by PyEphem, nearer to midnight than the uncertainty of ΔT decades
# ahead. No other day may differ.
_TABLE_MONTHS_AT_MIDNIGHT = {date(2054, 5, 7), date(2072, 12, 9), date(2077, 11, 15)}
# Before 1968 the table follows the calendar then issued in the North, computed for UTC+8.
_TABLE_FROM = date(1968, 1, 1)


def test_every_day_1900_to_2100_against_invariants_and_an_independent_implementation():
    """Walks 73,414 days: each follows its predecessor, months last 29 or 30 days, a lunar year
    has at most one leap month, and every day equals vnlunar's UTC+7 computation."""
    from vnlunar.core import convert_solar_to_lunar, get_lunar_date_from_table

    day, last = date(1900, 1, 1), date(2100, 12, 31)
    previous = solar_to_lunar(day - timedelta(days=1))
    leap_months: dict[int, set[int]] = {}
    disagreements: list[tuple[date, LunarDate, tuple[int, int, int, bool]]] = []
    table_months: set[date] = set()
    while day <= last:
        lunar = solar_to_lunar(day)
        assert 1 <= lunar.day <= 30, (day, lunar)
        if lunar.day == 1:
            assert previous.day in (29, 30), (day, previous)  # the length of the month just ended
            assert lunar_to_solar(lunar.year, lunar.month, 1, lunar.leap) == day
            if lunar.leap:
                leap_months.setdefault(lunar.year, set()).add(lunar.month)
                assert (lunar.year, lunar.month) == (previous.year, previous.month) and not previous.leap
            else:
                assert (lunar.year, lunar.month) == (
                    (previous.year, previous.month + 1) if previous.month < 12 else (previous.year + 1, 1))
        else:
            assert (lunar.year, lunar.month, lunar.leap, lunar.day) == (
                previous.year, previous.month, previous.leap, previous.day + 1), day
        other = convert_solar_to_lunar(day.day, day.month, day.year, 7.0)
        other_date = (other["year"], other["month"], other["day"], bool(other["leap"]))
        if other_date != (lunar.year, lunar.month, lunar.day, lunar.leap):
            disagreements.append((day, lunar, other_date))
        if day >= _TABLE_FROM:
            table = get_lunar_date_from_table(day.day, day.month, day.year)
            assert table is not None
            if (table["year"], table["month"], table["day"], bool(table["leap"])) != (
                    lunar.year, lunar.month, lunar.day, lunar.leap):
                table_months.add(day - timedelta(days=table["day"] - 1))
        previous = lunar
        day += timedelta(days=1)
    assert disagreements == []
    assert all(len(months) == 1 for months in leap_months.values()), leap_months
    assert table_months == _TABLE_MONTHS_AT_MIDNIGHT
