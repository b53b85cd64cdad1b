"""Faults while writing (issue 8, item 4): a build killed at any point, two builds at once, a
full disk and a read-only output folder never leave a half-written or mixed site/.

How each fault is made:
  * SIGKILL: `build.py` runs in a child process through a small harness that kills it with
    SIGKILL at a chosen point of the write (after the n-th output file, half-written; just before
    or after the folder swap; while the old site is being removed), the points drawn at random from
    a fixed seed; and at random moments of a whole build.
  * Two builds: two `build.py build` processes on one --out, plain and with every file write slowed
    down so that their writes surely overlap.
  * Full disk: a real 1-MB-scale tmpfs when the test may mount (root with CAP_SYS_ADMIN), and in
    every case an in-process build whose file writes fail with ENOSPC.
  * Read-only folder: root ignores file permissions, so chmod proves nothing; a read-only bind
    mount when the test may mount, and in every case an in-process build whose writes into the
    output folder's parent fail with EROFS.

Invariant checked after each fault: site/ is byte for byte the previous build or the new one.
"""

from __future__ import annotations

import builtins
import errno
import hashlib
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

import portal.write.outputs as outputs
from conftest import FIXTURES, ROOT
from portal.cli import main
from portal.pipeline import BuildOptions, build

OLD_DAY, NEW_DAY = date(2025, 1, 15), date(2025, 6, 1)
SEED = 20250115

# Runs `portal.cli.main(argv)` after arranging the fault named by PORTAL_FAULT ("point:n").
HARNESS = r"""
import os, shutil, signal, sys, time
from pathlib import Path
import portal.write.outputs as outputs
import portal.write.publish as writer
from portal.cli import main

point, _, n = os.environ["PORTAL_FAULT"].partition(":")
n = int(n or 0)

def die():
    os.kill(os.getpid(), signal.SIGKILL)

writes = [0]
real_write = outputs.write_file
def write_file(target, data):
    writes[0] += 1
    if point == "write" and writes[0] == n:
        real_write(target, data[: len(data) // 2])  # half a file, then nothing
        die()
    if point == "slow":
        time.sleep(n / 1000)
    return real_write(target, data)
outputs.write_file = write_file

real_exchange = writer._rename_exchange
def exchange(a, b):
    if point == "before-swap":
        die()
    swapped = real_exchange(a, b)
    if point == "after-swap":
        die()
    return swapped
writer._rename_exchange = exchange

real_rmtree = shutil.rmtree
def rmtree(path, *args, **kwargs):
    if point == "cleanup" and os.path.isdir(path) and (Path(path) / writer.MARKER).exists():
        removed = 0
        for folder, _, files in os.walk(path):
            for name in files:
                os.unlink(os.path.join(folder, name))
                removed += 1
                if removed == n:
                    die()
    return real_rmtree(path, *args, **kwargs)
shutil.rmtree = rmtree

sys.exit(main(sys.argv[1:]))
"""


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(parent: Path, name: str = "site") -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(f".{name}.tmp"))


def command(out: Path, day: date, content: Path = FIXTURES / "mini") -> list[str]:
    return ["build", "--content", str(content), "--out", str(out), "--today", day.isoformat()]


def run_harness(fault: str, args: list[str], timeout: float = 60) -> subprocess.CompletedProcess:
    env = {**os.environ, "PORTAL_FAULT": fault}
    return subprocess.run([sys.executable, "-c", HARNESS, *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)


@pytest.fixture(scope="module")
def versions(tmp_path_factory) -> tuple[dict[str, str], dict[str, str], int]:
    """The old site, the new one built over it (so with its feed revisions), and its file count."""
    base = tmp_path_factory.mktemp("versions")
    build(BuildOptions(FIXTURES / "mini", base / "old", OLD_DAY))
    shutil.copytree(base / "old", base / "new")
    result = build(BuildOptions(FIXTURES / "mini", base / "new", NEW_DAY))
    old, new = tree(base / "old"), tree(base / "new")
    assert old != new and result.outputs is not None
    return old, new, len(result.outputs)


@pytest.fixture
def old_site(tmp_path) -> Path:
    out = tmp_path / "site"
    build(BuildOptions(FIXTURES / "mini", out, OLD_DAY))
    return out


# --- SIGKILL -------------------------------------------------------------------------------------

def _kill_points(files: int) -> list[str]:
    chosen = random.Random(SEED)
    return ([f"write:{n}" for n in [1, files, *chosen.sample(range(2, files), 3)]]
            + ["before-swap", "after-swap", f"cleanup:{chosen.randrange(1, files)}"])


def test_a_build_killed_anywhere_in_the_write_leaves_a_complete_site(old_site, versions):
    """Protection: portal/writer.py writes into a temporary folder and swaps it in with one
    atomic rename (renameat2 RENAME_EXCHANGE); the next build clears what a killed one left."""
    old, new, files = versions
    assert tree(old_site) == old
    seen = []
    for point in _kill_points(files):
        result = run_harness(point, command(old_site, NEW_DAY))
        assert result.returncode == -signal.SIGKILL, (point, result.stderr)
        state = tree(old_site)
        assert state in (old, new), f"site/ is neither the old nor the new build after a kill at {point}"
        seen.append("new" if state == new else "old")
    assert seen == ["old"] * 6 + ["new"] * 2  # the site changes with the swap, and only then
    assert subprocess.run([sys.executable, "build.py", *command(old_site, NEW_DAY)], cwd=ROOT,
                          capture_output=True).returncode == 0
    assert tree(old_site) == new and leftovers(old_site.parent) == []


def test_a_build_killed_at_random_moments_leaves_a_complete_site(old_site, versions):
    """The same, with SIGKILL at random times over a whole build (loading, rendering, writing)."""
    old, new, _ = versions
    started = time.monotonic()
    subprocess.run([sys.executable, "build.py", *command(old_site.parent / "timing", OLD_DAY)], cwd=ROOT,
                   check=True, capture_output=True)
    duration = time.monotonic() - started
    chosen = random.Random(SEED)
    for _ in range(5):
        process = subprocess.Popen([sys.executable, "build.py", *command(old_site, NEW_DAY)], cwd=ROOT,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(chosen.uniform(0.2, 1.1) * duration)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert tree(old_site) in (old, new)


# --- two builds at once --------------------------------------------------------------------------

def _one_after_the_other(tmp_path: Path, first: date, second: date) -> dict[str, str]:
    """The site two builds leave when they take turns: the second one carries the feed revisions
    of the first over (it reads them from the output folder once it holds the lock)."""
    out = tmp_path / f"ref-{first.isoformat()}-{second.isoformat()}"
    build(BuildOptions(FIXTURES / "mini", out, first))
    build(BuildOptions(FIXTURES / "mini", out, second))
    return tree(out)


@pytest.mark.parametrize("fault", ["none", "slow:3"])
def test_two_builds_at_once_leave_one_complete_site(tmp_path, fault):
    """Protection: portal/writer.py `_output_lock` (one writer at a time per output folder; the
    other waits, then swaps in its own complete site). With `slow`, every file write takes 3 ms
    so that the two writes overlap for certain."""
    references = [_one_after_the_other(tmp_path, OLD_DAY, NEW_DAY), _one_after_the_other(tmp_path, NEW_DAY, OLD_DAY)]
    out = tmp_path / "site"
    env = {**os.environ, "PORTAL_FAULT": fault}
    processes = [subprocess.Popen([sys.executable, "-c", HARNESS, *command(out, day)], cwd=ROOT, env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for day in (OLD_DAY, NEW_DAY)]
    outcomes = [(p.wait(timeout=60), p.stderr.read()) for p in processes]
    for code, stderr in outcomes:
        assert code == 0, stderr
        assert "Đã dựng" in stderr and "Traceback" not in stderr
    assert tree(out) in references
    assert leftovers(tmp_path) == []


# --- full disk -----------------------------------------------------------------------------------

def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


def _unmount(folder: Path) -> None:
    subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def _usage(folder: Path) -> int:
    stats = os.statvfs(folder)
    return (stats.f_blocks - stats.f_bfree) * stats.f_frsize


def test_a_full_disk_is_a_clear_error_and_keeps_the_site(tmp_path):
    """A real small file system (tmpfs) holding the old site, with room for half another copy."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if os.geteuid() != 0 or not _mount("-t", "tmpfs", "-o", "size=16m", "tmpfs", str(disk)):
        pytest.skip("cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN); the simulated test below runs")
    try:
        build(BuildOptions(FIXTURES / "mini", disk / "site", OLD_DAY))
        before = tree(disk / "site")
        used = _usage(disk)
        assert _mount("-o", f"remount,size={used * 3 // 2}", str(disk))
        result = subprocess.run([sys.executable, "build.py", *command(disk / "site", NEW_DAY)], cwd=ROOT,
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        assert re.search(r": error: \[write-failed\] không ghi được thư mục kết quả: ổ đĩa đã đầy "
                         r"\(No space left on device\); .*site/ giữ nguyên — kiểm tra quyền ghi và dung lượng đĩa$",
                         result.stderr.strip()), result.stderr
        assert tree(disk / "site") == before
        assert leftovers(disk) == []
    finally:
        _unmount(disk)


def test_a_full_disk_simulated(tmp_path, monkeypatch, capsys):
    """Every run: the 30th file write fails with ENOSPC, as on a full disk."""
    out = tmp_path / "site"
    build(BuildOptions(FIXTURES / "mini", out, OLD_DAY))
    before = tree(out)
    real_write, writes = outputs.write_file, [0]

    def write_file(target, data):
        writes[0] += 1
        if writes[0] == 30:
            real_write(target, data[:10])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), target)
        return real_write(target, data)

    monkeypatch.setattr(outputs, "write_file", write_file)
    assert main(command(out, NEW_DAY)) == 1
    stderr = capsys.readouterr().err
    assert re.fullmatch(rf"{re.escape(str(tmp_path))}/\.site\.tmp-\w+/\S+: error: \[write-failed\] không ghi được "
                        rf"thư mục kết quả: ổ đĩa đã đầy \(No space left on device\); {re.escape(str(out))}/ giữ "
                        r"nguyên — kiểm tra quyền ghi và dung lượng đĩa", stderr.strip()), stderr
    assert tree(out) == before and leftovers(tmp_path) == []


# --- read-only output folder ---------------------------------------------------------------------

def test_a_read_only_output_folder_is_a_clear_error(tmp_path):
    """A real read-only bind mount over the folder that holds site/."""
    www = tmp_path / "www"
    build(BuildOptions(FIXTURES / "mini", www / "site", OLD_DAY))
    before = tree(www / "site")
    if os.geteuid() != 0 or not _mount("--bind", str(www), str(www)):
        pytest.skip("cannot bind-mount here (needs root with CAP_SYS_ADMIN); the simulated test below runs")
    try:
        assert _mount("-o", "remount,bind,ro", str(www))
        result = subprocess.run([sys.executable, "build.py", *command(www / "site", NEW_DAY)], cwd=ROOT,
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        assert re.search(r": error: \[write-failed\] không ghi được thư mục kết quả: ổ đĩa chỉ cho phép đọc "
                         r"\(Read-only file system\); .*site/ giữ nguyên", result.stderr), result.stderr
    finally:
        _unmount(www)
    assert tree(www / "site") == before and leftovers(www) == []


def test_a_read_only_output_folder_simulated(tmp_path, monkeypatch, capsys):
    """Every run: creating anything beside site/ fails with EROFS."""
    out = tmp_path / "site"
    build(BuildOptions(FIXTURES / "mini", out, OLD_DAY))
    before = tree(out)
    real_open, real_mkdir = builtins.open, os.mkdir

    def refuse(path) -> None:
        if Path(path).resolve().is_relative_to(tmp_path.resolve()):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))

    def read_only_open(file, mode="r", *args, **kwargs):
        if any(flag in mode for flag in "wax+"):
            refuse(file)
        return real_open(file, mode, *args, **kwargs)

    def read_only_mkdir(path, *args, **kwargs):
        refuse(path)
        return real_mkdir(path, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", read_only_open)
    monkeypatch.setattr(os, "mkdir", read_only_mkdir)
    assert main(command(out, NEW_DAY)) == 1
    stderr = capsys.readouterr().err
    assert stderr.strip() == (f"{tmp_path}/.site.lock: error: [write-failed] không ghi được thư mục kết quả: ổ đĩa "
                              f"chỉ cho phép đọc (Read-only file system); {out}/ giữ nguyên — kiểm tra quyền ghi và "
                              "dung lượng đĩa")
    assert tree(out) == before and leftovers(tmp_path) == []
