"""iCalendar feeds, checked by three independent parsers and the project's own linter.

Oracles: Mozilla's ical.js (Thunderbird's parser, run in Node), icalendar + recurring-ical-events,
and vobject with validate=True. They must agree on every event's dates, and match the golden table.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest

from conftest import SAMPLE_CONTENT, TESTS, build_into
from icslint import feed_of, lint_feed

JS = TESTS / "js"
GOLDEN_DATES = TESTS / "golden" / "feed-dates.tsv"


def ical_js(*paths: Path) -> dict:
    if shutil.which("node") is None or not (JS / "node_modules" / "ical.js").is_dir():
        pytest.fail("ical.js is required: npm ci --prefix tests/js (see scripts/install-test-deps.sh)")
    result = subprocess.run(["node", str(JS / "parse-ics.mjs"), *map(str, paths)],
                            capture_output=True, text=True, check=True, timeout=60)
    return json.loads(result.stdout)


def python_icalendar_dates(path: Path) -> list[tuple[str, str, str]]:
    import icalendar
    import recurring_ical_events

    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    events = recurring_ical_events.of(calendar).between(date(1900, 1, 1), date(2200, 1, 1))
    return sorted((str(e["UID"]), e["DTSTART"].dt.isoformat(), e["DTEND"].dt.isoformat()) for e in events)


def vobject_dates(path: Path) -> list[tuple[str, str, str]]:
    import vobject

    (calendar,) = list(vobject.readComponents(path.read_text(encoding="utf-8"), validate=True))
    return sorted((e.uid.value, e.dtstart.value.isoformat(), e.dtend.value.isoformat())
                  for e in calendar.vevent_list)


def test_done_when_events_are_in_the_main_feed(sample_site):
    (feed,) = ical_js(sample_site / "lich.ics").values()
    events = {(e["start"], e["summary"]): e for e in feed["events"]}

    def find(day: str, words: str) -> dict:
        matches = [e for (start, summary), e in events.items() if start == day and words in summary]
        assert len(matches) == 1, (day, words)
        return matches[0]

    expected = [
        ("2025-02-03", "Kỷ niệm 95 năm Ngày thành lập Đảng Cộng sản Việt Nam (03/02/1930 – 03/02/2025)"),
        ("2025-04-30", "50 năm Ngày Giải phóng miền Nam"),
        ("2025-05-19", "135 năm Ngày sinh Chủ tịch Hồ Chí Minh"),
        ("2025-09-02", "80 năm Ngày Quốc khánh"),
        ("2026-01-06", "80 năm Ngày Tổng tuyển cử đầu tiên"),
        ("2025-04-07", "Giỗ Tổ Hùng Vương (10/3 năm Ất Tỵ)"),
        ("2026-04-26", "Giỗ Tổ Hùng Vương (10/3 năm Bính Ngọ)"),
    ]
    for day, words in expected:
        event = find(day, words)
        assert event["allDay"]
        assert event["end"] == (date.fromisoformat(day) + timedelta(days=1)).isoformat()
        assert event["alarms"] == [{"action": "DISPLAY", "trigger": "-PT15H"}]


def test_three_parsers_agree_with_the_golden_table(sample_site):
    feeds = [sample_site / "lich.ics", sample_site / "chu-de" / "ky-niem-ngay-le-lon" / "lich.ics",
             sample_site / "don-vi" / "btv-thanh-uy-vung-tau" / "lich.ics"]
    parsed = ical_js(*feeds)
    for feed in feeds:
        from_js = sorted((e["uid"], e["start"], e["end"]) for e in parsed[str(feed)]["events"])
        assert from_js == python_icalendar_dates(feed) == vobject_dates(feed), feed
    rows = sorted(f"{e['start']}\t{e['end']}\t{e['summary']}" for e in parsed[str(feeds[0])]["events"])
    if os.environ.get("PORTAL_UPDATE_GOLDEN"):
        GOLDEN_DATES.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert rows == GOLDEN_DATES.read_text(encoding="utf-8").splitlines()
    assert {row.split("\t")[0][:4] for row in rows} == {str(year) for year in range(2024, 2031)}


def test_every_feed_passes_the_linter_and_the_feed_rules(sample_site):
    feeds = sorted(sample_site.rglob("*.ics"))
    assert len(feeds) == 1 + 11 + 31  # whole calendar, every topic, every unit
    names = set()
    for feed in feeds:
        data = feed.read_bytes()
        assert lint_feed(data) == [], feed
        text = data.decode("utf-8")
        assert "\r\nMETHOD:" not in text  # RFC 5545 3.8.7.2: without METHOD, DTSTAMP is the last revision
        for line in ("X-WR-TIMEZONE:Asia/Ho_Chi_Minh", "REFRESH-INTERVAL;VALUE=DURATION:P1D",
                     "X-PUBLISHED-TTL:P1D", "PRODID:-//Cong lich va de cuong tuyen truyen//portal//VI"):
            assert f"\r\n{line}\r\n" in text, (feed, line)
        assert "RSCALE" not in text and "DTSTART:" not in text and "DTEND:" not in text
        assert "BEGIN:VTIMEZONE" not in text
        name = next(line for line in text.split("\r\n") if line.startswith("X-WR-CALNAME:"))
        assert name not in names
        names.add(name)
        assert len(data) < 1_000_000


def test_uids_are_stable_across_today_and_unique(sample_site, tmp_path):
    build_into(SAMPLE_CONTENT, tmp_path / "later", today=date(2026, 6, 1))
    before, after = ical_js(sample_site / "lich.ics", tmp_path / "later" / "lich.ics").values()
    uid_before = {(e["start"], e["summary"]): e["uid"] for e in before["events"]}
    uid_after = {(e["start"], e["summary"]): e["uid"] for e in after["events"]}
    shared = set(uid_before) & set(uid_after)
    assert len(shared) >= 40  # 2025-2027 occurrences are in both windows
    assert all(uid_before[key] == uid_after[key] for key in shared)
    assert len(set(uid_before.values())) == len(uid_before)


def test_sequence_and_last_modified_move_only_when_content_changes(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    out = tmp_path / "site"
    build_into(content, out, today=date(2025, 1, 15))
    first = (out / "lich.ics").read_text(encoding="utf-8")
    assert "SEQUENCE:1" not in first and "LAST-MODIFIED:20250114T170000Z" in first

    build_into(content, out, today=date(2025, 3, 1))  # same content, later day: nothing moves
    again = (out / "lich.ics").read_text(encoding="utf-8")
    assert "SEQUENCE:1" not in again and "LAST-MODIFIED:20250228T170000Z" not in again
    assert again == first  # nothing changed: the same bytes, DTSTAMP included (= LAST-MODIFIED)

    path = content / "commemorations.yaml"
    marker = "  year: 1930\n  topics: [ky-niem-ngay-le-lon, xay-dung-dang]\n  description: "
    assert marker in path.read_text(encoding="utf-8")
    path.write_text(path.read_text(encoding="utf-8").replace(marker, marker + "Đã sửa. ", 1), encoding="utf-8")
    build_into(content, out, today=date(2025, 3, 2))
    (feed,) = ical_js(out / "lich.ics").values()
    text = (out / "lich.ics").read_text(encoding="utf-8")
    changed = [e for e in feed["events"] if e["sequence"] == 1]
    assert {e["summary"].split(" (")[0] for e in changed} == {
        f"Kỷ niệm {n} năm Ngày thành lập Đảng Cộng sản Việt Nam" for n in range(94, 101)}
    assert text.count("LAST-MODIFIED:20250301T170000Z") == len(changed) == 7  # 2024–2030


def test_host_files_serve_feeds_as_text_calendar(sample_site):
    headers = (sample_site / "_headers").read_text(encoding="utf-8")
    feeds = sorted("/" + p.relative_to(sample_site).as_posix() for p in sample_site.rglob("*.ics"))
    assert headers.count("Content-Type: text/calendar; charset=utf-8") == len(feeds)
    for feed in feeds:
        assert f"{feed}\n  Content-Type" in headers
    assert (sample_site / ".nojekyll").is_file()


@pytest.mark.parametrize("bad, problem", [
    (b"BEGIN:VCALENDAR\nVERSION:2.0\r\nPRODID:x\r\nEND:VCALENDAR\r\n", "bare LF"),
    (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:" + b"x" * 80 + b"\r\nEND:VCALENDAR\r\n", "octets"),
    ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:\xc4\r\n \x90\r\nEND:VCALENDAR\r\n".encode("latin-1"), "UTF-8"),
    (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:a\\\r\n ,b\r\nEND:VCALENDAR\r\n", "backslash escape"),
])
def test_linter_catches_what_parsers_accept(bad, problem):
    assert any(problem in message for message in lint_feed(bad))


def _event(uid: str, start: str, end: str, alarm: str = "ACTION:DISPLAY\r\nTRIGGER:-PT15H\r\nDESCRIPTION:x") -> str:
    return (f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20250101T000000Z\r\nDTSTART;VALUE=DATE:{start}\r\n"
            f"DTEND;VALUE=DATE:{end}\r\nSUMMARY:x\r\nBEGIN:VALARM\r\n{alarm}\r\nEND:VALARM\r\nEND:VEVENT\r\n")


def test_linter_checks_events():
    feed = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n" + _event("a", "20250203", "20250204")
            + _event("a", "20250205", "20250205") + _event("b", "20250203", "20250204", "ACTION:DISPLAY")
            + "END:VCALENDAR\r\n").encode()
    problems = lint_feed(feed)
    assert any("UID a repeats" in p for p in problems)
    assert any("DTEND is not after DTSTART" in p for p in problems)
    assert any("VALARM must have exactly one TRIGGER" in p for p in problems)
    assert lint_feed(("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n" + _event("a", "20250203", "20250204")
                      + "END:VCALENDAR\r\n").encode()) == []


def test_a_feed_over_1_mb_drops_past_and_far_events_first_and_keeps_commemorations():
    from portal.calendar.events import CalendarEvent

    today = date(2025, 1, 15)
    phases = tuple(CalendarEvent(key=f"giai-doan/x/{n}", kind="phase", start=today + timedelta(days=n - 1500),
                                 end=today + timedelta(days=n - 1499), summary=f"Giai đoạn {n}",
                                 description="Đảng " * 200, path="van-ban/x/") for n in range(3000))
    holidays = tuple(CalendarEvent(key=f"ky-niem/k/{n}", kind="commemoration", start=date(2020 + n, 2, 3),
                                   end=date(2020 + n, 2, 4), summary="Kỷ niệm", description="", path="ngay-ky-niem/k/")
                     for n in range(10))
    data, kept, left_out = feed_of(phases + holidays, today)
    assert 0 < left_out < 3000 and kept == 3010 - left_out
    assert lint_feed(data) == [] and len(data) <= 1_000_000
    text = data.decode("utf-8")
    assert text.count("SUMMARY:Kỷ niệm") == 10
    assert "SUMMARY:Giai đoạn 1500\r\n" in text  # today's phase stays
    assert "SUMMARY:Giai đoạn 0\r\n" not in text  # the oldest past phase goes first
