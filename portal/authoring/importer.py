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

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from portal.authoring.outline import outline, to_markdown
from portal.authoring.plan_facts import Anniversary, Found, commemorations, day_or_none, duties, phases
from portal.authoring.unitnames import UnitNames, looks_like_unit, proposed_id
from portal.content.dates import numeric_date
from portal.content.models import KIND_LABELS, Commemoration, DocumentKind, Unit
from portal.content.slugs import fold

KIND_HEADINGS = {label.upper(): kind for kind, label in KIND_LABELS.items()}
KIND_CODES = {"KH": DocumentKind.KE_HOACH, "CV": DocumentKind.CONG_VAN, "HD": DocumentKind.HUONG_DAN,
              "ĐC": DocumentKind.DE_CUONG, "DC": DocumentKind.DE_CUONG, "CT": DocumentKind.CHI_THI,
              "NQ": DocumentKind.NGHI_QUYET, "KL": DocumentKind.KET_LUAN, "TB": DocumentKind.THONG_BAO,
              "BC": DocumentKind.BAO_CAO}
CITED_KINDS = {label: kind.value for kind, label in KIND_LABELS.items()}
# The national motto and the Party's name head every document; they name no issuer.
MOTTO = ("ĐẢNG CỘNG SẢN VIỆT NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
         "ĐỘC LẬP - TỰ DO - HẠNH PHÚC")

_NUMBER = re.compile(r"^Số\s*:?\s*(\S*\s*/\s*\S+|\S+)\s*$")
_PLACE_DATE = re.compile(r"^(?P<place>[^,\d]{2,40}),\s*ngày\s*(?P<d>\d{1,2})?\s*tháng\s*(?P<m>\d{1,2})?"
                         r"\s*năm\s*(?P<y>\d{4})")
_CITATION = re.compile(r"(?P<kind>" + "|".join(CITED_KINDS) + r") số (?P<number>[0-9][\w\-/Đđ.]*[\w])"
                       r"(?:\s*,?\s*ngày\s*(?P<date>\d{1,2}/\d{1,2}/\d{4}))?")
_OPENING = re.compile(r"^(?:(?:Thực hiện|Căn cứ|Triển khai|Theo)\b|Ngày \d{1,2}/)")
_SIGNER_ROLE = re.compile(r"^(T/M|KT\.?|K/T|TL\.?|TUQ\.?|Q\.)\s*\S")
# "…, Ban Thường vụ Huyện ủy ban hành Kế hoạch …", "Nay, Ban Thường vụ Thành ủy Vũng Tàu xây dựng …",
# "Sở Văn hóa, Thể thao và Du lịch yêu cầu …": the issuer as the subject of the opening.
_ACTING = re.compile(
    r"(?:^|[,;.”]\s+|\bNay,?\s+)(?P<name>(?:Ban|Sở|Ủy ban|UBND|Văn phòng|Phòng|Huyện ủy|Tỉnh ủy|Thành ủy|Đảng ủy"
    r"|Trung tâm|Hội|Đoàn|Thường trực)\b[^;:.“”]{0,80}?)\s+(?P<verb>ban hành|xây dựng|yêu cầu|đề nghị|hướng dẫn"
    r"|thông báo|triển khai|chỉ đạo|biên soạn)\b", re.M)


@dataclass(frozen=True)
class UnknownUnit:
    """A unit the text names that units.yaml lacks: where, as printed, and the id proposed for it."""

    field: str
    printed: str
    proposed_id: str


@dataclass(frozen=True)
class Recognised:
    front: dict = field(default_factory=dict)
    confidence: dict[str, float] = field(default_factory=dict)
    unknown_units: tuple[UnknownUnit, ...] = ()
    unknown_commemorations: tuple[Anniversary, ...] = ()
    unmatched_distribution: tuple[str, ...] = ()  # "Nơi nhận" lines read for recipients that match no unit
    body: str = ""


def _clean(line: str) -> str:
    """A line without Markdown heading marks and without the bold markers Word copies around
    blocks such as the signature."""
    line = re.sub(r"^#{1,6}\s+", "", line.strip())
    return line.replace("*", "").strip() if line.startswith("**") or line.endswith("**") else line


def _date(text: str) -> str | None:
    """"5/3/2025" -> "05/03/2025"; None when it is no real day."""
    day = day_or_none(text)
    return numeric_date(day) if day else None


def _kind_heading(line: str) -> tuple[DocumentKind, str] | None:
    """"KẾ HOẠCH" -> (ke-hoach, ""); "ĐỀ CƯƠNG TUYÊN TRUYỀN" -> (de-cuong, "TUYÊN TRUYỀN")."""
    if line.upper() != line:
        return None
    for heading, kind in KIND_HEADINGS.items():
        if line == heading or line.startswith(heading + " "):
            return kind, line[len(heading):].strip()
    return None


def _sentence_case(text: str) -> str:
    """"TUYÊN TRUYỀN KỶ NIỆM" -> "Tuyên truyền kỷ niệm" (a title printed in capitals)."""
    return text[:1].upper() + text[1:].lower()


def _header_parts(lines: list[str]) -> list[str]:
    """Header lines, with the two columns of a copied header table split apart."""
    return [part.strip() for line in lines for part in re.split(r"\t+|\s{3,}", line) if part.strip()]


def recognise(text: str, units: list[Unit] | tuple[Unit, ...], kind: str | None = None,
              known_commemorations: tuple[Commemoration, ...] = ()) -> Recognised:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    stripped = [_clean(line) for line in lines]
    names = UnitNames.for_document(units, text)
    fields: dict[str, Found[Any]] = {}
    taken_ids = {unit.id for unit in units}
    unknown_units: list[UnknownUnit] = []

    def unknown(field_name: str, printed: str) -> str:
        for known in unknown_units:
            if fold(known.printed) == fold(printed):
                return known.proposed_id
        new = UnknownUnit(field_name, printed, proposed_id(printed, taken_ids))
        taken_ids.add(new.proposed_id)
        unknown_units.append(new)
        return new.proposed_id

    opening_at = next((i for i, line in enumerate(stripped) if _OPENING.match(line)), None)
    # The header's lines, with "Số 443-KH/TU      Vũng Tàu, ngày …" (a copied two-column header) split.
    header = _header_parts(stripped[:opening_at if opening_at is not None else len(stripped)])

    number_match = next(filter(None, map(_NUMBER.match, header)), None)
    number = number_match.group(1).replace(" ", "") if number_match is not None else ""
    fields["number"] = Found(number, 0.95 if number_match is not None else 0.4)

    kind_at = next((i for i, line in enumerate(header) if _kind_heading(line)), None)
    heading = _kind_heading(header[kind_at]) if kind_at is not None else None
    vv_at = next((i for i, line in enumerate(header) if line.startswith("V/v")), None)
    code = re.search(r"\d[^/\s]*?[-/](?P<code>[A-ZĐ]+)(?:[-/]|$)", number)
    if kind:
        fields["kind"] = Found(kind, 1.0)
    elif heading is not None:
        fields["kind"] = Found(heading[0].value, 0.95)
    elif vv_at is not None:
        fields["kind"] = Found(DocumentKind.CONG_VAN.value, 0.9)
    elif code and code.group("code") in KIND_CODES:
        fields["kind"] = Found(KIND_CODES[code.group("code")].value, 0.8)
    else:
        fields["kind"] = Found(DocumentKind.CONG_VAN.value, 0.3)

    for line in header:
        if match := _PLACE_DATE.match(line):
            fields["place"] = Found(match.group("place").strip(), 0.9)
            if match.group("d") and match.group("m") \
                    and (issued := _date(f"{match.group('d')}/{match.group('m')}/{match.group('y')}")):
                fields["issued"] = Found(issued, 0.95)
            else:
                fields["issued_year"] = Found(int(match.group("y")), 0.9)
            break

    title = _title(header, kind_at, vv_at)
    if title:
        fields["title"] = title

    recipients_at = next((i for i, line in enumerate(stripped) if re.match(r"^-?\s*Kính gửi", line)), None)
    recipients_end = 0
    if recipients_at is not None:
        recipients: list[str] = []
        printed_recipients, recipients_end = _recipient_lines(stripped, recipients_at)
        for printed in printed_recipients:
            unit_match = names.match(printed)
            found = (unit_match.unit_id,) if unit_match else names.find_in(printed)
            recipients.extend(found or (unknown("recipients", printed),))
        fields["recipients"] = Found(list(dict.fromkeys(recipients)), 0.8 if recipients else 0.3)

    received_at = next((i for i, line in enumerate(stripped) if re.match(r"^Nơi nhận\s*:?", line)), None)
    if received_at is not None:
        distribution, signer_lines = _distribution_and_signer(stripped, received_at)
        fields["distribution"] = Found(distribution, 0.9)
        body_end = received_at
    else:
        body_end, signer_lines = _closing_block(stripped)
    if signer := _signer(signer_lines):
        fields["signer"] = signer

    opening = _opening(stripped, opening_at)
    issuer = _issuer(header, opening, fields.get("signer"), names)
    if issuer:
        fields["issuer"] = issuer
    cited = _implements(opening, names)
    if cited:
        fields["implements"] = cited
    if "title" not in fields and cited:
        # A copy without a trích yếu: the title of what it carries out, as the hand-made sample does.
        inferred = re.sub(r"^về (việc )?", "", cited.value[0].get("title", ""))
        if inferred:
            fields["title"] = Found(inferred[:1].upper() + inferred[1:], 0.3)
            fields["title_inferred"] = Found(True, 0.3)

    unmatched: list[str] = []
    if "recipients" not in fields and received_at is not None:
        # No "Kính gửi": the units of "Nơi nhận" are the recipients (docs/transcription-brief.md).
        recipients = []
        for line in fields["distribution"].value:
            if re.match(r"^(Lưu|Như)\b", line):
                continue
            unit_match = names.match(line)
            found = (unit_match.unit_id,) if unit_match else names.find_in(line)
            recipients.extend(unit_id for unit_id in found if unit_id != (issuer.value if issuer else None))
            if not found:
                unmatched.append(line)
        if recipients:
            fields["recipients"] = Found(list(dict.fromkeys(recipients)), 0.5)

    if opening_at is not None:
        body_start = opening_at
    else:  # no "Thực hiện …": the body starts after the kind's heading and the title under it
        heading_at = next((i for i, line in enumerate(stripped) if _kind_heading(line)), None)
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
    found_commemorations, unknown_anniversaries = commemorations(  # the title may name one too
        "\n".join(lines[:body_end]), tuple(known_commemorations))
    if found_commemorations:
        fields["commemorations"] = found_commemorations

    return Recognised(
        front={key: value.value for key, value in fields.items()},
        confidence={key: value.confidence for key, value in fields.items()},
        unknown_units=tuple(unknown_units),
        unknown_commemorations=unknown_anniversaries,
        unmatched_distribution=tuple(unmatched),
        body=to_markdown(blocks))


def _title(header: list[str], kind_at: int | None, vv_at: int | None) -> Found[str] | None:
    """The trích yếu: the V/v line of a Công văn, or the lines under the kind's heading."""
    if vv_at is not None:
        parts = [header[vv_at][3:].strip()]
        for line in header[vv_at + 1:]:
            if not line or _is_header_stop(line):
                break
            parts.append(line)
        return Found(" ".join(parts), 0.95)
    heading = _kind_heading(header[kind_at]) if kind_at is not None else None
    if kind_at is None or heading is None:
        return None
    _, rest = heading
    parts = [rest] if rest else []
    for line in header[kind_at + 1:]:
        if _is_header_stop(line):
            break
        if line and not re.fullmatch(r"[-_*=.\s]+", line):
            parts.append(line)
    title = " ".join(parts).strip()
    if not title:
        return None
    if title.upper() == title:
        return Found(_sentence_case(title), 0.6)  # printed in capitals: proper names lose theirs
    if parts and rest:
        title = " ".join([rest.lower()] + [p[:1].lower() + p[1:] for p in parts[1:]])
    return Found(title[:1].upper() + title[1:], 0.85)


def _is_header_stop(line: str) -> bool:
    return bool(line.startswith(("Kính gửi", "- Kính gửi", "Số", "V/v")) or _PLACE_DATE.match(line)
                or _OPENING.match(line))


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
    if roles and _SIGNER_ROLE.match(roles[0]):
        signer["on_behalf"] = roles.pop(0)
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


def _issuer(header: list[str], opening: str, signer: Found[dict] | None, names: UnitNames) -> Found[str] | None:
    """The issuing body: from the header ("TỈNH ỦY BÀ RỊA - VŨNG TÀU" / "BAN TUYÊN GIÁO"; a Party
    committee signing "T/M BAN THƯỜNG VỤ" issues as its Ban Thường vụ), else from the opening's
    subject ("Nay, Ban Thường vụ Thành ủy Vũng Tàu xây dựng kế hoạch …")."""
    before = []
    for line in header:
        if _NUMBER.match(line) or _kind_heading(line) or line.startswith("V/v") or _PLACE_DATE.match(line):
            break
        if line.upper() == line and re.search(r"[A-ZĐ]", line) and line.strip("*- ").upper() not in MOTTO:
            before.append(line.strip("*- "))
    candidates: list[str] = []
    if before:
        last, parent = before[-1], (before[-2] if len(before) > 1 else "")
        on_behalf = (signer.value.get("on_behalf", "") if signer else "")
        if on_behalf.startswith("T/M "):
            candidates.append(f"{on_behalf[4:]} {last}")
        if parent:
            place = re.sub(r"^(UBND|ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN)\s+", "", parent)  # "UBND TỈNH LẠNG SƠN"
            candidates.extend([f"{last} {parent}", f"{last} {place}"])
        candidates.append(last)
    best = max(((names.match(c), c) for c in candidates), key=lambda pair: pair[0].score if pair[0] else 0,
               default=(None, ""))
    if best[0]:
        return Found(best[0].unit_id, round(0.9 * best[0].score, 2))
    for match in _ACTING.finditer(opening):
        if _CITATION.match(opening[match.end("verb"):].strip()):
            continue  # "Ban Tuyên giáo Tỉnh ủy ban hành Hướng dẫn số 193-HD/BTGTU": the cited document's issuer
        if unit := names.match(match.group("name")):
            return Found(unit.unit_id, round(0.7 * unit.score, 2))
    return None


def _implements(opening: str, names: UnitNames) -> Found[list[dict]] | None:
    """Every document the opening cites: number, kind, date, issuer ("của …") and title ("về …").
    Those carried out directly come first, then those only named inside another's title ("Công văn
    số 637-CV/BCSD … về việc thực hiện Kế hoạch số 113-KH/TU …"), as an editor lists them."""
    if not opening:
        return None
    # The title of the last cited document ends where the issuer's own sentence starts.
    subject = next((m for m in _ACTING.finditer(opening) if not _CITATION.match(opening[m.end("verb"):].strip())), None)
    text = (opening[:subject.start("name")].rstrip(" ,;") if subject else opening).replace("*", "")
    cited: dict[str, dict] = {}
    direct: set[str] = set()
    title_spans: list[tuple[int, int]] = []
    for match in _CITATION.finditer(text):
        entry = _citation(match, text, names)
        if not any(start <= match.start() < end for start, end in title_spans):
            direct.add(entry["number"])
        if "title" in entry:
            title_at = text.index(entry["title"], match.end())
            title_spans.append((title_at, title_at + len(entry["title"])))
        known = cited.setdefault(entry["number"], {})
        for key, value in entry.items():
            known.setdefault(key, value)  # a number cited twice: what each mention adds
    if not cited:
        return None
    order = ("number", "kind", "issuer", "issued", "title")
    entries = sorted(cited.values(), key=lambda entry: entry["number"] not in direct)
    return Found([{key: entry[key] for key in order if key in entry} for entry in entries], 0.8)


def _citation(match: re.Match, text: str, names: UnitNames) -> dict:
    entry: dict = {"number": match.group("number"), "kind": CITED_KINDS[match.group("kind")]}
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
        notes.extend(f"#   {unit.proposed_id}: {unit.printed}" for unit in result.unknown_units)
    if result.unknown_commemorations:
        notes.append("# Ngày kỷ niệm chưa có trong commemorations.yaml: "
                     + "; ".join(a.printed for a in result.unknown_commemorations))
    return "---\n" + "\n".join(notes) + "\n" + head + "---\n\n" + result.body


def units_yaml_snippet(result: Recognised) -> str:
    """What to add to units.yaml for the units the document names that it lacks."""
    return "".join(f"- id: {unit.proposed_id}\n"
                   f"  name: {yaml.safe_dump(unit.printed, allow_unicode=True, width=1000).splitlines()[0]}\n"
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
        lines.append("Ngày kỷ niệm chưa có trong commemorations.yaml (thêm vào nếu cần):")
        lines.extend(f"  {a.printed}" for a in result.unknown_commemorations)
    if result.unmatched_distribution:
        lines.append("Nơi nhận không khớp đơn vị nào (không đưa vào recipients): "
                     + "; ".join(result.unmatched_distribution))
    return lines
