"""Shared fixtures: content folders and built sites (built once per test session)."""

from __future__ import annotations

import functools
import http.server
import threading
from datetime import date, datetime, timedelta, timezone
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


@pytest.fixture(scope="session")
def admin_site(tmp_path_factory) -> Path:
    """The mini fixture with a `cms:` block, built: its site has the web editor at /admin/."""
    import shutil

    root = tmp_path_factory.mktemp("admin")
    shutil.copytree(FIXTURES / "mini", root / "content")
    with open(root / "content" / "site.yaml", "a", encoding="utf-8") as handle:
        handle.write("cms:\n  repo: so-vhttdl/cong-tuyen-truyen\n  branch: main\n")
    build_into(root / "content", root / "site")
    return root / "site"


# Real headless Chromium (Debian's), driven by Playwright: shared by the browser test modules.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server(sample_site):
    """The sample site served on 127.0.0.1."""
    handler = functools.partial(_QuietHandler, directory=str(sample_site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium is required: apt-get install -y chromium (see .ci/run)")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield BuildDayBrowser(browser)
        browser.close()


# Noon of the sample's build day in Asia/Ho_Chi_Minh: today.js leaves the pages as built on it.
BUILD_DAY_NOON = datetime(SAMPLE_TODAY.year, SAMPLE_TODAY.month, SAMPLE_TODAY.day, 12,
                          tzinfo=timezone(timedelta(hours=7)))


class BuildDayBrowser:
    """The browser, whose pages read the clock as the sample's build day: today.js recomputes
    "Hôm nay", countdowns and running phases from the reader's day, which the tests fix so that
    what they see is what the build wrote (test_today.py moves the clock on purpose)."""

    def __init__(self, browser):
        self._browser = browser

    def new_page(self, **options):
        page = self._browser.new_page(**options)
        page.clock.set_fixed_time(BUILD_DAY_NOON)
        return page

    def __getattr__(self, name):
        return getattr(self._browser, name)
