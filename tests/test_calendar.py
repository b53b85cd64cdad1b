from calendar import monthrange
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXTURES
from portal.calendar.events import COMMEMORATION, DEADLINE, PHASE, RunningPhase, calendar_events, calendar_years
from portal.calendar.months import month_views
from portal.content.models import CalendarConfig, Phase
from portal.content.validate import validate_content
from portal.derive.index import derive
from portal.load.files import load_content


def _site():
    site, diagnostics = validate_content(load_content(FIXTURES / "mini"))
    assert site is not None, diagnostics
    return site


def test_window_is_configurable():
    assert list(calendar_years(date(2025, 1, 15), CalendarConfig())) == [2024, 2025, 2026, 2027, 2028, 2029, 2030]
    assert list(calendar_years(date(2025, 1, 15), CalendarConfig(years_before=0, years_after=1))) == [2025, 2026]


def test_events_are_all_day_with_exclusive_end_and_stable_keys():
    events = calendar_events(_site(), range(2024, 2026))
    by_key = {e.key: e for e in events}
    phase = by_key["giai-doan/ke-hoach-tinh/giai-doan-1"]
    assert (phase.kind, phase.start, phase.end, phase.last_day) == (PHASE, date(2024, 3, 5), date(2025, 1, 1),
                                                                    date(2024, 12, 31))
    assert phase.summary == "Giai đoạn: Giai đoạn 1 (Kế hoạch 10-KH/TU)"
    open_phase = by_key["giai-doan/ke-hoach-tinh/giai-doan-2"]
    assert (open_phase.start, open_phase.end, open_phase.summary) == (
        date(2025, 1, 1), date(2025, 1, 2), "Bắt đầu giai đoạn: Giai đoạn 2 (Kế hoạch 10-KH/TU)")
    deadline = by_key["han/ke-hoach-tinh/0"]
    assert (deadline.kind, deadline.start, deadline.units) == (DEADLINE, date(2024, 4, 30), ("huyen-uy",))
    party = by_key["ky-niem/thanh-lap-dang/2025"]
    assert party.kind == COMMEMORATION and party.summary.startswith("Kỷ niệm 95 năm")
    assert party.short_summary == "95 năm Ngày thành lập Đảng Cộng sản Việt Nam"
    # Related documents: those of the twelve months before the occurrence (the plan is of 05/03/2024).
    assert "Văn bản liên quan: Kế hoạch số 10-KH/TU" in party.description
    assert "Văn bản liên quan" not in by_key["ky-niem/thanh-lap-dang/2024"].description
    assert [e.start for e in events] == sorted(e.start for e in events)


def test_month_view_starts_on_monday_and_marks_today_and_lunar_months():
    site = _site()
    events = calendar_events(site, range(2025, 2026))
    january, february = month_views(2025, events, derive(site, date(2025, 1, 15)).phases, date(2025, 1, 15))[:2]
    assert january.weeks[0][0] is None and january.weeks[0][2].day == date(2025, 1, 1)  # 1/1/2025 is a Wednesday
    today = [cell for week in january.weeks for cell in week if cell and cell.is_today]
    assert [c.day for c in today] == [date(2025, 1, 15)]
    tet = next(cell for week in january.weeks for cell in week if cell and cell.day == date(2025, 1, 29))
    assert tet.lunar_label == "1/1"
    assert [c.day for c in february.busy_days] == [date(2025, 2, 3)]
    assert [p.phase.name for p in january.phases] == ["Giai đoạn 2"]


_DAYS = st.none() | st.dates(date(2023, 1, 1), date(2027, 12, 31))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_DAYS, _DAYS, _DAYS, _DAYS), max_size=12), st.integers(2024, 2026))
def test_a_month_lists_the_phases_that_overlap_it_in_their_order(bounds, year):
    """month_views places each phase by its bounds once: the same as asking `overlaps` of every month."""
    phases = []
    for number, (start, end, not_before, until) in enumerate(bounds):
        if start and end and end < start:
            start, end = end, start
        phases.append(RunningPhase(f"d{number}", Phase(name=f"Giai đoạn {number}", start=start, end=end),
                                   not_before, until))
    for view in month_views(year, (), tuple(phases), date(year, 1, 1)):
        first, last = date(year, view.month, 1), date(year, view.month, monthrange(year, view.month)[1])
        assert view.phases == tuple(phase for phase in phases if phase.overlaps(first, last))


def test_an_event_files_each_topic_and_unit_once():
    from portal.calendar.events import CalendarEvent

    event = CalendarEvent("k", "phase", date(2025, 1, 1), date(2025, 1, 2), "s", "d", "p",
                          topics=("a", "b", "a"), units=("x", "x"))
    assert (event.topics, event.units) == (("a", "b"), ("x",))
    assert event == CalendarEvent("k", "phase", date(2025, 1, 1), date(2025, 1, 2), "s", "d", "p",
                                  topics=("a", "b"), units=("x",))


def test_the_2054_calendar_page_shows_lunar_30_3_beside_dien_bien_phu_s_100th(tmp_path):
    """The month-start search's old bug printed lunar day 0 on 2054-05-07 (issue 14)."""
    import re

    from conftest import SAMPLE_CONTENT, build_into

    out = tmp_path / "site"
    build_into(SAMPLE_CONTENT, out, today=date(2054, 3, 1))
    page = (out / "lich" / "2054" / "index.html").read_text(encoding="utf-8")
    cell = re.search(r'<td data-day="2054-05-07".*?</td>', page, re.S).group(0)
    assert '<span class="lunar">30</span>' in cell and "100 năm Ngày Chiến thắng Điện Biên Phủ" in cell
    assert '<span class="lunar">1/4</span>' in re.search(r'<td data-day="2054-05-08".*?</td>', page, re.S).group(0)
    assert '<span class="lunar">0' not in page
