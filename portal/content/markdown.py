"""The Markdown of bodies and duty tasks: CommonMark with tables, raw HTML off (escaped as text),
and links to `javascript:`, `vbscript:`, `file:` and non-image `data:` URLs never made, so
editors' text cannot inject script. `make_parser` is this dialect in markdown-it-py, which
gives tokens with line numbers: what validation reads, and what renders short inline texts.
Bodies are rendered to pages by `portal/render/bodies.py`.
"""

from __future__ import annotations

from markdown_it import MarkdownIt


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
