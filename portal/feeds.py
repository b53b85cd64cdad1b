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
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, vDuration, vText

from .calendar import CalendarEvent

PRODID = "-//Cong lich va de cuong tuyen truyen//portal//VI"
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
        return {uid: Revision(**fields) for uid, fields in data["events"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def dump_revisions(revisions: dict[str, Revision]) -> str:
    events = {uid: {"digest": r.digest, "sequence": r.sequence, "last_modified": r.last_modified}
              for uid, r in sorted(revisions.items())}
    return json.dumps({"version": 1, "events": events}, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


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


def build_feed(spec: FeedSpec, events: tuple[CalendarEvent, ...], *, absolute_url, category_names: dict[str, str],
               namespace: uuid.UUID, alarm: str, today: date,
               previous: dict[str, Revision]) -> tuple[bytes, dict[str, Revision]]:
    """The feed's bytes and the revisions of its events (to publish for the next build)."""
    stamp = stamp_for(today)
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
    calendar.add("source", absolute_url(spec.path), parameters={"VALUE": "URI"})
    calendar.add("url", absolute_url(spec.path))

    revisions: dict[str, Revision] = {}
    for item in events:
        uid = event_uid(namespace, spec.feed_id, item.key)
        url = absolute_url(item.path)
        categories = [_nfc(category_names[t]) for t in item.topics if t in category_names]
        description = _nfc(f"{item.description}\n{url}")
        content = json.dumps([item.start.isoformat(), item.end.isoformat(), item.summary, description, url,
                              categories, alarm], ensure_ascii=False)
        digest = hashlib.sha256(content.encode("utf-8")).hexdigest()[:16]
        before = previous.get(uid)
        if before is None:
            revision = Revision(digest, 0, _ical_utc(stamp))
        elif before.digest == digest:
            revision = before
        else:
            revision = Revision(digest, before.sequence + 1, _ical_utc(stamp))
        revisions[uid] = revision

        event = Event()
        event.add("uid", uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", item.start)
        event.add("dtend", item.end)
        event.add("summary", _nfc(item.summary))
        event.add("description", description)
        event.add("url", url)
        if categories:
            event.add("categories", categories)
        event.add("transp", "TRANSPARENT")
        event.add("class", "PUBLIC")
        event.add("sequence", revision.sequence)
        event.add("last-modified", datetime.strptime(revision.last_modified, "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc))
        reminder = Alarm()
        reminder.add("action", "DISPLAY")
        reminder.add("description", _nfc(item.summary))
        reminder.add("trigger", vDuration.from_ical(alarm))
        event.add_component(reminder)
        calendar.add_component(event)
    return calendar.to_ical(), revisions


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
