"""A Word file (.docx) as the plain text the importer reads: the form of a copy from a PDF.

Paragraphs are separated by blank lines; bold and italic runs become **…** and *…*; Word's
automatic numbering is written out as printed ("I.", "1.", "1.1.", "a)"), bullets as "- " (and
"+ " one level down, as Vietnamese documents print them); a heading style without a number of its
own becomes a Markdown heading; a table of content becomes a Markdown table. The header and the
signature of an official document are usually laid out in borderless two-column tables (issuer
and number | motto and date; "Nơi nhận" | signer): those are read column by column, as text.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from portal.diagnostics import Diagnostic, report
from portal.load.files import clean_text

# A table holding any of these is the document's header or signature block, not content.
_LAYOUT_MARKERS = re.compile(r"ĐẢNG CỘNG SẢN VIỆT NAM|CỘNG H[OÒ]A XÃ HỘI|Nơi nhận|^\s*Số\s*:?\s*\S*/|T/M\b|KT\.|K/T\b",
                             re.MULTILINE)
_NUMBER_FORMATS = ("decimal", "decimalZero", "upperRoman", "lowerRoman", "upperLetter", "lowerLetter", "bullet")


MAX_UNPACKED_BYTES = 64 * 1024 * 1024  # a Word document's text is far smaller; more is a damaged or hostile file


def docx_text(data: bytes, shown: str) -> tuple[str | None, list[Diagnostic]]:
    """The text of a .docx file, or a diagnostic saying why it cannot be read."""
    try:
        import docx
    except ImportError:
        return None, [report("docx-unsupported", shown)]
    not_docx = report("not-docx", shown)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            if sum(member.file_size for member in package.infolist()) > MAX_UNPACKED_BYTES:
                return None, [not_docx]
        document = docx.Document(io.BytesIO(data))
        blocks = _blocks(document, _Numbering.of(document))
    except Exception:  # noqa: BLE001 — a damaged package can fail anywhere inside python-docx and lxml
        return None, [not_docx]
    # The same clean-up as a text file: Word keeps NFD text, zero-width spaces and soft hyphens.
    return clean_text("\n\n".join(block for block in blocks if block.strip()) + "\n", shown)


# ---------------------------------------------------------------- numbering


@dataclass(frozen=True)
class _Level:
    format: str  # decimal, upperRoman, bullet …
    text: str  # "%1.", "%1.%2.", "-"
    start: int


class _Numbering:
    """Word's list definitions and the counters of the lists met so far, in document order."""

    def __init__(self, levels: dict[str, dict[int, _Level]]):
        self.levels = levels
        self.counters: dict[str, list[int]] = {}

    @classmethod
    def of(cls, document) -> _Numbering:
        from docx.oxml.ns import qn

        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return cls({})
        abstract: dict[str, dict[int, _Level]] = {}
        for definition in root.findall(qn("w:abstractNum")):
            levels = {}
            for level in definition.findall(qn("w:lvl")):
                number_format, text, start = (level.find(qn("w:numFmt")), level.find(qn("w:lvlText")),
                                              level.find(qn("w:start")))
                levels[int(level.get(qn("w:ilvl"), "0"))] = _Level(
                    number_format.get(qn("w:val")) if number_format is not None else "decimal",
                    text.get(qn("w:val")) if text is not None else "",
                    int(start.get(qn("w:val"))) if start is not None else 1)
            abstract[definition.get(qn("w:abstractNumId"))] = levels
        levels_by_num = {}
        for num in root.findall(qn("w:num")):
            reference = num.find(qn("w:abstractNumId"))
            if reference is not None and reference.get(qn("w:val")) in abstract:
                levels_by_num[num.get(qn("w:numId"))] = abstract[reference.get(qn("w:val"))]
        return cls(levels_by_num)

    def label(self, num_id: str, depth: int) -> str | None:
        """The printed label of the next paragraph of list `num_id` at `depth`: "1.1.", "- ", "+ "."""
        levels = self.levels.get(num_id)
        if not levels:
            return None
        level = levels.get(depth) or levels.get(0)
        if level is None:
            return None
        if level.format == "bullet" or level.format not in _NUMBER_FORMATS:
            return "+" if level.text.strip() == "+" or depth > 0 else "-"
        counters = self.counters.setdefault(num_id, [])
        while len(counters) <= depth:
            counters.append(levels.get(len(counters), level).start - 1)
        counters[depth] += 1
        del counters[depth + 1:]  # a new "2." restarts its "2.1."
        label = level.text
        for index, value in enumerate(counters):
            shown = _format(value, levels.get(index, level).format)
            label = label.replace(f"%{index + 1}", shown)
        return re.sub(r"%\d", "", label)


def _format(value: int, number_format: str) -> str:
    if number_format in ("upperRoman", "lowerRoman"):
        roman = _roman(value)
        return roman if number_format == "upperRoman" else roman.lower()
    if number_format in ("upperLetter", "lowerLetter"):
        letter = chr(ord("a") + (value - 1) % 26)
        return letter.upper() if number_format == "upperLetter" else letter
    return str(value)


def _roman(value: int) -> str:
    numerals = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = ""
    for amount, numeral in numerals:
        while value >= amount:
            out, value = out + numeral, value - amount
    return out


def _list_position(paragraph) -> tuple[str, int] | None:
    """(numId, level) of a list paragraph, set on the paragraph or by its style ("List Bullet 2")."""
    def from_properties(properties) -> tuple[str | None, int | None]:
        numbering = properties.numPr if properties is not None else None
        if numbering is None:
            return None, None
        num_id = str(numbering.numId.val) if numbering.numId is not None else None
        level = int(numbering.ilvl.val) if numbering.ilvl is not None else None
        return num_id, level

    num_id, level = from_properties(paragraph._p.pPr)
    style = paragraph.style
    while num_id is None and style is not None:
        num_id, style_level = from_properties(style.element.pPr)
        level = level if level is not None else style_level
        style = style.base_style
    if num_id is None or num_id == "0":  # numId 0 switches numbering off
        return None
    suffix = re.search(r"List (?:Bullet|Number) (\d)$", paragraph.style.name or "") if paragraph.style else None
    return num_id, (level or 0) + (int(suffix.group(1)) - 1 if suffix else 0)


# ---------------------------------------------------------------- paragraphs and tables


def _blocks(container, numbering: _Numbering) -> list[str]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    blocks: list[str] = []
    for item in container.iter_inner_content():
        if isinstance(item, Paragraph):
            blocks.append(_paragraph(item, numbering))
        elif isinstance(item, Table):
            blocks.extend(_table(item, numbering))
    return blocks


def _paragraph(paragraph, numbering: _Numbering) -> str:
    text = _runs_text(paragraph)
    if not text.strip():
        return ""
    position = _list_position(paragraph)
    label = numbering.label(*position) if position else None
    if label:
        return f"{label} {text.lstrip()}"
    heading = re.match(r"^(?:Heading|Title)\s*(\d?)$", paragraph.style.name or "") if paragraph.style else None
    already_numbered = re.match(r"^([IVX]+\s*[.\-]|\d+(\.\d+)*\.|[a-zđ]\))\s", text.strip())
    if heading and not already_numbered:
        # A heading style without a number of its own: a Markdown heading (## is a section).
        return "#" * (min(int(heading.group(1) or 1), 4) + 1) + " " + text.strip()
    return text


def _runs_text(paragraph) -> str:
    """The paragraph's runs with **bold** and *italic* kept. A paragraph bold as a whole (a title,
    the signature) is layout, not emphasis: its bold is not marked."""
    from docx.text.hyperlink import Hyperlink

    pieces: list[tuple[str, bool, bool]] = []
    for item in paragraph.iter_inner_content():
        runs = item.runs if isinstance(item, Hyperlink) else [item]
        for run in runs:
            text = run.text.replace("\t", "    ")  # a tab aligns header columns: kept as a wide gap
            if text:
                pieces.append((text, _flag(run, "bold"), _flag(run, "italic")))
    if pieces and all(bold for text, bold, _ in pieces if text.strip()):
        pieces = [(text, False, italic) for text, _, italic in pieces]
    merged: list[list] = []
    for text, bold, italic in pieces:
        if merged and merged[-1][1:] == [bold, italic]:
            merged[-1][0] += text
        else:
            merged.append([text, bold, italic])
    return "".join(_marked(text, bold, italic) for text, bold, italic in merged)


def _flag(run, name: str) -> bool:
    value = getattr(run, name)
    if value is None and run.style is not None:
        value = getattr(run.style.font, name)
    return bool(value)


def _marked(text: str, bold: bool, italic: bool) -> str:
    """"**đậm**" with the spaces outside the markers (Markdown ignores "** đậm**"), line by line."""
    marker = "*" * ((2 if bold else 0) + (1 if italic else 0))
    if not marker:
        return text
    lines = []
    for line in text.split("\n"):
        core = line.strip()
        if not core:
            lines.append(line)
            continue
        start = line.index(core)
        lines.append(f"{line[:start]}{marker}{core}{marker}{line[start + len(core):]}")
    return "\n".join(lines)


def _unique_cells(row) -> list:
    """A row's cells, once each (a merged cell appears once per grid column it spans)."""
    seen, cells = set(), []
    for cell in row.cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            cells.append(cell)
    return cells


def _table(table, numbering: _Numbering) -> list[str]:
    rows = [_unique_cells(row) for row in table.rows]
    texts = [[_blocks(cell, numbering) for cell in row] for row in rows]
    if _LAYOUT_MARKERS.search("\n".join(block for row in texts for cell in row for block in cell)):
        columns = max((len(row) for row in texts), default=0)
        return [block for column in range(columns) for row in texts if column < len(row) for block in row[column]]
    if not rows:
        return []
    cells = [[" ".join(block.strip().replace("\n", " ") for block in cell if block.strip()).replace("|", "\\|")
              for cell in row] for row in texts]
    width = max(len(row) for row in cells)
    cells = [row + [""] * (width - len(row)) for row in cells]
    lines = ["| " + " | ".join(cells[0]) + " |", "|" + "---|" * width]
    lines.extend("| " + " | ".join(row) + " |" for row in cells[1:])
    return ["\n".join(lines)]
