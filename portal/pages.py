"""Stage 4b: which pages exist, at which URL, with which context; then render them all.

URLs are Vietnamese words without diacritics, folders with index.html, so links are readable when
shared in Zalo or Facebook. Contexts are built for every page before any is rendered.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from .calendar import PHASE, month_views
from .derive import SiteIndex
from .feeds import FeedSpec
from .markdown import RenderedMarkdown
from .models import DocumentKind

HOME = ""
DOCUMENTS = "van-ban/"
TOPICS = "chu-de/"
UNITS = "don-vi/"
COMMEMORATIONS = "ngay-ky-niem/"
CALENDAR = "lich/"
MAIN_FEED = "lich.ics"


def document_path(slug: str) -> str:
    return f"{DOCUMENTS}{slug}/"


def topic_path(topic_id: str) -> str:
    return f"{TOPICS}{topic_id}/"


def unit_path(unit_id: str) -> str:
    return f"{UNITS}{unit_id}/"


def commemoration_path(commemoration_id: str) -> str:
    return f"{COMMEMORATIONS}{commemoration_id}/"


def year_path(year: int) -> str:
    return f"{CALENDAR}{year}/"


def feed_path(page_path: str) -> str:
    """Each subscribable page has its feed beside it: "chu-de/x/" -> "chu-de/x/lich.ics"."""
    return f"{page_path}lich.ics" if page_path else MAIN_FEED


@dataclass(frozen=True)
class Page:
    path: str  # URL path under the base ("van-ban/x/"); a folder gets index.html
    template: str
    title: str
    context: dict[str, Any] = field(default_factory=dict)
    breadcrumbs: tuple[tuple[str, str], ...] = ()  # (label, path) of the ancestors
    description: str = ""
    in_sitemap: bool = True

    @property
    def output_file(self) -> str:
        return self.path + "index.html" if self.path.endswith("/") or not self.path else self.path


# Ids that templates/document.html (and base.html) use: heading anchors in a body must avoid them.
DOCUMENT_PAGE_IDS = frozenset({"noi-dung", "thong-tin", "quan-he", "giai-doan", "nhiem-vu", "muc-luc",
                               "toan-van", "dang-ky-lich"})


def _excerpt(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > 0 else limit].rstrip(",;:") + "…"


def plan_pages(index: SiteIndex, bodies: dict[str, RenderedMarkdown], months_memo: dict | None = None) -> list[Page]:
    """Every page with its context. `months_memo` (the dev server's) keeps a year's month views
    while that year's events, the phases and the day are unchanged."""
    site = index.site
    home = ("Trang chủ", HOME)
    docs_crumb = (home, ("Văn bản", DOCUMENTS))
    pages = [
        Page(HOME, "home.html", site.config.title, description=site.config.description,
             context={"latest": index.newest_first[: site.config.latest_documents]}),
    ]

    kinds = Counter(d.meta.kind for d in site.documents)
    years = sorted({d.meta.year for d in site.documents if d.meta.year}, reverse=True)
    issuers = sorted({d.meta.issuer for d in site.documents}, key=lambda u: index.units[u].name)
    pages.append(Page(DOCUMENTS, "documents.html", "Văn bản", breadcrumbs=(home,),
                      description="Tất cả kế hoạch, công văn, hướng dẫn và đề cương tuyên truyền.",
                      context={"kinds": [k for k in DocumentKind if kinds[k]], "kind_counts": kinds,
                               "years": years, "issuers": issuers}))
    for slug, document in index.documents.items():
        body = bodies[slug]
        meta = document.meta
        description = meta.summary or _excerpt(body.first_paragraph) or meta.display_title
        number = meta.number if not meta.is_draft else "chưa có số"
        pages.append(Page(document_path(slug), "document.html", f"{meta.kind.label} {number}: {meta.display_title}",
                          breadcrumbs=docs_crumb, description=description,
                          context={"document": document, "body": body}))

    pages.append(Page(TOPICS, "topics.html", "Chủ đề", breadcrumbs=(home,),
                      description="Các chủ đề tuyên truyền và văn bản theo từng chủ đề."))
    for topic in site.topics:
        pages.append(Page(topic_path(topic.id), "topic.html", topic.name,
                          breadcrumbs=(home, ("Chủ đề", TOPICS)), description=topic.description,
                          context={"topic": topic, "feed": feed_path(topic_path(topic.id))}))

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
                          context={"year": year, "months": _months(year, index, months_memo), "feed": MAIN_FEED}))

    pages.append(Page("tim-kiem/", "search.html", "Tìm kiếm", breadcrumbs=(home,),
                      description="Tìm văn bản theo từ khóa, có dấu hoặc không dấu, hoặc theo số hiệu."))
    pages.append(Page("404.html", "404.html", "Không tìm thấy trang", breadcrumbs=(home,), in_sitemap=False))
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
        for topic_id in dict.fromkeys(event.topics):
            by_topic.setdefault(topic_id, []).append(event)
        for unit_id in dict.fromkeys(event.units):
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
