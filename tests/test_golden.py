"""Golden tests: the small fixture site renders to exactly the committed files.

After an intended change of templates or rendering, regenerate and review the diff:
    PORTAL_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import os
import re
import shutil

from conftest import FIXTURES, SAMPLE_TODAY, TESTS
from portal.pipeline import BuildOptions, render

GOLDEN = TESTS / "golden" / "mini"


def test_mini_site_matches_golden_files(tmp_path):
    result = render(BuildOptions(content=FIXTURES / "mini", out=tmp_path / "unused", today=SAMPLE_TODAY))
    assert result.ok and result.outputs is not None
    # Asset names carry a hash of the CSS/JS; styling changes should not churn every golden page.
    outputs = {path: re.sub(rb"\.[0-9a-f]{10}\.(css|js|svg)", rb".HASH.\1", data)
               for path, data in result.outputs.items() if not path.startswith("static/")}
    if os.environ.get("PORTAL_UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for path, data in outputs.items():
            (GOLDEN / path).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / path).write_bytes(data)
    expected = {p.relative_to(GOLDEN).as_posix(): p.read_bytes() for p in GOLDEN.rglob("*") if p.is_file()}
    assert sorted(outputs) == sorted(expected)
    for path in outputs:
        if path.endswith((".png", ".bin", ".docx", ".pdf", ".jpg")):  # binary: images, search postings, Word files
            assert outputs[path] == expected[path], path
        else:  # text: a readable diff on failure
            assert outputs[path].decode() == expected[path].decode(), path
