"""Issue 16, Deliver 7-9: what báo cáo viên came for. Subscribing guides per platform, attachments
and local images published beside the document (and refused at file:line when wrong), the
generated Word file, and commemoration pages with substance."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLE_CONTENT, SAMPLE_TODAY, build_into
from portal.build.builder import DEFAULT_TEMPLATES, BuildOptions, SiteBuilder
from portal.content.validate import validate_content
from portal.load.files import load_content

LANG_SON = "cv-so-vhttdl-lang-son-xay-dung-dang-2023"
PLAN_443 = "443-kh-tu-vung-tau-chu-de-lon-dai-hoi-xiv"
LANG_SON_MD = SAMPLE_CONTENT / "documents" / f"{LANG_SON}.md"
ATTACHMENT_LINE = "  - file: cv-so-vhttdl-lang-son-xay-dung-dang-2023/de-cuong-mau.pdf"


def _page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


# Deliver 7: subscribing guides

@pytest.mark.parametrize("path", ["lich", "chu-de/dai-hoi-xiv", "don-vi/btv-thanh-uy-vung-tau"])
def test_every_feed_box_has_one_short_guide_per_platform_and_the_double_events_warning(sample_site, path):
    html = _page(sample_site, path)
    box = html[html.index('<section class="subscribe"'):]
    box = box[:box.index("</section>")]
    summaries = re.findall(r"<summary>(.*?)</summary>", box)
    assert summaries[:4] == ["Điện thoại Android", "iPhone, iPad", "Outlook", "Thunderbird"]
    for words in ("ICSx⁵", "F-Droid", "Google Play", "Từ URL", "Thêm lịch đã đăng ký", "Thêm lịch › Đăng ký từ web",
                  "Tệp › Mới › Lịch › Trên mạng", "iCalendar (ICS)"):
        assert words in box, words
    assert "hai lần" in box and "lịch chung" in box


# Deliver 8: attachments, images, the Word file

def test_the_sample_attachment_and_image_are_published_and_linked(sample_site):
    folder = sample_site / "van-ban" / LANG_SON
    source = SAMPLE_CONTENT / "documents" / LANG_SON
    assert (folder / "tep" / "de-cuong-mau.pdf").read_bytes() == (source / "de-cuong-mau.pdf").read_bytes()
    assert (folder / "tep" / "anh-minh-hoa.png").read_bytes() == (source / "anh-minh-hoa.png").read_bytes()
    html = _page(sample_site, f"van-ban/{LANG_SON}")
    downloads = html[html.index('<section class="downloads"'):]
    downloads = downloads[:downloads.index("</section>")]
    assert f'href="/van-ban/{LANG_SON}/tep/de-cuong-mau.pdf" download>Đề cương thông tin' in downloads
    assert re.search(r'<span class="file-facts">PDF · \d+ KB</span>', downloads)
    assert f'href="/van-ban/{LANG_SON}/{LANG_SON}.docx" download>Tải bản Word (.docx)</a>' in downloads
    image = re.search(r'<img src="([^"]+)" alt="[^"]+" width="(\d+)" height="(\d+)"', html)
    assert image and image.groups() == (f"/van-ban/{LANG_SON}/tep/anh-minh-hoa.png", "480", "270")


def test_every_document_links_its_word_file(sample_site):
    for md in sorted((SAMPLE_CONTENT / "documents").glob("*.md")):
        slug = md.stem
        assert f'/van-ban/{slug}/{slug}.docx" download>Tải bản Word (.docx)' in _page(sample_site, f"van-ban/{slug}")
        assert (sample_site / "van-ban" / slug / f"{slug}.docx").is_file()


def test_the_word_file_of_443_opens_and_holds_its_title_number_and_body(sample_site):
    docx = pytest.importorskip("docx")
    word = docx.Document(str(sample_site / "van-ban" / PLAN_443 / f"{PLAN_443}.docx"))
    cells = [paragraph.text for table in word.tables for cell in table._cells for paragraph in cell.paragraphs]
    paragraphs = [paragraph.text for paragraph in word.paragraphs]
    assert "Số: 443-KH/TU" in cells and "ĐẢNG CỘNG SẢN VIỆT NAM" in cells
    assert "BAN THƯỜNG VỤ THÀNH ỦY VŨNG TÀU" in " ".join(cells).upper()
    assert "KẾ HOẠCH" in paragraphs
    assert any(p.startswith("Tuyên truyền những chủ đề lớn") for p in paragraphs)
    text = "\n".join(paragraphs)
    assert "Ngày 03/10/2024" in text  # the body's first words
    assert any(p.style.name.startswith("List Bullet") for p in word.paragraphs)
    assert "Nơi nhận:" in cells


def test_the_word_file_of_a_state_cong_van_has_the_national_motto_and_vv(sample_site):
    docx = pytest.importorskip("docx")
    word = docx.Document(str(sample_site / "van-ban" / LANG_SON / f"{LANG_SON}.docx"))
    cells = [paragraph.text for table in word.tables for cell in table._cells for paragraph in cell.paragraphs]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in cells and "Độc lập - Tự do - Hạnh phúc" in cells
    assert any(line.startswith("V/v triển khai thực hiện Kế hoạch số 113-KH/TU") for line in cells)
    assert "Kính gửi:" in [paragraph.text for paragraph in word.paragraphs]


def test_two_builds_make_byte_equal_word_files(sample_site, tmp_path):
    other = tmp_path / "site"
    build_into(SAMPLE_CONTENT, other)
    for md in sorted((SAMPLE_CONTENT / "documents").glob("*.md")):
        name = f"van-ban/{md.stem}/{md.stem}.docx"
        first, second = (sample_site / name).read_bytes(), (other / name).read_bytes()
        assert first == second, name
        with zipfile.ZipFile(io.BytesIO(first)) as archive:
            assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def _content_copy(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    return content


def _edit_lang_son(content: Path, old: str, new: str) -> Path:
    path = content / "documents" / f"{LANG_SON}.md"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _line_of(path: Path, text: str) -> int:
    return next(number for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if text in line)


def test_a_missing_attachment_is_a_file_line_error_from_check(tmp_path):
    content = _content_copy(tmp_path)
    (content / "documents" / LANG_SON / "de-cuong-mau.pdf").unlink()
    line = _line_of(content / "documents" / f"{LANG_SON}.md", ATTACHMENT_LINE)
    result = subprocess.run([sys.executable, "build.py", "check", "--content", str(content)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    expected = (f"documents/{LANG_SON}.md:{line}:11: error: [attachment-missing] attachments[0].file: không có tệp "
                f"`{LANG_SON}/de-cuong-mau.pdf` trong `content/documents/`")
    assert expected in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_image_is_a_file_line_error(tmp_path):
    content = _content_copy(tmp_path)
    (content / "documents" / LANG_SON / "anh-minh-hoa.png").unlink()
    site, diagnostics = validate_content(load_content(content, cwd=content))
    line = _line_of(content / "documents" / f"{LANG_SON}.md", "![Ảnh minh họa")
    assert site is None
    assert [d.format().split(" — ")[0] for d in diagnostics if d.is_error] == [
        f"documents/{LANG_SON}.md:{line}:49: error: [missing-image] ảnh `{LANG_SON}/anh-minh-hoa.png` không có "
        "trên cổng nên sẽ hiện thành ô trống"]


def _errors(content: Path) -> list[str]:
    _, diagnostics = validate_content(load_content(content, cwd=content))
    return [f"{d.line}:{d.col} [{d.code}] {d.message}" for d in diagnostics if d.is_error]


def test_a_renamed_file_is_refused_by_its_first_bytes(tmp_path):
    content = _content_copy(tmp_path)
    folder = content / "documents" / LANG_SON
    (folder / "de-cuong-mau.pdf").write_bytes((folder / "anh-minh-hoa.png").read_bytes())
    errors = _errors(content)
    assert len(errors) == 1 and "[attachment-type]" in errors[0] and "không phải PDF" in errors[0]


def test_a_zip_named_docx_and_an_exe_are_refused(tmp_path):
    content = _content_copy(tmp_path)
    folder = content / "documents" / LANG_SON
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("a.txt", "x")
    (folder / "bieu-mau.docx").write_bytes(archive.getvalue())
    (folder / "cai-dat.exe").write_bytes(b"MZ\x90\x00")
    _edit_lang_son(content, ATTACHMENT_LINE, ATTACHMENT_LINE + f"\n  - file: {LANG_SON}/bieu-mau.docx"
                   f"\n  - file: {LANG_SON}/cai-dat.exe")
    errors = _errors(content)
    assert len(errors) == 2
    assert "[attachment-type]" in errors[0] and "không phải tệp DOCX" in errors[0]
    assert "[attachment-type]" in errors[1] and "`.exe` không được nhận" in errors[1]


def test_a_file_over_the_site_limit_is_refused(tmp_path):
    content = _content_copy(tmp_path)
    site_yaml = content / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + "\nattachment_max_mb: 1\n", encoding="utf-8")
    pdf = content / "documents" / LANG_SON / "de-cuong-mau.pdf"
    pdf.write_bytes(pdf.read_bytes() + b"%" * (1024 * 1024))
    errors = _errors(content)
    assert len(errors) == 1 and "[attachment-too-large]" in errors[0] and "quá giới hạn 1 MB" in errors[0]


@pytest.mark.parametrize("path", ["../site.yaml", "/etc/passwd", "C:/tai-lieu/de-cuong.pdf",
                                  f"{LANG_SON}/../../site.yaml"])
def test_a_path_out_of_the_documents_folder_is_refused(tmp_path, path):
    content = _content_copy(tmp_path)
    _edit_lang_son(content, f"file: {LANG_SON}/de-cuong-mau.pdf", f"file: {path}")
    errors = _errors(content)
    assert len(errors) == 1 and "[attachment-outside]" in errors[0], errors


def test_a_symlinked_attachment_is_refused(tmp_path):
    content = _content_copy(tmp_path)
    pdf = content / "documents" / LANG_SON / "de-cuong-mau.pdf"
    outside = tmp_path / "ngoai.pdf"
    outside.write_bytes(pdf.read_bytes())
    pdf.unlink()
    os.symlink(outside, pdf)
    errors = _errors(content)
    assert len(errors) == 1 and "[attachment-symlink]" in errors[0]


def test_a_remote_image_stays_refused(tmp_path):
    content = _content_copy(tmp_path)
    _edit_lang_son(content, f"]({LANG_SON}/anh-minh-hoa.png)", "](https://example.com/anh.png)")
    errors = _errors(content)
    assert len(errors) == 1 and "[remote-image]" in errors[0]


def test_an_edited_attachment_is_published_again_by_a_kept_builder(tmp_path):
    """The dev server's builder: an attachment is an input of its document, so a new version of
    the file changes the published bytes (and the page's size line), and nothing else is redone."""
    content = _content_copy(tmp_path)
    builder = SiteBuilder(BuildOptions(content=content, out=tmp_path / "site", today=SAMPLE_TODAY,
                                       templates=DEFAULT_TEMPLATES))
    first = builder.build()
    assert first.ok and first.outputs is not None
    name = f"van-ban/{LANG_SON}/tep/de-cuong-mau.pdf"
    pdf = content / "documents" / LANG_SON / "de-cuong-mau.pdf"
    new = pdf.read_bytes().replace(b"khong phai de cuong that", b"KHONG PHAI DE CUONG THAT") + b"%" * 4096
    pdf.write_bytes(new)
    second = builder.build()
    assert second.ok and second.outputs is not None
    assert second.outputs[name] == new
    assert f"van-ban/{LANG_SON}/index.html" in second.rendered
    assert f"van-ban/{PLAN_443}/index.html" not in second.rendered
    assert b"PDF \xc2\xb7 5 KB" in second.outputs[f"van-ban/{LANG_SON}/index.html"]


def test_the_build_stamp_sees_an_edited_attachment(tmp_path):
    from portal.write.stamp import inputs_digest

    content = _content_copy(tmp_path)
    before = inputs_digest(content, DEFAULT_TEMPLATES, date(2025, 1, 15), (), None)
    pdf = content / "documents" / LANG_SON / "de-cuong-mau.pdf"
    pdf.write_bytes(pdf.read_bytes() + b"%")
    assert inputs_digest(content, DEFAULT_TEMPLATES, date(2025, 1, 15), (), None) != before


# Deliver 9: commemoration pages

def test_a_commemoration_page_gives_this_years_number_and_the_decrees_term(sample_site):
    html = _page(sample_site, "ngay-ky-niem/thanh-lap-dang")
    now = html[html.index('<section class="anniversary-now"'):]
    now = now[:now.index("</section>")]
    assert "Năm 2025" in now and "Kỷ niệm 95 năm" in now and "Thứ Hai, 03/02/2025" in now
    assert "năm lẻ 5 theo Nghị định 145/2013/NĐ-CP" in now
    assert "Ngày 03/02/1930" in html  # the description
    hung_kings = _page(sample_site, "ngay-ky-niem/gio-to-hung-vuong")
    assert "Năm lẻ 5 theo Nghị định 145/2013/NĐ-CP" in hung_kings  # 2025 ends in 5: counted by the solar year


OUTLINE_DOCUMENT = """---
number: "05-ĐC/BTGTU"
kind: de-cuong
title: "Tuyên truyền kỷ niệm 95 năm Ngày thành lập Đảng (tài liệu mẫu của bộ kiểm thử)"
issuer: btv-thanh-uy-vung-tau
issued: 06/01/2025
topics: [xay-dung-dang]
commemorations: [thanh-lap-dang]
---

Nội dung mẫu của bộ kiểm thử.
"""


def test_commemoration_documents_are_grouped_by_year_newest_first_with_the_outlines(tmp_path):
    content = _content_copy(tmp_path)
    (content / "documents" / "05-dc-mau.md").write_text(OUTLINE_DOCUMENT, encoding="utf-8")
    _edit_lang_son(content, "topics: [xay-dung-dang,", "commemorations: [thanh-lap-dang]\ntopics: [xay-dung-dang,")
    site = tmp_path / "site"
    build_into(content, site)
    html = _page(site, "ngay-ky-niem/thanh-lap-dang")
    groups = re.findall(r'<div class="year-group">\s*<h3>([^<]+?) <span', html)
    assert groups == ["Năm 2025", "Năm 2023", "Chưa ghi năm"]
    outlines = html[html.index('<section aria-labelledby="de-cuong">'):]
    outlines = outlines[:outlines.index("</section>")]
    assert '<a href="/van-ban/05-dc-mau/">Đề cương số 05-ĐC/BTGTU' in outlines
    assert f'href="/van-ban/{LANG_SON}/tep/de-cuong-mau.pdf" download>Đề cương thông tin' in outlines
    assert "PDF · 1 KB" in outlines


def test_a_commemoration_without_outlines_has_no_outline_section(sample_site):
    assert 'aria-labelledby="de-cuong"' not in _page(sample_site, "ngay-ky-niem/thanh-lap-dang")
