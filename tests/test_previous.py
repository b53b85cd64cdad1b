"""`build --previous URL|DIR`: a build in a fresh checkout carries SEQUENCE and LAST-MODIFIED over
from the live site (here a local HTTP server) or a folder; a missing table is only a warning."""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import socket
import threading
from datetime import date
from pathlib import Path

import pytest

from conftest import SAMPLE_CONTENT, build_into
from portal.pipeline import BuildOptions, build

FIRST_DAY, LATER_DAY = date(2025, 1, 15), date(2025, 3, 2)
PARTY_MARKER = "  year: 1930\n  topics: [ky-niem-ngay-le-lon, xay-dung-dang]\n  description: "


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """The sample site as first published, served over HTTP like the live site."""
    out = tmp_path_factory.mktemp("live") / "site"
    build_into(SAMPLE_CONTENT, out, today=FIRST_DAY)
    handler = functools.partial(_QuietHandler, directory=str(out))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield out, f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


def _revisions(feed: Path) -> dict[str, tuple[str, int, str, str]]:
    """UID -> (SUMMARY, SEQUENCE, LAST-MODIFIED, DTSTAMP) of every event of a feed."""
    text = feed.read_bytes().decode("utf-8").replace("\r\n ", "").replace("\r\n", "\n")
    found = {}
    for block in text.split("BEGIN:VEVENT")[1:]:
        def value(name: str, block: str = block) -> str:
            return re.search(rf"^{name}:(.*)$", block, re.M)[1]
        found[value("UID")] = (value("SUMMARY"), int(value("SEQUENCE")), value("LAST-MODIFIED"), value("DTSTAMP"))
    return found


def _changed_content(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    path = content / "commemorations.yaml"
    text = path.read_text(encoding="utf-8")
    assert PARTY_MARKER in text
    path.write_text(text.replace(PARTY_MARKER, PARTY_MARKER + "Đã sửa. ", 1), encoding="utf-8")
    return content


def test_fresh_checkout_keeps_sequence_from_the_live_site_and_bumps_only_changed_events(published, tmp_path):
    live, url = published
    before = _revisions(live / "lich.ics")
    result = build(BuildOptions(content=_changed_content(tmp_path), out=tmp_path / "fresh", today=LATER_DAY,
                                previous=url))
    assert result.ok and not [d for d in result.diagnostics if d.code == "previous-revisions"]
    after = _revisions(tmp_path / "fresh" / "lich.ics")
    assert set(after) == set(before)
    changed = {uid for uid in after if after[uid][1:3] != before[uid][1:3]}
    assert {after[uid][0].split(" (")[0] for uid in changed} == {
        f"Kỷ niệm {n} năm Ngày thành lập Đảng Cộng sản Việt Nam" for n in range(94, 101)}
    assert all(after[uid][1] == before[uid][1] + 1 and after[uid][2] == "20250301T170000Z" for uid in changed)
    assert all(after[uid] == before[uid] for uid in after if uid not in changed)
    assert all(event[3] == event[2] for event in after.values())  # DTSTAMP = LAST-MODIFIED


def test_the_table_address_itself_and_a_folder_work_too(published, tmp_path):
    live, url = published
    for previous in (url + "lich/phien-ban.json", str(live)):
        out = tmp_path / f"out-{len(previous)}"
        result = build(BuildOptions(content=SAMPLE_CONTENT, out=out, today=LATER_DAY, previous=previous))
        assert result.ok and result.diagnostics == build_into(SAMPLE_CONTENT, tmp_path / "x", LATER_DAY).diagnostics
        # Nothing changed since the live build: the feed is byte-identical although the day is not.
        assert (out / "lich.ics").read_bytes() == (live / "lich.ics").read_bytes()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize("previous", ["closed-port", "missing-folder", "http-404"])
def test_a_missing_or_unreachable_table_is_a_warning_and_the_build_starts_afresh(published, tmp_path, previous):
    if previous == "closed-port":
        previous = f"http://127.0.0.1:{_closed_port()}/"
    elif previous == "http-404":
        previous = published[1] + "khong-co/"
    elif previous == "missing-folder":
        previous = str(tmp_path / "missing-folder")
    result = build(BuildOptions(content=SAMPLE_CONTENT, out=tmp_path / "site", today=LATER_DAY, previous=previous))
    assert result.ok
    (warning,) = [d for d in result.diagnostics if d.code == "previous-revisions"]
    assert not warning.is_error and "SEQUENCE 0" in warning.hint
    assert all(event[1] == 0 and event[2] == "20250301T170000Z"
               for event in _revisions(tmp_path / "site" / "lich.ics").values())
