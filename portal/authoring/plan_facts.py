"""What a document's body states about its campaign: duties per unit, phases with their dates, and
the commemorations it names with their dates. Read from the body's outline (`portal/authoring/outline.py`);
unit names are matched by `portal/authoring/unitnames.py`.
"""

from __future__ import annotations

import calendar
import difflib
import re
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

from portal.authoring.outline import Block, Kind, under
from portal.authoring.unitnames import UnitNames, looks_like_unit, normalise
from portal.content.dates import DateError, numeric_date, parse_date
from portal.content.models import Commemoration
from portal.content.slugs import fold

Value = TypeVar("Value")


@dataclass(frozen=True)
class Found(Generic[Value]):
    """A recognised value and how sure the importer is of it (0 to 1)."""

    value: Value
    confidence: float


@dataclass(frozen=True)
class NamedUnit:
    """A unit as the document prints it, and its id in units.yaml (None when it has none yet)."""

    printed: str
    unit_id: str | None
    score: float = 0.0


# ---------------------------------------------------------------- duties


def _unit_of(text: str, names: UnitNames) -> NamedUnit | None:
    """The unit a numbered title in "Tổ chức thực hiện" gives work to. "UBND Thành phố chỉ đạo Phòng
    Văn hóa và Thông tin" gives it to the Phòng; "Các tổ chức đảng … chỉ đạo tổ chức tốt …" to the
    tổ chức đảng; "Phòng Văn hóa và Thông tin:" to the Phòng; "Đề nghị Ủy ban MTTQ …" to the Ủy ban."""
    title = re.sub(r"^Đề nghị\s+", "", text.rstrip(" :"))  # "Đề nghị Ủy ban MTTQ …": a request to the unit
    before, _, after = title.partition(" chỉ đạo ")
    candidates = [part.strip(" ,;") for part in (after, title, before) if part.strip(" ,;")]
    candidates = [c for c in dict.fromkeys(candidates) if len(c) <= 120]
    for candidate in candidates:
        if (match := names.match(candidate)) is not None:
            return NamedUnit(candidate, match.unit_id, match.score)
    plausible = [c for c in candidates if looks_like_unit(c) and len(c) <= 100]
    return NamedUnit(plausible[-1], None) if plausible else None


# "Trên đây là …", "Nhận được công văn này, …", "Ban Tuyên giáo Tỉnh ủy đề nghị các cơ quan …": the
# document's closing request to everyone, not a task of the unit named last.
_CLOSING = re.compile(r"^(Trên đây|Nhận được|Quá trình thực hiện|Trong quá trình thực hiện)\b"
                      r"|^[^,;:]{0,80}\b(đề nghị|yêu cầu) (các|những|mọi)\b")


def _is_implementation(block: Block) -> bool:
    return block.is_title and "to chuc thuc hien" in fold(block.text) and block.depth <= 1


@dataclass
class _Group:
    unit: NamedUnit
    depth: int
    tasks: list[str]
    from_items: bool = False


def duties(blocks: tuple[Block, ...], names: UnitNames, recipients: tuple[str, ...],
           whole_body: bool) -> tuple[Found[list[tuple[NamedUnit, list[str]]]] | None, tuple[NamedUnit, ...]]:
    """(unit, tasks) pairs, and the units among them that units.yaml lacks. The tasks are those under
    "TỔ CHỨC THỰC HIỆN", per numbered unit title; with `whole_body` (a Công văn without that
    section) the numbered unit sections anywhere. A section that names no unit gives its listed
    tasks to every recipient (the Lạng Sơn Công văn does so)."""
    at = next((i for i, block in enumerate(blocks) if _is_implementation(block)), None)
    if at is None and not whole_body:
        return None, ()
    region = under(blocks, at) if at is not None else blocks
    groups: list[_Group] = []
    current: _Group | None = None
    for block in region:
        if block.kind is Kind.NUMBERED:
            unit = _unit_of(block.text, names)
            if unit is not None and (block.is_title or unit.unit_id):
                current = _Group(unit, block.depth, [])
                groups.append(current)
            elif current is not None and block.depth > current.depth:
                current.tasks.append(block.text)
            else:
                current = None
        elif block.kind in (Kind.SECTION, Kind.HEADING):
            current = None
        elif current is not None and block.kind in (Kind.PARAGRAPH, Kind.ITEM, Kind.SUBITEM):
            if block.kind is Kind.PARAGRAPH and (current.from_items or _CLOSING.match(block.text)):
                current = None  # a closing sentence after a unit's list is not one of its tasks
                continue
            current.tasks.append(block.text)
            current.from_items = block.kind is not Kind.PARAGRAPH

    groups = [group for group in groups if group.tasks]
    if whole_body and at is None and not any(group.unit.unit_id for group in groups):
        return None, ()
    if not groups and at is not None and recipients:
        listed = [b.text for b in region if b.kind in (Kind.ITEM, Kind.SUBITEM)] or \
                 [b.text for b in region if b.kind is Kind.PARAGRAPH]
        if not listed:
            return None, ()
        return Found([(NamedUnit(unit_id, unit_id, 1.0), list(listed)) for unit_id in recipients], 0.5), ()
    if not groups:
        return None, ()
    merged: dict[str, tuple[NamedUnit, list[str]]] = {}
    for group in groups:  # a unit named twice gets one entry with all its tasks
        merged.setdefault(group.unit.unit_id or fold(group.unit.printed), (group.unit, []))[1].extend(group.tasks)
    unknown = tuple(unit for unit, _ in merged.values() if unit.unit_id is None)
    confidence = 0.9 * sum(group.unit.score for group in groups) / len(groups)
    return Found(list(merged.values()), round(max(confidence, 0.3), 2)), unknown


# ---------------------------------------------------------------- phases

_TIME_START = re.compile(r"^(từ|trước|sau|trong|đến|giai đoạn|năm \d{4}|tháng|quý|đợt)\b", re.IGNORECASE)


def _phase_name(text: str) -> str | None:
    """"Giai đoạn từ nay đến hết năm 2024, tập trung …" -> "Giai đoạn từ nay đến hết năm 2024";
    "Tuyên truyền năm 2022 và các năm tiếp theo" -> "Năm 2022 và các năm tiếp theo"."""
    name = re.split(r",\s|:", text, maxsplit=1)[0].strip()
    name = re.sub(r"^Tuyên truyền\s+", "", name)
    if not _TIME_START.match(name):
        return None
    return name[:1].upper() + name[1:]


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def day_or_none(text: str) -> date | None:
    """The date a document prints as DD/MM/YYYY, or None when it is no real day."""
    try:
        return parse_date(text)
    except DateError:
        return None


def phase_dates(name: str) -> dict[str, date]:
    """Start and end where the words give them: "đến hết năm 2024" ends 31/12/2024, "từ năm 2025"
    and "năm 2022 và các năm tiếp theo" start on 1 January, "từ ngày 01/10/2024" starts then,
    "đến tháng 6/2025" ends on 30/06/2025, "trong năm 2025" spans the year. "Từ nay" has no date."""
    text = fold(name)
    found: dict[str, date | None] = {}
    if m := re.search(r"tu (?:ngay )?(\d{1,2}/\d{1,2}/\d{4})", text):
        found["start"] = day_or_none(m.group(1))
    elif m := re.search(r"tu (?:dau )?thang (\d{1,2})(?:/| nam )(\d{4})", text):
        found["start"] = date(int(m.group(2)), int(m.group(1)), 1) if 1 <= int(m.group(1)) <= 12 else None
    elif m := re.search(r"(?:tu (?:dau )?nam|^nam|^trong nam|^ca nam) (\d{4})", text):
        found["start"] = date(int(m.group(1)), 1, 1)
    if m := re.search(r"den (?:het )?(?:ngay )?(\d{1,2}/\d{1,2}/\d{4})", text):
        found["end"] = day_or_none(m.group(1))
    elif m := re.search(r"den (?:het )?thang (\d{1,2})(?:/| nam )(\d{4})", text):
        found["end"] = _last_day(int(m.group(2)), int(m.group(1))) if 1 <= int(m.group(1)) <= 12 else None
    elif (m := re.search(r"den (?:het )?(?:cuoi )?nam (\d{4})", text)) \
            or (m := re.search(r"^(?:trong |ca )?nam (\d{4})$", text)):
        found["end"] = date(int(m.group(1)), 12, 31)
    return {key: value for key, value in found.items() if value is not None}


def phases(blocks: tuple[Block, ...]) -> Found[list[dict]] | None:
    """Numbered titles that name a period: "Giai đoạn …" anywhere, or a time ("Từ sau ngày bầu cử
    …", "Năm 2022 …") under a title about time ("Thời gian và nội dung …", "… LỘ TRÌNH …")."""
    found: list[dict] = []
    parents: list[Block] = []
    for block in blocks:
        if not block.is_title:
            continue
        while parents and parents[-1].depth >= block.depth:
            parents.pop()
        about_time = any(re.search(r"thoi gian|lo trinh|giai doan", fold(p.text)) for p in parents)
        name = _phase_name(block.text)
        if name and (name.startswith("Giai đoạn") or about_time):
            dates = phase_dates(name)
            if "start" in dates and "end" in dates and dates["end"] < dates["start"]:
                dates.pop("end")
            found.append({"name": name} | {key: numeric_date(value) for key, value in dates.items()})
        parents.append(block)
    if not found:
        return None
    return Found(found, 0.7)


# ---------------------------------------------------------------- commemorations

_DAY = r"\d{1,2}[/.]\d{1,2}[/.]\d{4}"
_DASH = r"[-‐‑‒–—−]"
# "95 năm Ngày thành lập Đảng Cộng sản Việt Nam (03/02/1930-03/02/2025)", in any case; the closing
# parenthesis may be missing, and so may "năm" when the range confirms the count ("145 ngày sinh
# V.I. Lênin (22/4/1870 – 22/4/2015)").
_RANGED = re.compile(
    rf"(?<!\d)(?P<years>\d{{1,3}})\s+(?P<nam>năm\s+)?(?P<name>[^();\n]{{3,160}}?)\s*\(\s*(?P<start>{_DAY})\s*"
    rf"{_DASH}\s*(?P<end>{_DAY})\s*\)?", re.IGNORECASE)
# "68 năm ngày Chiến thắng Điện Biên Phủ 07/5/1954": the event's date without a range.
_DATED = re.compile(rf"(?<!\d)(?P<years>\d{{1,3}})\s+năm\s+(?P<name>[^();\n]{{3,120}}?),?\s+(?P<start>{_DAY})"
                    rf"(?!\s*{_DASH}\s*\d)", re.IGNORECASE)
# "Ngày Giỗ tổ Hùng Vương (10/3 âm lịch)", "Tết Nguyên đán (mùng 1 tháng Giêng âm lịch)" is not dated.
_LUNAR = re.compile(r"(?P<name>(?:(?:ngày|lễ)\s+)?[^();\n,.]{3,80}?)\s*\(\s*(?:ngày\s+)?"
                    r"(?P<day>\d{1,2})/(?P<month>\d{1,2})\s*(?:âm lịch|AL)\s*\)", re.IGNORECASE)
_NOT_A_NAME_END = re.compile(r"\b(?:ngày|vào|từ|đến|trước|sau|hết)$", re.IGNORECASE)
# "10 năm thực hiện Chỉ thị 05-CT/TW (15/5/2016 - 15/5/2026)", "28 năm triển khai …": years of doing
# something (a review, "sơ kết", "tổng kết"), not the anniversary of an event.
_ACTIVITY = re.compile(r"^(?:thực hiện|triển khai|thi hành|áp dụng|phát động)\b", re.IGNORECASE)
# "… và Quốc khánh nước Cộng hòa xã hội chủ nghĩa Việt Nam (02/9/1945 - 02/9/2026)": a range of one
# day and month in two years is an anniversary by itself, its count unprinted.
_BARE_RANGE = re.compile(rf"(?P<name>[^();\n]{{3,160}}?)\s*\(\s*(?P<start>{_DAY})\s*{_DASH}\s*(?P<end>{_DAY})\s*\)?")
# Where such a name starts: after "kỷ niệm", "chào mừng", "và", ";", or ", " before a capital.
_NAME_START = re.compile(r";|(?:^|\s)(?i:và|kỷ niệm|chào mừng|mừng|nhân dịp|dịp)\s|,\s(?=\w)")


def _bare_name(before: str) -> str:
    """The name before a range: "… và Quốc khánh nước …" -> "Quốc khánh nước …"; a comma starts it
    only before a capital ("…, Quốc khánh 2/9"), not inside it ("… miền Nam, thống nhất đất nước")."""
    starts = [m.end() for m in _NAME_START.finditer(before) if not m.group(0).startswith(",")
              or before[m.end():m.end() + 1].isupper()]
    return before[max(starts, default=0):].strip(" ,")


@dataclass(frozen=True)
class Anniversary:
    """"95 năm Ngày thành lập Đảng Cộng sản Việt Nam (03/02/1930-03/02/2025)" as printed: the event's
    day (solar), or its lunar day and month; the number of years when printed."""

    printed: str
    name: str
    event: date | None
    lunar: tuple[int, int] | None = None  # (day, month) of the lunar calendar
    years: int | None = None

    @property
    def shown_date(self) -> str:
        if self.event is not None:
            return numeric_date(self.event)
        return f"{self.lunar[0]:02d}/{self.lunar[1]:02d} âm lịch" if self.lunar else ""


def _solar(text: str) -> date | None:
    return day_or_none(text.replace(".", "/"))


def _near(year: int | None, anniversary_year: int) -> bool:
    """Whether an anniversary falls about the document's year (a December document plans the next
    one): "68 năm … 07/5/1954" in a 2022 plan; "30 năm tái lập tỉnh 01/7/1989" in a 2027 one is not."""
    return year is None or abs(anniversary_year - year) <= 1


def anniversaries(text: str, year: int | None = None) -> tuple[Anniversary, ...]:
    """The anniversaries a text names with their dates: "N năm <name> (start - end)", "N năm <name>
    start" (its count tied to the document's `year` when known), "<name> (start - end)" of one day,
    and "<name> (d/m âm lịch)"."""
    text = text.replace("*", "")
    found: list[tuple[int, Anniversary]] = []
    spans: list[tuple[int, int]] = []

    def free(match: re.Match) -> bool:
        return not any(start < match.end() and match.start() < end for start, end in spans)

    position = 0
    while match := _RANGED.search(text, position):
        event, end = _solar(match.group("start")), _solar(match.group("end"))
        years = int(match.group("years"))
        # "3 ngày (…)", "28 tháng 4 năm 2025 … (…)": a number is the anniversary's only when the range
        # counts as many years (which also lets "145 ngày sinh …" lack its "năm"); a rejected start
        # is retried one character on.
        if event is None or end is None or years != end.year - event.year \
                or not match.group("name")[:1].isalpha() or _ACTIVITY.match(match.group("name")):
            position = match.start() + 1
            continue
        position = match.end()
        spans.append(match.span())
        found.append((match.start(), Anniversary(match.group(0), match.group("name").strip(), event, None, years)))
    for match in _DATED.finditer(text):
        event = _solar(match.group("start"))
        name = match.group("name").strip()
        if event is None or not free(match) or _NOT_A_NAME_END.search(name) or _ACTIVITY.match(name) \
                or not _near(year, event.year + int(match.group("years"))):
            continue
        spans.append(match.span())
        found.append((match.start(), Anniversary(match.group(0), name, event, None, int(match.group("years")))))
    for match in _BARE_RANGE.finditer(text):
        event, end = _solar(match.group("start")), _solar(match.group("end"))
        if event is None or end is None or (event.day, event.month) != (end.day, end.month) \
                or end.year <= event.year or not free(match):
            continue
        name = _bare_name(match.group("name"))
        if re.search(r"(?<!\d)\d{1,3}\s+năm\s", match.group("name")):
            continue  # "10 năm thực hiện … (…)": a count the first pattern did not take as an anniversary
        if len(name) < 3 or not name[:1].isalpha() or re.match(r"(?:ngày|tháng|năm)\s+\d", name, re.IGNORECASE):
            continue  # "ngày 28 tháng 4 năm 2026 (…)": a date is no name
        spans.append(match.span())
        found.append((match.start(), Anniversary(match.group(0).strip(), name, event, None, end.year - event.year)))
    for match in _LUNAR.finditer(text):
        day, month = int(match.group("day")), int(match.group("month"))
        if not free(match) or not (1 <= day <= 30 and 1 <= month <= 12):
            continue
        spans.append(match.span())
        name = re.sub(r"^(?:kỷ niệm|nhân dịp|dịp)\s+", "", match.group("name").strip(), flags=re.IGNORECASE)
        found.append((match.start(), Anniversary(match.group(0).strip(), name, None, (day, month))))
    return tuple(anniversary for _, anniversary in sorted(found, key=lambda pair: pair[0]))


def named_in_title(title: str, known: tuple[Commemoration, ...]) -> list[str]:
    """The commemorations a trích yếu names by their name, with or without a date ("… dịp Tết
    Nguyên đán Đinh Mùi", "Lễ dâng hương Giỗ Tổ Hùng Vương"): the title says what the document is
    for. The name as the list spells it, its "Ngày" optional, as whole words."""
    words = f" {normalise(title)} "
    found = []
    for commemoration in known:
        name = normalise(re.sub(r"^Ngày\s+", "", commemoration.name))
        if len(name.split()) >= 2 and f" {name} " in words:
            found.append((words.index(f" {name} "), commemoration.id))
    return [commemoration_id for _, commemoration_id in sorted(found)]


def commemorations(text: str, known: tuple[Commemoration, ...], year: int | None = None,
                   title: str = "") -> tuple[Found[list[str]] | None, tuple[Anniversary, ...]]:
    """Ids of the commemorations named with their dates, matched by day, month and year (and by
    name among those of one day: 19/8/1945 is both the Cách mạng Tháng Tám and the Công an
    nhân dân's day), or by lunar day and month, and those the title names; the anniversaries
    commemorations.yaml lacks. `year` is the document's, when it prints one."""
    ids: list[str] = []
    unknown: list[Anniversary] = []
    for anniversary in anniversaries(text, year):
        if anniversary.event is not None:
            event = anniversary.event
            same_day = [c for c in known if c.calendar == "solar" and c.day_month == (event.day, event.month)
                        and c.year in (None, event.year)]
        else:
            same_day = [c for c in known if c.calendar == "lunar" and c.day_month == anniversary.lunar]
        wanted = normalise(anniversary.name).split()
        scored = sorted(((difflib.SequenceMatcher(None, wanted, normalise(c.name).split()).ratio(), c.id)
                         for c in same_day), reverse=True)
        if scored and (len(scored) == 1 or scored[0][0] >= 0.5):
            ids.append(scored[0][1])
        elif anniversary.shown_date not in {a.shown_date for a in unknown}:
            unknown.append(anniversary)
    ids.extend(named_in_title(title, known))
    if not ids:
        return None, tuple(unknown)
    return Found(list(dict.fromkeys(ids)), 0.85), tuple(unknown)
