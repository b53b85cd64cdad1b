"""Shared fixtures: content folders and built sites (built once per test session)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from portal.pipeline import BuildOptions, build

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
SAMPLE_CONTENT = ROOT / "content"
FIXTURES = TESTS / "fixtures"
SAMPLE_TODAY = date(2025, 1, 15)


def build_into(content: Path, out: Path, today: date = SAMPLE_TODAY):
    result = build(BuildOptions(content=content, out=out, today=today))
    assert result.ok, "\n".join(d.format() for d in result.diagnostics)
    return result


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """The real sample site from content/, built to disk as `python build.py build` would."""
    out = tmp_path_factory.mktemp("sample") / "site"
    build_into(SAMPLE_CONTENT, out)
    return out


@pytest.fixture(scope="session")
def mini_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("mini") / "site"
    build_into(FIXTURES / "mini", out)
    return out
