"""The derived index of a content folder, or of a generated corpus: what the per-item benchmarks
(`cards_bench.py`, `docx_bench.py`) draw their calls from, made as the build makes it."""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

from benchmarks.generate_content import generate
from portal.build.builder import BuildOptions, SiteBuilder
from portal.derive.index import SiteIndex, derive


def derived_index(content: Path, documents: int | None, today: date) -> SiteIndex:
    """`content`'s index, or with `documents` that of a synthetic corpus of that many documents
    generated in a temporary folder (gone once everything is read)."""
    with tempfile.TemporaryDirectory() as folder:
        if documents:
            content = Path(folder) / "content"
            generate(documents, content)
        site, _ = SiteBuilder(BuildOptions(content=content, out=content.parent / "unused", today=today)).check()
        if site is None:
            sys.exit(f"{content}: the content does not validate")
        return derive(site, today)
