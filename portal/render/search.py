"""A static search index, sharded by term, for readers who type without diacritics.

Why our own and not Pagefind: Pagefind (1.5) folds tones but not `đ` ("dang" never finds
"Đảng", upstream issue #1210), and its scoring grows with the square of matching pages past
~20,000 documents. This index folds exactly as the browser does (`đ` -> `d`, NFD marks removed),
and a query downloads only what it needs:

  tim-kiem/t/<term>.bin    postings of one folded syllable, binary: for each document a varint
                           (LEB128) gap from the previous id, then a score byte. Binary because
                           a phone decodes it in a tight loop with no parsing: a frequent word
                           has 10,000 postings, which as JSON cost more to parse than to fetch
  tim-kiem/v/<pp>.json     the terms starting with two letters, with their document counts,
                           to complete the word being typed
  tim-kiem/d/<n>.json      display data of 128 documents (url, title, kind, number, date, issuer, lead)
  tim-kiem/x/<id>.txt      a document's plain text, fetched only for the results shown (snippets)
  tim-kiem/index.json      manifest

Document ids are positions in the site's newest-first order, so ties rank newer documents first.
"""

from __future__ import annotations

import json
import re
from array import array
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from portal.content.dates import numeric_date
from portal.derive.index import SiteIndex
from portal.render.bodies import RenderedMarkdown
from portal.content.models import Document
from portal.urls import SEARCH, document_path
from portal.write.outputs import Outputs
from portal.build.parallel import parallel_imap
from portal.content.slugs import fold

ROOT = SEARCH  # the index lives in the search page's folder
CHUNK = 128
_TERM = re.compile(r"[a-z0-9]+")
_BLOCK_TAG = re.compile(r"</?(?:p|li|ul|ol|h[1-6]|table|thead|tbody|tr|td|th|blockquote|div|pre|hr|br)\b[^>]*>")
_TAG = re.compile(r"<[^>]+>")
WEIGHTS = {"number": 40, "title": 12, "meta": 3, "body": 1}
BODY_CAP = 8  # a word repeated fifty times is not fifty times more relevant


def terms(text: str) -> list[str]:
    return _TERM.findall(fold(text))


def number_terms(number: str) -> list[str]:
    """"443-KH/TU" -> 443, kh, tu and the joined "443khtu" (so "443khtu" finds it too)."""
    parts = terms(number)
    return parts + (["".join(parts)] if len(parts) > 1 else [])


def plain_text(html: str) -> str:
    """Text of rendered Markdown: blocks separated by a space, inline tags (<em>) removed without one."""
    return " ".join(_TAG.sub("", _BLOCK_TAG.sub(" ", html)).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
                    .replace("&quot;", '"').replace("&#39;", "'").split())


def document_scores(document: Document, issuer_name: str, body_text: str) -> dict[str, int]:
    meta = document.meta
    scores: dict[str, int] = defaultdict(int)
    body: dict[str, int] = defaultdict(int)
    for term in terms(body_text):
        body[term] += 1
    for term, count in body.items():
        scores[term] += min(count, BODY_CAP) * WEIGHTS["body"]
    for term in set(terms(meta.title)):
        scores[term] += WEIGHTS["title"]
    if not meta.is_draft:
        for term in set(number_terms(meta.number)):
            scores[term] += WEIGHTS["number"]
    for term in set(terms(f"{meta.kind.label} {issuer_name}")):
        scores[term] += WEIGHTS["meta"]
    return dict(scores)


def encode_postings(postings: dict[int, int]) -> bytes:
    """Ids in order as LEB128 gaps from the previous id (small numbers: one byte for most), each
    followed by its score in one byte (scores stay below 256: see WEIGHTS and BODY_CAP)."""
    ids = sorted(postings)
    return encode_sorted_postings(ids, bytes(min(postings[doc_id], 255) for doc_id in ids))


def encode_sorted_postings(ids: Sequence[int], scores: bytes | bytearray) -> bytes:
    """`encode_postings` of ids already in increasing order, with their scores (one byte each)."""
    out, previous = bytearray(), 0
    for doc_id, score in zip(ids, scores):
        gap, previous = doc_id - previous, doc_id
        while gap >= 0x80:
            out.append(gap & 0x7F | 0x80)
            gap >>= 7
        out.append(gap)
        out.append(score)
    return bytes(out)


def decode_postings(data: bytes) -> dict[int, int]:
    """The inverse of `encode_postings` (what search.js does in the browser), for tests."""
    postings, doc_id, at = {}, 0, 0
    while at < len(data):
        gap, shift = 0, 0
        while True:
            byte = data[at]
            at += 1
            gap |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                break
        doc_id += gap
        postings[doc_id] = data[at]
        at += 1
    return postings


def _prefix(term: str) -> str:
    return term[:2]


def _display(document: Document, issuer: str, text: str, absolute_path) -> list:
    meta = document.meta
    return [absolute_path(document_path(document.slug)), meta.display_title, meta.kind.label,
            "" if meta.is_draft else meta.number,
            numeric_date(meta.issued) if meta.issued else (str(meta.issued_year or "")), issuer, text[:240]]


def _vocabulary_file(terms_with_counts: dict[str, int]) -> bytes:
    return json.dumps(dict(sorted(terms_with_counts.items())), separators=(",", ":")).encode()


def _chunk_file(rows: list[list]) -> bytes:
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode()


def _manifest(documents: int) -> bytes:
    return json.dumps({"version": 3, "documents": documents, "chunk": CHUNK, "weights": WEIGHTS},
                      separators=(",", ":")).encode()


@dataclass
class SearchIndexer:
    """Writes the index files. With `keep_files` (the dev server), it keeps per-document terms and
    every file, so a rebuild after one edit recomputes only the terms, prefixes and chunk that
    changed; without, each file is written and forgotten (a one-shot build of a large site)."""

    keep_files: bool = True
    _order: tuple[str, ...] = ()
    _docs: dict[str, tuple] = field(default_factory=dict)  # slug -> (key, scores, display)
    _postings: dict[str, dict[int, int]] = field(default_factory=dict)
    _files: dict[str, bytes] = field(default_factory=dict)

    def write(self, index: SiteIndex, bodies: dict[str, RenderedMarkdown], absolute_path, outputs: Outputs,
              workers: int = 1) -> None:
        """Every index file into `outputs`."""
        if not self.keep_files:
            self._write_once(index, bodies, absolute_path, outputs, workers)
            return
        emit = outputs.add
        order = index.newest_first
        ids_moved = order != self._order  # ids are positions: everything is new
        position = {slug: doc_id for doc_id, slug in enumerate(order)}

        def put(path: str, data: bytes) -> None:
            self._files[path] = data

        def key(slug: str) -> tuple:
            document = index.documents[slug]
            return document, index.units[document.meta.issuer].name

        def unchanged(slug: str, before: tuple) -> bool:
            document = index.documents[slug]  # the same object while its file is unchanged
            return before[0][0] is document and before[0][1] == index.units[document.meta.issuer].name

        def analyse(slug: str) -> tuple[dict[str, int], list, bytes]:
            document, issuer = key(slug)
            text = plain_text(bodies[slug].html)
            return document_scores(document, issuer, text), _display(document, issuer, text, absolute_path), text.encode()

        if ids_moved:
            self._postings, self._files = {}, {}
        fresh: dict[str, tuple] = {}
        for slug in order:
            before = self._docs.get(slug)
            if before is not None and not ids_moved and unchanged(slug, before):
                fresh[slug] = before
        todo = [slug for slug in order if slug not in fresh]
        for slug, (scores, display, text) in zip(todo, parallel_imap(analyse, todo, workers)):
            fresh[slug] = (key(slug), scores, display)
            put(f"{ROOT}x/{position[slug]}.txt", text)
        changed_ids = sorted(position[slug] for slug in todo)

        touched_terms: set[str] = set()
        for doc_id in changed_ids:
            slug = order[doc_id]
            old = self._docs.get(slug)
            old_scores = old[1] if old and not ids_moved else {}
            new_scores = fresh[slug][1]
            # Only the terms whose score changed: an edited title touches a few postings files,
            # not the ten-thousand-entry files of every common word in the body.
            for term, score in old_scores.items():
                if term not in new_scores:
                    self._postings[term].pop(doc_id, None)
                    touched_terms.add(term)
            for term, score in new_scores.items():
                if old_scores.get(term) != score:
                    self._postings.setdefault(term, {})[doc_id] = score
                    touched_terms.add(term)

        for term in sorted(touched_terms):
            postings = self._postings.get(term)
            path = f"{ROOT}t/{term}.bin"
            if postings:
                put(path, encode_postings(postings))
            else:
                self._postings.pop(term, None)
                self._files.pop(path, None)
        by_prefix: dict[str, list[str]] = defaultdict(list)
        touched_prefixes = {_prefix(term) for term in touched_terms}
        for term in self._postings:
            if _prefix(term) in touched_prefixes:
                by_prefix[_prefix(term)].append(term)
        for prefix in sorted(touched_prefixes):
            vocabulary = {term: len(self._postings[term]) for term in by_prefix.get(prefix, ())}
            path = f"{ROOT}v/{prefix}.json"
            if vocabulary:
                put(path, _vocabulary_file(vocabulary))
            else:
                self._files.pop(path, None)
        for chunk in sorted({doc_id // CHUNK for doc_id in changed_ids}):
            put(f"{ROOT}d/{chunk}.json", _chunk_file([fresh[slug][2] for slug in order[chunk * CHUNK:(chunk + 1) * CHUNK]]))
        for chunk in range((len(order) + CHUNK - 1) // CHUNK, (len(self._order) + CHUNK - 1) // CHUNK):
            self._files.pop(f"{ROOT}d/{chunk}.json", None)
        for doc_id in range(len(order), len(self._order)):
            self._files.pop(f"{ROOT}x/{doc_id}.txt", None)
        put(f"{ROOT}index.json", _manifest(len(order)))
        for path, data in self._files.items():  # in any order: the output folder is a set of files
            emit(path, data)
        self._order, self._docs = order, fresh

    def _write_once(self, index: SiteIndex, bodies: dict[str, RenderedMarkdown], absolute_path, outputs: Outputs,
                    workers: int) -> None:
        """The same files for a build that keeps nothing. Postings are gathered as packed arrays
        (five bytes a posting instead of a dictionary entry and an int object, ten times more):
        at 10,000 documents they were the build's peak of memory. Into a staging folder, the
        workers write the documents' plain texts themselves (`Outputs.store`)."""
        order = index.newest_first
        emit = outputs.add
        store = None if outputs.in_memory else outputs.store

        def analyse(doc_id: int) -> tuple[dict[str, int], list, bytes | int]:
            document = index.documents[order[doc_id]]
            issuer = index.units[document.meta.issuer].name
            text = plain_text(bodies[document.slug].html)
            data = text.encode()
            return (document_scores(document, issuer, text), _display(document, issuer, text, absolute_path),
                    store(f"{ROOT}x/{doc_id}.txt", data) if store is not None else data)

        ids: dict[str, array] = {}
        scores: dict[str, bytearray] = {}
        rows: list[list] = []
        for doc_id, (term_scores, display, text) in enumerate(parallel_imap(analyse, range(len(order)), workers)):
            if isinstance(text, int):  # written by the worker: its size
                outputs.record(f"{ROOT}x/{doc_id}.txt", text)
            else:
                emit(f"{ROOT}x/{doc_id}.txt", text)
            for term, score in term_scores.items():
                if term not in ids:
                    ids[term], scores[term] = array("I"), bytearray()
                ids[term].append(doc_id)  # ids arrive in order: no sorting needed to encode
                scores[term].append(min(score, 255))
            rows.append(display)
            if len(rows) == CHUNK or doc_id == len(order) - 1:
                emit(f"{ROOT}d/{doc_id // CHUNK}.json", _chunk_file(rows))
                rows = []
        by_prefix: dict[str, dict[str, int]] = defaultdict(dict)
        for term in sorted(ids):
            emit(f"{ROOT}t/{term}.bin", encode_sorted_postings(ids[term], scores[term]))
            by_prefix[_prefix(term)][term] = len(ids[term])
            del ids[term], scores[term]  # let each term's postings go once written
        for prefix in sorted(by_prefix):
            emit(f"{ROOT}v/{prefix}.json", _vocabulary_file(by_prefix[prefix]))
        emit(f"{ROOT}index.json", _manifest(len(order)))
