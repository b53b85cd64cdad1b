"""The one build path, full or incremental: load -> validate -> derive -> render, into memory.

`SiteBuilder.build()` always computes the whole site's outputs. A builder that has built before
reuses what cannot have changed: files whose bytes are the same are not parsed again, documents
not validated again, Markdown not rendered again, and a page is rendered again only when its
context, the index entries it read (`tracking.py`) or the theme and configuration changed. A
fresh builder has nothing to reuse, so `build` and the dev server share every line of this code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from portal.build.collector import collector_paused
from portal.derive.index import DeriveMemo, SiteIndex, derive
from portal.diagnostics import Diagnostic, Severity, has_errors, sort_diagnostics
from portal.calendar.ical import (
    REVISIONS_FILE,
    FeedWriter,
    Revision,
    dump_revisions,
    load_revisions,
    revision_lines,
    site_namespace,
    subscription_links,
)
from portal.load.files import LoadCache, load_content
from portal.render.bodies import RenderedMarkdown, render_markdown
from portal.content.models import Site, SiteConfig
from portal.build.parallel import parallel_imap, parallel_map
from portal.render.pages import (
    DOCUMENT_PAGE_IDS,
    SITEMAP,
    SITEMAP_URLS,
    Page,
    PlanMemo,
    commemoration_path,
    document_path,
    feed_specs,
    headers_file,
    plan_pages,
    topic_path,
    unit_path,
    year_path,
)
from portal.render.templates import STATIC_DIR, Renderer, fingerprinted
from portal.render.search import SearchIndexer
from portal.write.stamp import Stamp
from portal.render.sharing import (
    ATOM_FEED,
    SHARE_IMAGE,
    SHARE_IMAGE_SIZE,
    atom_feed,
    commemoration_json_ld,
    document_json_ld,
    share_image,
)
from portal.build.tracking import IndexChanges, Read, TrackedIndex, group_reads
from portal.content.validate import ValidationMemo, validate_content
from portal.write.outputs import Outputs


PROJECT_ROOT = Path(__file__).resolve().parents[2]
# The project's templates/ folder: beside the package in a checkout (also with `pip install -e .`),
# or ./templates when the portal is installed elsewhere and run from a project folder.
DEFAULT_TEMPLATES = PROJECT_ROOT / "templates" if (PROJECT_ROOT / "templates").is_dir() else Path("templates")


def today_in(config: SiteConfig) -> date:
    return datetime.now(ZoneInfo(config.timezone)).date()


@dataclass(frozen=True)
class BuildOptions:
    content: Path
    out: Path
    today: date | None  # None: today in the site's timezone
    templates: Path = DEFAULT_TEMPLATES
    base_url: str | None = None  # overrides site.yaml's base_url (e.g. for a preview host)
    previous: Path | None = None  # a previous build whose feed revisions carry over (default: `out`)
    workers: int = 1  # processes for rendering; `build` uses every core, the dev server one


@dataclass(frozen=True)
class BuildResult:
    diagnostics: list[Diagnostic]
    outputs: Outputs | None = None
    index: SiteIndex | None = None
    rendered: tuple[str, ...] = ()  # outputs produced anew by this build (the rest were reused)
    unchanged: Stamp | None = None  # the inputs were those of the last build: nothing was written

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)


@dataclass
class _Rendered:
    page: Page
    reads: dict[str, frozenset]  # index attribute -> keys the page read
    data: bytes | None  # None: written to disk, not kept for a next build


@dataclass
class _Theme:
    files: dict[str, bytes]  # every file under templates/, by relative path

    @property
    def assets(self) -> dict[str, bytes]:
        """Static files as published: stylesheets minified (rcssmin), the rest as they are."""
        prefix = STATIC_DIR + "/"
        return {path[len(prefix):]: (minify_css(data) if path.endswith(".css") else data)
                for path, data in self.files.items() if path.startswith(prefix)}


def minify_css(data: bytes) -> bytes:
    import rcssmin

    return rcssmin.cssmin(data.decode("utf-8")).encode("utf-8")


def read_theme(templates: Path) -> _Theme:
    return _Theme({p.relative_to(templates).as_posix(): p.read_bytes()
                   for p in sorted(templates.rglob("*")) if p.is_file()})


def apply_base_url(site: Site, base_url: str | None) -> Site:
    if not base_url:
        return site
    config = SiteConfig.model_validate({**site.config.model_dump(), "base_url": base_url})
    return site.model_copy(update={"config": config})


@dataclass
class SiteBuilder:
    options: BuildOptions
    previous: dict[str, Revision] = field(default_factory=dict)  # revisions of the last published build
    # Keep what a next build can reuse (the dev server). A one-shot build keeps nothing: it writes
    # each page to disk and lets it go, so ten thousand documents fit in well under 1 GB.
    incremental: bool = True

    _load_cache: LoadCache = field(default_factory=dict)
    _memo: ValidationMemo = field(default_factory=ValidationMemo)
    _bodies: dict[str, RenderedMarkdown] = field(default_factory=dict)
    _plan: PlanMemo = field(default_factory=PlanMemo)
    _derived: DeriveMemo = field(default_factory=DeriveMemo)
    _settings: Any = None  # (config, today, theme files): any change re-renders everything
    _renderer: Renderer | None = None
    _asset_names: dict[str, str] = field(default_factory=dict)
    _assets: dict[str, bytes] = field(default_factory=dict)
    _index: SiteIndex | None = None
    _pages: dict[str, _Rendered] = field(default_factory=dict)
    _sitemaps: tuple[tuple[str, ...] | None, list[tuple[str, str]]] = (None, [])
    _feeds: dict[str, tuple[Any, bytes, str, int]] = field(default_factory=dict)
    _writer: FeedWriter | None = None
    _atom: dict[str, tuple[Any, bytes]] = field(default_factory=dict)
    _share_image: bytes | None = None
    _search: SearchIndexer = field(default_factory=SearchIndexer)

    @classmethod
    def for_options(cls, options: BuildOptions, incremental: bool = True) -> "SiteBuilder":
        return cls(options, load_revisions(options.previous or options.out), incremental)

    def check(self) -> tuple[Site | None, list[Diagnostic]]:
        with collector_paused():
            return self._check()

    def _check(self) -> tuple[Site | None, list[Diagnostic]]:
        raw = load_content(self.options.content, cache=self._load_cache if self.incremental else None,
                           workers=self.options.workers)
        site, diagnostics = validate_content(raw, self._memo if self.incremental else None)
        if site is not None:
            site = apply_base_url(site, self.options.base_url)
        return site, sort_diagnostics(diagnostics)

    def build(self, outputs: Outputs | None = None) -> BuildResult:
        """The site into `outputs` (default: a new one in memory)."""
        with collector_paused():
            return self._build(outputs)

    def _build(self, outputs: Outputs | None) -> BuildResult:
        site, diagnostics = self._check()
        if site is None or has_errors(diagnostics):
            return BuildResult(diagnostics)
        today = self.options.today or today_in(site.config)  # a dev server runs past midnight
        index = derive(site, today, self._derived if self.incremental else None)
        theme = read_theme(self.options.templates)
        settings = (site.config, today, theme.files)
        if settings != self._settings:
            self._assets = theme.assets  # configuration, day or theme changed: nothing is reusable
            self._settings = settings
            self._asset_names = {name: fingerprinted(name, data) for name, data in self._assets.items()}
            self._renderer = Renderer(self.options.templates, site.config, today, self._asset_names)
            absolute_url = self._renderer.absolute_url
            self._renderer.env.globals.update(
                document_path=document_path, topic_path=topic_path, unit_path=unit_path,
                commemoration_path=commemoration_path, year_path=year_path, subscription_links=subscription_links,
                share_image=SHARE_IMAGE, share_image_size=SHARE_IMAGE_SIZE, atom_feed_path=ATOM_FEED,
                document_json_ld=lambda index, document: document_json_ld(index, document, absolute_url),
                commemoration_json_ld=lambda index, cid: commemoration_json_ld(index, cid, absolute_url))
            self._bodies, self._pages, self._feeds, self._plan, self._atom = {}, {}, {}, PlanMemo(), {}
            self._sitemaps = (None, [])
            self._search = SearchIndexer(keep_files=self.incremental)
            self._index = None
        outputs = outputs if outputs is not None else Outputs()
        rendered: list[str] = []
        for name, data in self._assets.items():
            outputs.add(f"{STATIC_DIR}/{self._asset_names[name]}", data)
        bodies = self._render_bodies(index)
        self._render_pages(index, bodies, outputs, rendered)
        notes = self._render_feeds(index, outputs, rendered)
        self._render_sharing(index, outputs, rendered)
        self._search.write(index, bodies, self._renderer.url, outputs, self.options.workers)
        self._index = index
        return BuildResult(sort_diagnostics([*diagnostics, *notes]), outputs, index, tuple(rendered))

    def _render_bodies(self, index: SiteIndex) -> dict[str, RenderedMarkdown]:
        """Every document's rendered Markdown, by slug; only texts not rendered before are parsed."""
        renderer = self._renderer
        assert renderer is not None
        texts = list(dict.fromkeys(document.body for document in index.documents.values()))
        missing = [text for text in texts if text not in self._bodies]
        fresh = parallel_map(lambda text: render_markdown(text, renderer.config.base_path, DOCUMENT_PAGE_IDS),
                             missing, self.options.workers)
        known = {**self._bodies, **dict(zip(missing, fresh))}
        self._bodies = {text: known[text] for text in texts}  # forget bodies no document has any more
        return {slug: self._bodies[document.body] for slug, document in index.documents.items()}

    def _render_pages(self, index: SiteIndex, bodies: dict[str, RenderedMarkdown], outputs: Outputs,
                      rendered: list[str]) -> None:
        renderer = self._renderer
        assert renderer is not None
        changes = IndexChanges(self._index, index) if self._index is not None else None
        pages = plan_pages(index, bodies, self._plan if self.incremental else None)

        def unchanged(page: Page) -> bool:
            before = self._pages.get(page.output_file)
            return before is not None and before.data is not None and changes is not None \
                and (before.page is page or before.page == page) and not changes.any_changed(before.reads)

        # A one-shot build into a staging folder: whoever renders a page writes it, so page bytes
        # never travel from the workers back to this process, and nothing is kept for reuse.
        write_where_rendered = not self.incremental and not outputs.in_memory

        def render_page(page: Page) -> tuple[dict[str, frozenset], bytes | int]:
            if write_where_rendered:
                data = renderer.render(page.template, page=page, index=index, **page.context).encode("utf-8")
                return {}, outputs.store(page.output_file, data)
            reads: set[Read] = set()
            data = renderer.render(page.template, page=page, index=TrackedIndex(index, reads), **page.context)
            return group_reads(reads), data.encode("utf-8")

        todo = [page for page in pages if not unchanged(page)]
        fresh: dict[str, _Rendered] = {}
        for page, (reads, data) in zip(todo, parallel_imap(render_page, todo, self.options.workers)):
            if isinstance(data, int):
                outputs.record(page.output_file, data)
            else:
                outputs.add(page.output_file, data)
            fresh[page.output_file] = _Rendered(page, reads, data if self.incremental else None)
        rendered.extend(fresh)
        for page in pages:
            if page.output_file not in fresh:
                fresh[page.output_file] = before = self._pages[page.output_file]
                assert before.data is not None
                outputs.add(page.output_file, before.data)
        self._pages = fresh
        paths = tuple(page.path for page in pages if page.in_sitemap)
        if self._sitemaps[0] != paths:  # only a page added, removed or moved changes it
            self._sitemaps = (paths, self._render_sitemaps(paths))
        for name, data in self._sitemaps[1]:
            outputs.add(name, data)
        outputs.add("robots.txt", self._renderer.render("robots.txt"))

    def _render_sitemaps(self, paths: tuple[str, ...]) -> list[tuple[str, str]]:
        """sitemap.xml; past the protocol's 50,000 URLs a file, an index of numbered files."""
        assert self._renderer is not None
        render = self._renderer.render
        if len(paths) <= SITEMAP_URLS:
            return [(SITEMAP, render("sitemap.xml", paths=paths))]
        parts = [(f"sitemap-{n + 1}.xml", render("sitemap.xml", paths=paths[start:start + SITEMAP_URLS]))
                 for n, start in enumerate(range(0, len(paths), SITEMAP_URLS))]
        return [(SITEMAP, render("sitemap_index.xml", files=[name for name, _ in parts])), *parts]

    def _render_feeds(self, index: SiteIndex, outputs: Outputs, rendered: list[str]) -> list[Diagnostic]:
        assert self._renderer is not None
        config = index.site.config
        writer = FeedWriter(absolute_url=self._renderer.absolute_url,
                            category_names={t.id: t.name for t in index.site.topics},
                            namespace=site_namespace(config.base_url), alarm=config.calendar.alarm)
        if self._writer is not None:
            writer.adopt_cache(self._writer)
        self._writer = writer
        notes: list[Diagnostic] = []
        feeds: dict[str, tuple[Any, bytes, str, int]] = {}
        categories = tuple(sorted(writer.category_names.items()))
        specs = feed_specs(index)
        writer.prepare(index.events, self.options.workers)  # the whole calendar holds every other feed's events
        for spec, events in specs:
            key = (spec, events, categories)
            before = self._feeds.get(spec.path)
            if before is not None and before[0] == key:
                feeds[spec.path] = before
            else:
                data, feed_revisions, left_out = writer.feed(spec, events, index.today, self.previous)
                feeds[spec.path] = (key, data, revision_lines(feed_revisions), left_out)
                rendered.append(spec.path)
            _, data, _, left_out = feeds[spec.path]
            if left_out:
                notes.append(Diagnostic(spec.path, 0, 0, "feed-trimmed",
                                        f"lược {left_out}/{len(events)} sự kiện cũ hoặc xa nhất để tệp dưới 1 MB",
                                        "Google Lịch không nhận lịch đăng ký lớn hơn 1 MB; các sự kiện vẫn có trên trang",
                                        severity=Severity.WARNING))
            outputs.add(spec.path, data)
        self._feeds = feeds
        outputs.add(REVISIONS_FILE, dump_revisions([part for _, _, part, _ in feeds.values()]))
        outputs.add("_headers", headers_file(list(feeds), config.base_path))
        outputs.add(".nojekyll", b"")
        return notes

    def _render_sharing(self, index: SiteIndex, outputs: Outputs, rendered: list[str]) -> None:
        """The link-preview image and the Atom feeds (whole site and per topic)."""
        assert self._renderer is not None
        if self._share_image is None:
            self._share_image = share_image()
        outputs.add(SHARE_IMAGE, self._share_image)
        config, url = index.site.config, self._renderer.absolute_url
        feeds = [(ATOM_FEED, "", config.title, config.description, index.newest_first)]
        feeds += [(f"{topic_path(t.id)}{ATOM_FEED}", topic_path(t.id), f"{t.name} – {config.title}", t.description,
                   index.topic_documents[t.id]) for t in index.site.topics]
        atom: dict[str, tuple[Any, bytes]] = {}
        topic_names = tuple((t.id, t.name) for t in index.site.topics)
        for path, page, title, subtitle, slugs in feeds:
            key = (title, subtitle, tuple(index.documents[slug] for slug in slugs[:50]),
                   tuple(index.units[index.documents[slug].meta.issuer].name for slug in slugs[:50]), topic_names)
            before = self._atom.get(path)
            if before is not None and before[0] == key:
                atom[path] = before
            else:
                atom[path] = (key, atom_feed(index, slugs, url(path), url(page), title, subtitle, url))
                rendered.append(path)
            outputs.add(path, atom[path][1])
        self._atom = atom
