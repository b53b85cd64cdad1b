"""Markdown bodies to safe HTML, with heading anchors and a table of contents.

Raw HTML is off (CommonMark `html: False` escapes it) and markdown-it's `validateLink` refuses
`javascript:`, `vbscript:`, `file:` and non-image `data:` URLs, so editors' text cannot inject
script. Headings are shifted so that the body never competes with the page's own <h1>.
"""

from __future__ import annotations

from dataclasses import dataclass

from markdown_it import MarkdownIt

from .slugs import unique_slug


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


def make_parser(base_path: str = "/") -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")
    if base_path != "/":
        parser.core.ruler.push("portal_base_path", _prefix_root_links(base_path))
    return parser


def _prefix_root_links(base_path: str):
    """Editors link to "/van-ban/x/"; a site under "/cong/" needs "/cong/van-ban/x/"."""
    def rule(state) -> None:
        for block in state.tokens:
            for token in block.children or ():
                for attribute in ("href", "src"):
                    value = token.attrGet(attribute)
                    if isinstance(value, str) and value.startswith("/") and not value.startswith("//"):
                        token.attrSet(attribute, base_path + value[1:])
    return rule


def render_markdown(text: str, parser: MarkdownIt | None = None, reserved_ids: frozenset[str] = frozenset()) -> RenderedMarkdown:
    """`reserved_ids` are the page's own ids: heading anchors must not repeat them."""
    parser = parser or make_parser()
    tokens = parser.parse(text)
    taken: set[str] = set(reserved_ids)
    toc: list[TocEntry] = []
    first_paragraph = ""
    for index, token in enumerate(tokens):
        if token.type in ("heading_open", "heading_close"):
            # The body sits under the page's "Toàn văn" <h2>: its ## sections become <h3>, and so
            # on (a stray # too, so the page keeps its single <h1>).
            level = max(3, min(6, int(token.tag[1]) + 1))
            token.tag = f"h{level}"
            if token.type == "heading_open":
                inline = tokens[index + 1]
                plain = "".join(child.content for child in inline.children or () if child.type in ("text", "code_inline"))
                anchor = unique_slug(plain, taken)
                token.attrSet("id", anchor)
                if level <= 5:
                    toc.append(TocEntry(level - 1, plain.strip(), anchor))
        elif token.type == "paragraph_open" and not first_paragraph:
            inline = tokens[index + 1]
            first_paragraph = "".join(
                " " if child.type in ("softbreak", "hardbreak") else child.content
                for child in inline.children or () if child.type in ("text", "code_inline", "softbreak", "hardbreak")
            ).strip()
    html = parser.renderer.render(tokens, parser.options, {})
    return RenderedMarkdown(html, tuple(toc), first_paragraph)
