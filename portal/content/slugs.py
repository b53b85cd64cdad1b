"""ASCII slugs and diacritic folding for Vietnamese text.

Slugs come from python-slugify (its transliteration maps đ/Đ to d/D, which plain Unicode
decomposition does not, since đ has no decomposition).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from slugify import slugify as _slugify

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str, max_length: int = 80) -> str:
    """"Tổ chức thực hiện" -> "to-chuc-thuc-hien".

    Vietnamese (the common case, e.g. every heading anchor) is folded here: python-slugify takes
    ~0.2 ms a call, which is seconds over thousands of documents. Any other script goes to
    python-slugify, whose transliteration covers it.
    """
    folded = fold(text)
    if not folded.isascii():
        return _slugify(unicodedata.normalize("NFC", text), max_length=max_length, word_boundary=True)
    slug = _NOT_SLUG.sub("-", folded).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] if "-" in slug[:max_length] else slug[:max_length]
    return slug


class _FoldTable(dict):
    """`str.translate` table: combining marks (category Mn) to nothing, đ/Đ to d/D, other
    characters to themselves. Filled on first sight of each character, so folding costs one C-level
    `translate` per string instead of a Python call per character (search indexing folds every
    word of every document)."""

    def __missing__(self, code: int) -> int | str | None:
        char = chr(code)
        value: int | str | None = code
        if unicodedata.category(char) == "Mn":
            value = None
        elif char in "đĐ":
            value = "d" if char == "đ" else "D"
        self[code] = value
        return value


_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Lowercase without tones or marks; đ -> d ("Đảng Cộng sản" -> "dang cong san")."""
    if text.isascii():
        return text.lower()
    return unicodedata.normalize("NFD", text).translate(_FOLD_TABLE).lower()


class SlugSet:
    """Slugs given out so far, each new one made unique with -2, -3 ... (`unique`). Where the
    last search for a base stopped is remembered: n identical headings cost n probes, not n²/2."""

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self.taken = set(taken)
        self._next: dict[str, int] = {}  # base -> the first counter not yet known to be taken

    def unique(self, text: str, fallback: str = "muc") -> str:
        base = slugify(text) or fallback
        candidate = base
        if base in self.taken:
            counter = self._next.get(base, 2)
            while f"{base}-{counter}" in self.taken:
                counter += 1
            candidate = f"{base}-{counter}"
            self._next[base] = counter + 1
        self.taken.add(candidate)
        return candidate
