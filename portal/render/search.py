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

Here: what each kind of page contributes (`page_fields`), the shards and the index kept across
rebuilds (`SearchIndex`). A page's keys and scores: `search_analysis.py`; postings inverted and
encoded part by part, in the workers: `search_postings.py`.
"""

from __future__ import annotations

import json
import re
import zlib
from array import array
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from portal.derive.index import SiteIndex
from portal.render.bodies import RenderedMarkdown
from portal.render.search_analysis import BLOCK, FORM, MAX_TERM, OVERLAP, WEIGHTS, Fields, field_scores, terms
from portal.render.search_postings import (
    RECORD,
    Fragment,
    SectionJoiner,
    append_named,
    encode_sections,
    part_postings,
    varint,
)
from portal.steps import PLAIN, Steps, same_inputs
from portal.urls import SEARCH, commemoration_path, document_path, topic_path, unit_path
from portal.write.outputs import Outputs, Store  # Store: a worker writes the text blocks itself

__all__ = ["BLOCK", "MAX_TERM", "OVERLAP", "SearchIndex", "encode_shard", "plain_text", "shard_of", "terms"]

ROOT = SEARCH  # the index lives in the search page's folder
VERSION = 5
CHUNK = 16  # display rows a file: ten results cost a few small files, not 128 rows each
PART = 1000  # pages analysed, inverted and encoded together by one worker call (search_postings.py)
_BLOCK_TAG = re.compile(r"</?(?:p|li|ul|ol|h[1-6]|table|thead|tbody|tr|td|th|blockquote|div|pre|hr|br)\b[^>]*>")
_TAG = re.compile(r"<[^>]+>")
TYPES = {"commemoration": "Ngày kỷ niệm", "topic": "Chủ đề", "unit": "Đơn vị"}


def plain_text(html: str) -> str:
    """Text of rendered Markdown: blocks separated by a space, inline tags (<em>) removed without one."""
    return " ".join(_TAG.sub("", _BLOCK_TAG.sub(" ", html)).replace("&amp;", "&").replace("&lt;", "<")
                    .replace("&gt;", ">").replace("&quot;", '"').replace("&#39;", "'").split())


def encode_shard(entries: Sequence[tuple[str, bytes]]) -> bytes:
    """A shard: the number of entries (varint), each entry's key (length byte, ASCII) and body
    length (varint), then the bodies in that order. The browser reads the small directory and
    decodes only the bodies of the query's words and pairs."""
    out = bytearray()
    varint(out, len(entries))
    for key, body in entries:
        out.append(len(key))
        out += key.encode()
        varint(out, len(body))
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
    """One page's part of the index (what the dev server's rebuild compares)."""
    postings: dict[str, tuple[int, int]]  # form or pair key -> (block, score)
    display: list
    blocks: tuple[bytes | int, ...]  # the text blocks, or their sizes once a worker wrote them


@dataclass(frozen=True)
class PartAnalysis:
    """Consecutive pages' part of the index: their keys' records, display rows and blocks."""
    postings: dict[str, Fragment]  # form or pair key -> its records and section in these pages
    displays: list[list]
    blocks: list[tuple[bytes | int, ...]]


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


def _page_text(kind: str, model: Any, extra: Any, body: RenderedMarkdown | None, site_path: str,
               store: tuple[int, Store] | None) -> tuple[Fields, str, list, tuple[bytes | int, ...]]:
    """A page's fields, body text, display row [url, title, type, number, date, issuer, blocks,
    signer] and text blocks (their sizes once written by `store`: (the page's id, the writer))."""
    fields, text, display = page_fields(kind, model, extra, body, site_path)
    blocks = [block.encode() for block in text_blocks(text)]
    display = [*display[:6], len(blocks), display[6]]
    if store is None:
        return fields, text, display, tuple(blocks)
    return fields, text, display, tuple(store[1](block_path(store[0], k), data) for k, data in enumerate(blocks))


def analyse(kind: str, model: Any, extra: Any, body: RenderedMarkdown | None, site_path: str,
            store: tuple[int, Store] | None) -> Analysis:
    """A page's keys with their blocks and scores, its display row and its text blocks."""
    fields, text, display, blocks = _page_text(kind, model, extra, body, site_path, store)
    keys, scores, at = field_scores(fields, text)
    return Analysis(dict(zip(keys, zip(at, scores, strict=True), strict=True)), display, blocks)


def analyse_part(pages: Sequence[tuple[str, Any, Any, RenderedMarkdown | None, str]], ids: Sequence[int],
                 store: Store | None) -> PartAnalysis:
    """`analyse` of consecutive pages (`ids` increasing), their postings inverted together: the
    build process then joins each key's parts instead of adding every posting itself."""
    texts = [_page_text(*page, (page_id, store) if store is not None else None)
             for page, page_id in zip(pages, ids, strict=True)]
    postings = part_postings([(page_id, fields, text)
                              for page_id, (fields, text, _, _) in zip(ids, texts, strict=True)])
    return PartAnalysis(postings, [display for _, _, display, _ in texts], [blocks for _, _, _, blocks in texts])


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


def _entry_of(key: str) -> str:
    """The entry a key belongs to: a form's term, or the pair itself."""
    tab = key.find(FORM)
    return key if tab < 0 else key[:tab]


class SearchIndex:
    """The index files, updated page by page. A new index analyses its pages in parts of PART
    pages, each part's postings inverted by the worker that analysed it, and joins each key's
    parts; an index kept from the last build (the dev server's) takes out and puts back only the
    postings of the pages whose inputs changed, and rewrites only the shards they touch, from the
    other entries' bodies as encoded before: an edited title touches a few shards, not the
    ten-thousand-entry postings of every common word. Page ids are positions in the order of
    `_pages`: when that order changes, the index is made anew."""

    def __init__(self) -> None:
        self._order: tuple[str, ...] = ()
        self._inputs: dict[str, tuple] = {}  # page key -> the arguments of its last analysis
        self._records: dict[str, bytes | bytearray] = {}  # form or pair key -> its records (RECORD bytes a page)
        self._forms: dict[str, set[str]] = {}  # term -> its exact forms
        self._shard_entries: dict[int, set[str]] = {}  # shard -> the entries (terms, pairs) in it
        self._sections: dict[str, bytes] = {}  # form or pair key -> its encoded section, as last written
        self._shards = 0
        self._rows: list[list] = []  # display row of each id
        self._block_counts: list[int] = []

    def update(self, index: SiteIndex, bodies: dict[str, RenderedMarkdown], outputs: Outputs,
               steps: Steps = PLAIN, store: Store | None = None) -> frozenset[str]:
        """Writes into `outputs` every index file that changed; returns the paths of all of them
        (the rest are as the last build wrote them). `store`: a one-shot build's writer, with
        which the workers write the text blocks they make."""
        site_path = index.site.config.base_path
        pages = _pages(index)
        order = tuple(key for key, _ in pages)
        shards = shard_count(len(order))
        if order != self._order or shards != self._shards:
            self._inputs, self._records, self._forms, self._shard_entries, self._sections = {}, {}, {}, {}, {}
            self._rows, self._block_counts = [[] for _ in order], [0] * len(order)
        inputs = {}
        for key, (kind, model, extra) in pages:
            body = bodies[model.slug] if kind == "document" else None
            inputs[key] = (kind, model, extra, body, site_path)
        position = {key: page_id for page_id, key in enumerate(order)}
        changed = [key for key in order
                   if (last := self._inputs.get(key)) is None or not same_inputs(last, inputs[key])]
        self._shards = shards
        if self._records:
            touched = self._update_pages(changed, inputs, position, outputs, store, steps)
        else:
            touched = self._add_pages(changed, inputs, position, outputs, store, steps)
        self._order, self._inputs = order, inputs
        self._write(outputs, {_entry_of(key) for key in touched}, {position[key] // CHUNK for key in changed},
                    _popular_topics(index, site_path))
        return frozenset((
            *(block_path(page_id, k) for page_id, count in enumerate(self._block_counts) for k in range(count)),
            *(f"{ROOT}s/{shard}.bin" for shard in self._shard_entries),
            *(f"{ROOT}v/{prefix}.json" for prefix in {_prefix(term) for term in self._forms}),
            *(f"{ROOT}d/{chunk}.json" for chunk in range(-(-len(order) // CHUNK))),
            f"{ROOT}index.json",
        ))

    def _add_pages(self, keys: list[str], inputs: dict[str, tuple], position: dict[str, int], outputs: Outputs,
                   store: Store | None, steps: Steps) -> set[str]:
        """A new index: the pages in parts, each key's records the join of its parts' (in id order)."""
        parts = [keys[start:start + PART] for start in range(0, len(keys), PART)]
        calls = [(f"{part[0]}+{len(part)}", (tuple(inputs[key] for key in part), tuple(position[key] for key in part),
                                             store)) for part in parts]
        joiner = SectionJoiner()
        for part, analysis in zip(parts, steps.stream("search-part", analyse_part, calls, parallel=True, costly=True),
                                  strict=True):
            joiner.add(analysis.postings)
            for key, display, blocks in zip(part, analysis.displays, analysis.blocks, strict=True):
                self._add_display(position[key], display, blocks, outputs)
        self._records, self._sections = joiner.records(), joiner.sections()
        for key in self._records:
            self._register(key)
        return set(self._records)

    def _update_pages(self, keys: list[str], inputs: dict[str, tuple], position: dict[str, int], outputs: Outputs,
                      store: Store | None, steps: Steps) -> set[str]:
        """The changed pages' postings taken out (as analysed from their last inputs) and put back."""
        old = steps.each("search-document", analyse, [(key, (*self._inputs[key], None))
                                                      for key in keys if key in self._inputs])
        olds = dict(zip((key for key in keys if key in self._inputs), old, strict=True))
        new = steps.each("search-document", analyse, [(key, (*inputs[key], (position[key], store) if store else None))
                                                      for key in keys])
        touched: set[str] = set()  # form and pair keys
        for key, analysis in zip(keys, new, strict=True):
            page_id = position[key]
            before = olds[key].postings if key in olds else {}
            for gone in before.keys() - analysis.postings.keys():
                self._remove(gone, page_id)
                touched.add(gone)
            for form_key, value in analysis.postings.items():
                if before.get(form_key) != value:
                    self._set(form_key, page_id, value)
                    touched.add(form_key)
            self._add_display(page_id, analysis.display, analysis.blocks, outputs)
        return touched

    def _add_display(self, page_id: int, display: list, blocks: tuple[bytes | int, ...], outputs: Outputs) -> None:
        self._rows[page_id] = display
        self._block_counts[page_id] = len(blocks)
        for k, text in enumerate(blocks):
            outputs.take(block_path(page_id, k), text)  # a size: written by the worker

    def _register(self, key: str) -> None:
        """A key just made: its term's forms and its shard's entries know it."""
        entry = _entry_of(key)
        if entry != key:
            forms = self._forms.get(entry)
            if forms is None:
                forms = self._forms[entry] = set()
            forms.add(key[len(entry) + 1:])
        self._shard_entries.setdefault(shard_of(entry, self._shards), set()).add(entry)

    def _editable(self, key: str) -> bytearray:
        records = self._records[key]
        if not isinstance(records, bytearray):  # as joined by a new index
            records = self._records[key] = bytearray(records)
        return records

    def _set(self, key: str, page_id: int, value: tuple[int, int]) -> None:
        record = array("I", [page_id]).tobytes() + array("H", value).tobytes()
        self._sections.pop(key, None)
        if key not in self._records:
            self._records[key] = bytearray(record)
            self._register(key)
            return
        records = self._editable(key)
        ids = memoryview(records).cast("I")[0::2]
        at = bisect_left(ids, page_id)
        found = at < len(ids) and ids[at] == page_id
        del ids  # a bytearray with a view on it cannot be resized
        records[at * RECORD:(at + 1 if found else at) * RECORD] = record

    def _remove(self, key: str, page_id: int) -> None:
        self._sections.pop(key, None)
        records = self._editable(key)
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

    def _keys_of(self, entry: str) -> list[tuple[str, str]]:
        """An entry's sections in the order of its body: (exact form, key); a pair's one, unnamed."""
        forms = self._forms.get(entry)
        if forms is None:
            return [("", entry)]
        return [(form, f"{entry}{FORM}{form}") for form in sorted(forms)]

    def _write(self, outputs: Outputs, touched: set[str], chunks: set[int], popular: list[list[str]]) -> None:
        sections = self._sections
        shards = sorted({shard_of(entry, self._shards) for entry in touched})
        # The sections the touched pages changed, encoded in one pass; the others as written before.
        missing = [key for shard in shards for entry in self._shard_entries.get(shard, ())
                   for _, key in self._keys_of(entry) if key not in sections]
        sections.update(zip(missing, encode_sections([self._records[key] for key in missing]), strict=True))
        for shard in shards:
            entries = sorted(self._shard_entries.get(shard, ()))
            if entries:
                outputs.add(f"{ROOT}s/{shard}.bin", encode_shard([(entry, self._body(entry)) for entry in entries]))
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

    def _body(self, entry: str) -> bytes:
        out = bytearray()
        for form, key in self._keys_of(entry):
            append_named(out, form, self._sections[key])
        return bytes(out)


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
