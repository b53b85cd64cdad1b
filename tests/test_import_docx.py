"""Importing from Word: a .docx built here with python-docx from each seed's text (Roman sections in
a heading style, "- "/"+ " lines as Word bullet lists, *italic* and **bold** runs, a table, a
borderless layout table for the header or the signature) gives what the text gives."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import docx
import pytest

from conftest import FIXTURES, ROOT, SAMPLE_CONTENT
from portal.authoring.docx_text import docx_text
from portal.authoring.importer import known_documents, recognise
from portal.content.validate import validate_content
from portal.load.files import load_content
from portal.render.bodies import render_markdown
from test_seeds_complete import PAGES, SEEDS

SITE, _ = validate_content(load_content(SAMPLE_CONTENT))
DOCUMENTS = known_documents(document.data for document in load_content(SAMPLE_CONTENT).documents)
SOURCES = [SEEDS / seed for seed in sorted(PAGES)] + sorted((FIXTURES / "import").glob("*.txt"))
EXTRA_TEXT = ("### Phụ lục\n\n| Nội dung | Thời gian |\n|---|---|\n| Tuyên truyền trực quan | Tháng 01/2025 |\n"
              "| Hội nghị báo cáo viên | Quý I/2025 |\n\nGhi chú: **các đơn vị báo cáo** kết quả, *gửi kèm hình ảnh*.")


def _runs(paragraph, text: str) -> None:
    for part in re.split(r"(\*\*[^*]+\*\*|\*[^*]+\*)", text):
        if part.startswith("**") and part.endswith("**") and len(part) > 4:
            paragraph.add_run(part[2:-2]).bold = True
        elif part.startswith("*") and part.endswith("*") and len(part) > 2:
            paragraph.add_run(part[1:-1]).italic = True
        elif part:
            paragraph.add_run(part)


def _add(container, line: str) -> None:
    """One line of the seed text as the paragraph an editor would have in Word."""
    text, whole_bold = line.strip(), False
    for marker_at_start in (True, False):  # "**T/M BAN THƯỜNG VỤ" / "PHÓ BÍ THƯ**": a bold block
        if text.count("**") % 2 and (text.startswith("**") if marker_at_start else text.endswith("**")):
            text, whole_bold = (text[2:] if marker_at_start else text[:-2]), True
    if re.match(r"^[IVX]+\s*[.\-]\s", text) and text.upper() == text:
        paragraph = container.add_paragraph(style="Heading 1")
    elif text.startswith(("- ", "+ ")):
        paragraph = container.add_paragraph(style="List Bullet" if text[0] == "-" else "List Bullet 2")
        text = text[2:]
    else:
        paragraph = container.add_paragraph()
    _runs(paragraph, text)
    for run in paragraph.runs:
        run.bold = run.bold or whole_bold


def _layout_table(document, left: list[str], right: list[str]) -> None:
    table = document.add_table(rows=1, cols=2)
    for cell, lines in zip(table.rows[0].cells, (left, right), strict=True):
        if lines:
            cell.paragraphs[0].text = lines[0]
        for line in lines[1:]:
            _add(cell, line)


def build_docx(text: str, path: Path) -> None:
    """The seed as a Word file; before "Nơi nhận" a heading, a table and a paragraph with bold and
    italic runs (EXTRA_TEXT); the header before the kind's heading and "Nơi nhận" with the signature
    as two-column layout tables, as Word documents lay them out."""
    document = docx.Document()
    lines = [line for line in text.splitlines() if line.strip()]
    # A Đề cương has no "Nơi nhận": it ends with its issuer's name in capitals.
    received = next((i for i, line in enumerate(lines) if line.strip() == "Nơi nhận:"), len(lines) - 1)
    heading = next((i for i, line in enumerate(lines) if line.startswith(("KẾ HOẠCH", "HƯỚNG DẪN", "ĐỀ CƯƠNG"))), None)
    head = lines[:heading] if heading and any(line.startswith("Số") for line in lines[:heading]) else []
    if head:
        columns = [re.split(r"\s{3,}", line) for line in head]
        _layout_table(document, [c[0] for c in columns], [c[1] for c in columns if len(c) > 1])
    for line in lines[len(head):received]:
        _add(document, line)
    document.add_paragraph("Phụ lục", style="Heading 2")
    table = document.add_table(rows=3, cols=2)
    for row, values in zip(table.rows, (("Nội dung", "Thời gian"), ("Tuyên truyền trực quan", "Tháng 01/2025"),
                                        ("Hội nghị báo cáo viên", "Quý I/2025")), strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    _add(document, "Ghi chú: **các đơn vị báo cáo** kết quả, *gửi kèm hình ảnh*.")
    tail = lines[received:]
    if tail[0] != "Nơi nhận:":
        for line in tail:
            _add(document, line)
    else:
        listed = next(i for i, line in enumerate(tail[1:], 1) if not line.lstrip().startswith("-"))
        _layout_table(document, tail[:listed], tail[listed:])
    document.save(path)


def _recognise(text: str):
    return recognise(text, SITE.units, known_commemorations=SITE.commemorations, documents=DOCUMENTS)


@pytest.mark.parametrize("source", SOURCES, ids=lambda path: path.name)
def test_a_word_file_gives_what_its_text_gives(source, tmp_path):
    text = source.read_text(encoding="utf-8")
    build_docx(text, tmp_path / "van-ban.docx")
    converted, problems = docx_text((tmp_path / "van-ban.docx").read_bytes(), "van-ban.docx")
    assert problems == []
    from_word, from_text = _recognise(converted), _recognise(text)
    assert from_word.front == from_text.front
    assert from_word.confidence == from_text.confidence
    assert from_word.unknown_units == from_text.unknown_units
    assert from_word.body == from_text.body.rstrip("\n") + "\n\n" + EXTRA_TEXT + "\n"
    html = render_markdown(from_word.body).html
    assert "<table>" in html and "<strong>các đơn vị báo cáo</strong>" in html and "<em>gửi kèm hình ảnh</em>" in html


def test_word_numbering_is_written_out_as_printed(tmp_path):
    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH", style="Title")
    document.add_paragraph("tuyên truyền kỷ niệm Ngày Quốc khánh")
    document.add_paragraph("Thực hiện Kế hoạch số 19-KH/TU ngày 18/5/2021 của Ban Thường vụ Tỉnh ủy Bắc Giang.")
    document.add_paragraph("Mục đích, yêu cầu", style="Heading 1")
    for text in ("Nâng cao nhận thức.", "Bảo đảm thiết thực."):
        document.add_paragraph(text, style="List Number")
    document.add_paragraph("Tổ chức hội nghị", style="List Bullet")
    document.add_paragraph("cấp huyện", style="List Bullet 2")
    path = tmp_path / "danh-so.docx"
    document.save(path)
    text, _ = docx_text(path.read_bytes(), path.name)
    assert "## KẾ HOẠCH" in text  # a heading style: the importer reads the kind from it all the same
    assert "\n\n1. Nâng cao nhận thức.\n\n2. Bảo đảm thiết thực.\n\n- Tổ chức hội nghị\n\n+ cấp huyện\n" in text
    result = _recognise(text)
    assert (result.front["kind"], result.front["title"]) == ("ke-hoach", "Tuyên truyền kỷ niệm Ngày Quốc khánh")
    assert "## Mục đích, yêu cầu" in result.body and "1\\. Nâng cao nhận thức." in result.body


@pytest.mark.parametrize("data", [b"", b"not a zip at all", b"PK\x03\x04 truncated", b"\xd0\xcf\x11\xe0 old .doc"])
def test_a_file_that_is_not_a_docx_is_a_diagnostic(data):
    text, problems = docx_text(data, "x.docx")
    assert text is None and [problem.code for problem in problems] == ["not-docx"]
    assert "lưu lại dạng .docx" in problems[0].hint


def test_import_command_reads_a_docx(tmp_path):
    import shutil
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    (content / "documents" / "kh-luc-ngan-tuyen-truyen-sau-dai-hoi-xiii.md").unlink()
    source = tmp_path / "ke-hoach.docx"
    build_docx((SEEDS / "001_b7a501ed605dec47.txt").read_text(encoding="utf-8"), source)
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "import", str(source), "--content", str(content)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "issuer: 70%" in result.stderr and "Kết quả kiểm tra tệp mới" in result.stderr and "0 lỗi" in result.stderr
    written = next((content / "documents").glob("*day-manh-cong-tac-tuyen-truyen*.md")).read_text(encoding="utf-8")
    assert "issuer: btv-huyen-uy-luc-ngan" in written and "| Nội dung | Thời gian |" in written


def test_word_text_gets_the_same_clean_up_as_a_text_file(tmp_path):
    """NFD letters become NFC and invisible characters go, as for a .txt (loader.clean_text)."""
    import io
    import unicodedata

    document = docx.Document()
    document.add_paragraph(unicodedata.normalize("NFD", "Kính gửi: Ban Tuyên giáo") + "\u200b")
    document.add_paragraph("Tuyên\u00adtruyền")
    buffer = io.BytesIO()
    document.save(buffer)
    text, problems = docx_text(buffer.getvalue(), "x.docx")
    assert "Kính gửi: Ban Tuyên giáo\n" in text and "Tuyêntruyền" in text
    assert text == unicodedata.normalize("NFC", text)
    assert [p.code for p in problems] == ["invisible-char", "invisible-char"]
