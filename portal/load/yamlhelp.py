"""What an editor did wrong when YAML cannot be read, said where they must act.

PyYAML reports where its parser gave up, in English, often a line after the mistake: a list item
missing its `-` is reported on the next line as a missing colon; a colon inside a title as
"mapping values are not allowed here". The common mistakes of people who do not write YAML every
day leave recognisable lines, so the lines up to the parser's position are read again, nearest
first, for: an invisible or odd space (named by its Unicode name), a Tab in the indentation, a
colon inside an unquoted value, a list item without its dash, a line indented unlike its
siblings, and a quote opened and never closed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Characters that look like a space but are not one YAML accepts as such.
_ODD_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\ufeff]")
_KEY = re.compile(r"^( *)([^\s#:\-\[\]{}][^:#]*?):(?:[ \t]+(.*))?$")
_ITEM = re.compile(r"^( *)- ")
LOOK_BACK = 4  # lines above the parser's position that may hold the mistake


@dataclass(frozen=True)
class Explanation:
    line: int  # 0-based, in the YAML text
    column: int  # 0-based
    detail: str
    hint: str


def explain(text: str, line: int, column: int) -> Explanation | None:
    """The editor's likely mistake at or above (line, column), 0-based, where the parser stopped."""
    lines = text.split("\n")
    if not lines:
        return None
    last = min(line, len(lines) - 1)
    for number in range(last, max(-1, last - LOOK_BACK - 1), -1):
        found = _odd_character(lines[number], number)
        if found:
            return found
    for number in range(last, max(-1, last - LOOK_BACK - 1), -1):
        for check in (_colon_in_value, _missing_dash, _bad_indentation, _unclosed_quote):
            found = check(lines, number)
            if found:
                return found
    return None


def _odd_character(text: str, number: int) -> Explanation | None:
    if match := _ODD_SPACES.search(text):
        char = match.group()
        name = unicodedata.name(char, "")
        return Explanation(number, match.start(),
                           f"dòng có ký tự U+{ord(char):04X} ({name}), trông như dấu cách nhưng YAML không coi "
                           "là dấu cách",
                           "xóa ký tự đó (thường lẫn vào khi chép từ Word hoặc trang web) rồi gõ lại một dấu "
                           "cách thường")
    indent = len(text) - len(text.lstrip(" \t"))
    if "\t" in text[:indent]:
        return Explanation(number, text.index("\t"), "dòng thụt lề bằng phím Tab",
                           "YAML chỉ nhận dấu cách để thụt lề: thay Tab bằng hai dấu cách")
    return None


def _colon_in_value(lines: list[str], number: int) -> Explanation | None:
    match = _KEY.match(lines[number])
    value = match.group(3) if match else None
    if not value or value[0] in "\"'[{|>&*!":
        return None
    colon = re.search(r":(?=\s|$)", value)
    if colon is None:
        return None
    key = match.group(2).strip()  # type: ignore[union-attr]  # value is set only when match is
    at = lines[number].index(value) + colon.start()
    return Explanation(number, at, f"giá trị của `{key}` có dấu hai chấm, YAML hiểu nhầm là bắt đầu một trường mới",
                       f"đặt cả giá trị trong dấu ngoặc kép: `{key}: \"{value.strip()}\"`")


def _missing_dash(lines: list[str], number: int) -> Explanation | None:
    text = lines[number]
    stripped = text.strip()
    if not stripped or stripped.startswith(("-", "#")) or ":" in stripped:
        return None
    indent = len(text) - len(text.lstrip(" "))
    for above in range(number - 1, -1, -1):
        if not lines[above].strip():
            continue
        item = _ITEM.match(lines[above])
        if item and len(item.group(1)) == indent:
            return Explanation(number, indent, "mục danh sách thiếu dấu `-` ở đầu dòng",
                               f"viết `- {stripped}`, thẳng hàng với các mục khác của danh sách")
        return None
    return None


def _bad_indentation(lines: list[str], number: int) -> Explanation | None:
    match = _KEY.match(lines[number])
    if match is None:
        return None
    indent = len(match.group(1))
    for above in range(number - 1, -1, -1):
        previous = lines[above]
        if not previous.strip() or previous.lstrip().startswith("#"):
            continue
        sibling = _KEY.match(previous)
        if sibling is None:
            return None
        above_indent = len(sibling.group(1))
        if indent > above_indent and sibling.group(3):  # deeper, under a key that already has a value
            return Explanation(number, 0, f"dòng thụt lề {indent} dấu cách, không khớp với trường ở trên "
                               f"({above_indent} dấu cách)",
                               "các trường cùng cấp phải thụt lề bằng nhau; xóa bớt dấu cách ở đầu dòng")
        return None
    return None


def _unclosed_quote(lines: list[str], number: int) -> Explanation | None:
    match = _KEY.match(lines[number]) or re.match(r"^( *)(- )(.*)$", lines[number])
    value = match.group(3) if match else None
    if not value or value[0] not in "\"'":
        return None
    quote = value[0]
    rest = value[1:].replace("\\\\", "").replace('\\"', "") if quote == '"' else value[1:].replace("''", "")
    if quote in rest:
        return None
    at = lines[number].index(value)
    return Explanation(number, at, f"dấu ngoặc {'kép' if quote == chr(34) else 'đơn'} mở ở đây chưa được đóng",
                       f"thêm `{quote}` ở cuối giá trị, trên cùng dòng")
