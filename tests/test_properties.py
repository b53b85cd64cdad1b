"""Property-based tests (hypothesis) of the pure functions."""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta

from hypothesis import example, given, settings
from hypothesis import strategies as st

from icslint import feed_of, lint_feed
from portal.calendar.anniversaries import occurrences
from portal.calendar.events import CalendarEvent
from portal.calendar.lunar import lunar_to_solar, solar_to_lunar
from portal.content.dates import numeric_date, official_date, parse_date
from portal.content.models import ID_PATTERN, Commemoration
from portal.content.slugs import fold, slugify
from portal.diagnostics import CODES, Diagnostic, sort_diagnostics, with_more

VIETNAMESE = st.text(alphabet=st.sampled_from(list("aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯ "
                                                  "àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
                                                  "0123456789-,.;:“”/\\\n")),
                     max_size=120)


@given(VIETNAMESE)
def test_slugs_are_valid_ids_or_empty(text):
    slug = slugify(text)
    assert slug == "" or ID_PATTERN.match(slug)


@given(VIETNAMESE)
def test_folding_is_idempotent_ascii_and_ignores_normal_form(text):
    folded = fold(text)
    assert fold(folded) == folded
    assert fold(unicodedata.normalize("NFD", text)) == folded == fold(unicodedata.normalize("NFC", text))
    assert "đ" not in folded and "Đ" not in folded


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_dates_round_trip_through_both_written_forms(day):
    assert parse_date(numeric_date(day)) == day
    assert parse_date(day.isoformat()) == day
    text = official_date(day)
    assert text.startswith(f"ngày {day.day:02d} tháng ") and text.endswith(f"năm {day.year}")


@settings(max_examples=300)
@given(st.dates(min_value=date(1900, 2, 1), max_value=date(2100, 12, 31)))
def test_lunar_solar_round_trip(day):
    lunar = solar_to_lunar(day)
    assert 1 <= lunar.day <= 30 and 1 <= lunar.month <= 12
    assert lunar_to_solar(lunar.year, lunar.month, lunar.day, lunar.leap) == day


@given(st.integers(1800, 2030), st.integers(1, 12), st.integers(1, 28), st.integers(2020, 2060))
def test_anniversary_number_is_years_since_origin(origin, month, day, year):
    commemoration = Commemoration(id="x", name="X", date=f"{day:02d}/{month:02d}", year=origin)
    found = occurrences(commemoration, date(year, 1, 1), date(year, 12, 31))
    years = year - origin
    if years < 0:  # before the event: no anniversary
        assert found == []
        return
    assert [o.day for o in found] == [date(year, month, day)]
    assert found[0].years == (years or None)
    assert found[0].milestone == ("tròn" if years and years % 10 == 0 else "lẻ 5" if years % 10 == 5 else None)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(VIETNAMESE.filter(str.strip), VIETNAMESE), min_size=1, max_size=8))
# Found by this test in CI: icalendar's fold split the escaped backslash before a 3-octet letter.
@example([("0", "0000000;;,ÂÂÂạạạạạạạạạạạạạ\\ạ")])
@example([("x", "\\" * 200), ("y", "ạ\\" * 90), ("z", ";\\," * 70)])
def test_any_text_makes_a_clean_feed(texts):
    """CRLF, 75-octet lines, no fold inside a UTF-8 character or an escape, for any summary."""
    events = tuple(CalendarEvent(key=f"k/{n}", kind="phase", start=date(2025, 1, 1) + timedelta(days=n),
                                 end=date(2025, 1, 2) + timedelta(days=n), summary=summary, description=description,
                                 path="van-ban/x/") for n, (summary, description) in enumerate(texts))
    data, _, _ = feed_of(events, date(2025, 1, 1))
    assert lint_feed(data) == []


def _encode_section(out: bytearray, key: str, ids, scores, blocks) -> None:
    """One named section, from postings given as lists (ids increasing), as the index encodes it."""
    from array import array

    from portal.render.search_postings import append_named, encode_sections

    records = bytearray()
    for page_id, score, block in zip(ids, scores, blocks, strict=True):
        records += array("I", [page_id]).tobytes() + array("H", [block, score]).tobytes()
    append_named(out, key, encode_sections([records])[0])


@given(st.dictionaries(st.text(max_size=40).filter(lambda k: len(k.encode()) < 256),
                       st.dictionaries(st.integers(min_value=0, max_value=2**27),
                                       st.tuples(st.integers(min_value=1, max_value=255),
                                                 st.integers(min_value=0, max_value=0xFFFF)), max_size=50),
                       max_size=5))
def test_postings_round_trip(sections):
    """What search.js decodes in the browser is what the index wrote: keys, ids, scores, blocks
    (blocks up to 0xFFFF: the index keeps them in 16 bits)."""
    out = bytearray()
    for key, postings in sections.items():
        ids = sorted(postings)
        _encode_section(out, key, ids, bytes(postings[i][0] for i in ids), [postings[i][1] for i in ids])
    assert decode_sections(bytes(out)) == sections


def test_dense_postings_round_trip():
    """The one-byte fast path (gaps and blocks below 128) and the varint path, side by side."""
    from array import array

    out = bytearray()
    _encode_section(out, "dense", array("I", range(0, 300, 2)), bytearray(range(1, 151)),
                   array("I", [n % 100 for n in range(150)]))  # packed as the index keeps them
    _encode_section(out, "sparse", [5, 1000, 70000], b"\x01\xff\x80", [0, 127, 128])
    _encode_section(out, "medium", [3, 200, 16583, 16584], b"\x07\x08\x09\x0a", [0, 16383, 128, 1])  # two-byte varints
    assert decode_sections(bytes(out)) == {
        "medium": {3: (7, 0), 200: (8, 16383), 16583: (9, 128), 16584: (10, 1)},
        "dense": {2 * n: (n + 1, n % 100) for n in range(150)},
        "sparse": {5: (1, 0), 1000: (255, 127), 70000: (128, 128)}}


@given(st.dictionaries(st.text(alphabet="abc ^$019", min_size=1, max_size=30),
                       st.dictionaries(st.integers(min_value=0, max_value=2**27),
                                       st.tuples(st.integers(min_value=0, max_value=255),
                                                 st.integers(min_value=0, max_value=0xFFFF)), min_size=1, max_size=40),
                       max_size=8))
def test_shard_round_trip(entries):
    """A shard's directory and bodies, from the packed records the build keeps (search.js's
    `directory` and `decode` read the same layout)."""
    from array import array

    from portal.render.search import encode_shard
    from portal.render.search_postings import append_named, encode_sections

    bodies = []
    for key in sorted(entries):
        records = bytearray()
        for page_id in sorted(entries[key]):
            score, block = entries[key][page_id]
            records += array("I", [page_id]).tobytes() + array("H", [block, score]).tobytes()
        body = bytearray()
        append_named(body, "", encode_sections([records])[0])
        bodies.append((key, bytes(body)))
    data = encode_shard(bodies)
    at, decoded = 0, {}

    def varint() -> int:
        nonlocal at
        value, shift = 0, 0
        while True:
            byte = data[at]
            at += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                return value

    directory = []
    for _ in range(varint()):
        length = data[at]
        key = data[at + 1:at + 1 + length].decode()
        at += 1 + length
        directory.append((key, varint()))
    for key, length in directory:
        decoded[key] = decode_sections(data[at:at + length])[""]
        at += length
    assert at == len(data)
    assert decoded == entries


def decode_sections(data: bytes) -> dict[str, dict[int, tuple[int, int]]]:
    at = 0

    def varint() -> int:
        nonlocal at
        value, shift = 0, 0
        while True:
            byte = data[at]
            at += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                return value

    sections = {}
    while at < len(data):
        length = data[at]
        key = data[at + 1:at + 1 + length].decode()
        at += 1 + length
        postings, doc_id = {}, 0
        for _ in range(varint()):
            doc_id += varint()
            score = data[at]
            at += 1
            postings[doc_id] = (score, varint())
        sections[key] = postings
    return sections


@given(st.text())
def test_printable_fast_path_never_hides_a_forbidden_character(text):
    from portal.load.chars import FORBIDDEN, might_hold_forbidden

    if FORBIDDEN.search(text):
        assert might_hold_forbidden(text)


@given(st.text(alphabet=st.sampled_from("a;,\\ạ𝄞\n"), max_size=400))
def test_folding_keeps_every_character_and_each_escape_whole(value):
    """The portal's folding only moves fold points: unfolded, the event is what icalendar wrote."""
    from icalendar import Event

    from portal.calendar.ical import folded_ical

    event = Event()
    event.add("description", value)
    written = event.to_ical()
    folded = folded_ical(event)
    assert folded.replace(b"\r\n ", b"") == written.replace(b"\r\n ", b"")
    assert [problem for problem in lint_feed(folded) if "fold" in problem or "octets" in problem] == []


def _fold_per_character(line: bytes) -> bytes:
    """Folding by its definition, a character at a time: what `_fold_line` must give."""
    text, pieces, start, octets, backslashes, limit = line.decode("utf-8"), [], 0, 0, 0, 75
    for position, char in enumerate(text):
        size = len(char.encode("utf-8"))
        if octets + size > limit:
            cut = position - 1 if backslashes % 2 else position  # an escape stays on one line
            pieces.append(text[start:cut])
            octets, start, limit = len(text[cut:position].encode("utf-8")), cut, 74
        octets += size
        backslashes = backslashes + 1 if char == "\\" else 0
    return "\r\n ".join([*pieces, text[start:]]).encode("utf-8")


@settings(max_examples=500)
@given(st.lists(st.sampled_from(["a", ";", "\\", "\\\\", "\\,", "ạ", "ế", "𝄞", " "]), max_size=400).map("".join))
def test_folding_by_bytes_cuts_where_folding_by_characters_does(value):
    from portal.calendar.ical import _fold_line

    line = ("DESCRIPTION:" + value).encode("utf-8")
    assert _fold_line(line) == _fold_per_character(line)


# The body checks skip lines by a one-pass prefilter; these keep them equal to the plain per-line
# definitions on texts dense in the characters that matter.
MARKDOWN_LINES = st.lists(st.text(alphabet=st.sampled_from(list(" \t#`~>*+-–—•➢0123456789.)ax\uf0b7")), max_size=40),
                          max_size=40).map("\n".join)


def _body_mistakes_per_line(raw):
    import portal.content.mistakes as m
    found, fenced = [], False
    for offset, line in enumerate(raw.body.split("\n")):
        if m._FENCE.match(line):
            fenced = not fenced
            continue
        if fenced:
            continue
        if heading := m._HEADING_WITHOUT_SPACE.match(line):
            found.append(("heading-space", raw.body_line + offset, heading.end(1)))
        elif bullet := m._WORD_BULLET.match(line):
            found.append(("word-bullet", raw.body_line + offset, bullet.start(1) + 1))
    return found


@settings(max_examples=300)
@given(MARKDOWN_LINES)
def test_body_mistakes_prefilter_finds_what_every_line_would(body):
    from types import SimpleNamespace

    from portal.content.mistakes import body_mistakes
    raw = SimpleNamespace(body=body, body_line=7, path="content/documents/x.md")
    assert [(d.code, d.line, d.col) for d in body_mistakes(raw)] == _body_mistakes_per_line(raw)


@settings(max_examples=300)
@given(MARKDOWN_LINES, st.integers(0, 20), st.integers(0, 40), st.sampled_from([">", "- ", "1. "]))
@example("", 16, 1, ">")  # the shortest line that is too deep: the prefilter's bound is tight
def test_markdown_depth_prefilter_never_hides_a_deep_line(body, tabs, markers, marker):
    import portal.content.markdown as markdown
    body = body + "\n" + "\t" * tabs + marker * markers + "x"  # 16 tabs and one ">" is one too deep
    plain = markdown._LONG_PREFIX
    try:
        markdown._LONG_PREFIX = __import__("re").compile("")  # matches everywhere: no prefilter
        expected = markdown.too_deep(body)
    finally:
        markdown._LONG_PREFIX = plain
    assert markdown.too_deep(body) == expected


# Words of one piece (case and tone variants, "a_b" is two words: "_" is no word character), and
# words of several pieces or none ("H₂O": "h", "o"; "²" and "Ⅻ" fold to no term), which take the
# slow path; spaces of several kinds between them.
_ONE_PIECE = ["Đảng", "đảng", "đang", "Cộng", "cộng", "công", "sản", "Hùng", "Vương", "2025", "443", "KH", "TU",
              "a_b", "İ", "ǅ", "ngày", "tuyên", "truyền", "đại", "hội", "dang", "x"]
_GAPS = [" ", " ", " ", "  ", "\n", ", ", ". ", "(", ")", "-", "/", "\u00a0", "\u2028", "“", "”"]
_ONE = st.tuples(st.sampled_from(_ONE_PIECE), st.sampled_from(_GAPS)).map("".join)
_ANY = st.tuples(st.sampled_from([*_ONE_PIECE, "x²", "H₂O", "²", "Ⅻ"]), st.sampled_from(_GAPS)).map("".join)


def _tokens(text: str) -> list[tuple[str, str, int]]:
    """Each syllable of `text` as (folded term, exact lowercase form, offset of its word), one
    word at a time: the slow, obvious reading."""
    import re

    from portal.render.search_analysis import word_pieces

    return [(term, form, match.start()) for match in re.finditer(r"[^\W_]+", text)
            for term, form in word_pieces(match.group())]


def _reference_scores(fields, body):
    """What field_scores computes, one syllable at a time (the slow, obvious way)."""
    from collections import Counter

    from portal.render.search_analysis import BLOCK, BODY_CAP, WEIGHTS

    in_fields: dict[str, int] = {}
    for name, text in fields:
        found = _tokens(text)
        weight = WEIGHTS[name] + (WEIGHTS["short_title"] // max(1, len(found)) if name == "title" else 0)
        keys = {f"{t}\t{f}" for t, f, _ in found} | {f"{a[0]} {b[0]}" for a, b in zip(found, found[1:], strict=False)}
        if name == "title" and found:
            keys |= {f"^ {found[0][0]}", f"{found[-1][0]} $"}
        for key in keys:
            in_fields[key] = min(in_fields.get(key, 0) + weight, 255)
    found = _tokens(body)
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for i, (term, form, start) in enumerate(found):
        for key in [f"{term}\t{form}", *([f"{term} {found[i + 1][0]}"] if i + 1 < len(found) else [])]:
            counts[key] += 1
            first.setdefault(key, start)
    result = {key: (min(count, BODY_CAP) * WEIGHTS["body"], first[key] // BLOCK) for key, count in counts.items()}
    for key, score in in_fields.items():
        body_score, block = result.get(key, (0, 0))
        result[key] = (min(body_score + score, 255), block)
    return result


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["title", "meta", "number", "summary", "signer", "headings"]),
                          st.lists(_ANY, max_size=12).map("".join)), max_size=6),
       st.integers(1900, 1999), st.one_of(st.lists(_ONE, min_size=120, max_size=1400),
                                        st.lists(_ANY, min_size=120, max_size=1400)).map("".join))
def test_field_scores_are_the_obvious_ones(fields, filler, body):
    """The index's keys, scores and first blocks, made as arrays from runs between spaces and cut
    at block ends, are those of a syllable-by-syllable count: words across a block's end, words of
    several pieces, bodies of one to four blocks."""
    from portal.render.search_analysis import field_scores

    body = "a " * filler + body  # 3,800 to 3,998 characters (BLOCK: 4,000): the first block ends in what follows
    keys, scores, blocks = field_scores(tuple(fields), body)
    assert len(set(keys)) == len(keys)
    assert dict(zip(keys, zip(scores, blocks, strict=True), strict=True)) == _reference_scores(fields, body)


_DIAGNOSTICS = st.builds(
    Diagnostic, path=st.sampled_from(["a.md", "b.md", "content/c.yaml"]), line=st.integers(0, 4),
    col=st.integers(0, 3), code=st.sampled_from(sorted(CODES)[:3]),
    message=st.sampled_from(["x", "y"]), field=st.sampled_from(["", "title"]))


@given(st.lists(_DIAGNOSTICS, max_size=40), st.lists(_DIAGNOSTICS, max_size=24))
def test_adding_diagnostics_to_sorted_ones_equals_sorting_them_all(first, more):
    # `with_more` bisects a few into place instead of sorting again; over 16 it sorts. The same
    # list either way (these diagnostics differ in some sorting field whenever they differ).
    assert with_more(sort_diagnostics(first), more) == sort_diagnostics([*first, *more])
