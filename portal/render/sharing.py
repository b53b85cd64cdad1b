"""What readers get when they share or follow the portal: the Atom feeds of documents (feedgen),
the default link-preview image (Pillow), and schema.org JSON-LD for search engines."""

from __future__ import annotations

import io
import math
from datetime import date, datetime, time, timezone

from feedgen.feed import FeedGenerator
from PIL import Image, ImageDraw

from portal.derive.index import SiteIndex
from portal.content.models import Document
from portal.urls import commemoration_path, document_path

SHARE_IMAGE = "chia-se.png"
SHARE_IMAGE_SIZE = (1200, 630)  # what Facebook and Zalo show best
ATOM_FEED = "feed.xml"


def share_image() -> bytes:
    """A red banner with a gold star and band: drawn, not lettered (the build needs no font)."""
    width, height = SHARE_IMAGE_SIZE
    image = Image.new("RGB", SHARE_IMAGE_SIZE, (164, 22, 26))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, height - 36, width, height), fill=(242, 193, 78))
    cx, cy, outer, inner = width // 2, (height - 36) // 2, 200, 80
    points = []
    for index in range(10):
        radius = outer if index % 2 == 0 else inner
        angle = math.pi / 2 + index * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy - radius * math.sin(angle)))
    draw.polygon(points, fill=(242, 193, 78))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def feed_date(document: Document) -> date:
    """`effective_date`, or a fixed old date for a document with none, so that an undated
    document never looks new again on every build."""
    return document.meta.effective_date or date(2000, 1, 1)


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), timezone.utc)


def atom_feed(index: SiteIndex, slugs: tuple[str, ...], feed_url: str, page_url: str, title: str,
              subtitle: str, absolute_url, limit: int = 50) -> bytes:
    """Atom 1.0 of `slugs`, newest first (the order of `index.newest_first`)."""
    generator = FeedGenerator()
    generator.id(feed_url)
    generator.title(title)
    generator.subtitle(subtitle)
    generator.language("vi")
    generator.link(href=page_url, rel="alternate")
    generator.link(href=feed_url, rel="self")
    generator.generator("portal")
    chosen = list(slugs)[:limit]
    dates = [feed_date(index.documents[slug]) for slug in chosen]
    generator.updated(_moment(max(dates) if dates else date(2000, 1, 1)))
    for slug, published in reversed(list(zip(chosen, dates))):  # feedgen prepends: add oldest first
        meta = index.documents[slug].meta
        number = f" số {meta.number}" if not meta.is_draft else ""
        entry = generator.add_entry()
        entry.id(absolute_url(document_path(slug)))
        entry.title(f"{meta.kind.label}{number}: {meta.display_title}")
        entry.link(href=absolute_url(document_path(slug)))
        entry.updated(_moment(published))
        entry.published(_moment(published))
        entry.author({"name": index.units[meta.issuer].name})
        for topic in meta.topics:
            entry.category(term=topic, label=index.topics[topic].name)
        if meta.summary:
            entry.summary(meta.summary)
    return generator.atom_str(pretty=True)


def document_json_ld(index: SiteIndex, document: Document, absolute_url) -> dict:
    meta = document.meta
    data = {
        "@context": "https://schema.org",
        "@type": "DigitalDocument",
        "name": meta.display_title,
        "url": absolute_url(document_path(document.slug)),
        "inLanguage": "vi",
        "genre": meta.kind.label,
        "author": {"@type": "GovernmentOrganization", "name": index.units[meta.issuer].name},
        "about": [index.topics[t].name for t in meta.topics],
    }
    if not meta.is_draft:
        data["identifier"] = meta.number
    if meta.issued:
        data["datePublished"] = meta.issued.isoformat()
    return data


def commemoration_json_ld(index: SiteIndex, commemoration_id: str, absolute_url) -> dict | None:
    occurrence = index.next_occurrences[commemoration_id]
    if occurrence is None:
        return None
    commemoration = index.commemorations[commemoration_id]
    return {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": occurrence.title,
        "startDate": occurrence.day.isoformat(),
        "endDate": occurrence.day.isoformat(),
        "eventStatus": "https://schema.org/EventScheduled",
        "location": {"@type": "Country", "name": "Việt Nam"},
        "description": commemoration.description or commemoration.name,
        "url": absolute_url(commemoration_path(commemoration_id)),
        "inLanguage": "vi",
    }
