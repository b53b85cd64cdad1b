"""iCalendar feeds (RFC 5545 + RFC 7986) built with `icalendar`.

Every event is all-day (`DTSTART;VALUE=DATE`, exclusive `DTEND`), transparent, with a reminder.
Lunar commemorations are already expanded year by year (never RSCALE: clients ignore it or use
the Chinese calendar).

Identity and revisions, so that subscribed clients update events in place:
  * UID = UUIDv5(site namespace, feed id + event key): opaque, no domain, unique per feed, and
    independent of `--today` and of the content of the event.
  * SEQUENCE and LAST-MODIFIED come from the previous build's revision table (published beside
    the feeds): unchanged content keeps them, changed content increments SEQUENCE and sets
    LAST-MODIFIED to midnight of `--today` in Vietnam (never the wall clock). Without a previous
    table every event starts at SEQUENCE 0.
  * DTSTAMP = LAST-MODIFIED, and the feed has no METHOD: RFC 5545, 3.8.7.2 defines DTSTAMP of an
    object without METHOD as when the event "was last revised in the calendar store" (with METHOD
    it would be when the file was made, a new value every day). So a feed whose events did not
    change is byte-identical from one day to the next, and clients re-download nothing.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import json
import re
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from operator import itemgetter
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Component, Event, vDuration, vText

from portal.calendar.events import COMMEMORATION, CalendarEvent

PRODID = "-//Cong lich va de cuong tuyen truyen//portal//VI"
MAX_FEED_BYTES = 1_000_000  # Google Calendar's limit for a subscribed calendar
_PER_FEED_LINES = 160  # BEGIN/UID/DTSTAMP/SEQUENCE/LAST-MODIFIED/END lines of one event
REVISIONS_FILE = "lich/phien-ban.json"
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass(frozen=True)
class Revision:
    digest: str
    sequence: int
    last_modified: str  # UTC, iCalendar form: 20250114T170000Z


@dataclass(frozen=True)
class FeedSpec:
    feed_id: str  # stable identity of the feed ("lich", "chu-de/dai-hoi-xiv", ...), part of every UID
    path: str  # output path, e.g. "chu-de/dai-hoi-xiv/lich.ics"
    name: str
    description: str


def load_revisions(out_dir: Path) -> dict[str, Revision]:
    """The revision table published by the previous build into `out_dir` (empty if none/invalid)."""
    try:
        return parse_revisions((out_dir / REVISIONS_FILE).read_bytes())
    except OSError:  # absent: start afresh
        return {}


def parse_revisions(data: bytes) -> dict[str, Revision]:
    """A published revision table (empty if it is not one)."""
    try:
        table = json.loads(data.decode("utf-8"))
        if table.get("version") != 2:
            return {}
        return {uid: Revision(str(digest), int(sequence), str(modified))
                for uid, (digest, sequence, modified) in table["events"].items()}
    except (ValueError, KeyError, TypeError, AttributeError):  # not ours: start afresh
        return {}


def revision_lines(revisions: dict[str, Revision]) -> str:
    """One feed's part of the revision table: a line per event, sorted by UID."""
    return ",\n".join(f'"{uid}":["{r.digest}",{r.sequence},"{r.last_modified}"]'
                      for uid, r in sorted(revisions.items()))


def dump_revisions(parts: list[str]) -> str:
    """The revision table from each feed's `revision_lines` (UIDs are unique across feeds)."""
    return '{"version":2,"events":{\n' + ",\n".join(part for part in parts if part) + "\n}}\n"


def stamp_for(today: date) -> datetime:
    """Midnight of `today` in Vietnam, in UTC: the deterministic LAST-MODIFIED of what a build changed."""
    return datetime.combine(today, time(0, 0), VIETNAM).astimezone(UTC)


def _ical_utc(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%SZ")


# Bounded: a dev server asks for the same UIDs at every rebuild (a SHA-1 and a UUID object
# each, a third of assembling a feed), a one-shot build once each.
@functools.lru_cache(maxsize=1 << 16)
def event_uid(namespace: uuid.UUID, feed_id: str, key: str) -> str:
    return str(uuid.uuid5(namespace, f"{feed_id}|{key}"))


def site_namespace(base_url: str) -> uuid.UUID:
    """One UUID namespace per portal, so two portals' feeds in one client never share UIDs."""
    return uuid.uuid5(uuid.NAMESPACE_URL, base_url)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@dataclass(frozen=True)
class RenderedEvent:
    digest: str  # of everything a subscriber sees, to decide SEQUENCE
    body: bytes  # the VEVENT's content lines except the per-feed ones (UID, DTSTAMP, SEQUENCE, LAST-MODIFIED)


@dataclass(frozen=True)
class EventSettings:
    """What, besides the event, its content lines depend on."""

    site_url: str  # origin and base path: "https://example.gov.vn/portal/"
    category_names: tuple[tuple[str, str], ...]  # (topic id, name) of every topic
    alarm: str  # the reminder's trigger, e.g. "-PT15H"


def render_event(item: CalendarEvent, settings: EventSettings) -> RenderedEvent:
    """The event's content lines, made by `icalendar` once however many feeds it is in: every
    feed shares them, only the per-feed lines (UID, DTSTAMP, SEQUENCE, LAST-MODIFIED) differ."""
    url = settings.site_url + item.path
    names = dict(settings.category_names)
    categories = [_nfc(names[t]) for t in item.topics if t in names]
    description = _nfc(f"{item.description}\n{url}")
    content = json.dumps([item.start.isoformat(), item.end.isoformat(), item.summary, description, url,
                          categories, settings.alarm], ensure_ascii=False)
    event = Event()
    event.add("dtstart", item.start)
    event.add("dtend", item.end)
    event.add("summary", vText(_nfc(item.summary)))
    event.add("description", vText(description))
    event.add("url", url)
    if categories:
        event.add("categories", categories)
    event.add("transp", "TRANSPARENT")
    event.add("class", "PUBLIC")
    reminder = Alarm()
    reminder.add("action", "DISPLAY")
    reminder.add("description", vText(_nfc(item.summary)))
    reminder.add("trigger", vDuration.from_ical(settings.alarm))
    event.add_component(reminder)
    lines = folded_ical(event)
    body = lines[len(b"BEGIN:VEVENT\r\n"): -len(b"END:VEVENT\r\n")]
    return RenderedEvent(hashlib.sha256(content.encode("utf-8")).hexdigest()[:16], body)


_MAX_LINE_OCTETS = 75  # RFC 5545 3.1, without the CRLF


def folded_ical(component: Component) -> bytes:
    """`component.to_ical()` with every long content line folded by `_fold_line`: at most 75
    octets a line, never inside a UTF-8 character and never between a backslash and the character
    it escapes. icalendar's content lines are taken unfolded, so each is folded once.

    Folding written by hand because icalendar's own (7.3) means to keep escapes whole (its issue
    #1501: clients that unfold after unescaping read a split escape literally) but looks at one
    character, not at the run, so it splits an escaped backslash followed by a long character."""
    return b"\r\n".join(_fold_line(line) if len(line) > _MAX_LINE_OCTETS else line
                         for line in (str(item).encode("utf-8") for item in component.content_lines() if item)) \
        + b"\r\n"


def _fold_line(line: bytes) -> bytes:
    """One content line in physical lines of at most 75 octets (74 after the continuation's
    space), each cut at a character boundary and never after a backslash that escapes the next
    character. Works on the UTF-8 bytes: a cut backs off at most three continuation bytes, and
    the backslashes before it are found among the line's runs of them (found once), so a line
    costs a few steps a fold, not a step a character."""
    runs = [run.span() for run in _BACKSLASHES.finditer(line)]
    pieces: list[bytes] = []
    start, limit = 0, _MAX_LINE_OCTETS
    while len(line) - start > limit:
        cut = start + limit
        while line[cut] & 0xC0 == 0x80:  # inside a character: cut before it
            cut -= 1
        # A run of backslashes reaching the cut: escapes pair off from the run's start, so when an
        # odd number of them come before the cut, the last escapes the character after it and
        # goes to the next line with it.
        found = bisect.bisect_left(runs, cut, key=itemgetter(1))
        if found < len(runs) and runs[found][0] < cut and (cut - runs[found][0]) % 2:
            cut -= 1
        pieces.append(line[start:cut])
        start, limit = cut, _MAX_LINE_OCTETS - 1
    pieces.append(line[start:])
    return b"\r\n ".join(pieces)


_BACKSLASHES = re.compile(rb"\\+")


def _fit(events: tuple[CalendarEvent, ...], rendered: tuple[RenderedEvent, ...], today: date,
         budget: int) -> tuple[int, ...]:
    """Positions of the events kept. Google Calendar refuses a subscription over 1 MB: past phases
    and deadlines go first (oldest first), then the farthest future ones; commemorations stay."""
    sizes = [len(item.body) + _PER_FEED_LINES for item in rendered]
    total = sum(sizes)
    if total <= budget:
        return tuple(range(len(events)))
    droppable = sorted((position for position, item in enumerate(events) if item.kind != COMMEMORATION),
                       key=lambda position: (events[position].end > today,
                                             events[position].start.toordinal() if events[position].end <= today
                                             else -events[position].start.toordinal()))
    dropped = set()
    for position in droppable:
        if total <= budget:
            break
        dropped.add(position)
        total -= sizes[position]
    return tuple(position for position in range(len(events)) if position not in dropped)


def feed_file(spec: FeedSpec, events: tuple[CalendarEvent, ...], rendered: tuple[RenderedEvent, ...], today: date,
              previous: dict[str, Revision], namespace: uuid.UUID, site_url: str) -> tuple[bytes, str, int]:
    """The feed's bytes, its part of the revision table (`revision_lines`, published for the next
    build) and how many events were left out to stay under the size limit. `rendered`:
    `render_event` of each event."""
    stamp = _ical_utc(stamp_for(today))
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    # Every text property as vText, which escapes line breaks: icalendar writes a property it has
    # no type for (NAME) verbatim, so a topic name with "\r" added a VEVENT.
    calendar.add("name", vText(_nfc(spec.name)))
    calendar.add("x-wr-calname", vText(_nfc(spec.name)))
    calendar.add("description", vText(_nfc(spec.description)))
    calendar.add("x-wr-caldesc", vText(_nfc(spec.description)))
    calendar.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    calendar.add("refresh-interval", vDuration.from_ical("P1D"), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "P1D")
    calendar.add("source", site_url + spec.path, parameters={"VALUE": "URI"})
    calendar.add("url", site_url + spec.path)
    head = folded_ical(calendar)[: -len(b"END:VCALENDAR\r\n")]

    kept = _fit(events, rendered, today, budget=MAX_FEED_BYTES - len(head) - len(b"END:VCALENDAR\r\n"))
    revisions: dict[str, Revision] = {}
    parts = [head]
    for position in kept:
        item, body = events[position], rendered[position]
        uid = event_uid(namespace, spec.feed_id, item.key)
        before = previous.get(uid)
        if before is None:
            revision = Revision(body.digest, 0, stamp)
        elif before.digest == body.digest:
            revision = before
        else:
            revision = Revision(body.digest, before.sequence + 1, stamp)
        revisions[uid] = revision
        # ASCII lines well under 75 octets: nothing to escape or fold.
        parts.append(f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:{revision.last_modified}\r\nSEQUENCE:{revision.sequence}\r\n"
                     f"LAST-MODIFIED:{revision.last_modified}\r\n".encode("ascii"))
        parts.append(body.body)
        parts.append(b"END:VEVENT\r\n")
    parts.append(b"END:VCALENDAR\r\n")
    return b"".join(parts), revision_lines(revisions), len(events) - len(kept)


def subscription_links(feed_url: str, name: str) -> dict[str, str]:
    """Ways to subscribe to a feed from its https URL."""
    from urllib.parse import quote

    webcal = "webcal://" + feed_url.split("://", 1)[1]
    encoded = quote(feed_url, safe="")
    return {
        "https": feed_url,
        "webcal": webcal,
        "google": f"https://calendar.google.com/calendar/render?cid={quote(webcal, safe='')}",
        "outlook": f"https://outlook.live.com/calendar/0/addfromweb?url={encoded}&name={quote(name, safe='')}",
        "office": f"https://outlook.office.com/calendar/0/addfromweb?url={encoded}&name={quote(name, safe='')}",
    }
