"""Commemoration occurrences and their anniversary numbers.

A commemoration recurs every year on its solar day and month, or on its lunar day and month in the
Vietnamese calendar (always in the regular month, never the leap month). The anniversary number is
the count of years since the origin year. Nghị định 145/2013/NĐ-CP, Điều 3 names the round
anniversaries: "năm tròn" (a multiple of 10) and "năm chẵn" (a multiple of 5 that is not one of 10).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from portal.calendar.lunar import LunarDate, lunar_month_length, lunar_to_solar
from portal.content.dates import numeric_date
from portal.content.models import Commemoration


@dataclass(frozen=True, order=True)
class Occurrence:
    day: date
    commemoration_id: str
    name: str
    origin: date | None  # the first event, when its year is known
    years: int | None  # anniversary number ("95" năm), None without an origin year
    lunar: LunarDate | None

    @property
    def milestone(self) -> str | None:
        """"tròn" (10, 20 … năm) or "chẵn" (5, 15 … năm); None otherwise."""
        if not self.years:
            return None
        if self.years % 10 == 0:
            return "tròn"
        if self.years % 5 == 0:
            return "chẵn"
        return None

    @property
    def title(self) -> str:
        """"95 năm Ngày thành lập Đảng Cộng sản Việt Nam (03/02/1930 – 03/02/2025)"."""
        if self.years and self.origin:
            return f"{self.years} năm {self.name} ({numeric_date(self.origin)} – {numeric_date(self.day)})"
        if self.years and self.lunar:
            return f"{self.years} năm {self.name} ({self.lunar.describe()})"
        if self.lunar:
            return f"{self.name} ({self.lunar.describe()})"
        return self.name


def _solar_day(commemoration: Commemoration, year: int) -> date:
    day, month = commemoration.day_month
    try:
        return date(year, month, day)
    except ValueError:  # 29/02 outside leap years: observed on 28/02
        return date(year, month, day - 1)


def _lunar_day(commemoration: Commemoration, lunar_year: int) -> tuple[date, LunarDate]:
    day, month = commemoration.day_month
    # A day 30 falls on the month's last day in years when that month has only 29 days.
    day = min(day, lunar_month_length(lunar_year, month))
    solar = lunar_to_solar(lunar_year, month, day)
    assert solar is not None  # regular months always exist
    return solar, LunarDate(lunar_year, month, day)


def origin_date(commemoration: Commemoration) -> date | None:
    if commemoration.year is None or commemoration.calendar == "lunar":
        return None
    return _solar_day(commemoration, commemoration.year)


def occurrences(commemoration: Commemoration, start: date, end: date) -> list[Occurrence]:
    """All occurrences with start <= day <= end (inclusive)."""
    found = []
    # A lunar year starts in late January or February: scan one year early to catch its tail.
    for year in range(start.year - 1, end.year + 1):
        lunar = None
        if commemoration.calendar == "lunar":
            day, lunar = _lunar_day(commemoration, year)
        else:
            day = _solar_day(commemoration, year)
        if day is None or not start <= day <= end:
            continue
        years = None
        if commemoration.year is not None:
            years = (lunar.year if lunar else day.year) - commemoration.year
            if years < 0:
                continue  # before the event happened
        found.append(Occurrence(day, commemoration.id, commemoration.name, origin_date(commemoration),
                                years or None, lunar))
    return found


def upcoming(commemorations: tuple[Commemoration, ...], start: date, days: int) -> list[Occurrence]:
    end = start + timedelta(days=days)
    return sorted(o for c in commemorations for o in occurrences(c, start, end))


def next_occurrence(commemoration: Commemoration, today: date) -> Occurrence | None:
    found = occurrences(commemoration, today, today + timedelta(days=400))
    return found[0] if found else None
