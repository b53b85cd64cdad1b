"""The command line never prints a traceback for bad input, and reports clearly."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "build.py", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_missing_content_folder(tmp_path):
    result = run("check", "--content", str(tmp_path / "nope"))
    assert result.returncode == 1
    assert "[no-content] không tìm thấy thư mục nội dung" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_today_is_a_usage_error():
    result = run("build", "--today", "15/01/2025")
    assert result.returncode == 2
    assert "không phải ngày dạng YYYY-MM-DD" in result.stderr


def test_unwritable_output_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run("build", "--today", "2025-01-15", "--out", str(blocker / "site"))
    assert result.returncode == 1
    assert "không ghi được thư mục kết quả" in result.stderr
    assert "Traceback" not in result.stderr


def test_strict_turns_warnings_into_failure(tmp_path):
    import shutil
    content = tmp_path / "content"
    shutil.copytree(ROOT / "tests" / "fixtures" / "mini", content)
    topics = content / "topics.yaml"
    topics.write_text(topics.read_text(encoding="utf-8") + "- id: khong-dung\n  name: X\n  description: Y\n",
                      encoding="utf-8")
    assert run("check", "--content", str(content)).returncode == 0
    strict = run("check", "--content", str(content), "--strict")
    assert strict.returncode == 1
    assert "warning: [unused-topic]" in strict.stderr


def test_strict_build_refuses_to_publish_with_warnings(tmp_path):
    import shutil
    content = tmp_path / "content"
    shutil.copytree(ROOT / "tests" / "fixtures" / "mini", content)
    out = tmp_path / "site"
    assert run("build", "--content", str(content), "--out", str(out), "--today", "2025-01-15").returncode == 0
    topics = content / "topics.yaml"
    topics.write_text(topics.read_text(encoding="utf-8") + "- id: khong-dung\n  name: X\n  description: Y\n",
                      encoding="utf-8")
    before = sorted(p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file())
    strict = run("build", "--content", str(content), "--out", str(out), "--strict", "--today", "2025-01-15")
    assert strict.returncode == 1
    assert "warning: [unused-topic]" in strict.stderr and "còn cảnh báo (--strict)" in strict.stderr
    assert sorted(p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()) == before
    assert run("build", "--content", str(content), "--out", str(out), "--today", "2025-01-15").returncode == 0
    assert sorted(p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()) != before  # without --strict it builds


def test_github_and_json_formats():
    github = run("check", "--content", "tests/fixtures/invalid", "--format", "github")
    assert github.returncode == 1
    first = github.stdout.splitlines()[0]
    assert first.startswith("::error file=tests/fixtures/invalid/commemorations.yaml,line=3,col=9,title=bad-date::")
    assert "::error file=tests/fixtures/invalid/documents/b.md,line=10,col=24,title=broken-link::" in github.stdout
    import json
    report = json.loads(run("check", "--content", "tests/fixtures/invalid", "--format", "json").stdout)
    assert report["errors"] == 20 and report["warnings"] == 0
    assert report["diagnostics"][0] == {
        "path": "tests/fixtures/invalid/commemorations.yaml", "line": 3, "col": 9, "severity": "error",
        "code": "bad-date", "field": "[0].date", "message": "`31/02`: tháng 2 không có ngày 31",
        "hint": 'ghi ngày dạng DD/MM, ví dụ "03/02"'}


def test_new_creates_a_valid_skeleton_and_refuses_to_overwrite(tmp_path):
    import shutil
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    args = ("new", "ke-hoach", "--title", "Tuyên truyền kỷ niệm 80 năm Quốc khánh", "--number", "12-KH/TU",
            "--issuer", "btv-thanh-uy-vung-tau", "--content", str(content))
    created = run(*args)
    assert created.returncode == 0, created.stderr
    path = content / "documents" / "12-kh-tu-tuyen-truyen-ky-niem-80-nam-quoc-khanh.md"
    text = path.read_text(encoding="utf-8")
    for heading in ("## I. MỤC ĐÍCH, YÊU CẦU", "## II. NỘI DUNG TUYÊN TRUYỀN", "## III. HÌNH THỨC TUYÊN TRUYỀN",
                    "## IV. TỔ CHỨC THỰC HIỆN"):
        assert heading in text
    check = run("check", "--content", str(content))
    assert check.returncode == 0, check.stderr
    assert "12-kh-tu-tuyen-truyen-ky-niem-80-nam-quoc-khanh.md:2:1: warning: [no-topics]" in check.stderr
    again = run(*args)
    assert again.returncode == 1 and "đã có" in again.stderr
    assert path.read_text(encoding="utf-8") == text


def test_new_without_issuer_is_caught_by_check(tmp_path):
    import shutil
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    assert run("new", "cong-van", "--title", "Về việc tuyên truyền", "--content", str(content)).returncode == 0
    check = run("check", "--content", str(content))
    assert check.returncode == 1
    assert "ve-viec-tuyen-truyen.md:5:" in check.stderr and "issuer" in check.stderr


def test_a_dead_worker_is_a_clear_error(tmp_path, monkeypatch, capsys):
    """The kernel's out-of-memory killer ends a worker: a message for the editor, not "lỗi nội bộ"."""
    from concurrent.futures.process import BrokenProcessPool

    import portal.cli

    def dies(*args, **kwargs):
        raise BrokenProcessPool("A process in the process pool was terminated abruptly")

    monkeypatch.setattr(portal.cli, "build", dies)
    code = portal.cli.main(["build", "--out", str(tmp_path / "site"), "--today", "2025-01-15"])
    stderr = capsys.readouterr().err
    assert code == 1
    assert "error: [worker-died]" in stderr and "--jobs 1" in stderr and "lỗi nội bộ" not in stderr


def test_new_refuses_a_file_name_check_would_refuse(tmp_path):
    import shutil
    content = tmp_path / "content"
    shutil.copytree(ROOT / "tests" / "fixtures" / "mini", content)
    for slug, words in (("con", "tên thiết bị dành riêng"), ("a" * 101, "quá giới hạn"), ("../x", "không dùng được")):
        made = run("new", "ke-hoach", "--title", "Thử", "--slug", slug, "--content", str(content))
        assert made.returncode == 1 and words in made.stderr, made.stderr
    assert sorted(p.name for p in (content / "documents").iterdir()) == sorted(
        p.name for p in (ROOT / "tests" / "fixtures" / "mini" / "documents").iterdir())


def test_markdown_format_is_a_summary_table():
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "build.py", "check", "--content", "tests/fixtures/invalid", "--format",
                           "markdown"], cwd=ROOT, capture_output=True, text=True)
    lines = done.stdout.splitlines()
    assert lines[0] == "### Kiểm tra nội dung: 20 lỗi, 0 cảnh báo"
    rows = [line for line in lines if line.startswith("| ❌")]
    assert len(rows) == 20 and all(line.count(" | ") == 5 for line in rows)
