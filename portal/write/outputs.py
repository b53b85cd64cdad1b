"""Stage 5: every output goes through one `Outputs`, then the new site replaces the old atomically.

`Outputs` is the one place every page, feed and asset goes through: it refuses a path twice
(Pelican's rule: two pages fighting for one URL is a bug, not a last-writer-wins) and any path
that could escape the output folder. It keeps the files in memory (the dev server serves them from
there) or, in a build, writes each one at once into a staging folder beside the output folder, so
that ten thousand pages are never all held in memory; forked workers write the pages they render
there themselves (`store`), and the parent only records them (`record`).

`staged_site` makes that staging folder under a lock; `publish` swaps it in with one rename, so
readers and a killed build never see half a site (Lektor's temp file + `os.replace`, applied to
the whole folder), and content with errors never gets that far.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# Segments of letters, digits, ".", "_", "-" that start with a letter or digit (so never "..", a
# hidden file or an absolute path), joined by single slashes.
_SAFE_PATH = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*(?:/[A-Za-z0-9][A-Za-z0-9._-]*)*")
# The marker every build leaves in its output folder: only a folder that has it may be replaced.
MARKER = ".portal-site"
MARKER_TEXT = "Thư mục này do portal dựng và bị thay toàn bộ ở mỗi lần dựng. Đừng sửa tay.\n"
# Host configuration files that must sit at the site root under these exact names.
HOST_FILES = frozenset({"_headers", ".nojekyll", MARKER})


class OutputError(Exception):
    """A programming error: an unsafe or duplicate output path."""


class UnsafeOutputFolder(Exception):
    """The output folder is not one the portal may replace (the message is for the editor)."""


class Outputs:
    def __init__(self, staging: Path | None = None) -> None:
        self.staging = staging  # None: kept in memory
        self._files: dict[str, bytes | None] = {}  # None: written to `staging`
        self._sizes: dict[str, int] = {}
        self._folders: set[Path] = set()

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
        target = self.staging / path
        if target.parent not in self._folders:  # one mkdir per folder, not per file
            target.parent.mkdir(parents=True, exist_ok=True)  # exist_ok: another worker may race us
            self._folders.add(target.parent)
        target.write_bytes(data)
        return len(data)

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

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._files))

    def __len__(self) -> int:
        return len(self._files)

    def sizes(self) -> dict[str, int]:
        return dict(self._sizes)

    def items(self) -> list[tuple[str, bytes]]:
        return [(path, self[path]) for path in self]


def is_safe_output_path(path: str) -> bool:
    """Relative POSIX path of plain segments: no '..', no absolute, no backslash, no hidden files."""
    if path in HOST_FILES:
        return True
    return _SAFE_PATH.fullmatch(path) is not None


def _rename_exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directories (Linux renameat2 RENAME_EXCHANGE). False if unsupported."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    if result == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(a))


@contextmanager
def _output_lock(out_dir: Path) -> Iterator[None]:
    """Two builds into the same folder take turns instead of interleaving their swaps."""
    lock_path = out_dir.parent / f".{out_dir.name}.lock"
    with open(lock_path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _remove_stale(out_dir: Path) -> None:
    """Leftovers of builds that were killed before they could clean up."""
    for stale in out_dir.parent.glob(f".{out_dir.name}.tmp-*"):
        shutil.rmtree(stale, ignore_errors=True)


def check_output_folder(out_dir: Path, protected: tuple[Path, ...] = ()) -> Path:
    """The real folder to replace, or UnsafeOutputFolder: a build replaces its output folder
    whole, so `--out .` or `--out content` must never be taken literally."""
    target = out_dir.resolve()  # a symlinked output folder: replace what it points to
    cwd = Path.cwd().resolve()
    dangerous = {Path(target.anchor), Path.home().resolve()}
    for keep in (cwd, *(p.resolve() for p in protected)):
        if target == keep or target in keep.parents:
            raise UnsafeOutputFolder(f"`{out_dir}` chứa hoặc là thư mục dự án/nội dung; chọn một thư mục riêng như `site/`")
    if target in dangerous:
        raise UnsafeOutputFolder(f"`{out_dir}` là thư mục gốc hoặc thư mục nhà; chọn một thư mục riêng như `site/`")
    if target.exists():
        if not target.is_dir():
            raise UnsafeOutputFolder(f"`{out_dir}` đã có và không phải thư mục")
        if any(target.iterdir()) and not (target / MARKER).is_file():
            raise UnsafeOutputFolder(f"`{out_dir}` đã có dữ liệu không do portal dựng; chọn thư mục trống "
                                     "hoặc xóa thư mục đó trước")
    return target


class StagedSite:
    """A new site being written beside the output folder; `publish` puts it in place."""

    def __init__(self, out_dir: Path, staging: Path):
        self.out_dir, self.outputs = out_dir, Outputs(staging)
        self.published = False

    def publish(self) -> None:
        staging = self.outputs.staging
        assert staging is not None and not self.published
        if MARKER not in self.outputs:
            self.outputs.add(MARKER, MARKER_TEXT)
        os.chmod(staging, 0o755)  # mkdtemp makes it private; a web server must read it
        if self.out_dir.exists():
            if not _rename_exchange(staging, self.out_dir):
                # Fallback: two renames; a crash between them leaves the old site in a "-old" folder.
                os.replace(self.out_dir, staging.with_name(staging.name + "-old"))
                os.replace(staging, self.out_dir)
        else:
            os.replace(staging, self.out_dir)
        self.published = True


@contextmanager
def staged_site(out_dir: Path, protected: tuple[Path, ...] = ()) -> Iterator[StagedSite]:
    """A staging folder beside `out_dir`, held under the output folder's lock (two builds into one
    folder take turns) and removed afterwards: after `publish` it holds the previous site."""
    out_dir = check_output_folder(out_dir, protected)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    with _output_lock(out_dir):
        _remove_stale(out_dir)
        staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
        try:
            yield StagedSite(out_dir, staging)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
            shutil.rmtree(staging.with_name(staging.name + "-old"), ignore_errors=True)


def write_site(outputs: Outputs, out_dir: Path, protected: tuple[Path, ...] = ()) -> None:
    """Write outputs kept in memory as the new site, atomically."""
    with staged_site(out_dir, protected) as site:
        for path, data in outputs.items():
            site.outputs.add(path, data)
        site.publish()
