"""The official print (A4): each seed document printed to PDF by Debian's Chromium, its text read
back with pypdf. Nghị định 30/2020/NĐ-CP for State bodies, Hướng dẫn 36-HD/VPTW for Party ones.

The PDFs and a print-emulation screenshot of each go to tests/artifacts/ (git-ignored) for a
person to look at.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from portal.content.models import Unit
from portal.render.official import split_place

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTIFACTS = Path(__file__).parent / "artifacts"
PARTY_PLAN = "van-ban/443-kh-tu-vung-tau-chu-de-lon-dai-hoi-xiv/"
PARTY_PLAN_2021 = "van-ban/kh-luc-ngan-tuyen-truyen-sau-dai-hoi-xiii/"
STATE_LETTER = "van-ban/cv-so-vhttdl-lang-son-xay-dung-dang-2023/"
PARTY_LETTER = "van-ban/cv-huyen-uy-tuyen-truyen-nghi-quyet-dai-hoi-xiii/"
SEEDS = (PARTY_PLAN, PARTY_PLAN_2021, STATE_LETTER, PARTY_LETTER)
# Editors' notes the screen shows and paper must not.
NOTES = ("Bản sao không ghi", "Bản gốc không ghi trích yếu", "chưa ghi ngày", "Chưa có số", "Toàn văn",
         "Thông tin văn bản", "In văn bản")


def _pdf_pages(browser, server, path: str) -> list[str]:
    pypdf = pytest.importorskip("pypdf")
    page = browser.new_page()
    response = page.goto(server + path)
    assert response is not None and response.status == 200
    data = page.pdf(prefer_css_page_size=True)
    ARTIFACTS.mkdir(exist_ok=True)
    name = path.strip("/").split("/")[-1]
    (ARTIFACTS / f"print-{name}.pdf").write_bytes(data)
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    page.screenshot(path=str(ARTIFACTS / f"print-{name}.png"), full_page=True)
    page.close()
    reader = pypdf.PdfReader(io.BytesIO(data))
    return [(p.extract_text() or "").replace("\u00a0", " ") for p in reader.pages]


def _in_order(text: str, *needles: str) -> None:
    position = -1
    for needle in needles:
        found = text.find(needle, position + 1)
        assert found > position, f"{needle!r} not after the previous part (text: {text[:600]!r})"
        position = found


def _flat(text: str) -> str:
    return " ".join(text.split())


def _closing(text: str, *signer: str, distribution: tuple[str, ...]) -> None:
    """After the body: the signer block, then Nơi nhận (side by side on paper as the decree lays
    them out, Nơi nhận left and the signer right; the PDF's text has the signer first)."""
    end = max(text.find(line) for line in (*signer, *distribution))
    assert all(text.find(line) >= 0 for line in (*signer, *distribution)), text[-600:]
    _in_order(text[end - 800:], *signer, *distribution)


def test_state_letter_prints_header_number_subject_recipients_body_signer_distribution(browser, server):
    pages = _pdf_pages(browser, server, STATE_LETTER)
    text = _flat(" ".join(pages))
    _in_order(text, "UBND TỈNH LẠNG SƠN", "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "Số: /SVHTTDL-QLVHGĐ",
              "V/v triển khai thực hiện Kế hoạch số 113-KH/TU", "Kính gửi:",
              "Phòng Văn hóa và Thông tin các huyện, thành phố", "Thực hiện Công văn số 637-CV/BCSD",
              "NỘI DUNG TUYÊN TRUYỀN", "triển khai thực hiện tuyên truyền đạt kết quả./.")
    _closing(text, "KT.GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Phan Văn Hòa", distribution=("Nơi nhận:", "Lưu: VT"))
    assert text.index("Nơi nhận:") > text.index("đạt kết quả./.")
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "Lạng Sơn, ngày tháng năm 2023" in text  # the day left blank, as printed
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in text
    for note in NOTES:
        assert note not in text


def test_party_letter_without_number_place_or_date_prints_none_of_them(browser, server):
    text = _flat(" ".join(_pdf_pages(browser, server, PARTY_LETTER)))
    _in_order(text, "HUYỆN ỦY", "ĐẢNG CỘNG SẢN VIỆT NAM", "Kính gửi:", "Ủy ban MTTQVN và các đoàn thể",
              "Thực hiện Công văn số 1232-CV/BTGTU", "gây tâm lý hoang mang trong Nhân dân.")
    _closing(text, "T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "K' Linh", distribution=("Nơi nhận:", "Như kính gửi"))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA" not in text
    assert "Số" not in text.split("Kính gửi")[0]  # the copy prints no number: none is made up
    assert "V/v" not in text  # the copy has no subject line; the title the editor gave is not printed
    for note in NOTES:
        assert note not in text


@pytest.mark.parametrize("path", [PARTY_PLAN, PARTY_PLAN_2021])
def test_party_plan_prints_the_party_title_kind_and_title(browser, server, path):
    pages = _pdf_pages(browser, server, path)
    text = _flat(" ".join(pages))
    _in_order(text, "ĐẢNG BỘ TỈNH", "ĐẢNG CỘNG SẢN VIỆT NAM", "KẾ HOẠCH", "MỤC ĐÍCH, YÊU CẦU", "Nơi nhận:")
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA" not in text
    for note in NOTES:
        assert note not in text


def test_issuer_name_is_never_broken_and_pages_are_numbered_from_two(browser, server):
    pages = _pdf_pages(browser, server, PARTY_PLAN)
    assert len(pages) >= 3
    first = pages[0]
    assert "THÀNH ỦY VŨNG TÀU" in first  # on one line: no break between VŨNG and TÀU
    assert "BÀ RỊA - VŨNG TÀU" in first
    assert "Số 443-KH/TU" in first  # Party documents: "Số" without a colon
    source = "Nguồn: https://tuyengiao.example.vn/" + PARTY_PLAN
    for number, text in enumerate(pages, start=1):
        assert source in _flat(text), f"page {number} lacks the source URL"
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        numbered = str(number) in lines
        assert numbered == (number > 1), f"page {number}: page number {'missing' if number > 1 else 'on page 1'}"


def test_party_or_state_comes_from_the_unit():
    assert Unit(id="a", name="Ban Thường vụ Huyện ủy Lục Ngạn").is_party
    assert Unit(id="a", name="Ban cán sự đảng Ủy ban nhân dân tỉnh Lạng Sơn").is_party
    assert not Unit(id="a", name="Ủy ban nhân dân thành phố Vũng Tàu").is_party
    assert not Unit(id="a", name="Sở Văn hóa, Thể thao và Du lịch tỉnh Lạng Sơn").is_party
    assert not Unit(id="a", name="Ban Thường vụ Huyện ủy", system="nha-nuoc").is_party
    assert split_place("THÀNH ỦY VŨNG TÀU") == ("THÀNH ỦY", "VŨNG TÀU")
    assert split_place("ĐẢNG BỘ TỈNH BÀ RỊA - VŨNG TÀU") == ("ĐẢNG BỘ TỈNH", "BÀ RỊA - VŨNG TÀU")
    assert split_place("SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH") == ("SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "")


def test_a_letterhead_of_more_than_three_lines_is_an_error_at_its_line(tmp_path):
    import shutil

    from conftest import SAMPLE_CONTENT
    from portal.pipeline import BuildOptions, check_content

    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    units = content / "units.yaml"
    text = units.read_text(encoding="utf-8")
    units.write_text(text.replace('  letterhead: ["HUYỆN ỦY"]', '  letterhead: [A, B, C, D]'), encoding="utf-8")
    line = next(n for n, row in enumerate(units.read_text(encoding="utf-8").splitlines(), 1) if "[A, B, C, D]" in row)
    _, diagnostics = check_content(BuildOptions(content=content, out=tmp_path / "out", today=None))
    found = [d for d in diagnostics if d.is_error]
    assert [(d.code, d.line) for d in found] == [("too-long", line)], [d.format() for d in found]
    assert "letterhead" in found[0].message and found[0].hint
