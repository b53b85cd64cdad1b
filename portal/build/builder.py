"""The one build path, one-shot or kept: load -> validate -> derive -> render, into `Outputs`.

`SiteBuilder.build()` runs the stages as named steps (Zola's `Site::build()`), and always
computes the whole site's outputs. The stages hand their per-item work to `self.steps`
(`portal/steps.py`): a one-shot builder (`keep=False`, what `build` uses) computes everything,
spreading large steps over the cores and letting each page go once written; a kept builder (the
dev server's) keeps each result while its inputs are the same (`reuse.Kept`), and a page is
rendered again only when the page, the index entries it read (`tracking.py`) or the build's
settings (configuration, day, theme) changed. Both run this same code.
"""

from __future__ import annotations

import functools
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from portal.build.collector import collector_paused
from portal.build.parallel import parallel_imap
from portal.build.reuse import Fresh, Kept
from portal.build.store import ResultStore, code_version
from portal.build.tracking import FragmentCache, IndexChanges, Read, Readers, TrackedIndex, group_reads
from portal.calendar.anniversaries import irregular_date
from portal.calendar.events import calendar_years
from portal.calendar.ical import Revision, load_revisions
from portal.content.models import Site, SiteConfig
from portal.content.validate import validate_content
from portal.derive.index import SiteIndex, derive
from portal.diagnostics import Diagnostic, has_errors, report, sort_diagnostics, with_more
from portal.load.files import Listing, RawFile, folder_prefixes, load_content, relist
from portal.render.atom import atom_feeds
from portal.render.bodies import RenderedMarkdown, render_bodies
from portal.render.cms import admin_files, bundle_files
from portal.render.feeds import calendar_feeds, duplicate_uid_problems
from portal.render.hostfiles import HEADERS, NO_JEKYLL, ROBOTS, headers_file, sitemaps
from portal.render.page import Page
from portal.render.plan import plan_pages
from portal.render.relative import make_relative
from portal.render.search import SearchIndex
from portal.render.sharing import FONT_FILES, SHARE_IMAGE, draw_card, font_dir, share_cards, share_image
from portal.render.templates import STATIC_DIR, Renderer, fingerprinted, read_theme, theme_problems
from portal.render.wordfile import document_downloads
from portal.write.outputs import Outputs, Store
from portal.write.stamp import Stamp

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# The project's templates/ folder: beside the package in a checkout (also with `pip install -e .`),
# or ./templates when the portal is installed elsewhere and run from a project folder.
DEFAULT_TEMPLATES = PROJECT_ROOT / "templates" if (PROJECT_ROOT / "templates").is_dir() else Path("templates")
DEFAULT_CMS = PROJECT_ROOT / "cms" if (PROJECT_ROOT / "cms").is_dir() else Path("cms")  # the pinned web editor


def today_in(config: SiteConfig) -> date:
    return datetime.now(ZoneInfo(config.timezone)).date()


@dataclass(frozen=True)
class BuildOptions:
    content: Path
    out: Path
    today: date | None  # None: today in the site's timezone
    templates: Path = DEFAULT_TEMPLATES
    base_url: str | None = None  # overrides site.yaml's base_url (e.g. for a preview host)
    # a previous build whose feed revisions carry over (default: `out`); `build` also takes the
    # live site's URL (`portal/build/previous.py`), every other stage a folder
    previous: Path | str | None = None
    workers: int = 1  # processes for rendering; `build` uses every core, the dev server one
    relative_links: bool = False  # pages link relative to themselves: a site opened from a folder (CI artifact)
    cms: Path = DEFAULT_CMS  # where `npm ci --prefix cms` installed the web editor (site.yaml's `cms:`)
    cache: bool = True  # `build` keeps costly results in a file beside `out` (`store.py`) and reuses them


@dataclass(frozen=True)
class BuildResult:
    diagnostics: list[Diagnostic]
    outputs: Outputs | None = None
    index: SiteIndex | None = None
    rendered: tuple[str, ...] = ()  # pages rendered anew by this build (the rest were reused)
    unchanged: Stamp | None = None  # the inputs were those of the last build: nothing was written

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)


@functools.cache
def store_version() -> str:
    """What a stored result depends on besides its arguments: the code, the libraries, the card fonts."""
    folder = font_dir()
    return code_version([folder / name for name in sorted(FONT_FILES.values())] if folder else [])


def apply_base_url(site: Site, base_url: str | None) -> Site:
    if not base_url:
        return site
    config = SiteConfig.model_validate({**site.config.model_dump(), "base_url": base_url})
    return site.model_copy(update={"config": config})


@dataclass
class _Theme:
    """What the build's settings (configuration, day, theme files) make: anything rendered with
    another one is stale."""

    settings: tuple
    renderer: Renderer
    assets: dict[str, bytes]  # published name -> bytes

    @property
    def files(self) -> dict[str, bytes]:
        """Every file of the theme, by its path under templates/."""
        return self.settings[2]


def _commemoration_lines(raw: RawFile | None) -> dict[str, tuple[str, int]]:
    """The file and line of each commemoration, by id."""
    if raw is None or not isinstance(raw.data, list):
        return {}
    return {item["id"]: (raw.path, raw.source_map.locate((position, "id"))[0])
            for position, item in enumerate(raw.data) if isinstance(item, dict) and isinstance(item.get("id"), str)}


def _irregular_dates(site: Site, listing: RawFile | None, today: date | None) -> list[Diagnostic]:
    """A warning, at the `date` line, for each commemoration whose day some years lack (29/02, a
    lunar 30), with the rule the calendar applies: the editor sees it in `check`, not in a client.
    Here and not in validation because it needs the lunar calendar (a later layer)."""
    if listing is None or not isinstance(listing.data, list):
        return []
    years = calendar_years(today or today_in(site.config), site.config.calendar)
    positions = {item.get("id"): position for position, item in enumerate(listing.data) if isinstance(item, dict)}
    warnings = []
    for commemoration in site.commemorations:
        if (found := irregular_date(commemoration, years)) is None or commemoration.id not in positions:
            continue
        position = positions[commemoration.id]
        line, col = listing.source_map.locate((position, "date"))
        detail, hint = found
        warnings.append(report("date-not-every-year", listing.path, line, col, field=f"[{position}].date",
                               detail=detail, hint=hint))
    return warnings


class SiteBuilder:
    def __init__(self, options: BuildOptions, keep: bool = True, store: ResultStore | None = None):
        self.options = options
        # A kept builder keeps what a next build can reuse (the dev server). A one-shot build keeps
        # nothing in memory: it writes each page to disk and lets it go, so ten thousand documents
        # fit in well under 1 GB; with a `store` (`build`'s cache file) it finds the costly
        # per-item results of the last build again.
        self.keep = keep
        self.steps = Kept(options.workers) if keep else Fresh(options.workers, store)
        self.previous: dict[str, Revision] = load_revisions(Path(options.previous or options.out))
        self._theme: _Theme | None = None
        self._search = SearchIndex()
        self._index: SiteIndex | None = None  # of the last build, with what its pages read:
        self._pages: dict[str, Page] = {}  # by output file
        self._readers = Readers()  # what each of them read
        self._outputs: Outputs | None = None  # and its outputs (kept in memory)
        self._commemoration_lines: dict[str, tuple[str, int]] = {}  # where each is, for feed errors
        self._listing: Listing | None = None  # the content folder as the last build found it

    def check(self) -> tuple[Site | None, list[Diagnostic]]:
        with collector_paused():
            site, diagnostics = self._check()
            self.steps.sweep()
            return site, diagnostics

    def build(self, outputs: Outputs | None = None, changed: Collection[str] | None = None) -> BuildResult:
        """The site into `outputs` (default: a new one in memory). `changed`: the absolute paths
        made, modified or removed since the last build, as a watcher saw them; then only those
        are looked at again in the content folder (None: every file's status is asked)."""
        with collector_paused():
            result = self._build(outputs if outputs is not None else Outputs(), changed)
            self.steps.sweep()
            return result

    # The steps, in order.

    def _check(self, changed: Collection[str] | None = None) -> tuple[Site | None, list[Diagnostic]]:
        known = None
        if changed is not None and self._listing is not None:
            theme = folder_prefixes(self.options.templates)  # the theme is loaded apart
            known = relist(self._listing, self.options.content, [path for path in changed
                                                                 if not path.startswith(theme)])
        raw = load_content(self.options.content, steps=self.steps, listing=known)
        if self.keep:
            self._listing = raw.listing
        site, diagnostics = validate_content(raw, self.steps)
        listing = raw.data_files.get("commemorations.yaml")
        self._commemoration_lines = _commemoration_lines(listing)
        diagnostics = [*diagnostics, *theme_problems(self.options.templates)]
        if site is not None:
            site = apply_base_url(site, self.options.base_url)
            diagnostics = [*diagnostics, *_irregular_dates(site, listing, self.options.today)]
        return site, sort_diagnostics(diagnostics)

    def _build(self, outputs: Outputs, changed: Collection[str] | None) -> BuildResult:
        site, diagnostics = self._check(changed)
        if site is None or has_errors(diagnostics):
            return BuildResult(diagnostics)
        if self._outputs is None:  # no last build in memory to carry files over from: make every file
            self._pages, self._readers, self._search = {}, Readers(), SearchIndex()
        today = self.options.today or today_in(site.config)  # a dev server runs past midnight
        editor: dict[str, bytes] = {}
        if site.config.cms is not None:
            editor, problems = self.steps.once("cms-bundle", bundle_files, self.options.cms)
            if problems:
                return BuildResult(with_more(diagnostics, [
                    report("cms-bundle", problem.file, detail=problem.message) for problem in problems]))
        index = derive(site, today, self.steps)
        theme = self._load_theme(site.config, today)
        for name, data in theme.assets.items():
            outputs.add(f"{STATIC_DIR}/{name}", data)
        bodies = render_bodies(index.documents, site.config.base_path, self.steps)
        if duplicates := duplicate_uid_problems(index, self._commemoration_lines):
            return BuildResult(with_more(diagnostics, duplicates))
        pages, rendered, kept = self._render_pages(index, bodies, theme.renderer, outputs)
        for path, made in document_downloads(index, self.steps, self._worker_store(outputs)).items():
            outputs.take(path, made)
        feeds = calendar_feeds(index, self.previous, self.steps, self._worker_store(outputs))
        for path, made in feeds.files.items():
            outputs.take(path, made)
        for path, data in atom_feeds(index, self.steps).items():
            outputs.add(path, data)
        calendars, feed_problems = feeds.calendars, feeds.diagnostics
        del feeds  # written: not held through the cards and the search index (~70 MB at 10,000 documents)
        outputs.add(SHARE_IMAGE, self.steps.once("share-image", share_image))
        # One card per document and commemoration: a parallel step whose slot is the card's path,
        # so a kept builder draws again only the cards whose text changed.
        cards = share_cards(index, self.steps)
        for path, data in zip(cards, self.steps.stream("share-card", draw_card, [(path, (card,)) for path, card
                                                                                 in cards.items()], parallel=True),
                              strict=True):
            outputs.add(path, data)
        if font_dir() is None:
            diagnostics = with_more(diagnostics, [report("share-font", "templates")])
        search_files = self._search.update(index, bodies, outputs, self.steps, self._worker_store(outputs))
        self._write_host_files(pages, list(calendars), theme.renderer, outputs)
        if site.config.cms is not None:
            for path, data in self.steps.once("cms", admin_files, site, theme.files, editor, theme.renderer).items():
                outputs.add(path, data)
        if self._outputs is not None:  # what this build did not make again is as the last one made it
            outputs.carry_over(self._outputs, [*kept, *search_files])
        if self.keep:
            self._index, self._outputs = index, outputs if outputs.in_memory else None
        return BuildResult(with_more(diagnostics, feed_problems), outputs, index, rendered)

    def _load_theme(self, config: SiteConfig, today: date) -> _Theme:
        theme_files = read_theme(self.options.templates)
        settings = (config, today, theme_files.files)
        if self._theme is None or self._theme.settings != settings:
            assets = theme_files.assets
            names = {name: fingerprinted(name, data) for name, data in assets.items()}
            renderer = Renderer(self.options.templates, config, today, names, fragments=FragmentCache())
            self._theme = _Theme(settings, renderer, {names[name]: data for name, data in assets.items()})
            self._pages, self._readers = {}, Readers()  # rendered with other settings
        return self._theme

    def _worker_store(self, outputs: Outputs) -> Store | None:
        """In a one-shot build into a staging folder, whoever makes a file writes it (pages, Word
        files, calendar feeds, search text blocks), so its bytes never travel from the workers back to this process;
        else None."""
        return outputs.store if not self.keep and not outputs.in_memory else None

    def _render_pages(self, index: SiteIndex, bodies: dict[str, RenderedMarkdown], renderer: Renderer,
                      outputs: Outputs) -> tuple[list[Page], tuple[str, ...], list[str]]:
        """Every page rendered, or kept from the last build when neither the page nor anything it
        read changed. Returns the pages, the files rendered anew and the files kept."""
        pages = plan_pages(index, bodies, self.steps)
        reached = self._readers.reached(IndexChanges(self._index, index)) if self._index is not None else None

        def unchanged(page: Page) -> bool:
            before = self._pages.get(page.output_file)
            return before is not None and reached is not None \
                and (before is page or before == page) and page.output_file not in reached

        store = self._worker_store(outputs)

        relative, base_path = self.options.relative_links, index.site.config.base_path

        def render_page(page: Page) -> tuple[dict[str, frozenset], bytes | int]:
            reads: set[Read] = set()
            html = renderer.render(page.template, page=page, index=TrackedIndex(index, reads) if self.keep else index,
                                   **page.context)
            if relative:
                html = make_relative(html, page.output_file, base_path)
            data = html.encode("utf-8")
            if store is not None:
                return {}, store(page.output_file, data)
            return group_reads(reads), data

        todo = [page for page in pages if not unchanged(page)]
        fresh: dict[str, dict[str, frozenset]] = {}  # output file -> what it read
        for page, (reads, data) in zip(todo, parallel_imap(render_page, todo, self.options.workers), strict=True):
            outputs.take(page.output_file, data)
            fresh[page.output_file] = reads
        kept = [page.output_file for page in pages if page.output_file not in fresh]
        if self.keep:  # only once every page rendered: a failed render leaves the last build's state
            self._pages = {page.output_file: page for page in pages}
            for path, reads in fresh.items():
                self._readers.file(path, reads)
            self._readers.keep_only(set(self._pages))
        return pages, tuple(fresh), kept

    def _write_host_files(self, pages: list[Page], feed_paths: list[str], renderer: Renderer,
                          outputs: Outputs) -> None:
        paths = tuple(page.path for page in pages if page.in_sitemap)
        for name, text in self.steps.once("sitemaps", sitemaps, paths, renderer.render).items():
            outputs.add(name, text)
        outputs.add(ROBOTS, renderer.render("robots.txt"))
        outputs.add(HEADERS, headers_file(feed_paths, renderer.config.base_path))
        outputs.add(NO_JEKYLL, b"")
