"""Stage 4a: the Jinja environment (filters, URL helpers); compiled once per build."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from . import dates
from .markdown import make_parser
from .models import SiteConfig

STATIC_DIR = "static"


def fingerprinted(name: str, data: bytes) -> str:
    """"style.css" -> "style.3f2a9c1b0d.css": a name that changes with the bytes, so hosts can
    cache assets forever (and readers on weak connections download them once)."""
    stem, dot, suffix = name.rpartition(".")
    digest = hashlib.sha256(data).hexdigest()[:10]
    return f"{stem}.{digest}.{suffix}" if dot else f"{name}.{digest}"


class Renderer:
    def __init__(self, templates_dir: Path, config: SiteConfig, today: date, asset_names: dict[str, str]):
        self.config = config
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
        )

    def inline_markdown(self, text: str) -> Markup:
        """Emphasis and links in short texts (duty tasks); same safety rules as bodies."""
        return Markup(self.markdown.renderInline(text))

    def url(self, path: str = "") -> str:
        """Root-relative URL under the site's base path ("/portal/van-ban/x/")."""
        return self.config.base_path + path

    def absolute_url(self, path: str = "") -> str:
        return self.config.origin + self.url(path)

    def render(self, template: str, **context: Any) -> str:
        return self.env.get_template(template).render(**context)
