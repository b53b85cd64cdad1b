"""Event identity: a UID never collides within a feed and never moves to another event."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from conftest import SAMPLE_CONTENT, build_into
from portal.calendar import events as events_module
from portal.calendar.events import commemoration_events, duplicate_keys
from portal.content.models import Commemoration
from portal.pipeline import BuildOptions, build

WINTER = Commemoration(id="ngay-ram-thang-muoi-mot", name="Ngày thử rằm tháng Mười một", date="15/11",
                       calendar="lunar", year=1950)
PLAN_443 = "documents/443-kh-tu-vung-tau-chu-de-lon-dai-hoi-xiv.md"


def _with_winter_commemoration(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    with (content / "commemorations.yaml").open("a", encoding="utf-8") as listing:
        listing.write(f"\n- id: {WINTER.id}\n  name: {WINTER.name}\n  date: \"15/11\"\n  calendar: lunar\n"
                      "  year: 1950\n  topics: [ky-niem-ngay-le-lon]\n")
    return content


def _events_by_uid(site: Path) -> dict[str, tuple[str, str]]:
    """(feed, UID) of every event of every feed, mapped to its DTSTART and SUMMARY."""
    found = {}
    for feed in site.rglob("*.ics"):
        text = feed.read_bytes().decode("utf-8").replace("\r\n ", "").replace("\r\n", "\n")
        for block in text.split("BEGIN:VEVENT")[1:]:
            uid = re.search(r"^UID:(.+)$", block, re.M)[1]
            key = f"{feed.relative_to(site)}|{uid}"
            assert key not in found, f"duplicate UID {uid} in {feed}"
            found[key] = (re.search(r"^DTSTART;VALUE=DATE:(\d+)", block, re.M)[1],
                          re.search(r"^SUMMARY:(.+)$", block, re.M)[1])
    return found


def test_a_lunar_date_twice_in_one_solar_year_gets_two_keys():
    found = commemoration_events(WINTER, date(2024, 1, 1), date(2030, 12, 31), ())
    in_2026 = [event for event in found if event.start.year == 2026]
    assert [event.start for event in in_2026] == [date(2026, 1, 3), date(2026, 12, 23)]
    assert duplicate_keys(found) == []
    assert len({event.key for event in found}) == len(found)


def test_feed_over_2024_to_2030_with_a_15_11_lunar_commemoration_has_no_duplicate_uid(tmp_path):
    content = _with_winter_commemoration(tmp_path)
    build_into(content, tmp_path / "site", today=date(2027, 1, 1))
    summaries = [summary for _, summary in _events_by_uid(tmp_path / "site").values()]
    assert sum(WINTER.name in summary for summary in summaries) >= 7  # twice in 2026, in several feeds


def test_build_refuses_a_feed_with_a_duplicate_uid_and_names_the_line(tmp_path, monkeypatch):
    """Keyed by the solar year (the old key), the 15/11 lunar commemoration collides in 2026."""
    content = _with_winter_commemoration(tmp_path)
    monkeypatch.setattr(events_module, "commemoration_key",
                        lambda commemoration, occurrence: f"ky-niem/{commemoration.id}/{occurrence.day.year}")
    result = build(BuildOptions(content=content, out=tmp_path / "site", today=date(2027, 1, 1)))
    assert not result.ok
    (problem,) = [d for d in result.diagnostics if d.code == "duplicate-uid"]
    lines = (content / "commemorations.yaml").read_text(encoding="utf-8").split("\n")
    assert problem.path.endswith("commemorations.yaml")
    assert lines[problem.line - 1] == f"- id: {WINTER.id}"
    assert "03/01/2026" in problem.message and "23/12/2026" in problem.message
    assert not (tmp_path / "site" / "lich.ics").exists()


def test_inserting_a_phase_first_in_443_kh_tu_keeps_every_existing_uid(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    build_into(content, tmp_path / "before")
    before = _events_by_uid(tmp_path / "before")
    plan = content / PLAN_443
    text = plan.read_text(encoding="utf-8")
    assert text.count("\nphases:\n") == 1
    plan.write_text(text.replace("\nphases:\n", "\nphases:\n  - {name: \"Giai đoạn chuẩn bị\", start: 01/11/2024, "
                                 "end: 30/11/2024}\n"), encoding="utf-8")
    build_into(content, tmp_path / "after")
    after = _events_by_uid(tmp_path / "after")
    phase_events = {uid: event for uid, event in before.items()
                     if "Giai đoạn từ nay đến hết năm 2024" in event[1] or "Đại hội XIV của Đảng" in event[1]}
    assert len(phase_events) >= 4  # two phases, each in several feeds
    assert all(after.get(uid) == event for uid, event in before.items())
    assert sum("Giai đoạn chuẩn bị" in summary for _, summary in after.values()) >= 2


def test_two_phases_sharing_a_key_is_an_error_at_their_line(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    plan = content / PLAN_443
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("\nphases:\n", "\nphases:\n  - {name: \"Giai đoạn từ nay đến hết năm 2024\", "
                                 "start: 01/11/2024}\n"), encoding="utf-8")
    result = build(BuildOptions(content=content, out=tmp_path / "site", today=date(2025, 1, 15)))
    problems = [d for d in result.diagnostics if d.code == "duplicate-phase"]
    assert len(problems) == 1 and not result.ok
    lines = plan.read_text(encoding="utf-8").split("\n")
    assert "Giai đoạn từ nay đến hết năm 2024" in lines[problems[0].line - 1]
    assert "giai-doan-tu-nay-den-het-nam-2024" in problems[0].message


@pytest.mark.parametrize("phase_id", ["giai-doan-mot"])
def test_an_explicit_phase_id_is_the_key(phase_id):
    from portal.content.models import Phase
    assert Phase(id=phase_id, name="Giai đoạn 1").key == phase_id
    assert Phase(name="Giai đoạn từ nay đến hết năm 2024").key == "giai-doan-tu-nay-den-het-nam-2024"
