"""The persistent build cache: results of the costly per-item steps kept between `build` runs.

A one-shot build of a large site spends most of its time on work whose inputs did not change
since the last build: the share card, the body HTML and the calendar events of every document
nobody edited. The functions behind those steps are pure over their arguments, so a
result can be found again by a digest of the arguments alone, plus a version that covers
everything else the result depends on (the portal's code, the libraries that shape the output,
the fonts).

The cache is one SQLite file beside the output folder (`.site.cache.sqlite` beside `site/`, like
the stamp and the lock), so CI can restore and save it as a single file: a build in a fresh
checkout with the previous cache re-renders only what changed. SQLite (the standard library's)
rather than a folder of files: commits are atomic, so a killed build leaves either the last
entries or none, never a torn one; and one file is what a CI cache step keeps best.

Only a build that succeeds prunes: the entries it did not use (an edited or deleted document's,
everything made by older code) are dropped, so the file holds one build's results, not history.

Digests are computed from a canonical encoding of the arguments (`canonical`), written by hand
because pickle's bytes are not stable across processes: sets are pickled in hash order, which
changes with every interpreter's string-hash seed, and pydantic models pickle their set of
fields-set. An argument of a type `canonical` does not know is simply not cached (computed every
time), so an unexpected input can cost time, never give a stale result.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import pickle
import sqlite3
import sys
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path, PurePath
from typing import Any

from pydantic import BaseModel
from zlib_ng import zlib_ng  # zlib's format, deflated about twice as fast

from portal.write.stamp import library_versions

# The steps worth keeping: pure, a millisecond or more an item, results of a few kilobytes.
# Not the .docx: made in about a millisecond from the body, about what reading it back costs.
STORED_STEPS = frozenset({"body", "share-card", "ical-event"})
SCHEMA = 1  # of the table below; part of the version
_PORTAL = Path(__file__).resolve().parents[1]

_UNSEEN: Any = object()  # `keys`: an argument not encoded yet (None means it cannot be)


def cache_path(out_dir: Path) -> Path:
    return out_dir.parent / f".{out_dir.name}.cache.sqlite"


class Uncacheable(TypeError):
    """An argument `canonical` cannot encode stably."""


def canonical(value: Any, out: bytearray) -> None:
    """Append a stable, unambiguous encoding of `value` to `out` (type tag, then contents)."""
    kind = type(value)
    if kind is str:
        data = value.encode("utf-8", "surrogatepass")
        out += b"s%d:" % len(data)
        out += data
    elif kind is bytes:
        out += b"b%d:" % len(value)
        out += value
    elif kind is bool or value is None:
        out += b"c" + repr(value).encode()
    elif kind is int or kind is float:
        out += b"n" + repr(value).encode() + b";"
    elif kind is tuple or kind is list:
        out += b"t%d(" % len(value) if kind is tuple else b"l%d(" % len(value)
        for item in value:
            canonical(item, out)
        out += b")"
    elif kind is dict:
        out += b"d%d(" % len(value)
        for key, item in value.items():  # insertion order is part of a dict's meaning here
            canonical(key, out)
            canonical(item, out)
        out += b")"
    elif kind is frozenset or kind is set:
        parts = []
        for item in value:
            part = bytearray()
            canonical(item, part)
            parts.append(bytes(part))
        out += b"f%d(" % len(parts)
        out += b"".join(sorted(parts))
        out += b")"
    elif isinstance(value, enum.Enum):
        out += b"e" + _type_name(kind)
        canonical(value.value, out)
    elif kind is date or kind is datetime:
        out += b"D" + value.isoformat().encode() + b";"
    elif isinstance(value, PurePath):
        out += b"p"
        canonical(str(value), out)
    elif isinstance(value, BaseModel):
        out += b"m" + _type_name(kind) + b"("
        for name in type(value).model_fields:
            canonical(getattr(value, name), out)
        out += b")"
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        out += b"a" + _type_name(kind) + b"("
        for field in dataclasses.fields(value):
            canonical(getattr(value, field.name), out)
        out += b")"
    else:
        raise Uncacheable(kind.__qualname__)


def _encoding(value: Any) -> bytes | None:
    """`canonical` of `value` alone, or None when it has no stable encoding."""
    out = bytearray()
    try:
        canonical(value, out)
    except Uncacheable:
        return None
    return bytes(out)


def stored_form(value: Any) -> tuple[int, bytes]:
    """A result as the store keeps it: bytes (a PNG, compressed already) as they are, kind 0;
    anything else pickled and deflated, kind 1. Pure: a worker makes it beside the result, so
    the building process only inserts it."""
    if type(value) is bytes:
        return 0, value
    return 1, zlib_ng.compress(pickle.dumps(value, protocol=5), 1)


def _type_name(kind: type) -> bytes:
    return f"{kind.__module__}.{kind.__qualname__};".encode()


def code_version(extra_files: Iterable[Path] = ()) -> str:
    """A digest of what a stored result depends on besides its arguments: the portal's source (the
    .py files only: compiled files differ with every checkout's times), the Python version, the
    versions of the libraries that shape the output (the stamp's list), and `extra_files` (the fonts)."""
    digest = hashlib.sha256(b"schema %d\n%s\n%s\n" % (SCHEMA, sys.version.encode(), library_versions().encode()))
    for path in sorted(_PORTAL.rglob("*.py")):
        digest.update(str(path.relative_to(_PORTAL)).encode() + b"\0" + path.read_bytes() + b"\0")
    for path in extra_files:
        digest.update(str(path).encode() + b"\0" + (path.read_bytes() if path.is_file() else b"-") + b"\0")
    return digest.hexdigest()


def _open(path: Path) -> sqlite3.Connection:
    # The default rollback journal, not WAL: between builds the cache is this one file. A rowid
    # table (not WITHOUT ROWID): its rows hold blobs of kilobytes.
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute("CREATE TABLE IF NOT EXISTS results (key BLOB PRIMARY KEY, kind INTEGER NOT NULL, "
                       "value BLOB NOT NULL)")
    connection.execute("SELECT count(*) FROM results").fetchone()  # a damaged file fails here, not mid-build
    return connection


class ResultStore:
    """Stored results by digest; used in the building process only (workers never see it)."""

    def __init__(self, path: Path, version: str):
        self.version = version.encode()
        self._used: set[bytes] = set()  # read or written by this build: what `prune` keeps
        self._pending: list[tuple[bytes, int, bytes]] = []
        self._writable = True  # until a write fails: a full disk then fails the build's own writes, not these
        try:
            self._connection = _open(path)
        except sqlite3.DatabaseError:  # not a database, or damaged: it is only a cache
            path.unlink(missing_ok=True)
            self._connection = _open(path)

    def key(self, step: str, arguments: tuple[Any, ...]) -> bytes | None:
        """The digest of one call, or None when its arguments cannot be encoded stably."""
        return self.keys(step, [arguments])[0]

    def keys(self, step: str, calls: Sequence[tuple[Any, ...]]) -> list[bytes | None]:
        """`key` of each call. An argument object that many calls share (the feeds' event
        settings with every topic's name, a frozenset of ids) is encoded once for all of them:
        it was two thirds of an event's key."""
        prefix = self.version + step.encode() + b"\0"
        shared: dict[int, bytes | None] = {}  # by id: every argument stays alive in `calls` meanwhile

        def encoding(argument: Any) -> bytes | None:
            if type(argument) is str:  # a body's text: one call's own, not worth remembering
                return _encoding(argument)
            if (part := shared.get(id(argument), _UNSEEN)) is _UNSEEN:
                part = shared[id(argument)] = _encoding(argument)
            return part

        found: list[bytes | None] = []
        for arguments in calls:
            parts = list(map(encoding, arguments))
            known = [part for part in parts if part is not None]
            # the tuple as `canonical` writes it, around its items' encodings
            found.append(hashlib.blake2b(b"%st%d(%s)" % (prefix, len(known), b"".join(known)), digest_size=20).digest()
                         if len(known) == len(parts) else None)
        return found

    def present(self, keys: list[bytes]) -> set[bytes]:
        """Which of `keys` the store holds."""
        found: set[bytes] = set()
        for start in range(0, len(keys), 500):  # SQLite limits a statement's parameters
            batch = keys[start:start + 500]
            found.update(row[0] for row in self._connection.execute(
                f"SELECT key FROM results WHERE key IN ({','.join('?' * len(batch))})", batch))
        return found

    def get(self, key: bytes) -> Any:
        """The stored result of a key `present` found."""
        kind, value = self._connection.execute("SELECT kind, value FROM results WHERE key = ?", (key,)).fetchone()
        self._used.add(key)
        return value if kind == 0 else pickle.loads(zlib_ng.decompress(value))

    def put(self, key: bytes, form: tuple[int, bytes]) -> None:
        """Store a result in its `stored_form` (made by the worker that computed it)."""
        if not self._writable:
            return
        self._pending.append((key, *form))
        self._used.add(key)
        if len(self._pending) >= 500:
            self.flush()

    def flush(self) -> None:
        if self._pending:  # none after a failed write: `put` stops adding
            try:
                with self._connection:
                    self._connection.execute("BEGIN")
                    self._connection.executemany("INSERT OR REPLACE INTO results (key, kind, value) VALUES (?, ?, ?)",
                                                 self._pending)
            except sqlite3.OperationalError:  # disk full, read-only, I/O: it is only a cache
                self._writable = False
        self._pending = []

    def prune(self) -> None:
        """Drop what this build did not use (after a build that succeeded: an edited or deleted
        item's results, everything older code made), and give the space back when more than half
        of the file is free."""
        self.flush()
        if not self._writable:
            return
        try:
            with self._connection:
                self._connection.execute("BEGIN")
                self._connection.execute("CREATE TEMP TABLE used (key BLOB PRIMARY KEY)")
                self._connection.executemany("INSERT INTO used VALUES (?)", ((key,) for key in self._used))
                self._connection.execute("DELETE FROM results WHERE key NOT IN (SELECT key FROM used)")
                self._connection.execute("DROP TABLE used")
            free, pages = (self._connection.execute(f"PRAGMA {name}").fetchone()[0]
                           for name in ("freelist_count", "page_count"))
            if free * 2 > pages:
                self._connection.execute("VACUUM")
        except sqlite3.OperationalError:
            self._writable = False

    def close(self) -> None:
        self.flush()
        self._connection.close()
