"""What each page puts in the search index: its syllables' exact forms and adjacent pairs, each
with a score and the text block of its first occurrence.

The work is on integer arrays (numpy), not on strings: a process gives each syllable form, term
and run of text between spaces an id the first time it meets them (`Vocabulary`), so a page's
thousands of syllables are one `bytes.join` and one `numpy.unique`; names are made only at the
end (`Vocabulary.name`), once per distinct key. Python's `Counter` over strings, one step per
syllable, cost twice as much at 10,000 documents (benchmarks/README.md).
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Sequence
from itertools import chain, repeat
from operator import add, lshift, or_
from typing import TYPE_CHECKING

from portal.content.slugs import fold

if TYPE_CHECKING:  # numpy is imported where the arrays are made: `check` never needs it
    import numpy as np

BLOCK, OVERLAP = 4000, 200  # snippet blocks: a match near a block's end still has its context
# Field weights, added once per distinct term or pair of a field (the body: once per occurrence,
# up to BODY_CAP). A title's terms weigh more the shorter it is: "Giỗ Tổ Hùng Vương" is all about
# its four syllables, a forty-word title less so. Totals stay below 256 (one byte).
WEIGHTS = {"number": 40, "title": 10, "short_title": 30, "signer": 10, "summary": 5, "issuer": 5, "headings": 4,
           "meta": 3, "body": 1}
BODY_CAP = 8
# Longer words are cut here and in search.js (MAX_TERM there) the same way: one 252-letter "word"
# once made a file name too long for every file system, and no query needs more.
MAX_TERM = 64
# An entry of the index is a folded term ("dang", its sections one per exact form) or an adjacent
# pair of folded terms ("dang cong"; a title's ends "^ gio" and "vuong $"). While it is built,
# each form has its own key "term<TAB>form" ("dang\tđảng"). Terms are [a-z0-9]: the kinds never meet.
FORM = "\t"
START, END = "^", "$"  # a title's ends, as the terms before its first and after its last syllable

_TERM = re.compile(r"[a-z0-9]+")
_WORD = re.compile(r"[^\W_]+")
_WORD_CHAR = re.compile(r"[^\W_]")
_CACHE_LIMIT = 500_000  # words or runs a process keeps; past this, a part starts afresh
_FIELD_LIMIT = 50_000  # fields kept (kinds and issuers, signers, headings come back page after page)

Fields = tuple[tuple[str, str], ...]  # (field name, text), a name possibly more than once


def terms(text: str) -> list[str]:
    return [term[:MAX_TERM] for term in _TERM.findall(fold(text))]


_PIECES: dict[str, tuple[tuple[str, str], ...]] = {}  # word -> its (term, form) pieces, folded once


def word_pieces(word: str) -> tuple[tuple[str, str], ...]:
    """"Đảng" -> (("dang", "đảng"),). A word that folds into several terms ("x²") gives each as
    its own form."""
    pieces = _PIECES.get(word)
    if pieces is None:
        folded = fold(word)
        parts = _TERM.findall(folded)
        form = word.lower()
        pieces = _PIECES[word] = ((folded[:MAX_TERM], form),) if parts == [folded] and len(form.encode()) < 256 \
            else tuple((part[:MAX_TERM], part[:MAX_TERM]) for part in parts)
    return pieces


class Vocabulary:
    """This process's ids of terms (the title ends first), form keys and runs of text between
    spaces. A run's syllables are kept as packed int32 ids, so a text's are one `bytes.join` of its runs'."""

    def __init__(self) -> None:
        self.terms: dict[str, int] = {START: 0, END: 1}
        self.term_names: list[str] = [START, END]
        self.forms: dict[str, int] = {}
        self.form_names: list[str] = []
        self.runs: dict[str, bytes] = {}  # run -> its syllables' (form id, term id), packed int32
        self.fields: dict[tuple[bool, str], tuple[frozenset[int], int]] = {}  # (a title?, text) -> keys, length

    def packed(self, runs: Sequence[str]) -> bytes:
        """The ids of these runs' syllables, packed; the runs met for the first time learnt first
        (trying the known ones first: on most pages every run is known)."""
        try:
            return b"".join(map(self.runs.__getitem__, runs))
        except KeyError:
            self._learn(runs)
            return b"".join(map(self.runs.__getitem__, runs))

    def _learn(self, runs: Sequence[str]) -> None:
        for run in set(runs).difference(self.runs):
            ids = array("i")  # per syllable: its form's id, its term's id
            for word in _WORD.findall(run):
                for term, form in word_pieces(word):
                    key = f"{term}{FORM}{form}"
                    form_id = self.forms.get(key)
                    if form_id is None:
                        form_id = self.forms[key] = len(self.form_names)
                        self.form_names.append(key)
                    term_id = self.terms.get(term)
                    if term_id is None:
                        term_id = self.terms[term] = len(self.term_names)
                        self.term_names.append(term)
                    ids.append(form_id)
                    ids.append(term_id)
            self.runs[run] = ids.tobytes()

    def name(self, key: int) -> str:
        """A key's name: a form key ("dang\tđảng") or a pair ("dang cong", "^ gio", "vuong $")."""
        if key < _PAIR:
            return self.form_names[key]
        return f"{self.term_names[(key >> 32) - 1]} {self.term_names[key & 0xFFFFFFFF]}"


_PAIR = 1 << 32  # keys at and above are pairs: (first term + 1) << 32 | second term
_vocabulary = Vocabulary()


def fresh_vocabulary() -> Vocabulary:
    """The process's vocabulary, emptied first when it has grown past its bound (between parts,
    never within one: ids must hold until a part's names are made)."""
    global _vocabulary
    if max(len(_vocabulary.runs), len(_vocabulary.forms)) > _CACHE_LIMIT:
        _vocabulary = Vocabulary()
        _PIECES.clear()
    elif len(_vocabulary.fields) > _FIELD_LIMIT:
        _vocabulary.fields.clear()
    return _vocabulary


def _syllables(vocabulary: Vocabulary, text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The form ids and term ids of `text`'s syllables (int32), and each one's text block
    (BLOCK characters; a word belongs to the block where it starts)."""
    import numpy as np

    # Each block's own text: from its first character past the end of a word begun in the block
    # before; a cut where a word ends or before a non-word character leaves every word whole.
    cuts = [0]
    for end in range(BLOCK, len(text), BLOCK):
        tail = _WORD.match(text, end) if _WORD_CHAR.match(text, end - 1) else None
        cuts.append(max(cuts[-1], tail.end() if tail else end))
    block_runs = [text[start:end].split() for start, end in zip(cuts, [*cuts[1:], len(text)], strict=True)] \
        if len(cuts) > 1 else [text.split()]
    runs = list(chain.from_iterable(block_runs)) if len(block_runs) > 1 else block_runs[0]
    ids = np.frombuffer(vocabulary.packed(runs), dtype=np.int32)
    forms, term_ids = ids[0::2], ids[1::2]
    if len(block_runs) == 1:
        return forms, term_ids, np.zeros(len(forms), dtype=np.int64)
    sizes = [sum(map(len, map(vocabulary.runs.__getitem__, part))) // 8 for part in block_runs]
    return forms, term_ids, np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)


def _pairs(term_ids: np.ndarray) -> np.ndarray:
    """Each adjacent pair of terms as one int64 key (see _PAIR)."""
    import numpy as np

    return ((term_ids[:-1].astype(np.int64) + 1) << 32) | term_ids[1:].astype(np.int64)


def _field_keys(vocabulary: Vocabulary, text: str, title: bool) -> tuple[frozenset[int], int]:
    """A field's distinct form and pair keys (a title's ends too), and its syllable count: in
    plain Python, as a field is a few words (numpy's cost per call is a body's; one numpy pass
    over a page's dozen fields together was slower still)."""
    ids = array("i")
    ids.frombytes(vocabulary.packed(text.split()))
    forms, term_ids = ids[0::2], ids[1::2]
    ends = [vocabulary.terms[START], *term_ids, vocabulary.terms[END]] if title and term_ids else term_ids
    keys = set(forms)
    keys.update(map(or_, map(lshift, map(add, ends, repeat(1)), repeat(32)), ends[1:]))
    return frozenset(keys), len(forms)


def page_keys(vocabulary: Vocabulary, fields: Fields, body: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A page's distinct keys (int64, increasing), each one's score and the block of its first
    occurrence in the body (0 when only in other fields)."""
    import numpy as np

    forms, term_ids, blocks = _syllables(vocabulary, body)
    field_keys, weights = [], []
    kept_fields = vocabulary.fields
    for name, text in fields:
        kept = kept_fields.get((name == "title", text))
        if kept is None:
            kept = kept_fields[name == "title", text] = _field_keys(vocabulary, text, name == "title")
        field, length = kept
        field_keys.append(field)
        weights.append(WEIGHTS[name] + (WEIGHTS["short_title"] // max(1, length) if name == "title" else 0))
    in_fields = np.fromiter(chain.from_iterable(field_keys), np.int64)
    # One stable sort of every occurrence, the body's first: a key's first index is its first
    # occurrence in the body when it has one; sums per key in C (bincount).
    in_body = np.concatenate([forms.astype(np.int64), _pairs(term_ids)])
    page, first, where = np.unique(np.concatenate([in_body, in_fields]), return_index=True, return_inverse=True)
    counts = np.minimum(np.bincount(where[:len(in_body)], minlength=len(page)), BODY_CAP) * WEIGHTS["body"]
    field_weights = np.repeat(np.array(weights, dtype=np.int64), [len(field) for field in field_keys])
    scores = counts + np.bincount(where[len(in_body):], field_weights, len(page)).astype(np.int64)
    occurrence_blocks = np.concatenate([blocks, blocks[:-1], np.zeros(1, dtype=np.int64)])
    first_blocks = occurrence_blocks[np.minimum(first, len(in_body))]  # past the body: 0
    return (page, np.minimum(first_blocks, 0xFFFF).astype(np.uint16), np.minimum(scores, 255).astype(np.uint16))


def field_scores(fields: Fields, body: str) -> tuple[list[str], list[int], list[int]]:
    """Each form key ("dang\tđảng") and pair key ("dang cong") of a page, with its score and the
    block of its first occurrence in the body (0 when only in other fields): three lists."""
    vocabulary = fresh_vocabulary()
    keys, blocks, scores = page_keys(vocabulary, fields, body)
    return list(map(vocabulary.name, keys.tolist())), scores.tolist(), blocks.tolist()
