"""Spread pure per-item work (Markdown bodies, pages, search terms) over the machine's cores.

Workers are forked, so the function and everything it closes over (the whole site index, the
Jinja environment) are inherited, not pickled: only chunk bounds go out and results come back.
Results keep the items' order, so a parallel build is byte-identical to a serial one. Small jobs
(a dev server's incremental rebuild) stay in-process: forking costs more than they do.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

MIN_ITEMS = 200  # below this, one process is faster than forking
# Chunks are a share of what is left (guided self-scheduling): large at first, fewer round trips,
# then smaller and smaller, so that the costly items wherever they are (a site's list pages come
# after its ten thousand document pages) are shared out among the workers at the end instead of
# falling to one while the others wait: one worker rendered the last chunk of 707 pages for 3 s.
SHARE_OF_REST = 4  # a chunk is the items left / (workers * this), rounded up: the last ones single items

# Set in each forked worker by `_install`: a worker process runs one job, so this is per job.
_job: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def available_workers() -> int:
    """The cores this process may use (a container's CPU set, not the host's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def parallel_map(function: Callable[[Item], Result], items: Sequence[Item], workers: int,
                 costly: bool = False) -> list[Result]:
    """[function(item) for item in items], computed by `workers` forked processes when it pays."""
    return list(parallel_imap(function, items, workers, costly))


def parallel_imap(function: Callable[[Item], Result], items: Sequence[Item], workers: int,
                  costly: bool = False) -> Iterator[Result]:
    """The same results, in order, as they arrive: a caller can write each page and let it go.
    Fewer than MIN_ITEMS items are computed here, unless each is `costly` (tens of milliseconds:
    worth forking for even when there are two)."""
    few = len(items) < (2 if costly else MIN_ITEMS)
    if workers <= 1 or few or "fork" not in multiprocessing.get_all_start_methods():
        yield from map(function, items)
        return
    bounds = chunk_bounds(len(items), workers)
    context = multiprocessing.get_context("fork")
    # Objects inherited by fork are shared until written. The cyclic collector writes to every
    # object it visits, which would copy the whole parent into each worker: freeze them out of
    # its reach for the workers' lifetime (reference counts still copy what a worker reads).
    gc.freeze()
    try:
        # An executor, not a Pool: a worker that dies (out of memory, killed) fails the build with
        # BrokenProcessPool instead of leaving it waiting forever for the lost chunk.
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_install,
                                 initargs=(function, items)) as executor:
            for part in executor.map(_run, bounds):
                yield from part
    finally:
        gc.unfreeze()


def chunk_bounds(count: int, workers: int) -> list[tuple[int, int]]:
    """Consecutive (start, stop) chunks covering range(count), each `1 / (workers * SHARE_OF_REST)`
    of the items not yet given out, rounded up."""
    bounds, start = [], 0
    while start < count:
        stop = start + -(-(count - start) // (workers * SHARE_OF_REST))
        bounds.append((start, stop))
        start = stop
    return bounds


def _install(function: Callable[[Any], Any], items: Sequence[Any]) -> None:
    global _job
    _job = (function, items)


def _run(bounds: tuple[int, int]) -> list[Any]:
    assert _job is not None
    function, items = _job
    return [function(items[i]) for i in range(*bounds)]
