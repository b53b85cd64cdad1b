"""A rebuild with the inputs of the last build leaves the output folder alone; any change rebuilds."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, SAMPLE_TODAY
from portal.pipeline import BuildOptions, build
from portal.write.stamp import stamp_path


@pytest.fixture
def project(tmp_path) -> tuple[Path, Path, Path]:
    content, templates = tmp_path / "content", tmp_path / "templates"
    shutil.copytree(FIXTURES / "mini", content)
    shutil.copytree(ROOT / "templates", templates)
    return content, templates, tmp_path / "site"


def run(project, today: date = SAMPLE_TODAY, force: bool = False):
    content, templates, out = project
    result = build(BuildOptions(content=content, out=out, today=today, templates=templates), force=force)
    assert result.ok, [d.format() for d in result.diagnostics]
    return result


def mtimes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def test_same_inputs_leave_the_site_untouched_and_repeat_the_messages(project):
    first = run(project)
    before = mtimes(project[2])
    second = run(project)
    assert first.unchanged is None and second.unchanged is not None
    assert mtimes(project[2]) == before
    assert second.diagnostics == first.diagnostics
    assert len(second.unchanged.files) == len(before)


@pytest.mark.parametrize("change", ["content", "template", "today", "output-added", "output-removed", "force"])
def test_any_change_rebuilds(project, change):
    content, templates, out = project
    run(project)
    today = SAMPLE_TODAY
    if change == "content":
        document = next((content / "documents").glob("*.md"))
        document.write_text(document.read_text(encoding="utf-8") + "\nMột dòng mới.\n", encoding="utf-8")
    elif change == "template":
        (templates / "404.html").write_text((templates / "404.html").read_text(encoding="utf-8") + "\n",
                                            encoding="utf-8")
    elif change == "today":
        today = date(2025, 1, 16)
    elif change == "output-added":
        (out / "stray.html").write_text("x", encoding="utf-8")
    elif change == "output-removed":
        (out / "robots.txt").unlink()
    again = run(project, today=today, force=change == "force")
    assert again.unchanged is None and again.outputs is not None
    assert (out / "robots.txt").is_file() and not (out / "stray.html").exists()


def test_a_damaged_stamp_means_a_full_build(project):
    run(project)
    stamp_path(project[2]).write_text("{not json", encoding="utf-8")
    assert run(project).unchanged is None
    assert run(project).unchanged is not None


def test_failed_build_keeps_the_stamp_of_the_site_that_is_there(project):
    content, _, out = project
    run(project)
    (content / "site.yaml").write_text("title: [\n", encoding="utf-8")
    broken = build(BuildOptions(content=content, out=out, today=SAMPLE_TODAY, templates=project[1]))
    assert not broken.ok and broken.unchanged is None
    assert stamp_path(out).is_file()


def test_the_day_is_read_safely_from_any_site_yaml(tmp_path):
    """The default day comes from site.yaml's timezone before validation: a hostile site.yaml
    (an alias bomb, a FIFO that would block a read, a link out) falls back to the default zone."""
    import os

    from portal.write.stamp import site_today

    bomb = tmp_path / "bomb"
    bomb.mkdir()
    (bomb / "site.yaml").write_text('a: &a ["x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n'
                                    'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\ntimezone: *c\n', encoding="utf-8")
    fifo = tmp_path / "fifo"
    fifo.mkdir()
    os.mkfifo(fifo / "site.yaml")
    for folder in (bomb, fifo, tmp_path / "missing"):
        assert site_today(folder) == site_today(ROOT / "content")
