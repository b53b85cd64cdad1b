"""The dev server in real Chromium: edits show up without reloading by hand, errors show an
overlay with `path:line`, and the page comes back when the file is fixed."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time

import pytest

from conftest import ROOT, SAMPLE_CONTENT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DOCUMENT = "443-kh-tu-vung-tau-chu-de-lon-dai-hoi-xiv"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture()
def dev_server(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    port = _free_port()
    with open(tmp_path / "serve.log", "w") as log:  # the server writes to its own copy of the descriptor
        process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--port", str(port),
                                    "--content", str(content), "--today", "2025-01-15"],
                                   cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 30
    while time.time() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("serve did not start: " + (tmp_path / "serve.log").read_text())
    yield f"http://127.0.0.1:{port}/", content
    process.terminate()
    process.wait(timeout=10)


def test_edit_break_and_fix_while_the_page_is_open(browser, dev_server):
    url, content = dev_server
    document = content / "documents" / f"{DOCUMENT}.md"
    original = document.read_text(encoding="utf-8")
    page = browser.new_page(viewport={"width": 390, "height": 900})
    page.goto(url + f"van-ban/{DOCUMENT}/")
    heading = page.locator("h1")
    assert "Tuyên truyền những chủ đề lớn" in heading.inner_text()

    page.wait_for_timeout(2000)  # let the page's livereload socket connect
    document.write_text(original.replace('title: "Tuyên truyền những chủ đề lớn',
                                         'title: "Đã sửa: Tuyên truyền những chủ đề lớn', 1), encoding="utf-8")
    page.wait_for_function("document.querySelector('h1').innerText.startsWith('Đã sửa:')", timeout=15000)

    document.write_text(original.replace("kind: ke-hoach", "kind: [ke-hoach", 1), encoding="utf-8")
    page.wait_for_selector("#loi-noi-dung", timeout=15000)
    overlay = page.locator("#loi-noi-dung").inner_text()
    line = original.splitlines().index("kind: ke-hoach") + 1
    assert f"{DOCUMENT}.md:{line}" in overlay
    assert "lỗi cú pháp YAML" in overlay

    document.write_text(original, encoding="utf-8")
    page.wait_for_function("document.querySelector('h1') && "
                           "document.querySelector('h1').innerText.startsWith('Tuyên truyền')", timeout=15000)
    assert page.locator("#loi-noi-dung").count() == 0
    page.close()


def test_a_404_page_reloads_when_the_page_appears_and_the_overlay_quotes_the_line(browser, dev_server):
    url, content = dev_server
    source = content / "documents" / f"{DOCUMENT}.md"
    original = source.read_text(encoding="utf-8")
    page = browser.new_page(viewport={"width": 390, "height": 900})
    response = page.goto(url + "van-ban/ke-hoach-moi/")
    assert response is not None and response.status == 404
    page.wait_for_timeout(2000)  # the livereload socket connects on the 404 page too
    (content / "documents" / "ke-hoach-moi.md").write_text(
        original.replace('number: "443-KH/TU"', 'number: "444-KH/TU"', 1)
                .replace('title: "Tuyên truyền những chủ đề lớn', 'title: "Kế hoạch mới: những chủ đề lớn', 1),
        encoding="utf-8")
    page.wait_for_function("document.querySelector('h1') && "
                           "document.querySelector('h1').innerText.startsWith('Kế hoạch mới')", timeout=20000)

    source.write_text(original.replace("issuer: ", "issuer: khong-co-", 1), encoding="utf-8")
    page.wait_for_selector("#loi-noi-dung", timeout=20000)
    excerpt = page.locator("#loi-noi-dung pre.trich").first.inner_text()
    line = next(n for n, text in enumerate(original.splitlines(), 1) if text.startswith("issuer: "))
    assert excerpt.startswith(f"{line} | issuer: khong-co-"), excerpt
    assert excerpt.splitlines()[1].rstrip().endswith("^")
    page.close()
    log = (content.parent / "serve.log").read_text(encoding="utf-8")
    # The watcher told each rebuild which file changed (the build looked at that one only).
    assert "Đã dựng lại" in log and "trang sau khi sửa content/documents/ke-hoach-moi.md," in log, log
    assert f"Chưa dựng lại sau khi sửa content/documents/{DOCUMENT}.md: nội dung có 1 lỗi" in log, log
    english = [line for line in log.splitlines()
               if any(word in line for word in ("Serving on", "Browser Connected", "Start watching", "Reload", "GET "))]
    assert english == [], english
