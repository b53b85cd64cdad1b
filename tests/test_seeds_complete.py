"""The four seed documents are on their pages completely: every paragraph, word for word.

Compared: the body (from its first paragraph to "Nơi nhận"), each "Nơi nhận" line, the signer, the
number and the title. Not compared word for word: the "Kính gửi" block, which the page shows as
links to the recipient units (their full names, from units.yaml).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from htmltext import PageScan, scan, squash

SEEDS = Path(__file__).parent / "data" / "seeds"
PAGES = {
    "000_b0fb0eb4f4659112.txt": "cv-huyen-uy-tuyen-truyen-nghi-quyet-dai-hoi-xiii",
    "001_b7a501ed605dec47.txt": "kh-luc-ngan-tuyen-truyen-sau-dai-hoi-xiii",
    "002_9ee6e02dc63f817c.txt": "443-kh-tu-vung-tau-chu-de-lon-dai-hoi-xiv",
    "004_14b33d5069775a79.txt": "cv-so-vhttdl-lang-son-xay-dung-dang-2023",
}
FIRST_BODY_WORDS = {
    "000_b0fb0eb4f4659112.txt": "Thực hiện Công văn số 1232-CV/BTGTU",
    "001_b7a501ed605dec47.txt": "Thực hiện Kế hoạch số 19-KH/TU",
    "002_9ee6e02dc63f817c.txt": "Ngày 03/10/2024",
    "004_14b33d5069775a79.txt": "Thực hiện Công văn số 637-CV/BCSD",
}


def _clean(line: str) -> str:
    line = line.replace("**", "").replace("*", "")
    line = re.sub(r"^\s*[-+]\s+", "", line)
    return squash(line)


def _region(html: str, start_marker: str, end_marker: str) -> str:
    start = html.index(start_marker)
    return html[start: html.index(end_marker, start)]


@pytest.mark.parametrize("seed", sorted(PAGES))
def test_every_seed_paragraph_is_on_its_page(seed, sample_site):
    """Body paragraphs must be in the full text itself, not only in the duties summary above it."""
    text = (SEEDS / seed).read_text(encoding="utf-8")
    html = (sample_site / "van-ban" / PAGES[seed] / "index.html").read_text(encoding="utf-8")
    body_scan = PageScan()
    body_scan.feed(_region(html, '<section class="doc-body"', "</section>"))
    body = squash("".join(body_scan.text))
    page = squash("".join(scan(sample_site / "van-ban" / PAGES[seed] / "index.html").text))
    lines = [_clean(line) for line in text.splitlines()]
    lines = [line for line in lines if line]
    start = next(i for i, line in enumerate(lines) if line.startswith(FIRST_BODY_WORDS[seed]))
    end = lines.index("Nơi nhận:")
    missing = [line for line in lines[start:end] if line not in body]
    assert missing == []
    closing = lines[end + 1:]
    distribution_and_signature = [line for line in closing if line not in page]
    assert distribution_and_signature == []
    assert len(lines[start:end]) > 20


def test_seed_headers_are_on_their_pages(sample_site):
    page = squash("".join(scan(sample_site / "van-ban" / PAGES["002_9ee6e02dc63f817c.txt"] / "index.html").text))
    assert "Số 443-KH/TU" in page and "KẾ HOẠCH" in page
    assert "Tuyên truyền những chủ đề lớn, trọng tâm từ nay đến Đại hội đại biểu toàn quốc lần thứ XIV của Đảng" in page
    draft = squash("".join(scan(sample_site / "van-ban" / PAGES["004_14b33d5069775a79.txt"] / "index.html").text))
    assert "Số: /SVHTTDL-QLVHGĐ" in draft
    assert "Lạng Sơn, ngày tháng năm 2023" in draft
    assert "V/v triển khai thực hiện Kế hoạch số 113-KH/TU" in draft
