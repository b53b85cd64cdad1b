"""Stage 4b: which pages exist, at which URL, with which context; then render them all.

URLs come from `urls.py`. Contexts are built for every page before any is rendered. Long lists
(all documents, one kind or year of them, a topic's) are split into numbered pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from portal.calendar.events import PHASE, month_views
from portal.derive.index import SiteIndex
from portal.calendar.ical import FeedSpec
from portal.render.bodies import RenderedMarkdown
from portal.content.models import Document, DocumentKind

from portal.urls import (  # re-exported: templates and the builder take the URL scheme from here
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
    listing_path,
    numbered_page_path,
    topic_path,
    unit_path,
    year_path,
)


@dataclass(frozen=True)
class Page:
    path: str  # URL path under the base ("van-ban/x/"); a folder gets index.html
    template: str
    title: str
    context: dict[str, Any] = field(default_factory=dict)
    breadcrumbs: tuple[tuple[str, str], ...] = ()  # (label, path) of the ancestors
    description: str = ""
    in_sitemap: bool = True

    # The file it is written to: a folder path gets index.html. Set once, asked for often.
    output_file: str = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        path = self.path
        object.__setattr__(self, "output_file", path + "index.html" if path.endswith("/") or not path else path)


SITEMAP = "sitemap.xml"
SITEMAP_URLS = 50_000  # the sitemap protocol's limit for one file


# Ids that templates/document.html (and base.html) use: heading anchors in a body must avoid them.
DOCUMENT_PAGE_IDS = frozenset({"noi-dung", "thong-tin", "quan-he", "giai-doan", "nhiem-vu", "muc-luc",
                               "toan-van", "dang-ky-lich"})


def _excerpt(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > 0 else limit].rstrip(",;:") + "…"


@dataclass
class PlanMemo:
    """What a dev server's next `plan_pages` may reuse: a year's month views while that year's
    events, the phases and the day are unchanged, and a document's page while the document and
    its rendered body are the very same objects (the page is then also recognised as unchanged
    at a glance)."""

    months: dict[int, tuple] = field(default_factory=dict)
    documents: dict[str, tuple[Document, RenderedMarkdown, "Page"]] = field(default_factory=dict)
    listings: tuple[tuple, list["Page"]] | None = None  # while the order, kinds and years stay


def plan_pages(index: SiteIndex, bodies: dict[str, RenderedMarkdown], memo: PlanMemo | None = None) -> list[Page]:
    """Every page with its context."""
    site = index.site
    home = ("Trang chủ", HOME)
    docs_crumb = (home, ("Văn bản", DOCUMENTS))
    pages = [
        Page(HOME, "home.html", site.config.title, description=site.config.description,
             context={"latest": index.newest_first[: site.config.latest_documents]}),
    ]

    per_page = site.config.documents_per_page
    if memo is None:
        pages.extend(_listing_pages(index, per_page, home))
    else:
        listing_key = (per_page, index.newest_first,
                       tuple((index.documents[slug].meta.kind, index.documents[slug].meta.year) for slug in index.newest_first))
        if memo.listings is None or memo.listings[0] != listing_key:
            memo.listings = (listing_key, _listing_pages(index, per_page, home))
        pages.extend(memo.listings[1])
    known = memo.documents if memo is not None else {}
    planned: dict[str, tuple[Document, RenderedMarkdown, Page]] = {}
    for slug, document in index.documents.items():
        body = bodies[slug]
        before = known.get(slug)
        if before is not None and before[0] is document and before[1] is body:
            page = before[2]
        else:
            meta = document.meta
            description = meta.summary or _excerpt(body.first_paragraph) or meta.display_title
            number = meta.number if not meta.is_draft else "chưa có số"
            page = Page(document_path(slug), "document.html", f"{meta.kind.label} {number}: {meta.display_title}",
                        breadcrumbs=docs_crumb, description=description, context={"document": document, "body": body})
        planned[slug] = (document, body, page)
        pages.append(page)
    if memo is not None:
        memo.documents = planned

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
        ancestors = []
        parent = unit.parent
        while parent and parent in index.units and len(ancestors) < 20:
            ancestors.insert(0, (index.units[parent].label, unit_path(parent)))
            parent = index.units[parent].parent
        pages.append(Page(unit_path(unit.id), "unit.html", unit.name,
                          breadcrumbs=(home, ("Đơn vị", UNITS), *ancestors),
                          description=unit.description or f"Văn bản ban hành, văn bản gửi đến và nhiệm vụ của {unit.name}.",
                          context={"unit": unit, "feed": feed_path(unit_path(unit.id))}))

    by_next = sorted(site.commemorations, key=lambda c: (
        index.next_occurrences[c.id].day if index.next_occurrences[c.id] else index.today, c.id))
    pages.append(Page(COMMEMORATIONS, "commemorations.html", "Ngày kỷ niệm", breadcrumbs=(home,),
                      description="Các ngày lễ lớn, sự kiện lịch sử và số năm kỷ niệm.",
                      context={"ordered": by_next}))
    occurrences: dict[str, list] = {}  # grouped once: a page per commemoration must not scan every event
    for event in index.events:
        if event.occurrence:
            occurrences.setdefault(event.occurrence.commemoration_id, []).append(event)
    for commemoration in site.commemorations:
        pages.append(Page(commemoration_path(commemoration.id), "commemoration.html", commemoration.name,
                          breadcrumbs=(home, ("Ngày kỷ niệm", COMMEMORATIONS)),
                          description=commemoration.description or commemoration.name,
                          context={"commemoration": commemoration,
                                   "occurrences": occurrences.get(commemoration.id, [])}))

    horizon = index.today + timedelta(days=365)
    upcoming = [e for e in index.events if index.today <= e.start < horizon]
    by_month: dict[tuple[int, int], list] = {}
    for event in upcoming:
        by_month.setdefault((event.start.year, event.start.month), []).append(event)
    pages.append(Page(CALENDAR, "calendar.html", "Lịch tuyên truyền", breadcrumbs=(home,),
                      description="Ngày kỷ niệm, giai đoạn tuyên truyền và hạn nhiệm vụ trong 12 tháng tới; "
                                  "đăng ký lịch vào Google, Apple, Outlook, Thunderbird.",
                      context={"by_month": by_month, "feed": MAIN_FEED}))
    for year in index.calendar_years:
        pages.append(Page(year_path(year), "calendar_year.html", f"Lịch năm {year}",
                          breadcrumbs=(home, ("Lịch", CALENDAR)),
                          description=f"Lịch các ngày kỷ niệm và giai đoạn tuyên truyền năm {year}.",
                          context={"year": year, "months": _months(year, index, memo.months if memo else None),
                                   "feed": MAIN_FEED}))

    pages.append(Page(SEARCH, "search.html", "Tìm kiếm", breadcrumbs=(home,),
                      description="Tìm văn bản theo từ khóa, có dấu hoặc không dấu, hoặc theo số hiệu."))
    pages.append(Page("404.html", "404.html", "Không tìm thấy trang", breadcrumbs=(home,), in_sitemap=False))
    return pages


@dataclass(frozen=True)
class Pagination:
    """Where one page sits in a list split into pages of `per_page` items."""

    first_page: str  # path of page 1
    number: int  # this page, from 1
    count: int  # pages in all
    total: int  # items in all

    def path(self, number: int | None = None) -> str:
        return numbered_page_path(self.first_page, self.number if number is None else number)

    def title(self, name: str) -> str:
        return name if self.number == 1 else f"{name} – trang {self.number}"

    def crumbs(self, name: str) -> tuple[tuple[str, str], ...]:
        """Page 2 and later sit under page 1 in the breadcrumb trail."""
        return () if self.number == 1 else ((name, self.first_page),)

    @property
    def shown(self) -> tuple[int | None, ...]:
        """Page numbers to link, None for a gap: the first, the last and one either side of this
        one ("1 … 5 6 7 … 200"), so the links fit one line of a phone at any length."""
        near = {1, self.count, *range(self.number - 1, self.number + 2)}
        numbers = sorted(n for n in near if 1 <= n <= self.count)
        shown: list[int | None] = []
        for n in numbers:
            if shown and n - (shown[-1] or 0) == 2:  # a gap of one page: show its number, not "…"
                shown.append(n - 1)
            elif shown and n - (shown[-1] or 0) > 2:
                shown.append(None)
            shown.append(n)
        return tuple(shown)


def paginate(first_page: str, slugs: tuple[str, ...] | list[str], per_page: int) -> list[tuple[tuple[str, ...], Pagination]]:
    """The pages of a list: each page's items and its place; an empty list still has page 1."""
    count = max(1, -(-len(slugs) // per_page))
    return [(tuple(slugs[(n - 1) * per_page:n * per_page]), Pagination(first_page, n, count, len(slugs)))
            for n in range(1, count + 1)]


@dataclass(frozen=True)
class Facet:
    label: str
    path: str | None  # None: no document has it together with the other facet chosen (no link)
    count: int
    current: bool


def _listing_pages(index: SiteIndex, per_page: int, home: tuple[str, str]) -> list[Page]:
    """All documents newest first, and the same list for each kind, each year and each kind in
    each year: static pages for what a search form would ask a server ("Kế hoạch năm 2025")."""
    by_choice: dict[tuple[DocumentKind | None, int | None], list[str]] = {}
    for slug in index.newest_first:
        meta = index.documents[slug].meta
        for kind in (None, meta.kind):
            for year in (None, meta.year) if meta.year else (None,):
                by_choice.setdefault((kind, year), []).append(slug)
    by_choice.setdefault((None, None), [])
    kinds = [kind for kind in DocumentKind if (kind, None) in by_choice]
    years = sorted({year for _, year in by_choice if year}, reverse=True)

    def facets(kind: DocumentKind | None, year: int | None) -> dict[str, tuple[Facet, ...]]:
        def facet(label: str, k: DocumentKind | None, y: int | None, current: bool) -> Facet:
            slugs = by_choice.get((k, y), ())
            path = listing_path(k.value if k else None, y) if slugs or current else None
            return Facet(label, path, len(slugs), current)
        return {
            "kinds": (facet("Tất cả", None, year, kind is None),
                      *(facet(k.label, k, year, k == kind) for k in kinds)),
            "years": (facet("Mọi năm", kind, None, year is None),
                      *(facet(str(y), kind, y, y == year) for y in years)),
        }

    pages = []
    for (kind, year), slugs in by_choice.items():
        name = kind.label if kind else "Văn bản"
        if year:
            name += f" năm {year}"
        first = listing_path(kind.value if kind else None, year)
        crumbs = (home,) if first == DOCUMENTS else (home, ("Văn bản", DOCUMENTS))
        choice = facets(kind, year)
        for page_slugs, pagination in paginate(first, slugs, per_page):
            pages.append(Page(
                pagination.path(), "documents.html", pagination.title(name),
                breadcrumbs=(*crumbs, *pagination.crumbs(name)),
                description=f"{name}: {len(slugs)} văn bản, mới nhất trước." if (kind or year) else
                "Tất cả kế hoạch, công văn, hướng dẫn và đề cương tuyên truyền.",
                in_sitemap=pagination.number == 1,
                context={"heading": name, "slugs": page_slugs, "pagination": pagination, **choice}))
    return pages


def _months(year: int, index: SiteIndex, memo: dict | None):
    events = tuple(e for e in index.events if e.start.year == year and e.kind != PHASE)
    key = (events, index.phases, index.today)
    if memo is not None and year in memo and memo[year][0] == key:
        return memo[year][1]
    views = month_views(year, events, index.phases, index.today)
    if memo is not None:
        memo[year] = (key, views)
    return views


def feed_specs(index: SiteIndex) -> list[tuple[FeedSpec, tuple]]:
    """Every feed and its events: the whole calendar, one per topic, one per unit."""
    site = index.site
    by_topic: dict[str, list] = {}
    by_unit: dict[str, list] = {}
    for event in index.events:  # one pass, not one per feed: hundreds of units at scale
        for topic_id in event.topics:  # unique within an event (CalendarEvent sees to it)
            by_topic.setdefault(topic_id, []).append(event)
        for unit_id in event.units:
            by_unit.setdefault(unit_id, []).append(event)
    specs = [(FeedSpec("lich", MAIN_FEED, site.config.title,
                       f"{site.config.description} Ngày kỷ niệm, giai đoạn tuyên truyền và hạn nhiệm vụ."),
              index.events)]
    for topic in site.topics:
        specs.append((FeedSpec(f"chu-de/{topic.id}", feed_path(topic_path(topic.id)),
                               f"{topic.name} – {site.config.title}", topic.description),
                      tuple(by_topic.get(topic.id, ()))))
    for unit in site.units:
        specs.append((FeedSpec(f"don-vi/{unit.id}", feed_path(unit_path(unit.id)),
                               f"{unit.label} – {site.config.title}",
                               f"Giai đoạn tuyên truyền và hạn nhiệm vụ của {unit.name}."),
                      tuple(by_unit.get(unit.id, ()))))
    return specs


def headers_file(paths: list[str], base_path: str) -> str:
    """Netlify / Cloudflare Pages: serve feeds as text/calendar (stock servers often do not)."""
    blocks = [f"{base_path}{path}\n  Content-Type: text/calendar; charset=utf-8\n" for path in paths]
    return "\n".join(blocks)
