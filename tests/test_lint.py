"""ruff and mypy find nothing, with the settings of pyproject.toml: the README's one test command
covers lint and types too (`.ci/run` also runs both before the tests, to fail fast)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from conftest import ROOT

LINTED = ("portal", "tests", "benchmarks", "build.py")  # what `.ci/run` gives `ruff check`


def _run(tool: str, *args: str) -> subprocess.CompletedProcess:
    if importlib.util.find_spec(tool) is None:
        pytest.skip(f"{tool} is not installed (the `test` extras pin it)")
    return subprocess.run([sys.executable, "-m", tool, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


def test_ruff_finds_nothing():
    result = _run("ruff", "check", "--no-fix", *LINTED)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_nothing():
    result = _run("mypy")  # the files and options come from [tool.mypy]
    assert result.returncode == 0, result.stdout + result.stderr
