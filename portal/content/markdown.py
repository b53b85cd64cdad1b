"""The Markdown of bodies and duty tasks: CommonMark with tables, raw HTML off (escaped as text),
and links to `javascript:`, `vbscript:`, `file:` and non-image `data:` URLs never made, so
editors' text cannot inject script. `make_parser` is this dialect in markdown-it-py, which
gives tokens with line numbers: what validation reads, and what renders short inline texts.
Bodies are rendered to pages by `portal/render/bodies.py`.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

# Lists and block quotes nest by recursion in the Rust renderer, without a limit: "- " * 50000
# or 100,000 `>` overflowed its stack and killed the build (exit 139, no message). Official texts
# nest three or four levels; past this many a body is refused (`markdown-too-deep`).
MAX_NESTING = 32
_CONTAINERS = re.compile(r"^(?P<indent>[ \t]*)(?P<markers>(?:(?:>|[-+*](?=[ \t])|[0-9]{1,9}[.)](?=[ \t]))[ \t]*)+)",
                         re.MULTILINE)
# A line can go deeper than MAX_NESTING only if its run of indentation and marker characters is
# longer than MAX_NESTING // 2: a character adds at most 2 (a tab: 4 columns of indentation).
_LONG_PREFIX = re.compile(rf"^[ \t>*+\-0-9.)]{{{MAX_NESTING // 2 + 1},}}", re.MULTILINE)
_MARKER = re.compile(r">|[-+*](?=[ \t])|[0-9]{1,9}[.)](?=[ \t])")


def make_parser(base_path: str = "/", images: bool = True) -> MarkdownIt:
    """`images=False` for short texts (duty tasks): `check` reads images in bodies only, so an
    image anywhere else (a remote one a tracker) becomes its alt text."""
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")
    if base_path != "/":
        parser.core.ruler.push("portal_base_path", _prefix_root_links(base_path))
    if not images:
        parser.core.ruler.push("portal_no_images", _images_as_text)
    return parser


def _images_as_text(state) -> None:
    for block in state.tokens:
        for token in block.children or ():
            if token.type == "image":
                token.type, token.tag, token.attrs = "text", "", {}
                token.content, token.children = "".join(child.content for child in token.children or ()), None


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


def too_deep(text: str) -> tuple[int, int] | None:
    """(0-based line, 1-based column) of the first line that may open more than MAX_NESTING
    containers, or None. An upper bound, linear in the text: a line opens at most one container
    per marker (`>`, `-`, `1.`) and, nested by indentation, one per two columns of it."""
    if not _LONG_PREFIX.search(text):  # the common case, decided in one pass
        return None
    for match in _CONTAINERS.finditer(text):
        indent, markers = match.group("indent"), match.group("markers")
        width = len(indent.expandtabs(4)) // 2
        if width + len(markers) <= MAX_NESTING:  # each marker is at least one character
            continue
        depth = width
        for marker in _MARKER.finditer(markers):
            depth += 1
            if depth > MAX_NESTING:
                line = text.count("\n", 0, match.start())
                return line, len(indent) + marker.start() + 1
    return None
