"""Stage 4b: which pages exist, at which URL, with which context; then render them all.

URLs are Vietnamese words without diacritics, folders with index.html, so links are readable when
shared in Zalo or Facebook. Contexts are built for every page before any is rendered.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from .calendar import month_views
from .derive import SiteIndex
from .diagnostics import Diagnostic, Severity
from .feeds import REVISIONS_FILE, FeedSpec, FeedWriter, Revision, dump_revisions, site_namespace, subscription_links
from .markdown import RenderedMarkdown, render_markdown
from .models import DocumentKind
from .render import STATIC_DIR, Renderer, asset_version
from .writer import Outputs

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


def plan_pages(index: SiteIndex, bodies: dict[str, RenderedMarkdown]) -> list[Page]:
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
    for commemoration in site.commemorations:
        pages.append(Page(commemoration_path(commemoration.id), "commemoration.html", commemoration.name,
                          breadcrumbs=(home, ("Ngày kỷ niệm", COMMEMORATIONS)),
                          description=commemoration.description or commemoration.name,
                          context={"commemoration": commemoration,
                                   "occurrences": [e for e in index.events
                                                   if e.occurrence and e.occurrence.commemoration_id == commemoration.id]}))

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
                          context={"year": year, "months": month_views(year, index.events, site, index.today),
                                   "feed": MAIN_FEED}))

    pages.append(Page("404.html", "404.html", "Không tìm thấy trang", breadcrumbs=(home,), in_sitemap=False))
    return pages


def feed_specs(index: SiteIndex) -> list[tuple[FeedSpec, tuple]]:
    """Every feed and its events: the whole calendar, one per topic, one per unit."""
    site = index.site
    specs = [(FeedSpec("lich", MAIN_FEED, site.config.title,
                       f"{site.config.description} Ngày kỷ niệm, giai đoạn tuyên truyền và hạn nhiệm vụ."),
              index.events)]
    for topic in site.topics:
        specs.append((FeedSpec(f"chu-de/{topic.id}", feed_path(topic_path(topic.id)),
                               f"{topic.name} – {site.config.title}", topic.description),
                      tuple(e for e in index.events if topic.id in e.topics)))
    for unit in site.units:
        specs.append((FeedSpec(f"don-vi/{unit.id}", feed_path(unit_path(unit.id)),
                               f"{unit.label} – {site.config.title}",
                               f"Giai đoạn tuyên truyền và hạn nhiệm vụ của {unit.name}."),
                      tuple(e for e in index.events if unit.id in e.units)))
    return specs


def _headers_file(paths: list[str], base_path: str) -> str:
    """Netlify / Cloudflare Pages: serve feeds as text/calendar (stock servers often do not)."""
    blocks = [f"{base_path}{path}\n  Content-Type: text/calendar; charset=utf-8\n" for path in paths]
    return "\n".join(blocks)


def render_site(index: SiteIndex, templates_dir: Path,
                previous: dict[str, Revision] | None = None) -> tuple[Outputs, list[Diagnostic]]:
    """Every output file, and warnings about what had to be adapted (e.g. a trimmed feed)."""
    notes: list[Diagnostic] = []
    outputs = Outputs()
    static_dir = templates_dir / STATIC_DIR
    versions = {}
    for asset in sorted(static_dir.rglob("*")) if static_dir.is_dir() else ():
        if asset.is_file():
            data = asset.read_bytes()
            name = asset.relative_to(static_dir).as_posix()
            versions[name] = asset_version(data)
            outputs.add(f"{STATIC_DIR}/{name}", data)

    renderer = Renderer(templates_dir, index.site.config, index.today, versions)
    bodies = {slug: render_markdown(d.body, renderer.markdown, DOCUMENT_PAGE_IDS) for slug, d in index.documents.items()}
    pages = plan_pages(index, bodies)
    # URL helpers are globals so that imported macros see them too.
    renderer.env.globals.update(document_path=document_path, topic_path=topic_path, unit_path=unit_path,
                                commemoration_path=commemoration_path, year_path=year_path,
                                subscription_links=subscription_links)
    common = {"index": index}
    for page in pages:
        outputs.add(page.output_file, renderer.render(page.template, page=page, **common, **page.context))
    outputs.add("sitemap.xml", renderer.render("sitemap.xml", pages=[p for p in pages if p.in_sitemap], **common))
    outputs.add("robots.txt", renderer.render("robots.txt", **common))

    config = index.site.config
    writer = FeedWriter(absolute_url=renderer.absolute_url, category_names={t.id: t.name for t in index.site.topics},
                        namespace=site_namespace(config.base_url), alarm=config.calendar.alarm)
    revisions: dict[str, Revision] = {}
    feed_paths = []
    for spec, events in feed_specs(index):
        data, feed_revisions, left_out = writer.feed(spec, events, index.today, previous or {})
        if left_out:
            notes.append(Diagnostic(spec.path, 0, 0, "feed-trimmed",
                                    f"lược {left_out}/{len(events)} sự kiện cũ hoặc xa nhất để tệp dưới 1 MB",
                                    "Google Lịch không nhận lịch đăng ký lớn hơn 1 MB; các sự kiện vẫn có trên trang",
                                    severity=Severity.WARNING))
        outputs.add(spec.path, data)
        revisions.update(feed_revisions)
        feed_paths.append(spec.path)
    outputs.add(REVISIONS_FILE, dump_revisions(revisions))
    outputs.add("_headers", _headers_file(feed_paths, config.base_path))
    outputs.add(".nojekyll", b"")
    return outputs, notes
