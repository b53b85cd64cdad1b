"""The index entries that follow from how documents relate: their order, citations both ways,
and what each topic, unit and commemoration gathers.

They are computed from `RelationFacts`, each document's relations without its title, summary or
body, so an edit of those (the usual edit) leaves the facts equal and a builder that keeps
results reuses the indexes as they were.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from portal.calendar.events import RunningPhase
from portal.content.citations import resolve_citations
from portal.content.models import Citation, Document, Duty, Phase


@dataclass(frozen=True)
class ResolvedCitation:
    citation: Citation
    slug: str | None  # the document in content/ that this citation names, if we have its text


@dataclass(frozen=True)
class DutyAssignment:
    slug: str  # the document that assigns it
    duty: Duty


@dataclass(frozen=True)
class RelationFacts:
    """What of one document the relation indexes read."""

    slug: str
    effective_date: date | None
    not_before: date | None
    number: str
    kind: str
    issuer: str
    implements: tuple[Citation, ...]
    topics: tuple[str, ...]
    recipients: tuple[str, ...]
    commemorations: tuple[str, ...]
    phases: tuple[Phase, ...]
    duties: tuple[Duty, ...]


def relation_facts(document: Document) -> RelationFacts:
    meta = document.meta
    return RelationFacts(document.slug, meta.effective_date, meta.not_before, meta.number, meta.kind.value, meta.issuer,
                         meta.implements, meta.topics, meta.recipients, meta.commemorations, meta.phases, meta.duties)


def sort_key_newest_first(facts: RelationFacts) -> tuple:
    """Newest first by `effective_date`; documents with no date at all last; ties by slug."""
    day = facts.effective_date
    return (0, -day.toordinal(), facts.slug) if day else (1, 0, facts.slug)


def phase_entries(facts: RelationFacts, horizon_years: int) -> tuple[RunningPhase, ...]:
    """Every phase of one document with its horizon: an open end counts from the phase's start, else
    the document's date, else its estimated date (`effective_date`)."""
    anchor = facts.not_before or facts.effective_date
    return tuple(RunningPhase(facts.slug, phase, facts.not_before, phase.horizon(anchor, horizon_years))
                 for phase in facts.phases)


def superseded_by(documents: tuple[RelationFacts, ...]) -> dict[str, str | None]:
    """Each plan's newest later plan of the same issuer and the same main (first) topic, if any."""
    plans = sorted((f for f in documents if f.kind == "ke-hoach" and f.topics and f.effective_date),
                   key=lambda f: (f.issuer, f.topics[0], f.effective_date, f.slug))
    newer: dict[str, str | None] = {f.slug: None for f in documents}
    latest: dict[tuple[str, str], RelationFacts] = {}
    for facts in reversed(plans):
        group = (facts.issuer, facts.topics[0])
        found = latest.get(group)
        if found and found.effective_date and facts.effective_date and found.effective_date > facts.effective_date:
            newer[facts.slug] = found.slug
        else:
            latest[group] = facts
    return newer


def _freeze(mapping: dict[str, list], keys) -> dict[str, tuple]:
    return {key: tuple(mapping.get(key, ())) for key in keys}


def relation_indexes(documents: tuple[RelationFacts, ...], unit_ids: tuple[str, ...], topic_ids: tuple[str, ...],
                     commemoration_ids: tuple[str, ...], today: date, horizon_years: int = 1) -> dict[str, Any]:
    """`SiteIndex` fields by name. `documents` are in slug order (the site's order)."""
    by_slug = {facts.slug: facts for facts in documents}
    newest_first = tuple(facts.slug for facts in sorted(documents, key=sort_key_newest_first))
    rank = {slug: position for position, slug in enumerate(newest_first)}

    resolved = resolve_citations((f.slug, f.number, f.issuer, f.implements) for f in documents)
    citations: dict[str, list[ResolvedCitation]] = defaultdict(list)
    implemented_by: dict[str, set[str]] = defaultdict(set)
    unit_cited: dict[str, list[tuple[str, Citation]]] = defaultdict(list)
    for facts in documents:
        for citation, match in zip(facts.implements, resolved[facts.slug], strict=True):
            citations[facts.slug].append(ResolvedCitation(citation, match))
            if match:
                implemented_by[match].add(facts.slug)
            if citation.issuer and not match:
                unit_cited[citation.issuer].append((facts.slug, citation))

    topic_documents: dict[str, list[str]] = defaultdict(list)
    unit_issued: dict[str, list[str]] = defaultdict(list)
    unit_addressed: dict[str, list[str]] = defaultdict(list)
    unit_duties: dict[str, list[DutyAssignment]] = defaultdict(list)
    commemoration_documents: dict[str, list[str]] = defaultdict(list)
    for slug in newest_first:
        facts = by_slug[slug]
        for topic in facts.topics:
            topic_documents[topic].append(slug)
        unit_issued[facts.issuer].append(slug)
        for recipient in dict.fromkeys(facts.recipients):
            unit_addressed[recipient].append(slug)
        for duty in facts.duties:
            unit_duties[duty.unit].append(DutyAssignment(slug, duty))
        for commemoration in facts.commemorations:
            commemoration_documents[commemoration].append(slug)

    document_phases = {facts.slug: phase_entries(facts, horizon_years) for facts in documents}
    running = tuple(entry for slug in newest_first for entry in document_phases[slug] if entry.overlaps(today, today))
    return {
        "newest_first": newest_first,
        "citations": _freeze(citations, by_slug),
        "implemented_by": {slug: tuple(sorted(implemented_by.get(slug, ()), key=rank.__getitem__))
                           for slug in by_slug},
        "topic_documents": _freeze(topic_documents, topic_ids),
        "unit_issued": _freeze(unit_issued, unit_ids),
        "unit_addressed": _freeze(unit_addressed, unit_ids),
        "unit_duties": _freeze(unit_duties, unit_ids),
        "unit_cited": _freeze(unit_cited, unit_ids),
        "commemoration_documents": _freeze(commemoration_documents, commemoration_ids),
        "running_phases": running,
        "document_phases": document_phases,
        "superseded_by": superseded_by(documents),
        # Phases with at least one date, for month views; an open end runs to its horizon.
        "phases": tuple(entry for facts in documents for entry in document_phases[facts.slug]
                        if entry.phase.start or entry.phase.end),
    }
