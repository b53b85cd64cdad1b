"""Markdown bodies to safe HTML, with heading anchors and a table of contents.

Raw HTML is off (escaped as text) and links to `javascript:`, `vbscript:`, `file:` and non-image
`data:` URLs are not made, so editors' text cannot inject script. Headings are shifted so that
the body never competes with the page's own <h1>.

Bodies go through markdown-it-pyrs, the Rust port of the same markdown-it (same CommonMark rules
and link validation, about 20 times faster: pure-Python markdown-it-py was a quarter of a large
build). It has no render hooks, so heading ids, the table of contents and the first paragraph
are read back from its HTML; that is exact because with raw HTML off every tag in it is one the
renderer made, and text can never contain `<` or `"` unescaped. Short inline texts (duty tasks)
and the validator's link and image checks, which need tokens and line numbers, stay on
markdown-it-py (`make_parser`).
"""

from __future__ import annotations

import html as html_text
import re
from dataclasses import dataclass
from typing import Final

import markdown_it_pyrs

from portal.content.markdown import make_parser, too_deep
from portal.content.models import Document
from portal.content.slugs import SlugSet
from portal.steps import PLAIN, Steps
from portal.urls import file_path


@dataclass(frozen=True)
class TocEntry:
    level: int  # 2..4 after shifting
    text: str
    anchor: str


@dataclass(frozen=True)
class RenderedMarkdown:
    html: str
    toc: tuple[TocEntry, ...]
    first_paragraph: str


# CommonMark without raw HTML, plus tables: markdown-it-pyrs' "zero" preset with these rules on.
# Final, so that mypy keeps each name's literal type: markdown-it-pyrs types the rule names.
_BODY_RULES: Final = ("blockquote", "code", "fence", "heading", "hr", "lheading", "list", "paragraph",
                      "reference", "table", "autolink", "backticks", "emphasis", "entity", "escape", "image", "link",
                      "newline")
_HEADING = re.compile(r"<h([1-6])>(.*?)</h\1>", re.S)
_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
_BREAK = re.compile(r"<br />\n?|\n")
_TAG = re.compile(r"<[^>]*>")
_ROOT_LINK = re.compile(r'( (?:href|src)=")/(?!/)')
# An image whose source names a scheme ("https:", "data:") or another host ("//"); group 1: its alt.
_REMOTE_IMAGE = re.compile(r'<img src="(?:[A-Za-z][A-Za-z0-9+.-]*:|//)[^"]*" alt="([^"]*)"(?: title="[^"]*")? />')


def _plain(inner_html: str) -> str:
    """The text of an HTML fragment the renderer made: tags dropped (an image's alt with its tag),
    line breaks as spaces, entities decoded."""
    return html_text.unescape(_TAG.sub("", _BREAK.sub(" ", inner_html)))


def _body_html(text: str) -> str:
    # markdown-it-pyrs 0.4 panics on a code span inside an unclosed link label ("[a `b":
    # markdown-it-rust issue #40), printing a Rust backtrace. Official texts almost never hold a
    # backtick, so a body with both goes through markdown-it-py (the same rules, slower).
    if "`" in text and "[" in text:
        return make_parser().render(text)
    if too_deep(text) is not None:  # `check` refuses it; never hand the Rust renderer a stack overflow
        return make_parser().render(text)
    parser = markdown_it_pyrs.MarkdownIt("zero")
    parser.enable_many(list(_BODY_RULES))
    try:
        return parser.render(text)
    except BaseException as error:  # noqa: B036 - a Rust panic is a BaseException (pyo3's PanicException)
        if type(error).__name__ != "PanicException":  # any other panic: still render the body
            raise
        return make_parser().render(text)


# An image the renderer made: group 1 its source (escaped as in the HTML), group 2 the rest.
_IMAGE = re.compile(r'<img src="([^"]*)"( alt="[^"]*"(?: title="[^"]*")?) />')
Image = tuple[str, str, int, int]  # (source as written, published URL, width, height)


def _local_images(html: str, images: tuple[Image, ...]) -> str:
    """Each image beside the document points to its published copy, with its size (so that the
    page does not jump while it loads) and loaded lazily; any other local image is dropped."""
    by_source = {html_text.escape(source): (url, width, height) for source, url, width, height in images}

    def image(match: re.Match[str]) -> str:
        found = by_source.get(match.group(1))
        if found is None:
            return match.group(0) if match.group(1).startswith("/") else ""
        url, width, height = found
        return (f'<img src="{html_text.escape(url)}"{match.group(2)} width="{width}" height="{height}" '
                f'loading="lazy" />')

    return _IMAGE.sub(image, html)


def render_markdown(text: str, base_path: str = "/", reserved_ids: frozenset[str] = frozenset(),
                    images: tuple[Image, ...] = ()) -> RenderedMarkdown:
    """`reserved_ids` are the page's own ids: heading anchors must not repeat them. Links to
    "/van-ban/x/" get the site's `base_path` ("/cong/van-ban/x/"). An image from another site is
    dropped here too (its alt text stays), whatever `check` saw: the validator reads bodies with
    markdown-it-py, and the two parsers disagree on rare broken syntax. `images`: the document's
    own images (`portal/content/files.py`), by the source the body gives them."""
    html = _REMOTE_IMAGE.sub(lambda match: match.group(1), _body_html(text))
    if "<img " in html:
        html = _local_images(html, images)
    if base_path != "/":
        escaped = html_text.escape(base_path)  # into an attribute value: escaped, whatever it holds
        html = _ROOT_LINK.sub(lambda match: match.group(1) + escaped, html)
    anchors = SlugSet(reserved_ids)
    toc: list[TocEntry] = []

    def heading(match: re.Match[str]) -> str:
        # The body sits under the page's "Toàn văn" <h2>: its ## sections become <h3>, and so on
        # (a stray # too, so the page keeps its single <h1>).
        level = max(3, min(6, int(match.group(1)) + 1))
        plain = _plain(match.group(2))
        anchor = anchors.unique(plain)
        if level <= 5:
            toc.append(TocEntry(level - 1, plain.strip(), anchor))
        return f'<h{level} id="{anchor}">{match.group(2)}</h{level}>'

    html = _HEADING.sub(heading, html)
    # The first paragraph with text (one holding only an image has none) that says what this
    # document does, not what it carries out: leads are skipped (`is_lead`).
    texts = (plain for match in _PARAGRAPH.finditer(html) if (plain := _plain(match.group(1)).strip()))
    first = ""
    for text in texts:
        first = first or text
        if not is_lead(text):
            first = text
            break
    return RenderedMarkdown(html, tuple(toc), first)


# "Thực hiện Kế hoạch số …", "Căn cứ …", "Triển khai …", "Ngày 03/10/2024, Ban … ban hành Hướng dẫn …":
# the sentence an official document opens with to cite the one it carries out.
_LEAD = re.compile(r"^(?:thực hiện|căn cứ|triển khai|theo|thi hành|ngày \d{1,2}[/-]\d{1,2}[/-]\d{4}\b)", re.IGNORECASE)


def is_lead(text: str) -> bool:
    """A paragraph that introduces rather than says: a citation lead, or an announcement of
    what follows ("… như sau:", "… một số nội dung sau:")."""
    return _LEAD.match(text) is not None or text.rstrip().endswith(":")


# Ids that templates/document.html (and base.html) use: heading anchors in a body must avoid them.
DOCUMENT_PAGE_IDS = frozenset({"noi-dung", "thong-tin", "quan-he", "giai-doan", "nhiem-vu", "muc-luc",
                               "toan-van", "dang-ky-lich"})


def document_images(document: Document, base_path: str) -> tuple[Image, ...]:
    return tuple((file.source, f"{base_path}{file_path(document.slug, file.name)}", file.width, file.height)
                 for file in document.files if not file.attachment)


def render_bodies(documents: dict[str, Document], base_path: str, steps: Steps = PLAIN) -> dict[str, RenderedMarkdown]:
    """Every document's body, by slug: a parallel step, one call per distinct text (and images)."""
    keys = {slug: (document.body, document_images(document, base_path)) for slug, document in documents.items()}
    texts = list(dict.fromkeys(keys.values()))
    rendered = dict(zip(texts, steps.each("body", render_markdown,
                                          [((text, images), (text, base_path, DOCUMENT_PAGE_IDS, images))
                                           for text, images in texts], parallel=True), strict=True))
    return {slug: rendered[key] for slug, key in keys.items()}
