"""Share cards (one 1200×630 PNG per document and commemoration) and the link-preview tags."""

from __future__ import annotations

import io
import re
import struct
import unicodedata
import zlib
from html import unescape
from pathlib import Path

import numpy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from conftest import SAMPLE_CONTENT, SAMPLE_TODAY
from portal.build.builder import BuildOptions, SiteBuilder
from portal.pipeline import render
from portal.render import sharing
from portal.render.sharing import SHARE_IMAGE_SIZE, Card, card_lines, draw_card, share_title

PARTY_PLAN = "van-ban/443-kh-tu-vung-tau-chu-de-lon-dai-hoi-xiv/"
STATE_LETTER = "van-ban/cv-so-vhttdl-lang-son-xay-dung-dang-2023/"
PARTY_FOUNDING = "ngay-ky-niem/thanh-lap-dang/"

# The Vietnamese alphabet: 29 letters, the five tone marks on every vowel, both cases.
_VOWELS = "aăâeêioôơuưy"
_TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng
VIETNAMESE = {unicodedata.normalize("NFC", v + tone) for v in _VOWELS for tone in ("", *_TONES)}
VIETNAMESE |= set("bcdđghklmnpqrstvx")
VIETNAMESE |= {letter.upper() for letter in VIETNAMESE}


def _cmap(path: Path) -> set[int]:
    """The code points a TrueType font maps to glyphs, from its `cmap` table (formats 4 and 12)."""
    data = path.read_bytes()
    tables = struct.unpack(">H", data[4:6])[0]
    offsets = {data[12 + 16 * i:16 + 16 * i]: struct.unpack(">I", data[20 + 16 * i:24 + 16 * i])[0]
               for i in range(tables)}
    base = offsets[b"cmap"]
    covered: set[int] = set()
    for i in range(struct.unpack(">H", data[base + 2:base + 4])[0]):
        platform, encoding, offset = struct.unpack(">HHI", data[base + 4 + 8 * i:base + 12 + 8 * i])
        table = base + offset
        fmt = struct.unpack(">H", data[table:table + 2])[0]
        if platform not in (0, 3):
            continue
        if fmt == 4:
            segments = struct.unpack(">H", data[table + 6:table + 8])[0] // 2
            ends = struct.unpack(f">{segments}H", data[table + 14:table + 14 + 2 * segments])
            starts_at = table + 16 + 2 * segments
            starts = struct.unpack(f">{segments}H", data[starts_at:starts_at + 2 * segments])
            deltas_at = starts_at + 2 * segments
            deltas = struct.unpack(f">{segments}h", data[deltas_at:deltas_at + 2 * segments])
            ranges_at = deltas_at + 2 * segments
            ranges = struct.unpack(f">{segments}H", data[ranges_at:ranges_at + 2 * segments])
            for s, (start, end, delta, range_offset) in enumerate(zip(starts, ends, deltas, ranges, strict=True)):
                for code in range(start, end + 1):
                    if code == 0xFFFF:
                        continue
                    if range_offset == 0:
                        glyph = (code + delta) & 0xFFFF
                    else:
                        at = ranges_at + 2 * s + range_offset + 2 * (code - start)
                        glyph = struct.unpack(">H", data[at:at + 2])[0]
                        glyph = (glyph + delta) & 0xFFFF if glyph else 0
                    if glyph:
                        covered.add(code)
        elif fmt == 12:
            groups = struct.unpack(">I", data[table + 12:table + 16])[0]
            for g in range(groups):
                start, end, _ = struct.unpack(">III", data[table + 16 + 12 * g:table + 28 + 12 * g])
                covered.update(range(start, end + 1))
    return covered


def _font_or_skip() -> Path:
    folder = sharing.font_dir()
    if folder is None:
        pytest.fail("DejaVu Sans is required: apt-get install fonts-dejavu-core (scripts/install-test-deps.sh)")
    return folder


def _site_text() -> str:
    """Every text the cards draw from: the content files."""
    return "".join(path.read_text(encoding="utf-8") for path in sorted(SAMPLE_CONTENT.rglob("*"))
                   if path.suffix in (".md", ".yaml"))


@pytest.mark.parametrize("face", sorted(sharing.FONT_FILES.values()))
def test_card_font_maps_every_vietnamese_letter_and_every_letter_of_the_content(face):
    covered = _cmap(_font_or_skip() / face)
    missing = sorted(letter for letter in VIETNAMESE if ord(letter) not in covered)
    assert missing == []
    used = {char for char in unicodedata.normalize("NFC", _site_text()) if char.isalpha() or char in "–…“”·"}
    assert sorted(char for char in used if ord(char) not in covered) == []


def test_the_cmap_reader_can_fail():
    covered = _cmap(_font_or_skip() / sharing.FONT_FILES["regular"])
    assert ord("ệ") in covered and 0x4E00 not in covered  # DejaVu Sans has no CJK ideographs


@pytest.fixture(scope="module")
def site(sample_site) -> Path:
    return sample_site


def _meta(html: str, name: str) -> str:
    match = re.search(rf'<meta (?:property|name)="{re.escape(name)}" content="([^"]*)"', html)
    assert match, name
    return unescape(match.group(1))


def test_each_document_and_commemoration_has_its_own_card(site):
    images = {}
    for page in (PARTY_PLAN, STATE_LETTER, PARTY_FOUNDING):
        html = (site / page / "index.html").read_text(encoding="utf-8")
        url = _meta(html, "og:image")
        assert url == f"https://tuyengiao.example.vn/{page}chia-se.png"
        data = (site / page / "chia-se.png").read_bytes()
        with Image.open(io.BytesIO(data)) as image:
            assert image.size == SHARE_IMAGE_SIZE and image.format == "PNG"
            assert not image.info.keys() & {"date", "Creation Time", "tIME", "timestamp"}
        images[page] = data
    assert len(set(images.values())) == 3
    home = (site / "index.html").read_text(encoding="utf-8")
    assert _meta(home, "og:image") == "https://tuyengiao.example.vn/chia-se.png"


def test_each_card_shows_its_own_number_kind_issuer_and_the_portals_name():
    _font_or_skip()
    result = render(BuildOptions(content=SAMPLE_CONTENT, out=Path("unused"), today=SAMPLE_TODAY))
    assert result.index is not None
    cards = sharing.share_cards(result.index)
    plan = " ".join(card_lines(cards[PARTY_PLAN + "chia-se.png"]))
    assert "KẾ HOẠCH SỐ 443-KH/TU" in plan and "Ban Thường vụ Thành ủy Vũng Tàu" in plan
    assert "Cổng lịch và đề cương tuyên truyền" in plan and "Tuyên truyền những chủ đề lớn" in plan
    letter = " ".join(card_lines(cards[STATE_LETTER + "chia-se.png"]))
    assert "CÔNG VĂN" in letter and "443-KH/TU" not in letter and "Sở Văn hóa, Thể thao và Du lịch" in letter
    founding = " ".join(card_lines(cards[PARTY_FOUNDING + "chia-se.png"]))
    assert "Ngày thành lập Đảng Cộng sản Việt Nam" in founding and "Kỷ niệm 95 năm" in founding
    assert "03/02/2025" in founding


def test_cards_are_the_same_bytes_each_time_and_text_fits():
    _font_or_skip()
    card = Card("KẾ HOẠCH SỐ 443-KH/TU", "Tuyên truyền " * 40, "Ban Thường vụ Thành ủy Vũng Tàu", "Cổng")
    assert draw_card(card) == draw_card(card)
    lines = card_lines(card)
    assert lines[-2].endswith("…")  # a long title is cut at a word, with an ellipsis
    assert draw_card(card) != draw_card(Card("KẾ HOẠCH SỐ 444-KH/TU", card.title, card.detail, card.site))


def _measured_wrap(text: str, face: str, size: int, width: int, max_lines: int) -> list[str]:
    """The wrapping `_wrap` must give: every candidate line measured whole."""
    font = sharing._font(face, size)
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if font.getlength(candidate) <= width or not current:
            current = candidate
            continue
        lines.append(current)
        current = word
        if len(lines) == max_lines:
            break
    else:
        return [*lines, current] if current else lines
    last = lines[-1]
    while last and font.getlength(last + " …") > width:
        last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
    return [*lines[:-1], last.rstrip(",;:") + " …"]


_TITLE_WORDS = (_site_text().split() if SAMPLE_CONTENT.is_dir() else []) + [
    "Đảng", "Cộng", "sản", "Việt", "Nam", "ĐẠI", "HỘI", "XIV", "WWW", "lllll", "ải", "—", "“Tuyên", "truyền”,",
    "2025-2030", "Mười", "Ngày", "thành", "lập", "Ủy", "ban", "MTTQ", "VN", "Quyết", "định", "số", "12-QĐ/TW"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_TITLE_WORDS), min_size=1, max_size=60), st.sampled_from(
    [("bold", 52, 4), ("bold", 44, 4), ("bold", 34, 1), ("regular", 30, 2)]))
def test_wrapping_by_added_word_lengths_breaks_lines_where_measuring_every_line_does(words, style):
    _font_or_skip()
    face, size, max_lines = style
    text = " ".join(words)
    inner = SHARE_IMAGE_SIZE[0] - 2 * sharing.MARGIN
    assert sharing._wrap(text, face, size, inner, max_lines) == _measured_wrap(text, face, size, inner, max_lines)


def test_the_written_png_decodes_to_the_indices_and_palette_drawn():
    """`_png` writes the PNG by hand (for zlib-ng's speed): any image of palette indices reads
    back, in Pillow and by zlib's own check of the stream, as exactly those indices and colours."""
    rng = numpy.random.default_rng(2025)
    palette = bytes(sharing._palette())
    colours = len(palette) // 3
    for width, height in ((1, 1), (7, 3), (1200, 630)):
        pixels = rng.integers(0, colours, size=(height, width), dtype=numpy.uint8)
        pixels[: height // 2] = 0  # flat runs as well as noise
        indices = Image.frombytes("L", (width, height), pixels.tobytes())
        data = sharing._png(sharing._rows(indices), palette)
        decoded = Image.open(io.BytesIO(data))
        decoded.load()
        assert decoded.mode == "P" and decoded.size == (width, height)
        assert decoded.tobytes() == pixels.tobytes()
        assert bytes(decoded.getpalette()[: len(palette)]) == palette
        assert [name for name, _ in _chunks(data)] == [b"IHDR", b"PLTE", b"IDAT", b"IEND"]
        rows = zlib.decompress(dict(_chunks(data))[b"IDAT"])
        assert rows[:: width + 1] == bytes(height)  # every row's filter type: none


def _chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """A PNG's chunks (kind, data), each chunk's CRC checked."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    found, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at:at + 4])
        kind, body = data[at + 4:at + 8], data[at + 8:at + 8 + length]
        assert struct.unpack(">I", data[at + 8 + length:at + 12 + length])[0] == zlib.crc32(kind + body)
        found.append((kind, body))
        at += 12 + length
    return found


def test_words_kept_from_earlier_cards_draw_the_same_bytes_as_words_lettered_anew():
    _font_or_skip()
    first = Card("KẾ HOẠCH SỐ 443-KH/TU", "Tuyên truyền kỷ niệm Ngày thành lập Đảng", "Ban Tuyên giáo Tỉnh ủy", "Cổng")
    second = Card("CÔNG VĂN SỐ 12-CV/BTG", "Hướng dẫn tuyên truyền Đại hội", first.detail, first.site)
    sharing._word_ink.cache_clear()
    alone = draw_card(second)
    draw_card(first)  # "tuyên", "truyền", the site's name and the issuer's are kept from this one
    hits = sharing._word_ink.cache_info().hits
    assert draw_card(second) == alone
    assert sharing._word_ink.cache_info().hits == hits + sum(
        len(sharing._PIECES.findall(word)) for line in card_lines(second) for word in line.split())


def _inked(indices: numpy.ndarray) -> numpy.ndarray:
    """Where a card's pixels are a quarter or more of the way from their ground to their text colour."""
    ramp = indices.astype(int) - len(sharing._FLAT)
    return (ramp >= 0) & (ramp % sharing.LEVELS >= sharing.LEVELS // 4)


def test_cards_lettered_word_by_word_look_like_whole_lines_lettered_by_freetype():
    """Words are laid where their lengths put them: against each line drawn whole, the same
    letters within a pixel (a few edge pixels differ, no letter moves)."""
    _font_or_skip()
    card = Card("KẾ HOẠCH SỐ 443-KH/TU", "Tuyên truyền kỷ niệm 95 năm Ngày thành lập Đảng Cộng sản Việt Nam "
                "(03/02/1930 – 03/02/2025)", "Ban Tuyên giáo và Dân vận Tỉnh ủy", "Cổng lịch và đề cương tuyên truyền")
    whole = numpy.array(sharing._background())
    for line in sharing.card_layout(card):
        ink, top = sharing._lettering(line.text, line.font, line.size, line.fill)
        region = whole[line.y + top:line.y + top + ink.height, line.x:line.x + ink.width]
        numpy.maximum(region, numpy.asarray(ink), out=region)
    drawn = Image.open(io.BytesIO(draw_card(card)))
    drawn.load()
    by_words = numpy.asarray(drawn)
    assert by_words.shape == whole.shape
    differing = by_words != whole
    assert differing.sum() < 0.01 * differing.size
    # inked where the whole line is inked, one pixel either way at most
    inked_whole, inked_words = _inked(whole), _inked(by_words)
    near = numpy.zeros_like(inked_whole)
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            near |= numpy.roll(numpy.roll(inked_whole, dy, 0), dx, 1)
    assert not (inked_words & ~near).any()


def test_without_the_font_cards_fall_back_to_the_banner_and_the_build_warns(tmp_path, monkeypatch):
    monkeypatch.setattr(sharing, "FONT_DIRS", (tmp_path / "nothing",))
    assert draw_card(Card("A", "B", "C", "D")) == sharing.share_image()
    result = SiteBuilder(BuildOptions(content=SAMPLE_CONTENT, out=tmp_path / "out", today=SAMPLE_TODAY),
                         keep=False).build()
    assert result.ok
    assert [d.code for d in result.diagnostics if d.code == "share-font"] == ["share-font"]


def test_a_kept_builder_draws_only_the_cards_that_changed(tmp_path):
    import shutil

    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    builder = SiteBuilder(BuildOptions(content=content, out=tmp_path / "out", today=SAMPLE_TODAY))
    assert builder.build().ok
    first = builder.steps.computed["share-card"]
    path = content / "documents" / "443-kh-tu-vung-tau-chu-de-lon-dai-hoi-xiv.md"
    path.write_text(path.read_text(encoding="utf-8").replace('number: "443-KH/TU"', 'number: "444-KH/TU"'),
                    encoding="utf-8")
    result = builder.build()
    assert result.ok and result.outputs is not None
    assert builder.steps.computed["share-card"] == first + 1
    assert "444-KH/TU" in " ".join(card_lines(sharing.share_cards(result.index)[PARTY_PLAN + "chia-se.png"]))


def test_share_titles_are_short_and_descriptions_are_the_documents_own(site):
    for page in site.rglob("index.html"):
        html = page.read_text(encoding="utf-8")
        if 'property="og:title"' not in html:
            continue
        title = _meta(html, "og:title")
        assert len(title) < 90, (page, title)
        assert not title.startswith("Công văn chưa có số")
    plan = (site / PARTY_PLAN / "index.html").read_text(encoding="utf-8")
    description = _meta(plan, "og:description")
    assert description.startswith("Giúp cán bộ, đảng viên"), description  # not the cited guidance's sentence
    letter = _meta((site / STATE_LETTER / "index.html").read_text(encoding="utf-8"), "og:description")
    assert letter.startswith("Những kết quả bước đầu tạo chuyển biến"), letter  # not "Thực hiện …", nor "1.1."
    assert share_title("Kế hoạch số 1: " + "tuyên truyền " * 20).endswith("…")
    assert len(share_title("a " * 200)) < 90
