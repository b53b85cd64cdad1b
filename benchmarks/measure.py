"""Run a command as its own process under `/usr/bin/time -v` and measure its wall time and memory.

Two memory figures, because the portal may fork workers for parallel rendering:

* `max_rss`: /usr/bin/time's "Maximum resident set size", the peak of the single largest process
  of the tree (the kernel keeps the maximum over the child and the children it waited for, not a
  sum), so it misses workers running side by side;
* `tree_pss` (and `tree_rss`): the whole process tree sampled every 50 ms from /proc. PSS splits
  each shared page between the processes that map it, so forked workers' copy-on-write pages are
  counted once; the RSS sum counts them in every worker and is an upper bound.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

TIME = "/usr/bin/time"
SAMPLE_SECONDS = 0.05


@dataclass(frozen=True)
class Measurement:
    seconds: float  # wall clock
    cpu_seconds: float  # user + system, the process and the children it waited for (workers)
    max_rss: int  # bytes, the largest single process (from /usr/bin/time)
    tree_pss: int  # bytes, peak of the sum of PSS over the process tree (sampled)
    tree_rss: int  # bytes, peak of the sum of RSS over the process tree (sampled)


class CommandFailed(RuntimeError):
    pass


def run_measured(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[Measurement, str]:
    """Run `command` under /usr/bin/time -v while sampling its process tree; the measurement and
    its standard output. Raises CommandFailed with its standard error when it exits non-zero."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        process = subprocess.Popen([TIME, "-v", "-o", report.name, *command], cwd=cwd, env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        sampler = TreeSampler(process.pid)
        sampler.start()
        stdout, stderr = process.communicate()
        sampler.stop()
        if process.returncode != 0:
            raise CommandFailed(f"{' '.join(command)} exited with {process.returncode}:\n{stderr[-3000:]}")
        seconds, cpu_seconds, max_rss = parse_time_report(Path(report.name).read_text())
    return Measurement(seconds, cpu_seconds, max_rss, sampler.peak_pss, sampler.peak_rss), stdout


def parse_time_report(text: str) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, max RSS in bytes) from GNU time's -v report."""
    elapsed = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text)
    user = re.search(r"User time \(seconds\): ([\d.]+)", text)
    system = re.search(r"System time \(seconds\): ([\d.]+)", text)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    if not (elapsed and user and system and rss):
        raise ValueError(f"not a /usr/bin/time -v report:\n{text}")
    seconds = 0.0
    for part in elapsed.group(1).split(":"):  # "m:ss.ss" or "h:mm:ss"
        seconds = seconds * 60 + float(part)
    return seconds, float(user.group(1)) + float(system.group(1)), int(rss.group(1)) * 1024


class TreeSampler:
    """Samples, on a background thread, the memory of every descendant of `root` (not `root`
    itself: that is /usr/bin/time) and keeps the peaks."""

    def __init__(self, root: int) -> None:
        self.root = root
        self.peak_pss = 0
        self.peak_rss = 0
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stopped.is_set():
            pss = rss = 0
            for pid in descendants(self.root):
                process_pss, process_rss = process_memory(pid)
                pss, rss = pss + process_pss, rss + process_rss
            self.peak_pss, self.peak_rss = max(self.peak_pss, pss), max(self.peak_rss, rss)
            self._stopped.wait(SAMPLE_SECONDS)


def descendants(root: int) -> list[int]:
    """Every process below `root`. Scans /proc/*/stat for parent ids: this kernel has no
    /proc/<pid>/task/<tid>/children."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:  # exited meanwhile
            continue
        # The command name (field 2) may hold spaces and parentheses: the fields after the last ")".
        parent = int(stat[stat.rindex(b")") + 2:].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found, stack = [], list(children.get(root, []))
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(children.get(pid, []))
    return found


def process_memory(pid: int) -> tuple[int, int]:
    """(PSS, RSS) in bytes of one process from /proc/<pid>/smaps_rollup; zeros if it is gone."""
    pss = rss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
            for line in handle:
                if line.startswith(b"Pss:"):
                    pss = int(line.split()[1]) * 1024
                elif line.startswith(b"Rss:"):
                    rss = int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return pss, rss
