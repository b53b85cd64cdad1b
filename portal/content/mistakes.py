"""What office staff get wrong that YAML and Markdown accept without a word, found before it is
published wrong: a `#` that cuts a title, Word's curly quotes around a value, a number copied with
its label or in the other system's shape, "V/v" typed into a title, a heading without its space,
Word's bullets, relative links. Each finding is a diagnostic at the line and column to fix.

Checks read the raw YAML data and its source map (so they run even when other fields are wrong)
and the body's lines; links are collected here and resolved against the URL scheme across files
by `validate.py`.
"""

from __future__ import annotations

import re
from typing import Any

from markdown_it import MarkdownIt

from portal.content.markdown import make_parser
from portal.content.slugs import fold
from portal.diagnostics import Diagnostic, report
from portal.load.files import RawFile
from portal.load.yamlsource import FieldPath, format_field_path

# Values that are prose, where a ` #` is far more likely part of the text than a comment.
PROSE_KEYS = frozenset({"title", "summary", "place", "name", "description", "tasks", "distribution", "position",
                        "on_behalf", "short_name"})
NUMBER_KEYS = frozenset({"number"})

_CURLY = (("“", "”"), ("‘", "’"), ("«", "»"), ("„", "“"), ("”", "”"))
_OPENINGS = frozenset(opening for opening, _ in _CURLY)
_NUMBER_LABEL = re.compile(r"^\s*(?:số|so|số hiệu|ký hiệu)\s*[:.]?\s*", re.IGNORECASE)
# Party documents (Quy định 66-QĐ/TW, Hướng dẫn 36-HD/VPTW): number, dash, kind, slash, issuer
# ("443-KH/TU", "45-ĐC/BTGHU"). State documents (Nghị định 30/2020/NĐ-CP): number, slash, kind
# and issuer joined by a dash ("443/KH-UBND", "145/2013/NĐ-CP", "398/SVHTTDL-QLVH").
PARTY_NUMBER = re.compile(r"\d+-[^\W\d_]{1,10}(?:/[^\W_]{1,20})+", re.UNICODE)
STATE_NUMBER = re.compile(r"\d+(?:/\d{4})?/[^\W_]{1,20}(?:-[^\W_]{1,20})+", re.UNICODE)
# Words of a unit's folded name that tell which system it belongs to.
_PARTY_WORDS = re.compile(r"\b(?:tinh uy|huyen uy|thanh uy|thi uy|quan uy|dang uy|dang bo|chi bo|ban tuyen giao|"
                          r"ban dan van|ban to chuc|ban chap hanh|ban thuong vu|ban bi thu|uy ban kiem tra)\b")
_STATE_WORDS = re.compile(r"\b(?:uy ban nhan dan|ubnd|hoi dong nhan dan|hdnd|so|phong|bo|cuc|chi cuc|tong cuc|"
                          r"trung tam|van phong ubnd|thu tuong|chinh phu)\b")

_HEADING_WITHOUT_SPACE = re.compile(r"^ {0,3}(#{1,6})(?=[^#\s])")
# Word's bullets pasted as characters, its dashes ("– " is not a Markdown list), and "-" or "+"
# without the space a list item needs ("-Nội dung").
_WORD_BULLET = re.compile(r"^ {0,3}([•●▪◦■□➢➤►✓\uf0b7\uf0a7\uf076\uf0d8]|[–—](?=\s*\S)|[-+](?=[^\s\-+–—]))")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
# Every line any of the three patterns above can match begins so (a superset, checked by a test).
_CANDIDATE_LINE = re.compile(r"^ {0,3}(?:[`~#•●▪◦■□➢➤►✓\uf0b7\uf0a7\uf076\uf0d8–—]|[-+](?=[^\s\-+–—]))",
                             re.MULTILINE)


def body_system(unit_name: str) -> str | None:
    """"party" or "state" for a unit whose name says which system it belongs to; None for the
    Fatherland Front, mass organisations and names that do not say."""
    folded = fold(unit_name)
    if _PARTY_WORDS.search(folded):
        return "party"
    if _STATE_WORDS.search(folded):
        return "state"
    return None


def number_mistake(value: str) -> str | None:
    """The number as it should be written, when `value` carries a label ("Số: 443-KH/TU"), a final
    dot or spaces around its separators ("443 - KH/TU"); None when it is written right."""
    fixed = _NUMBER_LABEL.sub("", value.strip()).rstrip(".;, ")
    fixed = re.sub(r"\s*([-/])\s*", r"\1", fixed).replace("–", "-").replace("—", "-")
    return fixed if fixed != value and fixed else None


def data_mistakes(raw: RawFile) -> list[Diagnostic]:
    """Mistakes in any content file's YAML values."""
    diagnostics: list[Diagnostic] = []
    locate = raw.source_map.locate
    comments = raw.source_map.comments

    def curly(value: str, where: FieldPath, key: str | int | None) -> None:
        stripped = value.strip()
        if len(stripped) >= 2 and stripped[0] in _OPENINGS:
            for opening, closing in _CURLY:
                if stripped.startswith(opening) and stripped.endswith(closing):
                    path = where if key is None else (*where, key)
                    line, col = locate(path)
                    diagnostics.append(report("curly-quotes", raw.path, line, col, field=format_field_path(path),
                                              value=value, inner=stripped[1:-1]))
                    return

    # A walk by hand rather than a generator of (path, value): it visits every value of every file
    # on each check, and builds a value's path only when the value has something to report.
    def walk(data: dict[Any, Any] | list[Any], where: FieldPath, under: str) -> None:
        for key, value in data.items() if isinstance(data, dict) else enumerate(data):
            name = key if isinstance(key, str) else under  # a list item: the list's key
            if isinstance(value, str):
                curly(value, where, key)
                if name in NUMBER_KEYS and isinstance(key, str) and (fixed := number_mistake(value)) is not None:
                    path = (*where, key)
                    line, col = locate(path)
                    diagnostics.append(report("number-form", raw.path, line, col, field=format_field_path(path),
                                              value=value, fixed=fixed))
                if name in PROSE_KEYS and (path := (*where, key)) in comments:
                    line, col = comments[path]
                    diagnostics.append(report("comment-in-value", raw.path, line, col,
                                              field=format_field_path(path), value=value))
            elif isinstance(value, dict | list):
                walk(value, (*where, key), name)

    if isinstance(raw.data, dict | list):
        walk(raw.data, (), "")
    elif isinstance(raw.data, str):
        curly(raw.data, (), None)
    return diagnostics


def title_mistakes(raw: RawFile) -> list[Diagnostic]:
    title = raw.data.get("title") if isinstance(raw.data, dict) else None
    if isinstance(title, str) and re.match(r"\s*v\s*/\s*v\b", title, re.IGNORECASE):
        line, col = raw.source_map.locate(("title",))
        rest = re.sub(r"^\s*v\s*/\s*v\s*[:.]?\s*", "", title, flags=re.IGNORECASE)
        return [report("title-vv", raw.path, line, col, field="title", rest=rest)]
    return []


def number_shape(raw: RawFile, number: str, issuer_name: str | None) -> list[Diagnostic]:
    """A warning when the number has the other system's shape than its issuer's."""
    system = body_system(issuer_name) if issuer_name else None
    if system is None or not number.strip() or number.strip().startswith("/"):
        return []
    party, state = PARTY_NUMBER.fullmatch(number.strip()), STATE_NUMBER.fullmatch(number.strip())
    if (system == "party" and state and not party) or (system == "state" and party and not state):
        line, col = raw.source_map.locate(("number",))
        example = "443-KH/TU" if system == "party" else "443/KH-UBND"
        return [report("number-shape", raw.path, line, col, field="number", value=number, issuer=issuer_name,
                       system="của Đảng" if system == "party" else "của Nhà nước", example=example)]
    return []


def body_mistakes(raw: RawFile) -> list[Diagnostic]:
    """Markdown that does not do what it looks like: a heading without its space, Word's bullets."""
    diagnostics = []
    fenced = False
    body = raw.body
    number, counted = raw.body_line, 0
    # Only lines that begin with a fence, a heading mark or a bullet can matter: find them in one
    # pass over the body instead of matching three patterns on every line.
    for candidate in _CANDIDATE_LINE.finditer(body):
        start = candidate.start()
        number += body.count("\n", counted, start)
        counted = start
        end = body.find("\n", start)
        line = body[start:] if end < 0 else body[start:end]
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced:
            continue
        if heading := _HEADING_WITHOUT_SPACE.match(line):
            marks = heading.group(1)
            diagnostics.append(report("heading-space", raw.path, number, heading.end(1), marks=marks,
                                      fixed=f"{marks} {line[heading.end(1):].lstrip()}"[:60]))
        elif bullet := _WORD_BULLET.match(line):
            diagnostics.append(report("word-bullet", raw.path, number, bullet.start(1) + 1, mark=bullet.group(1)))
    return diagnostics


_PARSER: MarkdownIt | None = None


def body_links(raw: RawFile) -> tuple[tuple[int, int, str, str], ...]:
    """(line, column, "link" or "image", target) of every link and image in the body."""
    if "](" not in raw.body and "]:" not in raw.body and "<" not in raw.body:
        return ()
    global _PARSER
    if _PARSER is None:
        _PARSER = make_parser()
    lines = raw.body.split("\n")
    found = []
    for block in _PARSER.parse(raw.body):
        for token in block.children or ():
            kind = {"link_open": "link", "image": "image"}.get(token.type)
            target = token.attrGet("href" if kind == "link" else "src") if kind else None
            if kind is None or not isinstance(target, str) or not block.map:
                continue
            first, last = block.map
            line, col = raw.body_line + first, 0
            for offset in range(first, last):
                at = lines[offset].find(target) if offset < len(lines) else -1
                if at >= 0:
                    line, col = raw.body_line + offset, at + 1
                    break
            found.append((line, col, kind, target))
    return tuple(found)
