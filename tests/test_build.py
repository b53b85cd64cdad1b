"""Build discipline: deterministic, atomic, and invalid content never touches site/."""

from __future__ import annotations

import hashlib
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

import portal.write.outputs as outputs
from conftest import FIXTURES, ROOT, SAMPLE_CONTENT, build_into
from portal.write.outputs import OutputError, Outputs, is_safe_output_path
from portal.write.publish import staged_site


def write_site(outputs: Outputs, out_dir: Path) -> None:
    """Outputs kept in memory, written as the new site through the build's own staging and swap."""
    with staged_site(out_dir) as site:
        for path, data in outputs.items():
            site.outputs.add(path, data)
        site.publish()


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_content_and_today_give_identical_bytes(tmp_path, sample_site):
    build_into(SAMPLE_CONTENT, tmp_path / "again")
    assert tree(tmp_path / "again") == tree(sample_site)


def test_another_day_changes_only_what_depends_on_today(tmp_path, sample_site):
    build_into(SAMPLE_CONTENT, tmp_path / "later", today=date(2025, 6, 1))
    assert tree(tmp_path / "later") != tree(sample_site)


def test_cli_build_twice_is_byte_identical(tmp_path):
    for name in ("a", "b"):
        subprocess.run([sys.executable, "build.py", "build", "--today", "2025-01-15", "--out", str(tmp_path / name)],
                       cwd=ROOT, check=True, capture_output=True)
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


def test_invalid_content_leaves_existing_site_untouched(tmp_path):
    out = tmp_path / "site"
    build_into(FIXTURES / "mini", out)
    before = tree(out)
    result = subprocess.run([sys.executable, "build.py", "build", "--content", "tests/fixtures/invalid",
                             "--out", str(out)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "giữ nguyên" in result.stderr
    assert tree(out) == before
    beside = [".site.build.json", ".site.cache.sqlite", ".site.lock", "site"]
    assert sorted(p.name for p in tmp_path.iterdir()) == beside


def test_a_failing_write_leaves_the_previous_site(tmp_path, monkeypatch):
    out = tmp_path / "site"
    first = Outputs()
    first.add("index.html", "cũ")
    write_site(first, out)
    before = tree(out)
    second = Outputs()
    for number in range(50):
        second.add(f"p{number}/index.html", "mới")
    calls = {"n": 0}
    real_write = outputs.write_file

    def failing_write(target, data):
        calls["n"] += 1
        if calls["n"] == 20:
            raise OSError(28, "No space left on device")
        return real_write(target, data)

    monkeypatch.setattr(outputs, "write_file", failing_write)
    with pytest.raises(OSError):
        write_site(second, out)
    assert tree(out) == before and "index.html" in before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site.tmp")] == []


def test_killed_builds_leave_a_complete_site(tmp_path):
    """SIGKILL at several moments: site/ is always the old build or the new one, never a mix."""
    out = tmp_path / "site"
    build_into(SAMPLE_CONTENT, out, today=date(2025, 1, 15))
    old = tree(out)
    command = [sys.executable, "build.py", "build", "--today", "2025-06-01", "--out", str(out)]
    new = None
    for delay in (0.05, 0.2, 0.4, 0.6, 0.9):
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        state = tree(out)
        if state != old:
            new = new or state
            assert state == new
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    final = tree(out)
    assert final != old
    assert new is None or new == final


def test_outputs_refuse_duplicates_and_escapes():
    outputs = Outputs()
    outputs.add("a/index.html", "x")
    with pytest.raises(OutputError):
        outputs.add("a/index.html", "y")
    for bad in ("../x", "/etc/passwd", "a/../../b", "a\\b", ".hidden/x", "", "a//b", "a/./b", "a/b\n", "a/\x00b"):
        assert not is_safe_output_path(bad)
    assert is_safe_output_path("van-ban/443-kh-tu/index.html")


def test_every_page_type_exists(sample_site):
    expected = ["index.html", "404.html", "sitemap.xml", "robots.txt", "van-ban/index.html",
                "van-ban/443-kh-tu-vung-tau-chu-de-lon-dai-hoi-xiv/index.html", "chu-de/index.html",
                "chu-de/dai-hoi-xiv/index.html", "don-vi/index.html", "don-vi/btv-thanh-uy-vung-tau/index.html",
                "ngay-ky-niem/index.html", "ngay-ky-niem/gio-to-hung-vuong/index.html"]
    for path in expected:
        assert (sample_site / path).is_file(), path


def test_sitemap_and_robots_use_absolute_urls(sample_site):
    sitemap = (sample_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://tuyengiao.example.vn/van-ban/443-kh-tu-vung-tau-chu-de-lon-dai-hoi-xiv/</loc>" in sitemap
    assert "404" not in sitemap
    assert "Sitemap: https://tuyengiao.example.vn/sitemap.xml" in (sample_site / "robots.txt").read_text()


def test_base_url_override_moves_every_link(tmp_path):
    out = tmp_path / "site"
    subprocess.run([sys.executable, "build.py", "build", "--today", "2025-01-15", "--out", str(out),
                    "--base-url", "https://preview.example.org/cong/"], cwd=ROOT, check=True, capture_output=True)
    home = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="/cong/van-ban/"' in home
    assert 'href="/van-ban/"' not in home


@pytest.mark.parametrize("out", [".", "content", "..", "templates"])
def test_build_refuses_to_replace_the_project_or_its_content(out):
    result = subprocess.run([sys.executable, "build.py", "build", "--today", "2025-01-15", "--out", out],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1
    assert "[unsafe-output]" in result.stderr and "Traceback" not in result.stderr
    assert (ROOT / "content" / "site.yaml").is_file() and (ROOT / "build.py").is_file()


def test_build_refuses_a_folder_it_did_not_build(tmp_path):
    precious = tmp_path / "tai-lieu"
    precious.mkdir()
    (precious / "bao-cao.docx").write_text("x")
    result = subprocess.run([sys.executable, "build.py", "build", "--today", "2025-01-15", "--out", str(precious)],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1 and "không do portal dựng" in result.stderr
    assert (precious / "bao-cao.docx").is_file()


def test_symlinked_output_folder_is_updated_through_the_link(tmp_path):
    real = tmp_path / "www"
    build_into(FIXTURES / "mini", real)
    link = tmp_path / "site"
    link.symlink_to(real, target_is_directory=True)
    build_into(SAMPLE_CONTENT, link)
    assert link.is_symlink()
    assert (real / "van-ban" / "443-kh-tu-vung-tau-chu-de-lon-dai-hoi-xiv" / "index.html").is_file()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".www.tmp")] == []


def test_document_pages_stay_light(sample_site):
    """HTML + CSS of every document page under 75 KB uncompressed (readers on weak connections);
    the one stylesheet (issue 16: document pages load the whole cascade too, with the official A4
    print layout) is cached after the first page, the HTML alone stays under 50 KB."""
    import re
    for page in (sample_site / "van-ban").glob("*/index.html"):
        html = page.read_text(encoding="utf-8")
        css = sum((sample_site / href.lstrip("/")).stat().st_size
                  for href in re.findall(r'<link rel="stylesheet" href="([^"]+)"', html))
        assert page.stat().st_size < 50_000 and page.stat().st_size + css < 75_000, page.parent.name
        assert 'src="http' not in html and "<iframe" not in html


def test_a_sitemap_past_the_protocol_limit_becomes_an_index(monkeypatch, tmp_path):
    import re

    from portal.build.builder import BuildOptions, SiteBuilder
    from portal.render import hostfiles

    options = BuildOptions(content=SAMPLE_CONTENT, out=tmp_path / "site", today=date(2025, 1, 15))
    whole = SiteBuilder(options).build().outputs
    assert whole is not None
    urls = re.findall(r"<loc>([^<]+)</loc>", whole["sitemap.xml"].decode())
    monkeypatch.setattr(hostfiles, "SITEMAP_URLS", 7)
    split = SiteBuilder(options).build().outputs
    assert split is not None
    index = split["sitemap.xml"].decode()
    assert index.startswith('<?xml') and "<sitemapindex" in index
    files = [url.rsplit("/", 1)[1] for url in re.findall(r"<loc>([^<]+)</loc>", index)]
    assert files == [f"sitemap-{n}.xml" for n in range(1, -(-len(urls) // 7) + 1)]
    parts = [re.findall(r"<loc>([^<]+)</loc>", split[name].decode()) for name in files]
    assert all(len(part) <= 7 for part in parts) and [url for part in parts for url in part] == urls


def test_relative_links_work_from_a_folder_on_disk(tmp_path):
    """`build --relative-links` (the CI artifact): every link and asset of every page resolves to a
    file of the site from the page's own folder, as a browser opening file://… resolves it."""
    import posixpath
    import re

    from portal.cli import main

    out = tmp_path / "site"
    assert main(["build", "--content", str(SAMPLE_CONTENT), "--out", str(out), "--today", "2025-01-15",
                 "--relative-links"]) == 0
    broken = []
    pages = sorted(out.rglob("*.html"))
    for page in pages:
        folder = page.parent.relative_to(out).as_posix()
        for target in re.findall(r'(?:href|src)="([^"]+)"', page.read_text(encoding="utf-8")):
            if target.startswith(("#", "http:", "https:", "mailto:", "webcal:", "data:")):
                continue
            path = posixpath.normpath(posixpath.join(folder, target.split("#")[0].split("?")[0]))
            if path.startswith("..") or target.startswith("/") or not (out / path).is_file():
                broken.append(f"{page.relative_to(out)}: {target}")
    assert len(pages) > 50 and broken == []
