"""Each document as a Word file (.docx) laid out like the official document, for báo cáo viên to
edit and print: the header block (superior body and issuer, the number, "V/v" for a công văn; on
the right "ĐẢNG CỘNG SẢN VIỆT NAM" for a Party body or the Quốc hiệu and Tiêu ngữ for a State one,
then the place and date), the kind and title, "Kính gửi", the body with its headings and lists,
then Nơi nhận and the signer side by side (Nghị định 30/2020/NĐ-CP, Hướng dẫn 36-HD/VPTW).

python-docx makes the package once per process (its styles, numbering for the lists, A4 page
and margins, Times New Roman), pruned to what the document uses (`_prune`: its default template
was 39 KB a file, now about 3.5 KB besides the text); each document then only writes its own
`word/document.xml` and core properties into a copy. Building every paragraph through
python-docx's object model took about 100 ms a document (a 10,000-document build would spend a
quarter of an hour on it); the XML is the same, in a millisecond or two.

The bytes are deterministic: fixed core properties (dates, revision), every member at the zip
epoch, in a fixed order, so that the same document makes the same file in every build.
"""

from __future__ import annotations

import functools
import io
import re
import zipfile
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

import markdown_it_pyrs
from markdown_it.common.normalize_url import normalizeLinkText

from portal.content.dates import official_date
from portal.content.markdown import make_parser, too_deep
from portal.content.mistakes import body_system
from portal.content.models import Document, Unit
from portal.render.bodies import _BODY_RULES
from portal.render.zipped import ZipStart, zip_archive, zip_members
from portal.steps import PLAIN, Steps
from portal.urls import docx_path, file_path
from portal.write.outputs import Store, handed_over

FIXED_TIME = "2000-01-01T00:00:00Z"
FONT = "Times New Roman"  # what Nghị định 30/2020 prescribes
_LIST_STYLES = ("List Bullet", "List Bullet 2", "List Bullet 3", "List Number", "List Number 2", "List Number 3")
_WIDTHS = (4536, 5103)  # the header and signature tables' two columns, in twentieths of a point (8 + 9 cm)


# What the package keeps of python-docx's default template: the styles the document names (and
# the defaults Word falls back to: Normal, the default character, table and numbering styles),
# the numbering those list styles point to, and the settings that say which Word it is for.
# The rest (164 built-in styles and 267 latent ones, a theme, a font table, web settings, a
# thumbnail, custom XML) was 31 of a file's 39 KB and is nothing this document uses.
_KEPT_STYLES = frozenset({"Normal", "DefaultParagraphFont", "TableNormal", "NoList"})
_KEPT_SETTINGS = frozenset({"zoom", "defaultTabStop", "characterSpacingControl", "compat", "decimalSymbol",
                            "listSeparator"})
_DROPPED_PARTS = ("/theme", "/fontTable", "/webSettings", "/customXml", "/thumbnail", "/stylesWithEffects")  # rel types
_IGNORABLE = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Ignorable"
_APP_PROPERTIES = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                   b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
                   b"<Application>Microsoft Office Word</Application><DocSecurity>0</DocSecurity>"
                   b"<ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
                   b"<HyperlinksChanged>false</HyperlinksChanged><AppVersion>14.0000</AppVersion></Properties>")


@functools.cache
def _skeleton() -> tuple[ZipStart, str, str, dict[str, str]]:
    """(the package's other members, already zipped; document.xml before the body and after it;
    the list styles' ids). Compressing them once, not per document, halves the time."""
    import docx
    from docx.shared import Cm, Pt

    word = docx.Document()
    style = word.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(14)
    section = word.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = Cm(2), Cm(2), Cm(3), Cm(1.5)
    styles = {name: word.styles[name].style_id for name in _LIST_STYLES}
    _prune(word, frozenset(styles.values()))
    raw = io.BytesIO()
    word.save(raw)  # writes only the parts still related
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as package:
        members = {name: package.read(name) for name in package.namelist()}
    xml = members.pop("word/document.xml").decode("utf-8")
    body = xml.index("<w:body>") + len("<w:body>")
    section_start = xml.index("<w:sectPr", body)
    members.pop("docProps/core.xml", None)
    members["docProps/app.xml"] = _APP_PROPERTIES  # the template's claims Mac Word and zero counts
    # [Content_Types].xml first, as Word expects; the rest by name
    return zip_members(sorted(members.items(), key=lambda member: (member[0] != "[Content_Types].xml", member[0]))), \
        xml[:body], xml[section_start:], styles


def _prune(word: Any, list_styles: frozenset[str]) -> None:
    """Drop from python-docx's template what the document does not use (see `_KEPT_STYLES`)."""
    from docx.oxml.ns import qn
    from lxml import etree

    def local(element: Any) -> str:
        return element.tag.rsplit("}", 1)[-1]

    styles = word.styles.element
    for element in list(styles):
        if local(element) == "latentStyles" or (local(element) == "style" and element.get(qn("w:styleId"))
                                                not in _KEPT_STYLES | list_styles):
            styles.remove(element)
    for rsid in styles.iter(qn("w:rsid")):  # revision ids of the template's edits
        rsid.getparent().remove(rsid)
    # The default fonts named the theme's; without a theme, name Times New Roman for every script.
    fonts = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    fonts.attrib.clear()
    for script in ("ascii", "eastAsia", "hAnsi", "cs"):
        fonts.set(qn(f"w:{script}"), FONT)
    fonts.getparent().find(qn("w:lang")).set(qn("w:val"), "vi-VN")  # Word checks the spelling in Vietnamese

    numbers = {number.get(qn("w:val")) for number in styles.iter(qn("w:numId"))}
    numbering = word.part.numbering_part.element
    abstract = set()
    for num in numbering.findall(qn("w:num")):
        if num.get(qn("w:numId")) in numbers:
            abstract.add(num.find(qn("w:abstractNumId")).get(qn("w:val")))
        else:
            numbering.remove(num)
    for definition in numbering.findall(qn("w:abstractNum")):
        if definition.get(qn("w:abstractNumId")) not in abstract:
            numbering.remove(definition)

    settings = word.settings.element
    for element in list(settings):
        if local(element) not in _KEPT_SETTINGS:
            settings.remove(element)

    for root in (styles, numbering, settings):  # namespaces nothing uses; mc:Ignorable names its prefixes
        etree.cleanup_namespaces(root, keep_ns_prefixes=(root.get(_IGNORABLE) or "").split())

    for rels in (word.part.rels, word.part.package.rels):
        for rid in [rid for rid, rel in rels.items() if rel.reltype.endswith(_DROPPED_PARTS)]:
            del rels[rid]


def _run(text: str, bold: bool = False, italic: bool = False, size: float = 14) -> str:
    inner = escape(text)
    if "\n" in inner:  # a line break
        inner = inner.replace("\n", '</w:t><w:br/><w:t xml:space="preserve">')
    return f'{_run_start(bold, italic, size)}<w:t xml:space="preserve">{inner}</w:t></w:r>'


@functools.cache
def _run_start(bold: bool, italic: bool, size: float) -> str:
    properties = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "") + f'<w:sz w:val="{round(size * 2)}"/>'
    return f"<w:r><w:rPr>{properties}</w:rPr>"


_ALIGN = {"left": "left", "center": "center", "right": "right", "justify": "both"}


def _paragraph(runs: str = "", *, align: str = "left", style: str | None = None, space_after: float = 6,
               first_line_cm: float = 0) -> str:
    properties = f'<w:pStyle w:val="{style}"/>' if style else ""
    properties += f'<w:spacing w:after="{round(space_after * 20)}"/>'
    if first_line_cm:
        properties += f'<w:ind w:firstLine="{round(first_line_cm * 567)}"/>'
    properties += f'<w:jc w:val="{_ALIGN[align]}"/>'
    return f"<w:p><w:pPr>{properties}</w:pPr>{runs}</w:p>"


def _line(text: str, *, bold: bool = False, italic: bool = False, size: float = 13, align: str = "center",
          space_after: float = 0) -> str:
    return _paragraph(_run(text, bold, italic, size) if text else "", align=align, space_after=space_after)


def _table(left: list[str], right: list[str]) -> str:
    """Two columns without borders (the header block, Nơi nhận beside the signer)."""
    borders = "".join(f'<w:{edge} w:val="nil"/>' for edge in ("top", "left", "bottom", "right", "insideH", "insideV"))
    cells = "".join(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
                    f'{"".join(paragraphs) or "<w:p/>"}</w:tc>'
                    for width, paragraphs in zip(_WIDTHS, (left, right), strict=True))
    grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in _WIDTHS)
    return (f'<w:tbl><w:tblPr><w:tblW w:w="{sum(_WIDTHS)}" w:type="dxa"/><w:tblBorders>{borders}</w:tblBorders>'
            f'</w:tblPr><w:tblGrid>{grid}</w:tblGrid><w:tr>{cells}</w:tr></w:tbl>')


def _token_runs(token: Any) -> list[tuple[str, bool, bool]]:
    """(text, bold, italic) runs of a markdown-it-py inline token (the fallback parser's)."""
    runs: list[tuple[str, bool, bool]] = []
    bold = italic = 0  # depths, so that "**a __b__ c**" stays bold after the inner close
    for child in token.children or ():
        if child.type in ("strong_open", "strong_close"):
            bold += 1 if child.type == "strong_open" else -1
        elif child.type in ("em_open", "em_close"):
            italic += 1 if child.type == "em_open" else -1
        elif child.type in ("text", "code_inline"):
            runs.append((child.content, bold > 0, italic > 0))
        elif child.type in ("softbreak", "hardbreak"):
            runs.append((" " if child.type == "softbreak" else "\n", bold > 0, italic > 0))
    return runs


def _runs(runs: list[tuple[str, bool, bool]], size: float = 14) -> str:
    return "".join(_run(text, bold, italic, size) for text, bold, italic in runs)


class _Writer:
    """The Word paragraphs of a body's blocks. A heading is bold (and italic from level 4,
    whatever its emphasis); a list item's first paragraph takes the list style of its depth
    (deeper than 3 as 3); every other paragraph, table cells and quotes included, is justified
    with a first-line indent; code is one left-aligned 12 pt line per line."""

    def __init__(self, styles: dict[str, str]) -> None:
        self.styles = styles
        self.paragraphs: list[str] = []

    def paragraph(self, runs: list[tuple[str, bool, bool]], heading: int, lists: list[str],
                  first_in_item: bool) -> None:
        if heading:
            self.paragraphs.append(_paragraph(_runs([(part, True, heading >= 4) for part, _, _ in runs])))
        elif lists and first_in_item:
            depth = min(len(lists), 3)
            style = self.styles[lists[-1] if depth == 1 else f"{lists[-1]} {depth}"]
            self.paragraphs.append(_paragraph(_runs(runs), style=style, align="justify"))
        else:
            self.paragraphs.append(_paragraph(_runs(runs), align="justify", first_line_cm=1))

    def code(self, content: str) -> None:
        self.paragraphs.extend(_line(line, size=12, align="left") for line in content.rstrip("\n").split("\n"))


# The inline nodes of markdown-it-pyrs' tree: in a tight list item they sit right under the
# item, without a paragraph node around them.
_INLINE = frozenset({"text", "text_special", "em", "strong", "link", "autolink", "image", "code_inline",
                     "softbreak", "hardbreak", "html_inline"})


def _node_runs(nodes: Sequence[Any], bold: bool, italic: bool, runs: list[tuple[str, bool, bool]]) -> None:
    """(text, bold, italic) runs of inline nodes, split where markdown-it-py splits its tokens
    (adjacent texts and escapes are one run; a code span, a break and an image each its own),
    so that the XML is the same as through the token parser."""
    joinable = False  # the last run is a text of this same sibling list
    for node in nodes:
        name = node.name
        if name in ("text", "text_special"):
            text = node.meta["content"]
            if joinable:
                runs[-1] = (runs[-1][0] + text, bold, italic)
            else:
                runs.append((text, bold, italic))
            joinable = True
            continue
        if name == "strong":
            # markdown-it-py leaves an empty text token on each side of a strong pair (from each
            # "**"), joined to the text beside it if any: kept, so that the XML stays the same
            if not joinable:
                runs.append(("", bold, italic))
            _node_runs(node.children, True, italic, runs)
            runs.append(("", bold, italic))
            joinable = True  # the text after it joins the empty one
            continue
        joinable = False
        if name == "em":
            _node_runs(node.children, bold, True, runs)
        elif name == "autolink":  # its text as markdown-it-py shows it ("%C3%A1" as "á")
            runs.append((normalizeLinkText(_plain_text(node.children)), bold, italic))
        elif name in ("image", "code_inline"):  # an image as its alt text: no images in a file made from text
            runs.append((_plain_text(node.children), bold, italic))
        elif name in ("softbreak", "hardbreak"):
            runs.append((" " if name == "softbreak" else "\n", bold, italic))
        else:  # a link: its text
            _node_runs(node.children, bold, italic, runs)


def _plain_text(nodes: Sequence[Any]) -> str:
    return "".join(node.meta.get("content", "") + _plain_text(node.children) for node in nodes)


def _walk(nodes: Sequence[Any], writer: _Writer, lists: list[str], in_item: bool = False) -> None:
    """`in_item`: `nodes` are a list item's children, whose first paragraph takes the list style."""
    position, count = 0, len(nodes)
    while position < count:
        node = nodes[position]
        name = node.name
        first = in_item and position == 0
        position += 1
        if name in _INLINE:  # a tight item's paragraph: this node and the inline ones after it
            start = position - 1
            while position < count and nodes[position].name in _INLINE:
                position += 1
            runs: list[tuple[str, bool, bool]] = []
            _node_runs(nodes[start:position], False, False, runs)
            writer.paragraph(runs, 0, lists, first)
        elif name in ("paragraph", "tcell"):
            runs = []
            _node_runs(node.children, False, False, runs)
            writer.paragraph(runs, 0, lists, first)
        elif name in ("heading", "lheading"):
            runs = []
            _node_runs(node.children, False, False, runs)
            writer.paragraph(runs, node.meta["level"], lists, first)
        elif name in ("bullet_list", "ordered_list"):
            lists.append("List Bullet" if name == "bullet_list" else "List Number")
            for item in node.children:
                _walk(item.children, writer, lists, in_item=True)
            lists.pop()
        elif name in ("fence", "code_block"):
            writer.code(node.meta["content"])
        else:  # a block quote, a table and its rows; a rule and a link definition have no children
            _walk(node.children, writer, lists)


@functools.cache
def _parser() -> markdown_it_pyrs.MarkdownIt:
    parser = markdown_it_pyrs.MarkdownIt("zero")
    parser.enable_many(list(_BODY_RULES))  # the rules of the body's web page
    return parser


def _body(text: str, styles: dict[str, str]) -> list[str]:
    """The Markdown body: headings, paragraphs, bullet and numbered lists, code as lines.
    Parsed by markdown-it-pyrs (pure-Python markdown-it-py was two thirds of a Word file's
    time), except where `portal/render/bodies.py` does not trust it either."""
    writer = _Writer(styles)
    if ("`" in text and "[" in text) or too_deep(text) is not None:
        _tokens_body(text, writer)
        return writer.paragraphs
    try:
        root = _parser().tree(text.replace("\0", "\ufffd"))  # as CommonMark (and markdown-it-py) reads NUL
    except BaseException as error:  # noqa: B036 - a Rust panic is a BaseException (pyo3's PanicException)
        if type(error).__name__ != "PanicException":
            raise
        _tokens_body(text, writer)
        return writer.paragraphs
    _walk(root.children, writer, [])
    return writer.paragraphs


def _tokens_body(text: str, writer: _Writer) -> None:
    """The same through markdown-it-py's tokens, images as their alt text."""
    tokens = make_parser(images=False).parse(text)
    lists: list[str] = []  # "List Bullet" or "List Number", innermost last
    heading = 0
    for position, token in enumerate(tokens):
        if token.type == "heading_open":
            heading = int(token.tag[1])
        elif token.type == "heading_close":
            heading = 0
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            lists.append("List Bullet" if token.type.startswith("bullet") else "List Number")
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif token.type == "inline":  # an item's first paragraph: list_item_open, paragraph_open, inline
            writer.paragraph(_token_runs(token), heading, lists, tokens[position - 2].type == "list_item_open")
        elif token.type in ("fence", "code_block"):
            writer.code(token.content)


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
    members, before, after, styles = _skeleton()
    meta = document.meta
    party = is_party(issuer, superior, meta.number)
    left = [_line(superior.name.upper())] if superior is not None else []
    left.append(_line(issuer.name.upper(), bold=True))
    if party:
        left.append(_line("*"))
    left.append(_line(f"Số: {meta.number}" if meta.number else "Số:      "))
    if meta.kind.value == "cong-van" and not meta.title_inferred:
        left.append(_line(f"V/v {meta.title}", size=12))
    if party:
        right = [_line("ĐẢNG CỘNG SẢN VIỆT NAM", bold=True, space_after=6)]
    else:
        right = [_line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12),
                 _line("Độc lập - Tự do - Hạnh phúc", bold=True, space_after=6)]
    place = f"{meta.place}, " if meta.place else ""
    if meta.issued:
        right.append(_line(f"{place}{official_date(meta.issued)}", italic=True))
    elif meta.issued_year:
        right.append(_line(f"{place}ngày     tháng     năm {meta.issued_year}", italic=True))
    elif meta.place:
        right.append(_line(meta.place, italic=True))

    parts = [_table(left, right), _line("", space_after=6)]
    if meta.kind.value != "cong-van":
        parts.append(_line(meta.kind.label.upper(), bold=True, size=14))
    if meta.kind.value != "cong-van" or meta.title_inferred:
        parts.append(_line(meta.display_title, bold=True, size=14, space_after=12))
    if len(recipients) == 1:
        parts.append(_line(f"Kính gửi: {recipients[0]}.", size=14, space_after=6))
    elif recipients:
        parts.append(_line("Kính gửi:", size=14))
        parts.extend(_line(f"- {name};", size=14) for name in recipients)
        parts.append(_line("", space_after=6))
    parts.extend(_body(document.body, styles))
    if meta.signer or meta.distribution:
        where = [_line("Nơi nhận:", bold=True, italic=True, size=12, align="left")] if meta.distribution else []
        where.extend(_line(f"- {line}", size=11, align="left") for line in meta.distribution)
        signature = []
        if meta.signer:
            if meta.signer.on_behalf:
                signature.append(_line(meta.signer.on_behalf, bold=True, size=14))
            if meta.signer.position:
                signature.append(_line(meta.signer.position, bold=True, size=14, space_after=48))
            signature.append(_line(meta.signer.name, bold=True, size=14))
        parts.append(_table(where, signature))

    return zip_archive((("docProps/core.xml", _core_properties(meta.label[:255], issuer.name[:255])),
                        ("word/document.xml", (before + "".join(parts) + after).encode("utf-8"))), members)


def _core_properties(title: str, author: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{escape(title)}</dc:title><dc:creator>{escape(author)}</dc:creator>"
            f"<cp:lastModifiedBy>{escape(author)}</cp:lastModifiedBy><cp:revision>1</cp:revision>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{FIXED_TIME}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{FIXED_TIME}</dcterms:modified>'
            "</cp:coreProperties>").encode()


def stored_docx(document: Document, issuer: Unit, superior: Unit | None, recipients: tuple[str, ...],
                store: Store | None) -> bytes | int:
    """`document_docx`, or with `store`, the file written by whoever made it and its size."""
    return handed_over(store, docx_path(document.slug), document_docx(document, issuer, superior, recipients))


def document_downloads(index: Any, steps: Steps = PLAIN, store: Store | None = None) -> dict[str, bytes | int]:
    """Every file published beside the document pages: each document's .docx (a parallel step,
    kept while the document and its units are the same) and its attachments and images.
    `store`: a one-shot build's writer into its staging folder. The workers then write the Word
    files themselves and only their sizes come back (10,000 of them are ~70 MB that would
    otherwise be pickled back to this process and written from it one by one)."""
    units = index.units
    documents = list(index.documents.values())
    calls = []
    for document in documents:
        issuer = units[document.meta.issuer]
        superior = units.get(issuer.parent) if issuer.parent else None
        recipients = tuple(units[unit_id].name for unit_id in document.meta.recipients)
        calls.append((document.slug, (document, issuer, superior, recipients, store)))
    files: dict[str, bytes | int] = {}
    for document, data in zip(documents, steps.each("docx", stored_docx, calls, parallel=True), strict=True):
        files[docx_path(document.slug)] = data
        for file in document.files:
            files[file_path(document.slug, file.name)] = file.data
    return files
