"""`import`: turn an official document's text (as copied from a PDF or Word file) into a content
file: front matter recognised from the text, with a confidence per field, and a structured body.

First slice: plain text (.txt, .md). Recognised: number (or a draft's blank number), kind, title,
place and date (also left blank), recipients ("Kính gửi", matched to units.yaml by folded name),
implemented documents ("Thực hiện Kế hoạch số …"), signer block and "Nơi nhận". The body keeps
every paragraph between the opening and "Nơi nhận": Roman-numeral and numbered title lines become
headings, "- " and "+ " lines lists, and sentences split across a page break are joined back.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date

from .models import DocumentKind, Unit
from .slugs import fold

KIND_HEADINGS = {
    "KẾ HOẠCH": DocumentKind.KE_HOACH, "HƯỚNG DẪN": DocumentKind.HUONG_DAN, "ĐỀ CƯƠNG": DocumentKind.DE_CUONG,
    "CHỈ THỊ": DocumentKind.CHI_THI, "NGHỊ QUYẾT": DocumentKind.NGHI_QUYET, "KẾT LUẬN": DocumentKind.KET_LUAN,
    "THÔNG BÁO": DocumentKind.THONG_BAO, "BÁO CÁO": DocumentKind.BAO_CAO, "CÔNG VĂN": DocumentKind.CONG_VAN,
}
KIND_CODES = {"KH": DocumentKind.KE_HOACH, "CV": DocumentKind.CONG_VAN, "HD": DocumentKind.HUONG_DAN,
              "ĐC": DocumentKind.DE_CUONG, "DC": DocumentKind.DE_CUONG, "CT": DocumentKind.CHI_THI,
              "NQ": DocumentKind.NGHI_QUYET, "KL": DocumentKind.KET_LUAN, "TB": DocumentKind.THONG_BAO,
              "BC": DocumentKind.BAO_CAO}
CITED_KINDS = {"Kế hoạch": "ke-hoach", "Công văn": "cong-van", "Hướng dẫn": "huong-dan", "Chỉ thị": "chi-thi",
               "Nghị quyết": "nghi-quyet", "Kết luận": "ket-luan", "Thông báo": "thong-bao", "Đề cương": "de-cuong"}

_NUMBER = re.compile(r"^Số\s*:?\s*(\S*\s*/\s*\S+|\S+)\s*$")
_PLACE_DATE = re.compile(r"^(?P<place>[^,]{2,40}),\s*ngày\s*(?P<d>\d{1,2})?\s*tháng\s*(?P<m>\d{1,2})?\s*năm\s*(?P<y>\d{4})")
_CITATION = re.compile(r"(?P<kind>Kế hoạch|Công văn|Hướng dẫn|Chỉ thị|Nghị quyết|Kết luận|Thông báo|Đề cương)"
                       r" số (?P<number>[0-9][\w\-/Đđ]*)(?:\s*,?\s*ngày\s*(?P<date>\d{1,2}/\d{1,2}/\d{4}))?")
_ROMAN = re.compile(r"^(?P<numeral>[IVX]+)\s*[.\-]\s+\S")
_NUMBERED = re.compile(r"^(?P<number>\d+(?:\.\d+)*)\.\s+(?P<text>\S.*)$")
_SIGNER_ROLE = re.compile(r"^(T/M|KT\.?|TL\.?|TUQ\.?|Q\.)\s*\S")


@dataclass
class Recognised:
    front: dict = field(default_factory=dict)
    confidence: dict[str, float] = field(default_factory=dict)
    unknown_recipients: list[str] = field(default_factory=list)
    body: str = ""

    def set(self, key: str, value, confidence: float) -> None:
        self.front[key] = value
        self.confidence[key] = confidence


def _clean(line: str) -> str:
    """A line without the bold markers Word copies around blocks such as the signature."""
    line = line.strip()
    return line.replace("*", "").strip() if line.startswith("**") or line.endswith("**") else line


def _date(text: str) -> str:
    day, month, year = (int(part) for part in text.split("/"))
    return date(year, month, day).strftime("%d/%m/%Y")


def match_unit(name: str, units: list[Unit]) -> str | None:
    """The unit whose folded name is closest to `name` (diacritic-insensitive), if close enough."""
    wanted = fold(re.sub(r"[;,.]+$", "", name.strip(" -;,.")))
    names = {fold(unit.name): unit.id for unit in units} | {fold(unit.short_name): unit.id for unit in units if unit.short_name}
    match = difflib.get_close_matches(wanted, list(names), n=1, cutoff=0.8)
    return names[match[0]] if match else None


def recognise(text: str, units: list[Unit], kind: str | None = None) -> Recognised:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    result = Recognised()
    stripped = [_clean(line) for line in lines]

    number_at = next((i for i, line in enumerate(stripped) if _NUMBER.match(line)), None)
    if number_at is not None:
        number = _NUMBER.match(stripped[number_at]).group(1).replace(" ", "")
        result.set("number", number, 0.95)
    else:
        result.set("number", "", 0.4)

    kind_at = next((i for i, line in enumerate(stripped) if line in KIND_HEADINGS), None)
    vv_at = next((i for i, line in enumerate(stripped) if line.startswith("V/v")), None)
    code = re.search(r"-([A-ZĐ]+)/", result.front["number"] or "")
    if kind:
        result.set("kind", kind, 1.0)
    elif kind_at is not None:
        result.set("kind", KIND_HEADINGS[stripped[kind_at]].value, 0.95)
    elif vv_at is not None:
        result.set("kind", DocumentKind.CONG_VAN.value, 0.9)
    elif code and code.group(1) in KIND_CODES:
        result.set("kind", KIND_CODES[code.group(1)].value, 0.8)
    else:
        result.set("kind", DocumentKind.CONG_VAN.value, 0.3)

    for line in stripped:
        match = _PLACE_DATE.match(line)
        if match:
            result.set("place", match.group("place").strip(), 0.9)
            if match.group("d") and match.group("m"):
                result.set("issued", _date(f"{match.group('d')}/{match.group('m')}/{match.group('y')}"), 0.95)
            else:
                result.set("issued_year", int(match.group("y")), 0.9)
            break

    # The opening: the first paragraph that carries out or cites ("Thực hiện …", "Căn cứ …", "Ngày …").
    opening_at = next((i for i, line in enumerate(stripped)
                       if re.match(r"^(Thực hiện|Căn cứ|Ngày \d)", line)), None)

    if vv_at is not None:
        result.set("title", stripped[vv_at][3:].strip(), 0.95)
    elif kind_at is not None:
        title_lines = []
        for line in stripped[kind_at + 1:opening_at if opening_at else None]:
            if line and not line.startswith("Kính gửi"):
                title_lines.append(line)
        title = " ".join(title_lines)
        result.set("title", title[:1].upper() + title[1:], 0.8 if title else 0.2)
    else:
        result.set("title", "", 0.0)

    recipients_at = next((i for i, line in enumerate(stripped) if line.startswith(("Kính gửi", "- Kính gửi"))), None)
    recipients: list[str] = []
    if recipients_at is not None:
        first = re.sub(r"^-?\s*Kính gửi\s*:?\*?\s*", "", stripped[recipients_at]).strip()
        candidates = [first] if first else []
        for line in stripped[recipients_at + 1:]:
            if not line.startswith("-"):
                if line:
                    break
                continue
            candidates.append(line.lstrip("- ").strip())
        for candidate in (c.strip(" -") for part in candidates for c in part.split(";") if c.strip(" -")):
            unit_id = match_unit(candidate, units)
            if unit_id:
                recipients.append(unit_id)
            else:
                result.unknown_recipients.append(candidate.rstrip(",.;"))
        result.set("recipients", list(dict.fromkeys(recipients)), 0.7 if recipients else 0.3)

    if opening_at is not None:
        opening = stripped[opening_at]
        cited = []
        for match in _CITATION.finditer(opening):
            entry = {"number": match.group("number").rstrip(",."), "kind": CITED_KINDS[match.group("kind")]}
            if match.group("date"):
                entry["issued"] = _date(match.group("date"))
            cited.append(entry)
        # "Ngày 03/10/2024, Ban Tuyên giáo … ban hành Hướng dẫn số 193-HD/BTGTU …": the date comes first.
        leading = re.match(r"^Ngày (\d{1,2}/\d{1,2}/\d{4})", opening)
        if leading and cited and "issued" not in cited[0]:
            cited[0]["issued"] = _date(leading.group(1))
        unique = list({entry["number"]: entry for entry in cited}.values())
        if unique:
            result.set("implements", unique, 0.8)

    received_at = next((i for i, line in enumerate(stripped) if line.rstrip(":") == "Nơi nhận"), None)
    if received_at is not None:
        distribution = []
        for line in stripped[received_at + 1:]:
            if line.startswith("-"):
                distribution.append(line.lstrip("- ").strip())
            elif line and distribution:
                break
        result.set("distribution", distribution, 0.9)
        tail = [line for line in stripped[received_at + 1 + len(distribution):] if line and not line.startswith("-")]
        signer: dict = {}
        if tail:
            signer["name"] = tail[-1]
            roles = tail[:-1]
            if roles and _SIGNER_ROLE.match(roles[0]):
                signer["on_behalf"] = roles.pop(0)
            if roles:
                signer["position"] = roles[0]
            result.set("signer", signer, 0.85 if len(tail) > 1 else 0.5)

    start = opening_at if opening_at is not None else (kind_at or 0) + 1
    end = received_at if received_at is not None else len(lines)
    result.body = structure_body(stripped[start:end])
    return result


def _is_title_line(text: str) -> bool:
    """A short line without a sentence's end, like "1. Mục đích" or "2. Ban Tuyên giáo Huyện ủy"."""
    return len(text) <= 140 and not text.rstrip().endswith((".", ";", ","))


def structure_body(lines: list[str]) -> str:
    # Paragraphs: blank-line separated; a chunk starting in lower case continues the previous one
    # (a page break of a PDF copy).
    paragraphs: list[str] = []
    for chunk in "\n".join(lines).split("\n\n"):
        text = " ".join(part.strip() for part in chunk.split("\n") if part.strip())
        if not text:
            continue
        if paragraphs and text[0].islower() and not paragraphs[-1].endswith((".", ":")):
            paragraphs[-1] += " " + text
        else:
            paragraphs.append(text)
    out: list[str] = []
    for text in paragraphs:
        if _ROMAN.match(text) and text.upper() == text:
            out.append(f"## {text}")
        elif (match := _NUMBERED.match(text)) and _is_title_line(text):
            level = min(4, 3 + match.group("number").count("."))
            out.append(f"{'#' * level} {text}")
        elif (match := _NUMBERED.match(text)) and "." not in match.group("number"):
            out.append(text.replace(". ", "\\. ", 1))
        elif text.startswith("+ "):
            out.append("  - " + text[2:])
        else:
            out.append(text)
    return "\n\n".join(out) + "\n"


def document_text(result: Recognised, issuer: str = "") -> str:
    """The content file: front matter in the contract's key order, then the body."""
    import yaml

    front = {"number": result.front.get("number", ""), "kind": result.front["kind"],
             "title": result.front.get("title", "")}
    front["issuer"] = issuer or None
    for key in ("place", "issued", "issued_year", "signer", "recipients", "distribution", "implements"):
        if result.front.get(key):
            front[key] = result.front[key]
    front["topics"] = []
    head = yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=1000)
    note = ""
    if not issuer:
        note = "# issuer: BẮT BUỘC — mã đơn vị ban hành trong units.yaml (văn bản không ghi rõ)\n"
    if result.unknown_recipients:
        note += "# Nơi nhận chưa có trong units.yaml: " + "; ".join(result.unknown_recipients) + "\n"
    return f"---\n{note}{head}---\n{result.body}"
