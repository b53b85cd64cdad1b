"""Importing the seed texts recognises what the hand-made sample content states (first slice)."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, SAMPLE_CONTENT
from htmltext import squash
from portal.importer import recognise
from portal.loader import load_content
from portal.markdown import render_markdown
from portal.search import plain_text
from portal.validate import validate_content
from test_seeds_complete import FIRST_BODY_WORDS, PAGES, SEEDS, _clean

SITE, _ = validate_content(load_content(SAMPLE_CONTENT))


@pytest.mark.parametrize("seed", sorted(PAGES))
def test_recognised_front_matter_matches_the_sample(seed):
    result = recognise((SEEDS / seed).read_text(encoding="utf-8"), list(SITE.units))
    meta = next(d for d in SITE.documents if d.slug == PAGES[seed]).meta
    assert result.front["number"] == meta.number
    assert result.front["kind"] == meta.kind.value
    if not meta.title_inferred:  # a copy without a trích yếu has no title to recognise
        assert result.front["title"].lower() == meta.title.lower()
    assert result.front["distribution"] == list(meta.distribution)
    assert result.front["signer"] == meta.signer.model_dump(exclude_none=True)
    assert {c["number"] for c in result.front.get("implements", [])} == {c.number for c in meta.implements}
    for cited in result.front.get("implements", []):
        known = next(c for c in meta.implements if c.number == cited["number"])
        assert cited["kind"] == known.kind.value
        if "issued" in cited:
            assert cited["issued"] == f"{known.issued:%d/%m/%Y}"
    assert set(result.front.get("recipients", [])) <= set(meta.recipients)
    if meta.place:
        assert result.front["place"] == meta.place
    assert result.front.get("issued_year") == meta.issued_year
    assert all(0 <= value <= 1 for value in result.confidence.values())


@pytest.mark.parametrize("seed", sorted(PAGES))
def test_imported_body_keeps_every_paragraph(seed):
    text = (SEEDS / seed).read_text(encoding="utf-8")
    result = recognise(text, list(SITE.units))
    body = squash(plain_text(render_markdown(result.body).html))
    lines = [line for line in (_clean(line) for line in text.splitlines()) if line]
    start = next(i for i, line in enumerate(lines) if line.startswith(FIRST_BODY_WORDS[seed]))
    end = lines.index("Nơi nhận:")
    assert [line for line in lines[start:end] if line not in body] == []
    assert "## " in result.body or seed.startswith("000")  # Roman-numeral sections became headings


def test_import_command_writes_a_checked_file_and_never_overwrites(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    (content / "documents" / "443-kh-tu-vung-tau-chu-de-lon-dai-hoi-xiv.md").unlink()
    command = [sys.executable, str(ROOT / "build.py"), "import", str(SEEDS / "002_9ee6e02dc63f817c.txt"),
               "--issuer", "btv-thanh-uy-vung-tau", "--content", str(content)]
    first = subprocess.run(command, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    assert "number: 95%" in first.stderr and "0 lỗi" in first.stderr
    again = subprocess.run(command, capture_output=True, text=True)
    assert again.returncode == 1 and "đã có" in again.stderr
