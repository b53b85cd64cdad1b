"""The Vietnamese lunar calendar, computed for UTC+7.

Hand-written because the Python lunar libraries on PyPI compute the Chinese calendar (UTC+8),
which differs from Vietnam's in some years (Tết 1985 and 2007 among them). This is Hồ Ngọc Đức's
published algorithm ("Thuật toán tính âm lịch", https://www.informatik.uni-leipzig.de/~duc/amlich/,
after Jean Meeus, Astronomical Algorithms, 1998), transcribed function by function with the same
names in snake_case. Julian day numbers come from Python's proleptic Gregorian ordinals.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

VIETNAM_TIMEZONE = 7.0
_ORDINAL_TO_JDN = 1721425  # date(1, 1, 1).toordinal() == 1 is JDN 1721426
_HEAVENLY_STEMS = ("Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ", "Canh", "Tân", "Nhâm", "Quý")
_EARTHLY_BRANCHES = ("Tý", "Sửu", "Dần", "Mão", "Thìn", "Tỵ", "Ngọ", "Mùi", "Thân", "Dậu", "Tuất", "Hợi")


@dataclass(frozen=True, order=True)
class LunarDate:
    year: int
    month: int
    day: int
    leap: bool = False

    @property
    def year_name(self) -> str:
        return can_chi_year(self.year)

    def short(self) -> str:
        """"10/3" (or "10/3 nhuận" in a leap month)."""
        return f"{self.day}/{self.month}" + (" nhuận" if self.leap else "")

    def describe(self) -> str:
        """"10/3 năm Ất Tỵ"."""
        return f"{self.short()} năm {self.year_name}"


def can_chi_year(year: int) -> str:
    """The sexagenary name of a lunar year: 2025 -> "Ất Tỵ"."""
    return f"{_HEAVENLY_STEMS[(year + 6) % 10]} {_EARTHLY_BRANCHES[(year + 8) % 12]}"


def _jdn(day: date) -> int:
    return day.toordinal() + _ORDINAL_TO_JDN


def _date_from_jdn(jdn: int) -> date:
    return date.fromordinal(jdn - _ORDINAL_TO_JDN)


def _new_moon(k: int) -> float:
    """Julian day of the k-th new moon after 1900-01-01 (Meeus, ch. 49, shortened)."""
    t = k / 1236.85
    t2 = t * t
    t3 = t2 * t
    dr = math.pi / 180
    jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3
    jd1 += 0.00033 * math.sin((166.56 + 132.87 * t - 0.009173 * t2) * dr)
    m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3
    mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3
    f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3
    c1 = (0.1734 - 0.000393 * t) * math.sin(m * dr) + 0.0021 * math.sin(2 * dr * m)
    c1 -= 0.4068 * math.sin(mpr * dr) - 0.0161 * math.sin(dr * 2 * mpr)
    c1 -= 0.0004 * math.sin(dr * 3 * mpr)
    c1 += 0.0104 * math.sin(dr * 2 * f) - 0.0051 * math.sin(dr * (m + mpr))
    c1 -= 0.0074 * math.sin(dr * (m - mpr)) - 0.0004 * math.sin(dr * (2 * f + m))
    c1 -= 0.0004 * math.sin(dr * (2 * f - m)) + 0.0006 * math.sin(dr * (2 * f + mpr))
    c1 += 0.0010 * math.sin(dr * (2 * f - mpr)) + 0.0005 * math.sin(dr * (2 * mpr + m))
    if t < -11:
        delta_t = 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
    else:
        delta_t = -0.000278 + 0.000265 * t + 0.000262 * t2
    return jd1 + c1 - delta_t


def _sun_longitude(jdn: float) -> float:
    """The sun's apparent longitude in radians at Julian day `jdn`."""
    t = (jdn - 2451545.0) / 36525
    t2 = t * t
    dr = math.pi / 180
    m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2
    l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2
    dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * math.sin(dr * m)
    dl += (0.019993 - 0.000101 * t) * math.sin(dr * 2 * m) + 0.000290 * math.sin(dr * 3 * m)
    longitude = (l0 + dl) * dr
    return longitude - math.pi * 2 * math.floor(longitude / (math.pi * 2))


def _new_moon_day(k: int, tz: float) -> int:
    return math.floor(_new_moon(k) + 0.5 + tz / 24)


def _sun_longitude_sector(day_number: int, tz: float) -> int:
    """Which of the 12 major solar terms (0..11) is in force at local midnight."""
    return math.floor(_sun_longitude(day_number - 0.5 - tz / 24) / math.pi * 6)


@lru_cache(maxsize=512)
def _lunar_month_11(year: int, tz: float) -> int:
    """Day number of the start of the 11th lunar month (the one holding the winter solstice)."""
    off = _jdn(date(year, 12, 31)) - 2415021
    k = math.floor(off / 29.530588853)
    new_moon = _new_moon_day(k, tz)
    if _sun_longitude_sector(new_moon, tz) >= 9:
        new_moon = _new_moon_day(k - 1, tz)
    return new_moon


@lru_cache(maxsize=512)
def _leap_month_offset(a11: int, tz: float) -> int:
    """In a 13-month year, the offset after month 11 of the first month without a major term."""
    k = math.floor((a11 - 2415021.076998695) / 29.530588853 + 0.5)
    i = 1
    arc = _sun_longitude_sector(_new_moon_day(k + i, tz), tz)
    while True:
        last = arc
        i += 1
        arc = _sun_longitude_sector(_new_moon_day(k + i, tz), tz)
        if arc == last or i >= 14:
            break
    return i - 1


@lru_cache(maxsize=8192)  # calendar pages ask for every day of several years, on every rebuild
def solar_to_lunar(day: date, tz: float = VIETNAM_TIMEZONE) -> LunarDate:
    day_number = _jdn(day)
    k = math.floor((day_number - 2415021.076998695) / 29.530588853)
    # The month holding the day starts on the latest new moon at or before it. The published code
    # tries only k+1 then k; when the k-th new moon falls just after local midnight (2054-05-08
    # 00:00, 2062-04-10 00:16 in UTC+7) neither is, and it printed lunar day 0. k-1 always is.
    month_start = next(start for start in (_new_moon_day(k + offset, tz) for offset in (1, 0, -1))
                       if start <= day_number)
    a11 = _lunar_month_11(day.year, tz)
    b11 = a11
    if a11 >= month_start:
        lunar_year = day.year
        a11 = _lunar_month_11(day.year - 1, tz)
    else:
        lunar_year = day.year + 1
        b11 = _lunar_month_11(day.year + 1, tz)
    lunar_day = day_number - month_start + 1
    diff = math.floor((month_start - a11) / 29)
    leap = False
    lunar_month = diff + 11
    if b11 - a11 > 365:
        leap_offset = _leap_month_offset(a11, tz)
        if diff >= leap_offset:
            lunar_month = diff + 10
            leap = diff == leap_offset
    if lunar_month > 12:
        lunar_month -= 12
    if lunar_month >= 11 and diff < 4:
        lunar_year -= 1
    return LunarDate(lunar_year, lunar_month, lunar_day, leap)


def lunar_to_solar(year: int, month: int, day: int, leap: bool = False,
                   tz: float = VIETNAM_TIMEZONE) -> date | None:
    """The solar date of a lunar date; None when that leap month does not exist that year.

    The day is not checked against the month's length: use `lunar_month_length` for that.
    """
    if month < 11:
        a11 = _lunar_month_11(year - 1, tz)
        b11 = _lunar_month_11(year, tz)
    else:
        a11 = _lunar_month_11(year, tz)
        b11 = _lunar_month_11(year + 1, tz)
    k = math.floor(0.5 + (a11 - 2415021.076998695) / 29.530588853)
    offset = month - 11
    if offset < 0:
        offset += 12
    if b11 - a11 > 365:
        leap_offset = _leap_month_offset(a11, tz)
        leap_month = leap_offset - 2
        if leap_month < 0:
            leap_month += 12
        if leap and month != leap_month:
            return None
        if leap or offset >= leap_offset:
            offset += 1
    elif leap:
        return None
    month_start = _new_moon_day(k + offset, tz)
    return _date_from_jdn(month_start + day - 1)


def lunar_month_length(year: int, month: int, leap: bool = False) -> int:
    """29 or 30: the days in that lunar month."""
    first = lunar_to_solar(year, month, 1, leap)
    if first is None:
        raise ValueError(f"no leap month {month} in lunar year {year}")
    return 29 if solar_to_lunar(date.fromordinal(first.toordinal() + 29)).day == 1 else 30


def leap_month_of(year: int) -> int | None:
    """The leap month of a lunar year, if it has one."""
    for month in range(1, 13):
        if lunar_to_solar(year, month, 1, leap=True) is not None:
            return month
    return None
