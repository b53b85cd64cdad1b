"""Record what a page reads from the site index while it renders, and what changed between two
indexes, so that an incremental rebuild re-renders exactly the pages whose inputs changed.

A template reads the index through `TrackedIndex`: `index.documents[slug]` records
("documents", slug); iterating or measuring a map (`index.topics.values()`, `index.documents |
length`) records ("documents", ALL); any other attribute (`index.events`, `index.today`) records
(attribute, WHOLE). Reads are facts about the data, not about templates, so a template edit
cannot make a page stale: templates are part of the global fingerprint, which re-renders all.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Mapping
from typing import Any

ALL = "\x00all"  # the whole map: its keys, order and every value
WHOLE = "\x00whole"  # a non-map attribute

Read = tuple[str, Any]


class TrackedMap(Mapping):
    def __init__(self, name: str, data: dict, reads: set[Read]):
        self._name, self._data, self._reads = name, data, reads

    def __getitem__(self, key: Any) -> Any:
        self._reads.add((self._name, key))
        return self._data[key]

    def __contains__(self, key: object) -> bool:
        self._reads.add((self._name, key))
        return key in self._data

    def get(self, key: Any, default: Any = None) -> Any:
        self._reads.add((self._name, key))
        return self._data.get(key, default)

    def __iter__(self) -> Iterator:
        self._reads.add((self._name, ALL))
        return iter(self._data)

    def __len__(self) -> int:
        self._reads.add((self._name, ALL))
        return len(self._data)


class TrackedIndex:
    def __init__(self, index: Any, reads: set[Read]):
        self._index, self._reads = index, reads

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._index, name)
        if isinstance(value, dict):
            return TrackedMap(name, value, self._reads)
        self._reads.add((name, WHOLE))
        return value


_MISSING = object()


def group_reads(reads: set[Read]) -> dict[str, frozenset]:
    """{attribute: keys read}: the form `Readers` files a page's reads under."""
    grouped: dict[str, set] = {}
    for name, key in reads:
        grouped.setdefault(name, set()).add(key)
    return {name: frozenset(keys) for name, keys in grouped.items()}


class IndexChanges:
    """Which reads would see a different value in `new` than in `old`. Each attribute is compared
    once per rebuild (identity first: unchanged documents are the very same objects)."""

    def __init__(self, old: Any, new: Any):
        self._old, self._new = old, new
        self._changed_keys: dict[str, set | None] = {}  # None: not a map, compared whole

    def keys_changed(self, name: str) -> set | None:
        """The keys of map `name` whose value differs (with ALL when any does or the order
        changed), {WHOLE} for another attribute that differs; empty or None when none does."""
        if name not in self._changed_keys:
            before, after = getattr(self._old, name, _MISSING), getattr(self._new, name, _MISSING)
            if isinstance(before, dict) and isinstance(after, dict):
                if list(before) == list(after):  # the same keys in the same order: values side by side
                    changed = {k for (k, b), a in zip(before.items(), after.values(), strict=True)
                               if a is not b and a != b}
                else:  # keys added, removed or moved: a change to whoever read the whole map
                    changed = {ALL, *(k for k in before.keys() | after.keys()
                                      if (b := before.get(k, _MISSING)) is not (a := after.get(k, _MISSING))
                                      and b != a)}
                if changed:
                    changed.add(ALL)
                self._changed_keys[name] = changed
            else:
                self._changed_keys[name] = None if (before is after or before == after) else {WHOLE}
        return self._changed_keys[name]


class Readers:
    """The pages' reads, and the same turned around: for each index entry, the pages that read
    it. A rebuild finds the pages a change reaches from the few entries that changed, instead of
    testing every page's reads (at 10,000 documents, 80,000 tests for a one-word edit)."""

    def __init__(self) -> None:
        self._reads: dict[str, dict[str, frozenset]] = {}  # page -> attribute -> keys read
        self._pages: dict[str, dict[Any, set[str]]] = {}  # attribute -> key -> pages

    def file(self, page: str, reads: dict[str, frozenset]) -> None:
        """`page` was rendered again and read `reads` (in place of what it read before)."""
        self._unfile(page)
        self._reads[page] = reads
        for name, keys in reads.items():
            readers = self._pages.setdefault(name, {})
            for key in keys:
                readers.setdefault(key, set()).add(page)

    def keep_only(self, pages: set[str]) -> None:
        """Forget the pages not in `pages` (no longer made)."""
        for page in self._reads.keys() - pages:
            self._unfile(page)

    def reads(self) -> dict[str, dict[str, frozenset]]:
        """Each page's reads, as filed."""
        return dict(self._reads)

    def _unfile(self, page: str) -> None:
        for name, keys in self._reads.pop(page, {}).items():
            readers = self._pages[name]
            for key in keys:
                pages = readers[key]
                pages.discard(page)
                if not pages:
                    del readers[key]

    def reached(self, changes: IndexChanges) -> set[str]:
        """The pages that read an entry whose value differs between the two indexes of `changes`."""
        reached: set[str] = set()
        for name, readers in self._pages.items():
            changed = changes.keys_changed(name)
            if changed:
                for key in changed:
                    reached.update(readers.get(key, ()))
        return reached


def _current(index: Any, name: str, key: Any) -> Any:
    value = getattr(index, name, _MISSING)
    if key is WHOLE or key == WHOLE or not isinstance(value, dict):
        return value
    if key == ALL:
        return tuple(value.items())
    return value.get(key, _MISSING)


class FragmentCache:
    """Fragments that many pages share (a document's list item), each kept with the index
    entries it read while it rendered and their values: it is used again while every one of
    them is the same object, or an equal one, in the index at hand. Its reads are added to the
    reads of the page that asks (when that page's index is tracked), so that a page built from
    kept fragments still depends on what they show."""

    def __init__(self) -> None:
        self._kept: dict[Hashable, tuple[tuple[tuple[str, Any, Any], ...], Any]] = {}

    def get(self, slot: Hashable, index: Any, make: Callable[[Any], Any]) -> Any:
        if isinstance(index, TrackedIndex):
            raw, page_reads = index._index, index._reads
        else:
            raw, page_reads = index, None
        kept = self._kept.get(slot)
        if kept is None or not all((now := _current(raw, name, key)) is value or now == value
                                   for name, key, value in kept[0]):
            reads: set[Read] = set()
            fragment = make(TrackedIndex(raw, reads))
            kept = self._kept[slot] = (tuple((name, key, _current(raw, name, key)) for name, key in reads), fragment)
        if page_reads is not None:
            page_reads.update((name, key) for name, key, _ in kept[0])
        return kept[1]
