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
