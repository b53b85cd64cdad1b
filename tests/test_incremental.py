"""Incremental rebuilds never serve stale pages: after every random edit, the dev server's
builder (which reuses what it can) must produce byte for byte what a fresh full build produces."""

from __future__ import annotations

import random
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from conftest import SAMPLE_CONTENT
from portal.build.builder import BuildOptions, SiteBuilder


def _documents(content: Path) -> list[Path]:
    return sorted((content / "documents").glob("*.md"))


def _replace_line(path: Path, key: str, value: str) -> bool:
    text = path.read_text(encoding="utf-8")
    new, count = re.subn(rf"^{key}: .*$", f"{key}: {value}", text, count=1, flags=re.M)
    path.write_text(new, encoding="utf-8")
    return count == 1


def _edit(rng: random.Random, content: Path, step: int, broken: list[Path]) -> str:
    if broken:  # the last step broke a file: fix it now, the page must come back
        path = broken.pop()
        path.write_text(path.read_text(encoding="utf-8").replace("title: [[[", "title: Đã sửa lại"), encoding="utf-8")
        return f"fix {path.name}"
    documents = _documents(content)
    target = rng.choice(documents)
    action = rng.choice(["title", "title", "topics", "implements", "delete", "rename", "add", "unit-name",
                         "topic-name", "phase", "body", "break", "commemoration"])
    if action == "title":
        _replace_line(target, "title", f"Tiêu đề thử {step} {rng.randint(0, 999)}")
    elif action == "topics":
        topics = rng.sample(["dai-hoi-xiii", "dai-hoi-xiv", "xay-dung-dang", "bau-cu", "ky-niem-ngay-le-lon"], 2)
        _replace_line(target, "topics", "[" + ", ".join(topics) + "]")
    elif action == "implements":
        numbers = [m.group(1) for d in documents
                   if (m := re.search(r'^number: "?([0-9][^"\n]*)"?$', d.read_text(encoding="utf-8"), re.M))]
        number = rng.choice(numbers)
        text = target.read_text(encoding="utf-8")
        if re.search(r"^implements:\n(  - .*\n)+", text, re.M):
            text = re.sub(r"^implements:\n(  - .*\n)+", f"implements:\n  - {{number: {number}}}\n", text, count=1,
                          flags=re.M)
        else:
            text = text.replace("\ntopics:", f"\nimplements:\n  - {{number: {number}}}\ntopics:", 1)
        target.write_text(text, encoding="utf-8")
    elif action == "delete" and len(documents) > 2:
        target.unlink()
    elif action == "rename":
        target.rename(target.with_name(f"doi-ten-{step}.md"))
    elif action == "add":
        text = target.read_text(encoding="utf-8")
        (content / "documents" / f"moi-{step}.md").write_text(
            re.sub(r"^number: .*$", f'number: "{step}-TB/TU"', text, count=1, flags=re.M), encoding="utf-8")
    elif action in ("unit-name", "topic-name"):
        path = content / ("units.yaml" if action == "unit-name" else "topics.yaml")
        text = path.read_text(encoding="utf-8")
        name = rng.choice(re.findall(r"^  name: (.*)$", text, re.M))
        path.write_text(text.replace(f"  name: {name}\n", f"  name: {name} (đổi {step})\n", 1), encoding="utf-8")
    elif action == "phase":
        text = target.read_text(encoding="utf-8")
        if "phases:" in text:
            text = re.sub(r"(end|start): (\d\d)/", lambda m: f"{m.group(1)}: {rng.randint(10, 28)}/", text, count=1)
        else:
            text = text.replace("\ntopics:", f"\nphases:\n  - {{name: Giai đoạn {step}, start: 01/02/2025, "
                                             "end: 28/02/2025}\ntopics:", 1)
        target.write_text(text, encoding="utf-8")
    elif action == "body":
        with target.open("a", encoding="utf-8") as handle:
            handle.write(f"\n## Mục thêm {step}\n\nĐoạn mới {rng.random()}.\n")
    elif action == "break":
        _replace_line(target, "title", "[[[")
        broken.append(target)
    elif action == "commemoration":
        path = content / "commemorations.yaml"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace('date: "19/12"', 'date: "20/12"', 1) if 'date: "19/12"' in text
                        else text.replace('date: "20/12"', 'date: "19/12"', 1), encoding="utf-8")
    return f"{action} {target.name}"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_edits_rebuild_exactly_like_a_full_build(tmp_path, seed):
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    options = BuildOptions(content=content, out=tmp_path / "site", today=date(2025, 1, 15))
    builder = SiteBuilder(options)
    assert builder.build().ok
    rng = random.Random(seed)
    broken: list[Path] = []
    partial_builds = 0
    for step in range(25):
        what = _edit(rng, content, step, broken)
        incremental = builder.build()
        full = SiteBuilder(options).build()
        assert [d.format() for d in incremental.diagnostics] == [d.format() for d in full.diagnostics], what
        if full.outputs is None:
            assert incremental.outputs is None, what
            continue
        assert incremental.outputs is not None, what
        assert list(incremental.outputs) == list(full.outputs), what
        for path in full.outputs:
            assert incremental.outputs[path] == full.outputs[path], f"step {step} ({what}): {path} is stale"
        partial_builds += len(incremental.rendered) < len(full.rendered)
    assert partial_builds >= 10  # the incremental path really was exercised


def test_remembered_checks_follow_cycles_references_and_moved_lines(tmp_path):
    """The dev server remembers "no cycle" and each file's reference check: a cycle made, moved
    and undone, and a unit renamed in units.yaml, must read as a fresh build reads them."""
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    options = BuildOptions(content=content, out=tmp_path / "site", today=date(2025, 1, 15))
    builder = SiteBuilder(options)
    assert builder.build().ok
    plan = content / "documents" / "443-kh-tu-vung-tau-chu-de-lon-dai-hoi-xiv.md"
    other = content / "documents" / "kh-luc-ngan-tuyen-truyen-sau-dai-hoi-xiii.md"
    original_plan, original_other = plan.read_text(encoding="utf-8"), other.read_text(encoding="utf-8")

    def same_as_fresh(step: str) -> list[str]:
        lines = [d.format() for d in builder.build().diagnostics]
        assert lines == [d.format() for d in SiteBuilder(options).build().diagnostics], step
        return lines

    def cite(text: str, number: str) -> str:
        return re.sub(r"^implements:\n", f'implements:\n  - {{number: "{number}"}}\n', text, count=1, flags=re.M)

    numbered_other = original_other.replace('number: ""', 'number: "77-KH/HU"', 1)
    other.write_text(cite(numbered_other, "443-KH/TU"), encoding="utf-8")
    plan.write_text(cite(original_plan, "77-KH/HU"), encoding="utf-8")
    made = [line for line in same_as_fresh("cycle made") if "implements-cycle" in line]
    assert made
    plan.write_text("---\n# một dòng chú thích đẩy mọi dòng xuống\n" + cite(original_plan, "77-KH/HU")[4:],
                    encoding="utf-8")
    moved = [line for line in same_as_fresh("cycle moved a line down") if "implements-cycle" in line]
    assert moved != made
    other.write_text(numbered_other, encoding="utf-8")
    assert not any("implements-cycle" in line for line in same_as_fresh("cycle undone"))
    plan.write_text(original_plan, encoding="utf-8")
    other.write_text(original_other, encoding="utf-8")
    same_as_fresh("back to the start")

    units = content / "units.yaml"
    issuer = re.search(r"^issuer: (.*)$", original_plan, re.M).group(1).strip()
    units.write_text(units.read_text(encoding="utf-8").replace(f"id: {issuer}\n", f"id: {issuer}-cu\n", 1),
                     encoding="utf-8")
    assert any("unknown-unit" in line for line in same_as_fresh("unit renamed"))
