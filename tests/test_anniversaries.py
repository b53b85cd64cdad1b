from datetime import date

from portal.calendar.anniversaries import next_occurrence, occurrences, upcoming
from portal.content.models import Commemoration

PARTY = Commemoration(id="thanh-lap-dang", name="Ngày thành lập Đảng Cộng sản Việt Nam", date="03/02", year=1930)
HUNG_KINGS = Commemoration(id="gio-to", name="Giỗ Tổ Hùng Vương", date="10/03", calendar="lunar")
LIBERATION = Commemoration(id="giai-phong", name="Ngày Giải phóng miền Nam, thống nhất đất nước", date="30/04",
                           year=1975)


def test_anniversary_number_and_official_title():
    occurrence = next_occurrence(PARTY, date(2025, 1, 15))
    assert occurrence.day == date(2025, 2, 3)
    assert occurrence.years == 95
    assert occurrence.milestone == "lẻ 5"
    assert occurrence.decree_note == "Kỷ niệm năm lẻ 5 theo Nghị định 145/2013/NĐ-CP, Điều 3."
    assert occurrence.title == "95 năm Ngày thành lập Đảng Cộng sản Việt Nam (03/02/1930 – 03/02/2025)"


def test_round_anniversaries_are_marked():
    assert next_occurrence(LIBERATION, date(2025, 1, 1)).milestone == "tròn"  # 50 năm
    assert next_occurrence(LIBERATION, date(2026, 1, 1)).milestone is None  # 51 năm
    assert next_occurrence(PARTY, date(2030, 1, 1)).years == 100


def test_lunar_commemoration_falls_on_the_vietnamese_date():
    found = occurrences(HUNG_KINGS, date(2025, 1, 1), date(2027, 12, 31))
    assert [o.day for o in found] == [date(2025, 4, 7), date(2026, 4, 26), date(2027, 4, 16)]
    assert found[0].title == "Giỗ Tổ Hùng Vương (10/3 năm Ất Tỵ)"


def test_lunar_commemoration_never_uses_the_leap_month():
    # 2025 has a leap 6th month; a 15/6 commemoration falls in the regular one.
    mid_autumn_like = Commemoration(id="x", name="X", date="15/06", calendar="lunar")
    found = occurrences(mid_autumn_like, date(2025, 1, 1), date(2025, 12, 31))
    assert [o.day for o in found] == [date(2025, 7, 9)]
    assert not found[0].lunar.leap


def test_no_anniversary_before_the_event():
    assert occurrences(PARTY, date(1920, 1, 1), date(1930, 1, 1)) == []
    assert occurrences(PARTY, date(1930, 1, 1), date(1930, 12, 31))[0].years is None


def test_upcoming_window_is_sorted_and_inclusive():
    found = upcoming((LIBERATION, PARTY, HUNG_KINGS), date(2025, 2, 3), 90)
    assert [o.commemoration_id for o in found] == ["thanh-lap-dang", "gio-to", "giai-phong"]


def test_29_february_is_observed_on_28_february_in_common_years():
    leap_day = Commemoration(id="x", name="X", date="29/02", year=2000)
    assert [o.day for o in occurrences(leap_day, date(2025, 1, 1), date(2025, 12, 31))] == [date(2025, 2, 28)]


def test_decree_terms_by_last_digit():
    """Điều 3 khoản 1: 0 → "năm tròn", 5 → "năm lẻ 5", never "năm chẵn"; the rest unmarked."""
    by_years = {o.years: o.milestone for o in occurrences(PARTY, date(1931, 1, 1), date(2100, 12, 31))}
    assert {years for years, milestone in by_years.items() if milestone == "tròn"} == set(range(10, 171, 10))
    assert {years for years, milestone in by_years.items() if milestone == "lẻ 5"} == set(range(5, 171, 10))
    assert all(milestone is None for years, milestone in by_years.items() if years % 5)
    assert by_years[135] == "lẻ 5" and by_years[100] == "tròn"


def test_hung_kings_day_follows_its_own_rule_by_the_solar_year():
    found = occurrences(HUNG_KINGS, date(2024, 1, 1), date(2027, 12, 31))
    assert [(o.day.year, o.hung_kings_year) for o in found] == [
        (2024, "chẵn"), (2025, "lẻ"), (2026, "chẵn"), (2027, "lẻ")]
    assert all(o.milestone is None for o in found)
    assert "Bộ Văn hóa, Thể thao và Du lịch" in found[0].decree_note
    assert found[1].decree_note.startswith("Năm lẻ theo Nghị định 145/2013/NĐ-CP")
    assert next_occurrence(PARTY, date(2025, 1, 1)).hung_kings_year is None
