"""The importer on the general rules of Vietnamese official documents: one short text per failure
class met on real documents (issue 20), each written for the test (names, numbers and dates
invented), so the rules are checked, not the documents they were found in."""

from __future__ import annotations

import pytest

from conftest import SAMPLE_CONTENT
from portal.authoring.importer import (
    KnownDocument,
    commemorations_yaml_snippet,
    document_text,
    known_documents,
    recognise,
    report,
    units_yaml_snippet,
)
from portal.authoring.official import CaseLexicon, number_form, number_of_line
from portal.authoring.vietnamese import standard_tones
from portal.content.validate import validate_content
from portal.load.files import load_content

SITE, _ = validate_content(load_content(SAMPLE_CONTENT))
DOCUMENTS = known_documents(document.data for document in load_content(SAMPLE_CONTENT).documents)


def _read(text: str):
    return recognise(text, SITE.units, known_commemorations=SITE.commemorations, documents=DOCUMENTS)


def _proposed(result, unit_id: str) -> str:
    return next(unit.printed for unit in result.unknown_units if unit.proposed_id == unit_id)


# ---------------------------------------------------------------- numbers


@pytest.mark.parametrize(("printed", "number"), [
    ("Số 69 – HD/BTGTW", "69-HD/BTGTW"), ("Số: 30 - KH/HU", "30-KH/HU"), ("Số:  25 /KH-UBND", "25/KH-UBND"),
    ("Số 398/ SVHTTDL-QLVH", "398/SVHTTDL-QLVH"), ("Số: 07 /KH-Đ.U", "07/KH-ĐU"), ("1911/BVHTTDL-VHCS",
                                                                                    "1911/BVHTTDL-VHCS"),
    ("Số: /UBND-VP", "/UBND-VP"), ("Số: 45/2021/NĐ-CP", "45/2021/NĐ-CP"), ("Số 17—KH/ThU", "17-KH/ThU"),
])
def test_number_shapes_with_spaces_and_any_dash(printed, number):
    assert number_of_line(printed) == number


def test_a_bare_number_is_no_document_number():
    assert number_of_line("Số 30") is None and number_of_line("/ABC") is None
    assert number_form(" 12 – KH / HU.") == "12-KH/HU"


def test_spaced_numbers_are_read_whole_in_the_header_and_the_citations():
    result = _read("ỦY BAN NHÂN DÂN\nXÃ AN PHÚ\n\nSố:  14 /KH-UBND\n\nAn Phú, ngày 03 tháng 3 năm 2023\n\n"
                   "KẾ HOẠCH\nTổ chức Ngày hội văn hóa xã năm 2023\n\n"
                   "Thực hiện Kế hoạch số 21 - KH/HU ngày 02/02/2023 của Ban Thường vụ Huyện ủy; Công văn số 77/ "
                   "SVHTTDL-QLVH, ngày 10/02/2023 của Sở Văn hóa, Thể thao và Du lịch, UBND xã xây dựng kế hoạch "
                   "như sau:\n\nI. MỤC ĐÍCH\n\n1. Tuyên truyền.\n")
    assert result.front["number"] == "14/KH-UBND"
    assert [entry["number"] for entry in result.front["implements"]] == ["21-KH/HU", "77/SVHTTDL-QLVH"]


# ---------------------------------------------------------------- headers


def test_superior_body_over_issuer_and_the_party_name_opposite():
    result = _read("BAN CHẤP HÀNH TRUNG ƯƠNG\nBAN DÂN VẬN\n-------\n\nĐẢNG CỘNG SẢN VIỆT NAM\n---------------\n\n"
                   "Số: 12-HD/BDVTW\n\nHà Nội, ngày 02 tháng 01 năm 2024\n\nHƯỚNG DẪN\n\n"
                   "CÔNG TÁC DÂN VẬN NĂM 2024\n\nCăn cứ Quy định số 01-QĐi/TW, ngày 03/03/2022 của Ban Bí thư;\n")
    assert result.front["number"] == "12-HD/BDVTW" and result.front["kind"] == "huong-dan"
    assert _proposed(result, result.front["issuer"]) == "Ban Dân vận Trung ương"
    assert result.front["place"] == "Hà Nội" and result.front["issued"] == "02/01/2024"
    assert result.front["title"] == "Công tác dân vận năm 2024"


def test_old_style_tone_placement_and_a_table_pasted_with_bars():
    result = _read("UỶ BAN NHÂN DÂN | CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                   "HUYỆN ĐÔNG HOÀ | Độc lập - Tự do - Hạnh phúc\n"
                   "Số: 05/KH-UBND | Đông Hoà, ngày 09 tháng 9 năm 2022\n\nKẾ HOẠCH\nTuyên truyền Ngày Quốc khánh\n\n"
                   "Thực hiện Kế hoạch số 8-KH/TU ngày 01/8/2022 của Tỉnh ủy, UBND huyện xây dựng kế hoạch.\n")
    assert result.front["number"] == "05/KH-UBND" and result.front["place"] == "Đông Hoà"
    assert _proposed(result, result.front["issuer"]) == "Ủy ban nhân dân huyện Đông Hòa"
    assert standard_tones("Uỷ ban, hoá, hoà, thuỷ, quý, hoàng, hoặc") == "Ủy ban, hóa, hòa, thủy, quý, hoàng, hoặc"


def test_a_website_lead_above_the_header_is_not_the_opening():
    result = _read("Kế hoạch chào mừng Ngày Nhà giáo\n\n"
                   "Thực hiện Kế hoạch số 9-KH/ĐU của Đảng ủy Khối, Chi bộ Trường Tiểu học Hòa Bình xây dựng "
                   "kế hoạch.\n\n"
                   "ĐẢNG BỘ KHỐI CƠ QUAN\nCHI BỘ TRƯỜNG TIỂU HỌC HÒA BÌNH\n*\nSố: 03-KH/CB\n\n"
                   "ĐẢNG CỘNG SẢN VIỆT NAM\n      Hòa Bình, ngày 01   tháng  11  năm 2023\n\nKẾ HOẠCH\n"
                   "Tổ chức các hoạt động chào mừng Ngày Nhà giáo Việt Nam\n\n"
                   "Thực hiện Kế hoạch số 9-KH/ĐU ngày 20/10/2023 của Đảng ủy Khối;\n\n"
                   "Chi bộ xây dựng kế hoạch như sau:\n\nI. MỤC ĐÍCH, YÊU CẦU\n\n1. Mục đích\n")
    assert result.front["number"] == "03-KH/CB" and result.front["kind"] == "ke-hoach"
    assert result.front["title"] == "Tổ chức các hoạt động chào mừng Ngày Nhà giáo Việt Nam"
    assert result.front["place"] == "Hòa Bình" and result.front["issued"] == "01/11/2023"
    assert result.body.startswith("Thực hiện Kế hoạch số 9-KH/ĐU ngày 20/10/2023")
    assert "Kế hoạch chào mừng" not in result.body


def test_a_news_lead_names_the_document_and_does_not_make_it_implement_itself():
    result = _read("Hướng dẫn tuyên truyền tháng 9/2023\n\n"
                   "Ngày 05/9, Đảng ủy Khối Doanh nghiệp tỉnh ban hành văn bản số 210-CV/ĐUK hướng dẫn tuyên truyền "
                   "tháng 9/2023.\n\nTheo đó, Đảng ủy Khối yêu cầu các chi bộ trực thuộc thực hiện tốt công tác "
                   "tuyên truyền theo Hướng dẫn số 41-HD/BTGTU, ngày 30/8/2023 của Ban Tuyên giáo Tỉnh ủy.\n")
    assert result.front["number"] == "210-CV/ĐUK" and result.front["kind"] == "cong-van"
    assert result.front["title"] == "Hướng dẫn tuyên truyền tháng 9/2023"
    assert result.front["issued"] == "05/09/2023"
    assert [entry["number"] for entry in result.front["implements"]] == ["41-HD/BTGTU"]
    assert _proposed(result, result.front["issuer"]) == "Đảng ủy Khối Doanh nghiệp tỉnh"


def test_a_website_trailer_is_stripped():
    result = _read("V/v treo cờ\n\nKính gửi: Các thôn\n\n1. Treo cờ từ ngày 01/9/2023.\n\n"
                   "thong-bao-treo-co(2023_08_30).pdf\n")
    assert ".pdf" not in result.body


# ---------------------------------------------------------------- titles


def test_a_v_v_title_ends_before_the_quoc_hieu_copied_under_it():
    result = _read("UBND TỈNH AN LẠC\nSỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH\nSố: 7/SVHTTDL-QLVH\n"
                   "V/v treo cờ dịp Tết Nguyên đán\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                   "Độc lập - Tự do - Hạnh phúc\n\n"
                   "An Lạc, ngày 02 tháng 01 năm 2027\n\nKính gửi: Các phòng thuộc Sở\n\nThực hiện chỉ đạo.\n")
    assert result.front["title"] == "treo cờ dịp Tết Nguyên đán"


@pytest.mark.parametrize(("header", "issuer"), [
    ("UBND HUYỆN HÒA MỸ\nPHÒNG VĂN HÓA VÀ THÔNG TIN", "Phòng Văn hóa và Thông tin huyện Hòa Mỹ"),
    ("ỦY BAN NHÂN DÂN TỈNH AN LẠC\nSỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "Sở Văn hóa, Thể thao và Du lịch tỉnh An Lạc"),
])
def test_a_committees_own_body_is_the_body_of_its_place(header, issuer):
    """A sở or phòng under "UBND TỈNH/HUYỆN …" is that place's, even when the opening names it without."""
    result = _read(f"{header}\nSố: 18/KH-VHTT\n\nKẾ HOẠCH\nTuyên truyền\n\nCăn cứ Kế hoạch số 9/KH-UBND; "
                   "Phòng Văn hóa và Thông tin huyện xây dựng kế hoạch như sau:\n\n1. Tuyên truyền.\n")
    assert _proposed(result, result.front["issuer"]) == issuer


def test_a_header_in_capitals_keeps_its_abbreviations_and_is_not_doubled_by_its_signer():
    """"BCH ĐOÀN TRƯỜNG THPT …" signed "TM. BAN CHẤP HÀNH" is that Ban Chấp hành, not "Ban Chấp
    hành BCH …"; "THPT", "UBND", Roman numerals stay in capitals when the rest is sentence case."""
    result = _read("ĐOÀN TNCS HỒ CHÍ MINH\nBCH ĐOÀN TRƯỜNG THPT AN LẠC\n\nSố: 3-KH/ĐTN\n\nKẾ HOẠCH\n"
                   "TUYÊN TRUYỀN ĐẠI HỘI XIV CỦA ĐẢNG TẠI TRƯỜNG THPT\n\nThực hiện Kế hoạch số 2-KH/HĐTN, Ban Chấp "
                   "hành Đoàn trường xây dựng kế hoạch.\n\n1. Tuyên truyền.\n\nTM. BAN CHẤP HÀNH\nBÍ THƯ\n\n"
                   "Lê Thị Hoa\n")
    printed = _proposed(result, result.front["issuer"])
    assert printed.startswith("BCH ") and " THPT " in printed and "chấp hành" not in printed.lower()
    assert result.front["title"] == "Tuyên truyền đại hội XIV của Đảng tại trường THPT"


def test_titles_lose_separators_numbers_and_the_next_section():
    result = _read("BAN TUYÊN GIÁO\n*\nSố 7-HD/BTG\n\nHƯỚNG DẪN 7-HD/BTG\n\nTuyên truyền Tết Nguyên đán 2024\n—–\n\n"
                   "Căn cứ Kết luận số 12-KL/TW, ngày 01/01/2022 của Bộ Chính trị;\n")
    assert result.front["title"] == "Tuyên truyền Tết Nguyên đán 2024"
    repeated = _read("THÔNG BÁO VỀ VIỆC NGHỈ TẾT\nThứ Hai, 02/01/2024\nTHÔNG BÁO VỀ VIỆC NGHỈ TẾT\n"
                     "Thực hiện Kế hoạch số 3/KH-UBND ngày 01/01/2024 của UBND xã.\n")
    # A website prints the heading twice, with its posting date between: the title stops at them.
    assert repeated.front["title"] == "Về việc nghỉ tết" and repeated.front["kind"] == "thong-bao"


def test_a_title_in_capitals_keeps_its_proper_names():
    lexicon = CaseLexicon.of(tuple(unit.name for unit in SITE.units) + tuple(c.name for c in SITE.commemorations))
    assert lexicon.sentence_case("KỶ NIỆM 96 NĂM NGÀY THÀNH LẬP ĐẢNG CỘNG SẢN VIỆT NAM") \
        == "Kỷ niệm 96 năm Ngày thành lập Đảng Cộng sản Việt Nam"
    assert lexicon.sentence_case("TUYÊN TRUYỀN VỀ CHỦ TỊCH HỒ CHÍ MINH VÀ MẶT TRẬN TỔ QUỐC VIỆT NAM") \
        == "Tuyên truyền về Chủ tịch Hồ Chí Minh và Mặt trận Tổ quốc Việt Nam"
    assert lexicon.sentence_case("ỦY BAN NHÂN DÂN XÃ TÂN LẬP") == "Ủy ban nhân dân xã Tân Lập"


# ---------------------------------------------------------------- citations


def test_citations_of_every_kind_and_case_and_the_basis_apart():
    result = _read("Số 3-HD/BTG\n\nHƯỚNG DẪN\nTuyên truyền\n\n"
                   "Căn cứ Quyết định số 88-QĐ/TW, ngày 01/12/2022 của Bộ Chính trị; Nghị định số 145/2013/NĐ-CP , "
                   "ngày 29/10/2013 của Chính phủ; Quy định số 9-QĐi/TW; Kết luận số 8-KL/TW;\n\n"
                   "Thực hiện hướng dẫn số 5-HD/BTGTW, ngày 02/01/2024 và Quyết định 2020/QĐ-TTg của Thủ tướng;\n\n"
                   "Ban Tuyên giáo hướng dẫn như sau:\n")
    numbers = [entry["number"] for entry in result.front["implements"]]
    assert numbers == ["88-QĐ/TW", "145/2013/NĐ-CP", "9-QĐi/TW", "8-KL/TW", "5-HD/BTGTW", "2020/QĐ-TTg"]
    assert set(result.cited_only) == {"88-QĐ/TW", "145/2013/NĐ-CP", "9-QĐi/TW", "8-KL/TW"}
    assert result.front["implements"][4]["issued"] == "02/01/2024"
    assert any("chỉ được căn cứ" in line for line in report(result))


# ---------------------------------------------------------------- commemorations


def test_commemorations_in_capitals_without_range_unclosed_lunar_and_unknown():
    result = _read("KẾ HOẠCH\nTuyên truyền\n\nThực hiện Kế hoạch số 1-KH/HU ngày 01/3/2026 của Huyện ủy về kỷ niệm "
                   "51 NĂM NGÀY GIẢI PHÓNG MIỀN NAM, THỐNG NHẤT ĐẤT NƯỚC (30/4/1975 - 30/4/2026; 72 năm ngày Chiến "
                   "thắng Điện Biên Phủ 07/5/1954; Giỗ Tổ Hùng Vương (10/3 âm lịch); 156 ngày sinh nhà thơ Lê Văn A "
                   "(12/6/1870 – 12/6/2026); 140 năm Ngày thành lập làng nghề Bình Minh (13/6/1886 - 13/6/2026).\n")
    assert result.front["commemorations"] == ["giai-phong-mien-nam", "chien-thang-dien-bien-phu", "gio-to-hung-vuong"]
    unknown = {a.shown_date: a for a in result.unknown_commemorations}
    assert set(unknown) == {"12/06/1870", "13/06/1886"}
    snippet = commemorations_yaml_snippet(result)
    assert 'date: "13/06"\n  year: 1886' in snippet and "name: Ngày thành lập làng nghề Bình Minh" in snippet


def test_a_range_of_one_day_in_two_years_is_an_anniversary_without_its_count():
    result = _read("KẾ HOẠCH\nTuyên truyền kỷ niệm 81 năm Cách mạng Tháng Tám thành công (19/8/1945 - 19/8/2026) và "
                   "Quốc khánh nước Cộng hòa xã hội chủ nghĩa Việt Nam (02/9/1945 - 02/9/2026); Ngày hội làng Đông "
                   "Xá (12/6/1926 - 12/6/2026)\n\nThực hiện Kế hoạch số 7-KH/HU, UBND xã xây dựng kế hoạch.\n")
    assert result.front["commemorations"] == ["cach-mang-thang-tam", "quoc-khanh"]
    [village] = result.unknown_commemorations
    assert (village.name, village.years, village.shown_date) == ("Ngày hội làng Đông Xá", 100, "12/06/1926")


def test_the_title_names_a_commemoration_without_its_date():
    """The trích yếu says what the document is for ("… dịp Tết Nguyên đán …"); the body's passing
    mention of a name ("sau Tết Nguyên đán") is no commemoration of the document."""
    result = _read("UBND HUYỆN AN LẠC\nSố: 4/UBND-VHTT\nV/v treo cờ dịp Tết Nguyên đán Đinh Mùi\n\n"
                   "An Lạc, ngày 05 tháng 01 năm 2027\n\nKính gửi: UBND các xã\n\nThực hiện chỉ đạo của UBND tỉnh, "
                   "UBND huyện đề nghị treo cờ.\n\n1. Sau ngày Giỗ Tổ Hùng Vương, báo cáo kết quả.\n")
    assert result.front["commemorations"] == ["tet-nguyen-dan"]
    assert "commemorations" not in _read("KẾ HOẠCH\nTổng kết công tác năm 2026\n\nThực hiện Kế hoạch số 2-KH/HU, "
                                         "sau Tết Nguyên đán tổ chức hội nghị.\n").front


@pytest.mark.parametrize(("year", "found"), [(2019, True), (2020, True), (2027, False)])
def test_an_anniversary_without_range_is_tied_to_the_documents_year(year, found):
    """"30 năm tái lập tỉnh 01/7/1989" is the anniversary of 2019 (planned from December 2018): a
    2027 document names it in passing, not as what it celebrates."""
    result = _read(f"UBND TỈNH AN LẠC\nSố: 9/KH-UBND\n\nAn Lạc, ngày 15 tháng 12 năm {year - 1}\n\nKẾ HOẠCH\n"
                   "Tuyên truyền\n\nThực hiện Kế hoạch số 3-KH/TU, tuyên truyền thành tựu sau 30 năm tái lập tỉnh "
                   "01/7/1989.\n")
    assert bool(result.unknown_commemorations) is found


def test_years_of_carrying_something_out_are_no_anniversary():
    result = _read("KẾ HOẠCH\nSơ kết\n\nThực hiện Kế hoạch số 4-KH/HU, sơ kết 10 năm thực hiện Chỉ thị số 05-CT/TW "
                   "(15/5/2016 - 15/5/2026) và 28 năm triển khai phong trào thi đua 15/10/1998.\n")
    assert "commemorations" not in result.front and result.unknown_commemorations == ()


def test_a_count_of_days_is_no_anniversary():
    result = _read("KẾ HOẠCH\nHội thao\n\nThực hiện Kế hoạch số 1-KH/HU, tổ chức hội thao 3 ngày (01/5/2026 - "
                   "03/5/2026) và ngày 28 tháng 4 năm 2026 (30/4/1975 - 30/4/2026).\n")
    assert "commemorations" not in result.front and result.unknown_commemorations == ()


# ---------------------------------------------------------------- units


def test_an_unknown_district_is_never_fuzzily_matched_to_a_placeholder():
    result = _read("HUYỆN ỦY ĐỨC HÒA\nBAN TUYÊN GIÁO\n\nSố 9-CV/BTGHU\n\nV/v tuyên truyền\n\n"
                   "Kính gửi: - Ban Tuyên giáo các huyện ủy;\n- Phòng Văn hóa huyện Đức Hòa.\n\n1. Tuyên truyền.\n")
    placeholders = [unit.id for unit in SITE.units if unit.id.endswith("-chua-ro")]
    assert not set(result.front["recipients"]) & set(placeholders)
    assert result.front["issuer"] not in placeholders
    assert _proposed(result, result.front["issuer"]) == "Ban Tuyên giáo Huyện ủy Đức Hòa"
    assert "name: Ban Tuyên giáo Huyện ủy Đức Hòa" in units_yaml_snippet(result)


_PLACE_LESS = ("Thực hiện Công văn số 4-CV/BTGTU; Ban Tuyên giáo Huyện ủy đề nghị Phòng Văn hóa, Thông tin huyện, "
               "Trung tâm Văn hóa, Thông tin và Thể thao huyện thực hiện:\n1. Tuyên truyền.\n")


def test_another_documents_placeholder_is_a_new_unit_that_resembles_it():
    """The placeholders ("…-chua-ro") are the units of the sample's district Công văn, whose copy
    prints no district: another text without its place may be of any district."""
    result = _read(_PLACE_LESS)
    placeholders = {unit.id for unit in SITE.units if unit.id.endswith("-chua-ro")}
    assert result.front["issuer"] not in placeholders and not set(result.front["recipients"]) & placeholders
    assert _proposed(result, result.front["issuer"]) == "Ban Tuyên giáo Huyện ủy"
    resembling = {unit.printed: unit.resembles for unit in result.unknown_units}
    assert resembling["Ban Tuyên giáo Huyện ủy"] == "btg-huyen-uy-chua-ro"
    assert resembling["Trung tâm Văn hóa, Thông tin và Thể thao huyện"] == "ttvh-huyen-chua-ro"
    assert "# trùng tên đơn vị tạm btg-huyen-uy-chua-ro" in units_yaml_snippet(result)
    assert "trùng tên đơn vị tạm ttvh-huyen-chua-ro" in document_text(result)


def test_the_placeholders_document_imported_again_keeps_them():
    owner = KnownDocument("", ("4-CV/BTGTU",), "Lò Văn Sáng", frozenset({"btg-huyen-uy-chua-ro"}))
    again = recognise(_PLACE_LESS + "\nLò Văn Sáng\n", SITE.units, documents=(owner,))
    assert again.front["issuer"] == "btg-huyen-uy-chua-ro"
    # The same words with another signer are another document.
    other = recognise(_PLACE_LESS + "\nHà Thị Mơ\n", SITE.units, documents=(owner,))
    assert other.front["issuer"] != "btg-huyen-uy-chua-ro"


def test_a_placeholder_matched_by_its_name_is_reported_with_candidates():
    # No document of the content uses the placeholders yet (they were added for this one).
    result = recognise(_PLACE_LESS, SITE.units, known_commemorations=SITE.commemorations)
    assert result.front["issuer"] == "btg-huyen-uy-chua-ro"
    assert result.front["recipients"] == ["phong-vhtt-huyen-chua-ro", "ttvh-huyen-chua-ro"]
    assert {unit.unit_id for unit in result.doubtful_units} >= {"btg-huyen-uy-chua-ro", "ttvh-huyen-chua-ro"}
    assert any("chưa rõ địa danh" in line and "gần nhất" in line for line in report(result))


def test_without_kinh_gui_the_units_of_noi_nhan_new_to_the_portal_are_proposed():
    result = _read("HUYỆN ỦY TÂN AN\nBAN TUYÊN GIÁO\n\nSố 3-HD/BTGHU\n\nHƯỚNG DẪN\nTuyên truyền\n\n"
                   "Thực hiện Kế hoạch số 2-KH/HU, Ban Tuyên giáo Huyện ủy hướng dẫn:\n\n1. Tuyên truyền.\n\n"
                   "Nơi nhận:\n- Ban Tuyên giáo Tỉnh ủy (b/c),\n- Các đồng chí Ủy viên Ban Thường vụ,\n"
                   "- Các chi bộ trực thuộc,\n- Lưu Văn phòng.\n\nK/T TRƯỞNG BAN\nPHÓ TRƯỞNG BAN\n\nLê Văn Tư\n")
    assert [_proposed(result, unit_id) for unit_id in result.front["recipients"]] == \
        ["Ban Tuyên giáo Tỉnh ủy", "Các chi bộ trực thuộc"]
    assert result.unmatched_distribution == ("Các đồng chí Ủy viên Ban Thường vụ,",)  # people, not a unit


def test_units_asked_in_the_opening_are_the_recipients_when_no_kinh_gui():
    result = _read("Thực hiện Công văn số 4-CV/BTGTU; Ban Tuyên giáo Thị ủy Kỳ Anh đề nghị các chi bộ trực thuộc, "
                   "Mặt trận Tổ quốc và các đoàn thể thị xã, Trung tâm Văn hóa, Thể thao và Truyền thông thị xã "
                   "triển khai thực hiện:\n1. Tuyên truyền.\n")
    printed = [_proposed(result, unit_id) for unit_id in result.front["recipients"]]
    assert printed == ["các chi bộ trực thuộc", "Mặt trận Tổ quốc và các đoàn thể thị xã",
                       "Trung tâm Văn hóa, Thể thao và Truyền thông thị xã"]


# ---------------------------------------------------------------- signers


@pytest.mark.parametrize(("lines", "signer"), [
    ("T/M BAN THƯỜNG VỤ\nPHÓ BÍ THƯ\n\nNguyễn Văn Bình", {"on_behalf": "T/M BAN THƯỜNG VỤ", "position": "PHÓ BÍ THƯ"}),
    ("KT. BÍ THƯ\nPHÓ BÍ THƯ\n\nNguyễn Văn Bình", {"on_behalf": "KT. BÍ THƯ", "position": "PHÓ BÍ THƯ"}),
    ("KT. THỦ TƯỚNG\nPHÓ THỦ TƯỚNG\n(Đã ký)\nNguyễn Văn Bình", {"on_behalf": "KT. THỦ TƯỚNG",
                                                              "position": "PHÓ THỦ TƯỚNG"}),
    ("TL. GIÁM ĐỐC\nCHÁNH VĂN PHÒNG\n\nNguyễn Văn Bình", {"on_behalf": "TL. GIÁM ĐỐC", "position": "CHÁNH VĂN PHÒNG"}),
    ("TUQ. CHỦ TỊCH\nCHÁNH VĂN PHÒNG\n\nNguyễn Văn Bình", {"on_behalf": "TUQ. CHỦ TỊCH",
                                                         "position": "CHÁNH VĂN PHÒNG"}),
    ("Q. GIÁM ĐỐC\n\nNguyễn Văn Bình", {"on_behalf": "Q. GIÁM ĐỐC"}),
    ("TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nNguyễn Văn Bình",  # two authorities, then the post
     {"on_behalf": "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH", "position": "PHÓ CHỦ TỊCH"}),
])
def test_signer_blocks(lines, signer):
    result = _read(f"V/v tuyên truyền\n\nKính gửi: Các xã\n\n1. Tuyên truyền.\n\nNơi nhận:\n- Như trên;\n- Lưu: VT.\n\n"
                   f"{lines}\n")
    assert result.front["signer"] == {"name": "Nguyễn Văn Bình", **signer}
    assert result.front["distribution"] == ["Như trên;", "Lưu: VT."]


def test_a_website_signer_line():
    result = _read("12/BVHTTDL-VP\n\nKTBT, TT Trần Văn Minh Theo BỘ VĂN HÓA, THỂ THAO VÀ DU LỊCH -\n\n"
                   "Công văn V/v tổ chức Ngày Văn hóa các dân tộc\n\nKính gửi: Các Sở\n\n"
                   "Bộ Văn hóa, Thể thao và Du lịch đề nghị các Sở thực hiện.\n")
    assert result.front["signer"] == {"name": "Trần Văn Minh", "position": "THỨ TRƯỞNG", "on_behalf": "KT. BỘ TRƯỞNG"}
    assert result.front["number"] == "12/BVHTTDL-VP" and result.front["kind"] == "cong-van"
    assert result.front["title"] == "tổ chức Ngày Văn hóa các dân tộc"
    assert _proposed(result, result.front["issuer"]) == "Bộ Văn hóa, Thể thao và Du lịch"


# ---------------------------------------------------------------- kinds


def test_the_portal_has_every_kind_of_both_official_lists():
    from portal.authoring.official import PARTY_KINDS, STATE_KINDS
    from portal.content.models import DocumentKind
    from portal.content.slugs import slugify

    assert len(STATE_KINDS) == 29  # Nghị định 30/2020/NĐ-CP, Điều 7
    for name in (*PARTY_KINDS, *STATE_KINDS):
        assert DocumentKind(slugify(name)).label == name


@pytest.mark.parametrize(("heading", "kind"), [
    ("QUYẾT ĐỊNH", "quyet-dinh"), ("QUY ĐỊNH", "quy-dinh"), ("CHƯƠNG TRÌNH", "chuong-trinh"),
    ("THÔNG TRI", "thong-tri"), ("TỜ TRÌNH", "to-trinh"), ("ĐỀ ÁN", "de-an"), ("CÔNG ĐIỆN", "cong-dien"),
])
def test_kinds_the_portal_lacked_are_no_longer_filed_as_cong_van(heading, kind):
    result = _read(f"ỦY BAN NHÂN DÂN\nTỈNH AN GIANG\n\nSố: 9/QĐ-UBND\n\n{heading}\nVề việc tổ chức Lễ kỷ niệm\n\n"
                   "Căn cứ Luật Tổ chức chính quyền địa phương;\n")
    assert result.front["kind"] == kind and result.unknown_kind == ""
    assert result.front["title"] == "Về việc tổ chức Lễ kỷ niệm"


def test_a_kind_from_the_number_code():
    result = _read("Ngày 02/3/2024, Tỉnh ủy ban hành văn bản số 15-CTr/TU về chương trình hành động.\n")
    assert result.front["number"] == "15-CTr/TU" and result.front["kind"] == "chuong-trinh"


# ---------------------------------------------------------------- body


def test_lines_with_one_newline_are_paragraphs_when_they_are_articles_items_or_new_sentences():
    from portal.authoring.outline import outline, to_markdown

    text = ("Ủy ban nhân dân xã quyết định:\nĐiều 1. Ban hành Quy chế kèm theo.\nĐiều 2. Quyết định có hiệu lực.\n"
            "1/ Các thôn treo cờ.\n2/ Thời gian: từ ngày 01/9.\n- Khẩu hiệu một!\n"
            "Đề nghị các đơn vị thực hiện nghiêm túc./.\nmột dòng bị ngắt trang\ncòn tiếp")
    body = to_markdown(outline(text.split("\n")))
    assert body.split("\n\n") == ["Ủy ban nhân dân xã quyết định:", "Điều 1. Ban hành Quy chế kèm theo.",
                                  "Điều 2. Quyết định có hiệu lực.", "1/ Các thôn treo cờ.",
                                  "2/ Thời gian: từ ngày 01/9.", "- Khẩu hiệu một!",
                                  "Đề nghị các đơn vị thực hiện nghiêm túc./. một dòng bị ngắt trang còn tiếp\n"]


def test_numbered_siblings_are_all_headings_or_all_paragraphs():
    from portal.authoring.outline import outline

    long = "Tuyên truyền sâu rộng về truyền thống vẻ vang của Đảng, của dân tộc, về những thành tựu to lớn " \
           "của công cuộc đổi mới đất nước trong thời gian qua."
    blocks = outline(["1. " + long, "", "2. " + long, "", "3. Một số khẩu hiệu:", "", "- Khẩu hiệu!"])
    assert [block.is_title for block in blocks if block.number] == [False, False, False]
    titles = outline(["1. Mục đích", "", "- Một.", "", "2. Yêu cầu", "", "- Hai."])
    assert [block.is_title for block in titles if block.number] == [True, True]
