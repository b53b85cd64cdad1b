"""Links that work from a folder opened on disk: the site of a pull request, downloaded from CI as
a zip and opened without a web server (`build --relative-links`).

A browser opening `file://…/van-ban/x/index.html` resolves "/cong/van-ban/y/" against the disk's
root and does not add `index.html` to a folder: every root-relative link and asset of a page is
made relative to the page's own folder, with `index.html` spelled out. Published builds keep
root-relative links (shorter, and the same on every page of a list).
"""

from __future__ import annotations

import posixpath
import re

_ROOT_RELATIVE = re.compile(r'((?:href|src)=")([^"#?]*)([^"]*")')


def make_relative(html: str, output_file: str, base_path: str) -> str:
    """`html` of the page written at `output_file` (under the site root), its links under
    `base_path` rewritten relative to that page."""
    folder = posixpath.dirname(output_file) or "."

    def rewrite(match: re.Match[str]) -> str:
        target = match.group(2)
        if not target.startswith(base_path) or target.startswith("//"):
            return match.group(0)
        path = target[len(base_path):]
        if path == "" or path.endswith("/"):
            path += "index.html"
        return match.group(1) + posixpath.relpath(path, folder) + match.group(3)

    return _ROOT_RELATIVE.sub(rewrite, html)
