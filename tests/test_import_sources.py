"""`import` reads Word, PDF with a text layer, and text in UTF-8, UTF-16 (BOM) or Windows-1258;
a scanned PDF or an unknown encoding gets a clear message; a folder is imported at once with a
summary table."""

from __future__ import annotations

import shutil
import subprocess
import sys
import unicodedata
import zlib

from conftest import ROOT, SAMPLE_CONTENT
from portal.authoring.sources import decode_any, pdf_text, read_document

TEXT = "Kính gửi: Ủy ban nhân dân các xã\n\nThực hiện Kế hoạch số 5-KH/HU, Ủy ban nhân dân huyện đề nghị:\n"


def _cp1258(text: str) -> bytes:
    """Text as Windows-1258 writes it: letters it has whole, the others as a letter and a tone mark."""
    out = b""
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", char)
            tone = next(mark for mark in decomposed if mark in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", decomposed.replace(tone, ""))
            out += base.encode("cp1258") + tone.encode("cp1258")
    return out


def _pdf(page_text: str | None) -> bytes:
    """A one-page PDF, with `page_text` in its text layer (Helvetica, ASCII) or with none."""
    stream = (f"BT /F1 12 Tf 72 720 Td ({page_text}) Tj ET" if page_text else "").encode("ascii")
    compressed = zlib.compress(stream)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(compressed) + compressed + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


def test_utf16_with_its_bom_and_windows_1258_are_decoded():
    for raw in (TEXT.encode("utf-16"), b"\xfe\xff" + TEXT.encode("utf-16-be"), _cp1258(TEXT),
                b"\xef\xbb\xbf" + TEXT.encode("utf-8")):
        text, problems = decode_any(raw, "van-ban.txt")
        assert text == TEXT and problems == []


def test_bytes_of_no_known_encoding_are_refused_with_a_message():
    text, problems = decode_any("Kinh gui".encode("latin-1") + b"\xff\xfe\x81\x8d", "la.txt")
    assert text is None and [p.code for p in problems] == ["unknown-encoding"]
    assert "UTF-8" in problems[0].hint


def test_a_pdf_text_layer_is_read_and_a_scanned_pdf_is_told_apart(tmp_path):
    text, problems = pdf_text(_pdf("So: 12/UBND-VP  Kinh gui: cac xa, thi tran"), "van-ban.pdf")
    assert problems == [] and text is not None and "12/UBND-VP" in text
    scanned, problems = pdf_text(_pdf(None), "ban-quet.pdf")
    assert scanned is None and [p.code for p in problems] == ["pdf-no-text"]
    broken, problems = pdf_text(b"%PDF-1.4 broken", "hong.pdf")
    assert broken is None and [p.code for p in problems] == ["not-pdf"]
    (tmp_path / "a.pdf").write_bytes(_pdf("So: 12/UBND-VP  Kinh gui: cac xa, thi tran"))
    assert "12/UBND-VP" in (read_document(tmp_path / "a.pdf")[0] or "")


def test_a_folder_is_imported_at_once_with_a_summary_table(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    folder = tmp_path / "nhap"
    folder.mkdir()
    (folder / "a-cong-van.txt").write_bytes(
        ("ỦY BAN NHÂN DÂN\nHUYỆN KIM SƠN\nSố: 31/UBND-VHTT\nV/v treo cờ Tổ quốc\n\n"
         "Kim Sơn, ngày 02 tháng 9 năm 2024\n\nKính gửi: Ủy ban nhân dân các xã\n\n1. Treo cờ.\n").encode("utf-16"))
    (folder / "b-ke-hoach.txt").write_bytes(_cp1258(
        "KẾ HOẠCH\nTuyên truyền Ngày Quốc khánh\n\nThực hiện Kế hoạch số 7-KH/HU ngày 01/8/2024 của Huyện ủy.\n"))
    (folder / "c-ban-quet.pdf").write_bytes(_pdf(None))
    (folder / "ghi-chu.png").write_bytes(b"\x89PNG")  # not a document: left alone
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "import", str(folder), "--content", str(content)],
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 1  # one file could not be imported
    assert "Traceback" not in result.stderr
    assert "Đã nhập 2/3 tệp:" in result.stderr
    rows = [line for line in result.stderr.splitlines() if line.startswith("| ")]
    assert rows[0] == "| tệp | kết quả | số | loại | trích yếu | cần xem lại |"
    assert [row.split(" | ")[0] for row in rows[1:]] == ["| a-cong-van.txt", "| b-ke-hoach.txt", "| c-ban-quet.pdf"]
    assert "31/UBND-VHTT | cong-van | treo cờ Tổ quốc" in rows[1]
    assert "[pdf-no-text]" in rows[3]
    assert (content / "documents" / "31-ubnd-vhtt-treo-co-to-quoc.md").is_file()
    assert "Kết quả kiểm tra tệp mới" in result.stderr


def test_a_missing_or_empty_folder_is_told(tmp_path):
    missing = subprocess.run([sys.executable, str(ROOT / "build.py"), "import", str(tmp_path / "khong-co"),
                              "--content", str(SAMPLE_CONTENT)], capture_output=True, text=True, timeout=60)
    assert missing.returncode == 1 and "không có tệp" in missing.stderr
    empty = tmp_path / "rong"
    empty.mkdir()
    nothing = subprocess.run([sys.executable, str(ROOT / "build.py"), "import", str(empty),
                              "--content", str(SAMPLE_CONTENT)], capture_output=True, text=True, timeout=60)
    assert nothing.returncode == 1 and "không có tệp .docx, .pdf, .txt hay .md" in nothing.stderr
