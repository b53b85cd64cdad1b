"""`import`: the four seeds reproduce the hand-made sample content; two documents that are not
seeds (a Hướng dẫn and a Đề cương, tests/fixtures/import/) give their reviewed golden files; the
command writes a file that passes `check` once the units it reports are added; bad input never
gives a traceback."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, ROOT, SAMPLE_CONTENT
from htmltext import squash
from portal.authoring.importer import document_text, known_documents, recognise, units_yaml_snippet
from portal.authoring.outline import Kind, outline, paragraphs
from portal.authoring.plan_facts import phase_dates
from portal.authoring.unitnames import UnitNames
from portal.content.models import DocumentMeta
from portal.content.validate import validate_content
from portal.load.files import load_content
from portal.render.bodies import render_markdown
from portal.render.search import plain_text
from test_seeds_complete import FIRST_BODY_WORDS, PAGES, SEEDS, _clean

SITE, _ = validate_content(load_content(SAMPLE_CONTENT))
DOCUMENTS = known_documents(document.data for document in load_content(SAMPLE_CONTENT).documents)
IMPORT_FIXTURES = FIXTURES / "import"
NON_SEEDS = sorted(path.name for path in IMPORT_FIXTURES.glob("*.txt"))

# Where an imported seed differs from its hand-made file, and why. Every other field of the front
# matter, and the whole body, must be equal.
KNOWN_DIFFERENCES = {
    "topics": "the topics are the editor's classification: the text does not state them, so the "
              "importer writes `topics: []` and `check` warns (`no-topics`)",
    "attachments": "files the editor puts beside the document (the text only names them: \"Gửi kèm …\")",
}
# A local image the editor added to a sample body (guide 5.6): not in the source text.
_EDITOR_IMAGE = re.compile(r"^!\[[^\]]*\]\([^)]*\)\n\n?", re.MULTILINE)
ORDER_NOT_STATED = {
    ("002_9ee6e02dc63f817c.txt", "commemorations"):
        "the hand-made file lists the 2025 anniversaries in calendar order; the importer lists them in "
        "the order the text first names them (the 79th Quốc khánh comes first, in 1.1): same set",
}


def _recognise(text: str):
    return recognise(text, SITE.units, known_commemorations=SITE.commemorations, documents=DOCUMENTS)


def _sample(seed: str):
    return next(d for d in SITE.documents if d.slug == PAGES[seed])


@pytest.mark.parametrize("seed", sorted(PAGES))
def test_imported_seed_front_matter_is_the_hand_made_one(seed):
    result = _recognise((SEEDS / seed).read_text(encoding="utf-8"))
    imported = DocumentMeta.model_validate(result.front)  # also: valid as it stands
    sample = _sample(seed).meta
    assert result.unknown_units == ()
    for name in DocumentMeta.model_fields:
        if name in KNOWN_DIFFERENCES:
            continue
        mine, theirs = getattr(imported, name), getattr(sample, name)
        if (seed, name) in ORDER_NOT_STATED:
            mine, theirs = sorted(mine), sorted(theirs)
        assert mine == theirs, name
    assert all(0 <= value <= 1 for value in result.confidence.values())
    for name in ("number", "kind", "issuer", "implements", "duties", "distribution"):
        assert name in result.confidence


@pytest.mark.parametrize("seed", sorted(PAGES))
def test_imported_seed_body_is_the_hand_made_one(seed):
    text = (SEEDS / seed).read_text(encoding="utf-8")
    result = _recognise(text)
    assert result.body.strip() == _EDITOR_IMAGE.sub("", _sample(seed).body).strip()
    # And nothing of the text between the opening and "Nơi nhận" is lost on the way to HTML.
    body = squash(plain_text(render_markdown(result.body).html))
    lines = [line for line in (_clean(line) for line in text.splitlines()) if line]
    start = next(i for i, line in enumerate(lines) if line.startswith(FIRST_BODY_WORDS[seed]))
    assert [line for line in lines[start:lines.index("Nơi nhận:")] if line not in body] == []


def test_known_differences_are_only_unrecognised_editorial_fields():
    # A difference must be something the text does not state, never a field the importer got wrong.
    assert set(KNOWN_DIFFERENCES) <= {"topics", "summary", "attachments"}  # attachments: files, not text


@pytest.mark.parametrize("name", NON_SEEDS)
def test_non_seed_document_matches_its_reviewed_golden_file(name):
    source = IMPORT_FIXTURES / name
    result = _recognise(source.read_text(encoding="utf-8"))
    produced = document_text(result, source=name)
    golden = source.with_suffix(".expected.md")
    if os.environ.get("PORTAL_UPDATE_GOLDEN"):
        golden.write_text(produced, encoding="utf-8")
    assert produced == golden.read_text(encoding="utf-8")


def test_the_non_seed_hướng_dẫn_is_recognised_field_by_field():
    result = _recognise((IMPORT_FIXTURES / "huong-dan-95-nam-thanh-lap-dang.txt").read_text(encoding="utf-8"))
    front = result.front
    assert (front["number"], front["kind"], front["issuer"], front["place"], front["issued"]) == \
        ("205-HD/BTGTU", "huong-dan", "btg-tinh-uy-ba-ria-vung-tau", "Bà Rịa", "16/12/2024")
    assert front["title"] == ("Tuyên truyền kỷ niệm 95 năm Ngày thành lập Đảng Cộng sản Việt Nam "
                              "(03/02/1930 - 03/02/2025)")
    new_units = {unit.printed: unit.proposed_id for unit in result.unknown_units}
    assert new_units == {
        "Ban Tuyên giáo các huyện ủy, thị ủy, thành ủy, đảng ủy trực thuộc Tỉnh ủy":
            "ban-tuyen-giao-cac-huyen-uy-thi-uy-thanh-uy-dang",
        "Sở Thông tin và Truyền thông tỉnh": "so-thong-tin-va-truyen-thong-tinh"}
    assert front["recipients"] == ["btv-thanh-uy-vung-tau", *new_units.values()]
    assert [(c["number"], c["issued"]) for c in front["implements"]] == [("168-HD/BTGTW", "08/11/2024"),
                                                                          ("396-KH/TU", "25/11/2024")]
    assert front["phases"] == [
        {"name": "Đợt cao điểm từ ngày 15/01/2025 đến ngày 05/02/2025", "start": "15/01/2025", "end": "05/02/2025"},
        {"name": "Từ tháng 02/2025 đến hết năm 2025", "start": "01/02/2025", "end": "31/12/2025"}]
    assert [duty["unit"] for duty in front["duties"]] == ["btv-thanh-uy-vung-tau", *new_units.values()]
    assert [len(duty["tasks"]) for duty in front["duties"]] == [2, 2, 1]  # not the closing request
    # 19/8/1945 is three commemorations' day: the name decides (Cách mạng Tháng Tám).
    assert front["commemorations"] == ["thanh-lap-dang", "giai-phong-mien-nam", "ngay-sinh-ho-chi-minh",
                                       "cach-mang-thang-tam", "quoc-khanh", "truyen-thong-mat-tran"]
    assert [a.name for a in result.unknown_commemorations] == []  # 18/11/1930 is in the national list now
    assert front["signer"] == {"name": "Phạm Thị Thu Hà", "on_behalf": "K/T TRƯỞNG BAN", "position": "PHÓ TRƯỞNG BAN"}
    assert "**" not in result.body and "*những công trình, dự án trọng điểm của tỉnh*" in result.body
    assert "tin, bài về lịch sử vẻ vang" in result.body  # the page break is joined


def test_the_non_seed_đề_cương_is_recognised_field_by_field():
    result = _recognise((IMPORT_FIXTURES / "de-cuong-95-nam-thanh-lap-dang.txt").read_text(encoding="utf-8"))
    front = result.front
    assert (front["number"], front["kind"], front["issuer"], front["place"], front["issued"]) == \
        ("45-ĐC/BTGHU", "de-cuong", "btg-huyen-uy-luc-ngan", "Lục Ngạn", "06/01/2025")
    assert front["implements"] == [{"number": "152-HD/BTGTU", "kind": "huong-dan", "issuer": "btg-tinh-uy-bac-giang",
                                    "issued": "18/12/2024",
                                    "title": "về tuyên truyền kỷ niệm 95 năm Ngày thành lập Đảng Cộng sản Việt Nam"}]
    assert front["commemorations"] == ["thanh-lap-dang"]
    assert "duties" not in front and "signer" not in front and result.unknown_units == ()
    assert "khủng hoảng sâu sắc về đường lối cứu nước." in result.body
    assert "\n  - Vị thế, uy tín của Việt Nam" in result.body  # "+ " is a nested item
    assert "3\\. Chủ tịch Hồ Chí Minh" in result.body  # a slogan is not a heading
    assert "BAN TUYÊN GIÁO HUYỆN ỦY LỤC NGẠN" not in result.body  # the closing line is not body text


def test_a_document_without_opening_or_nơi_nhận():
    """No "Căn cứ/Thực hiện …": the body starts at the first section after "Kính gửi"; no "Nơi
    nhận": the signature block at the end is still the signer, and not body text."""
    text = (IMPORT_FIXTURES / "huong-dan-95-nam-thanh-lap-dang.txt").read_text(encoding="utf-8")
    text = text[:text.index("Căn cứ")] + text[text.index("I. MỤC ĐÍCH"):]
    text = text[:text.index("Nơi nhận:")] + text[text.index("K/T TRƯỞNG BAN"):]
    result = _recognise(text)
    assert result.body.startswith("## I. MỤC ĐÍCH, YÊU CẦU\n")
    assert result.body.rstrip().endswith("trước ngày 10/02/2025./.")
    assert result.front["signer"] == {"name": "Phạm Thị Thu Hà", "on_behalf": "K/T TRƯỞNG BAN",
                                      "position": "PHÓ TRƯỞNG BAN"}
    assert result.front["issuer"] == "btg-tinh-uy-ba-ria-vung-tau" and "implements" not in result.front


# ---------------------------------------------------------------- the command


def _content_without(slug: str | None, tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    if slug:
        (content / "documents" / f"{slug}.md").unlink()  # its number would be a duplicate
    return content


def _import(content: Path, source: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "import", str(source), "--content", str(content),
                           *extra], capture_output=True, text=True, timeout=120)


def _check(content: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "check", "--content", str(content)],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("seed", sorted(PAGES))
def test_importing_a_seed_gives_a_file_that_passes_check(seed, tmp_path):
    content = _content_without(PAGES[seed], tmp_path)
    first = _import(content, SEEDS / seed)
    assert first.returncode == 0, first.stderr
    assert "Traceback" not in first.stderr
    assert "number: 95%" in first.stderr or "number: 40%" in first.stderr  # confidences are printed
    assert "Kết quả kiểm tra tệp mới" in first.stderr and "0 lỗi" in first.stderr
    checked = _check(content)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_import_never_overwrites(tmp_path):
    content = _content_without("443-kh-tu-vung-tau-chu-de-lon-dai-hoi-xiv", tmp_path)
    command = (content, SEEDS / "002_9ee6e02dc63f817c.txt", "--slug", "ke-hoach-443")
    assert _import(*command).returncode == 0
    written = (content / "documents" / "ke-hoach-443.md").read_bytes()
    again = _import(*command)
    assert again.returncode == 1 and "đã có" in again.stderr
    assert (content / "documents" / "ke-hoach-443.md").read_bytes() == written


def test_units_are_still_matched_while_another_document_has_errors(tmp_path):
    """An imported file with an unknown unit is an error in the site; the next import must still
    match names against units.yaml (it once matched nothing while the site had any error)."""
    content = _content_without("443-kh-tu-vung-tau-chu-de-lon-dai-hoi-xiv", tmp_path)
    (content / "documents" / "hong.md").write_text("---\nkind: ke-hoach\ntitle: Hỏng\nissuer: khong-co\n---\nx\n",
                                                  encoding="utf-8")
    imported = _import(content, SEEDS / "002_9ee6e02dc63f817c.txt", "--slug", "ke-hoach-443")
    assert imported.returncode == 0, imported.stderr
    front = yaml.safe_load((content / "documents" / "ke-hoach-443.md").read_text(encoding="utf-8").split("---")[1])
    assert front["issuer"] == "btv-thanh-uy-vung-tau"
    assert "quoc-khanh" in front["commemorations"]


@pytest.mark.parametrize("name", NON_SEEDS)
def test_a_non_seed_passes_check_after_adding_the_units_it_reports(name, tmp_path):
    content = _content_without(None, tmp_path)
    imported = _import(content, IMPORT_FIXTURES / name)
    assert imported.returncode == 0, imported.stderr
    result = _recognise((IMPORT_FIXTURES / name).read_text(encoding="utf-8"))
    if result.unknown_units:
        assert "[unknown-unit]" in imported.stderr  # check names what still needs the editor
        snippet = units_yaml_snippet(result)
        assert snippet.strip() in re.sub(r"(?m)^  ", "", imported.stderr)  # printed ready to paste
        with open(content / "units.yaml", "a", encoding="utf-8") as units:
            units.write("\n" + snippet)
    checked = _check(content)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_command_reports_bad_input_without_traceback(tmp_path):
    content = _content_without(None, tmp_path)
    old_word = tmp_path / "cong-van.doc"
    old_word.write_bytes(b"\xd0\xcf\x11\xe0 not a docx")
    broken = tmp_path / "hong.docx"
    broken.write_bytes(b"PK\x03\x04 broken zip")
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Kính gửi".encode("cp1258", errors="replace") + b"\xff\xfe")
    for source, expected in ((old_word, "lưu lại dạng .docx"), (broken, "[not-docx]"), (latin1, "[unknown-encoding]"),
                             (tmp_path / "khong-co.txt", "không có tệp")):
        result = _import(content, source)
        assert result.returncode == 1, source
        assert expected in result.stderr and "Traceback" not in result.stderr
    wrong_kind = _import(content, SEEDS / "002_9ee6e02dc63f817c.txt", "--kind", "ke_hoach")
    assert wrong_kind.returncode == 2 and "loại văn bản `ke_hoach` không có" in wrong_kind.stderr
    for slug in ("../thoat", "/tmp/thoat", "Có Dấu"):  # a slug is a file name in documents/, nothing else
        result = _import(content, SEEDS / "002_9ee6e02dc63f817c.txt", "--slug", slug)
        assert result.returncode == 1 and "không dùng được làm tên tệp" in result.stderr
    assert not list(tmp_path.glob("thoat*")) and not list(content.glob("thoat*"))
    assert sorted(p.name for p in (content / "documents").iterdir()) == \
        sorted(p.name for p in (SAMPLE_CONTENT / "documents").iterdir())


# ---------------------------------------------------------------- the parts


def _names(text: str) -> UnitNames:
    return UnitNames.for_document(SITE.units, text)


def test_a_unit_named_without_its_place_is_the_one_of_the_place_the_text_names():
    assert _names("… quê hương Lục Ngạn …").match("Ban Tuyên giáo Huyện ủy").unit_id == "btg-huyen-uy-luc-ngan"
    assert _names("(văn bản không nêu tên huyện)").match("Ban Tuyên giáo huyện ủy").unit_id == "btg-huyen-uy-chua-ro"
    # Another province's unit is never picked because the words are close.
    assert _names("tỉnh Bà Rịa - Vũng Tàu").match("Ban Tuyên giáo Tỉnh ủy Bắc Giang") is None
    # Levels differ: a province's board is not a district's.
    assert _names("không rõ").match("Ban Tuyên giáo Tỉnh ủy") is None
    # Abbreviations, folded case and marks, courtesy words and "(b/c)".
    vung_tau = _names("thành phố Vũng Tàu")
    assert vung_tau.match("Thường trực UBND Thành phố,").unit_id == "ubnd-vung-tau"
    assert vung_tau.match("UBMTTQVN và các đoàn thể chính trị - xã hội TP.").unit_id == "mttq-vung-tau"
    assert vung_tau.match("Thường trực HĐND Thành phố") is None  # the council is not the committee
    lang_son = _names("Lạng Sơn")
    assert lang_son.match("Các đơn vị trực thuộc Sở;").unit_id == "don-vi-thuoc-so-vhttdl-lang-son"
    assert _names("Lục Ngạn").find_in("Thường trực Huyện ủy, HĐND, UBND huyện,") == ("ubnd-huyen-luc-ngan",)


def test_paragraphs_join_page_breaks_but_not_finished_paragraphs():
    long = "Những kết quả đạt được trong năm đầu tiên triển khai thực hiện nghị quyết đại hội đảng bộ các cấp " \
           "và các chương trình, kế hoạch của tỉnh, của huyện nhiệm kỳ"
    assert paragraphs([long + " 2020 -", "", "2025, Nghị quyết Đại hội XIII."]) == [
        long + " 2020 - 2025, Nghị quyết Đại hội XIII."]
    assert paragraphs([long + " tư tưởng Hồ Chí", "", "Minh trong việc …"]) == [
        long + " tư tưởng Hồ Chí Minh trong việc …"]
    assert len(paragraphs([long + " năm 2023", "", "Sở Văn hóa yêu cầu …"])) == 2
    assert len(paragraphs(["1. Mục đích", "", "Bám sát nội dung Kế hoạch này."])) == 2
    # Lines of one paragraph are joined, but a new item on the next line starts a new paragraph.
    assert paragraphs(["- một", "tiếp", "- hai"]) == ["- một tiếp", "- hai"]


def test_outline_titles_and_numbered_paragraphs():
    blocks = outline(["I- MỤC ĐÍCH", "", "1. Mục đích", "", "1.1. Phòng Văn hóa và Thông tin: Quản lý chặt …",
                      "", "2. Các hoạt động tuyên truyền phải bám sát sự chỉ đạo của Trung ương.", "",
                      "3. Đảng Cộng sản Việt Nam quang vinh muôn năm!"])
    assert [(b.kind, b.number, b.is_title) for b in blocks] == [
        (Kind.SECTION, "I-", True), (Kind.NUMBERED, "1", True), (Kind.NUMBERED, "1.1", True),
        (Kind.PARAGRAPH, "", False), (Kind.NUMBERED, "2", False), (Kind.NUMBERED, "3", False)]


@pytest.mark.parametrize("name, dates", [
    ("Giai đoạn từ nay đến hết năm 2024", {"end": "31/12/2024"}),
    ("Giai đoạn từ năm 2025 đến Đại hội XIV của Đảng", {"start": "01/01/2025"}),
    ("Năm 2022 và các năm tiếp theo", {"start": "01/01/2022"}),
    ("Trong năm 2025", {"start": "01/01/2025", "end": "31/12/2025"}),
    ("Từ tháng 10/2024 đến tháng 02/2025", {"start": "01/10/2024", "end": "28/02/2025"}),
    ("Đợt 1 từ ngày 15/01/2025 đến ngày 31/02/2025", {"start": "15/01/2025"}),  # an impossible date is left out
    ("Trước và trong ngày bầu cử", {}),
])
def test_phase_dates_are_what_the_words_give(name, dates):
    assert {key: value.strftime("%d/%m/%Y") for key, value in phase_dates(name).items()} == dates


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([
    "Số 12-KH/TU", "KẾ HOẠCH", "V/v", "Kính gửi:", "- ", "+ ", "Nơi nhận:", "I. ", "IV. TỔ CHỨC THỰC HIỆN", "1. ",
    "1.1. ", "Thực hiện Kế hoạch số 1-KH/TU ngày 31/02/2024 của ", "Ban Thường vụ Huyện ủy", "ban hành",
    "Giai đoạn từ tháng 13/2024 đến hết năm 2024", "95 năm Ngày (03/02/1930-03/02/2025)",
    "Lạng Sơn, ngày 31 tháng 2 năm 2023",
    "**", "*", "|", "## ", "T/M", ":", ";", ",", ".", "\n", "\n\n", " ", "đ", "Đề nghị ", "chỉ đạo",
]), max_size=40))
def test_recognise_never_raises(parts):
    result = _recognise("".join(parts))
    assert isinstance(result.body, str)
    yaml.safe_load(document_text(result).split("---")[1])  # the front matter it writes is YAML
