"""The national list of commemorations for 2025–2030, the calendar window and the home page's
notice of a coming "năm tròn"."""

from __future__ import annotations

from datetime import date

import yaml

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
PRIMARY_OR_GUIDANCE = ("https://vbpl.vn/", "https://chinhphu.vn/", "https://dangcongsan.vn/", "https://tuyengiao.vn/",
                       "https://thuvienphapluat.vn/van-ban/")


def test_every_commemoration_the_issue_names_is_listed():
    listed = {(item["date"], item.get("year")) for item in LISTING}
    assert [pair for pair in REQUIRED if pair not in listed] == []


def test_every_entry_has_topics_a_paragraph_and_a_source():
    for item in LISTING:
        assert item.get("topics"), item["id"]
        assert len(item.get("description", "")) >= 80, item["id"]
        assert item.get("source", "").startswith("https://"), item["id"]
    for pair in REQUIRED:  # each named commemoration cites the decree or the central guidance
        sources = [item["source"] for item in LISTING if (item["date"], item.get("year")) == pair]
        assert any(source.startswith(PRIMARY_OR_GUIDANCE) for source in sources), pair


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
