"""Stage 4a: the page plan. Which pages exist, at which URL (`portal/urls.py`), rendered by
which template with which context; planned for every page before any is rendered.

Each document's page, the listings and the month views of a year are steps: a builder that
keeps results plans again only those whose inputs changed, and hands back the same `Page`
objects for the rest (so the renderer sees them unchanged at a glance).
"""

from __future__ import annotations

import re
from datetime import timedelta

from portal.calendar.anniversaries import decree_term, year_occurrence
from portal.calendar.events import PHASE, CalendarEvent, RunningPhase
from portal.calendar.months import month_views
from portal.content.models import Document, DocumentKind
from portal.derive.index import SiteIndex
from portal.render.bodies import RenderedMarkdown
from portal.render.listings import listing_pages, paginate
from portal.render.page import HOME_CRUMB, Page
from portal.render.sharing import SHARE_IMAGE
from portal.steps import PLAIN, Steps
from portal.urls import (
    CALENDAR,
    COMMEMORATIONS,
    DOCUMENTS,
    HOME,
    MAIN_FEED,
    SEARCH,
    TOPICS,
    UNITS,
    commemoration_path,
    document_path,
    feed_path,
    topic_path,
    unit_path,
    year_path,
)

DOCUMENTS_CRUMBS = (HOME_CRUMB, ("Văn bản", DOCUMENTS))


def _excerpt(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > 0 else limit].rstrip(",;:") + "…"


# An item's number or letter at the start of a paragraph ("1.1. ", "2) ", "a) ", "- "): not part
# of what a link preview should say.
_NUMBERING = re.compile(r"^(?:\d+(?:\.\d+)*[.)]|[a-zđ]\)|[-–+•])\s+")


def document_page(document: Document, body: RenderedMarkdown) -> Page:
    meta = document.meta
    description = meta.summary or _excerpt(_NUMBERING.sub("", body.first_paragraph)) or meta.display_title
    path = document_path(document.slug)
    return Page(path, "document.html", meta.label, breadcrumbs=DOCUMENTS_CRUMBS,
                description=description, context={"document": document, "body": body}, image=path + SHARE_IMAGE)


def year_page(year: int, events: tuple[CalendarEvent, ...], phases: tuple[RunningPhase, ...], today) -> Page:
    """`/lich/<year>/`: `events`, the year's single-day events; `phases`, every dated phase."""
    return Page(year_path(year), "calendar_year.html", f"Lịch năm {year}", breadcrumbs=(HOME_CRUMB, ("Lịch", CALENDAR)),
                description=f"Lịch các ngày kỷ niệm và giai đoạn tuyên truyền năm {year}.",
                context={"year": year, "months": month_views(year, events, phases, today), "feed": MAIN_FEED})


def documents_by_year(index: SiteIndex, slugs: tuple[str, ...]) -> tuple[tuple[int | None, tuple[str, ...]], ...]:
    """The documents of a commemoration by their year, newest year first (the undated last);
    within a year in the order given (newest first)."""
    years: dict[int | None, list[str]] = {}
    for slug in slugs:
        years.setdefault(index.documents[slug].meta.year, []).append(slug)
    order = sorted(years, key=lambda year: (year is None, -(year or 0)))
    return tuple((year, tuple(years[year])) for year in order)


def outlines(index: SiteIndex, slugs: tuple[str, ...]) -> tuple[tuple[str, str | None], ...]:
    """The đề cương of a commemoration: (slug, None) for a tied document of that kind, (slug, file
    name) for an attachment of a tied document whose title or name says "đề cương"."""
    found: list[tuple[str, str | None]] = []
    for slug in slugs:
        document = index.documents[slug]
        if document.meta.kind is DocumentKind.DE_CUONG:
            found.append((slug, None))
        found.extend((slug, file.name) for file in document.attachments
                     if "đề cương" in file.title.lower() or "de-cuong" in file.name)
    return tuple(found)


def plan_pages(index: SiteIndex, bodies: dict[str, RenderedMarkdown], steps: Steps = PLAIN) -> list[Page]:
    """Every page with its context."""
    site = index.site
    home = HOME_CRUMB
    pages = [
        Page(HOME, "home.html", site.config.title, description=site.config.description,
             context={"latest": index.newest_first[: site.config.latest_documents]}),
    ]
    listed = tuple((slug, index.documents[slug].meta.kind, index.documents[slug].meta.year)
                   for slug in index.newest_first)
    pages += steps.once("listings", listing_pages, site.config.documents_per_page, listed)
    pages += steps.each("document-page", document_page,
                        [(slug, (document, bodies[slug])) for slug, document in index.documents.items()])

    per_page = site.config.documents_per_page
    pages.append(Page(TOPICS, "topics.html", "Chủ đề", breadcrumbs=(home,),
                      description="Các chủ đề tuyên truyền và văn bản theo từng chủ đề."))
    for topic in site.topics:
        first = topic_path(topic.id)
        for slugs, pagination in paginate(first, index.topic_documents[topic.id], per_page):
            pages.append(Page(pagination.path(), "topic.html", pagination.title(topic.name),
                              breadcrumbs=(home, ("Chủ đề", TOPICS), *pagination.crumbs(topic.name)),
                              description=topic.description, in_sitemap=pagination.number == 1,
                              context={"topic": topic, "feed": feed_path(first), "slugs": slugs,
                                       "pagination": pagination}))

    pages.append(Page(UNITS, "units.html", "Đơn vị", breadcrumbs=(home,),
                      description="Cơ quan ban hành, nơi nhận và nhiệm vụ của từng đơn vị.",
                      context={"roots": [u.id for u in site.units if not u.parent or u.parent not in index.units]}))
    for unit in site.units:
        ancestors: list[tuple[str, str]] = []
        parent = unit.parent
        while parent and parent in index.units and len(ancestors) < 20:
            ancestors.insert(0, (index.units[parent].label, unit_path(parent)))
            parent = index.units[parent].parent
        pages.append(Page(unit_path(unit.id), "unit.html", unit.name,
                          breadcrumbs=(home, ("Đơn vị", UNITS), *ancestors),
                          description=(unit.description
                                       or f"Văn bản ban hành, văn bản gửi đến và nhiệm vụ của {unit.name}."),
                          context={"unit": unit, "feed": feed_path(unit_path(unit.id))}))

    by_next = sorted(site.commemorations, key=lambda c: (
        (occurrence.day if (occurrence := index.next_occurrences[c.id]) else index.today), c.id))
    pages.append(Page(COMMEMORATIONS, "commemorations.html", "Ngày kỷ niệm", breadcrumbs=(home,),
                      description="Các ngày lễ lớn, sự kiện lịch sử và số năm kỷ niệm.",
                      context={"ordered": by_next}))
    occurrences: dict[str, list] = {}  # grouped once: a page per commemoration must not scan every event
    for event in index.events:
        if event.occurrence:
            occurrences.setdefault(event.occurrence.commemoration_id, []).append(event)
    for commemoration in site.commemorations:
        tied = index.commemoration_documents[commemoration.id]
        pages.append(Page(commemoration_path(commemoration.id), "commemoration.html", commemoration.name,
                          breadcrumbs=(home, ("Ngày kỷ niệm", COMMEMORATIONS)),
                          image=commemoration_path(commemoration.id) + SHARE_IMAGE,
                          description=commemoration.description or commemoration.name,
                          context={"commemoration": commemoration,
                                   "occurrences": occurrences.get(commemoration.id, []),
                                   "this_year": (this_year := year_occurrence(commemoration, index.today.year)),
                                   "term": decree_term(this_year) if this_year else None,
                                   "by_year": documents_by_year(index, tied),
                                   "outlines": outlines(index, tied)}))

    horizon = index.today + timedelta(days=365)
    upcoming = [e for e in index.events if index.today <= e.start < horizon]
    by_month: dict[tuple[int, int], list] = {}
    for event in upcoming:
        by_month.setdefault((event.start.year, event.start.month), []).append(event)
    pages.append(Page(CALENDAR, "calendar.html", "Lịch tuyên truyền", breadcrumbs=(home,),
                      description="Ngày kỷ niệm, giai đoạn tuyên truyền và hạn nhiệm vụ trong 12 tháng tới; "
                                  "đăng ký lịch vào Google, Apple, Outlook, Thunderbird.",
                      context={"by_month": by_month, "feed": MAIN_FEED}))
    single_day: dict[int, list[CalendarEvent]] = {}
    for event in index.events:
        if event.kind != PHASE:
            single_day.setdefault(event.start.year, []).append(event)
    pages += steps.each("year-page", year_page,
                        [(year, (year, tuple(single_day.get(year, ())), index.phases, index.today))
                         for year in index.calendar_years])

    pages.append(Page(SEARCH, "search.html", "Tìm kiếm", breadcrumbs=(home,),
                  description="Tìm văn bản theo từ khóa, có dấu hoặc không dấu, hoặc theo số hiệu."))
    pages.append(Page("404.html", "404.html", "Không tìm thấy trang", breadcrumbs=(home,), in_sitemap=False))
    return pages
