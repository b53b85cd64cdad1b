"""Commemoration occurrences and their anniversary numbers.

A commemoration recurs every year on its solar day and month, or on its lunar day and month in the
Vietnamese calendar (always in the regular month, never the leap month). The anniversary number is
the count of years since the origin year.

Nghị định 145/2013/NĐ-CP, Điều 3 khoản 1 names the anniversaries: "năm tròn" when the number ends
in 0, "năm lẻ 5" when it ends in 5, "năm khác" the rest (a 5 is never "năm chẵn"; the decree has no
"năm chẵn" at all). Giỗ Tổ Hùng Vương has no anniversary number: the same khoản ends "Riêng đối với
trường hợp tổ chức ngày Giỗ Tổ Hùng Vương, việc xác định năm tròn, năm lẻ 5 và năm khác được tính
theo năm dương lịch", so 2030 is its "năm tròn", 2025 its "năm lẻ 5", 2026 a "năm khác".

Điều 4 lists the eight ngày lễ lớn; Điều 5 (Tết) to Điều 11 (Cách mạng Tháng Tám and Quốc khánh) set
each one's ceremonies, khoản 1 for "năm lẻ 5, năm khác" and khoản 2 for "năm tròn". For Giỗ Tổ
(Điều 7) khoản 1 reads: the Tỉnh ủy, HĐND, UBND and Ủy ban MTTQ of Phú Thọ organise the incense
offering, the Chairman of the provincial People's Committee leads it; in a "năm tròn" (khoản 2) it
is organised at national level, as Chỉ thị 45-CT/TW (22/7/2010) of the Politburo fixes it: Giỗ Tổ
at national level once every ten years. (The parity rule this module had, even solar years
national and odd years provincial, is in neither the decree nor the earlier Đề án, whose "năm chẵn"
meant every tenth year: 2016, 2022 and 2024 were provincial, 2020 national.)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from portal.calendar.lunar import LunarDate, lunar_month_length, lunar_to_solar
from portal.content.dates import numeric_date
from portal.content.models import Commemoration

DECREE = "Nghị định 145/2013/NĐ-CP"
ROUND = "tròn"  # the number ends in 0
FIVE = "lẻ 5"  # the number ends in 5
OTHER = "khác"  # the rest (Điều 3 khoản 1 điểm c)
# Giỗ Tổ Hùng Vương is 10/3 in the lunar calendar by definition (Điều 4 khoản 3), so the decree's own
# rule follows that date rather than an id an editor may spell differently.
HUNG_KINGS_DAY_MONTH = (10, 3)
ROUND_NOTICE_DAYS = 90  # the home page announces a "năm tròn" this far ahead: time to plan for it
# Điều 7: who organises Giỗ Tổ Hùng Vương; khoản 1 "năm lẻ 5, năm khác", khoản 2 "năm tròn".
HUNG_KINGS_LEVEL = {
    ROUND: ("Giỗ Tổ tổ chức cấp quốc gia (Điều 7 khoản 2; Chỉ thị 45-CT/TW của Bộ Chính trị: cấp quốc gia "
            "10 năm một lần)"),
    FIVE: ("Tỉnh ủy, Hội đồng nhân dân, Ủy ban nhân dân, Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Phú Thọ tổ chức "
           "lễ dâng hương, Chủ tịch Ủy ban nhân dân tỉnh là Chủ lễ (Điều 7 khoản 1)"),
}
HUNG_KINGS_LEVEL[OTHER] = HUNG_KINGS_LEVEL[FIVE]
# The article of Nghị định 145/2013/NĐ-CP that sets each ngày lễ lớn's ceremonies (Điều 5–11, in
# the order of Điều 4), by the national list's ids; Giỗ Tổ (Điều 7) goes by its date.
DECREE_ARTICLES = {
    "tet-nguyen-dan": 5, "thanh-lap-dang": 6, "giai-phong-mien-nam": 8, "chien-thang-dien-bien-phu": 9,
    "ngay-sinh-ho-chi-minh": 10, "cach-mang-thang-tam": 11, "quoc-khanh": 11,
}


@dataclass(frozen=True, order=True)
class Occurrence:
    day: date
    commemoration_id: str
    name: str
    origin: date | None  # the first event, when its year is known
    years: int | None  # anniversary number ("95" năm), None without an origin year
    lunar: LunarDate | None
    hung_kings: bool = False  # Giỗ Tổ Hùng Vương: counted by the solar year (Điều 3 khoản 1)
    article: int | None = None  # the article of the decree that sets its ceremonies (Điều 5–11)

    @property
    def milestone(self) -> str | None:
        """"tròn" (10, 20 … năm) or "lẻ 5" (5, 15 … năm); None otherwise. Giỗ Tổ Hùng Vương by the
        last digit of the solar year (2030 "tròn", 2025 "lẻ 5")."""
        number = self.day.year if self.hung_kings else self.years
        if not number:
            return None
        if number % 10 == 0:
            return ROUND
        if number % 10 == 5:
            return FIVE
        return None

    @property
    def hung_kings_year(self) -> str | None:
        """For Giỗ Tổ Hùng Vương: "tròn", "lẻ 5" or "khác", by the solar year."""
        if not self.hung_kings:
            return None
        return self.milestone or OTHER

    @property
    def decree_note(self) -> str | None:
        """One sentence in the decree's words, for the feed and the pages; None when the decree
        says nothing of this occurrence."""
        if self.hung_kings_year:
            kind = self.hung_kings_year
            return (f"Năm {kind} theo {DECREE}, Điều 3 khoản 1 (Giỗ Tổ Hùng Vương tính theo năm dương lịch): "
                    f"{HUNG_KINGS_LEVEL[kind]}.")
        if self.milestone:
            rite = ""
            if self.article:
                khoan = 2 if self.milestone == ROUND else 1
                rite = f"; nghi lễ năm {self.milestone} theo Điều {self.article} khoản {khoan}"
            return f"Kỷ niệm năm {self.milestone} theo {DECREE}, Điều 3{rite}."
        return None

    @property
    def organiser(self) -> str | None:
        """For Giỗ Tổ Hùng Vương, the level in a few words (Điều 7), for badges."""
        if not self.hung_kings:
            return None
        return "cấp quốc gia" if self.milestone == ROUND else "tỉnh Phú Thọ tổ chức"

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


def is_hung_kings_day(commemoration: Commemoration) -> bool:
    return commemoration.calendar == "lunar" and commemoration.day_month == HUNG_KINGS_DAY_MONTH


def irregular_date(commemoration: Commemoration, years: range) -> tuple[str, str] | None:
    """(what, the rule the portal applies) when the commemoration's day does not exist every year;
    `years`: those to name as examples (the calendar window)."""
    day, month = commemoration.day_month
    if commemoration.calendar == "solar" and (day, month) == (29, 2):
        return ("ngày 29/02 chỉ có trong năm nhuận", "những năm khác lịch ghi ngày kỷ niệm vào 28/02")
    if commemoration.calendar == "lunar" and day == 30:
        short = [str(year) for year in years if lunar_month_length(year, month) == 29]
        example = f" (trong lịch: năm {', '.join(short)} tháng này chỉ có 29 ngày)" if short else ""
        return (f"tháng {month} âm lịch có năm chỉ có 29 ngày, không có ngày 30{example}",
                "những năm đó lịch ghi ngày kỷ niệm vào ngày 29, ngày cuối tháng; ngày âm lịch luôn tính "
                "trong tháng thường, không trong tháng nhuận")
    return None


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
                                years or None, lunar, is_hung_kings_day(commemoration),
                                DECREE_ARTICLES.get(commemoration.id)))
    return found


def upcoming(commemorations: tuple[Commemoration, ...], start: date, days: int) -> list[Occurrence]:
    end = start + timedelta(days=days)
    return sorted(o for c in commemorations for o in occurrences(c, start, end))


def round_anniversaries_ahead(commemorations: tuple[Commemoration, ...], today: date,
                              days: int = ROUND_NOTICE_DAYS) -> list[Occurrence]:
    """The "năm tròn" anniversaries of the next `days` days, soonest first."""
    return [o for o in upcoming(commemorations, today, days) if o.milestone == ROUND]


def year_occurrence(commemoration: Commemoration, year: int) -> Occurrence | None:
    """The occurrence that falls in the solar year `year` (its number and the decree's term)."""
    found = occurrences(commemoration, date(year, 1, 1), date(year, 12, 31))
    return found[0] if found else None


def decree_term(occurrence: Occurrence) -> str:
    """The decree's name for this year's anniversary (Điều 3 khoản 1): "năm tròn", "năm lẻ 5" or
    "năm khác"; for Giỗ Tổ Hùng Vương the same terms, counted by the solar year."""
    if occurrence.milestone:
        return f"năm {occurrence.milestone}"
    if occurrence.hung_kings_year:
        return f"năm {occurrence.hung_kings_year}"
    return "năm khác"


def next_occurrence(commemoration: Commemoration, today: date) -> Occurrence | None:
    found = occurrences(commemoration, today, today + timedelta(days=400))
    return found[0] if found else None
