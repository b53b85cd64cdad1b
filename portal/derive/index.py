"""Stage 3: derive everything pages need from the validated site, once, before rendering.

Relations stay keys (slugs and ids), never object pointers, so the index is cheap to rebuild and
easy to compare. All collections are sorted: the same content always gives the same order.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from portal.calendar.anniversaries import Occurrence, next_occurrence, upcoming
from portal.calendar.events import CalendarEvent, EventsMemo, RunningPhase, calendar_events, calendar_years, dated_phases
from portal.content.models import Citation, Commemoration, Document, Duty, Site, Topic, Unit
from portal.content.citations import resolve_implements


@dataclass(frozen=True)
class ResolvedCitation:
    citation: Citation
    slug: str | None  # the document in content/ that this citation names, if we have its text


@dataclass(frozen=True)
class DutyAssignment:
    slug: str  # the document that assigns it
    duty: Duty


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
    running_phases: tuple[RunningPhase, ...]
    calendar_years: range
    events: tuple[CalendarEvent, ...]  # every dated event in the calendar window, sorted
    phases: tuple[RunningPhase, ...]  # every phase with a date, for month views


def sort_key_newest_first(document: Document) -> tuple:
    """Newest first by `effective_date`; documents with no date at all last; ties by slug."""
    day = document.meta.effective_date
    return (0, -day.toordinal(), document.slug) if day else (1, 0, document.slug)


def _freeze(mapping: dict[str, list], keys=None) -> dict[str, tuple]:
    result = {key: tuple(mapping.get(key, ())) for key in (keys if keys is not None else mapping)}
    return result


@dataclass
class DeriveMemo:
    """What a dev server's next `derive` may reuse. After an edit that leaves every document's
    relations as they were (its title, summary or body: the usual edit), the relation indexes
    are the previous ones; only the calendar events, which quote titles, are made again (each
    unchanged document keeps its own, in `events`)."""

    events: EventsMemo = field(default_factory=dict)
    documents: dict[str, Document] = field(default_factory=dict)
    context: tuple = ()
    relations: dict[str, Any] | None = None


# Fields that no relation index reads: editing only these keeps the relations.
_TEXT_ONLY = frozenset({"title", "summary"})


def _relations_unchanged(documents: dict[str, Document], context: tuple, memo: DeriveMemo) -> bool:
    if memo.relations is None or memo.context != context:
        return False
    for slug, document in documents.items():
        before = memo.documents.get(slug)
        if before is not document and (
                before is None or before.meta.model_dump(exclude=_TEXT_ONLY) != document.meta.model_dump(exclude=_TEXT_ONLY)):
            return False
    return True


def derive(site: Site, today: date, memo: DeriveMemo | None = None) -> SiteIndex:
    """`memo` (the dev server's) carries what an unchanged document contributed last time."""
    documents = {d.slug: d for d in site.documents}
    unit_ids = tuple(u.id for u in site.units)
    topic_ids = tuple(t.id for t in site.topics)
    commemoration_ids = tuple(c.id for c in site.commemorations)
    # Document order matters too: relations list documents in the order of the site.
    context = (today, unit_ids, topic_ids, commemoration_ids, tuple(documents))
    if memo is not None and _relations_unchanged(documents, context, memo):
        relations = memo.relations
    else:
        relations = _relations(site, today, documents, unit_ids, topic_ids, commemoration_ids)
    if memo is not None:
        memo.documents, memo.context, memo.relations = documents, context, relations
    assert relations is not None

    topic_commemorations: dict[str, list[str]] = defaultdict(list)
    for commemoration in site.commemorations:
        for topic in commemoration.topics:
            topic_commemorations[topic].append(commemoration.id)

    unit_children: dict[str, list[str]] = defaultdict(list)
    for unit in site.units:
        if unit.parent:
            unit_children[unit.parent].append(unit.id)

    years = calendar_years(today, site.config.calendar)
    return SiteIndex(
        site=site,
        today=today,
        documents=documents,
        units={u.id: u for u in site.units},
        topics={t.id: t for t in site.topics},
        commemorations={c.id: c for c in site.commemorations},
        topic_commemorations=_freeze(topic_commemorations, topic_ids),
        unit_children=_freeze(unit_children, unit_ids),
        next_occurrences={c.id: next_occurrence(c, today) for c in site.commemorations},
        upcoming=tuple(upcoming(site.commemorations, today, site.config.upcoming_days)),
        calendar_years=years,
        events=calendar_events(site, years, memo.events if memo is not None else None),
        **relations,
    )


def _relations(site: Site, today: date, documents: dict[str, Document], unit_ids: tuple[str, ...],
               topic_ids: tuple[str, ...], commemoration_ids: tuple[str, ...]) -> dict[str, Any]:
    """The index entries that follow from documents' relations (numbers, dates, kinds, units,
    topics, commemorations, citations, duties, phases), never from their titles or text."""
    newest_first = tuple(d.slug for d in sorted(site.documents, key=sort_key_newest_first))
    rank = {slug: position for position, slug in enumerate(newest_first)}

    resolved = resolve_implements(site.documents)
    citations: dict[str, list[ResolvedCitation]] = defaultdict(list)
    implemented_by: dict[str, set[str]] = defaultdict(set)
    unit_cited: dict[str, list[tuple[str, Citation]]] = defaultdict(list)
    for document in site.documents:
        for citation, match in zip(document.meta.implements, resolved[document.slug]):
            citations[document.slug].append(ResolvedCitation(citation, match))
            if match:
                implemented_by[match].add(document.slug)
            if citation.issuer and not match:
                unit_cited[citation.issuer].append((document.slug, citation))

    topic_documents: dict[str, list[str]] = defaultdict(list)
    unit_issued: dict[str, list[str]] = defaultdict(list)
    unit_addressed: dict[str, list[str]] = defaultdict(list)
    unit_duties: dict[str, list[DutyAssignment]] = defaultdict(list)
    commemoration_documents: dict[str, list[str]] = defaultdict(list)
    for slug in newest_first:
        meta = documents[slug].meta
        for topic in meta.topics:
            topic_documents[topic].append(slug)
        unit_issued[meta.issuer].append(slug)
        for recipient in dict.fromkeys(meta.recipients):
            unit_addressed[recipient].append(slug)
        for duty in meta.duties:
            unit_duties[duty.unit].append(DutyAssignment(slug, duty))
        for commemoration in meta.commemorations:
            commemoration_documents[commemoration].append(slug)

    running = tuple(
        RunningPhase(slug, phase, documents[slug].meta.not_before)
        for slug in newest_first
        for phase in documents[slug].meta.phases
        if phase.is_running(today, documents[slug].meta.not_before)
    )
    return {
        "newest_first": newest_first,
        "citations": _freeze(citations, documents),
        "implemented_by": {slug: tuple(sorted(implemented_by.get(slug, ()), key=rank.__getitem__))
                           for slug in documents},
        "topic_documents": _freeze(topic_documents, topic_ids),
        "unit_issued": _freeze(unit_issued, unit_ids),
        "unit_addressed": _freeze(unit_addressed, unit_ids),
        "unit_duties": _freeze(unit_duties, unit_ids),
        "unit_cited": _freeze(unit_cited, unit_ids),
        "commemoration_documents": _freeze(commemoration_documents, commemoration_ids),
        "running_phases": running,
        "phases": dated_phases(site),
    }
