"""Atom 1.0 feeds of the newest documents (feedgen): the whole site and each topic."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from feedgen.feed import FeedGenerator

from portal.content.models import Document
from portal.derive.index import SiteIndex
from portal.steps import PLAIN, Steps
from portal.urls import document_path, topic_path

ATOM_FEED = "feed.xml"
ENTRIES = 50
UNDATED = date(2000, 1, 1)  # an undated document must not look new again on every build


@dataclass(frozen=True)
class AtomEntry:
    url: str
    title: str
    published: date
    author: str
    categories: tuple[tuple[str, str], ...]  # (topic id, name)
    summary: str | None


def atom_entry(document: Document, issuer: str, topic_names: tuple[str, ...], site_url: str) -> AtomEntry:
    meta = document.meta
    return AtomEntry(site_url + document_path(document.slug), meta.label, meta.effective_date or UNDATED, issuer,
                     tuple(zip(meta.topics, topic_names, strict=True)), meta.summary)


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), UTC)


def atom_feed(entries: tuple[AtomEntry, ...], feed_url: str, page_url: str, title: str, subtitle: str) -> bytes:
    """`entries` newest first."""
    generator = FeedGenerator()
    generator.id(feed_url)
    generator.title(title)
    generator.subtitle(subtitle)
    generator.language("vi")
    generator.link(href=page_url, rel="alternate")
    generator.link(href=feed_url, rel="self")
    generator.generator("portal")
    generator.updated(_moment(max((entry.published for entry in entries), default=UNDATED)))
    for item in reversed(entries):  # feedgen prepends: add oldest first
        entry = generator.add_entry()
        entry.id(item.url)
        entry.title(item.title)
        entry.link(href=item.url)
        entry.updated(_moment(item.published))
        entry.published(_moment(item.published))
        entry.author({"name": item.author})
        if item.categories:  # in one call: feedgen redoes every category already added on each call
            entry.category([{"term": term, "label": label} for term, label in item.categories])
        if item.summary:
            entry.summary(item.summary)
    return generator.atom_str(pretty=True)


def atom_feeds(index: SiteIndex, steps: Steps = PLAIN) -> dict[str, bytes]:
    """Every Atom feed by output path (an entry and a feed are steps each)."""
    config = index.site.config
    site_url = config.origin + config.base_path
    feeds = [(ATOM_FEED, "", config.title, config.description, index.newest_first[:ENTRIES])]
    feeds += [(f"{topic_path(t.id)}{ATOM_FEED}", topic_path(t.id), f"{t.name} – {config.title}", t.description,
               index.topic_documents[t.id][:ENTRIES]) for t in index.site.topics]
    listed = list(dict.fromkeys(slug for *_, slugs in feeds for slug in slugs))
    entries = dict(zip(listed, steps.each("atom-entry", atom_entry, [
        (slug, (document := index.documents[slug], index.units[document.meta.issuer].name,
                tuple(index.topics[t].name for t in document.meta.topics), site_url))
        for slug in listed]), strict=True))
    made = steps.each("atom-feed", atom_feed, [
        (path, (tuple(entries[slug] for slug in slugs), site_url + path, site_url + page, title, subtitle))
        for path, page, title, subtitle, slugs in feeds])
    return {path: data for (path, *_), data in zip(feeds, made, strict=True)}
