"""What readers get when they share a page: the link-preview image (Pillow) and schema.org
JSON-LD for search engines (Atom feeds: `atom.py`)."""

from __future__ import annotations

import io
import math

from PIL import Image, ImageDraw

from portal.content.models import Document
from portal.derive.index import SiteIndex
from portal.urls import commemoration_path, document_path

SHARE_IMAGE = "chia-se.png"
SHARE_IMAGE_SIZE = (1200, 630)  # what Facebook and Zalo show best


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
