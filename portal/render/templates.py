"""Stage 4b: the templates. The Jinja environment (filters, URL helpers, globals), compiled once per
build settings, and the theme's files (templates and static assets)."""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from portal import urls
from portal.calendar.ical import subscription_links
from portal.content import dates
from portal.content.files import human_size
from portal.content.markdown import make_parser
from portal.content.models import SiteConfig
from portal.diagnostics import Diagnostic, report
from portal.render.atom import ATOM_FEED
from portal.render.hostfiles import PAGE_POLICY, REFERRER_POLICY
from portal.render.official import NATIONAL_MOTTO, NATIONAL_TITLE, PARTY_TITLE, official_header
from portal.render.sharing import (
    SHARE_IMAGE,
    SHARE_IMAGE_SIZE,
    commemoration_json_ld,
    document_json_ld,
    share_title,
)

STATIC_DIR = "static"
INLINE_CACHE_SIZE = 100_000  # short texts kept rendered; past this many, start again


def fingerprinted(name: str, data: bytes) -> str:
    """"style.css" -> "style.3f2a9c1b0d.css": a name that changes with the bytes, so hosts can
    cache assets forever (and readers on weak connections download them once)."""
    stem, dot, suffix = name.rpartition(".")
    digest = hashlib.sha256(data).hexdigest()[:10]
    return f"{stem}.{digest}.{suffix}" if dot else f"{name}.{digest}"


class Fragments(Protocol):
    """Where the renderer gets a fragment that many pages share (a document's list item).
    `make` renders it from the index; an implementation may hand back one made before."""

    def get(self, slot: Hashable, index: Any, make: Callable[[Any], Markup]) -> Markup: ...


class Unkept:
    def get(self, slot: Hashable, index: Any, make: Callable[[Any], Markup]) -> Markup:
        return make(index)


def has_undated(index: Any, slugs: Any) -> bool:
    """Whether a list shows a document without its own date (the list then says how it sorts them)."""
    documents = index.documents
    return any(documents[slug].meta.issued is None for slug in slugs)


class Renderer:
    """The Jinja environment of one build's settings (templates, configuration, day, assets),
    with every filter and global the templates use, registered here and only here."""

    def __init__(self, templates_dir: Path, config: SiteConfig, today: date, asset_names: dict[str, str],
                 fragments: Fragments | None = None):
        self.config = config
        self._base_path, self._origin = config.base_path, config.origin  # read for every link of every page
        self.markdown = make_parser(config.base_path, images=False)
        self.fragments = fragments or Unkept()
        self.env = Environment(
            loader=FileSystemLoader(str(templates_dir)),
            autoescape=select_autoescape(("html", "xml", "j2")),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        # Short texts (duty tasks) by text: a unit's page lists every task given to it.
        self.inline_markdown = functools.lru_cache(maxsize=INLINE_CACHE_SIZE)(self._inline_markdown)
        self.env.filters.update(
            official_date=dates.official_date,
            numeric_date=dates.numeric_date,
            weekday_date=dates.weekday_date,
            inline_markdown=self.inline_markdown,
            share_title=share_title,
            file_size=human_size,
        )
        absolute_url = self.absolute_url
        self.env.globals.update(
            site=config,
            today=today,
            url=self.url,
            absolute_url=absolute_url,
            asset=lambda name: self.url(f"{STATIC_DIR}/{asset_names[name]}"),
            doc_items=self.doc_items,
            has_undated=has_undated,
            document_path=urls.document_path,
            topic_path=urls.topic_path,
            unit_path=urls.unit_path,
            commemoration_path=urls.commemoration_path,
            year_path=urls.year_path,
            file_path=urls.file_path,
            docx_path=urls.docx_path,
            subscription_links=subscription_links,
            share_image=SHARE_IMAGE,
            share_image_size=SHARE_IMAGE_SIZE,
            page_policy=PAGE_POLICY,
            referrer_policy=REFERRER_POLICY,
            atom_feed_path=ATOM_FEED,
            official_header=official_header,
            official_titles={"party": PARTY_TITLE, "national": NATIONAL_TITLE, "motto": NATIONAL_MOTTO},
            document_json_ld=lambda index, document: document_json_ld(index, document, absolute_url),
            commemoration_json_ld=lambda index, cid: commemoration_json_ld(index, cid, absolute_url),
        )

    def _inline_markdown(self, text: str) -> Markup:
        """Emphasis and links in short texts (duty tasks); same safety rules as bodies."""
        return Markup(self.markdown.renderInline(text))

    def doc_items(self, index: Any, slugs: Any, show_issuer: bool = True) -> Markup:
        """The `doc_item` macro for each slug. One document appears in many lists (all documents,
        its kind and year, its topics, its issuer's and recipients' pages): each item comes from
        `fragments`, which may keep it."""
        # jinja2 sets a template's exported macros as attributes of its TemplateModule at run time;
        # its type declares none of them.
        macro = self.env.get_template("macros.html").module.doc_item  # type: ignore[attr-defined]
        get = self.fragments.get

        def item(slug: str) -> Markup:  # a scope per slug: the lambda keeps its own
            return get(("doc_item", slug, show_issuer), index, lambda tracked: macro(tracked, slug, show_issuer))

        return Markup("").join(map(item, slugs))

    def url(self, path: str = "") -> str:
        """Root-relative URL under the site's base path ("/portal/van-ban/x/")."""
        return self._base_path + path

    def absolute_url(self, path: str = "") -> str:
        return self._origin + self._base_path + path

    def render(self, template: str, **context: Any) -> str:
        return self.env.get_template(template).render(**context)


@dataclass(frozen=True)
class Theme:
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


def _theme_entries(templates: Path) -> Iterator[tuple[Path, bool]]:
    """(path, is a symbolic link) of every file and folder under `templates`, links not followed."""
    for folder, folders, files in os.walk(templates, followlinks=False):
        for name in (*folders, *files):
            path = Path(folder) / name
            yield path, path.is_symlink()


def theme_problems(templates: Path) -> list[Diagnostic]:
    """A symbolic link in the theme is refused: `templates/static/x -> ../../.git/config` published
    the repository's configuration (with the token CI's checkout leaves there) into site/."""
    cwd = Path.cwd()
    return [report("theme-symlink", (path.relative_to(cwd) if path.is_relative_to(cwd) else path).as_posix())
            for path, is_link in sorted(_theme_entries(templates)) if is_link]  # the link's own name, not its target


def read_theme(templates: Path) -> Theme:
    """Every regular file of the theme; links are never followed (see `theme_problems`)."""
    return Theme({p.relative_to(templates).as_posix(): p.read_bytes()
                  for p, is_link in sorted(_theme_entries(templates)) if not is_link and p.is_file()})
