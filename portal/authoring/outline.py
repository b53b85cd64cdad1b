"""The outline of an official document's body: its paragraphs, section titles and lists.

The text is what a PDF or Word copy gives: paragraphs between blank lines, "I." / "II-" section
titles, "1." / "1.1." numbered titles or paragraphs, "- " items and "+ " sub-items, and sentences
split across a page break. `outline` reads it into blocks; `to_markdown` writes the body the way
the hand-made documents are written (docs/transcription-brief.md); the importer reads duties and
phases from the same blocks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

_ROMAN = re.compile(r"^(?P<number>[IVX]+\s*[.\-])\s+(?P<text>\S.*)$")
_NUMBERED = re.compile(r"^(?P<number>\d{1,2}(?:\.\d{1,2})*)\.\s+(?P<text>\S.*)$")
# "2.3. Tuyên truyền cổ động trực quan: Tăng cường …": a short title, then its first paragraph.
_TITLE_THEN_TEXT = re.compile(r"^(?P<title>[^:]{3,60}):\s+(?P<text>[A-ZĐÀ-Ỹ].*)$")
_SENTENCE_END = (".", ";", ",", ":", "!", "?", "…", "”", '"', ")", "»")
TITLE_MAX_LENGTH = 140


class Kind(str, Enum):
    SECTION = "section"  # "I. MỤC ĐÍCH, YÊU CẦU"
    NUMBERED = "numbered"  # "1. Mục đích", "1.1. …" (a title or a numbered paragraph)
    HEADING = "heading"  # a Markdown heading already ("## …", from a Word heading style)
    PARAGRAPH = "paragraph"
    ITEM = "item"  # "- …"
    SUBITEM = "subitem"  # "+ …"
    TABLE = "table"  # Markdown table lines


@dataclass(frozen=True)
class Block:
    kind: Kind
    text: str  # as printed, without the "- "/"+ " marker; numbered blocks without their number
    number: str = ""  # "II-" (with its separator), "1", "1.2"
    is_title: bool = False

    @property
    def depth(self) -> int:
        """0 for a section, 1 for "1.", 2 for "1.1." …; paragraphs and items are the deepest."""
        if self.kind is Kind.SECTION:
            return 0
        if self.kind is Kind.NUMBERED:
            return 1 + self.number.count(".")
        if self.kind is Kind.HEADING:
            return max(0, len(self.text) - len(self.text.lstrip("#")) - 2)
        return 99

    @property
    def printed(self) -> str:
        """The text as printed, with its number ("1.1. Tuyên truyền miệng")."""
        if self.kind is Kind.SECTION:
            return f"{self.number} {self.text}"
        return f"{self.number}. {self.text}" if self.kind is Kind.NUMBERED else self.text


# Lines that start a block of their own even without a blank line before them (a website's copy
# keeps one newline between paragraphs): "Điều 2.", "Chương II", "1/ …", "a) …".
_OWN_LINE = re.compile(r"^(?:Điều\s+\d+|Chương\s+[IVXLC]+\b|\d{1,2}/\s|[a-zđ]\)\s)")


def _is_block_start(line: str) -> bool:
    return bool(line.startswith(("- ", "+ ", "|", "#")) or _ROMAN.match(line) or _NUMBERED.match(line)
                or _OWN_LINE.match(line))


def _starts_paragraph(previous: str, line: str) -> bool:
    """Whether `line`, right under `previous` (one newline), is a paragraph of its own: a block
    start, or a new sentence in capitals after one that ended ("… an toàn và tiết kiệm./." is no
    wrapped line). A line a PDF wrapped continues a sentence, or starts in small letters."""
    if _is_block_start(line):
        return True
    return previous.endswith((".", "!", "?", ":", ";")) and line[:1].isupper()


def _unwrap_bold(text: str) -> str:
    """"**I. MỤC ĐÍCH**" -> "I. MỤC ĐÍCH": a paragraph bold as a whole is layout, not emphasis."""
    match = re.fullmatch(r"\*\*(?P<inner>(?:(?!\*\*).)+)\*\*", text)
    return match.group("inner").strip() if match else text


def paragraphs(lines: list[str]) -> list[str]:
    """Blank-line separated paragraphs; lines of one paragraph joined, a table kept line by line,
    and a paragraph that a page break split in two joined back."""
    result: list[str] = []
    for chunk in "\n".join(line.rstrip() for line in lines).split("\n\n"):
        current: list[str] = []
        for line in (part.strip() for part in chunk.split("\n")):
            if not line:
                continue
            in_table = bool(current) and current[-1].startswith("|")
            if current and (in_table != line.startswith("|")
                            or (not in_table and _starts_paragraph(current[-1], line))):
                result.append(_join(current))
                current = []
            current.append(line)
        if current:
            text = _join(current)
            if result and _continues(result[-1], text):
                result[-1] += " " + text
            else:
                result.append(text)
    return [_unwrap_bold(text) for text in result]


def _join(lines: list[str]) -> str:
    return "\n".join(lines) if lines[0].startswith("|") else " ".join(lines)


def _continues(previous: str, text: str) -> bool:
    """Whether `text` is the rest of `previous`, cut by a page break: it starts in lower case after
    an unfinished sentence, or a long paragraph stopped in the middle of a name ("tư tưởng Hồ Chí"
    / "Minh trong việc …") or of a range ("nhiệm kỳ 2020 -" / "2025, …"). A paragraph that only
    lacks its full stop ("… năm 2023" / "Sở Văn hóa … yêu cầu …") is not continued."""
    if previous.startswith(("|", "#")) or text.startswith(("|", "#")):
        return False
    if text[0].islower() and not previous.endswith((".", ":")):
        return True
    if len(previous) <= TITLE_MAX_LENGTH or previous.endswith(_SENTENCE_END) or _is_block_start(text):
        return False
    last_word, first_word = previous.split()[-1], text.split()[0]
    in_a_name = _is_name_word(last_word) and _is_name_word(first_word)
    in_a_range = previous.endswith(("-", "–")) and first_word[0].isdigit()
    return in_a_name or in_a_range


def _is_name_word(word: str) -> bool:
    return word[:1].isupper() and word[1:].islower()


def _block(text: str) -> list[Block]:
    if text.startswith("|"):
        return [Block(Kind.TABLE, text)]
    if re.match(r"^#{1,6}\s", text):
        return [Block(Kind.HEADING, text, is_title=True)]
    if text.startswith("- "):
        return [Block(Kind.ITEM, text[2:].strip())]
    if text.startswith("+ "):
        return [Block(Kind.SUBITEM, text[2:].strip())]
    roman = _ROMAN.match(text)
    if roman and text.upper() == text:
        return [Block(Kind.SECTION, roman.group("text"), roman.group("number").replace(" ", ""), True)]
    numbered = _NUMBERED.match(text)
    if numbered:
        number, rest = numbered.group("number"), numbered.group("text")
        split = _TITLE_THEN_TEXT.match(rest)
        if split and len(split.group("title").split()) <= 10:
            return [Block(Kind.NUMBERED, split.group("title") + ":", number, True),
                    Block(Kind.PARAGRAPH, split.group("text"))]
        return [Block(Kind.NUMBERED, rest, number)]
    return [Block(Kind.PARAGRAPH, text)]


def outline(lines: list[str]) -> tuple[Block, ...]:
    blocks = [block for text in paragraphs(lines) for block in _block(text)]
    titled: list[Block] = []
    for index, block in enumerate(blocks):
        if block.kind is Kind.NUMBERED and not block.is_title:
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            introduces = following is not None and (
                following.kind in (Kind.ITEM, Kind.SUBITEM)
                or (following.kind is Kind.NUMBERED and following.depth > block.depth))
            short = len(block.printed) <= TITLE_MAX_LENGTH and not block.text.endswith((".", ";", ",", "!", "?"))
            if short or introduces:
                block = Block(block.kind, block.text, block.number, True)
        titled.append(block)
    return _consistent_siblings(titled)


def _consistent_siblings(blocks: list[Block]) -> tuple[Block, ...]:
    """Numbered siblings are all titles or all paragraphs: after "1. …." and "2. …." written as
    sentences, "3. Một số khẩu hiệu:" is the third item, not a heading."""
    runs: list[list[int]] = []
    open_runs: dict[int, list[int]] = {}
    for index, block in enumerate(blocks):
        if block.kind in (Kind.SECTION, Kind.HEADING, Kind.NUMBERED):
            closed = [d for d in open_runs if d >= block.depth + (block.kind is Kind.NUMBERED)]
            runs.extend(open_runs.pop(depth) for depth in closed)
        if block.kind is Kind.NUMBERED:
            open_runs.setdefault(block.depth, []).append(index)
    runs.extend(open_runs.values())
    result = list(blocks)
    for run in runs:
        sentences = [i for i in run if not blocks[i].is_title and len(blocks[i].printed) > TITLE_MAX_LENGTH]
        if sentences:
            for i in run:
                result[i] = Block(blocks[i].kind, blocks[i].text, blocks[i].number, False)
    return tuple(result)


def to_markdown(blocks: tuple[Block, ...]) -> str:
    out: list[str] = []
    for block in blocks:
        if block.kind is Kind.SECTION:
            out.append(f"## {block.printed}")
        elif block.kind is Kind.NUMBERED and block.is_title:
            out.append(f"{'#' * min(4, 2 + block.depth)} {block.printed}")
        elif block.kind is Kind.NUMBERED and block.depth == 1:
            out.append(f"{block.number}\\. {block.text}")  # not a Markdown ordered list
        elif block.kind is Kind.ITEM:
            out.append(f"- {block.text}")
        elif block.kind is Kind.SUBITEM:
            out.append(f"  - {block.text}")
        else:
            out.append(block.printed)
    return "\n\n".join(out) + "\n" if out else ""


def under(blocks: tuple[Block, ...], index: int) -> tuple[Block, ...]:
    """The blocks under the title at `index`, up to the next title of the same or a higher rank."""
    title = blocks[index]
    end = index + 1
    while end < len(blocks) and not (blocks[end].is_title and blocks[end].depth <= title.depth):
        end += 1
    return blocks[index + 1:end]
