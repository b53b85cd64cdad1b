"""Stage 3: derive everything pages need from the validated site, once, before rendering.

Relations stay keys (slugs and ids), never object pointers, so the index is cheap to rebuild and
easy to compare. All collections are sorted: the same content always gives the same order.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from portal.calendar.anniversaries import Occurrence, next_occurrence, round_anniversaries_ahead, upcoming
from portal.calendar.events import CalendarEvent, RunningPhase, calendar_events, calendar_years
from portal.content.models import Citation, Commemoration, Document, Site, Topic, Unit
from portal.derive.relations import DutyAssignment, ResolvedCitation, relation_facts, relation_indexes
from portal.steps import PLAIN, Steps

__all__ = ["LOOKAHEAD_DAYS", "DutyAssignment", "ResolvedCitation", "SiteIndex", "derive"]

# Pages carry, hidden, what comes into "Sắp tới" and "Đang triển khai" in the next LOOKAHEAD_DAYS
# days: today.js shows it on the reader's day when the site has not been rebuilt since.
LOOKAHEAD_DAYS = 92


@dataclass(frozen=True)
class SiteIndex:
    site: Site
    today: date
    documents: dict[str, Document]
    newest_first: tuple[str, ...]
    units: dict[str, Unit]
    topics: dict[str, Topic]
    commemorations: dict[str, Commemoration]
    citations: dict[str, tuple[ResolvedCitation, ...]]
    implemented_by: dict[str, tuple[str, ...]]
    topic_documents: dict[str, tuple[str, ...]]
    topic_commemorations: dict[str, tuple[str, ...]]
    unit_issued: dict[str, tuple[str, ...]]
    unit_addressed: dict[str, tuple[str, ...]]
    unit_duties: dict[str, tuple[DutyAssignment, ...]]
    unit_children: dict[str, tuple[str, ...]]
    unit_cited: dict[str, tuple[tuple[str, Citation], ...]]
    commemoration_documents: dict[str, tuple[str, ...]]
    next_occurrences: dict[str, Occurrence | None]
    upcoming: tuple[Occurrence, ...]
    upcoming_ahead: tuple[Occurrence, ...]  # `upcoming` and the next LOOKAHEAD_DAYS days' occurrences
    round_ahead: tuple[Occurrence, ...]  # "năm tròn" anniversaries of the next 90 days, announced
    running_phases: tuple[RunningPhase, ...]
    phases_ahead: tuple[RunningPhase, ...]  # running today or starting in the next LOOKAHEAD_DAYS days
    calendar_years: range
    events: tuple[CalendarEvent, ...]  # every dated event in the calendar window, sorted
    phases: tuple[RunningPhase, ...]  # every phase with a date, for month views
    document_phases: dict[str, tuple[RunningPhase, ...]]  # each document's phases with their horizons
    superseded_by: dict[str, str | None]  # a plan's newer plan of the same issuer and main topic


def _grouped(pairs, keys: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for key, value in pairs:
        groups[key].append(value)
    return {key: tuple(groups.get(key, ())) for key in keys}


def _phases_ahead(newest_first: tuple[str, ...], document_phases: dict[str, tuple[RunningPhase, ...]],
                  today: date) -> tuple[RunningPhase, ...]:
    """The phases running today or starting in the next LOOKAHEAD_DAYS days, newest document first."""
    horizon = today + timedelta(days=LOOKAHEAD_DAYS)
    return tuple(entry for slug in newest_first for entry in document_phases[slug] if entry.overlaps(today, horizon))


def derive(site: Site, today: date, steps: Steps = PLAIN) -> SiteIndex:
    unit_ids = tuple(u.id for u in site.units)
    topic_ids = tuple(t.id for t in site.topics)
    commemoration_ids = tuple(c.id for c in site.commemorations)
    facts = steps.each("relation-facts", relation_facts, [(d.slug, (d,)) for d in site.documents])
    relations = steps.once("relations", relation_indexes, tuple(facts), unit_ids, topic_ids, commemoration_ids, today,
                           site.config.open_phase_years)
    years = calendar_years(today, site.config.calendar)
    return SiteIndex(
        site=site,
        today=today,
        documents={d.slug: d for d in site.documents},
        units={u.id: u for u in site.units},
        topics={t.id: t for t in site.topics},
        commemorations={c.id: c for c in site.commemorations},
        topic_commemorations=_grouped(((t, c.id) for c in site.commemorations for t in c.topics), topic_ids),
        unit_children=_grouped(((u.parent, u.id) for u in site.units if u.parent), unit_ids),
        next_occurrences={c.id: next_occurrence(c, today) for c in site.commemorations},
        upcoming=tuple(upcoming(site.commemorations, today, site.config.upcoming_days)),
        upcoming_ahead=tuple(upcoming(site.commemorations, today, site.config.upcoming_days + LOOKAHEAD_DAYS)),
        # A step: while the relations are kept (an edit that left every document's relations as
        # they were), so is this walk over every document's phases.
        phases_ahead=steps.once("phases-ahead", _phases_ahead, relations["newest_first"], relations["document_phases"],
                                today),
        round_ahead=tuple(round_anniversaries_ahead(site.commemorations, today)),
        calendar_years=years,
        events=calendar_events(site, years, steps),
        **relations,
    )
