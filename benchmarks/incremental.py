"""Benchmark: one-document incremental rebuild (the dev server's path) against a full rebuild.

    python benchmarks/incremental.py [--documents 2000] [--repeat 5] [--scan]

Generates a synthetic content folder, builds it once, then repeatedly edits one document's
title and rebuilds through the same `SiteBuilder` (what `serve` does), told the edited path as
the dev server's watcher tells it (`--scan`: not told, every file's status asked), and times full builds
with a fresh builder. Everything is built in memory (writing files is the same for both paths).
Prints medians, the ratio, and checks that the incremental output equals the full build.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date
from inspect import signature
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.generate_content import generate  # noqa: E402
from portal.build.builder import BuildOptions, BuildResult, SiteBuilder  # noqa: E402


def title_edits(document: Path, repeat: int, restore: bool = False) -> Iterator[int]:
    """Edit `document`'s title `repeat` times ("Sửa lần N" put in front), yielding each attempt's
    number once its edit is written. `restore`: the file as it was at the end, else the last edit
    stays in it."""
    original = document.read_text(encoding="utf-8")
    try:
        for attempt in range(repeat):
            document.write_text(original.replace("title: ", f"title: Sửa lần {attempt} ", 1), encoding="utf-8")
            yield attempt
    finally:
        if restore:
            document.write_text(original, encoding="utf-8")


def incremental_rebuild_times(options: BuildOptions, document: Path, repeat: int,
                              told: bool = True) -> tuple[list[float], BuildResult]:
    """Build once through one `SiteBuilder` (what `serve` keeps), then `repeat` times edit
    `document`'s title and rebuild through it: the seconds of each rebuild and the last result.
    `told`: each rebuild is given the edited path, as the dev server's watcher gives it (code that
    takes no such list, e.g. an older commit measured by the suite, looks at every file instead).
    The last edit stays in the file."""
    builder = SiteBuilder(options)
    builder.build()
    changed = {"changed": {os.path.abspath(document)}} if told and "changed" in signature(builder.build).parameters \
        else {}
    times, result = [], None
    for _ in title_edits(document, repeat):
        started = time.perf_counter()
        result = builder.build(**changed)
        times.append(time.perf_counter() - started)
    assert result is not None, "repeat must be at least 1"
    return times, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--scan", action="store_true",
                        help="rebuild without the edited path (every file's status asked, as before the watcher)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        content = Path(folder) / "content"
        generate(args.documents, content)
        options = BuildOptions(content=content, out=Path(folder) / "site", today=date(2025, 1, 15))

        full_times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            full = SiteBuilder(options).build()
            full_times.append(time.perf_counter() - started)
        assert full.ok and full.outputs is not None

        target = content / "documents" / f"van-ban-{args.documents // 2:05d}.md"
        incremental_times, result = incremental_rebuild_times(options, target, args.repeat, told=not args.scan)
        rendered = len(result.rendered)
        check = SiteBuilder(options).build()
        same = dict(result.outputs.items()) == dict(check.outputs.items())

    full_median = statistics.median(full_times)
    incremental_median = statistics.median(incremental_times)
    print(f"documents: {args.documents}, outputs: {len(full.outputs)}")
    print(f"full build (median of {args.repeat}): {full_median:.3f} s "
          f"(min {min(full_times):.3f}, max {max(full_times):.3f})")
    print(f"one-document incremental rebuild (median of {args.repeat}): {incremental_median:.3f} s "
          f"(min {min(incremental_times):.3f}, max {max(incremental_times):.3f}); {rendered} outputs re-rendered")
    print(f"speed-up: {full_median / incremental_median:.1f}x")
    print(f"incremental output identical to a full build: {same}")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
