"""Benchmark: what a kept builder compares by value in a told one-document rebuild.

    python benchmarks/kept_arguments.py CONTENT

A kept step (`portal/build/reuse.py`) reuses a result when its arguments are the very same
objects or equal ones. Each call's argument tuple is new, so it is compared item by item: cheap
where every item is the kept object, costly where one was rebuilt with the same values (a Unit
validated again, new settings), whose every field is then compared. Builds CONTENT once through
one kept `SiteBuilder`, edits one document's title, rebuilds told the path, and prints per step
how many calls were reused by comparison and the CPU spent comparing (the timer's own overhead
included, about a microsecond a call). The edited file is restored.
"""

from __future__ import annotations

import os
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.incremental import title_edits  # noqa: E402
from portal.build import reuse  # noqa: E402
from portal.build.builder import BuildOptions, SiteBuilder  # noqa: E402

by_value: Counter[str] = Counter()
spent: Counter[str] = Counter()
_each = reuse.Kept.each


def _counting_each(self: reuse.Kept, step: str, function: Any, calls: Any, **options: Any) -> Any:
    slots = self._slots.get(step, {})
    for slot, args in calls:
        kept = slots.get(slot)
        if kept is not None and kept[0] is not args:
            started = time.process_time()
            same = kept[0] == args
            spent[step] += time.process_time() - started
            by_value[step] += same
    return _each(self, step, function, calls, **options)


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    reuse.Kept.each = _counting_each  # type: ignore[method-assign]
    content = Path(sys.argv[1])
    builder = SiteBuilder(BuildOptions(content=content, out=content.parent / "unused-site", today=date(2025, 6, 1),
                                       cache=False))
    builder.build()
    documents = sorted((content / "documents").rglob("*.md"))
    document = documents[len(documents) // 2]
    for _ in title_edits(document, 1, restore=True):
        by_value.clear()
        spent.clear()
        builder.build(changed={os.path.abspath(document)})
    print(f"calls reused by comparing their arguments: {sum(by_value.values())}, "
          f"comparing them: {sum(spent.values()) * 1000:.1f} ms CPU")
    for step, count in by_value.most_common():
        print(f"  {step:20s} {count:6d}  {spent[step] * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
