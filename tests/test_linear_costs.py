"""Every content cost is linear in its size: for each dimension (headings, list items and links in
one body; topics, units, duties, recipients) the build of 10× the items costs about 10× the build
of 1×, never the square. Measured as this process's CPU time (a serial, in-process `check` and
build, no cache), less the cost of the same site with none of the items, so the fixed cost of a
build does not hide a quadratic one; the sizes measured in turns, the minimum of two runs each, and
up to three attempts, so another process's load does not fail the test either. A quadratic step
gives a ratio near 100; the test fails above `LIMIT`.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, SAMPLE_TODAY
from portal.pipeline import BuildOptions, build

LIMIT = 40  # linear is 10 (measured 4–23 on a loaded machine); a quadratic cost is about 100
RUNS = 2  # of each size per attempt, the minimum kept
ATTEMPTS = 3

EXTRA = "tang-kiem-tra"  # the document that carries the items


def _document(front: dict, body: str) -> str:
    return "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n" + body


def _base_front() -> dict:
    return {"number": "7-KH/HU", "kind": "ke-hoach", "title": "Kế hoạch kiểm tra chi phí", "issuer": "huyen-uy",
            "issued": "2024-04-01", "topics": ["dai-hoi"]}


def _units(count: int) -> list[dict]:
    return [{"id": f"don-vi-{index}", "name": f"Ban Tuyên giáo xã số {index}", "parent": "huyen-uy"}
            for index in range(count)]


def _write(content: Path, front: dict, body: str, units: list[dict] = (), topics: list[dict] = ()) -> None:
    (content / "documents" / f"{EXTRA}.md").write_text(_document(front, body), encoding="utf-8")
    if units:
        with (content / "units.yaml").open("a", encoding="utf-8") as file:
            file.write(yaml.safe_dump(list(units), allow_unicode=True, sort_keys=False))
    if topics:
        with (content / "topics.yaml").open("a", encoding="utf-8") as file:
            file.write(yaml.safe_dump(list(topics), allow_unicode=True, sort_keys=False))


def headings(content: Path, count: int) -> None:
    # Identical headings: each needs an anchor of its own ("noi-dung", "noi-dung-1", ...).
    _write(content, _base_front(), "Mở đầu.\n\n" + "## Nội dung\n\nMột đoạn.\n\n" * count)


def list_items(content: Path, count: int) -> None:
    _write(content, _base_front(), "Các việc:\n\n" + "".join(f"- Việc thứ {i} cần làm.\n" for i in range(count)))


def links(content: Path, count: int) -> None:
    _write(content, _base_front(), "Xem " + " ".join("[kế hoạch](/van-ban/ke-hoach-tinh/)" for _ in range(count))
           + ".\n")


def topics(content: Path, count: int) -> None:
    # Each topic has its page and feeds; the document is in a few of them (in all of them, the
    # output itself would grow with the square: each topic's feed would list every topic).
    extra = [{"id": f"chu-de-{i}", "name": f"Chủ đề số {i}", "description": "Một chủ đề."} for i in range(count)]
    _write(content, {**_base_front(), "topics": ["dai-hoi", *(t["id"] for t in extra[:5])]}, "Nội dung.\n",
           topics=extra)


def units(content: Path, count: int) -> None:
    _write(content, _base_front(), "Nội dung.\n", units=_units(count))


def duties(content: Path, count: int) -> None:
    extra = _units(count)
    front = {**_base_front(), "duties": [{"unit": unit["id"], "tasks": ["Tuyên truyền.", "Báo cáo kết quả."]}
                                         for unit in extra]}
    _write(content, front, "Nội dung.\n", units=extra)


def recipients(content: Path, count: int) -> None:
    extra = _units(count)
    _write(content, {**_base_front(), "recipients": [unit["id"] for unit in extra]}, "Nội dung.\n", units=extra)


# dimension -> (how to add `count` items, the 1× count): the 1× count is large enough that its
# cost stands clear of the build's noise.
DIMENSIONS: dict[str, tuple[Callable[[Path, int], None], int]] = {
    "headings": (headings, 4000),
    "list-items": (list_items, 5000),
    "links": (links, 3000),
    "topics": (topics, 60),
    "units": (units, 250),
    "duties": (duties, 200),
    "recipients": (recipients, 200),
}


def _content(tmp_path: Path, add: Callable[[Path, int], None], count: int) -> Path:
    content = tmp_path / f"content-{count}"
    shutil.copytree(FIXTURES / "mini", content)
    add(content, count)
    return content


def _cpu_seconds(content: Path, out: Path) -> float:
    options = BuildOptions(content=content, out=out, today=SAMPLE_TODAY, cache=False)
    started = time.process_time()
    result = build(options, force=True)
    spent = time.process_time() - started
    assert result.ok, [d.format() for d in result.diagnostics]
    return spent


@pytest.mark.parametrize("dimension", DIMENSIONS)
def test_ten_times_the_items_cost_about_ten_times_as_much(tmp_path, dimension):
    add, count = DIMENSIONS[dimension]
    sizes = (0, count, count * 10)
    contents = [_content(tmp_path, add, size) for size in sizes]
    _cpu_seconds(contents[0], tmp_path / "warm-up")  # imports, compiled regular expressions, font files
    attempts = []
    for _ in range(ATTEMPTS):  # another process's load can swell one measurement, not every attempt
        best = [float("inf")] * len(sizes)
        for run in range(RUNS):  # in turns, so that a change of load falls on every size alike
            for position, content in enumerate(contents):
                best[position] = min(best[position], _cpu_seconds(content, tmp_path / f"site-{position}-{run}"))
        one, ten = best[1] - best[0], best[2] - best[0]
        attempts.append(f"{count} items {one:.3f} s, {count * 10} items {ten:.3f} s")
        if one > 0.05 and ten / one < LIMIT:
            return
    pytest.fail(f"{dimension}: ×10 items did not cost about ×10 ({'; '.join(attempts)}; above an empty build, "
                f"CPU): a cost that grows faster than the content, or a 1× count too small to measure")
