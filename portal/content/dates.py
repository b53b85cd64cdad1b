"""Parsing the dates editors write, and writing dates the way Vietnamese documents do.

Weekday and month names come from Babel (CLDR `vi`). The official numeric style of Nghị định
30/2020/NĐ-CP ("ngày 03 tháng 02 năm 2025" but "ngày 05 tháng 3 năm 2025") is a rule no locale
library knows, so it is written here.
"""

from __future__ import annotations

import re
from datetime import date

from babel.dates import format_date

# ASCII digits only: `\d` alone also takes Arabic-Indic or fullwidth digits, which `int` reads
# but no editor means (and which the JSON Schema and every other reader refuse).
_DMY = re.compile(r"\s*([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})\s*", re.ASCII)
_ISO = re.compile(r"\s*([0-9]{4})-([0-9]{2})-([0-9]{2})\s*", re.ASCII)
_DM = re.compile(r"\s*([0-9]{1,2})/([0-9]{1,2})\s*", re.ASCII)

DATE_HINT = "ghi ngày theo dạng DD/MM/YYYY (ví dụ 15/10/2024) hoặc YYYY-MM-DD"


class DateError(ValueError):
    """A date the editor wrote that is malformed or does not exist; the message is Vietnamese."""


def parse_date(value: object) -> date:
    """Accept DD/MM/YYYY (also D/M/YYYY) or YYYY-MM-DD; explain impossible dates such as 31/02."""
    if isinstance(value, date):
        return value
    text = str(value)
    if match := _DMY.fullmatch(text):
        day, month, year = (int(group) for group in match.groups())
    elif match := _ISO.fullmatch(text):
        year, month, day = (int(group) for group in match.groups())
    else:
        raise DateError(f"`{text}` không phải là ngày hợp lệ")
    return _checked_date(year, month, day, text)


def _checked_date(year: int, month: int, day: int, text: str, recurring: bool = False) -> date:
    if not 1 <= month <= 12:
        raise DateError(f"`{text}`: tháng {month} không tồn tại (tháng từ 1 đến 12)")
    try:
        return date(year, month, day)
    except ValueError:
        in_year = "" if recurring else f" năm {year}"
        raise DateError(f"`{text}`: tháng {month}{in_year} không có ngày {day}") from None


def parse_day_month(value: object, lunar: bool = False) -> tuple[int, int]:
    """A recurring "DD/MM" (the year does not matter): 29/02 is allowed; lunar months have 30 days."""
    text = str(value)
    match = _DM.fullmatch(text)
    if not match:
        raise DateError(f"`{text}` không phải là ngày/tháng dạng DD/MM")
    day, month = int(match.group(1)), int(match.group(2))
    if lunar:
        if not 1 <= month <= 12:
            raise DateError(f"`{text}`: tháng âm lịch {month} không tồn tại")
        if not 1 <= day <= 30:
            raise DateError(f"`{text}`: tháng âm lịch không có ngày {day}")
        return day, month
    _checked_date(2000, month, day, text, recurring=True)  # 2000 is a leap year, so 29/02 passes
    return day, month


def official_date(value: date) -> str:
    """"ngày 03 tháng 02 năm 2025": days below 10 and months 1 and 2 take a leading zero."""
    month = f"{value.month:02d}" if value.month <= 2 else str(value.month)
    return f"ngày {value.day:02d} tháng {month} năm {value.year}"


def numeric_date(value: date) -> str:
    """"03/02/2025": the short form used in lists and in anniversary spans."""
    return f"{value.day:02d}/{value.month:02d}/{value.year}"  # strftime is slower; list pages call this per item


def weekday_date(value: date) -> str:
    """"Thứ Hai, 03/02/2025" (weekday name from CLDR through Babel)."""
    return format_date(value, "EEEE, dd/MM/yyyy", locale="vi")

