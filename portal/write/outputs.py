"""Stage 5a: every output goes through one `Outputs`.

It is the one place every page, feed and asset goes through: it refuses a path twice
(Pelican's rule: two pages fighting for one URL is a bug, not a last-writer-wins) and any path
that could escape the output folder. It keeps the files in memory (the dev server serves them from
there) or, in a build, writes each one at once into a staging folder beside the output folder, so
that ten thousand pages are never all held in memory; forked workers write the pages they render
there themselves (`store`), and the parent only records them (`record`). Publishing the staging
folder: `publish.py`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

# Segments of letters, digits, ".", "_", "-" that start with a letter or digit (so never "..", a
# hidden file or an absolute path), joined by single slashes.
_SAFE_PATH = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*(?:/[A-Za-z0-9][A-Za-z0-9._-]*)*")
# The marker every build leaves in its output folder: only a folder that has it may be replaced.
MARKER = ".portal-site"
MARKER_TEXT = "Thư mục này do portal dựng và bị thay toàn bộ ở mỗi lần dựng. Đừng sửa tay.\n"
# Host configuration files that must sit at the site root under these exact names.
HOST_FILES = frozenset({"_headers", ".nojekyll", MARKER})


# `Outputs.store` as the stages see it: writes one output file, returns its size. A stage given
# one in a one-shot build lets its workers write what they make (pages, Word files, text blocks).
Store = Callable[[str, bytes], int]


class OutputError(Exception):
    """A programming error: an unsafe or duplicate output path."""


class Outputs:
    def __init__(self, staging: Path | None = None) -> None:
        self.staging = staging  # None: kept in memory
        self._root = str(staging) if staging is not None else ""  # `store` writes under it
        self._files: dict[str, bytes | None] = {}  # None: written to `staging`
        self._sizes: dict[str, int] = {}
        self._folders: set[str] = set()

    @property
    def in_memory(self) -> bool:
        return self.staging is None

    def add(self, path: str, data: bytes | str) -> None:
        data = data.encode("utf-8") if isinstance(data, str) else data
        if self.staging is not None:
            self.record(path, self.store(path, data))
            return
        self.record(path, len(data))
        self._files[path] = data

    def store(self, path: str, data: bytes) -> int:
        """Write one file into the staging folder and return its size, without bookkeeping: a
        forked worker calls this for the pages it renders (their bytes never travel back to the
        parent), and the parent then `record`s them. Checks the path like `add`."""
        assert self.staging is not None, "only a staged build writes from workers"
        if not is_safe_output_path(path):
            raise OutputError(f"unsafe output path: {path!r}")
        # Strings, not pathlib: this runs for every file of a build (tens of thousands), and
        # pathlib's parsing of each path was a third of the cost of writing a small file.
        folder, _, _ = path.rpartition("/")
        if folder not in self._folders:  # one mkdir per folder, not per file
            os.makedirs(f"{self._root}/{folder}", exist_ok=True)  # exist_ok: another worker may race us
            self._folders.add(folder)
        write_file(f"{self._root}/{path}", data)
        return len(data)

    def take(self, path: str, made: bytes | int) -> None:
        """What a stage made for `path`: its bytes (`add`), or the size of the file a worker
        already wrote through `store` (`record`)."""
        if isinstance(made, int):
            self.record(path, made)
        else:
            self.add(path, made)

    def record(self, path: str, size: int) -> None:
        """Count a file as written; refuses an unsafe path or one written twice."""
        if not is_safe_output_path(path):
            raise OutputError(f"unsafe output path: {path!r}")
        if path in self._files:
            raise OutputError(f"output written twice: {path}")
        self._sizes[path] = size
        self._files[path] = None

    def __contains__(self, path: str) -> bool:
        return path in self._files

    def __getitem__(self, path: str) -> bytes:
        data = self._files[path]
        if data is None:
            assert self.staging is not None
            return (self.staging / path).read_bytes()
        return data

    def get(self, path: str, default: bytes = b"") -> bytes:
        """The file at `path`, or `default` when this build made none there."""
        return self[path] if path in self._files else default

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._files))

    def __len__(self) -> int:
        return len(self._files)

    def sizes(self) -> dict[str, int]:
        return dict(self._sizes)

    def items(self) -> list[tuple[str, bytes]]:
        return [(path, self[path]) for path in self]

    def carry_over(self, previous: Outputs, paths: Iterable[str]) -> None:
        """The files of `paths` not written by this build, as `previous` (the last build kept in
        memory) has them: what a builder that keeps results did not make again."""
        files = self._files
        for path in paths:
            if path not in files:
                data = previous._files[path]
                assert data is not None, "only a build kept in memory is carried over"
                self._sizes[path] = len(data)
                files[path] = data


def handed_over(store: Store | None, path: str, data: bytes) -> bytes | int:
    """What a stage's maker of the file at `path` gives `Outputs.take`: its bytes, or with `store`
    (a one-shot build's writer, called in the worker) the size of the file it wrote."""
    return data if store is None else store(path, data)


def write_file(target: str, data: bytes) -> None:
    """Every output file is written here (tests make it fail like a full disk)."""
    with open(target, "wb") as handle:
        handle.write(data)


def is_safe_output_path(path: str) -> bool:
    """Relative POSIX path of plain segments: no '..', no absolute, no backslash, no hidden files."""
    if path in HOST_FILES:
        return True
    return _SAFE_PATH.fullmatch(path) is not None


