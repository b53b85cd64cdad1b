from datetime import date

import pytest

from portal.content.dates import DateError, numeric_date, official_date, parse_date, parse_day_month, weekday_date


@pytest.mark.parametrize("text, expected", [
    ("15/10/2024", date(2024, 10, 15)),
    ("5/3/2025", date(2025, 3, 5)),
    ("2025-03-05", date(2025, 3, 5)),
    (" 18/05/2021 ", date(2021, 5, 18)),
    ("29/02/2024", date(2024, 2, 29)),
])
def test_parse_date_accepts_editor_forms(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text, message", [
    ("31/02/2025", "tháng 2 năm 2025 không có ngày 31"),
    ("29/02/2025", "tháng 2 năm 2025 không có ngày 29"),
    ("01/13/2025", "tháng 13 không tồn tại"),
    ("2025/03/05", "không phải là ngày hợp lệ"),
    ("hôm qua", "không phải là ngày hợp lệ"),
])
def test_parse_date_explains_impossible_dates(text, message):
    with pytest.raises(DateError, match=message):
        parse_date(text)


def test_day_month_allows_29_february_but_not_31():
    assert parse_day_month("29/02") == (29, 2)
    assert parse_day_month("3/2") == (3, 2)
    with pytest.raises(DateError, match="tháng 2 không có ngày 31"):
        parse_day_month("31/02")


@pytest.mark.parametrize("day, expected", [
    (date(2025, 2, 3), "ngày 03 tháng 02 năm 2025"),
    (date(2025, 3, 5), "ngày 05 tháng 3 năm 2025"),
    (date(2024, 10, 15), "ngày 15 tháng 10 năm 2024"),
    (date(2024, 1, 31), "ngày 31 tháng 01 năm 2024"),
    (date(2024, 12, 9), "ngày 09 tháng 12 năm 2024"),
])
def test_official_date_follows_decree_30_2020(day, expected):
    assert official_date(day) == expected


def test_numeric_and_weekday_dates():
    assert numeric_date(date(1930, 2, 3)) == "03/02/1930"
    assert weekday_date(date(2025, 2, 3)) == "Thứ Hai, 03/02/2025"
    assert weekday_date(date(2025, 2, 9)) == "Chủ Nhật, 09/02/2025"
