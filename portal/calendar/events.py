"""The calendar's events: every dated event in the calendar window (month views: `months.py`).

Events are all-day: `start` inclusive, `end` exclusive (as iCalendar's DTEND). Their `key` is their
identity, made only of things an editor does not change by accident (ids, slugs, years, positions),
so that feeds keep the same UID for the same occurrence across builds and across `--today`.
Nothing here depends on `--today` except what is explicitly about today (upcoming, highlighting).
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from portal.calendar.anniversaries import Occurrence, occurrences
from portal.content.dates import numeric_date, official_date
from portal.content.models import CalendarConfig, Commemoration, Document, Phase, Site
from portal.steps import PLAIN, Steps
from portal.urls import commemoration_path, document_path

COMMEMORATION, PHASE, DEADLINE = "commemoration", "phase", "deadline"
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


def commemoration_summary(occurrence: Occurrence) -> str:
    """"Kỷ niệm 95 năm Ngày thành lập Đảng …" the way official guidance names an anniversary."""
    return f"Kỷ niệm {occurrence.title}" if occurrence.years else occurrence.title


def commemoration_key(commemoration: Commemoration, occurrence: Occurrence) -> str:
    """One occurrence per year of its own calendar: a lunar 15/11 falls twice in solar 2026 (lunar
    years 2025 and 2026) but once in each lunar year; in months 1–10 the two years agree."""
    return f"ky-niem/{commemoration.id}/{occurrence.lunar.year if occurrence.lunar else occurrence.day.year}"


def commemoration_events(commemoration: Commemoration, first: date, last: date,
                         documents: tuple[tuple[date, str], ...]) -> tuple[CalendarEvent, ...]:
    """Every occurrence of `commemoration` in [first, last]; `documents`: (date, label) of the
    dated documents that name it."""
    events = []
    for occurrence in occurrences(commemoration, first, last):
        lines = [f"{occurrence.day:%d/%m/%Y}"
                 + (f" (âm lịch {occurrence.lunar.describe()})" if occurrence.lunar else "")]
        if occurrence.decree_note:
            lines.append(occurrence.decree_note)
        if commemoration.description:
            lines.append(commemoration.description)
        # The documents of the twelve months before this occurrence: a 2025 plan for the
        # 95th anniversary is not related to the 96th.
        titles = [label for day, label in documents if occurrence.day - timedelta(days=366) <= day <= occurrence.day]
        if titles:
            shown = "; ".join(titles[:RELATED_TITLES_IN_EVENT])
            more = len(titles) - RELATED_TITLES_IN_EVENT
            lines.append("Văn bản liên quan: " + shown + (f"; và {more} văn bản khác" if more > 0 else ""))
        events.append(CalendarEvent(
            key=commemoration_key(commemoration, occurrence),
            kind=COMMEMORATION,
            start=occurrence.day,
            end=occurrence.day + timedelta(days=1),
            summary=commemoration_summary(occurrence),
            description="\n".join(lines),
            path=commemoration_path(commemoration.id),
            topics=commemoration.topics,
            occurrence=occurrence,
        ))
    return tuple(events)


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


def document_events(document: Document, first: date, last: date,
                    duty_units: tuple[str, ...]) -> tuple[CalendarEvent, ...]:
    """The phases and dated duties of one document that fall in [first, last]; `duty_units`:
    the label of the unit of each dated duty, in order."""
    meta = document.meta
    label = meta.label
    path = document_path(document.slug)
    events = []
    for phase in meta.phases:
        dated = _phase_dates(phase)
        if dated is None:
            continue
        start, end, prefix = dated
        span = (f"Từ {numeric_date(phase.start)}" if phase.start else "") + \
               (f" đến {numeric_date(phase.end)}" if phase.end else " (chưa ghi ngày kết thúc)")
        event = CalendarEvent(
            key=f"giai-doan/{document.slug}/{phase.key}",
            kind=PHASE, start=start, end=end,
            summary=f"{prefix}: {phase.name} ({meta.short_label})",
            description="\n".join(filter(None, [span.strip(), phase.summary, f"Theo {label}"])),
            path=path, topics=meta.topics, units=_document_units(document), slug=document.slug)
        if event.overlaps(first, last):
            events.append(event)
    unit_labels = iter(duty_units)
    for position, duty in enumerate(meta.duties):
        if duty.deadline is None:
            continue
        unit_label = next(unit_labels)
        if not first <= duty.deadline <= last:
            continue
        events.append(CalendarEvent(
            key=f"han/{document.slug}/{position}",
            kind=DEADLINE, start=duty.deadline, end=duty.deadline + timedelta(days=1),
            summary=f"Hạn nhiệm vụ: {unit_label}",
            description="\n".join([f"Hạn {official_date(duty.deadline)}. Theo {label}",
                                   *(f"- {t}" for t in duty.tasks)]),
            path=path, topics=meta.topics, units=(duty.unit,), slug=document.slug))
    return tuple(events)


def calendar_events(site: Site, years: range, steps: Steps = PLAIN) -> tuple[CalendarEvent, ...]:
    """Every event of the calendar window, in calendar order: per commemoration and per document
    (each a step: a builder that keeps results makes again only the events of what changed)."""
    first, last = date(years.start, 1, 1), date(years.stop - 1, 12, 31)
    related: dict[str, list[tuple[date, str]]] = {}
    for document in site.documents:  # in slug order
        if document.meta.commemorations and (day := document.meta.effective_date):
            # an undated document cannot be placed next to one year's anniversary
            for commemoration in document.meta.commemorations:
                related.setdefault(commemoration, []).append((day, document.meta.label))
    labels = {unit.id: unit.label for unit in site.units}
    found = steps.each("commemoration-events", commemoration_events,
                       [(c.id, (c, first, last, tuple(related.get(c.id, ())))) for c in site.commemorations])
    found += steps.each("document-events", document_events,
                        [(d.slug, (d, first, last, tuple(labels[duty.unit] for duty in d.meta.duties if duty.deadline)))
                         for d in site.documents])
    return tuple(sorted((event for events in found for event in events), key=_SORT_KEY))


def duplicate_keys(events: tuple[CalendarEvent, ...]) -> list[tuple[CalendarEvent, CalendarEvent]]:
    """Pairs of events with the same key, and so the same UID in every feed holding both."""
    first: dict[str, CalendarEvent] = {}
    pairs = []
    for event in events:
        if event.key in first:
            pairs.append((first[event.key], event))
        else:
            first[event.key] = event
    return pairs


@dataclass(frozen=True)
class RunningPhase:
    slug: str  # the document that sets the phase
    phase: Phase
    not_before: date | None = None  # see DocumentMeta.not_before
    until: date | None = None  # an open-ended phase's horizon (Phase.horizon, SiteConfig.open_phase_years)

    @property
    def open_ended(self) -> bool:
        return self.phase.end is None

    @property
    def last_day(self) -> date | None:
        return self.phase.end or self.until

    def overlaps(self, first: date, last: date) -> bool:
        return self.phase.overlaps(first, last, self.not_before, self.until)

    def state(self, day: date) -> str:
        """"running", "past" or "future" on `day`."""
        if self.overlaps(day, day):
            return "running"
        last = self.last_day
        return "past" if last and last < day else "future"


