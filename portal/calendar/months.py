"""Month views of a year: each day with its lunar date and single-day events, and the campaign
phases running in the month (what `/lich/<year>/` shows)."""

from __future__ import annotations

import calendar as stdlib_calendar
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

    @property
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
    views = []
    for month in range(1, 13):
        weeks = [tuple(DayCell(day, solar_to_lunar(day), tuple(single_day.get(day, ())), day == today)
                       if day.month == month else None for day in week)
                 for week in stdlib_calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)]
        first = date(year, month, 1)
        last = date(year, month, stdlib_calendar.monthrange(year, month)[1])
        running = tuple(phase for phase in phases if phase.overlaps(first, last))
        views.append(MonthView(year, month, tuple(weeks), running))
    return tuple(views)
