"""Stage 4a: the Jinja environment (filters, URL helpers); compiled once per build."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from portal.content import dates
from portal.render.bodies import make_parser
from portal.content.models import SiteConfig

STATIC_DIR = "static"
INLINE_CACHE_SIZE = 100_000  # short texts kept rendered; past this many, start again


def fingerprinted(name: str, data: bytes) -> str:
    """"style.css" -> "style.3f2a9c1b0d.css": a name that changes with the bytes, so hosts can
    cache assets forever (and readers on weak connections download them once)."""
    stem, dot, suffix = name.rpartition(".")
    digest = hashlib.sha256(data).hexdigest()[:10]
    return f"{stem}.{digest}.{suffix}" if dot else f"{name}.{digest}"


class Renderer:
    def __init__(self, templates_dir: Path, config: SiteConfig, today: date, asset_names: dict[str, str]):
        self.config = config
        self._base_path, self._origin = config.base_path, config.origin  # read for every link of every page
        self.markdown = make_parser(config.base_path)
        self.env = Environment(
            loader=FileSystemLoader(str(templates_dir)),
            autoescape=select_autoescape(("html", "xml", "j2")),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.filters.update(
            official_date=dates.official_date,
            numeric_date=dates.numeric_date,
            weekday_date=dates.weekday_date,
            inline_markdown=self.inline_markdown,
        )
        self.env.globals.update(
            site=config,
            today=today,
            url=self.url,
            absolute_url=self.absolute_url,
            asset=lambda name: self.url(f"{STATIC_DIR}/{asset_names[name]}"),
            doc_items=self.doc_items,
        )
        # slug -> (document, issuer name or None, html): one document appears in many lists (all
        # documents, its topics, its issuer's and recipients' pages), and a dev-server rebuild
        # re-renders lists of thousands of documents to change one line.
        self._doc_items: dict[tuple[str, bool], tuple[Any, str | None, Markup]] = {}
        self._inline: dict[str, Markup] = {}

    def inline_markdown(self, text: str) -> Markup:
        """Emphasis and links in short texts (duty tasks); same safety rules as bodies. Kept by
        text: a unit's page lists every task given to it, and re-renders after each edit."""
        html = self._inline.get(text)
        if html is None:
            if len(self._inline) >= INLINE_CACHE_SIZE:
                self._inline.clear()
            html = self._inline[text] = Markup(self.markdown.renderInline(text))
        return html

    def doc_items(self, index: Any, slugs: Any, show_issuer: bool = True) -> Markup:
        """The `doc_item` macro for each slug, each item rendered once while the document (the
        very same object) and its issuer's name stay the same. Reading them through `index`
        records the page's dependencies as rendering the item would."""
        macro = self.env.get_template("macros.html").module.doc_item
        parts = []
        for slug in slugs:
            document = index.documents[slug]
            issuer = index.units[document.meta.issuer].name if show_issuer else None
            cached = self._doc_items.get((slug, show_issuer))
            if cached is None or cached[0] is not document or cached[1] != issuer:
                cached = self._doc_items[(slug, show_issuer)] = (document, issuer, macro(index, slug, show_issuer))
            parts.append(cached[2])
        return Markup("").join(parts)

    def url(self, path: str = "") -> str:
        """Root-relative URL under the site's base path ("/portal/van-ban/x/")."""
        return self._base_path + path

    def absolute_url(self, path: str = "") -> str:
        return self._origin + self._base_path + path

    def render(self, template: str, **context: Any) -> str:
        return self.env.get_template(template).render(**context)
