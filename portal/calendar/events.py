"""Derive the calendar: every dated event in the calendar window, and month views of a year.

Events are all-day: `start` inclusive, `end` exclusive (as iCalendar's DTEND). Their `key` is their
identity, made only of things an editor does not change by accident (ids, slugs, years, positions),
so that feeds keep the same UID for the same occurrence across builds and across `--today`.
Nothing here depends on `--today` except what is explicitly about today (upcoming, highlighting).
"""

from __future__ import annotations

import calendar as stdlib_calendar
import operator
from dataclasses import dataclass, field
from typing import Any
from datetime import date, timedelta

from portal.calendar.anniversaries import Occurrence, occurrences
from portal.content.dates import numeric_date, official_date
from portal.calendar.lunar import LunarDate, solar_to_lunar
from portal.content.models import CalendarConfig, Document, Phase, Site
from portal.urls import commemoration_path, document_path

COMMEMORATION, PHASE, DEADLINE = "commemoration", "phase", "deadline"
PHASES_LISTED_IN_FULL = 12
RELATED_TITLES_IN_EVENT = 5  # the event links to the commemoration's page, which lists them all
_KIND_ORDER = {COMMEMORATION: 0, PHASE: 1, DEADLINE: 2}
_SORT_KEY = operator.attrgetter("sort_key")


def astuple_shallow(item: Any) -> tuple:
    """The dataclass's own field values (not those derived from them), not copied
    (dataclasses.astuple copies them deeply)."""
    return tuple(getattr(item, name) for name, spec in item.__dataclass_fields__.items() if spec.init)


@dataclass(frozen=True)
class CalendarEvent:
    key: str
    kind: str
    start: date
    end: date  # exclusive
    summary: str
    description: str
    path: str  # the page it belongs to, under the base URL
    topics: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    occurrence: Occurrence | None = None
    slug: str = ""  # the document, for phases and deadlines
    sort_key: tuple = field(init=False, compare=False, repr=False)  # calendar order: day, kind, key

    def __post_init__(self) -> None:
        for name in ("topics", "units"):  # each once: an event is filed once under each
            values = getattr(self, name)
            if len(set(values)) != len(values):
                object.__setattr__(self, name, tuple(dict.fromkeys(values)))
        # Events are dictionary keys tens of thousands of times a build (feeds share rendered
        # events, the dev server reuses them): hash the eleven fields once, not at every lookup.
        object.__setattr__(self, "_hash", hash(astuple_shallow(self)))
        object.__setattr__(self, "sort_key", (self.start, _KIND_ORDER[self.kind], self.key))

    def __hash__(self) -> int:
        return self._hash  # type: ignore[attr-defined]

    def __reduce__(self) -> tuple:
        return (type(self), astuple_shallow(self))  # rebuilt, and so re-hashed, where it is unpickled


    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def short_summary(self) -> str:
        """For a calendar cell: "95 năm Ngày thành lập Đảng …" without the date span."""
        if self.occurrence and self.occurrence.years:
            return f"{self.occurrence.years} năm {self.occurrence.name}"
        if self.occurrence:
            return self.occurrence.name
        return self.summary

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    def overlaps(self, first: date, last: date) -> bool:
        return self.start <= last and self.end > first


def calendar_years(today: date, config: CalendarConfig) -> range:
    return range(today.year - config.years_before, today.year + config.years_after + 1)


def _document_label(document: Document) -> str:
    meta = document.meta
    number = f" số {meta.number}" if not meta.is_draft else ""
    return f"{meta.kind.label}{number}: {meta.display_title}"


def _short_label(document: Document) -> str:
    """"Kế hoạch 443-KH/TU", or for a document without a number the start of its title."""
    meta = document.meta
    if not meta.is_draft:
        return f"{meta.kind.label} {meta.number}"
    title = meta.display_title
    return f"{meta.kind.label} “{title[:40].rsplit(' ', 1)[0]}…”" if len(title) > 40 else f"{meta.kind.label} “{title}”"


def commemoration_summary(occurrence: Occurrence) -> str:
    """"Kỷ niệm 95 năm Ngày thành lập Đảng …" the way official guidance names an anniversary."""
    return f"Kỷ niệm {occurrence.title}" if occurrence.years else occurrence.title


def _commemoration_events(site: Site, years: range,
                          document_titles: dict[str, list[tuple[date, str]]]) -> list[CalendarEvent]:
    first, last = date(years.start, 1, 1), date(years.stop - 1, 12, 31)
    events = []
    for commemoration in site.commemorations:
        for occurrence in occurrences(commemoration, first, last):
            lines = [f"{occurrence.day:%d/%m/%Y}" + (f" (âm lịch {occurrence.lunar.describe()})" if occurrence.lunar else "")]
            if occurrence.milestone:
                lines.append(f"Kỷ niệm năm {occurrence.milestone} theo Nghị định 145/2013/NĐ-CP.")
            if commemoration.description:
                lines.append(commemoration.description)
            # The documents of the twelve months before this occurrence: a 2025 plan for the
            # 95th anniversary is not related to the 96th.
            titles = [label for day, label in document_titles.get(commemoration.id, [])
                      if occurrence.day - timedelta(days=366) <= day <= occurrence.day]
            if titles:
                shown = "; ".join(titles[:RELATED_TITLES_IN_EVENT])
                more = len(titles) - RELATED_TITLES_IN_EVENT
                lines.append("Văn bản liên quan: " + shown + (f"; và {more} văn bản khác" if more > 0 else ""))
            events.append(CalendarEvent(
                key=f"ky-niem/{commemoration.id}/{occurrence.day.year}",
                kind=COMMEMORATION,
                start=occurrence.day,
                end=occurrence.day + timedelta(days=1),
                summary=commemoration_summary(occurrence),
                description="\n".join(lines),
                path=commemoration_path(commemoration.id),
                topics=commemoration.topics,
                occurrence=occurrence,
            ))
    return events


def _phase_dates(phase: Phase) -> tuple[date, date, str] | None:
    """(start, exclusive end, summary prefix) of a phase; an open phase is marked by one day."""
    if phase.start and phase.end:
        return phase.start, phase.end + timedelta(days=1), "Giai đoạn"
    if phase.start:
        return phase.start, phase.start + timedelta(days=1), "Bắt đầu giai đoạn"
    if phase.end:
        return phase.end, phase.end + timedelta(days=1), "Kết thúc giai đoạn"
    return None


def _document_units(document: Document) -> tuple[str, ...]:
    meta = document.meta
    return tuple(dict.fromkeys((meta.issuer, *meta.recipients, *(duty.unit for duty in meta.duties))))


def _events_of(document: Document, first: date, last: date, unit_labels: dict[str, str]) -> tuple[CalendarEvent, ...]:
    """The phases and dated duties of one document that fall in [first, last]."""
    meta = document.meta
    label = _document_label(document)
    path = document_path(document.slug)
    events = []
    for position, phase in enumerate(meta.phases):
        dated = _phase_dates(phase)
        if dated is None:
            continue
        start, end, prefix = dated
        span = (f"Từ {numeric_date(phase.start)}" if phase.start else "") + \
               (f" đến {numeric_date(phase.end)}" if phase.end else " (chưa ghi ngày kết thúc)")
        event = CalendarEvent(
            key=f"giai-doan/{document.slug}/{position}",
            kind=PHASE, start=start, end=end,
            summary=f"{prefix}: {phase.name} ({_short_label(document)})",
            description="\n".join(filter(None, [span.strip(), phase.summary, f"Theo {label}"])),
            path=path, topics=meta.topics, units=_document_units(document), slug=document.slug)
        if event.overlaps(first, last):
            events.append(event)
    for position, duty in enumerate(meta.duties):
        if duty.deadline is None or not first <= duty.deadline <= last:
            continue
        events.append(CalendarEvent(
            key=f"han/{document.slug}/{position}",
            kind=DEADLINE, start=duty.deadline, end=duty.deadline + timedelta(days=1),
            summary=f"Hạn nhiệm vụ: {unit_labels[duty.unit]}",
            description="\n".join([f"Hạn {official_date(duty.deadline)}. Theo {label}", *(f"- {t}" for t in duty.tasks)]),
            path=path, topics=meta.topics, units=(duty.unit,), slug=document.slug))
    return tuple(events)


EventsMemo = dict[str, tuple[tuple, tuple[CalendarEvent, ...]]]


def _document_events(site: Site, years: range, memo: EventsMemo | None) -> list[CalendarEvent]:
    first, last = date(years.start, 1, 1), date(years.stop - 1, 12, 31)
    labels = {unit.id: unit.label for unit in site.units}
    events: list[CalendarEvent] = []
    for document in site.documents:
        # Everything the events depend on: an unchanged document keeps its events (dev server).
        key = (document, first, last, tuple(labels[duty.unit] for duty in document.meta.duties if duty.deadline))
        if memo is not None and document.slug in memo and memo[document.slug][0] == key:
            found = memo[document.slug][1]
        else:
            found = _events_of(document, first, last, labels)
            if memo is not None:
                memo[document.slug] = (key, found)
        events.extend(found)
    return events


def calendar_events(site: Site, years: range, memo: EventsMemo | None = None) -> tuple[CalendarEvent, ...]:
    titles: dict[str, list[tuple[date, str]]] = {}
    for document in sorted(site.documents, key=lambda d: d.slug):
        if document.meta.commemorations and (day := document.meta.effective_date):
            # an undated document cannot be placed next to one year's anniversary
            label = _document_label(document)
            for commemoration in document.meta.commemorations:
                titles.setdefault(commemoration, []).append((day, label))
    events = _commemoration_events(site, years, titles) + _document_events(site, years, memo)
    return tuple(sorted(events, key=_SORT_KEY))


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
class RunningPhase:
    slug: str  # the document that sets the phase
    phase: Phase
    not_before: date | None = None  # see DocumentMeta.not_before

    def overlaps(self, first: date, last: date) -> bool:
        return self.phase.overlaps(first, last, self.not_before)


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


def _in_month(day: date | None, view: "MonthView") -> bool:
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
        weeks = []
        for week in stdlib_calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
            weeks.append(tuple(
                DayCell(day, solar_to_lunar(day), tuple(single_day.get(day, ())), day == today) if day.month == month else None
                for day in week))
        first = date(year, month, 1)
        last = date(year, month, stdlib_calendar.monthrange(year, month)[1])
        running = tuple(phase for phase in phases if phase.overlaps(first, last))
        views.append(MonthView(year, month, tuple(weeks), running))
    return tuple(views)


def dated_phases(site: Site) -> tuple[RunningPhase, ...]:
    """Phases with at least one date; an open end stays open (it runs until the document dates it)."""
    return tuple(RunningPhase(document.slug, phase, document.meta.not_before)
                 for document in sorted(site.documents, key=lambda d: d.slug)
                 for phase in document.meta.phases if phase.start or phase.end)
