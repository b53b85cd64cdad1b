"""Benchmark: where a told one-document rebuild spends its time, stage by stage.

    python benchmarks/rebuild_stages.py [--documents 3000 | --content DIR] [--repeat 7]

Builds a content folder (a generated corpus by default) through one kept `SiteBuilder` (what
`serve` keeps, one process), then `--repeat` times edits one document's title and rebuilds,
told the edited path as the dev server's watcher tells it. Prints the median wall time of the
whole rebuild and of each stage (each timed by wrapping the function the builder calls), and the
cost of finding which pages the edit reached: `Readers.reached` against testing every page's
reads, the way the builder did before (`every_page_tested`, kept here as the baseline); and the
main feed's UIDs computed against remembered (`event_uid`'s cache). The edited file is restored
at the end.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import portal.build.builder as builder_module  # noqa: E402
from benchmarks.generate_content import generate  # noqa: E402
from benchmarks.incremental import title_edits  # noqa: E402
from portal.build.tracking import IndexChanges, Readers  # noqa: E402
from portal.calendar.ical import event_uid, site_namespace  # noqa: E402
from portal.render.search import SearchIndex  # noqa: E402
from portal.write.outputs import Outputs  # noqa: E402

# What the builder calls, by the name it calls it (module functions, then methods).
STAGES = ("load_content", "validate_content", "derive", "render_bodies", "plan_pages", "calendar_feeds",
          "document_downloads", "atom_feeds", "share_cards", "duplicate_uid_problems", "theme_problems")
METHODS: tuple[tuple[Any, str, str], ...] = (
    (builder_module.SiteBuilder, "_render_pages", "render pages (with planning)"),
    (builder_module.SiteBuilder, "_write_host_files", "host files"),
    (SearchIndex, "update", "search index"),
    (Outputs, "carry_over", "carry over"),
)


def _timed(function: Callable[..., Any], label: str, spent: dict[str, float]) -> Callable[..., Any]:
    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[label] = spent.get(label, 0.0) + time.perf_counter() - started
    return timed


def _wrap_stages(spent: dict[str, float]) -> None:
    for name in STAGES:
        setattr(builder_module, name, _timed(getattr(builder_module, name), name, spent))
    for owner, name, label in METHODS:
        setattr(owner, name, _timed(getattr(owner, name), label, spent))


def every_page_tested(changes: IndexChanges, pages: dict[str, dict[str, frozenset]]) -> set[str]:
    """The pages whose reads meet a change, each page's reads tested in turn (the old way)."""
    reached = set()
    for path, reads in pages.items():
        for name, keys in reads.items():
            changed = changes.keys_changed(name)
            if changed and not changed.isdisjoint(keys):
                reached.add(path)
                break
    return reached


def _median_ms(function: Callable[[], Any], repeat: int = 15) -> float:
    times = []
    for _ in range(repeat):
        started = time.process_time()
        function()
        times.append(time.process_time() - started)
    return statistics.median(times) * 1000


def measure(content: Path, repeat: int) -> None:
    spent: dict[str, float] = {}
    _wrap_stages(spent)
    options = builder_module.BuildOptions(content=content, out=content.parent / "unused-site",
                                          today=date(2025, 6, 1), cache=False)
    builder = builder_module.SiteBuilder(options)
    builder.build()
    documents = sorted((content / "documents").rglob("*.md"))
    document = documents[len(documents) // 2]
    totals: list[float] = []
    stages: dict[str, list[float]] = defaultdict(list)
    old_index, old_pages = builder._index, builder._readers.reads()
    for attempt in title_edits(document, repeat, restore=True):
        if attempt == repeat - 1:
            old_index, old_pages = builder._index, builder._readers.reads()
        spent.clear()
        started = time.perf_counter()
        result = builder.build(changed={os.path.abspath(document)})
        totals.append(time.perf_counter() - started)
        if not result.ok:
            sys.exit(f"the rebuild failed: {result.diagnostics[:3]}")
        for label, seconds in spent.items():
            stages[label].append(seconds)
    print(f"documents: {len(documents)}, pages: {len(builder._pages)}, rendered again: {len(result.rendered)}")
    print(f"rebuild: median {statistics.median(totals) * 1000:.1f} ms (min {min(totals) * 1000:.1f}, "
          f"max {max(totals) * 1000:.1f}), {repeat} rebuilds")
    for label, seconds in sorted(stages.items(), key=lambda item: -statistics.median(item[1])):
        print(f"  {label:30s} {statistics.median(seconds) * 1000:8.1f} ms")

    new_index = builder._index
    readers = Readers()
    for path, reads in old_pages.items():
        readers.file(path, reads)
    reached = readers.reached(IndexChanges(old_index, new_index))
    if reached != every_page_tested(IndexChanges(old_index, new_index), old_pages):
        sys.exit("Readers.reached and testing every page disagree")
    tested = _median_ms(lambda: every_page_tested(IndexChanges(old_index, new_index), old_pages))
    inverted = _median_ms(lambda: readers.reached(IndexChanges(old_index, new_index)))
    print(f"pages the last edit reached: {len(reached)} (CPU, median of 15)")
    print(f"  every page's reads tested   {tested:8.2f} ms")
    print(f"  Readers.reached             {inverted:8.2f} ms")

    # The main feed's UIDs, computed (the cache emptied first) and remembered (asked again).
    namespace = site_namespace(new_index.site.config.base_url)
    keys = [event.key for event in new_index.events]

    def uids(fresh: bool) -> None:
        if fresh:
            event_uid.cache_clear()
        for key in keys:
            event_uid(namespace, "lich", key)
    uids(True)
    print(f"the main feed's {len(keys)} UIDs (CPU, median of 15): computed {_median_ms(lambda: uids(True)):.2f} ms, "
          f"remembered {_median_ms(lambda: uids(False)):.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=3000)
    parser.add_argument("--content", type=Path,
                        help="a content folder instead of a generated corpus (edited, then restored)")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    if args.content:
        measure(args.content.resolve(), args.repeat)
        return
    with tempfile.TemporaryDirectory() as folder:
        content = Path(folder) / "content"
        generate(args.documents, content)
        measure(content, args.repeat)


if __name__ == "__main__":
    main()
