"""Rendering in forked workers gives exactly the serial result."""

from __future__ import annotations

import dataclasses
import math
import signal
import subprocess
import sys
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmarks.generate_content import generate
from conftest import ROOT
from portal.build import parallel
from portal.build.builder import BuildOptions, SiteBuilder
from portal.build.parallel import parallel_map
from portal.write.outputs import Outputs


def test_parallel_map_keeps_order_and_closures(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
    offset = 1000  # closed over, inherited by the forked workers, never pickled
    items = list(range(37))
    assert parallel_map(lambda n: n * n + offset, items, 2) == [n * n + offset for n in items]


@given(st.integers(0, 200_000), st.integers(1, 8))
def test_chunks_cover_the_items_in_order_and_shrink_to_single_items(count, workers):
    """Guided chunks: consecutive, never growing, and the last `workers` items one a chunk, so
    costly items at the end are shared out; no more chunks than about `workers * SHARE_OF_REST`
    for each factor e of the items (a round trip each)."""
    bounds = parallel.chunk_bounds(count, workers)
    assert [start for start, _ in bounds] == [0, *(stop for _, stop in bounds[:-1])][:len(bounds)]
    assert (bounds[-1][1] if bounds else 0) == count
    sizes = [stop - start for start, stop in bounds]
    assert sizes == sorted(sizes, reverse=True)
    assert sizes[-workers:] == [1] * min(workers, count)
    assert len(bounds) <= workers * parallel.SHARE_OF_REST * (math.log(count + 1) + 2)


def test_parallel_map_reports_a_workers_error(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)

    def fail_on_seven(n: int) -> int:
        if n == 7:
            raise ValueError("seven")
        return n

    with pytest.raises(ValueError, match="seven"):
        parallel_map(fail_on_seven, list(range(20)), 2)


def test_parallel_build_is_byte_identical_to_a_serial_one(tmp_path):
    content = tmp_path / "content"
    generate(parallel.MIN_ITEMS + 50, content)  # enough documents that the workers really run
    options = BuildOptions(content=content, out=tmp_path / "site", today=date(2025, 1, 15))
    serial = SiteBuilder(options).build()
    forked = SiteBuilder(dataclasses.replace(options, workers=2)).build()
    assert serial.ok and forked.ok
    assert forked.outputs.items() == serial.outputs.items()
    # A one-shot build (keeps nothing for a next build; workers write into a staging folder) makes
    # the same files as the dev server's builder.
    staged = Outputs(tmp_path / "staging")
    once = SiteBuilder(dataclasses.replace(options, workers=2), keep=False).build(staged)
    assert once.ok and staged.items() == serial.outputs.items()


def test_parallel_check_reports_the_same_problems(tmp_path):
    content = tmp_path / "content"
    generate(parallel.MIN_ITEMS + 50, content)
    broken = content / "documents" / "van-ban-00007.md"
    broken.write_text(broken.read_text(encoding="utf-8").replace("kind: ", "kind: [", 1), encoding="utf-8")
    options = BuildOptions(content=content, out=tmp_path / "site", today=date(2025, 1, 15))
    serial = SiteBuilder(options).check()[1]
    forked = SiteBuilder(dataclasses.replace(options, workers=2)).check()[1]
    assert any(d.path.endswith("van-ban-00007.md") and d.code == "yaml-syntax" for d in serial)
    assert forked == serial


def test_a_worker_that_dies_fails_the_job_instead_of_hanging(monkeypatch):
    import os
    from concurrent.futures.process import BrokenProcessPool

    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)

    def die_on_five(n: int) -> int:
        if n == 5:
            os._exit(9)  # as the kernel's out-of-memory killer would end it
        return n

    def too_slow(signum, frame):
        raise TimeoutError("the job waits forever for the dead worker's chunk")

    previous = signal.signal(signal.SIGALRM, too_slow)
    signal.alarm(60)
    try:
        with pytest.raises(BrokenProcessPool):
            parallel_map(die_on_five, list(range(40)), 2)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_the_stage_benchmark_times_every_stage_and_each_workers_share(tmp_path):
    """benchmarks/build_stages.py wraps the builder's stages and the workers' chunks: it keeps
    working as they change (a renamed stage or a changed chunk runner fails it here)."""
    content = tmp_path / "content"
    generate(parallel.MIN_ITEMS + 50, content)
    finished = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "build_stages.py"), "--content", str(content),
                               "--out", str(tmp_path / "site"), "--jobs", "2"], capture_output=True, text=True,
                              timeout=300)
    assert finished.returncode == 0, finished.stderr
    lines = finished.stdout.splitlines()
    rest = next(position for position, line in enumerate(lines) if line.startswith("the rest"))
    stages = {line.split()[0] for line in lines[1:rest]}
    assert {"_render_pages", "load_content", "calendar_feeds", "update", "document_downloads"} <= stages
    jobs = lines[lines.index("parallel jobs, in order: items, each worker's busy seconds") + 1:]
    assert jobs and all(len(line.split(":")[1].split(",")) == 2 for line in jobs)  # both workers had chunks
