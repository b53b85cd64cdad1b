"""Stage 5: collect outputs in memory, then write them all at once, atomically.

`Outputs` is the one place every page, feed and asset goes through: it refuses a path twice
(Pelican's rule: two pages fighting for one URL is a bug, not a last-writer-wins) and any path
that could escape the output folder. The dev server can serve an `Outputs` straight from memory.

`write_site` renders nothing: it writes a complete new tree next to the output folder and swaps
it in with one rename, so readers and a killed build never see half a site (Lektor's temp file +
`os.replace`, applied to the whole folder).
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
from pathlib import Path, PurePosixPath

_SAFE_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
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
    def __init__(self) -> None:
        self._files: dict[str, bytes] = {}

    def add(self, path: str, data: bytes | str) -> None:
        if not is_safe_output_path(path):
            raise OutputError(f"unsafe output path: {path!r}")
        if path in self._files:
            raise OutputError(f"output written twice: {path}")
        self._files[path] = data.encode("utf-8") if isinstance(data, str) else data

    def __contains__(self, path: str) -> bool:
        return path in self._files

    def __getitem__(self, path: str) -> bytes:
        return self._files[path]

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._files))

    def __len__(self) -> int:
        return len(self._files)

    def items(self) -> list[tuple[str, bytes]]:
        return sorted(self._files.items())


def is_safe_output_path(path: str) -> bool:
    """Relative POSIX path of plain segments: no '..', no absolute, no backslash, no hidden files."""
    if path in HOST_FILES:
        return True
    if not path or "\\" in path or "\x00" in path or path.startswith("/"):
        return False
    return all(_SAFE_SEGMENT.match(part) for part in PurePosixPath(path).parts)


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


def write_site(outputs: Outputs, out_dir: Path, protected: tuple[Path, ...] = ()) -> None:
    if MARKER not in outputs:
        outputs.add(MARKER, MARKER_TEXT)
    out_dir = check_output_folder(out_dir, protected)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    with _output_lock(out_dir):
        _remove_stale(out_dir)
        staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
        try:
            for path, data in outputs.items():
                target = staging / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            os.chmod(staging, 0o755)  # mkdtemp makes it private; a web server must read it
            if out_dir.exists():
                if not _rename_exchange(staging, out_dir):
                    # Fallback: two renames; a crash between them leaves the old site in `staging`.
                    previous = staging.with_name(staging.name + "-old")
                    os.replace(out_dir, previous)
                    os.replace(staging, out_dir)
                    staging = previous
            else:
                os.replace(staging, out_dir)
                return
        finally:
            shutil.rmtree(staging, ignore_errors=True)
