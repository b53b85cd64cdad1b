"""Each document as a Word file (.docx) laid out like the official document, for báo cáo viên to
edit and print: the header block (superior body and issuer, the number, "V/v" for a công văn; on
the right "ĐẢNG CỘNG SẢN VIỆT NAM" for a Party body or the Quốc hiệu and Tiêu ngữ for a State one,
then the place and date), the kind and title, "Kính gửi", the body with its headings and lists,
then Nơi nhận and the signer side by side (Nghị định 30/2020/NĐ-CP, Hướng dẫn 36-HD/VPTW).

The bytes are deterministic: python-docx's core properties (author, dates, revision) are fixed,
and the package is written again with every member's timestamp at the zip epoch, in name order,
so that the same document makes the same file in every build.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, datetime
from typing import Any

from portal.content.dates import official_date
from portal.content.markdown import make_parser
from portal.content.mistakes import body_system
from portal.content.models import Document, Unit
from portal.steps import PLAIN, Steps
from portal.urls import docx_path, file_path

FIXED_TIME = datetime(2000, 1, 1, tzinfo=UTC)
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
FONT = "Times New Roman"  # what Nghị định 30/2020 prescribes


def _inline_text(token: Any) -> list[tuple[str, bool, bool]]:
    """(text, bold, italic) runs of an inline token."""
    runs: list[tuple[str, bool, bool]] = []
    bold = italic = False
    for child in token.children or ():
        if child.type == "strong_open":
            bold = True
        elif child.type == "strong_close":
            bold = False
        elif child.type == "em_open":
            italic = True
        elif child.type == "em_close":
            italic = False
        elif child.type in ("text", "code_inline"):
            runs.append((child.content, bold, italic))
        elif child.type in ("softbreak", "hardbreak"):
            runs.append((" " if child.type == "softbreak" else "\n", bold, italic))
        elif child.type == "image":
            runs.append((child.content, bold, italic))
    return runs


def _paragraph(container: Any, text: str = "", *, bold: bool = False, italic: bool = False, size: float = 13,
               align: str = "left", style: Any = None, space_after: float = 6) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = container.add_paragraph()
    if style is not None:  # by its id: python-docx's setter compares with the default style, walking all
        paragraph._p.style = style
    paragraph.alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
                           "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}[align]
    paragraph.paragraph_format.space_after = Pt(space_after)
    if text:
        run = paragraph.add_run(text)
        run.bold, run.italic, run.font.size = bold, italic, Pt(size)
    return paragraph


def _runs(paragraph: Any, runs: list[tuple[str, bool, bool]], size: float = 14) -> None:
    from docx.shared import Pt

    for text, bold, italic in runs:
        run = paragraph.add_run(text)
        run.bold, run.italic, run.font.size = bold or None, italic or None, Pt(size)


def _body(word: Any, text: str) -> None:
    """The Markdown body: headings, paragraphs, bullet and numbered lists, table cells as lines."""
    tokens = make_parser(images=False).parse(text)
    lists: list[str] = []  # "bullet" or "ordered", innermost last
    heading = 0
    styles: dict[str, Any] = {}  # by name: looking a style up by its name walks every style
    for position, token in enumerate(tokens):
        if token.type == "heading_open":
            heading = int(token.tag[1])
        elif token.type == "heading_close":
            heading = 0
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            lists.append("bullet" if token.type.startswith("bullet") else "ordered")
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif token.type == "inline":
            runs = _inline_text(token)
            if heading:
                paragraph = _paragraph(word, align="left", space_after=6)
                _runs(paragraph, [(part, True, heading >= 4) for part, _, _ in runs])
            elif lists and tokens[position - 2].type == "list_item_open":  # an item's first paragraph
                style = "List Bullet" if lists[-1] == "bullet" else "List Number"
                depth = min(len(lists), 3)
                name = style if depth == 1 else f"{style} {depth}"
                if name not in styles:
                    styles[name] = word.styles[name].style_id
                paragraph = _paragraph(word, style=styles[name], align="justify")
                _runs(paragraph, runs)
            else:
                paragraph = _paragraph(word, align="justify")
                paragraph.paragraph_format.first_line_indent = _cm(1)
                _runs(paragraph, runs)
        elif token.type in ("fence", "code_block"):
            for line in token.content.rstrip("\n").split("\n"):
                _paragraph(word, line, size=12)


def _cm(value: float) -> Any:
    from docx.shared import Cm

    return Cm(value)


def _no_borders(table: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def is_party(issuer: Unit, superior: Unit | None, number: str) -> bool:
    """A Party body: by its name (or its superior's), else by a number of the Party's shape
    ("443-KH/TU": the kind before the slash; the State writes "123/SVHTTDL-QLVH")."""
    for unit in (issuer, superior):
        if unit is not None and (system := body_system(unit.name)) is not None:
            return system == "party"
    return bool(_PARTY_NUMBER.fullmatch(number.strip()))


_PARTY_NUMBER = re.compile(r"[0-9]+-[A-ZĐ]+/[A-ZĐ]+")


def document_docx(document: Document, issuer: Unit, superior: Unit | None, recipients: tuple[str, ...]) -> bytes:
    """The .docx of one document (`recipients`: the names of its Kính gửi units)."""
    import docx
    from docx.shared import Pt

    meta = document.meta
    word = docx.Document()
    style = word.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(14)
    section = word.sections[0]
    section.page_height, section.page_width = _cm(29.7), _cm(21)
    section.top_margin, section.bottom_margin = _cm(2), _cm(2)
    section.left_margin, section.right_margin = _cm(3), _cm(1.5)

    party = is_party(issuer, superior, meta.number)
    header = word.add_table(rows=1, cols=2)
    _no_borders(header)
    left, right = header.rows[0].cells
    left.width, right.width = _cm(7.5), _cm(9)
    left.paragraphs[0].text = ""
    if superior is not None:
        _paragraph(left, superior.name.upper(), size=13, align="center", space_after=0)
    _paragraph(left, issuer.name.upper(), bold=True, size=13, align="center", space_after=0)
    if party:
        _paragraph(left, "*", size=13, align="center", space_after=0)
    number = f"Số: {meta.number}" if meta.number else "Số:      "
    _paragraph(left, number, size=13, align="center", space_after=0)
    if meta.kind.value == "cong-van" and not meta.title_inferred:
        _paragraph(left, f"V/v {meta.title}", size=12, align="center", space_after=0)
    right.paragraphs[0].text = ""
    if party:
        _paragraph(right, "ĐẢNG CỘNG SẢN VIỆT NAM", bold=True, size=13, align="center", space_after=6)
    else:
        _paragraph(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12, align="center", space_after=0)
        _paragraph(right, "Độc lập - Tự do - Hạnh phúc", bold=True, size=13, align="center", space_after=6)
    if meta.issued:
        when = f"{meta.place + ', ' if meta.place else ''}{official_date(meta.issued)}"
    elif meta.issued_year:
        when = f"{meta.place + ', ' if meta.place else ''}ngày     tháng     năm {meta.issued_year}"
    else:
        when = meta.place or ""
    if when:
        _paragraph(right, when, italic=True, size=13, align="center", space_after=0)

    _paragraph(word, "", space_after=6)
    if meta.kind.value != "cong-van":
        _paragraph(word, meta.kind.label.upper(), bold=True, size=14, align="center", space_after=0)
        _paragraph(word, meta.display_title, bold=True, size=14, align="center", space_after=12)
    elif meta.title_inferred:
        _paragraph(word, meta.display_title, bold=True, size=14, align="center", space_after=12)
    if recipients:
        if len(recipients) == 1:
            _paragraph(word, f"Kính gửi: {recipients[0]}.", size=14, align="center")
        else:
            _paragraph(word, "Kính gửi:", size=14, align="center", space_after=0)
            for name in recipients:
                _paragraph(word, f"- {name};", size=14, align="center", space_after=0)
            _paragraph(word, "", space_after=6)
    _body(word, document.body)

    if meta.signer or meta.distribution:
        footer = word.add_table(rows=1, cols=2)
        _no_borders(footer)
        where, signature = footer.rows[0].cells
        where.paragraphs[0].text = ""
        if meta.distribution:
            _paragraph(where, "Nơi nhận:", bold=True, italic=True, size=12, space_after=0)
            for line in meta.distribution:
                _paragraph(where, f"- {line}", size=11, space_after=0)
        signature.paragraphs[0].text = ""
        if meta.signer:
            if meta.signer.on_behalf:
                _paragraph(signature, meta.signer.on_behalf, bold=True, size=14, align="center", space_after=0)
            if meta.signer.position:
                _paragraph(signature, meta.signer.position, bold=True, size=14, align="center", space_after=48)
            _paragraph(signature, meta.signer.name, bold=True, size=14, align="center", space_after=0)

    properties = word.core_properties
    properties.author = properties.last_modified_by = issuer.name[:255]  # the format's limit
    properties.title = meta.label[:255]
    properties.created = properties.modified = FIXED_TIME
    properties.last_printed = FIXED_TIME
    properties.revision = 1
    properties.comments = properties.keywords = properties.subject = ""
    raw = io.BytesIO()
    word.save(raw)
    return _fixed_zip(raw.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same package with fixed member timestamps and order: byte-equal across builds."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as target:
        names = source.namelist()
        first = [name for name in names if name == "[Content_Types].xml"]  # Word expects it first
        for name in first + sorted(name for name in names if name not in first):
            info = zipfile.ZipInfo(name, ZIP_EPOCH)
            info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            target.writestr(info, source.read(name))
    return out.getvalue()


def document_downloads(index: Any, steps: Steps = PLAIN) -> dict[str, bytes]:
    """Every file published beside the document pages: each document's .docx (a parallel step,
    kept while the document and its units are the same) and its attachments and images."""
    units = index.units
    documents = list(index.documents.values())
    calls = []
    for document in documents:
        issuer = units[document.meta.issuer]
        superior = units.get(issuer.parent) if issuer.parent else None
        recipients = tuple(units[unit_id].name for unit_id in document.meta.recipients)
        calls.append((document.slug, (document, issuer, superior, recipients)))
    files: dict[str, bytes] = {}
    for document, data in zip(documents, steps.each("docx", document_docx, calls, parallel=True), strict=True):
        files[docx_path(document.slug)] = data
        for file in document.files:
            files[file_path(document.slug, file.name)] = file.data
    return files
