"""What readers get when they share a page: the link-preview images (Pillow) and schema.org
JSON-LD for search engines (Atom feeds: `atom.py`).

Each document and each commemoration has its own share card, `chia-se.png` beside its page: a
1200×630 PNG (what Facebook and Zalo show best) lettered in DejaVu Sans (Debian's
fonts-dejavu-core; it covers every Vietnamese letter). The layout is computed first
(`card_layout`: the lines and where they go, what tests read) and then drawn (`draw_card`), so a
card is a pure function of its `Card`: the build layer keeps it while the card is the same, and
the PNG holds no timestamp or other metadata, so the same card is the same bytes.

When the font is missing the build falls back, deterministically, to the unlettered banner
(`share_image`) for every card, and says so with a warning (`share-font`): a build on a machine
without the font still succeeds and still gives each page a preview.
"""

from __future__ import annotations

import functools
import io
import math
import re
import struct
import zlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy
from PIL import Image, ImageDraw, ImageFont
from zlib_ng import zlib_ng

from portal.calendar.anniversaries import Occurrence, occurrences
from portal.content.models import Commemoration, Document, Unit
from portal.derive.index import SiteIndex
from portal.steps import PLAIN, Steps
from portal.urls import commemoration_path, document_path

SHARE_IMAGE = "chia-se.png"  # the site's own card (home and list pages); per page: "<page>/chia-se.png"
SHARE_IMAGE_SIZE = (1200, 630)  # what Facebook and Zalo show best
SHARE_TITLE_MAX = 89  # og:title: link previews cut longer titles anywhere
# Where Debian (fonts-dejavu-core), Fedora and Arch put DejaVu Sans.
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu-sans-fonts"),
             Path("/usr/share/fonts/TTF"), Path("/usr/share/fonts/dejavu"))
FONT_FILES = {"regular": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf"}

RED, GOLD, INK, MUTED, PAPER = (164, 22, 26), (242, 193, 78), (32, 28, 30), (92, 86, 90), (255, 250, 240)
MARGIN = 72
BAND = 96  # the red band at the top, with the star and the portal's name
FOOT = 18  # the gold line at the bottom


def _star(draw: ImageDraw.ImageDraw, cx: float, cy: float, outer: float, fill) -> None:
    points = []
    for index in range(10):
        radius = outer if index % 2 == 0 else outer * 0.4
        angle = math.pi / 2 + index * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy - radius * math.sin(angle)))
    draw.polygon(points, fill=fill)


@functools.cache
def share_image() -> bytes:
    """A red banner with a gold star and band: drawn, not lettered (needs no font). The site's
    own card, and every page's when the font is missing."""
    width, height = SHARE_IMAGE_SIZE
    image = Image.new("RGB", SHARE_IMAGE_SIZE, RED)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, height - 36, width, height), fill=GOLD)
    _star(draw, width // 2, (height - 36) // 2, 200, GOLD)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)  # Pillow writes no time chunk: the same bytes each build
    return buffer.getvalue()


@dataclass(frozen=True)
class Card:
    """What one share card says, top to bottom."""

    eyebrow: str  # "KẾ HOẠCH SỐ 443-KH/TU", "NGÀY KỶ NIỆM · 03/02/2025"
    title: str  # the document's title, the commemoration's name
    detail: str  # the issuer; "Kỷ niệm 95 năm (1930 – 2025)"
    site: str  # the portal's name


@dataclass(frozen=True)
class Line:
    text: str
    font: str  # "regular" or "bold"
    size: int
    x: int
    y: int
    fill: tuple[int, int, int]


def font_dir() -> Path | None:
    """The folder holding DejaVu Sans (both faces), or None when this machine lacks it."""
    for folder in FONT_DIRS:
        if all((folder / name).is_file() for name in FONT_FILES.values()):
            return folder
    return None


@functools.cache
def _font(face: str, size: int) -> ImageFont.FreeTypeFont:
    folder = font_dir()
    assert folder is not None, "asked for a font that is missing (callers check font_dir())"
    return ImageFont.truetype(str(folder / FONT_FILES[face]), size)


# Per process, bounded: the words of titles and names repeat from card to card.
@functools.lru_cache(maxsize=8192)
def _length(face: str, size: int, text: str) -> float:
    return _font(face, size).getlength(text)


# A line's length is its words' and spaces' lengths added up, give or take the kerning at its
# spaces (a pixel or two a space). Only a line within this share of the width is measured whole:
# measuring every candidate line was a fifth of a card's time.
_WRAP_SLACK = 0.1


def _wrap(text: str, face: str, size: int, width: int, max_lines: int) -> list[str]:
    """`text` in lines no wider than `width`, at most `max_lines`, the last one ending "…" when
    the text goes on (cut between words)."""
    font = _font(face, size)
    space = _length(face, size, " ")
    surely_fits, surely_not = width * (1 - _WRAP_SLACK), width * (1 + _WRAP_SLACK)
    lines: list[str] = []
    current, current_length = "", 0.0
    words = text.split()
    for word in words:
        if not current:
            current, current_length = word, _length(face, size, word)
            continue
        estimate = current_length + space + _length(face, size, word)
        candidate = f"{current} {word}"
        if estimate <= surely_fits or (estimate <= surely_not and font.getlength(candidate) <= width):
            current, current_length = candidate, estimate
            continue
        lines.append(current)
        current, current_length = word, _length(face, size, word)
        if len(lines) == max_lines:
            break
    else:
        if current:
            lines.append(current)
        return lines
    last = lines[-1]
    while last and font.getlength(last + " …") > width:
        last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
    lines[-1] = last.rstrip(",;:") + " …"
    return lines


def card_layout(card: Card) -> tuple[Line, ...]:
    """Every line the card draws, with its font and place (needs the font: see `font_dir`)."""
    width, height = SHARE_IMAGE_SIZE
    inner = width - 2 * MARGIN
    lines = [Line(card.site, "bold", 30, MARGIN + 64, (BAND - 36) // 2, PAPER)]
    y = BAND + 44
    for text in _wrap(card.eyebrow, "bold", 34, inner, 1):
        lines.append(Line(text, "bold", 34, MARGIN, y, RED))
        y += 52
    y += 10
    size = 52 if len(card.title) <= 110 else 44
    for text in _wrap(card.title, "bold", size, inner, 4):
        lines.append(Line(text, "bold", size, MARGIN, y, INK))
        y += int(size * 1.25)
    detail = _wrap(card.detail, "regular", 30, inner, 2) if card.detail else []
    y = height - FOOT - 40 - 42 * len(detail)
    for text in detail:
        lines.append(Line(text, "regular", 30, MARGIN, y, MUTED))
        y += 42
    return tuple(lines)


def card_lines(card: Card) -> tuple[str, ...]:
    """The texts the card shows, top to bottom (what a test reads instead of OCR)."""
    return tuple(line.text for line in card_layout(card))


# The card is a palette image: a PNG of one byte a pixel is three times quicker to encode than
# RGB, and a card is a few flat colours and the anti-aliased edges of its letters. Palette: the
# flat colours, then for each (text, ground) pair a ramp of LEVELS blends from ground to text.
LEVELS = 32
_FLAT = (PAPER, RED, GOLD)
# zlib-ng's level for a card's pixels (`_png`): 2 makes 17 KB in half a millisecond, 1 a larger
# stream, 3 and up more time for a few kilobytes (`benchmarks/cards_bench.py`, benchmarks/README.md).
PNG_COMPRESS_LEVEL = 2
_RAMPS = ((RED, PAPER), (INK, PAPER), (MUTED, PAPER), (PAPER, RED))  # (text colour, its ground)


@functools.cache
def _palette() -> tuple[int, ...]:
    colours: list[tuple[int, ...]] = list(_FLAT)
    for text, ground in _RAMPS:
        colours += [tuple(round(g + (t - g) * level / (LEVELS - 1)) for t, g in zip(text, ground, strict=True))
                    for level in range(LEVELS)]
    return tuple(channel for colour in colours for channel in colour)


@functools.cache
def _ramp_table(text: tuple[int, int, int]) -> tuple[int, ...]:
    """Mask coverage (0–255) -> palette index of the ramp of `text` (0 where nothing is drawn)."""
    ground = RED if text == PAPER else PAPER
    base = len(_FLAT) + LEVELS * _RAMPS.index((text, ground))
    return (0, *(base + round(value * (LEVELS - 1) / 255) for value in range(1, 256)))


@functools.cache
def _background() -> Image.Image:
    """The card without its words, as palette indices (mode "L"; `_png` writes them with the palette)."""
    width, height = SHARE_IMAGE_SIZE
    image = Image.new("L", SHARE_IMAGE_SIZE, _FLAT.index(PAPER))
    draw = ImageDraw.Draw(image)
    red, gold = _FLAT.index(RED), _FLAT.index(GOLD)
    draw.rectangle((0, 0, width, BAND), fill=red)
    _star(draw, MARGIN + 24, BAND // 2, 28, gold)
    draw.rectangle((0, height - FOOT, width, height), fill=gold)
    draw.rectangle((MARGIN, BAND + 24, MARGIN + 96, BAND + 30), fill=gold)
    return image


def _lettering(text: str, face: str, size: int, fill: tuple[int, int, int]) -> tuple[Image.Image, int]:
    """One piece of text's palette indices (0 where nothing is inked) and its box's top above
    the line's place (negative)."""
    font = _font(face, size)
    # Capitals' tone marks ("Ế", "Ố") reach above the ascender: the box starts at their top.
    _, top, right, bottom = (int(edge) for edge in font.getbbox(text))
    top = min(top, 0) - 1
    mask = Image.new("L", (right + 2, bottom - top + 2), 0)
    ImageDraw.Draw(mask).text((0, -top), text, font=font, fill=255)
    return mask.point(_ramp_table(fill)), top


# Per process, bounded (a word's ink is a few kilobytes): cards are lettered word by word from
# these, because the words repeat from card to card (Vietnamese is written in syllables: a few
# thousand make every title) while FreeType's rendering of whole lines was half a card's time.
# A word's digits are lettered one by one: a document's number ("443-KH/TU") is on no other card,
# but its digits and "-KH/TU" are on many (DejaVu's digits all have one width and no kerning).
_PIECES = re.compile(r"[0-9]|[^0-9]+")


@functools.lru_cache(maxsize=4096)
def _word_ink(word: str, face: str, size: int, fill: tuple[int, int, int]) -> tuple[numpy.ndarray, int]:
    ink, top = _lettering(word, face, size, fill)
    pixels = numpy.asarray(ink)
    pixels.flags.writeable = False
    return pixels, top


@functools.cache
def _background_rows() -> numpy.ndarray:
    """The card without its words as the PNG's rows (`_png`): each row's filter byte, then its
    pixels' palette indices. Read-only: each card draws on a copy."""
    rows = _rows(_background())
    rows.flags.writeable = False
    return rows


def _rows(indices: Image.Image) -> numpy.ndarray:
    """An image of palette indices (mode "L") as PNG rows: a filter byte (0: none) before each row."""
    width, height = indices.size
    rows = numpy.zeros((height, width + 1), numpy.uint8)
    rows[:, 1:] = numpy.asarray(indices)
    return rows


def _lay(rows: numpy.ndarray, ink: numpy.ndarray, x: int, y: int) -> None:
    """`ink` over `rows` with its top left at pixel (x, y), cut at the card's edges. Inked pixels
    are ramp indices, above every flat colour's, and elsewhere the ink is 0: the larger of the two
    indices is the ink laid over its ground (words' boxes may overlap: the same rule holds)."""
    height, width = rows.shape[0], rows.shape[1] - 1
    top, left = max(y, 0), max(x, 0)
    bottom, right = min(y + ink.shape[0], height), min(x + ink.shape[1], width)
    if top >= bottom or left >= right:
        return
    region = rows[top:bottom, 1 + left:1 + right]
    numpy.maximum(region, ink[top - y:bottom - y, left - x:right - x], out=region)


def draw_card(card: Card) -> bytes:
    """The card as PNG bytes: the layout drawn over the banner; without the font, the unlettered
    banner (`share_image`)."""
    if font_dir() is None:
        return share_image()
    rows = _background_rows().copy()
    for line in card_layout(card):
        # Each word where the line's words and spaces put it (`_wrap` lays lines out the same way):
        # a rounding off the whole line's glyphs by under a pixel, which a card cannot show.
        space, offset = _length(line.font, line.size, " "), 0.0
        for word in line.text.split(" "):
            for piece in _PIECES.findall(word):
                ink, top = _word_ink(piece, line.font, line.size, line.fill)
                _lay(rows, ink, line.x + round(offset), line.y + top)
                offset += _length(line.font, line.size, piece)
            offset += space
    return _png(rows, bytes(_palette()))


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png(rows: numpy.ndarray, palette: bytes) -> bytes:
    """PNG rows (`_rows`: each led by its filter type, 0, then its palette indices) as an 8-bit
    palette PNG, written here and not by Pillow: Pillow deflates with the system's zlib, half of a
    card's time (2.5 ms of 5); zlib-ng makes a smaller stream in a fifth of that. The format is the
    W3C's PNG: IHDR, PLTE, one IDAT holding the zlib stream of the rows (no filtering: these flat
    rows gain nothing from it), IEND. No time or text chunk: the same card, the same bytes."""
    height, width = rows.shape[0], rows.shape[1] - 1
    # 8 bits a pixel, palette colours, deflate, filter set 0, no interlace
    header = struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0)
    return b"".join((_PNG_SIGNATURE, _png_chunk(b"IHDR", header), _png_chunk(b"PLTE", palette),
                     _png_chunk(b"IDAT", zlib_ng.compress(numpy.ascontiguousarray(rows), PNG_COMPRESS_LEVEL)),
                     _png_chunk(b"IEND", b"")))


def document_card(document: Document, issuer: Unit, site_title: str) -> Card:
    meta = document.meta
    eyebrow = meta.kind.label.upper() + ("" if meta.is_draft else f" SỐ {meta.number}")
    if meta.is_draft:
        eyebrow += " (CHƯA CÓ SỐ)"
    return Card(eyebrow, meta.display_title, issuer.name, site_title)


def commemoration_card(commemoration: Commemoration, occurrence: Occurrence | None, site_title: str) -> Card:
    """Its name and this year's number ("Kỷ niệm 95 năm"), when the origin year is known."""
    eyebrow = "NGÀY KỶ NIỆM"
    detail = ""
    if occurrence is not None:
        eyebrow += f" · {occurrence.day:%d/%m/%Y}"
        if occurrence.years:
            detail = f"Kỷ niệm {occurrence.years} năm"
            if occurrence.origin:
                detail += f" ({occurrence.origin.year} – {occurrence.day.year})"
    return Card(eyebrow, commemoration.name, detail, site_title)


def share_cards(index: SiteIndex, steps: Steps = PLAIN) -> dict[str, Card]:
    """The card of every document and commemoration page, by the card's output path. A
    document's card is a step of its own: a kept builder hands back the same card (the same
    object) while the document and its issuer are, so a rebuild neither makes ten thousand cards
    again nor compares them field by field to know which to draw."""
    title = index.site.config.title
    paths = [document_path(slug) + SHARE_IMAGE for slug in index.documents]
    made = steps.each("card-text", document_card, [(path, (document, index.units[document.meta.issuer], title))
                                                  for path, document in zip(paths, index.documents.values(),
                                                                            strict=True)])
    cards = dict(zip(paths, made, strict=True))
    year = index.today.year
    for commemoration in index.site.commemorations:
        this_year = occurrences(commemoration, date(year, 1, 1), date(year, 12, 31))
        cards[commemoration_path(commemoration.id) + SHARE_IMAGE] = commemoration_card(
            commemoration, this_year[0] if this_year else None, title)
    return cards


def share_title(title: str, limit: int = SHARE_TITLE_MAX) -> str:
    """`title` for og:title: at most `limit` characters, cut at a word boundary with "…"."""
    title = " ".join(title.split())
    if len(title) <= limit:
        return title
    cut = title.rfind(" ", 0, limit - 1)
    return title[: cut if cut > 0 else limit - 1].rstrip(",;:–-— ") + "…"


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
