"""The search index's postings: per key, the pages it occurs in, as packed records while the
index is built and as the varint sections search.js decodes.

A section: the number of postings (varint), then per page, ids increasing, the varint (LEB128)
gap from the previous id, the score byte and the varint number of the text block where the key
first occurs. Sections are encoded as arrays (numpy), all of a batch in one pass: one Python step
per posting cost seconds at 10,000 documents. A new index's sections are encoded where its
pages are analysed, part by part (`part_postings`); the build process joins each key's parts
(`SectionJoiner`), rewriting only the first gap of each part, and encodes only what a rebuild
changes (`encode_sections`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from portal.render.search_analysis import Fields, fresh_vocabulary, page_keys

if TYPE_CHECKING:
    import numpy as np

# A key's records while the index is built: one 8-byte record per page, ids increasing: the id
# (uint32), the block and the score (uint16 each), native order. Packed, because at 10,000
# documents postings are the build's peak of memory.
RECORD = 8


def record_type() -> np.dtype:
    import numpy as np

    return np.dtype([("page", np.uint32), ("block", np.uint16), ("score", np.uint16)])


def varint(out: bytearray, value: int) -> None:
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)


_SMALL = [bytes([value]) for value in range(0x80)]


def varint_bytes(value: int) -> bytes:
    if value < 0x80:
        return _SMALL[value]
    out = bytearray()
    varint(out, value)
    return bytes(out)


def _varint_sizes(values: np.ndarray) -> np.ndarray:
    """The bytes of each value's varint (values below 2**35), as uint8."""
    import numpy as np

    sizes = np.ones(len(values), dtype=np.uint8)
    for bound in (1 << 7, 1 << 14, 1 << 21, 1 << 28):
        sizes += values >= bound
    return sizes


def _put_varints(out: np.ndarray, at: np.ndarray, values: np.ndarray, sizes: np.ndarray) -> None:
    """Each value's varint into `out` at its offset, byte by byte for all of them at once (the
    later bytes only for the few values that have them)."""
    import numpy as np

    out[at] = (values & 0x7F) | ((sizes > 1).astype(np.uint8) << 7)
    for k in range(1, int(sizes.max(initial=0))):
        here = np.flatnonzero(sizes > k)
        out[at[here] + k] = ((values[here] >> (7 * k)) & 0x7F) | ((sizes[here] > k + 1).astype(np.uint8) << 7)


def _encode(records: np.ndarray, counts: np.ndarray, with_counts: bool) -> tuple[bytes, np.ndarray, np.ndarray]:
    """Consecutive sections of `records` (`counts` records each, none empty unless
    `with_counts`): the encoded bytes, each section's offset in them and the size of each
    section's first varint after its count (its first id, a gap from 0)."""
    import numpy as np

    firsts = np.cumsum(counts) - counts  # each section's first record
    ids = records["page"].astype(np.int64)
    gaps = ids.copy()
    gaps[1:] -= ids[:-1]
    present = firsts[counts > 0]
    gaps[present] = ids[present]  # a section's first id is a gap from 0
    blocks = records["block"]
    gap_sizes, block_sizes = _varint_sizes(gaps), _varint_sizes(blocks)
    sizes = gap_sizes.astype(np.int64) + 1 + block_sizes
    count_sizes = _varint_sizes(counts) if with_counts else np.zeros(len(counts), dtype=np.uint8)
    heads = np.cumsum(count_sizes, dtype=np.int64)  # the counts written up to each section's end
    before = np.concatenate([[0], np.cumsum(sizes)])  # the postings' bytes before each record
    begins = before[:-1] + np.repeat(heads, counts)
    starts = before[firsts] + heads - count_sizes
    out = np.empty(int(before[-1]) + int(heads[-1] if len(heads) else 0), dtype=np.uint8)
    if with_counts:
        _put_varints(out, starts, counts, count_sizes)
    _put_varints(out, begins, gaps, gap_sizes)
    out[begins + gap_sizes] = records["score"]
    _put_varints(out, begins + gap_sizes + 1, blocks, block_sizes)
    first_sizes = np.zeros(len(counts), dtype=np.uint8)
    first_sizes[counts > 0] = gap_sizes[present]
    return out.tobytes(), starts, first_sizes


def encode_sections(sections: Sequence[bytes | bytearray]) -> list[bytes]:
    """Each key's section (its count, then its postings) from its records."""
    import numpy as np

    records = np.frombuffer(b"".join(sections), dtype=record_type())
    counts = np.fromiter(map(len, sections), np.int64, len(sections)) // RECORD
    data, starts, _ = _encode(records, counts, with_counts=True)
    bounds = [*starts.tolist(), len(data)]
    return [data[start:stop] for start, stop in zip(bounds, bounds[1:], strict=False)]


def append_named(out: bytearray, name: str, section: bytes) -> None:
    """A section appended to `out` under its name (length byte, UTF-8): an exact form in a
    term's entry, "" for a pair's one section."""
    data = name.encode()
    out.append(len(data))
    out += data
    out += section


# A key's postings in a part of the pages: (its records, their count, the first id, the last id,
# the section's tail: without the count and without the first id, which becomes a gap from the
# previous part's last id). A plain tuple: tens of thousands cross from each worker, and tuples
# pickle in C.
Fragment = tuple[bytes, int, int, int, bytes]


def part_postings(pages: Sequence[tuple[int, Fields, str]]) -> dict[str, Fragment]:
    """Every key of these pages (ids increasing) with its fragment: the pages' postings
    inverted in one stable sort and encoded in one pass, so the build process only joins parts."""
    import numpy as np

    vocabulary = fresh_vocabulary()
    analysed = [page_keys(vocabulary, fields, body) for _, fields, body in pages]
    keys = np.concatenate([keys for keys, _, _ in analysed]) if analysed else np.zeros(0, dtype=np.int64)
    records = np.empty(len(keys), dtype=record_type())
    records["page"] = np.repeat(np.array([page_id for page_id, _, _ in pages], dtype=np.uint32),
                                [len(found) for found, _, _ in analysed])
    if analysed:
        records["block"] = np.concatenate([blocks for _, blocks, _ in analysed])
        records["score"] = np.concatenate([scores for _, _, scores in analysed])
    order = np.argsort(keys, kind="stable")  # stable: each key's pages stay in id order
    keys, records = keys[order], records[order]
    firsts = np.flatnonzero(np.concatenate([[True], keys[1:] != keys[:-1]])) if len(keys) else np.zeros(0, int)
    counts = np.diff(np.concatenate([firsts, [len(keys)]]))
    encoded, starts, first_sizes = _encode(records, counts, with_counts=False)
    packed = records.tobytes()
    name = vocabulary.name
    ids = records["page"]
    ends = [*starts[1:].tolist(), len(encoded)][:len(starts)]  # no keys: none
    return {name(key): (packed[RECORD * first:RECORD * (first + count)], count, first_id, last_id,
                        encoded[start + first_size:end])
            for key, first, count, first_id, last_id, start, first_size, end in zip(
                keys[firsts].tolist(), firsts.tolist(), counts.tolist(), ids[firsts].tolist(),
                ids[firsts + counts - 1].tolist(), starts.tolist(), first_sizes.tolist(), ends, strict=True)}


class SectionJoiner:
    """Each key's records and section from its parts' fragments, which come in id order."""

    def __init__(self) -> None:
        self._records: dict[str, list[bytes]] = {}
        self._pieces: dict[str, list[bytes]] = {}  # per key: its first ids' gaps and tails
        self._counts: dict[str, int] = {}
        self._lasts: dict[str, int] = {}

    def add(self, fragments: dict[str, Fragment]) -> None:
        records, pieces, counts, lasts = self._records, self._pieces, self._counts, self._lasts
        for key, (part, count, first, last, tail) in fragments.items():
            before = lasts.get(key)
            if before is None:
                records[key] = [part]
                pieces[key] = [varint_bytes(first), tail]
                counts[key] = count
            else:
                records[key].append(part)
                pieces[key] += (varint_bytes(first - before), tail)
                counts[key] += count
            lasts[key] = last

    def records(self) -> dict[str, bytes | bytearray]:
        return {key: parts[0] if len(parts) == 1 else b"".join(parts) for key, parts in self._records.items()}

    def sections(self) -> dict[str, bytes]:
        return {key: varint_bytes(self._counts[key]) + b"".join(pieces) for key, pieces in self._pieces.items()}
