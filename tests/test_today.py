"""True every day (issue 16): pages built on one day, read 40 days later, show that day's
"Hôm nay", countdowns, "Sắp tới", running phases and highlighted calendar day, recomputed by
today.js from the data the build embedded; without JavaScript they keep the build day's text."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone

import pytest

from conftest import SAMPLE_CONTENT, SAMPLE_TODAY
from portal.content.dates import weekday_date
from portal.content.validate import validate_content
from portal.derive.index import derive
from portal.load.files import load_content

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LATER = SAMPLE_TODAY + timedelta(days=40)
DOCUMENT = "van-ban/443-kh-tu-vung-tau-chu-de-lon-dai-hoi-xiv/"


@pytest.fixture(scope="module")
def later_index():
    """What a build on the later day would show."""
    site, diagnostics = validate_content(load_content(SAMPLE_CONTENT))
    assert site is not None, diagnostics
    return derive(site, LATER)


def _page_on(browser, server, path: str, day, width: int = 1280):
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    # 07:30 in Vietnam is 00:30 UTC of the same day, and 23:30 UTC the day before is already `day` there
    page.clock.set_fixed_time(datetime(day.year, day.month, day.day, 0, 30, tzinfo=timezone(timedelta(hours=7))))
    page.goto(server + path)
    return page, errors


def test_the_static_page_carries_the_build_day_and_its_data(sample_site):
    home = (sample_site / "index.html").read_text(encoding="utf-8")
    assert f"Hôm nay: {weekday_date(SAMPLE_TODAY)}" in home
    data = json.loads(re.search(r'<script type="application/json" id="du-lieu-hom-nay">(.*?)</script>', home).group(1))
    assert data == {"today": SAMPLE_TODAY.isoformat(), "timeZone": "Asia/Ho_Chi_Minh", "upcomingDays": 60}
    assert re.search(r'<script src="/static/today\.[0-9a-f]+\.js" defer></script>', home)


def test_forty_days_later_the_home_page_is_of_that_day(browser, server, later_index):
    page, errors = _page_on(browser, server, "", LATER)
    assert page.locator("[data-today]").inner_text() == f"Hôm nay: {weekday_date(LATER)}"
    # "Sắp tới": the occurrences of the later day's window, with their countdowns.
    shown = page.locator(".occurrences > li:not([hidden])")
    expected = [(o.day.isoformat(), (o.day - LATER).days) for o in later_index.upcoming]
    assert expected, "the sample has commemorations in the 60 days after the later day"
    assert [(item.get_attribute("data-day"),
             item.locator("[data-countdown]").inner_text()) for item in shown.all()] == [
        (day, "hôm nay" if days == 0 else f"còn {days} ngày") for day, days in expected]
    # Running phases: those of the later day.
    names = page.locator("[data-phases] > li:not([hidden]) .phase-name").all_inner_texts()
    assert names == [p.phase.name for p in later_index.running_phases[:10]]
    assert errors == []
    page.close()


def test_on_the_build_day_the_script_changes_nothing(browser, server):
    site, _ = validate_content(load_content(SAMPLE_CONTENT))
    assert site is not None
    built = derive(site, SAMPLE_TODAY)
    page, errors = _page_on(browser, server, "", SAMPLE_TODAY)
    assert page.locator("[data-today]").inner_text() == f"Hôm nay: {weekday_date(SAMPLE_TODAY)}"
    assert page.locator(".occurrences > li:not([hidden])").evaluate_all(
        "items => items.map(i => i.dataset.day)") == [o.day.isoformat() for o in built.upcoming]
    assert errors == []
    page.close()


def test_forty_days_later_the_calendar_highlights_that_day(browser, server):
    page, errors = _page_on(browser, server, f"lich/{LATER.year}/", LATER)
    today = page.locator("td.today")
    assert today.count() == 1
    assert today.get_attribute("data-day") == LATER.isoformat()
    assert page.locator("[data-today-mark]").count() == 0
    assert errors == []
    page.close()


def test_forty_days_later_a_plans_phases_are_of_that_day(browser, server, later_index):
    page, errors = _page_on(browser, server, DOCUMENT, LATER)
    slug = DOCUMENT.split("/")[1]
    expected = [entry.state(LATER) for entry in later_index.document_phases[slug]]
    classes = page.locator(".timeline > li").evaluate_all("items => items.map(i => i.className)")
    assert classes == expected
    running = page.locator(".timeline > li .badge-running:not([hidden])").count()
    assert running == expected.count("running")
    assert errors == []
    page.close()
