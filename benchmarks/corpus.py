"""Read a portal content folder as plain blog posts (title, date, topics, Markdown body), the
common ground from which `hugo_site.py` and `pelican_site.py` build their equivalent sites."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader when PyYAML has it: 10,000 files


@dataclass(frozen=True)
class Post:
    slug: str
    title: str
    issued: date
    topics: tuple[str, ...]
    body: str  # Markdown, as written in the document


def read_posts(content: Path) -> Iterator[Post]:
    """One post per `content/documents/*.md`, in file name order."""
    for path in sorted((content / "documents").glob("*.md")):
        _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
        meta = yaml.load(front, Loader=Loader)
        yield Post(slug=path.stem, title=str(meta["title"]), issued=_issued(meta),
                   topics=tuple(meta.get("topics") or ()), body=body)


def _issued(meta: dict) -> date:
    """`issued` as a date (DD/MM/YYYY or YYYY-MM-DD; YAML may already have made it a date)."""
    value = meta.get("issued")
    if isinstance(value, date):
        return value
    if isinstance(value, str) and "/" in value:
        day, month, year = (int(part) for part in value.split("/"))
        return date(year, month, day)
    if isinstance(value, str):
        return date.fromisoformat(value)
    return date(int(meta.get("issued_year") or 2000), 1, 1)
