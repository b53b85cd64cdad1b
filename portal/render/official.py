"""The printed document's header, as the official forms lay it out (`document.html`'s print-only
block; the print CSS is the last section of `style.css`).

- Party bodies, Hướng dẫn 36-HD/VPTW (2018): the title "ĐẢNG CỘNG SẢN VIỆT NAM" top right, a line
  under it, then the place and date; top left the superior Party body (when there is one), the
  issuing body in bold, a star "*" under it, then "Số 443-KH/TU" (no colon) and, for a công văn,
  the "V/v …" subject under the number.
- State bodies, Nghị định 30/2020/NĐ-CP (Phụ lục I): the Quốc hiệu "CỘNG HÒA XÃ HỘI CHỦ NGHĨA
  VIỆT NAM" and the Tiêu ngữ "Độc lập - Tự do - Hạnh phúc" (underlined) top right, then the place
  and date; top left the directly superior body, the issuing body in bold with a short rule under
  it, "Số: …" and the "V/v …" line of a công văn.

Unknown parts are left out: a copy that prints no number, place or date shows none (an editor's
note belongs on the screen, never where the official text goes).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from portal.content.dates import official_date
from portal.content.models import DocumentKind, DocumentMeta, Unit

PARTY_TITLE = "ĐẢNG CỘNG SẢN VIỆT NAM"
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"
# The place name at the end of a body's name ("THÀNH ỦY VŨNG TÀU", "ĐẢNG BỘ TỈNH BÀ RỊA - VŨNG
# TÀU"): what follows the last of these words is one name and is never broken across lines.
_PLACE_AFTER = re.compile(r"^(.*\b(?:ỦY|TỈNH|HUYỆN|PHỐ|QUẬN|XÃ|PHƯỜNG|TRẤN)) (.+)$")


@dataclass(frozen=True)
class OfficialHeader:
    party: bool
    # lines above the issuer, top first (may be empty), and the issuer's as printed (capitals); each
    # as (words, place name): the place is never broken across lines ("VŨNG TÀU" whole)
    superiors: tuple[tuple[str, str], ...]
    issuer: tuple[str, str]
    number: str  # "Số 443-KH/TU", "Số: /SVHTTDL-QLVHGĐ", or "" when the copy prints none
    place_date: str  # "Vũng Tàu, ngày 03 tháng 10 năm 2024", or "" when unknown
    subject: str  # the "V/v …" line of a công văn, else ""


def letterhead(unit: Unit, units: Mapping[str, Unit]) -> tuple[str, ...]:
    """The issuer block's lines, top first: `letterhead` as the editor wrote it, else the parent's
    name above the unit's, in capitals."""
    if unit.letterhead:
        return unit.letterhead
    lines = [unit.name.upper()]
    if unit.parent and unit.parent in units:
        lines.insert(0, units[unit.parent].name.upper())
    return tuple(lines)


def split_place(line: str) -> tuple[str, str]:
    """"HUYỆN ỦY LỤC NGẠN" -> ("HUYỆN ỦY", "LỤC NGẠN"): the place name at its end, which the
    template keeps on one line (a line may still break between the other words)."""
    match = _PLACE_AFTER.match(line)
    return (match.group(1), match.group(2)) if match else (line, "")


def number_line(meta: DocumentMeta, party: bool) -> str:
    number = meta.number.strip()
    if not number:
        return ""
    if meta.is_draft:  # "/SVHTTDL-QLVHGĐ": the number is written in by hand when it is issued
        number = "\u2002\u2002\u2002\u2002" + number
    return f"Số {number}" if party else f"Số: {number}"


def place_date_line(meta: DocumentMeta) -> str:
    place = f"{meta.place}, " if meta.place else ""
    if meta.issued:
        return place + official_date(meta.issued)
    if meta.issued_year:  # "ngày    tháng    năm 2023": the day was left to be written in
        gap = "\u2002\u2002\u2002"
        return f"{place}ngày{gap}tháng{gap}năm {meta.issued_year}"
    return meta.place or ""


def official_header(meta: DocumentMeta, units: Mapping[str, Unit]) -> OfficialHeader:
    unit = units[meta.issuer]
    lines = letterhead(unit, units)
    party = unit.is_party
    subject = ""
    if meta.kind is DocumentKind.CONG_VAN and not meta.title_inferred:
        subject = f"V/v {meta.title}"
    split = tuple(split_place(line) for line in lines)
    return OfficialHeader(party, split[:-1], split[-1], number_line(meta, party), place_date_line(meta), subject)
