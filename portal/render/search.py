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
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from portal.content.dates import numeric_date
from portal.content.models import Document
from portal.content.slugs import fold
from portal.derive.index import SiteIndex
from portal.render.bodies import RenderedMarkdown
from portal.steps import PLAIN, Steps, same_inputs
from portal.urls import SEARCH, document_path
from portal.write.outputs import Outputs

ROOT = SEARCH  # the index lives in the search page's folder
CHUNK = 128
_TERM = re.compile(r"[a-z0-9]+")
_BLOCK_TAG = re.compile(r"</?(?:p|li|ul|ol|h[1-6]|table|thead|tbody|tr|td|th|blockquote|div|pre|hr|br)\b[^>]*>")
_TAG = re.compile(r"<[^>]+>")
WEIGHTS = {"number": 40, "title": 12, "meta": 3, "body": 1}
BODY_CAP = 8  # a word repeated fifty times is not fifty times more relevant


# A term names its postings file (`t/<term>.bin`): one 252-letter "word" made a name too long for
# every file system. Longer words are cut here and in search.js (MAX_TERM there) the same way.
MAX_TERM = 64


def terms(text: str) -> list[str]:
    return [term[:MAX_TERM] for term in _TERM.findall(fold(text))]


def number_terms(number: str) -> list[str]:
    """"443-KH/TU" -> 443, kh, tu and the joined "443khtu" (so "443khtu" finds it too)."""
    parts = terms(number)
    return parts + (["".join(parts)[:MAX_TERM]] if len(parts) > 1 else [])


def plain_text(html: str) -> str:
    """Text of rendered Markdown: blocks separated by a space, inline tags (<em>) removed without one."""
    return " ".join(_TAG.sub("", _BLOCK_TAG.sub(" ", html)).replace("&amp;", "&").replace("&lt;", "<")
                    .replace("&gt;", ">").replace("&quot;", '"').replace("&#39;", "'").split())


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


def encode_postings(ids: Sequence[int], scores: bytes | bytearray) -> bytes:
    """Ids in increasing order as LEB128 gaps from the previous id (small numbers: one byte for
    most), each followed by its score in one byte (scores stay below 256: see WEIGHTS and BODY_CAP)."""
    out, previous = bytearray(), 0
    for doc_id, score in zip(ids, scores, strict=True):
        gap, previous = doc_id - previous, doc_id
        while gap >= 0x80:
            out.append(gap & 0x7F | 0x80)
            gap >>= 7
        out.append(gap)
        out.append(score)
    return bytes(out)


def _prefix(term: str) -> str:
    return term[:2]


def _display(document: Document, issuer: str, text: str, site_path: str) -> list:
    meta = document.meta
    return [site_path + document_path(document.slug), meta.display_title, meta.kind.label,
            "" if meta.is_draft else meta.number,
            numeric_date(meta.issued) if meta.issued else (str(meta.issued_year or "")), issuer, text[:240]]


def _vocabulary_file(terms_with_counts: dict[str, int]) -> bytes:
    return json.dumps(dict(sorted(terms_with_counts.items())), separators=(",", ":")).encode()


def _chunk_file(rows: list[list]) -> bytes:
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode()


def _manifest(documents: int) -> bytes:
    return json.dumps({"version": 3, "documents": documents, "chunk": CHUNK, "weights": WEIGHTS},
                      separators=(",", ":")).encode()


@dataclass(frozen=True)
class Analysis:
    scores: dict[str, int]
    display: list
    text: bytes | int  # the plain text, or its size once a worker has written it


def analyse(document: Document, issuer: str, body: RenderedMarkdown, site_path: str,
            store: tuple[str, Callable[[str, bytes], int]] | None) -> Analysis:
    """A document's terms with their scores, its display row and its plain text. `store`: where
    a worker writes the text itself (a one-shot build into a folder), so that it does not travel
    back; None keeps it in the result."""
    text = plain_text(body.html)
    data = text.encode()
    return Analysis(document_scores(document, issuer, text), _display(document, issuer, text, site_path),
                    store[1](store[0], data) if store is not None else data)


def text_path(doc_id: int) -> str:
    return f"{ROOT}x/{doc_id}.txt"


class _Postings:
    """One term's postings: ids in increasing order with a score byte each, packed (five bytes a
    posting instead of a dictionary entry and an int object: at 10,000 documents postings were
    the build's peak of memory)."""

    __slots__ = ("ids", "scores")

    def __init__(self) -> None:
        self.ids = array("I")
        self.scores = bytearray()

    def set(self, doc_id: int, score: int) -> None:
        score = min(score, 255)
        ids = self.ids
        if not ids or ids[-1] < doc_id:  # documents come in order in a full build: append
            ids.append(doc_id)
            self.scores.append(score)
            return
        at = bisect_left(ids, doc_id)
        if at < len(ids) and ids[at] == doc_id:
            self.scores[at] = score
        else:
            ids.insert(at, doc_id)
            self.scores.insert(at, score)

    def remove(self, doc_id: int) -> None:
        at = bisect_left(self.ids, doc_id)
        if at < len(self.ids) and self.ids[at] == doc_id:
            del self.ids[at]
            del self.scores[at]


class SearchIndex:
    """The index files, updated document by document. A new index adds every document; an index
    kept from the last build (the dev server's) takes out and puts back only the documents whose
    inputs changed, and rewrites only the files they touch: an edited title touches a few
    postings files, not the ten-thousand-entry files of every common word. Document ids are
    positions in the newest-first order: when that order changes, every document is added again
    (its analysis may still be a kept one)."""

    def __init__(self) -> None:
        self._order: tuple[str, ...] = ()
        self._inputs: dict[str, tuple] = {}  # slug -> the arguments of its last analysis
        self._postings: dict[str, _Postings] = {}
        self._rows: list[list] = []  # display row of each id

    def update(self, index: SiteIndex, bodies: dict[str, RenderedMarkdown], outputs: Outputs,
               steps: Steps = PLAIN) -> frozenset[str]:
        """Writes into `outputs` every index file that changed; returns the paths of all of them
        (the rest are as the last build wrote them)."""
        order = index.newest_first
        site_path = index.site.config.base_path
        store = None if outputs.in_memory else outputs.store
        if order != self._order:
            self._inputs, self._postings, self._rows = {}, {}, [[] for _ in order]
        inputs = {}
        for slug in order:
            document = index.documents[slug]
            inputs[slug] = (document, index.units[document.meta.issuer].name, bodies[slug], site_path)
        position = {slug: doc_id for doc_id, slug in enumerate(order)}
        changed = [slug for slug in order
                   if (last := self._inputs.get(slug)) is None or not same_inputs(last, inputs[slug])]
        old = steps.each("search-document", analyse, [(slug, (*self._inputs[slug], None))
                                                      for slug in changed if slug in self._inputs])
        new = steps.stream("search-document", analyse,
                         [(slug, (*inputs[slug], (text_path(position[slug]), store) if store else None))
                          for slug in changed], parallel=True)
        old_scores = dict(zip((slug for slug in changed if slug in self._inputs), (a.scores for a in old), strict=True))
        touched: set[str] = set()
        for slug, analysis in zip(changed, new, strict=True):
            doc_id = position[slug]
            before = old_scores.get(slug, {})
            for term in before:
                if term not in analysis.scores:
                    self._postings[term].remove(doc_id)
                    touched.add(term)
            all_postings = self._postings
            for term, score in analysis.scores.items():
                if before.get(term) != score:
                    postings = all_postings.get(term)
                    if postings is None:
                        postings = all_postings[term] = _Postings()
                    ids = postings.ids
                    if not ids or ids[-1] < doc_id:  # `set`'s common case, inlined: a full build appends
                        ids.append(doc_id)
                        postings.scores.append(score if score < 256 else 255)
                    else:
                        postings.set(doc_id, score)
                    touched.add(term)
            self._rows[doc_id] = analysis.display
            if isinstance(analysis.text, int):  # written by the worker: its size
                outputs.record(text_path(doc_id), analysis.text)
            else:
                outputs.add(text_path(doc_id), analysis.text)
        self._order, self._inputs = order, inputs

        prefixes: dict[str, dict[str, int]] = defaultdict(dict)
        for term in sorted(touched):
            postings = self._postings[term]
            if postings.ids:
                outputs.add(f"{ROOT}t/{term}.bin", encode_postings(postings.ids, postings.scores))
            else:
                del self._postings[term]
            prefixes[_prefix(term)] = {}
        for term, postings in self._postings.items():
            if _prefix(term) in prefixes:
                prefixes[_prefix(term)][term] = len(postings.ids)
        for prefix, vocabulary in sorted(prefixes.items()):
            if vocabulary:
                outputs.add(f"{ROOT}v/{prefix}.json", _vocabulary_file(vocabulary))
        for chunk in sorted({position[slug] // CHUNK for slug in changed}):
            outputs.add(f"{ROOT}d/{chunk}.json", _chunk_file(self._rows[chunk * CHUNK:(chunk + 1) * CHUNK]))
        outputs.add(f"{ROOT}index.json", _manifest(len(order)))
        return frozenset((
            *(text_path(doc_id) for doc_id in range(len(order))),
            *(f"{ROOT}t/{term}.bin" for term in self._postings),
            *(f"{ROOT}v/{prefix}.json" for prefix in {_prefix(term) for term in self._postings}),
            *(f"{ROOT}d/{chunk}.json" for chunk in range(-(-len(order) // CHUNK))),
            f"{ROOT}index.json",
        ))
