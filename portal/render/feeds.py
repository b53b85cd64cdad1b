"""The site's iCalendar feeds: which exist (the whole calendar, one per topic, one per unit),
which events each holds, and their files with the revision table that carries SEQUENCE over."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from portal.calendar.events import COMMEMORATION, CalendarEvent, duplicate_keys
from portal.calendar.ical import (
    REVISIONS_FILE,
    EventSettings,
    FeedSpec,
    RenderedEvent,
    Revision,
    dump_revisions,
    feed_file,
    render_event,
    site_namespace,
)
from portal.derive.index import SiteIndex
from portal.diagnostics import Diagnostic, report
from portal.steps import PLAIN, Steps
from portal.urls import MAIN_FEED, feed_path, topic_path, unit_path
from portal.write.outputs import Store, handed_over


def _feed_members(index: SiteIndex) -> list[tuple[FeedSpec, Sequence[int]]]:
    """Every feed and the positions of its events in `index.events`: the whole calendar, one per
    topic, one per unit. Positions, not events: a feed's rendered events are then read from a
    list by position, not hashed as dictionary keys (a hundred thousand lookups at scale)."""
    site = index.site
    by_topic: dict[str, list[int]] = {}
    by_unit: dict[str, list[int]] = {}
    for position, event in enumerate(index.events):  # one pass, not one per feed: hundreds of units at scale
        for topic_id in event.topics:  # unique within an event (CalendarEvent sees to it)
            by_topic.setdefault(topic_id, []).append(position)
        for unit_id in event.units:
            by_unit.setdefault(unit_id, []).append(position)
    members: list[tuple[FeedSpec, Sequence[int]]] = [
        (FeedSpec("lich", MAIN_FEED, site.config.title,
                  f"{site.config.description} Ngày kỷ niệm, giai đoạn tuyên truyền và hạn nhiệm vụ."),
         range(len(index.events)))]
    members += [(FeedSpec(f"chu-de/{topic.id}", feed_path(topic_path(topic.id)),
                          f"{topic.name} – {site.config.title}", topic.description),
                 by_topic.get(topic.id, ())) for topic in site.topics]
    members += [(FeedSpec(f"don-vi/{unit.id}", feed_path(unit_path(unit.id)),
                          f"{unit.label} – {site.config.title}",
                          f"Giai đoạn tuyên truyền và hạn nhiệm vụ của {unit.name}."),
                 by_unit.get(unit.id, ())) for unit in site.units]
    return members


def feed_specs(index: SiteIndex) -> list[tuple[FeedSpec, tuple[CalendarEvent, ...]]]:
    """Every feed and its events: the whole calendar, one per topic, one per unit."""
    return [(spec, tuple(map(index.events.__getitem__, positions))) for spec, positions in _feed_members(index)]


@dataclass(frozen=True)
class Feeds:
    # every feed and the revision table, by output path: bytes, or the size of a feed a worker wrote
    files: dict[str, bytes | int]
    calendars: tuple[str, ...]  # the paths of the feeds
    diagnostics: list[Diagnostic]


def stored_feed(spec: FeedSpec, events: tuple[CalendarEvent, ...], rendered: tuple[RenderedEvent, ...],
                today: date, previous: dict[str, Revision], namespace: uuid.UUID, site_url: str,
                store: Store | None) -> tuple[bytes | int, str, int]:
    """`feed_file`, or with `store`, the feed written by whoever assembled it and its size."""
    data, revisions, left_out = feed_file(spec, events, rendered, today, previous, namespace, site_url)
    return handed_over(store, spec.path, data), revisions, left_out


def calendar_feeds(index: SiteIndex, previous: dict[str, Revision], steps: Steps = PLAIN,
                   store: Store | None = None) -> Feeds:
    """Each event rendered once (a parallel step: icalendar takes about a millisecond an event),
    then each feed assembled from its events' lines (a parallel step too: a site with hundreds
    of units has hundreds of feeds, 10 ms each). `store`: a one-shot build's writer; the
    workers then write the feeds they assemble (~75 MB at 10,000 documents)."""
    config = index.site.config
    site_url = config.origin + config.base_path
    # Made as a step: a builder that keeps results gets the same object back while the settings
    # are equal, so each kept event's arguments are found unchanged at a glance.
    settings = steps.once("event-settings", EventSettings, site_url, tuple((t.id, t.name) for t in index.site.topics),
                          config.calendar.alarm)
    rendered = steps.each("ical-event", render_event, [(event, (event, settings)) for event in index.events],
                          parallel=True)
    namespace = site_namespace(config.base_url)
    specs = [(spec, tuple(map(index.events.__getitem__, positions)), tuple(map(rendered.__getitem__, positions)))
             for spec, positions in _feed_members(index)]
    made = steps.each("ical-feed", stored_feed,
                      [(spec.path, (spec, events, texts, index.today, previous, namespace, site_url, store))
                       for spec, events, texts in specs], parallel=True)
    files: dict[str, bytes | int] = {}
    parts: list[str] = []
    diagnostics: list[Diagnostic] = []
    for (spec, events, _), (data, revisions, left_out) in zip(specs, made, strict=True):
        files[spec.path] = data
        parts.append(revisions)
        if left_out:
            diagnostics.append(report("feed-trimmed", spec.path, left_out=left_out, total=len(events)))
    files[REVISIONS_FILE] = dump_revisions(parts).encode("utf-8")
    return Feeds(files, tuple(spec.path for spec, _, _ in specs), diagnostics)


def duplicate_uid_problems(index: SiteIndex, commemoration_lines: dict[str, tuple[str, int]]) -> list[Diagnostic]:
    """An error for each pair of events that would share a UID: a client would keep only one, so
    `build` refuses the feed. `commemoration_lines`: the file and line of each commemoration."""
    sources = {document.slug: document.source for document in index.site.documents}

    def place(event: CalendarEvent) -> tuple[str, int]:
        if event.kind == COMMEMORATION and event.occurrence:
            return commemoration_lines.get(event.occurrence.commemoration_id, ("commemorations.yaml", 0))
        return sources.get(event.slug, event.path), 0

    problems = []
    for first, second in duplicate_keys(index.events):
        path, line = place(second)
        problems.append(report("duplicate-uid", path, line, key=second.key,
                               first=f"{first.start:%d/%m/%Y}", second=f"{second.start:%d/%m/%Y}"))
    return problems
