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
    assert occurrence.decree_note == \
        "Kỷ niệm năm lẻ 5 theo Nghị định 145/2013/NĐ-CP, Điều 3; nghi lễ năm lẻ 5 theo Điều 6 khoản 1."
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
    """Điều 3 khoản 1: Giỗ Tổ's năm tròn, năm lẻ 5, năm khác go by the solar year; Điều 7: the
    province of Phú Thọ organises it (khoản 1) except in a năm tròn, national (khoản 2)."""
    found = occurrences(HUNG_KINGS, date(2024, 1, 1), date(2031, 12, 31))
    assert [(o.day.year, o.hung_kings_year) for o in found] == [
        (2024, "khác"), (2025, "lẻ 5"), (2026, "khác"), (2027, "khác"), (2028, "khác"), (2029, "khác"),
        (2030, "tròn"), (2031, "khác")]
    assert [o.day.year for o in found if o.milestone == "tròn"] == [2030]
    by_year = {o.day.year: o for o in found}
    assert by_year[2030].organiser == "cấp quốc gia" and "Điều 7 khoản 2" in by_year[2030].decree_note
    assert by_year[2025].decree_note.startswith("Năm lẻ 5 theo Nghị định 145/2013/NĐ-CP, Điều 3 khoản 1")
    for year in (2024, 2025, 2026):  # an even year is not national: 2024 and 2026 are the province's
        assert by_year[year].organiser == "tỉnh Phú Thọ tổ chức"
        assert "tỉnh Phú Thọ tổ chức lễ dâng hương" in by_year[year].decree_note
        assert "Điều 7 khoản 1" in by_year[year].decree_note
    assert all("chẵn" not in o.decree_note for o in found)
    assert next_occurrence(PARTY, date(2025, 1, 1)).hung_kings_year is None


def test_hung_kings_round_year_is_announced_like_any_round_anniversary():
    from portal.calendar.anniversaries import round_anniversaries_ahead
    assert [o.day for o in round_anniversaries_ahead((HUNG_KINGS,), date(2030, 2, 1))] == [date(2030, 4, 12)]
    assert round_anniversaries_ahead((HUNG_KINGS,), date(2026, 2, 1)) == []


def test_a_statutory_day_names_the_article_that_sets_its_ceremonies():
    """Nghị định 145/2013/NĐ-CP, Điều 6: Ngày thành lập Đảng; khoản 1 năm lẻ 5, khoản 2 năm tròn."""
    assert next_occurrence(PARTY, date(2029, 6, 1)).decree_note == \
        "Kỷ niệm năm tròn theo Nghị định 145/2013/NĐ-CP, Điều 3; nghi lễ năm tròn theo Điều 6 khoản 2."
    liberation = LIBERATION.model_copy(update={"id": "giai-phong-mien-nam"})  # the national list's id
    assert next_occurrence(liberation, date(2024, 6, 1)).decree_note.endswith("theo Điều 8 khoản 2.")
    other = Commemoration(id="x", name="X", date="03/02", year=1930)  # not in Điều 4: no article
    assert next_occurrence(other, date(2029, 6, 1)).decree_note == \
        "Kỷ niệm năm tròn theo Nghị định 145/2013/NĐ-CP, Điều 3."
