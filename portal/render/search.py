"""A static search index, sharded by term, for readers who type with or without diacritics.

Why our own and not Pagefind, Lunr or MiniSearch: they rank by BM25-like scores over folded
tokens, and none treats Vietnamese syllables as the words of a phrase ("Đảng Cộng sản" is one
word of three syllables; the same syllables scattered mean nothing); Pagefind (1.5) does not even
fold `đ` (upstream issue #1210). This index folds exactly as the browser does (`đ` -> `d`, NFD
marks removed), keeps each syllable's exact forms apart (so "cộng" is preferred to "công" when
typed), indexes adjacent syllable pairs (phrases), and a query downloads only what it needs:

  tim-kiem/t/<term>.bin    one folded syllable, binary: a section per exact form ("công",
                           "cộng"), each its postings: for each page a varint (LEB128) gap from
                           the previous id, a score byte and the varint number of the text block
                           where the form first occurs (for the snippet). Binary because a phone
                           decodes it in a tight loop with no parsing
  tim-kiem/p/<n>.bin       adjacent folded syllable pairs ("dang cong"), in the same sections,
                           spread over buckets by a CRC-32 of the pair: one small file per
                           pair asked, not one file per pair in the corpus. A title's ends are
                           pairs too ("^ gio", "vuong $"): a query that is a whole name ranks it first
  tim-kiem/v/<pp>.json     the terms starting with two letters: document count and most common
                           exact form, to complete the word being typed and to correct typos
  tim-kiem/d/<n>.json      display rows of 16 pages (url, title, type, number, date, issuer, blocks)
  tim-kiem/x/<id>-<k>.txt  block k of a page's plain text (800 characters and the next 200):
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
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from portal.content.slugs import fold
from portal.derive.index import SiteIndex
from portal.render.bodies import RenderedMarkdown
from portal.steps import PLAIN, Steps, same_inputs
from portal.urls import SEARCH, commemoration_path, document_path, topic_path, unit_path
from portal.write.outputs import Outputs

ROOT = SEARCH  # the index lives in the search page's folder
VERSION = 4
CHUNK = 16  # display rows a file: ten results cost a few small files, not 128 rows each
BLOCK, OVERLAP = 800, 200  # snippet blocks: a match near a block's end still has its context
_TERM = re.compile(r"[a-z0-9]+")
_WORD = re.compile(r"[^\W_]+")
_BLOCK_TAG = re.compile(r"</?(?:p|li|ul|ol|h[1-6]|table|thead|tbody|tr|td|th|blockquote|div|pre|hr|br)\b[^>]*>")
_TAG = re.compile(r"<[^>]+>")
# Field weights, added once per distinct term or pair of a field (the body: once per occurrence,
# up to BODY_CAP). A title's terms weigh more the shorter it is: "Giỗ Tổ Hùng Vương" is all about
# its four syllables, a forty-word title less so. Totals stay below 256 (one byte).
WEIGHTS = {"number": 40, "title": 10, "short_title": 30, "signer": 10, "summary": 5, "headings": 4, "meta": 3,
           "body": 1}
BODY_CAP = 8
TYPES = {"commemoration": "Ngày kỷ niệm", "topic": "Chủ đề", "unit": "Đơn vị"}


# A term names its postings file (`t/<term>.bin`): one 252-letter "word" made a name too long for
# every file system. Longer words are cut here and in search.js (MAX_TERM there) the same way.
MAX_TERM = 64


def terms(text: str) -> list[str]:
    return [term[:MAX_TERM] for term in _TERM.findall(fold(text))]


def tokens(text: str) -> list[tuple[str, str, int]]:
    """Each syllable of `text` as (folded term, exact lowercase form, offset): "Đảng" -> ("dang",
    "đảng", 0). A word that folds into several terms ("x²") gives each as its own form."""
    found: list[tuple[str, str, int]] = []
    pieces_of: dict[str, list[tuple[str, str]]] = {}
    for match in _WORD.finditer(text):
        word = match.group()
        pieces = pieces_of.get(word)
        if pieces is None:
            folded = fold(word)
            parts = _TERM.findall(folded)
            form = word.lower()
            pieces = pieces_of[word] = ([(folded[:MAX_TERM], form)] if parts == [folded] and len(form.encode()) < 256
                                        else [(part[:MAX_TERM], part[:MAX_TERM]) for part in parts])
        start = match.start()
        for term, form in pieces:
            found.append((term, form, start))
    return found


def number_terms(number: str) -> list[str]:
    """"443-KH/TU" -> 443, kh, tu and the joined "443khtu" (so "443khtu" finds it too)."""
    parts = terms(number)
    return parts + (["".join(parts)[:MAX_TERM]] if len(parts) > 1 else [])


def plain_text(html: str) -> str:
    """Text of rendered Markdown: blocks separated by a space, inline tags (<em>) removed without one."""
    return " ".join(_TAG.sub("", _BLOCK_TAG.sub(" ", html)).replace("&amp;", "&").replace("&lt;", "<")
                    .replace("&gt;", ">").replace("&quot;", '"').replace("&#39;", "'").split())


Fields = tuple[tuple[str, str], ...]  # (field name, text), a name possibly more than once


def field_scores(fields: Fields, body: str) -> tuple[dict[tuple[str, str], list[int]], dict[str, list[int]]]:
    """Each (term, form) and each adjacent pair of folded terms with [score, block of its first
    occurrence in the body (0 when only in other fields)]."""
    forms: dict[tuple[str, str], list[int]] = {}
    pairs: dict[str, list[int]] = {}
    for name, text in fields:
        found = tokens(text)
        weight = WEIGHTS[name]
        if name == "title":
            weight += WEIGHTS["short_title"] // max(1, len(found))
        for form_key in {(term, form) for term, form, _ in found}:
            _add(forms, form_key, weight)
        keys = {f"{a[0]} {b[0]}" for a, b in zip(found, found[1:], strict=False)}
        if name == "title" and found:  # its ends: a query that is the whole name matches these too
            keys |= {f"^ {found[0][0]}", f"{found[-1][0]} $"}
        for pair in keys:
            _add(pairs, pair, weight)
    found = tokens(body)
    # Counted and first places found with Counter and dict in C, not a Python step per syllable.
    starts = [start for _, _, start in found]
    body_forms = [(term, form) for term, form, _ in found]
    folded = [term for term, _, _ in found]
    body_pairs = [f"{a} {b}" for a, b in zip(folded, folded[1:], strict=False)]
    body_weight, cap = WEIGHTS["body"], BODY_CAP
    kinds: list[tuple[dict[Any, list[int]], list[Any], list[int]]] = [(forms, body_forms, starts),
                                                                      (pairs, body_pairs, starts[:-1])]
    for scores, sequence, places in kinds:
        first = dict(zip(reversed(sequence), reversed(places), strict=True))  # the earliest place wins
        for key, count in Counter(sequence).items():
            entry = scores.get(key)
            if entry is None:
                entry = scores[key] = [0, 0]
            entry[0] = min(entry[0] + min(count, cap) * body_weight, 255)
            entry[1] = first[key] // BLOCK
    return forms, pairs


def _add(scores: dict, key: Any, weight: int) -> list[int]:
    entry = scores.get(key)
    if entry is None:
        entry = scores[key] = [0, 0]
    entry[0] = min(entry[0] + weight, 255)
    return entry


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
    _varint(out, len(ids))
    gaps = [ids[0], *(b - a for a, b in zip(ids, ids[1:], strict=False))] if len(ids) else []
    if (not gaps or max(gaps) < 0x80) and (not len(blocks) or max(blocks) < 0x80):
        # The common case of a frequent term: every varint is one byte; interleave in C (iter:
        # the values of an array, not its raw memory).
        packed = bytearray(3 * len(gaps))
        packed[0::3], packed[1::3], packed[2::3] = bytes(gaps), scores, bytes(iter(blocks))
        out += packed
        return
    for gap, score, block in zip(gaps, scores, blocks, strict=True):
        _varint(out, gap)
        out.append(score)
        _varint(out, block)


def bucket_of(pair: str, buckets: int) -> int:
    """CRC-32 of the pair's bytes (zlib's, in C), modulo the bucket count (search.js computes the same)."""
    return zlib.crc32(pair.encode()) % buckets


def bucket_count(pages: int) -> int:
    """A power of two near half the page count (16 to 16,384): a bucket holds a few kilobytes."""
    count = 16
    while count < pages // 2 and count < 16384:
        count *= 2
    return count


def _prefix(term: str) -> str:
    return term[:2]


@dataclass(frozen=True)
class Analysis:
    forms: dict[tuple[str, str], list[int]]
    pairs: dict[str, list[int]]
    display: list
    blocks: tuple[bytes | int, ...]  # the text blocks, or their sizes once a worker wrote them


def text_blocks(body: str) -> list[str]:
    return [body[start:start + BLOCK + OVERLAP] for start in range(0, len(body), BLOCK)]


def block_path(page_id: int, block: int) -> str:
    return f"{ROOT}x/{page_id}-{block}.txt"


def page_fields(kind: str, model: Any, extra: str | None, body: RenderedMarkdown | None,
                site_path: str) -> tuple[Fields, str, list]:
    """What a page contributes: its fields, its body text and its display row [url, title, type,
    number, date, issuer]."""
    if kind == "document":
        meta = model.meta
        text = plain_text(body.html) if body is not None else ""
        fields: list[tuple[str, str]] = [("title", meta.display_title), ("meta", f"{meta.kind.label} {extra}")]
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
                                     "" if meta.is_draft else meta.number, date, extra]
    if kind == "commemoration":
        day, month = (int(part) for part in model.date.split("/"))
        lunar = model.calendar == "lunar"
        fields = [("title", model.name), ("number", f"{day:02d}/{month:02d} {day}/{month}"),
                  ("meta", TYPES[kind] + (" âm lịch" if lunar else ""))]
        date = f"{day:02d}/{month:02d}" + (" âm lịch" if lunar else "")
        return (tuple(fields), model.description or "",
                [site_path + commemoration_path(model.id), model.name, TYPES[kind], "", date, ""])
    if kind == "topic":
        return ((("title", model.name), ("meta", TYPES[kind])), model.description,
                [site_path + topic_path(model.id), model.name, TYPES[kind], "", "", ""])
    fields = [("title", model.name), ("meta", TYPES[kind])]
    if model.short_name:
        fields.append(("title", model.short_name))
    return (tuple(fields), model.description or "",
            [site_path + unit_path(model.id), model.name, TYPES[kind], model.short_name or "", "", extra or ""])


def analyse(kind: str, model: Any, extra: str | None, body: RenderedMarkdown | None, site_path: str,
            store: tuple[int, Callable[[str, bytes], int]] | None) -> Analysis:
    """A page's forms and pairs with their scores, its display row and its text blocks. `store`:
    (the page's id, where a worker writes the blocks itself, so that they do not travel back);
    None keeps them in the result."""
    fields, text, display = page_fields(kind, model, extra, body, site_path)
    forms, pairs = field_scores(fields, text)
    blocks = [block.encode() for block in text_blocks(text)]
    display = [*display, len(blocks)]
    if store is not None:
        return Analysis(forms, pairs, display,
                        tuple(store[1](block_path(store[0], k), data) for k, data in enumerate(blocks)))
    return Analysis(forms, pairs, display, tuple(blocks))


class _Postings:
    """One key's postings: ids in increasing order with a score byte and a block number each,
    packed (a few bytes a posting instead of a dictionary entry and int objects: at 10,000
    documents postings are the build's peak of memory)."""

    __slots__ = ("blocks", "ids", "scores")

    def __init__(self) -> None:
        self.ids = array("I")
        self.scores = bytearray()
        self.blocks = array("I")

    def set(self, doc_id: int, score: int, block: int) -> None:
        ids = self.ids
        if not ids or ids[-1] < doc_id:  # pages come in order in a full build: append
            ids.append(doc_id)
            self.scores.append(score)
            self.blocks.append(block)
            return
        at = bisect_left(ids, doc_id)
        if at < len(ids) and ids[at] == doc_id:
            self.scores[at] = score
            self.blocks[at] = block
        else:
            ids.insert(at, doc_id)
            self.scores.insert(at, score)
            self.blocks.insert(at, block)

    def remove(self, doc_id: int) -> None:
        at = bisect_left(self.ids, doc_id)
        if at < len(self.ids) and self.ids[at] == doc_id:
            del self.ids[at]
            del self.scores[at]
            del self.blocks[at]


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
        pages.append((f"u/{key}", ("unit", unit, parent)))
    return pages


def _popular_topics(index: SiteIndex, site_path: str) -> list[list[str]]:
    """The five topics with the most documents: what an empty result suggests."""
    ranked = sorted(index.topics.values(), key=lambda t: (-len(index.topic_documents.get(t.id, ())), t.id))
    return [[topic.name, site_path + topic_path(topic.id)] for topic in ranked[:5]]


class SearchIndex:
    """The index files, updated page by page. A new index adds every page; an index kept from
    the last build (the dev server's) takes out and puts back only the pages whose inputs
    changed, and rewrites only the files they touch: an edited title touches a few postings
    files, not the ten-thousand-entry files of every common word. Page ids are positions in the
    order of `_pages`: when that order changes, every page is added again (its analysis may
    still be a kept one)."""

    def __init__(self) -> None:
        self._order: tuple[str, ...] = ()
        self._inputs: dict[str, tuple] = {}  # page key -> the arguments of its last analysis
        self._forms: dict[str, dict[str, _Postings]] = {}  # term -> exact form -> postings
        self._pairs: dict[str, _Postings] = {}
        self._buckets = 0
        self._rows: list[list] = []  # display row of each id
        self._block_counts: list[int] = []
        self._bucket_files: set[int] = set()  # the buckets holding a pair

    def update(self, index: SiteIndex, bodies: dict[str, RenderedMarkdown], outputs: Outputs,
               steps: Steps = PLAIN) -> frozenset[str]:
        """Writes into `outputs` every index file that changed; returns the paths of all of them
        (the rest are as the last build wrote them)."""
        site_path = index.site.config.base_path
        pages = _pages(index)
        order = tuple(key for key, _ in pages)
        store = None if outputs.in_memory else outputs.store
        buckets = bucket_count(len(order))
        if order != self._order or buckets != self._buckets:
            self._inputs, self._forms, self._pairs, self._bucket_files = {}, {}, {}, set()
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
        touched_terms: set[str] = set()
        touched_pairs: set[str] = set()
        every_pair = not self._pairs  # a new index: every bucket is written, no need to note which
        all_forms, all_pairs = self._forms, self._pairs
        for key, analysis in zip(changed, new, strict=True):
            page_id = position[key]
            before = olds.get(key)
            if before is not None:
                for term, form in before.forms.keys() - analysis.forms.keys():
                    all_forms[term][form].remove(page_id)
                    touched_terms.add(term)
                for pair in before.pairs.keys() - analysis.pairs.keys():
                    all_pairs[pair].remove(page_id)
                    touched_pairs.add(pair)
            for (term, form), (score, block) in analysis.forms.items():
                if before is None or before.forms.get((term, form)) != [score, block]:
                    of_term = all_forms.get(term)
                    if of_term is None:
                        of_term = all_forms[term] = {}
                    postings = of_term.get(form)
                    if postings is None:
                        postings = of_term[form] = _Postings()
                    postings.set(page_id, score, block)
                    touched_terms.add(term)
            for pair, (score, block) in analysis.pairs.items():
                if before is None or before.pairs.get(pair) != [score, block]:
                    postings = all_pairs.get(pair)
                    if postings is None:
                        postings = all_pairs[pair] = _Postings()
                    ids = postings.ids
                    if not ids or ids[-1] < page_id:  # `set`'s common case, inlined: a full build appends
                        ids.append(page_id)
                        postings.scores.append(score)
                        postings.blocks.append(block)
                    else:
                        postings.set(page_id, score, block)
                    if not every_pair:
                        touched_pairs.add(pair)
            self._rows[page_id] = analysis.display
            self._block_counts[page_id] = len(analysis.blocks)
            for k, text in enumerate(analysis.blocks):
                if isinstance(text, int):  # written by the worker: its size
                    outputs.record(block_path(page_id, k), text)
                else:
                    outputs.add(block_path(page_id, k), text)
        self._order, self._inputs, self._buckets = order, inputs, buckets
        touched_buckets = (set(range(buckets)) if every_pair
                           else {bucket_of(pair, buckets) for pair in touched_pairs})
        self._write(outputs, touched_terms, touched_buckets, {position[key] // CHUNK for key in changed},
                    _popular_topics(index, site_path))
        return frozenset((
            *(block_path(page_id, k) for page_id, count in enumerate(self._block_counts) for k in range(count)),
            *(f"{ROOT}t/{term}.bin" for term in self._forms),
            *(f"{ROOT}p/{bucket}.bin" for bucket in self._bucket_files),
            *(f"{ROOT}v/{prefix}.json" for prefix in {_prefix(term) for term in self._forms}),
            *(f"{ROOT}d/{chunk}.json" for chunk in range(-(-len(order) // CHUNK))),
            f"{ROOT}index.json",
        ))

    def _write(self, outputs: Outputs, touched_terms: set[str], touched_buckets: set[int], chunks: set[int],
               popular: list[list[str]]) -> None:
        prefixes: set[str] = set()
        for term in sorted(touched_terms):
            of_term = self._forms[term]
            out = bytearray()
            for form in sorted(of_term):
                postings = of_term[form]
                if postings.ids:
                    encode_section(out, form, postings.ids, postings.scores, postings.blocks)
                else:
                    del of_term[form]
            if out:
                outputs.add(f"{ROOT}t/{term}.bin", bytes(out))
            else:
                del self._forms[term]
            prefixes.add(_prefix(term))
        if touched_buckets:
            in_bucket: dict[int, list[str]] = defaultdict(list)
            for pair in list(self._pairs):
                if not self._pairs[pair].ids:
                    del self._pairs[pair]
                    continue
                bucket = bucket_of(pair, self._buckets)
                if bucket in touched_buckets:
                    in_bucket[bucket].append(pair)
            self._bucket_files -= touched_buckets
            self._bucket_files |= in_bucket.keys()
            for bucket in sorted(in_bucket):
                out = bytearray()
                for pair in sorted(in_bucket[bucket]):
                    postings = self._pairs[pair]
                    encode_section(out, pair, postings.ids, postings.scores, postings.blocks)
                outputs.add(f"{ROOT}p/{bucket}.bin", bytes(out))
        vocabularies: dict[str, dict[str, list]] = {prefix: {} for prefix in prefixes}
        for term, of_term in self._forms.items():
            vocabulary = vocabularies.get(_prefix(term))
            if vocabulary is not None:
                common = max(sorted(of_term), key=lambda form: len(of_term[form].ids))
                vocabulary[term] = [sum(len(postings.ids) for postings in of_term.values()), common]
        for prefix, vocabulary in sorted(vocabularies.items()):
            if vocabulary:
                outputs.add(f"{ROOT}v/{prefix}.json", _json(dict(sorted(vocabulary.items()))))
        for chunk in sorted(chunks):
            outputs.add(f"{ROOT}d/{chunk}.json", _json(self._rows[chunk * CHUNK:(chunk + 1) * CHUNK]))
        outputs.add(f"{ROOT}index.json", _json({
            "version": VERSION, "pages": len(self._order), "chunk": CHUNK, "block": BLOCK, "buckets": self._buckets,
            "weights": WEIGHTS, "popular": popular}))


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
