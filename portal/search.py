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
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from .dates import numeric_date
from .derive import SiteIndex
from .markdown import RenderedMarkdown
from .models import Document
from .urls import document_path
from .parallel import parallel_imap
from .slugs import fold

ROOT = "tim-kiem/"
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
    out, previous = bytearray(), 0
    for doc_id in sorted(postings):
        gap, previous = doc_id - previous, doc_id
        while gap >= 0x80:
            out.append(gap & 0x7F | 0x80)
            gap >>= 7
        out.append(gap)
        out.append(min(postings[doc_id], 255))
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

    def write(self, index: SiteIndex, bodies: dict[str, RenderedMarkdown], absolute_path,
              emit: Callable[[str, bytes], None], workers: int = 1) -> None:
        order = index.newest_first
        ids_moved = order != self._order  # ids are positions: everything is new
        position = {slug: doc_id for doc_id, slug in enumerate(order)}

        def put(path: str, data: bytes) -> None:
            if self.keep_files:
                self._files[path] = data
            else:
                emit(path, data)

        def key(slug: str) -> tuple:
            document = index.documents[slug]
            return document, index.units[document.meta.issuer].name

        def analyse(slug: str) -> tuple[tuple, dict[str, int], list, bytes]:
            document, issuer = key(slug)
            text = plain_text(bodies[slug].html)
            meta = document.meta
            display = [absolute_path(document_path(slug)), meta.display_title, meta.kind.label,
                       "" if meta.is_draft else meta.number,
                       numeric_date(meta.issued) if meta.issued else (str(meta.issued_year or "")), issuer,
                       text[:240]]
            return (document, issuer), document_scores(document, issuer, text), display, text.encode()

        if ids_moved:
            self._postings, self._files = {}, {}
        fresh: dict[str, tuple] = {}
        for slug in order:
            before = self._docs.get(slug)
            if before is not None and before[0] == key(slug) and not ids_moved:
                fresh[slug] = before
        todo = [slug for slug in order if slug not in fresh]
        for slug, (doc_key, scores, display, text) in zip(todo, parallel_imap(analyse, todo, workers)):
            fresh[slug] = (doc_key, scores, display)
            put(f"{ROOT}x/{position[slug]}.txt", text)  # the plain text, written now and let go
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
                put(path, json.dumps(dict(sorted(vocabulary.items())), separators=(",", ":")).encode())
            else:
                self._files.pop(path, None)
        for chunk in sorted({doc_id // CHUNK for doc_id in changed_ids}):
            rows = [fresh[slug][2] for slug in order[chunk * CHUNK:(chunk + 1) * CHUNK]]
            put(f"{ROOT}d/{chunk}.json", json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode())
        for chunk in range((len(order) + CHUNK - 1) // CHUNK, (len(self._order) + CHUNK - 1) // CHUNK):
            self._files.pop(f"{ROOT}d/{chunk}.json", None)
        for doc_id in range(len(order), len(self._order)):
            self._files.pop(f"{ROOT}x/{doc_id}.txt", None)
        put(f"{ROOT}index.json", json.dumps({"version": 3, "documents": len(order), "chunk": CHUNK,
                                             "weights": WEIGHTS}, separators=(",", ":")).encode())
        if self.keep_files:
            for path in sorted(self._files):
                emit(path, self._files[path])
            self._order, self._docs = order, fresh
        else:  # nothing to reuse: let the postings go
            self._postings = {}
