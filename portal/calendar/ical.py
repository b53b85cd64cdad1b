"""iCalendar feeds (RFC 5545 + RFC 7986) built with `icalendar`.

Every event is all-day (`DTSTART;VALUE=DATE`, exclusive `DTEND`), transparent, with a reminder.
Lunar commemorations are already expanded year by year (never RSCALE: clients ignore it or use
the Chinese calendar).

Identity and revisions, so that subscribed clients update events in place:
  * UID = UUIDv5(site namespace, feed id + event key): opaque, no domain, unique per feed, and
    independent of `--today` and of the content of the event.
  * DTSTAMP = midnight of `--today` in Vietnam (never the wall clock).
  * SEQUENCE and LAST-MODIFIED come from the previous build's revision table (published beside
    the feeds): unchanged content keeps them, changed content increments SEQUENCE and sets
    LAST-MODIFIED to `--today`. Without a previous build every event starts at SEQUENCE 0.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, vDuration, vText

from portal.calendar.events import COMMEMORATION, CalendarEvent
from portal.build.parallel import parallel_map

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
        data = json.loads((out_dir / REVISIONS_FILE).read_text(encoding="utf-8"))
        if data.get("version") != 2:
            return {}
        return {uid: Revision(str(digest), int(sequence), str(modified))
                for uid, (digest, sequence, modified) in data["events"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):  # absent or not ours: start afresh
        return {}


def revision_lines(revisions: dict[str, Revision]) -> str:
    """One feed's part of the revision table: a line per event, sorted by UID."""
    return ",\n".join(f'"{uid}":["{r.digest}",{r.sequence},"{r.last_modified}"]'
                      for uid, r in sorted(revisions.items()))


def dump_revisions(parts: list[str]) -> str:
    """The revision table from each feed's `revision_lines` (UIDs are unique across feeds)."""
    return '{"version":2,"events":{\n' + ",\n".join(part for part in parts if part) + "\n}}\n"


def stamp_for(today: date) -> datetime:
    """Midnight of `today` in Vietnam, in UTC: the deterministic DTSTAMP of a build."""
    return datetime.combine(today, time(0, 0), VIETNAM).astimezone(timezone.utc)


def _ical_utc(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%SZ")


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


class FeedWriter:
    """Writes every feed of a build. One event appears in many feeds (the whole calendar, its
    topics', its units'): its content lines are produced by `icalendar` once and shared; only
    the per-feed lines differ. The cache is keyed by the event's value, so a dev server can keep
    one writer across rebuilds while the URL scheme, topics and alarm stay the same."""

    def __init__(self, *, absolute_url, category_names: dict[str, str], namespace: uuid.UUID, alarm: str):
        self.absolute_url = absolute_url
        self.category_names = dict(category_names)
        self.namespace = namespace
        self.alarm = alarm
        self._events: dict[CalendarEvent, RenderedEvent] = {}
        self._uids: dict[tuple[str, str], str] = {}  # (feed, event key) -> UID: a UUIDv5 is a SHA-1 each

    def same_settings(self, other: "FeedWriter") -> bool:
        return (self.absolute_url("") == other.absolute_url("") and self.category_names == other.category_names
                and self.namespace == other.namespace and self.alarm == other.alarm)

    def adopt_cache(self, other: "FeedWriter") -> None:
        if self.same_settings(other):
            self._events, self._uids = other._events, other._uids

    def event(self, item: CalendarEvent) -> RenderedEvent:
        rendered = self._events.get(item)
        if rendered is None:
            rendered = self._events[item] = self._render_event(item)
        return rendered

    def prepare(self, events: Iterable[CalendarEvent], workers: int) -> None:
        """Render every event not yet cached, in `workers` processes (icalendar takes ~1 ms an
        event, and a large site has tens of thousands)."""
        missing = list(dict.fromkeys(item for item in events if item not in self._events))
        self._events.update(zip(missing, parallel_map(self._render_event, missing, workers)))

    def _render_event(self, item: CalendarEvent) -> RenderedEvent:
        url = self.absolute_url(item.path)
        categories = [_nfc(self.category_names[t]) for t in item.topics if t in self.category_names]
        description = _nfc(f"{item.description}\n{url}")
        content = json.dumps([item.start.isoformat(), item.end.isoformat(), item.summary, description, url,
                              categories, self.alarm], ensure_ascii=False)
        event = Event()
        event.add("dtstart", item.start)
        event.add("dtend", item.end)
        event.add("summary", _nfc(item.summary))
        event.add("description", description)
        event.add("url", url)
        if categories:
            event.add("categories", categories)
        event.add("transp", "TRANSPARENT")
        event.add("class", "PUBLIC")
        reminder = Alarm()
        reminder.add("action", "DISPLAY")
        reminder.add("description", _nfc(item.summary))
        reminder.add("trigger", vDuration.from_ical(self.alarm))
        event.add_component(reminder)
        lines = event.to_ical()
        body = lines[len(b"BEGIN:VEVENT\r\n"): -len(b"END:VEVENT\r\n")]
        return RenderedEvent(hashlib.sha256(content.encode("utf-8")).hexdigest()[:16], body)

    def _fit(self, events: tuple[CalendarEvent, ...], today: date, budget: int) -> tuple[CalendarEvent, ...]:
        """Google Calendar refuses a subscription over 1 MB: past phases and deadlines go first
        (oldest first), then the farthest future ones; commemorations always stay."""
        sizes = {item: len(self.event(item).body) + _PER_FEED_LINES for item in events}
        total = sum(sizes.values())
        if total <= budget:
            return events
        droppable = sorted((item for item in events if item.kind != COMMEMORATION),
                           key=lambda item: (item.end > today,
                                            item.start.toordinal() if item.end <= today else -item.start.toordinal()))
        dropped = set()
        for item in droppable:
            if total <= budget:
                break
            dropped.add(item)
            total -= sizes[item]
        return tuple(item for item in events if item not in dropped)

    def feed(self, spec: FeedSpec, events: tuple[CalendarEvent, ...], today: date,
             previous: dict[str, Revision]) -> tuple[bytes, dict[str, Revision], int]:
        """The feed's bytes, the revisions of its events (to publish for the next build) and how
        many events were left out to stay under the size limit."""
        stamp = _ical_utc(stamp_for(today))
        calendar = Calendar()
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        calendar.add("name", _nfc(spec.name))
        calendar.add("x-wr-calname", vText(_nfc(spec.name)))
        calendar.add("description", _nfc(spec.description))
        calendar.add("x-wr-caldesc", vText(_nfc(spec.description)))
        calendar.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
        calendar.add("refresh-interval", vDuration.from_ical("P1D"), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", "P1D")
        calendar.add("source", self.absolute_url(spec.path), parameters={"VALUE": "URI"})
        calendar.add("url", self.absolute_url(spec.path))
        head = calendar.to_ical()[: -len(b"END:VCALENDAR\r\n")]

        kept = self._fit(events, today, budget=MAX_FEED_BYTES - len(head) - len(b"END:VCALENDAR\r\n"))
        left_out = len(events) - len(kept)
        events = kept
        revisions: dict[str, Revision] = {}
        parts = [head]
        for item in events:
            rendered = self.event(item)
            uid = self._uids.get((spec.feed_id, item.key))
            if uid is None:
                uid = self._uids[(spec.feed_id, item.key)] = event_uid(self.namespace, spec.feed_id, item.key)
            before = previous.get(uid)
            if before is None:
                revision = Revision(rendered.digest, 0, stamp)
            elif before.digest == rendered.digest:
                revision = before
            else:
                revision = Revision(rendered.digest, before.sequence + 1, stamp)
            revisions[uid] = revision
            # ASCII lines well under 75 octets: nothing to escape or fold.
            parts.append(f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:{stamp}\r\nSEQUENCE:{revision.sequence}\r\n"
                         f"LAST-MODIFIED:{revision.last_modified}\r\n".encode("ascii"))
            parts.append(rendered.body)
            parts.append(b"END:VEVENT\r\n")
        parts.append(b"END:VCALENDAR\r\n")
        return b"".join(parts), revisions, left_out


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
