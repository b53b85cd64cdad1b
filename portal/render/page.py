"""One page of the site as planned: where it goes, which template renders it, with what."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from portal.urls import HOME

HOME_CRUMB = ("Trang chủ", HOME)


@dataclass(frozen=True)
class Page:
    path: str  # URL path under the base ("van-ban/x/"); a folder gets index.html
    template: str
    title: str
    context: dict[str, Any] = field(default_factory=dict)
    breadcrumbs: tuple[tuple[str, str], ...] = ()  # (label, path) of the ancestors
    description: str = ""
    in_sitemap: bool = True
    image: str = ""  # its share card's path (og:image), "" for the site's own

    # The file it is written to: a folder path gets index.html. Set once, asked for often.
    output_file: str = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        path = self.path
        object.__setattr__(self, "output_file", path + "index.html" if path.endswith("/") or not path else path)
