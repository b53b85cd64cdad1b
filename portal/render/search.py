"""A static search index, sharded by term, for readers who type with or without diacritics.

Why our own and not Pagefind, Lunr or MiniSearch: they rank by BM25-like scores over folded
tokens, and none treats Vietnamese syllables as the words of a phrase ("Đảng Cộng sản" is one
word of three syllables; the same syllables scattered mean nothing); Pagefind (1.5) does not even
fold `đ` (upstream issue #1210). This index folds exactly as the browser does (`đ` -> `d`, NFD
marks removed), keeps each syllable's exact forms apart (so "cộng" is preferred to "công" when
typed), indexes adjacent syllable pairs (phrases), and a query downloads only what it needs:

  tim-kiem/s/<n>.bin       shards: a bounded number (a power of two near half the page count, 16
                           to 4,096), each holding the entries whose key has that CRC-32: folded
                           syllables ("dang", its sections one per exact form: "đang", "đảng")
                           and adjacent syllable pairs ("dang cong"; a title's ends "^ gio",
                           "vuong $": a query that is a whole name ranks it first). A shard opens
                           with a directory (each entry's key and length), so the browser decodes
                           only its query's entries. A section: per page a varint (LEB128) gap
                           from the previous id, a score byte and the varint number of the text
                           block where the key first occurs (for the snippet). Binary because a
                           phone decodes it in a tight loop with no parsing
  tim-kiem/v/<pp>.json     the terms starting with two letters: document count and most common
                           exact form, to complete the word being typed and to correct typos
  tim-kiem/d/<n>.json      display rows of 16 pages (url, title, type, number, date, issuer,
                           blocks, signer)
  tim-kiem/x/<id>-<k>.txt  block k of a page's plain text (BLOCK characters and the next OVERLAP):
                           a snippet downloads one block, not the whole text
  tim-kiem/index.json      manifest

Pages: documents (ids in the site's newest-first order, so ties rank newer documents first), then
commemorations, topics and units. Signers are searchable in the documents they signed.
"""

from __future__ import annotations

import json
import re
import zlib
from array import array
from bisect import bisect_left
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from operator import mul, sub
from typing import Any

from portal.content.slugs import fold
from portal.derive.index import SiteIndex
from portal.render.bodies import RenderedMarkdown
from portal.steps import PLAIN, Steps, same_inputs
from portal.urls import SEARCH, commemoration_path, document_path, topic_path, unit_path
from portal.write.outputs import Outputs

ROOT = SEARCH  # the index lives in the search page's folder
VERSION = 5
CHUNK = 16  # display rows a file: ten results cost a few small files, not 128 rows each
BLOCK, OVERLAP = 4000, 200  # snippet blocks: a match near a block's end still has its context
_TERM = re.compile(r"[a-z0-9]+")
_WORD = re.compile(r"[^\W_]+")
_WORD_CHAR = re.compile(r"[^\W_]")
_BLOCK_TAG = re.compile(r"</?(?:p|li|ul|ol|h[1-6]|table|thead|tbody|tr|td|th|blockquote|div|pre|hr|br)\b[^>]*>")
_TAG = re.compile(r"<[^>]+>")
# Field weights, added once per distinct term or pair of a field (the body: once per occurrence,
# up to BODY_CAP). A title's terms weigh more the shorter it is: "Giỗ Tổ Hùng Vương" is all about
# its four syllables, a forty-word title less so. Totals stay below 256 (one byte).
WEIGHTS = {"number": 40, "title": 10, "short_title": 30, "signer": 10, "summary": 5, "issuer": 5, "headings": 4,
           "meta": 3, "body": 1}
BODY_CAP = 8
TYPES = {"commemoration": "Ngày kỷ niệm", "topic": "Chủ đề", "unit": "Đơn vị"}


# A term names its postings file (`t/<term>.bin`): one 252-letter "word" made a name too long for
# every file system. Longer words are cut here and in search.js (MAX_TERM there) the same way.
MAX_TERM = 64


def terms(text: str) -> list[str]:
    return [term[:MAX_TERM] for term in _TERM.findall(fold(text))]


# Each word's pieces, folded once per process, not once per page it occurs in (a worker analyses
# thousands of pages with the same few thousand words). Bounded: cleared past a size.
_PIECES: dict[str, tuple[tuple[str, str], ...]] = {}
_KEY: dict[str, str] = {}  # a word of one piece -> its form key ("dang\tđảng")
_TERM_OF: dict[str, str] = {}  # a word of one piece -> its term
# The same for a run of text between spaces ("đảng," "(2025)"): splitting at spaces is a few times
# faster than the word pattern, which then runs once per distinct run, not once per page.
_RUN_KEYS: dict[str, tuple[str, ...]] = {}  # a run of one-piece words -> their form keys
_RUN_TERMS: dict[str, tuple[str, ...]] = {}  # -> their terms
_FIELD_KEYS: dict[str, tuple[frozenset[str], int]] = {}  # see _field_keys
_CACHE_LIMIT = 500_000
_FIELD_LIMIT = 10_000  # a field's keys weigh a kilobyte or more: a few megabytes at most
_REPEATED = frozenset({"meta", "issuer", "signer", "headings"})  # titles and summaries seldom repeat


def _pieces(word: str) -> tuple[tuple[str, str], ...]:
    pieces = _PIECES.get(word)
    if pieces is None:
        folded = fold(word)
        parts = _TERM.findall(folded)
        form = word.lower()
        pieces = _PIECES[word] = ((folded[:MAX_TERM], form),) if parts == [folded] and len(form.encode()) < 256 \
            else tuple((part[:MAX_TERM], part[:MAX_TERM]) for part in parts)
        if len(pieces) == 1:
            _KEY[word] = f"{pieces[0][0]}{FORM}{pieces[0][1]}"
            _TERM_OF[word] = pieces[0][0]
    return pieces


def _bound_caches() -> None:
    """Empties the word caches past their size: between pages, never while one is analysed (a
    page's words stay cached from the check that they are one piece until they are looked up)."""
    if len(_PIECES) > _CACHE_LIMIT or len(_RUN_KEYS) > _CACHE_LIMIT:
        for cache in (_PIECES, _KEY, _TERM_OF, _RUN_KEYS, _RUN_TERMS):
            cache.clear()
    if len(_FIELD_KEYS) > _FIELD_LIMIT:
        _FIELD_KEYS.clear()


def tokens(text: str) -> list[tuple[str, str, int]]:
    """Each syllable of `text` as (folded term, exact lowercase form, offset): "Đảng" -> ("dang",
    "đảng", 0). A word that folds into several terms ("x²") gives each as its own form."""
    found: list[tuple[str, str, int]] = []
    for match in _WORD.finditer(text):
        start = match.start()
        for term, form in _pieces(match.group()):
            found.append((term, form, start))
    return found


def _one_piece_each(words: list[str]) -> bool:
    """Whether every word folds into exactly one term (then `_KEY` and `_TERM_OF` know each)."""
    return all(len(_pieces(word)) == 1 for word in set(words).difference(_KEY))


def _runs_known(runs: list[str]) -> bool:
    """Whether every word of these runs is one piece (then `_RUN_KEYS` and `_RUN_TERMS` know each run)."""
    for run in set(runs).difference(_RUN_KEYS):
        words = _WORD.findall(run)
        if not _one_piece_each(words):
            return False
        _RUN_KEYS[run] = tuple(map(_KEY.__getitem__, words))
        _RUN_TERMS[run] = tuple(map(_TERM_OF.__getitem__, words))
    return True


def syllables(text: str) -> tuple[list[str], list[str], list[int]]:
    """`tokens` of `text` as their form keys ("dang\tđảng") and folded terms, and `bounds`: per
    text block (BLOCK characters), the position of its first syllable. Made in C from the runs
    between spaces when every word is one piece (the usual case): no Python step per syllable."""
    # Each block's own text: from its first character past the end of a word begun in the block
    # before (a word belongs to the block where it starts); a cut where a word ends or before a
    # non-word character leaves every word whole.
    cuts = [0]
    for end in range(BLOCK, len(text), BLOCK):
        tail = _WORD.match(text, end) if _WORD_CHAR.match(text, end - 1) else None
        cuts.append(max(cuts[-1], tail.end() if tail else end))
    keys: list[str] = []
    folded: list[str] = []
    bounds: list[int] = []
    for start, end in zip(cuts, [*cuts[1:], len(text)], strict=True):
        runs = (text[start:end] if len(cuts) > 1 else text).split()
        if not _runs_known(runs):
            found = tokens(text)
            starts = [start for _, _, start in found]
            return ([f"{term}{FORM}{form}" for term, form, _ in found], [term for term, _, _ in found],
                    [0, *(bisect_left(starts, end) for end in range(BLOCK, len(text), BLOCK))])
        bounds.append(len(keys))
        keys += chain.from_iterable(map(_RUN_KEYS.__getitem__, runs))
        folded += chain.from_iterable(map(_RUN_TERMS.__getitem__, runs))
    return keys, folded, bounds


def number_terms(number: str) -> list[str]:
    """"443-KH/TU" -> 443, kh, tu and the joined "443khtu" (so "443khtu" finds it too)."""
    parts = terms(number)
    return parts + (["".join(parts)[:MAX_TERM]] if len(parts) > 1 else [])


def plain_text(html: str) -> str:
    """Text of rendered Markdown: blocks separated by a space, inline tags (<em>) removed without one."""
    return " ".join(_TAG.sub("", _BLOCK_TAG.sub(" ", html)).replace("&amp;", "&").replace("&lt;", "<")
                    .replace("&gt;", ">").replace("&quot;", '"').replace("&#39;", "'").split())


Fields = tuple[tuple[str, str], ...]  # (field name, text), a name possibly more than once

# An entry of the index is a folded term ("dang", its sections one per exact form) or an adjacent
# pair of folded terms ("dang cong"; a title's ends "^ gio" and "vuong $"). While it is built,
# each form has its own key "term<TAB>form" ("dang\tđảng"). Terms are [a-z0-9]: the kinds never meet.
FORM = "\t"


def _field_keys(text: str, title: bool) -> tuple[frozenset[str], int]:
    """The distinct form and pair keys of a field (a title's ends too), and its syllable count."""
    keys, folded, _ = syllables(text)
    distinct = set(keys)
    distinct.update(map(" ".join, zip(folded, folded[1:], strict=False)))
    if title and folded:  # its ends: a query that is the whole name matches these too
        distinct.add(f"^ {folded[0]}")
        distinct.add(f"{folded[-1]} $")
    return frozenset(distinct), len(folded)


def _repeated_field_keys(text: str) -> tuple[frozenset[str], int]:
    """`_field_keys` of a kind of field that comes back page after page (a kind and issuer, a
    signer, a heading), kept per process."""
    kept = _FIELD_KEYS.get(text)
    if kept is None:
        kept = _FIELD_KEYS[text] = _field_keys(text, False)
    return kept


def field_scores(fields: Fields, body: str) -> tuple[list[str], list[int], list[int]]:
    """Each form key ("dang\tđảng") and pair key ("dang cong") of a page, with its score and the
    block of its first occurrence in the body (0 when only in other fields): three lists."""
    _bound_caches()
    # Everything in C, no Python step per key: the body's syllables and pairs (as term tuples,
    # joined once per distinct pair) counted by Counter, each first block by set differences
    # block by block (a key first met in block 0, most of them, costs nothing), and each field's
    # weight added by counting its keys that many times (capping the sum once at the end is the
    # same as capping each step: weights are positive).
    keys, folded, bounds = syllables(body)
    pairs = list(zip(folded, folded[1:], strict=False))
    counts = Counter(keys)
    pair_counts = Counter(pairs)
    later: dict[str, int] = {}  # key -> its first block, when not 0
    if len(bounds) > 1:
        seen, seen_pairs = set(keys[:bounds[1]]), set(pairs[:bounds[1]])
        for block, (start, end) in enumerate(zip(bounds[1:], [*bounds[2:], len(keys)], strict=True), 1):
            new = set(keys[start:end]).difference(seen)
            new_pairs = set(pairs[start:end]).difference(seen_pairs)
            seen |= new
            seen_pairs |= new_pairs
            later.update(dict.fromkeys(new, block))
            later.update(dict.fromkeys(map(" ".join, new_pairs), block))
    # The scores in `counts` itself, no other dictionary: each count capped, then the pairs'
    # (joined once per distinct pair) appended, then each field's weight added.
    forms = list(counts)
    dict.update(counts, zip(forms, map(mul, map(min, counts.values(), repeat(BODY_CAP)), repeat(WEIGHTS["body"])),
                            strict=True))
    dict.update(counts, zip(map(" ".join, pair_counts),
                            map(mul, map(min, pair_counts.values(), repeat(BODY_CAP)), repeat(WEIGHTS["body"])),
                            strict=True))
    weighted = []
    for name, text in fields:
        distinct, length = _repeated_field_keys(text) if name in _REPEATED else _field_keys(text, name == "title")
        weight = WEIGHTS[name] + (WEIGHTS["short_title"] // max(1, length) if name == "title" else 0)
        weighted.append(repeat(distinct, weight))
    counts.update(chain.from_iterable(chain.from_iterable(weighted)))
    names = list(counts)
    scores = list(counts.values())
    if max(scores, default=0) > 255:
        scores = [min(score, 255) for score in scores]
    return names, scores, list(map(later.get, names, repeat(0))) if later else [0] * len(names)


def _varint(out: bytearray, value: int) -> None:
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)


def encode_section(out: bytearray, key: str, ids: Sequence[int], scores: bytes | bytearray,
                   blocks: Sequence[int]) -> None:
    """One key's postings, appended to `out`: the key (length byte, UTF-8), the number of
    postings (varint), then per page, ids increasing, the varint gap from the previous id, the
    score byte and the varint block number."""
    data = key.encode()
    out.append(len(data))
    out += data
    count = len(ids)
    _varint(out, count)
    if not count:
        return
    _varint(out, ids[0])
    out.append(scores[0])
    _varint(out, blocks[0])
    gaps = list(map(sub, ids[1:], ids[:-1]))
    rest = list(blocks[1:])
    if gaps and max(gaps) < 0x80 and max(rest) < 0x80:
        # The common case of a frequent key: every varint is one byte; interleave in C.
        packed = bytearray(3 * len(gaps))
        packed[0::3], packed[1::3], packed[2::3] = bytes(gaps), scores[1:], bytes(rest)
        out += packed
        return
    for gap, score, block in zip(gaps, scores[1:], rest, strict=True):
        _varint(out, gap)
        out.append(score)
        _varint(out, block)


# A key's postings while the index is built: one 8-byte record per page, ids increasing: the id
# (uint32), the block and the score (uint16 each), native order. Packed, because at 10,000
# documents postings are the build's peak of memory, and appended in C (see SearchIndex.update).
RECORD = 8


def encode_records(out: bytearray, key: str, records: bytes | bytearray) -> None:
    view = memoryview(records)
    halves = view.cast("H")
    encode_section(out, key, view.cast("I")[0::2].tolist(), bytes(halves[3::4].tolist()), halves[2::4].tolist())


def encode_shard(entries: Sequence[tuple[str, bytes]]) -> bytes:
    """A shard: the number of entries (varint), each entry's key (length byte, ASCII) and body
    length (varint), then the bodies in that order. The browser reads the small directory and
    decodes only the bodies of the query's words and pairs."""
    out = bytearray()
    _varint(out, len(entries))
    for key, body in entries:
        out.append(len(key))
        out += key.encode()
        _varint(out, len(body))
    return bytes(out) + b"".join(body for _, body in entries)


def shard_of(key: str, shards: int) -> int:
    """CRC-32 of the key's bytes (zlib's, in C), modulo the shard count (search.js computes the same)."""
    return zlib.crc32(key.encode()) % shards


def shard_count(pages: int) -> int:
    """A power of two near half the page count, 16 to 4,096: a bounded number of files of a few
    kilobytes each, whatever the vocabulary (a term's or pair's own file would be one per word)."""
    count = 16
    while count < pages // 2 and count < 4096:
        count *= 2
    return count


def _prefix(term: str) -> str:
    return term[:2]


@dataclass(frozen=True)
class Analysis:
    keys: tuple[str, ...]  # form and pair keys
    records: bytes  # per key, its block and score (uint16 each, native order)
    display: list
    blocks: tuple[bytes | int, ...]  # the text blocks, or their sizes once a worker wrote them

    def values(self) -> dict[str, tuple[int, int]]:
        """key -> (block, score), to compare two analyses of one page."""
        halves = array("H")
        halves.frombytes(self.records)
        return dict(zip(self.keys, zip(halves[0::2], halves[1::2], strict=True), strict=True))


def text_blocks(body: str) -> list[str]:
    return [body[start:start + BLOCK + OVERLAP] for start in range(0, len(body), BLOCK)]


def block_path(page_id: int, block: int) -> str:
    return f"{ROOT}x/{page_id}-{block}.txt"


def page_fields(kind: str, model: Any, extra: Any, body: RenderedMarkdown | None,
                site_path: str) -> tuple[Fields, str, list]:
    """What a page contributes: its fields, its body text and its display row [url, title, type,
    number, date, issuer, signer]."""
    if kind == "document":
        meta = model.meta
        text = plain_text(body.html) if body is not None else ""
        # The issuer and the place: "Lạng Sơn" finds the documents issued there.
        place = f" {meta.place}" if meta.place else ""
        fields: list[tuple[str, str]] = [("title", meta.display_title), ("meta", f"{meta.kind.label} {extra}{place}")]
        if not meta.is_draft:
            fields.append(("number", meta.number))
            if len(parts := terms(meta.number)) > 1:
                fields.append(("number", "".join(parts)))  # "443khtu"
        if meta.summary:
            fields.append(("summary", meta.summary))
        if meta.signer is not None:
            fields.append(("signer", meta.signer.name))
        fields.extend(("headings", entry.text) for entry in (body.toc if body is not None else ()))
        date = meta.date_label
        return tuple(fields), text, [site_path + document_path(model.slug), meta.display_title, meta.kind.label,
                                     "" if meta.is_draft else meta.number, date, extra,
                                     meta.signer.name if meta.signer is not None else ""]
    if kind == "commemoration":
        day, month = (int(part) for part in model.date.split("/"))
        lunar = model.calendar == "lunar"
        fields = [("title", model.name), ("number", f"{day:02d}/{month:02d} {day}/{month}"),
                  ("meta", TYPES[kind] + (" âm lịch" if lunar else ""))]
        date = f"{day:02d}/{month:02d}" + (" âm lịch" if lunar else "")
        return (tuple(fields), model.description or "",
                [site_path + commemoration_path(model.id), model.name, TYPES[kind], "", date, "", ""])
    if kind == "topic":
        return ((("title", model.name), ("meta", TYPES[kind])), model.description,
                [site_path + topic_path(model.id), model.name, TYPES[kind], "", "", "", ""])
    parent, issued = extra
    fields = [("title", model.name), ("meta", TYPES[kind])]
    if model.short_name:
        fields.append(("title", model.short_name))
    if issued:  # a unit whose documents the site holds: what a reader typing a place name looks for
        fields.extend(("issuer", name) for name in (model.name, model.short_name) if name)
    return (tuple(fields), model.description or "",
            [site_path + unit_path(model.id), model.name, TYPES[kind], model.short_name or "", "", parent or "", ""])


def analyse(kind: str, model: Any, extra: Any, body: RenderedMarkdown | None, site_path: str,
            store: tuple[int, Callable[[str, bytes], int]] | None) -> Analysis:
    """A page's keys with their scores and blocks, its display row and its text blocks. `store`:
    (the page's id, where a worker writes the blocks itself, so that they do not travel back);
    None keeps them in the result."""
    fields, text, display = page_fields(kind, model, extra, body, site_path)
    keys, scores, at = field_scores(fields, text)
    records = array("H", bytes(4 * len(keys)))
    records[0::2] = array("H", at if not at or max(at) <= 0xFFFF else [min(block, 0xFFFF) for block in at])
    records[1::2] = array("H", scores)
    blocks = [block.encode() for block in text_blocks(text)]
    display = [*display[:6], len(blocks), display[6]]  # [url, title, type, number, date, issuer, blocks, signer]
    kept: tuple[bytes | int, ...] = tuple(blocks)
    if store is not None:
        kept = tuple(store[1](block_path(store[0], k), data) for k, data in enumerate(blocks))
    return Analysis(tuple(keys), records.tobytes(), display, kept)


def _pages(index: SiteIndex) -> list[tuple[str, tuple]]:
    """Every searchable page in id order, with its analysis' inputs (without the site path)."""
    pages: list[tuple[str, tuple]] = []
    for slug in index.newest_first:
        document = index.documents[slug]
        pages.append((f"d/{slug}", ("document", document, index.units[document.meta.issuer].name)))
    pages.extend((f"c/{key}", ("commemoration", value, None)) for key, value in index.commemorations.items())
    pages.extend((f"t/{key}", ("topic", value, None)) for key, value in index.topics.items())
    for key, unit in index.units.items():
        parent = index.units[unit.parent].name if unit.parent in index.units else None
        pages.append((f"u/{key}", ("unit", unit, (parent, bool(index.unit_issued.get(key))))))
    return pages


def _popular_topics(index: SiteIndex, site_path: str) -> list[list[str]]:
    """The five topics with the most documents: what an empty result suggests."""
    ranked = sorted(index.topics.values(), key=lambda t: (-len(index.topic_documents.get(t.id, ())), t.id))
    return [[topic.name, site_path + topic_path(topic.id)] for topic in ranked[:5]]


_SLICES: list[slice] = []  # slice(4k, 4k + 4): one key's record in an analysis, made once


def _record_slices(count: int) -> list[slice]:
    while len(_SLICES) < count:
        _SLICES.append(slice(4 * len(_SLICES), 4 * len(_SLICES) + 4))
    return _SLICES[:count]


def _entry_of(key: str) -> str:
    """The entry a key belongs to: a form's term, or the pair itself."""
    tab = key.find(FORM)
    return key if tab < 0 else key[:tab]


class SearchIndex:
    """The index files, updated page by page. A new index adds every page, appending each key's
    records in C (no Python step per posting); an index kept from the last build (the dev
    server's) takes out and puts back only the pages whose inputs changed, and rewrites only the
    shards they touch, from the other entries' bodies as encoded before: an edited title touches
    a few shards, not the ten-thousand-entry postings of every common word. Page ids are
    positions in the order of `_pages`: when that order changes, every page is added again (its
    analysis may still be a kept one)."""

    def __init__(self) -> None:
        self._order: tuple[str, ...] = ()
        self._inputs: dict[str, tuple] = {}  # page key -> the arguments of its last analysis
        self._records: dict[str, bytearray] = {}  # form or pair key -> its records (RECORD bytes a page)
        self._forms: dict[str, set[str]] = {}  # term -> its exact forms
        self._shard_entries: dict[int, set[str]] = {}  # shard -> the entries (terms, pairs) in it
        self._bodies: dict[str, bytes] = {}  # entry -> its encoded body, as last written
        self._shards = 0
        self._rows: list[list] = []  # display row of each id
        self._block_counts: list[int] = []

    def update(self, index: SiteIndex, bodies: dict[str, RenderedMarkdown], outputs: Outputs,
               steps: Steps = PLAIN) -> frozenset[str]:
        """Writes into `outputs` every index file that changed; returns the paths of all of them
        (the rest are as the last build wrote them)."""
        site_path = index.site.config.base_path
        pages = _pages(index)
        order = tuple(key for key, _ in pages)
        store = None if outputs.in_memory else outputs.store
        shards = shard_count(len(order))
        if order != self._order or shards != self._shards:
            self._inputs, self._records, self._forms, self._shard_entries, self._bodies = {}, {}, {}, {}, {}
            self._rows, self._block_counts = [[] for _ in order], [0] * len(order)
        inputs = {}
        for key, (kind, model, extra) in pages:
            body = bodies[model.slug] if kind == "document" else None
            inputs[key] = (kind, model, extra, body, site_path)
        position = {key: page_id for page_id, key in enumerate(order)}
        changed = [key for key in order
                   if (last := self._inputs.get(key)) is None or not same_inputs(last, inputs[key])]
        old = steps.each("search-document", analyse, [(key, (*self._inputs[key], None))
                                                      for key in changed if key in self._inputs])
        new = steps.stream("search-document", analyse,
                           [(key, (*inputs[key], (position[key], store) if store else None)) for key in changed],
                           parallel=True)
        olds = dict(zip((key for key in changed if key in self._inputs), old, strict=True))
        self._shards = shards
        fresh = not self._records  # a new index: pages come in id order, every shard is written
        records: dict[str, bytearray] = defaultdict(bytearray) if fresh else self._records
        extend = bytearray.extend
        touched: set[str] = set()  # form and pair keys
        for key, analysis in zip(changed, new, strict=True):
            page_id = position[key]
            if fresh:
                # Each key's record appended in C: the id, then the block and score. A page's keys
                # are distinct, so the two passes leave each record whole.
                targets = list(map(records.__getitem__, analysis.keys))
                deque(map(extend, targets, repeat(array("I", [page_id]).tobytes())), 0)
                deque(map(extend, targets, map(analysis.records.__getitem__, _record_slices(len(targets)))), 0)
            else:
                before = olds[key].values() if key in olds else {}
                now = analysis.values()
                for gone in before.keys() - now.keys():
                    self._remove(gone, page_id)
                    touched.add(gone)
                for form_key, value in now.items():
                    if before.get(form_key) != value:
                        self._set(form_key, page_id, value)
                        touched.add(form_key)
            self._rows[page_id] = analysis.display
            self._block_counts[page_id] = len(analysis.blocks)
            for k, text in enumerate(analysis.blocks):
                if isinstance(text, int):  # written by the worker: its size
                    outputs.record(block_path(page_id, k), text)
                else:
                    outputs.add(block_path(page_id, k), text)
        if fresh:
            self._records = dict(records)
            for form_key in self._records:
                self._register(form_key)
            touched_entries = {_entry_of(form_key) for form_key in self._records}
        else:
            touched_entries = {_entry_of(form_key) for form_key in touched}
        self._order, self._inputs = order, inputs
        self._write(outputs, touched_entries, {position[key] // CHUNK for key in changed},
                    _popular_topics(index, site_path))
        return frozenset((
            *(block_path(page_id, k) for page_id, count in enumerate(self._block_counts) for k in range(count)),
            *(f"{ROOT}s/{shard}.bin" for shard in self._shard_entries),
            *(f"{ROOT}v/{prefix}.json" for prefix in {_prefix(term) for term in self._forms}),
            *(f"{ROOT}d/{chunk}.json" for chunk in range(-(-len(order) // CHUNK))),
            f"{ROOT}index.json",
        ))

    def _register(self, key: str) -> None:
        """A key just made: its term's forms and its shard's entries know it."""
        entry = _entry_of(key)
        if entry != key:
            forms = self._forms.get(entry)
            if forms is None:
                forms = self._forms[entry] = set()
            forms.add(key[len(entry) + 1:])
        self._shard_entries.setdefault(shard_of(entry, self._shards), set()).add(entry)

    def _set(self, key: str, page_id: int, value: tuple[int, int]) -> None:
        record = array("I", [page_id]).tobytes() + array("H", value).tobytes()
        records = self._records.get(key)
        if records is None:
            self._records[key] = bytearray(record)
            self._register(key)
            return
        ids = memoryview(records).cast("I")[0::2]
        at = bisect_left(ids, page_id)
        found = at < len(ids) and ids[at] == page_id
        del ids  # a bytearray with a view on it cannot be resized
        records[at * RECORD:(at + 1 if found else at) * RECORD] = record

    def _remove(self, key: str, page_id: int) -> None:
        records = self._records[key]
        ids = memoryview(records).cast("I")[0::2]
        at = bisect_left(ids, page_id)
        found = at < len(ids) and ids[at] == page_id
        del ids  # a bytearray with a view on it cannot be resized
        if found:
            del records[at * RECORD:(at + 1) * RECORD]
        if records:
            return
        del self._records[key]
        entry = _entry_of(key)
        if entry != key:
            forms = self._forms[entry]
            forms.discard(key[len(entry) + 1:])
            if forms:
                return
            del self._forms[entry]
        in_shard = self._shard_entries[shard_of(entry, self._shards)]
        in_shard.discard(entry)
        if not in_shard:
            del self._shard_entries[shard_of(entry, self._shards)]

    def _body(self, entry: str) -> bytes:
        out = bytearray()
        forms = self._forms.get(entry)
        if forms is None:  # a pair: one section
            encode_records(out, "", self._records[entry])
        else:
            for form in sorted(forms):
                encode_records(out, form, self._records[f"{entry}{FORM}{form}"])
        return bytes(out)

    def _write(self, outputs: Outputs, touched: set[str], chunks: set[int], popular: list[list[str]]) -> None:
        bodies = self._bodies
        for entry in touched:
            bodies.pop(entry, None)
        shards = {shard_of(entry, self._shards) for entry in touched}
        for shard in sorted(shards):
            entries = sorted(self._shard_entries.get(shard, ()))
            if not entries:
                continue
            for entry in entries:
                if entry not in bodies:
                    bodies[entry] = self._body(entry)
            outputs.add(f"{ROOT}s/{shard}.bin", encode_shard([(entry, bodies[entry]) for entry in entries]))
        for entry in touched:
            if entry not in self._forms and entry not in self._records:
                bodies.pop(entry, None)  # no longer in the index
        prefixes = {_prefix(entry) for entry in touched if " " not in entry}
        vocabularies: dict[str, dict[str, list]] = {prefix: {} for prefix in prefixes}
        for term, forms in self._forms.items():
            vocabulary = vocabularies.get(_prefix(term))
            if vocabulary is not None:
                counts = {form: len(self._records[f"{term}{FORM}{form}"]) // RECORD for form in sorted(forms)}
                vocabulary[term] = [sum(counts.values()), max(counts, key=counts.__getitem__)]
        for prefix, vocabulary in sorted(vocabularies.items()):
            if vocabulary:
                outputs.add(f"{ROOT}v/{prefix}.json", _json(dict(sorted(vocabulary.items()))))
        for chunk in sorted(chunks):
            outputs.add(f"{ROOT}d/{chunk}.json", _json(self._rows[chunk * CHUNK:(chunk + 1) * CHUNK]))
        outputs.add(f"{ROOT}index.json", _json({
            "version": VERSION, "pages": len(self._order), "chunk": CHUNK, "block": BLOCK, "shards": self._shards,
            "weights": WEIGHTS, "popular": popular}))


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
