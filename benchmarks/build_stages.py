"""Benchmark: where a cold one-shot build spends its time, stage by stage, and how evenly its
parallel jobs kept the workers busy.

    python benchmarks/build_stages.py --content DIR --out DIR [--jobs 2] [--cache]

Runs `build` as `python build.py build --force --today 2025-06-01 [--no-cache]` does, each stage
the builder calls timed by wrapping it: its wall time, the CPU time of this (the parent)
process, and the CPU time of the forked workers that ended during it (their user and system
time, from `getrusage(RUSAGE_CHILDREN)`: a worker's time is counted when it is reaped, and every
parallel job reaps its own). The rest of the wall time is the cards (drawn as a stream the
builder reads, not one call) and publishing. Then, for each parallel job, how long each worker
was busy with its chunks: a job whose workers differ much waited on one of them.
"""

from __future__ import annotations

import argparse
import functools
import os
import resource
import sys
import time
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import portal.build.builder as builder_module  # noqa: E402
import portal.build.parallel as parallel  # noqa: E402
from portal.pipeline import BuildOptions, build  # noqa: E402
from portal.render.search import SearchIndex  # noqa: E402

FUNCTIONS = ("load_content", "validate_content", "derive", "render_bodies", "document_downloads", "calendar_feeds",
             "atom_feeds", "share_cards")
METHODS = ((builder_module.SiteBuilder, "_render_pages"), (builder_module.SiteBuilder, "_write_host_files"),
           (SearchIndex, "update"))


_RUN = parallel._run


def _timed_run(bounds: tuple[int, int]) -> list[Any]:
    """`parallel._run` and, last, how long the chunk took in this worker (module level: the
    executor sends the function it runs to the workers by name)."""
    started = time.perf_counter()
    results = _RUN(bounds)
    assert parallel._job is not None
    return [*results, ("chunk-time", os.getpid(), len(parallel._job[1]), time.perf_counter() - started)]


class Timings:
    def __init__(self) -> None:
        self.stages: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])  # wall, parent, workers, sys
        # each parallel job in order: its items and each worker's busy seconds (measured in the worker)
        self.jobs: list[tuple[int, dict[int, float]]] = []

    def wrap(self, owner: Any, name: str) -> None:
        original = getattr(owner, name)

        @functools.wraps(original)
        def timed(*args, **kwargs):
            wall, cpu = time.perf_counter(), time.process_time()
            children = resource.getrusage(resource.RUSAGE_CHILDREN)
            try:
                return original(*args, **kwargs)
            finally:
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                totals = self.stages[name]
                totals[0] += time.perf_counter() - wall
                totals[1] += time.process_time() - cpu
                totals[2] += after.ru_utime - children.ru_utime + after.ru_stime - children.ru_stime
                totals[3] += after.ru_stime - children.ru_stime

        setattr(owner, name, timed)

    def watch_chunks(self) -> None:
        """Each chunk's busy time, measured in the worker and carried back with its results."""
        imap = parallel.parallel_imap

        def counted_imap(function, items, workers, costly=False):
            busy: dict[int, float] = defaultdict(float)
            self.jobs.append((len(items), busy))
            for result in imap(function, items, workers, costly):
                if isinstance(result, tuple) and len(result) == 4 and result[0] == "chunk-time":
                    busy[result[1]] += result[3]
                    continue
                yield result

        parallel._run = _timed_run
        parallel.parallel_imap = counted_imap
        for module in (builder_module, sys.modules["portal.build.reuse"]):
            if getattr(module, "parallel_imap", None) is imap:
                module.parallel_imap = counted_imap  # type: ignore[attr-defined]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--content", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--cache", action="store_true", help="with the build cache (default: --no-cache)")
    args = parser.parse_args()
    timings = Timings()
    for name in FUNCTIONS:
        timings.wrap(builder_module, name)
    for owner, name in METHODS:
        timings.wrap(owner, name)
    timings.watch_chunks()
    started = time.perf_counter()
    result = build(BuildOptions(content=args.content, out=args.out, today=date(2025, 6, 1), workers=args.jobs,
                                cache=args.cache), force=True)
    total = time.perf_counter() - started
    if not result.ok:
        sys.exit("the build failed")
    print(f"{'stage':22s} {'wall s':>8s} {'parent CPU s':>13s} {'workers CPU s':>14s} {'of it system':>13s}")
    for name, (wall, parent_cpu, workers_cpu, system) in sorted(timings.stages.items(), key=lambda kv: -kv[1][0]):
        print(f"{name:22s} {wall:8.2f} {parent_cpu:13.2f} {workers_cpu:14.2f} {system:13.2f}")
    print(f"{'the rest (cards, publishing)':29s} {total - sum(v[0] for v in timings.stages.values()):8.2f}")
    print(f"{'whole build':22s} {total:8.2f}")
    print("\nparallel jobs, in order: items, each worker's busy seconds")
    for size, busy in timings.jobs:
        if busy:  # jobs too small to fork ran in this process
            print(f"{size:8d} items: " + ", ".join(f"{seconds:.2f}" for seconds in sorted(busy.values())))


if __name__ == "__main__":
    main()
