"""The national list of commemorations for 2025–2030, the calendar window and the home page's
notice of a coming "năm tròn"."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

import pytest
import yaml
from pydantic import ValidationError

from conftest import SAMPLE_CONTENT, build_into
from portal.calendar.anniversaries import ROUND, round_anniversaries_ahead
from portal.content.models import Commemoration

LISTING = yaml.safe_load((SAMPLE_CONTENT / "commemorations.yaml").read_text(encoding="utf-8"))
# (day/month, origin year) of every commemoration issue 14 names: the statutory list of Nghị định
# 145/2013/NĐ-CP, Điều 4, and the others of the yearly central guidance.
REQUIRED = [
    ("01/01", None), ("03/02", 1930), ("10/03", None), ("30/04", 1975), ("07/05", 1954), ("19/05", 1890),
    ("19/08", 1945), ("02/09", 1945),
    ("08/03", 1910), ("26/03", 1931), ("21/04", 1950), ("22/04", 1870), ("01/05", 1886), ("27/07", 1947),
    ("01/08", 1930), ("28/08", 1945), ("23/09", 1945), ("10/10", 1954), ("14/10", 1930), ("15/10", 1930),
    ("20/10", 1930), ("18/11", 1930), ("20/11", 1982), ("22/12", 1989),
]
# Primary sources only (issue 14, Deliver 5): the State's legal database and portal, the Party's portal and
# its propaganda commission's; no commercial law sites.
PRIMARY_HOSTS = ("vbpl.vn", "chinhphu.vn", "dangcongsan.vn", "tuyengiao.vn")
# Entries whose source is only a portal's search page, because no page of the document itself could be
# confirmed: each names the document in `source_title` and says so with `source_lookup: true`. Replace
# one with the document's page and remove it here; adding one is a deliberate change of this list.
LOOKUP_FALLBACKS = {
    "tet-nguyen-dan", "thanh-lap-dang", "gio-to-hung-vuong", "giai-phong-mien-nam", "chien-thang-dien-bien-phu",
    "ngay-sinh-ho-chi-minh", "cach-mang-thang-tam", "quoc-khanh",  # Nghị định 145/2013/NĐ-CP on vbpl.vn
    "nha-giao-viet-nam", "ngay-hoi-bao-ve-an-ninh-to-quoc", "ngay-sinh-nguyen-van-cu",  # other State documents
    "ngay-sinh-tran-phu", "ngay-sinh-le-hong-phong", "ngay-sinh-truong-chinh", "ngay-sinh-le-duan",
    "ngay-sinh-vo-nguyen-giap", "ngay-sinh-nguyen-van-linh", "ngay-sinh-ton-duc-thang",
    "ngay-sinh-vo-van-kiet",  # Party documents (Kết luận 88-KL/TW, Hướng dẫn 55-HD/BTGTW) on dangcongsan.vn
}
SEARCH_PAGE = re.compile(r"tim-?kiem", re.I)  # vbpl.vn's vbpq-timkiem.aspx, dangcongsan.vn's /tim-kiem
DOCUMENT_NUMBER = re.compile(r"\b\d+[-/][0-9A-ZĐ/-]*[A-ZĐ]")  # "145/2013/NĐ-CP", "88-KL/TW", "167-HĐBT"


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _is_primary(url: str) -> bool:
    host = _host(url)
    return any(host == allowed or host.endswith("." + allowed) for allowed in PRIMARY_HOSTS)


def test_every_commemoration_the_issue_names_is_listed():
    listed = {(item["date"], item.get("year")) for item in LISTING}
    assert [pair for pair in REQUIRED if pair not in listed] == []


def test_every_entry_has_topics_a_paragraph_and_a_source():
    for item in LISTING:
        assert item.get("topics"), item["id"]
        assert len((item.get("description") or "").strip()) >= 80, item["id"]
        assert item.get("source", "").startswith(("https://", "http://")), item["id"]
        assert item.get("source_title"), item["id"]  # the document cited, by number and issuer


def test_every_source_is_on_a_primary_host():
    assert sorted(item["id"] for item in LISTING if not _is_primary(item["source"])) == []
    assert not _is_primary("https://thuvienphapluat.vn/van-ban/x.aspx")
    assert not _is_primary("https://notvbpl.vn/x") and _is_primary("https://beta.dangcongsan.vn/x")


def test_search_page_fallbacks_are_explicit_and_name_their_document():
    lookups = {item["id"] for item in LISTING if item.get("source_lookup")}
    assert lookups == LOOKUP_FALLBACKS
    for item in LISTING:
        on_search_page = bool(SEARCH_PAGE.search(item["source"]))
        assert on_search_page == bool(item.get("source_lookup")), item["id"]  # a search page is never implicit
        if on_search_page:
            assert DOCUMENT_NUMBER.search(item["source_title"]), item["id"]


def test_a_lookup_without_the_document_named_is_an_error():
    with pytest.raises(ValidationError, match="source_title"):
        Commemoration(id="x", name="X", date="01/01", source="https://vbpl.vn/pages/vbpq-timkiem.aspx",
                      source_lookup=True)


def test_decree_entries_cite_their_khoan_of_article_4():
    """Nghị định 145/2013/NĐ-CP, Điều 4: khoản 1 Tết … khoản 7 Cách mạng Tháng Tám and Quốc khánh."""
    by_id = {item["id"]: item for item in LISTING}
    for khoan, ids in enumerate((["tet-nguyen-dan"], ["thanh-lap-dang"], ["gio-to-hung-vuong"], ["giai-phong-mien-nam"],
                                 ["chien-thang-dien-bien-phu"], ["ngay-sinh-ho-chi-minh"],
                                 ["cach-mang-thang-tam", "quoc-khanh"]), start=1):
        for commemoration_id in ids:
            assert by_id[commemoration_id]["source_title"].endswith(f"Điều 4 khoản {khoan}"), commemoration_id


def test_a_round_anniversary_is_announced_90_days_ahead():
    party = Commemoration(id="thanh-lap-dang", name="Ngày thành lập Đảng Cộng sản Việt Nam", date="03/02", year=1930)
    assert [o.years for o in round_anniversaries_ahead((party,), date(2029, 11, 5))] == [100]
    assert round_anniversaries_ahead((party,), date(2029, 11, 4)) == []  # 91 days ahead
    assert round_anniversaries_ahead((party,), date(2024, 11, 5)) == []  # 95 năm: năm lẻ 5, not announced
    assert all(o.milestone == ROUND for o in round_anniversaries_ahead((party,), date(2029, 11, 5)))


def test_default_window_reaches_2030_and_the_home_page_names_the_coming_round_anniversary(tmp_path):
    build_into(SAMPLE_CONTENT, tmp_path / "site", today=date(2025, 2, 1))
    assert (tmp_path / "site" / "lich" / "2030" / "index.html").is_file()
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "Sắp tới kỷ niệm năm tròn" in home
    assert "Kỷ niệm 50 năm Ngày Giải phóng miền Nam, thống nhất đất nước" in home
    assert "năm chẵn" not in home
    party = (tmp_path / "site" / "ngay-ky-niem" / "thanh-lap-dang" / "index.html").read_text(encoding="utf-8")
    assert "năm lẻ 5" in party and "năm chẵn" not in party


def test_the_guide_shows_two_local_examples_of_a_party_founding_day():
    guide = (SAMPLE_CONTENT.parent / "docs" / "huong-dan-bien-tap.md").read_text(encoding="utf-8")
    section = guide.split("### 5.4.", 1)[1].split("\n### ", 1)[0]
    block = next(part for part in section.split("```yaml")[1:] if "thanh-lap-dang-bo" in part).split("```", 1)[0]
    examples = yaml.safe_load(block)
    assert [item["id"] for item in examples] == ["thanh-lap-dang-bo-ha-noi", "thanh-lap-dang-bo-tinh"]
    for item in examples:
        assert {"description", "source", "source_title", "topics"} <= set(item), item["id"]
    hanoi = {key: value for key, value in examples[0].items() if key not in ("source", "source_title")}
    assert Commemoration(**hanoi).day_month == (17, 3)  # a complete, valid entry an editor can copy
