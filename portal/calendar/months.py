"""Month views of a year: each day with its lunar date and single-day events, and the campaign
phases running in the month (what `/lich/<year>/` shows)."""

from __future__ import annotations

import calendar as stdlib_calendar
import functools
from dataclasses import dataclass
from datetime import date

from portal.calendar.events import PHASE, CalendarEvent, RunningPhase
from portal.calendar.lunar import LunarDate, solar_to_lunar

PHASES_LISTED_IN_FULL = 12


@dataclass(frozen=True)
class DayCell:
    day: date
    lunar: LunarDate
    events: tuple[CalendarEvent, ...]  # commemorations and deadlines that fall on this day
    is_today: bool

    @property
    def lunar_label(self) -> str:
        """Lunar day, with the month on the first day of a lunar month ("1/3", "1/6 nhuận")."""
        return self.lunar.short() if self.lunar.day == 1 else str(self.lunar.day)


@dataclass(frozen=True)
class MonthView:
    year: int
    month: int
    weeks: tuple[tuple[DayCell | None, ...], ...]  # Monday first; None pads outside the month
    phases: tuple[RunningPhase, ...]  # campaign phases running during the month

    @functools.cached_property  # asked twice a month by the year's page
    def notable_phases(self) -> tuple[RunningPhase, ...]:
        """All running phases when they are few; otherwise those that start or end this month
        (a portal with thousands of plans would list thousands of ongoing phases every month)."""
        if len(self.phases) <= PHASES_LISTED_IN_FULL:
            return self.phases
        return tuple(p for p in self.phases if _in_month(p.phase.start, self) or _in_month(p.phase.end, self))

    @property
    def busy_days(self) -> tuple[DayCell, ...]:
        """Days worth a line in the list view: those with events, and today."""
        return tuple(cell for week in self.weeks for cell in week if cell and (cell.events or cell.is_today))


def _in_month(day: date | None, view: MonthView) -> bool:
    return day is not None and (day.year, day.month) == (view.year, view.month)


def month_views(year: int, events: tuple[CalendarEvent, ...], phases: tuple[RunningPhase, ...],
                today: date) -> tuple[MonthView, ...]:
    """The twelve months of `year`: each day with its single-day events, and the phases running."""
    single_day: dict[date, list[CalendarEvent]] = {}
    for event in events:
        if event.kind != PHASE and event.start.year == year:
            single_day.setdefault(event.start, []).append(event)
    running: list[list[RunningPhase]] = [[] for _ in range(13)]  # by month, in the order given
    for phase in phases:
        for month in _months_running(phase, year):
            running[month].append(phase)
    views = []
    for month in range(1, 13):
        weeks = [tuple(DayCell(day, solar_to_lunar(day), tuple(single_day.get(day, ())), day == today)
                       if day.month == month else None for day in week)
                 for week in stdlib_calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)]
        views.append(MonthView(year, month, tuple(weeks), tuple(running[month])))
    return tuple(views)


def _months_running(phase: RunningPhase, year: int) -> range:
    """The months of `year` in which `phase` runs on some day: what `overlaps` says of each month,
    from the phase's bounds once instead of twelve calls a phase (a site's thousands of phases
    on each of its years' pages)."""
    start, end = phase.phase.bounds(phase.not_before, phase.until)
    first = 1 if start is None or start.year < year else start.month if start.year == year else 13
    last = 12 if end is None or end.year > year else end.month if end.year == year else 0
    return range(first, last + 1)
