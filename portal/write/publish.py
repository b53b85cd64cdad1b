"""Stage 5b: the staging folder becomes the site, atomically.

`staged_site` makes a staging folder beside the output folder, under a lock; `publish` swaps it in
with one rename, so readers and a killed build never see half a site (Lektor's temp file +
`os.replace`, applied to the whole folder), and content with errors never gets that far.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from portal.write.outputs import MARKER, MARKER_TEXT, Outputs

OLD_SUFFIX = "-old"  # the previous site, moved aside by the fallback publish


class UnsafeOutputFolder(Exception):
    """The output folder is not one the portal may replace (the message is for the editor)."""


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


# Descriptors of the output locks this process holds. A flock belongs to the open file, which
# forked workers share: when only the parent died (the OOM killer's choice), the orphaned workers
# kept the lock and the next build waited forever. In each forked child the descriptor is pointed
# at /dev/null at once (not closed: the inherited file object may still close its number).
_HELD_LOCKS: set[int] = set()


def _drop_inherited_locks() -> None:
    if not _HELD_LOCKS:
        return
    null = os.open(os.devnull, os.O_RDONLY)
    for descriptor in _HELD_LOCKS:
        os.dup2(null, descriptor, inheritable=False)
    os.close(null)
    _HELD_LOCKS.clear()


os.register_at_fork(after_in_child=_drop_inherited_locks)


@contextmanager
def _output_lock(out_dir: Path) -> Iterator[None]:
    """Two builds into the same folder take turns instead of interleaving their swaps."""
    lock_path = out_dir.parent / f".{out_dir.name}.lock"
    with open(lock_path, "w") as handle:  # close-on-exec (PEP 446): no program run keeps it either
        _HELD_LOCKS.add(handle.fileno())
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
        finally:
            _HELD_LOCKS.discard(handle.fileno())


def _restore(out_dir: Path) -> None:
    """Where the output folder is missing but a previous site was moved aside (a build killed
    between the fallback's two renames), that site is put back: it is never the one deleted."""
    if out_dir.exists():
        return
    aside = [old for old in out_dir.parent.glob(f".{out_dir.name}.tmp-*{OLD_SUFFIX}") if (old / MARKER).is_file()]
    if aside:
        os.replace(max(aside, key=lambda old: old.stat().st_mtime), out_dir)


def _remove_stale(out_dir: Path) -> None:
    """Leftovers of builds that were killed before they could clean up (after `_restore`)."""
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
            raise UnsafeOutputFolder(f"`{out_dir}` chứa hoặc là thư mục dự án/nội dung; "
                                     "chọn một thư mục riêng như `site/`")
    for keep in (p.resolve() for p in protected):
        if keep in target.parents:  # `--out content/site`: the next check would read the site as content
            raise UnsafeOutputFolder(f"`{out_dir}` nằm trong thư mục nội dung hoặc giao diện `{keep.name}/`; "
                                     "chọn một thư mục riêng như `site/`")
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
                # Fallback (no renameat2: macOS, some file systems): two renames. A crash between
                # them leaves the old site in the "-old" folder, which the next build puts back.
                os.replace(self.out_dir, staging.with_name(staging.name + OLD_SUFFIX))
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
        _restore(out_dir)
        _remove_stale(out_dir)
        staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
        try:
            yield StagedSite(out_dir, staging)
        finally:
            _restore(out_dir)  # an error between the two renames: the old site back, not deleted
            shutil.rmtree(staging, ignore_errors=True)
            shutil.rmtree(staging.with_name(staging.name + OLD_SUFFIX), ignore_errors=True)
