"""Editors are warned, at the line, about commemoration days that some years lack, and told the
rule the calendar applies (29/02 -> 28/02; a lunar 30 -> the 29th of a 29-day month)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from conftest import SAMPLE_CONTENT
from portal.calendar.anniversaries import irregular_date, occurrences
from portal.calendar.lunar import lunar_month_length
from portal.content.models import Commemoration
from portal.pipeline import BuildOptions, check_content

LEAP_DAY = Commemoration(id="ngay-nhuan", name="Ngày thử 29 tháng Hai", date="29/02", year=2000)
LUNAR_30 = Commemoration(id="ba-muoi-thang-chap", name="Ngày thử 30 tháng Chạp", date="30/12", calendar="lunar")


def _check_with(tmp_path: Path, entry: str):
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    with (content / "commemorations.yaml").open("a", encoding="utf-8") as listing:
        listing.write("\n" + entry)
    _, diagnostics = check_content(BuildOptions(content=content, out=tmp_path / "site", today=date(2025, 1, 15)))
    lines = (content / "commemorations.yaml").read_text(encoding="utf-8").split("\n")
    return diagnostics, lines


def test_the_rules_the_calendar_applies():
    days = [o.day for o in occurrences(LEAP_DAY, date(2027, 1, 1), date(2028, 12, 31))]
    assert days == [date(2027, 2, 28), date(2028, 2, 29)]
    found = occurrences(LUNAR_30, date(2024, 1, 1), date(2030, 12, 31))
    for occurrence in found:
        assert occurrence.lunar.day == lunar_month_length(occurrence.lunar.year, 12)
    assert {o.lunar.day for o in found} == {29, 30}  # both kinds of year occur in the window


def test_no_warning_for_days_every_year_has():
    plain = Commemoration(id="x", name="Ngày thử", date="29/12", calendar="lunar")
    assert irregular_date(plain, range(2024, 2031)) is None
    assert irregular_date(Commemoration(id="y", name="Ngày thử", date="28/02"), range(2024, 2031)) is None


def test_check_warns_at_the_date_line_and_states_the_rule(tmp_path):
    diagnostics, lines = _check_with(tmp_path, "- id: ngay-nhuan\n  name: Ngày thử 29 tháng Hai\n  date: \"29/02\"\n"
                                               "  year: 2000\n  topics: [ky-niem-ngay-le-lon]\n"
                                               "- id: ba-muoi-thang-chap\n  name: Ngày thử 30 tháng Chạp\n"
                                               "  date: \"30/12\"\n  calendar: lunar\n"
                                               "  topics: [ky-niem-ngay-le-lon]\n")
    warnings = [d for d in diagnostics if d.code == "date-not-every-year"]
    assert len(warnings) == 2 and not any(d.is_error for d in diagnostics)
    leap, lunar = sorted(warnings, key=lambda d: d.line)
    assert lines[leap.line - 1] == '  date: "29/02"' and "28/02" in leap.hint
    assert lines[lunar.line - 1] == '  date: "30/12"' and "ngày 29" in lunar.hint
    short = [year for year in range(2024, 2031) if lunar_month_length(year, 12) == 29]
    assert all(str(year) in lunar.message for year in short)


def test_a_leap_field_is_explained(tmp_path):
    diagnostics, lines = _check_with(tmp_path, "- id: ram-thang-nhuan\n  name: Ngày thử\n  date: \"15/06\"\n"
                                               "  calendar: lunar\n  leap: true\n")
    (problem,) = [d for d in diagnostics if d.code == "extra-forbidden"]
    assert lines[problem.line - 1] == "  leap: true"
    assert "tháng thường" in problem.hint and "tháng nhuận" in problem.hint
