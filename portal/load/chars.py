"""Characters content may not contain: controls and invisible format characters.

Control characters (C0 other than tab and line breaks, DEL, C1) and the non-characters
U+FFFE/U+FFFF are not allowed in XML at all: one of them in a title would make the Atom feed
unbuildable and is an error in HTML. Invisible format characters (Unicode category Cf:
zero-width spaces and joiners, soft hyphens, bidirectional overrides and isolates, a BOM in
mid-text) arrive with text copied from Word or web pages, or on purpose: they split words so
that search cannot find them, make two equal numbers differ (no duplicate found, no link made)
and, for the bidi controls, show text in another order than it is stored ("Trojan Source").
Both are refused with their line and column, so the editor can find what they cannot see.
"""

from __future__ import annotations

import re
import unicodedata

from portal.diagnostics import Diagnostic, report

CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff"
# Unicode category Cf as of Python 3.11's Unicode 14 (a test checks it against unicodedata):
# written out because scanning all code points at import would cost 0.2 s on every run.
INVISIBLE = ("\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
             "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U00013438"
             "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f")
FORBIDDEN = re.compile(f"[{CONTROL}{INVISIBLE}]")
_CONTROL = re.compile(f"[{CONTROL}]")
MAX_REPORTED_LINES = 20  # a Word paste can hold thousands: the first lines show the editor what to look for

CONTROL_HINT = ("xóa ký tự này (thường lẫn vào khi chép từ phần mềm khác); trong chuỗi YAML cũng không dùng "
                "`\\0`, `\\a`, `\\e`, `\\x..`")
INVISIBLE_HINT = ("xóa ký tự này: nó không hiện ra nhưng làm sai tìm kiếm, số văn bản hoặc thứ tự chữ "
                  "(thường lẫn vào khi chép từ Word hoặc trang web)")


def describe(char: str) -> tuple[str, str, str]:
    """(code, message, hint) for one forbidden character."""
    point = f"U+{ord(char):04X}"
    if _CONTROL.match(char):
        return "control-char", f"có ký tự điều khiển {point} không được phép", CONTROL_HINT
    name = unicodedata.name(char, "")
    return "invisible-char", f"có ký tự ẩn {point}{f' ({name})' if name else ''}", INVISIBLE_HINT


def might_hold_forbidden(text: str) -> bool:
    """False when `text` surely holds none: every forbidden character is non-printable (Cc, Cf or
    a non-character), and `str.isprintable` runs in C, far faster than the character-class regex
    over a whole document. Tabs, line breaks and non-breaking spaces are allowed yet non-printable:
    a text with them goes on to the regex."""
    return not text.replace("\n", " ").replace("\t", " ").isprintable()


def forbidden_characters(text: str, path: str, first_line: int = 1) -> list[Diagnostic]:
    """One diagnostic per line holding forbidden characters (the first one on that line)."""
    if not might_hold_forbidden(text) or not FORBIDDEN.search(text):
        return []
    diagnostics: list[Diagnostic] = []
    lines_with = 0
    for number, line in enumerate(text.split("\n"), first_line):
        match = FORBIDDEN.search(line)
        if match is None:
            continue
        lines_with += 1
        if lines_with <= MAX_REPORTED_LINES:
            code, message, hint = describe(match.group())
            others = len(FORBIDDEN.findall(line)) - 1
            if others:
                message += f" (và {others} ký tự như vậy nữa trên dòng này)"
            diagnostics.append(report(code, path, number, match.start() + 1, detail=message, hint=hint))
    if lines_with > MAX_REPORTED_LINES:
        last = diagnostics[-1]
        diagnostics[-1] = report(last.code, last.path, last.line, last.col, hint=last.hint,
                                 detail=f"{last.message}; còn {lines_with - MAX_REPORTED_LINES} dòng khác cũng có")
    return diagnostics


def strip_forbidden(text: str) -> str:
    return FORBIDDEN.sub("", text)
