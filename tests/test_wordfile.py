"""The generated Word file (`portal/render/wordfile.py`): bodies parsed by markdown-it-pyrs into
the paragraphs markdown-it-py made, and a lean package that Word, LibreOffice and python-docx read."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SAMPLE_CONTENT
from portal.render import wordfile
from portal.render.zipped import zip_archive, zip_members

# What an editor writes, and the corners of it: tight and loose items, lists deeper than the three
# list styles, headings with emphasis, code, breaks, tables, quotes, emphasis at a paragraph's
# edges (markdown-it-py leaves empty runs there), images, entities, autolinks shown decoded.
BODIES = [
    "Đoạn một.\n\nĐoạn hai, *nghiêng* và **đậm**.",
    "- một\n- hai\n\n- ba (danh sách thưa)\n",
    "- mục\n\n  đoạn thứ hai của mục\n- mục khác",
    "1. a\n   - b\n     - c\n       - d\n         - e\n           1. f\n",
    "- - - lồng ngay",
    "# Tiêu đề *nghiêng* **đậm**\n## Hai\n#### **Bốn** *nghiêng*\n###### Sáu\n#\n",
    "Setext\ndòng hai\n===\n\nPhụ\n---\n",
    "```\n```\n\n```py\nmã\n\n  thụt\n```\n\n    khối mã\n\n    tiếp\n",
    "ngắt cứng  \ndòng\\\ndòng mềm\ncuối",
    "| a | *b* |\n|---|:-:|\n| 1 |\n| x | y | z |\n",
    "> trích\n> - b\n>   - c\n>\n> d\n",
    "- > trích trong mục\n- # tiêu đề trong mục\n- ```\n  mã\n  ```\n  sau mã\n",
    "**I. MỤC ĐÍCH**\n\n**1.** Nội dung **đậm ở cuối**\n**đậm** đầu dòng", "***a*** **_b_** *__c__*",
    "![ảnh *minh họa*](anh.png) sau ảnh", "<http://a.b/%C3%A1> <a@b.c> &amp; &copy; \\* \\\\ a\x00b",
    "<b>html</b> không dịch\n\n<div>\nkhối\n</div>\n", "[ref]: /x\n\n[ref] ***\n\n---\n\n* * *",
    "- \n- a\n-\n\n1) a\n2) b\n\n* c\n+ d",
]


@pytest.mark.parametrize("text", BODIES)
def test_the_rust_parser_gives_the_paragraphs_of_markdown_it_pys_tokens(text):
    styles = wordfile._skeleton()[3]
    assert not ("`" in text and "[" in text), "this body would take the fallback itself"
    writer = wordfile._Writer(styles)
    wordfile._tokens_body(text, writer)
    assert wordfile._body(text, styles) == writer.paragraphs


def _paragraphs(text: str) -> list[tuple[str | None, str]]:
    """(list style or None, text with B/I marks) of each paragraph."""
    out = []
    for paragraph in wordfile._body(text, wordfile._skeleton()[3]):
        style = re.search(r'<w:pStyle w:val="([^"]+)"/>', paragraph)
        runs = re.findall(r"<w:r><w:rPr>(.*?)</w:rPr>(.*?)</w:r>", paragraph)
        text = "".join(("B" if "<w:b/>" in props else "") + ("I" if "<w:i/>" in props else "")
                       + "[" + re.sub(r"<[^>]+>", "", inner) + "]" for props, inner in runs)
        out.append((style.group(1) if style else None, text))
    return out


def test_lists_deeper_than_three_take_the_third_style_and_only_an_items_first_paragraph_is_styled():
    styles = [style for style, _ in _paragraphs("- a\n  - b\n    - c\n      - d\n        1. e\n")]
    assert styles == ["ListBullet", "ListBullet2", "ListBullet3", "ListBullet3", "ListNumber3"]
    loose = [("ListNumber", "[đầu]"), (None, "[sau]"), ("ListNumber", "[hai]")]
    assert _paragraphs("1. đầu\n\n   sau\n2. hai") == loose


def test_headings_are_bold_italic_from_level_four_and_nested_emphasis_stays():
    assert _paragraphs("## a *b*\n#### c") == [(None, "B[a ]B[b]"), (None, "BI[c]")]
    # The inner close of "**a __b__ c**" used to end the bold for " c".
    assert _paragraphs("**a __b__ c**") == [(None, "[]B[a ]B[b]B[ c][]")]  # [] the empty runs of the "**"
    assert _paragraphs("*a _b_ c*") == [(None, "I[a ]I[b]I[ c]")]


def test_a_body_the_rust_parser_is_not_trusted_with_takes_markdown_it_py():
    text = "Xem [mục `2`](#muc-2) và `mã`."
    assert _paragraphs(text) == [(None, "[Xem ][mục ][2][ và ][mã][.]")]


# The package

EXPECTED_MEMBERS = ["[Content_Types].xml", "_rels/.rels", "docProps/app.xml", "word/_rels/document.xml.rels",
                    "word/numbering.xml", "word/settings.xml", "word/styles.xml", "docProps/core.xml",
                    "word/document.xml"]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _word_files(site: Path) -> list[Path]:
    documents = sorted((SAMPLE_CONTENT / "documents").glob("*.md"))
    return [site / "van-ban" / md.stem / f"{md.stem}.docx" for md in documents]


def test_the_package_holds_only_what_the_document_uses_and_every_part_is_declared_and_related(sample_site):
    for path in _word_files(sample_site):
        with zipfile.ZipFile(path) as package:
            assert package.namelist() == EXPECTED_MEMBERS
            overhead = sum(info.compress_size for info in package.infolist() if info.filename != "word/document.xml")
            assert overhead < 4000, (path.name, overhead)  # python-docx's whole template: 33 KB
            types = package.read("[Content_Types].xml").decode()
            for name in EXPECTED_MEMBERS:
                if not name.endswith(".rels") and name != "[Content_Types].xml":
                    assert f'PartName="/{name}"' in types, name
            for rels, base in (("_rels/.rels", ""), ("word/_rels/document.xml.rels", "word/")):
                for target in re.findall(r'Target="([^"]+)"', package.read(rels).decode()):
                    assert base + target in EXPECTED_MEMBERS, target
            styles = package.read("word/styles.xml").decode()
            numbering = package.read("word/numbering.xml").decode()
        assert "latentStyles" not in styles and "Theme" not in styles
        assert set(re.findall(r'w:styleId="([^"]+)"', styles)) == {
            "Normal", "DefaultParagraphFont", "TableNormal", "NoList", "ListBullet", "ListBullet2", "ListBullet3",
            "ListNumber", "ListNumber2", "ListNumber3"}
        assert '<w:rFonts w:ascii="Times New Roman" w:eastAsia="Times New Roman" w:hAnsi="Times New Roman" ' \
               'w:cs="Times New Roman"/>' in styles and '<w:lang w:val="vi-VN"' in styles
        # Every list style's numbering is there, and its abstract definition.
        nums = dict(re.findall(r'<w:num w:numId="(\d+)"><w:abstractNumId w:val="(\d+)"/>', numbering))
        abstract = set(re.findall(r'<w:abstractNum w:abstractNumId="(\d+)"', numbering))
        for number in re.findall(r'<w:numId w:val="(\d+)"/>', styles):
            assert nums[number] in abstract


def test_python_docx_reads_the_page_of_nghi_dinh_30_and_the_styles(sample_site):
    docx = pytest.importorskip("docx")
    from docx.shared import Cm, Pt

    for path in _word_files(sample_site):
        word = docx.Document(str(path))
        section = word.sections[0]
        sizes = (section.page_width, section.page_height, section.top_margin, section.bottom_margin,
                 section.left_margin, section.right_margin)
        # A4, and the margins of Nghị định 30/2020 (2, 2, 3, 1.5 cm), to the twip Word stores them in
        assert [round(size / Cm(0.1)) for size in sizes] == [210, 297, 20, 20, 30, 15]
        normal = word.styles["Normal"]
        assert (normal.font.name, normal.font.size) == ("Times New Roman", Pt(14))
        assert any(paragraph.style.name.startswith("List ") for paragraph in word.paragraphs)
        assert word.core_properties.title and word.tables


def test_the_word_file_is_the_same_bytes_for_the_same_document():
    wordfile._skeleton.cache_clear()  # a new process's skeleton: the same bytes
    first = wordfile._skeleton()
    wordfile._skeleton.cache_clear()
    assert wordfile._skeleton() == first
    with zipfile.ZipFile(io.BytesIO(zip_archive((), first[0]))) as package:
        assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.from_regex(r"[A-Za-z0-9_]{1,12}(/[A-Za-z0-9_.\[\]]{1,12}){0,2}", fullmatch=True),
                          st.binary(max_size=3000) | st.text(max_size=2000).map(str.encode)),
                min_size=0, max_size=8, unique_by=lambda member: member[0]), st.integers(0, 8))
def test_a_zip_written_by_hand_reads_back_in_zipfile_member_for_member(members, split):
    """`zip_archive` (written for speed, `zipped.py`): the members, in order, with their bytes,
    CRCs, the zip epoch and mode 0644, whether added at once or after a `zip_members` start."""
    data = zip_archive(members[split:], zip_members(members[:split]))
    assert data == zip_archive(members)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert package.testzip() is None
        infos = package.infolist()
        assert [(info.filename, package.read(info)) for info in infos] == members
        assert {(info.date_time, info.external_attr >> 16 & 0o777, info.compress_type) for info in infos} <= {
            ((1980, 1, 1, 0, 0, 0), 0o644, zipfile.ZIP_DEFLATED)}


def test_given_a_writer_the_word_files_are_written_where_made_and_only_their_sizes_come_back():
    from datetime import date

    from portal.build.reuse import Fresh
    from portal.pipeline import BuildOptions, render

    index = render(BuildOptions(content=SAMPLE_CONTENT, out=Path("site"), today=date(2025, 6, 1))).index
    written: dict[str, bytes] = {}

    def store(path: str, data: bytes) -> int:
        written[path] = data
        return len(data)

    made = wordfile.document_downloads(index, Fresh(), store)
    in_memory = wordfile.document_downloads(index)
    docx = [path for path in in_memory if path.endswith(".docx")]
    assert docx and sorted(written) == sorted(docx)
    for path in docx:
        assert made[path] == len(in_memory[path]) and written[path] == in_memory[path]
