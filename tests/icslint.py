"""A linter for the portal's iCalendar feeds: what parsers accept silently but clients trip on.

Parsers are lenient: most unfold any line, accept LF, and never report a fold that splits a UTF-8
character or a backslash escape, or a UID that repeats. This checks the bytes as written.
Returns a list of human-readable problems (empty when the feed is clean).
"""

from __future__ import annotations

import re
from datetime import date

from portal.calendar.ical import MAX_FEED_BYTES  # the limit the feeds are written to

MAX_OCTETS = 75

def _unfold(physical: list[bytes]) -> list[tuple[int, bytes, list[int]]]:
    """(first line number, logical line, fold offsets within it)."""
    logical: list[tuple[int, bytes, list[int]]] = []
    for number, line in enumerate(physical, start=1):
        if line[:1] in (b" ", b"\t") and logical:
            start, text, folds = logical[-1]
            logical[-1] = (start, text + line[1:], [*folds, len(text)])
        else:
            logical.append((number, line, []))
    return logical


def _value(line: str) -> tuple[str, str]:
    """Split "NAME;PARAM=x:value" into (NAME, value), respecting quoted parameters."""
    quoted = False
    for index, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            head = line[:index]
            return head.split(";", 1)[0].upper(), line[index + 1:]
    return line.upper(), ""


def lint_feed(data: bytes) -> list[str]:
    problems: list[str] = []
    if len(data) > MAX_FEED_BYTES:
        problems.append(f"feed is {len(data)} bytes, over Google's 1 MB limit")
    if not data.endswith(b"\r\n"):
        problems.append("feed does not end with CRLF")
    body = data[:-2] if data.endswith(b"\r\n") else data
    physical = body.split(b"\r\n")
    for number, line in enumerate(physical, start=1):
        if b"\n" in line or b"\r" in line:
            problems.append(f"line {number}: bare LF or CR (lines must end with CRLF)")
        if len(line) > MAX_OCTETS:
            problems.append(f"line {number}: {len(line)} octets (more than {MAX_OCTETS})")
    for number, text, folds in _unfold(physical):
        for offset in folds:
            continuation = text[offset:offset + 1]
            if continuation and 0x80 <= continuation[0] < 0xC0:
                problems.append(f"line {number}: fold splits a UTF-8 character")
            trailing = len(text[:offset]) - len(text[:offset].rstrip(b"\\"))
            if trailing % 2 == 1:
                problems.append(f"line {number}: fold splits a backslash escape")
        try:
            text.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(f"line {number}: not valid UTF-8")
    problems += _check_components([(n, t.decode("utf-8", "replace")) for n, t, _ in _unfold(physical)])
    return problems


def _parse_date(value: str) -> date | None:
    if not re.fullmatch(r"\d{8}", value):
        return None
    return date(int(value[:4]), int(value[4:6]), int(value[6:]))


def _check_components(lines: list[tuple[int, str]]) -> list[str]:
    problems: list[str] = []
    stack: list[tuple[str, int, dict[str, list[str]]]] = []
    uids: dict[str, int] = {}
    for number, line in lines:
        name, value = _value(line)
        if name == "BEGIN":
            stack.append((value, number, {}))
            continue
        if name == "END":
            if not stack or stack[-1][0] != value:
                problems.append(f"line {number}: END:{value} does not close the open component")
                continue
            component, start, props = stack.pop()
            problems += _check_component(component, start, props, uids)
            continue
        if stack:
            stack[-1][2].setdefault(name, []).append(line)
    if stack:
        problems.append(f"line {stack[-1][1]}: BEGIN:{stack[-1][0]} never closed")
    return problems


def _check_component(component: str, start: int, props: dict[str, list[str]], uids: dict[str, int]) -> list[str]:
    where = f"line {start}: {component}"
    problems = []
    if component == "VCALENDAR":
        problems += [f"{where} has no {required}" for required in ("VERSION", "PRODID") if required not in props]
    elif component == "VEVENT":
        problems += [f"{where} must have exactly one {required}"
                     for required in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY")
                     if len(props.get(required, ())) != 1]
        if problems:
            return problems
        uid = _value(props["UID"][0])[1]
        if uid in uids:
            problems.append(f"{where}: UID {uid} repeats the event at line {uids[uid]}")
        uids[uid] = start
        dates = {}
        for key in ("DTSTART", "DTEND"):
            line = props[key][0]
            head = line.split(":", 1)[0].upper()
            value = _value(line)[1]
            if "VALUE=DATE" not in head or (dates.setdefault(key, _parse_date(value)) is None):
                problems.append(f"{where}: {key} is not an all-day DATE ({line})")
        if dates.get("DTSTART") and dates.get("DTEND") and dates["DTEND"] <= dates["DTSTART"]:
            problems.append(f"{where}: DTEND is not after DTSTART")
    elif component == "VALARM":
        problems += [f"{where} must have exactly one {required}" for required in ("ACTION", "TRIGGER", "DESCRIPTION")
                     if len(props.get(required, ())) != 1]
    return problems


def feed_of(events: tuple, today: date, site_url: str = "https://x.vn/") -> tuple[bytes, int, int]:
    """One feed of `events` as the build writes it: (bytes, events kept, events left out)."""
    from portal.calendar.ical import EventSettings, FeedSpec, feed_file, render_event, site_namespace

    settings = EventSettings(site_url, (), "-PT15H")
    data, revisions, left_out = feed_file(FeedSpec("lich", "lich.ics", "Lịch", "Mô tả"), events,
                                          tuple(render_event(event, settings) for event in events), today, {},
                                          site_namespace(site_url), site_url)
    return data, revisions.count('":["'), left_out
