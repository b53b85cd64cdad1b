"""`import`: turn an official document's text (copied from a PDF, or converted from Word by
`portal/authoring/docx_text.py`) into a content file: front matter recognised from the text, each field with
a confidence, and the body as Markdown.

Recognised: number (or a draft's blank number), kind, title, issuer (header lines, or the sentence
"Ban Thường vụ … ban hành …"), place and date (also left blank), recipients ("Kính gửi", or the
units of "Nơi nhận" when there is none), the documents carried out ("Thực hiện Kế hoạch số … ngày …
của …  về …"), phases, duties per unit, commemorations named with their dates, signer and "Nơi
nhận". Units are matched to units.yaml by `portal/authoring/unitnames.py`; units it lacks get a proposed id
and are reported, so that the editor only has to add them.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import yaml

from portal.authoring.official import (
    ALL_KIND_NAMES,
    NUMBER,
    NUMBER_RE,
    CaseLexicon,
    folded,
    is_capitals,
    is_motto,
    is_separator,
    issuer_from_header,
    kind_of_number,
    number_form,
    number_of_line,
)
from portal.authoring.outline import outline, to_markdown
from portal.authoring.plan_facts import Anniversary, Found, commemorations, day_or_none, duties, phases
from portal.authoring.unitnames import UnitNames, looks_like_unit, proposed_id
from portal.authoring.vietnamese import standard_tones
from portal.content.dates import numeric_date
from portal.content.models import KIND_LABELS, Commemoration, DocumentKind, Unit
from portal.content.slugs import fold, slugify

PORTAL_KINDS = {kind.value for kind in DocumentKind}
KIND_HEADINGS = {name.upper(): name for name in ALL_KIND_NAMES}
CITED_KINDS = {label: kind.value for kind, label in KIND_LABELS.items()}
_KIND_NAMES = "|".join(re.escape(name) for name in ALL_KIND_NAMES)
# "Kế hoạch số 30 - KH/HU ngày 31/12/2021", "Nghị định số 145/2013/NĐ-CP , ngày 29/10/2013", "hướng dẫn số …",
# "Chỉ thị 05-CT/TW": any kind of document, either case, "số" or not, with the date when printed.
_CITATION = re.compile(rf"(?P<kind>(?i:{_KIND_NAMES}))\s+(?:(?P<so>(?i:số))\s*:?\s*)?"
                       rf"(?P<number>{NUMBER}|\d{{1,6}}(?![\d/]))"
                       r"(?:\s*,?\s*ngày\s*(?P<date>\d{1,2}/\d{1,2}/\d{4}|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}))?")
_NUMBER = re.compile(r"^Số\s*:?\s*(\S*\s*/\s*\S+|\S+)\s*$")
_PLACE_DATE = re.compile(r"^(?P<place>[^,\d]{2,40}),\s*ngày\s*(?P<d>\d{1,2})?\s*tháng\s*(?P<m>\d{1,2})?"
                         r"\s*năm\s*(?P<y>\d{4})")
_OPENING = re.compile(r"^(?:(?:Thực hiện|Căn cứ|Triển khai|Theo)\b|Ngày \d{1,2}/)")
_SIGNER_ROLE = re.compile(r"^(T/M|TM\.|KT\.?|K/T|TL\.?|TUQ\.?|Q\.)\s*\S")
_UNIT_SUBJECTS = ("Ban", "Bộ", "Sở", "Ủy ban", "UBND", "Văn phòng", "Phòng", "Huyện ủy", "Tỉnh ủy", "Thành ủy",
                  "Quận ủy", "Thị ủy", "Đảng ủy", "Đảng bộ", "Chi bộ", "Cấp ủy", "Chính phủ", "Trung tâm", "Hội",
                  "Đoàn", "Liên đoàn", "Thường trực", "Cục", "Tổng cục", "Trường", "Công an", "Hội đồng")
# "…, Ban Thường vụ Huyện ủy ban hành Kế hoạch …", "Nay, Ban Thường vụ Thành ủy Vũng Tàu xây dựng …",
# "Sở Văn hóa, Thể thao và Du lịch yêu cầu …": the issuer as the subject of the opening.
_ACTING = re.compile(
    r"(?:^|[,;.”]\s+|\bNay,?\s+|\bTheo đó,?\s+)(?P<name>(?:" + "|".join(_UNIT_SUBJECTS) + r")\b[^;:.“”]{0,80}?)"
    r"\s+(?P<verb>ban hành|xây dựng|yêu cầu|đề nghị|hướng dẫn|thông báo|triển khai|chỉ đạo|biên soạn)\b", re.M)
# "Ngày 06/4, Đảng ủy Văn phòng UBND tỉnh Lai Châu ban hành văn bản số 391-CV/ĐU hướng dẫn …": a
# website's lead naming the document itself, above (or instead of) its header.
_LEAD = re.compile(rf"(?:Ngày\s+(?P<day>\d{{1,2}}/\d{{1,2}}(?:/\d{{4}})?)\s*,\s*)?(?P<issuer>[^.;:]*?)\s+ban hành\s+"
                   rf"(?P<kind>(?i:{_KIND_NAMES}|văn bản))\s+(?:số\s*:?\s*)?(?P<number>{NUMBER})\s*(?P<about>[^\n]*)")
_WEB_DATE = re.compile(r"^(?:Thứ\s+\S+|Chủ nhật)\s*,|^\d{1,2}/\d{1,2}/\d{4}(?:\s+\d{1,2}:\d{2})?$|^Cập nhật")
# A "Nơi nhận" line naming people, not a unit: "Các đồng chí Ủy viên Ban Thường vụ", "Đ/c Bí thư".
_PERSON = re.compile(r"^(?:Các\s+)?(?:đồng chí|đ/c|ông|bà)\b", re.IGNORECASE)
# A website's trailer: attached file names, author and source lines.
_TRAILER = re.compile(r"\.(?:pdf|docx?|zip|rar)\)?$|^(?:Nguồn|Tác giả|Tin, ảnh|File đính kèm|Tải về)\s*:?", re.I)


@dataclass(frozen=True)
class UnknownUnit:
    """A unit the text names that units.yaml lacks: where, as printed, the id proposed for it, and
    the id of the unit above it when the header names one units.yaml has."""

    field: str
    printed: str
    proposed_id: str
    parent: str | None = None
    resembles: str | None = None  # a placeholder ("…-chua-ro") of another document with this name


@dataclass(frozen=True)
class KnownDocument:
    """A document of the content that uses placeholder units ("…-chua-ro": units whose place its copy
    did not print). Those units are that document's: the importer matches them only when the text
    is that document again (its number; or, when it has none, every number it cites and its
    signer's name), since another document naming "Ban Tuyên giáo Huyện ủy" without a place may be
    of any district. A placeholder no document uses is free (added for the document imported)."""

    number: str
    cited: tuple[str, ...]
    signer: str
    placeholders: frozenset[str]

    def is_in(self, number: str, numbers: set[str], text: str) -> bool:
        if self.number or number:
            return number_form(self.number) == number
        return bool(self.cited) and set(self.cited) <= numbers and (not self.signer or self.signer in text)


def known_documents(fronts: Iterable[Any]) -> tuple[KnownDocument, ...]:
    """The content's documents that use placeholder units, from their front matter (as loaded,
    valid or not: a document with errors still owns its units)."""
    def listed(front: dict, key: str) -> list:
        value = front.get(key)
        return value if isinstance(value, list) else []

    found = []
    for front in fronts:
        if not isinstance(front, dict):
            continue
        duty_units = [duty.get("unit") for duty in listed(front, "duties") if isinstance(duty, dict)]
        used = {str(unit) for unit in [front.get("issuer"), *listed(front, "recipients"), *duty_units]}
        placeholders = frozenset(unit for unit in used if UnitNames.is_placeholder(unit))
        if not placeholders:
            continue
        implements = listed(front, "implements")
        cited = tuple(number_form(str(entry["number"])) for entry in implements
                      if isinstance(entry, dict) and entry.get("number"))
        signer = front.get("signer")
        found.append(KnownDocument(number_form(str(front.get("number") or "")), cited,
                                   str(signer.get("name") or "") if isinstance(signer, dict) else "", placeholders))
    return tuple(found)


@dataclass(frozen=True)
class DoubtfulUnit:
    """A name matched to a unit below the sure threshold, or to a placeholder: the editor checks it."""

    field: str
    printed: str
    unit_id: str
    score: float
    candidates: tuple[str, ...]


@dataclass(frozen=True)
class Recognised:
    front: dict = field(default_factory=dict)
    confidence: dict[str, float] = field(default_factory=dict)
    unknown_units: tuple[UnknownUnit, ...] = ()
    unknown_commemorations: tuple[Anniversary, ...] = ()
    unmatched_distribution: tuple[str, ...] = ()  # "Nơi nhận" lines read for recipients that match no unit
    body: str = ""
    doubtful_units: tuple[DoubtfulUnit, ...] = ()
    cited_only: tuple[str, ...] = ()  # numbers in `implements` the text only cites ("Căn cứ …"), not carries out
    unknown_kind: str = ""  # the kind printed when the portal has no such kind


def _clean(line: str) -> str:
    """A line without Markdown heading marks and without the bold markers Word copies around
    blocks such as the signature."""
    line = re.sub(r"^#{1,6}\s+", "", line.strip())
    return line.replace("*", "").strip() if line.startswith("**") or line.endswith("**") else line


def _date(text: str) -> str | None:
    """"5/3/2025", "31 tháng 3 năm 2020" -> "05/03/2025", "31/03/2020"; None when it is no real day."""
    words = re.fullmatch(r"(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", text.strip())
    day = day_or_none("/".join(words.groups()) if words else text)
    return numeric_date(day) if day else None


def _kind_heading(line: str) -> tuple[str, str] | None:
    """"KẾ HOẠCH" -> ("Kế hoạch", ""); "ĐỀ CƯƠNG TUYÊN TRUYỀN" -> ("Đề cương", "TUYÊN TRUYỀN")."""
    line = line.strip(" *")
    if not is_capitals(line):
        return None
    upper = standard_tones(line).upper()
    for heading, name in KIND_HEADINGS.items():
        if upper == heading or upper.startswith(heading + " "):
            return name, line[len(heading):].strip()
    return None


def _kind_value(name: str) -> str | None:
    """The portal's kind for a kind's Vietnamese name, if it has one."""
    value = slugify(name)
    return value if value in PORTAL_KINDS else None


def _header_parts(lines: list[str]) -> list[str]:
    """Header lines, with the columns of a copied header table split apart (tabs, wide gaps, or
    the "|" of a table pasted as text), without the rules printed under them."""
    parts = (part.strip() for line in lines for part in re.split(r"\t+|\s{3,}|\s*\|\s*", line))
    return [part for part in parts if part and not is_separator(part)]


def recognise(text: str, units: list[Unit] | tuple[Unit, ...], kind: str | None = None,
              known_commemorations: tuple[Commemoration, ...] = (),
              documents: tuple[KnownDocument, ...] = ()) -> Recognised:
    """What `text` states. `documents` are the content's documents that use placeholder units
    (`known_documents`): another document's placeholder is not matched (its name is a new unit),
    one that no document uses yet is."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    while lines and (not lines[-1].strip() or _TRAILER.search(lines[-1].strip())):
        lines.pop()  # a website's trailer: the attachment's file name, the source
    stripped = [_clean(line) for line in lines]
    all_names = UnitNames.for_document(units, text)
    numbers = {number_form(match.group(0)) for match in NUMBER_RE.finditer(text)}
    own_number = next(filter(None, map(number_of_line, _header_parts(stripped[:30]))), "")
    others = {unit for document in documents if not document.is_in(own_number, numbers, text)
              for unit in document.placeholders}
    names = UnitNames.for_document([unit for unit in units if unit.id not in others], text)
    lexicon = CaseLexicon.of(tuple(unit.name for unit in units) + tuple(c.name for c in known_commemorations))
    fields: dict[str, Found[Any]] = {}
    taken_ids = {unit.id for unit in units}
    unknown_units: list[UnknownUnit] = []
    doubtful: list[DoubtfulUnit] = []

    def unknown(field_name: str, printed: str, parent: str | None = None) -> str:
        for known in unknown_units:
            if fold(known.printed) == fold(printed):
                return known.proposed_id
        other = all_names.match(printed)
        new = UnknownUnit(field_name, printed, proposed_id(printed, taken_ids), parent,
                          other.unit_id if other and UnitNames.is_placeholder(other.unit_id) else None)
        taken_ids.add(new.proposed_id)
        unknown_units.append(new)
        return new.proposed_id

    def unit_id(field_name: str, printed: str) -> str | None:
        """The unit a printed name means; a doubtful match is kept and reported with its candidates."""
        match = names.match(printed)
        if match is None:
            return None
        if match.score < SURE_SCORE or names.is_placeholder(match.unit_id):
            doubtful.append(DoubtfulUnit(field_name, printed, match.unit_id, match.score,
                                         names.candidates(printed)))
        return match.unit_id

    # The kind's heading ("KẾ HOẠCH", "HƯỚNG DẪN 165-HD/BTGTW") is where the document's own header
    # ends; a "Thực hiện …" above it is a website's lead, not the opening.
    heading_at = next((i for i, line in enumerate(stripped) if _kind_heading(line) and _has_header_before(stripped, i)),
                      None)
    opening_at = next((i for i, line in enumerate(stripped) if _OPENING.match(line)
                       and (heading_at is None or i > heading_at)), None)
    header_lines = stripped[:opening_at if opening_at is not None else len(stripped)]
    header = _header_parts(header_lines)

    number = next(filter(None, map(number_of_line, header)), None)
    heading = _kind_heading(header[kind_at]) if (kind_at := _heading_index(header)) is not None else None
    if number is None and heading is not None and heading[1]:
        number = number_of_line(heading[1])  # "HƯỚNG DẪN 165-HD/BTGTW"
    # No header of its own: a website's lead may name the document ("… ban hành Hướng dẫn số …").
    lead = (_news_lead(stripped[:opening_at + 1 if opening_at is not None else len(stripped)])
            if number is None and heading is None else None)
    if lead is not None and opening_at is not None and _LEAD.search(stripped[opening_at]):
        opening_at = next((i for i in range(opening_at + 1, len(stripped)) if _OPENING.match(stripped[i])), None)
        header = _header_parts(stripped[:opening_at if opening_at is not None else len(stripped)])
    if number is None and lead is not None:
        number = number_form(lead.group("number"))
    blank_number = next((line for line in header if _NUMBER.match(line)), None) if number is None else None
    fields["number"] = Found(number or "", 0.95 if number else (0.6 if blank_number else 0.4))

    vv_at = next((i for i, line in enumerate(header) if re.match(r"^(?:Công văn\s+)?V/v\b", line)), None)
    printed_kind = (heading[0] if heading is not None else
                    (lead.group("kind") if lead is not None and lead.group("kind").lower() != "văn bản" else None))
    unknown_kind = ""
    if kind:
        fields["kind"] = Found(kind, 1.0)
    elif printed_kind is not None and _kind_value(printed_kind):
        fields["kind"] = Found(_kind_value(printed_kind), 0.95 if heading is not None else 0.8)
    elif vv_at is not None:
        fields["kind"] = Found(DocumentKind.CONG_VAN.value, 0.9)
    elif number and (coded := kind_of_number(number)) and _kind_value(coded):
        fields["kind"] = Found(_kind_value(coded), 0.8)
    else:
        unknown_kind = printed_kind or (kind_of_number(number) if number else None) or ""
        fields["kind"] = Found(DocumentKind.CONG_VAN.value, 0.3)

    # A date line split at its own wide gaps ("TP Vinh, ngày 25   tháng  01  năm 2016") is read whole too.
    for line in header + [" ".join(line.split()) for line in header_lines]:
        if match := _PLACE_DATE.match(line):
            fields["place"] = Found(match.group("place").strip(), 0.9)
            if match.group("d") and match.group("m") \
                    and (issued := _date(f"{match.group('d')}/{match.group('m')}/{match.group('y')}")):
                fields["issued"] = Found(issued, 0.95)
            else:
                fields["issued_year"] = Found(int(match.group("y")), 0.9)
            break
    if "issued" not in fields and lead is not None and lead.group("day") \
            and (issued := _lead_date(lead.group("day"), "\n".join(stripped[:8]))):
        fields["issued"] = Found(issued, 0.6)

    title = _title(header, kind_at, vv_at, lexicon)
    if title is None and lead is not None:
        title = _lead_title(lead.group("about"))
    if title:
        fields["title"] = title

    recipients_at = next((i for i, line in enumerate(stripped) if re.match(r"^-?\s*Kính gửi", line)), None)
    recipients_end = 0
    if recipients_at is not None:
        recipients: list[str] = []
        printed_recipients, recipients_end = _recipient_lines(stripped, recipients_at)
        for printed in printed_recipients:
            matched = unit_id("recipients", printed)
            found = (matched,) if matched else names.find_in(printed)
            recipients.extend(found or (unknown("recipients", printed),))
        fields["recipients"] = Found(list(dict.fromkeys(recipients)), 0.8 if recipients else 0.3)

    received_at = next((i for i, line in enumerate(stripped) if re.match(r"^Nơi nhận\s*:?", line)), None)
    if received_at is not None:
        distribution, signer_lines = _distribution_and_signer(stripped, received_at)
        fields["distribution"] = Found(distribution, 0.9)
        body_end = received_at
    else:
        body_end, signer_lines = _closing_block(stripped)
    if signer := _signer(signer_lines) or _abbreviated_signer(header):
        fields["signer"] = signer

    opening = _opening(stripped, opening_at)
    if not opening:  # no "Thực hiện …": the first paragraph after the header still names who acts
        first = (next((i for i in range(recipients_end, len(stripped)) if stripped[i]), len(stripped))
                 if recipients_at is not None else _after_title(stripped, (heading_at or -1) + 1))
        opening = _opening(stripped, first) if first < len(stripped) else ""
    before_header = "\n".join(stripped[:heading_at]) if heading_at is not None else ""
    issuer = _issuer(header, standard_tones(opening), standard_tones(before_header), lead,
                     fields.get("signer"), names, lexicon)
    if issuer:
        printed_issuer, issuer_parent, sureness = issuer
        matched_issuer = unit_id("issuer", printed_issuer)
        if matched_issuer:
            score = names.match(printed_issuer)
            fields["issuer"] = Found(matched_issuer, round(sureness * (score.score if score else 1.0), 2))
        else:
            fields["issuer"] = Found(unknown("issuer", printed_issuer, issuer_parent), 0.5)
    cited, cited_only = _implements(standard_tones(opening), names, number or "")
    if cited:
        fields["implements"] = cited
    if "title" not in fields and cited and not cited_only:
        # A copy without a trích yếu: the title of what it carries out, as the hand-made sample does.
        inferred = re.sub(r"^về (việc )?", "", cited.value[0].get("title", ""))
        if inferred:
            fields["title"] = Found(inferred[:1].upper() + inferred[1:], 0.3)
            fields["title_inferred"] = Found(True, 0.3)

    unmatched: list[str] = []
    if "recipients" not in fields and received_at is not None:
        # No "Kính gửi": the units of "Nơi nhận" are the recipients (docs/transcription-brief.md). When
        # units.yaml has some of them, those are (the content was set up for the document; the rest are
        # reported); when it has none, the document is new to the portal and its units are proposed.
        recipients = []
        not_found: list[tuple[str, str]] = []  # the line, and its unit's name when it names one
        for line in fields["distribution"].value:
            if re.match(r"^(Lưu|Như)\b", line):
                continue
            line_match = names.match(line)
            found = (line_match.unit_id,) if line_match else names.find_in(line)
            recipients.extend(found_id for found_id in found
                              if found_id != (fields["issuer"].value if "issuer" in fields else None))
            if not found:
                printed = " ".join(re.sub(r"\([^()]*\)", " ", line).strip(" -;,.:").split())  # without "(b/c)"
                not_found.append((line, printed if looks_like_unit(printed) and not _PERSON.match(printed) else ""))
        if not recipients:
            recipients = [unknown("recipients", printed) for _, printed in not_found if printed]
        unmatched.extend(line for line, printed in not_found if not printed or printed not in
                         {known.printed for known in unknown_units})
        if recipients:
            fields["recipients"] = Found(list(dict.fromkeys(recipients)), 0.5)
    if "recipients" not in fields and received_at is None and (asked := _asked(standard_tones(opening))):
        # "Ban Tuyên giáo Huyện ủy đề nghị các tổ chức cơ sở đảng, Mặt trận … thực hiện …": those asked.
        fields["recipients"] = Found(list(dict.fromkeys(unit_id("recipients", printed) or unknown("recipients", printed)
                                                        for printed in asked)), 0.5)

    if opening_at is not None:
        body_start = opening_at
    else:  # no "Thực hiện …": the body starts after the kind's heading and the title under it
        body_start = _after_title(stripped, max(heading_at + 1 if heading_at is not None else 0, recipients_end))
    blocks = outline(lines[body_start:body_end])

    recipient_ids = tuple(fields["recipients"].value) if "recipients" in fields else ()
    whole_body = fields["kind"].value == DocumentKind.CONG_VAN.value
    found_duties, unknown_duty_units = duties(blocks, names, recipient_ids, whole_body)
    if found_duties:
        fields["duties"] = Found([{"unit": unit.unit_id or unknown("duties", unit.printed), "tasks": tasks}
                                  for unit, tasks in found_duties.value], found_duties.confidence)
    if found_phases := phases(blocks):
        fields["phases"] = found_phases
    issued_in = fields["issued"].value[-4:] if "issued" in fields else fields.get("issued_year", Found(0, 0)).value
    found_commemorations, unknown_anniversaries = commemorations(  # the title may name one too
        "\n".join(lines[:body_end]), tuple(known_commemorations), int(issued_in) or None,
        fields["title"].value if "title" in fields and "title_inferred" not in fields else "")
    if found_commemorations:
        fields["commemorations"] = found_commemorations

    return Recognised(
        front={key: value.value for key, value in fields.items()},
        confidence={key: value.confidence for key, value in fields.items()},
        unknown_units=tuple(unknown_units),
        unknown_commemorations=unknown_anniversaries,
        unmatched_distribution=tuple(unmatched),
        body=to_markdown(blocks),
        doubtful_units=tuple(doubtful),
        cited_only=cited_only,
        unknown_kind=unknown_kind)


SURE_SCORE = 0.95  # a unit matched below this is reported with its candidates


def _has_header_before(lines: list[str], at: int) -> bool:
    """Whether a kind's heading at `at` closes a header (a number, a date line, the Quốc hiệu or a
    capital issuer above it), or stands first: "Thông báo về việc …" repeated by a website is not."""
    above = [line for line in lines[:at] if line.strip()]
    if not above:
        return True
    parts = _header_parts(above)
    return any(number_of_line(part) or _NUMBER.match(part) or _PLACE_DATE.match(part) or is_motto(part)
               or (is_capitals(part) and looks_like_unit(part)) for part in parts)


def _heading_index(header: list[str]) -> int | None:
    return next((i for i, line in enumerate(header) if _kind_heading(line)), None)


def _news_lead(lines: list[str]) -> re.Match | None:
    """A website's lead naming the document it presents ("… ban hành Hướng dẫn số 55-HD/BTGTW về …")."""
    for line in lines:
        if (match := _LEAD.search(line)) and not re.match(r"^(?:Thực hiện|Căn cứ|Triển khai)\b", line):
            return match
    return None


def _lead_date(day: str, context: str) -> str | None:
    """"06/4" with the year the lead's context names for that month ("tháng 4/2015"), or its own."""
    if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", day):
        return _date(day)
    month = int(day.split("/")[1])
    year = re.search(rf"tháng\s+0?{month}\s*(?:/|năm)\s*(\d{{4}})", context)
    return _date(f"{day}/{year.group(1)}") if year else None


def _lead_title(about: str) -> Found[str] | None:
    """"về tuyên truyền kỷ niệm 100 năm … (23/11/1922 - 23/11/2022). Trang …" -> "Tuyên truyền kỷ niệm …"."""
    text = re.split(r"(?<=[^\d\s(])\.(?:\s|$)|(?<=\))\.(?:\s|$)|(?<=\d)\.\s", about.strip(), maxsplit=1)[0]
    text = re.sub(r"^(?:về\s+(?:việc\s+)?)", "", text.strip(" ,"))
    text = text.rstrip(" .")
    if len(text) < 8:
        return None
    return Found(text[:1].upper() + text[1:], 0.6)


def _abbreviated_signer(header: list[str]) -> Found[dict] | None:
    """A website's metadata line "KTBT, TT Huỳnh Vĩnh Ái": KT. BỘ TRƯỞNG, THỨ TRƯỞNG, name."""
    for line in header:
        match = re.match(r"^(?P<authority>KT|TL|TUQ|TM)(?P<head>BT|CT|GĐ|TT|BTh)\s*,\s*"
                         r"(?P<position>PCT|PGĐ|TT|PBT|PTB|CT)\s+(?P<name>(?:[A-ZĐÀ-Ỹ][^\W\d_]*\s*){2,5}?)"
                         r"(?=\s+(?:Theo|Nguồn)\b|\s*$)", line)
        if match:
            heads = {"BT": "BỘ TRƯỞNG", "CT": "CHỦ TỊCH", "GĐ": "GIÁM ĐỐC", "TT": "THỦ TRƯỞNG", "BTh": "BÍ THƯ"}
            positions = {"PCT": "PHÓ CHỦ TỊCH", "PGĐ": "PHÓ GIÁM ĐỐC", "TT": "THỨ TRƯỞNG", "PBT": "PHÓ BÍ THƯ",
                         "PTB": "PHÓ TRƯỞNG BAN", "CT": "CHỦ TỊCH"}
            authority = {"TM": "T/M"}.get(match.group("authority"), match.group("authority") + ".")
            return Found({"name": match.group("name").strip(), "position": positions[match.group("position")],
                          "on_behalf": f"{authority} {heads[match.group('head')]}"}, 0.5)
    return None


def _asked(opening: str) -> list[str]:
    """The units an opening asks to act ("… đề nghị A, B và các đoàn thể huyện, C thực hiện …")."""
    match = re.search(r"\b(?:đề nghị|yêu cầu)\s+(?P<asked>.+?)\s+(?:thực hiện|triển khai|lãnh đạo|chỉ đạo|tập trung"
                      r"|nghiêm túc|phối hợp|quán triệt|tăng cường)\b", opening)
    if match is None or len(match.group("asked")) > 300:
        return []
    pieces = [piece.strip() for piece in re.split(r"[,;]\s*", match.group("asked")) if piece.strip()]
    asked: list[str] = []
    for piece in pieces:  # "Trung tâm Văn hóa, Thông tin và Thể thao huyện": a comma inside one name
        if asked and not looks_like_unit(piece):
            asked[-1] += ", " + piece
        else:
            asked.append(piece)
    return asked if asked and all(len(name) <= 120 for name in asked) else []


def _title(header: list[str], kind_at: int | None, vv_at: int | None, lexicon: CaseLexicon) -> Found[str] | None:
    """The trích yếu: the V/v line of a Công văn, or the lines under the kind's heading; no number,
    no rules, sentence case when printed in capitals (proper names kept by the lexicon)."""
    if vv_at is not None:
        parts = [re.sub(r"^(?:Công văn\s+)?V/v\s*", "", header[vv_at]).strip()]
        for line in header[vv_at + 1:]:
            if not line or _is_header_stop(line):
                break
            parts.append(line)
        title = " ".join(parts).strip()
        if is_capitals(title):
            return Found(lexicon.sentence_case(title), 0.7)
        return Found(title, 0.95)  # as printed: "V/v triển khai …" keeps its small letter
    heading = _kind_heading(header[kind_at]) if kind_at is not None else None
    if kind_at is None or heading is None:
        return None
    _, rest = heading
    if number_of_line(rest):
        rest = ""  # "HƯỚNG DẪN 165-HD/BTGTW": the number, not the title
    parts = [rest] if rest else []
    for line in header[kind_at + 1:]:
        if _is_header_stop(line) or _WEB_DATE.search(line) or line == header[kind_at] or _kind_heading(line) \
                and parts and line.upper() == line:
            break
        parts.append(line)
    title = " ".join(parts).strip()
    if not title:
        return None
    if is_capitals(title):
        return Found(lexicon.sentence_case(title), 0.7)
    if parts and rest:
        title = " ".join([rest.lower()] + [p[:1].lower() + p[1:] for p in parts[1:]])
    return Found(title[:1].upper() + title[1:], 0.85)


def _is_header_stop(line: str) -> bool:
    """Where a trích yếu ends: at the next header line (the Quốc hiệu and its tiêu ngữ too, which a
    copied header puts under the V/v line), a date line or the opening."""
    return bool(line.startswith(("Kính gửi", "- Kính gửi", "Số", "V/v")) or _PLACE_DATE.match(line)
                or _OPENING.match(line) or is_motto(line))


def _after_title(lines: list[str], start: int) -> int:
    """Where the body starts when no "Thực hiện …" opens it: at the first section, numbered or
    listed line, or long paragraph after the title lines."""
    index = start
    while index < len(lines) and not _looks_like_body(lines[index]):
        index += 1
    return index


def _looks_like_body(line: str) -> bool:
    return bool(re.match(r"^([IVX]+\s*[.\-]|\d+\.|- |\+ )", line)) or len(line) > 160


def _is_name(line: str) -> bool:
    """"Lê Thị Thanh Bình", "K' Linh": a signer's name."""
    words = line.split()
    return 2 <= len(words) <= 6 and all(word[:1].isupper() and word[1:].replace("'", "").islower() or word.endswith("'")
                                        for word in words)


def _closing_block(lines: list[str]) -> tuple[int, list[str]]:
    """Without "Nơi nhận": where the body ends, and the signature lines after it. A document may end
    with its issuer's name in capitals ("BAN TUYÊN GIÁO HUYỆN ỦY LỤC NGẠN") or a signature block."""
    end = len(lines)
    block: list[str] = []
    while end > 0 and len(block) < 6:
        line = lines[end - 1].strip()
        if line and not (len(line) < 80 and (line.upper() == line or _is_name(line) or re.fullmatch(r"\(.*\)", line))):
            break
        if line:
            block.insert(0, line)
        end -= 1
    signer = block if block and _is_name(block[-1]) and any(line.upper() == line for line in block) else []
    return end, signer


def _recipient_lines(lines: list[str], at: int) -> tuple[list[str], int]:
    """"Kính gửi: - A;" and the "- B;" lines after it (or names one per line), split at ";"; and
    the index of the line after them."""
    first = re.sub(r"^-?\s*Kính gửi\s*:?\*?\s*", "", lines[at]).strip()
    candidates = [first] if first else []
    end = at + 1
    for index in range(at + 1, len(lines)):
        line = lines[index]
        if not line:
            continue
        if not (line.startswith("-") or (looks_like_unit(line) and not _OPENING.match(line) and len(line) < 120)):
            break
        candidates.append(line)
        end = index + 1
    parts = [part for candidate in candidates for part in
             (piece.strip(" -;,.") for piece in candidate.lstrip("- ").split(";")) if part]
    return parts, end


def _distribution_and_signer(lines: list[str], at: int) -> tuple[list[str], list[str]]:
    distribution: list[str] = []
    rest_at = len(lines)
    first = re.sub(r"^Nơi nhận\s*:?\s*", "", lines[at]).strip()
    if first:
        distribution.append(first.lstrip("- ").strip())
    for index in range(at + 1, len(lines)):
        line = lines[index]
        if line.startswith("-"):
            distribution.append(line.lstrip("- ").strip())
        elif line and distribution:
            rest_at = index
            break
    signer = [line for line in lines[rest_at:] if line and not line.startswith("-")]
    return distribution, signer


def _signer(lines: list[str]) -> Found[dict] | None:
    """"T/M BAN THƯỜNG VỤ / PHÓ BÍ THƯ / name": authority, position, name, as printed."""
    lines = [line for line in lines if not re.fullmatch(r"\(?(Đã ký|đã ký|Ký tên|ký, ghi rõ họ tên)[^)]*\)?", line)]
    if not lines:
        return None
    signer: dict = {"name": lines[-1]}
    roles = lines[:-1]
    authority = []
    while roles and _SIGNER_ROLE.match(roles[0]):
        authority.append(roles.pop(0))  # "TM. ỦY BAN NHÂN DÂN" / "KT. CHỦ TỊCH": both, as printed
    if authority:
        signer["on_behalf"] = " / ".join(authority)
    if roles:
        signer["position"] = roles[0]
    return Found(signer, 0.85 if len(lines) > 1 else 0.5)


def _opening(lines: list[str], at: int | None) -> str:
    """The opening paragraphs ("Căn cứ …", "Thực hiện …") and the sentence that follows them."""
    if at is None:
        return ""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines[at:]:
        if not line:
            if current:
                paragraphs.append(" ".join(current))
                current = []
            continue
        if re.match(r"^([IVX]+\s*[.\-]|\d+\.)\s", line) or line.startswith("- "):
            break
        current.append(line)
    if current:
        paragraphs.append(" ".join(current))
    chosen = []
    for paragraph in paragraphs[:6]:
        chosen.append(paragraph)
        if not _OPENING.match(paragraph):
            break
    return "\n".join(chosen)


def _issuer(header: list[str], opening: str, before_header: str, lead: re.Match | None,
            signer: Found[dict] | None, names: UnitNames,
            lexicon: CaseLexicon) -> tuple[str, str | None, float] | None:
    """The issuing body as printed (the name to match or to propose), its parent's id when known, and
    how sure the place it was read from makes it:
    from the header ("TỈNH ỦY BÀ RỊA - VŨNG TÀU" / "BAN TUYÊN GIÁO"; a Party committee signing "T/M BAN
    THƯỜNG VỤ" issues as its Ban Thường vụ), else from a website's lead ("… ban hành Hướng dẫn số …"),
    else from the opening's subject ("Nay, Ban Thường vụ Thành ủy Vũng Tàu xây dựng kế hoạch …")."""
    before: list[str] = []
    for line in header:
        if number_of_line(line) or _NUMBER.match(line) or _kind_heading(line) or line.startswith("V/v") \
                or _PLACE_DATE.match(line):
            break
        if is_capitals(line) and re.search(r"[A-ZĐ]", line) and not is_motto(line) and len(line) < 120:
            before.append(line.strip("*- "))
    acting = [match.group("name") for text in (opening, before_header) for match in _ACTING.finditer(text)
              if not _CITATION.match(text[match.end("verb"):].strip())]  # "… ban hành Hướng dẫn số …": another's
    if before:
        candidates = issuer_from_header(before)
        on_behalf = (signer.value.get("on_behalf", "") if signer else "")
        first = on_behalf.split(" / ")[0]
        body = first.split(" ", 1)[1] if first.startswith(("T/M ", "TM. ")) else ""
        initials = "".join(word[0] for word in folded(body).split())
        if body and not folded(before[-1]).startswith((folded(body) + " ", initials + " ")):
            candidates.insert(0, f"{body} {before[-1]}")  # not "BAN CHẤP HÀNH BCH ĐOÀN TRƯỜNG …"
        matches = [(match, candidate) for candidate in candidates if (match := names.match(candidate))]
        if matches:
            return max(matches, key=lambda pair: pair[0].score)[1], None, 0.9
        parent = names.match(before[-2]) if len(before) > 1 else None
        printed = lexicon.sentence_case(candidates[0])
        for name in acting:  # the opening often names it in full ("Đảng bộ trường Đại học …")
            if len(name) > len(printed) and difflib.SequenceMatcher(None, folded(printed).split(),
                                                                     folded(name).split()).ratio() >= 0.85:
                printed = name
        return printed, parent.unit_id if parent else None, 0.9
    if lead is not None and lead.group("issuer").strip():
        name = re.sub(r"^(?:Ngày\s+\S+\s*,\s*)", "", lead.group("issuer").strip(" ,"))
        return standard_tones(name), None, 0.7
    for name in acting:
        return name, None, 0.7
    return None


_CARRIED_OUT = re.compile(r"\b(?:Thực hiện|thực hiện|Triển khai|triển khai|Theo|theo|Căn cứ|căn cứ)\b")


def _implements(opening: str, names: UnitNames, own_number: str) -> tuple[Found[list[dict]] | None, tuple[str, ...]]:
    """Every document the opening cites: number, kind, date, issuer ("của …") and title ("về …"); and
    the numbers it only cites as its basis ("Căn cứ …") rather than carries out ("Thực hiện …").
    Those carried out directly come first, then those only named inside another's title ("Công văn
    số 637-CV/BCSD … về việc thực hiện Kế hoạch số 113-KH/TU …"), as an editor lists them."""
    if not opening:
        return None, ()
    # The title of the last cited document ends where the issuer's own sentence starts.
    subject = next((m for m in _ACTING.finditer(opening) if not _CITATION.match(opening[m.end("verb"):].strip())), None)
    text = (opening[:subject.start("name")].rstrip(" ,;") if subject else opening).replace("*", "")
    cited: dict[str, dict] = {}
    direct: set[str] = set()
    basis: set[str] = set()
    title_spans: list[tuple[int, int]] = []
    cut = len(text)
    # Documents named after the issuer's own sentence ("… yêu cầu …; tuyên truyền theo Hướng dẫn số …").
    later = [match for match in _CITATION.finditer(opening, subject.end()) if subject] if subject else []
    for match in [*_CITATION.finditer(text), *later]:
        entry = _citation(match, text if match.start() < cut else opening, names)
        if entry["number"] == own_number or not re.search(r"\d", entry["number"]) \
                or (entry["number"].isdigit() and not match.group("so")):
            continue  # a website's lead naming the document itself; "Chỉ thị 05" is a number only after "số"
        if not any(start <= match.start() < end for start, end in title_spans):
            direct.add(entry["number"])
        introduced = [m.group(0).lower() for m in _CARRIED_OUT.finditer(text, 0, match.start())]
        if introduced and introduced[-1] == "căn cứ":
            basis.add(entry["number"])
        if "title" in entry:
            title_at = text.index(entry["title"], match.end())
            title_spans.append((title_at, title_at + len(entry["title"])))
        known = cited.setdefault(entry["number"], {})
        for key, value in entry.items():
            known.setdefault(key, value)  # a number cited twice: what each mention adds
    if not cited:
        return None, ()
    order = ("number", "kind", "issuer", "issued", "title")
    entries = sorted(cited.values(), key=lambda entry: entry["number"] not in direct)
    return (Found([{key: entry[key] for key in order if key in entry} for entry in entries], 0.8),
            tuple(number for number in cited if number in basis))


def _citation(match: re.Match, text: str, names: UnitNames) -> dict:
    entry: dict = {"number": number_form(match.group("number"))}
    kind_name = match.group("kind")
    if (value := _kind_value(kind_name[:1].upper() + kind_name[1:].lower())) is not None:
        entry["kind"] = value
    if match.group("date") and (issued := _date(match.group("date"))):
        entry["issued"] = issued
    after = text[match.end():]
    if by := re.match(r"^\s*,?\s*của\s+(?P<name>.+?)(?=\s+về\b|\s*[;,.“”\"]|$)", after):
        if unit := names.match(by.group("name")):
            entry["issuer"] = unit.unit_id
        after = after[by.end():]
    if about := re.match(r"^\s*,?\s*[“\"]?(?P<title>về\b.+?)(?=[”\";\n]|\.\s|\.?$)", after):
        entry["title"] = about.group("title").strip(" ,")
    # "Ngày 03/10/2024, Ban Tuyên giáo Tỉnh ủy … ban hành Hướng dẫn số 193-HD/BTGTU": date and issuer come first.
    lead = text[:match.start()]
    if acting := re.search(r"(?P<name>[^,;.]+?)\s+ban hành\s*$", lead):
        if "issuer" not in entry and (unit := names.match(acting.group("name"))):
            entry["issuer"] = unit.unit_id
        day = re.search(r"Ngày (\d{1,2}/\d{1,2}/\d{4})\s*,?\s*[^,;.]*$", lead)
        if "issued" not in entry and day and (issued := _date(day.group(1))):
            entry["issued"] = issued
    return entry


class _PlainDumper(yaml.SafeDumper):
    """Safe YAML without anchors and aliases (`check` refuses them; editors should not meet them)."""

    def ignore_aliases(self, data) -> bool:
        return True


FRONT_ORDER = ("number", "kind", "title", "title_inferred", "issuer", "place", "issued", "issued_year", "signer",
               "recipients", "distribution", "implements", "topics", "commemorations", "phases", "duties")


def document_text(result: Recognised, issuer: str = "", source: str = "") -> str:
    """The content file: a comment on what to review, the front matter in the contract's key order,
    then the body."""
    front = dict(result.front)
    if issuer:
        front["issuer"] = issuer
    front.setdefault("number", "")
    front.setdefault("title", "")
    front.setdefault("issuer", None)
    front["topics"] = []
    ordered = {key: front[key] for key in FRONT_ORDER if key in front and (front[key] or key in
                                                                             ("number", "title", "issuer", "topics"))}
    head = yaml.dump(ordered, Dumper=_PlainDumper, allow_unicode=True, sort_keys=False, width=1000)
    notes = [f"# Nhập tự động{f' từ {source}' if source else ''}: đọc lại và so với bản gốc trước khi gửi."]
    doubtful = [key for key, value in result.confidence.items() if value < 0.7 and not (key == "issuer" and issuer)]
    if doubtful:
        notes.append("# Cần xem lại (mức tin cậy thấp): " + ", ".join(doubtful))
    if not front["issuer"]:
        notes.append("# issuer: BẮT BUỘC — mã đơn vị ban hành trong units.yaml (văn bản không ghi rõ)")
    if result.unknown_units:
        notes.append("# Đơn vị chưa có trong units.yaml (thêm vào units.yaml với mã đề xuất, hoặc sửa mã):")
        notes.extend(f"#   {unit.proposed_id}: {unit.printed}" + _resembles(unit) for unit in result.unknown_units)
    notes.extend(f"# Kiểm tra: “{unit.printed}” được khớp với {unit.unit_id} ({unit.score:.0%}); gần nhất: "
                 + ", ".join(unit.candidates) for unit in result.doubtful_units)
    if result.cited_only:
        notes.append("# implements: chỉ được căn cứ (không phải thực hiện): " + ", ".join(result.cited_only))
    if result.unknown_kind:
        notes.append(f"# kind: văn bản ghi “{result.unknown_kind}”, cổng chưa có loại này — tạm ghi cong-van")
    if result.unknown_commemorations:
        notes.append("# Ngày kỷ niệm chưa có trong commemorations.yaml: "
                     + "; ".join(a.printed for a in result.unknown_commemorations))
    return "---\n" + "\n".join(notes) + "\n" + head + "---\n\n" + result.body


def commemorations_yaml_snippet(result: Recognised) -> str:
    """What to add to commemorations.yaml for the anniversaries the document names that it lacks:
    the name, the day, and the year the count of years gives (or the lunar calendar)."""
    entries = []
    for anniversary in result.unknown_commemorations:
        name = anniversary.name[:1].upper() + anniversary.name[1:]
        lines = [f"- id: {slugify(name, max_length=50) or 'ngay-ky-niem'}",
                 f"  name: {yaml.safe_dump(name, allow_unicode=True, width=1000).splitlines()[0]}"]
        if anniversary.event is not None:
            lines += [f'  date: "{anniversary.event.day:02d}/{anniversary.event.month:02d}"',
                      f"  year: {anniversary.event.year}"]
        elif anniversary.lunar is not None:
            lines += [f'  date: "{anniversary.lunar[0]:02d}/{anniversary.lunar[1]:02d}"', "  calendar: lunar"]
        lines.append(f"  # in: {anniversary.printed}")
        entries.append("\n".join(lines) + "\n")
    return "".join(entries)


def _resembles(unit: UnknownUnit) -> str:
    return (f" (trùng tên đơn vị tạm {unit.resembles} của văn bản khác: dùng mã đó nếu đúng là một đơn vị)"
            if unit.resembles else "")


def units_yaml_snippet(result: Recognised) -> str:
    """What to add to units.yaml for the units the document names that it lacks."""
    return "".join((f"# {_resembles(unit).strip(' ()')}\n" if unit.resembles else "") +
                   f"- id: {unit.proposed_id}\n"
                   f"  name: {yaml.safe_dump(unit.printed, allow_unicode=True, width=1000).splitlines()[0]}\n"
                   + (f"  parent: {unit.parent}\n" if unit.parent else "")
                   for unit in result.unknown_units)


FIELD_LABELS = {
    "number": "số, ký hiệu", "kind": "loại", "title": "trích yếu", "title_inferred": "trích yếu suy ra",
    "issuer": "cơ quan ban hành", "place": "nơi ban hành", "issued": "ngày ban hành", "issued_year": "năm ban hành",
    "signer": "người ký", "recipients": "kính gửi", "distribution": "nơi nhận", "implements": "văn bản được thực hiện",
    "commemorations": "ngày kỷ niệm", "phases": "giai đoạn", "duties": "nhiệm vụ",
}


def _shown(key: str, value) -> str:
    if isinstance(value, list) and key in ("implements", "phases", "duties"):
        name = {"implements": "number", "phases": "name", "duties": "unit"}[key]
        return f"{len(value)}: " + "; ".join(str(entry[name]) for entry in value)
    if isinstance(value, list):
        return f"{len(value)}: " + "; ".join(map(str, value))
    if isinstance(value, dict):
        return " / ".join(str(part) for part in value.values())
    return str(value) if value != "" else "(trống)"


def report(result: Recognised) -> list[str]:
    """What the editor reads after an import: each field with its confidence, and what to add."""
    lines = ["Mức tin cậy của từng trường nhận ra:"]
    for key in sorted(result.confidence, key=lambda key: FRONT_ORDER.index(key) if key in FRONT_ORDER else 99):
        confidence = result.confidence[key]
        lines.append(f"  {key}: {confidence:.0%} ({FIELD_LABELS.get(key, key)}) — "
                     f"{_shown(key, result.front[key])}"[:200])
    missing = [FIELD_LABELS[key] for key in ("issuer", "title", "recipients", "duties") if key not in result.front]
    if missing:
        lines.append("Không nhận ra: " + ", ".join(missing) + " — điền tay nếu văn bản có.")
    if result.unknown_units:
        lines.append("Đơn vị chưa có trong units.yaml — thêm vào content/units.yaml (sửa tên, mã nếu cần):")
        lines.extend("  " + line for line in units_yaml_snippet(result).splitlines())
    if result.unknown_commemorations:
        lines.append("Ngày kỷ niệm chưa có trong commemorations.yaml (thêm vào content/commemorations.yaml nếu cần):")
        lines.extend("  " + line for line in commemorations_yaml_snippet(result).splitlines())
    lines.extend(f"Cảnh báo: “{unit.printed}” ({FIELD_LABELS.get(unit.field, unit.field)}) được khớp với "
                 f"{unit.unit_id} ({unit.score:.0%}"
                 + (", đơn vị tạm chưa rõ địa danh" if UnitNames.is_placeholder(unit.unit_id) else "")
                 + ") — kiểm tra lại; các đơn vị gần nhất: " + ", ".join(unit.candidates)
                 for unit in result.doubtful_units)
    if result.cited_only:
        lines.append("Văn bản chỉ được căn cứ (không phải văn bản được thực hiện), xem lại implements: "
                     + ", ".join(result.cited_only))
    if result.unknown_kind:
        lines.append(f"Loại văn bản “{result.unknown_kind}” chưa có trên cổng: tạm ghi là công văn, sửa `kind`.")
    if result.unmatched_distribution:
        lines.append("Nơi nhận không khớp đơn vị nào (không đưa vào recipients): "
                     + "; ".join(result.unmatched_distribution))
    return lines
