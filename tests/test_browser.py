"""Real headless Chromium (Debian's /usr/bin/chromium) on the built sample site.

Screenshots go to tests/artifacts/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTIFACTS = Path(__file__).parent / "artifacts"
DOCUMENT = "van-ban/443-kh-tu-vung-tau-chu-de-lon-dai-hoi-xiv/"


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("path, title", [
    ("", "Cổng lịch và đề cương tuyên truyền"),
    (DOCUMENT, "Tuyên truyền những chủ đề lớn, trọng tâm từ nay đến Đại hội đại biểu toàn quốc lần thứ XIV của Đảng"),
    ("lich/", "Lịch tuyên truyền"),
    ("lich/2025/", "Lịch năm 2025"),
])
def test_page_is_readable_without_horizontal_scroll(browser, server, path, title, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    response = page.goto(server + path)
    assert response is not None and response.status == 200
    heading = page.locator("h1")
    assert heading.count() == 1
    assert heading.is_visible()
    assert heading.inner_text().strip() == title or title in heading.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.lang") == "vi"
    ARTIFACTS.mkdir(exist_ok=True)
    name = (path.strip("/").replace("/", "_") or "home")
    page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
    assert errors == []
    page.close()


def test_document_list_narrows_by_kind_with_links(browser, server):
    page = browser.new_page(viewport={"width": 390, "height": 900})
    page.goto(server + "van-ban/")
    assert page.locator("li.doc-item").count() == 4
    page.locator("nav.facets a.chip", has_text="Công văn").click()
    page.wait_for_url("**/van-ban/loai/cong-van/")
    assert page.locator("li.doc-item").count() == 2
    assert page.locator("nav.facets a[aria-current=page]").first.inner_text().startswith("Công văn")
    assert page.locator("h1").inner_text() == "Công văn"
    page.close()


def test_table_of_contents_jumps_to_sections(browser, server):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server + DOCUMENT)
    assert page.locator("details.toc").get_attribute("open") is not None  # open in the sidebar (site.js)
    page.locator("details.toc a", has_text="IV- TỔ CHỨC THỰC HIỆN").click()
    assert page.url.endswith("#iv-to-chuc-thuc-hien")
    assert page.locator("#iv-to-chuc-thuc-hien").is_visible()
    page.close()


@pytest.mark.parametrize("width, grid_visible", [(390, False), (1280, True)])
def test_year_calendar_shows_grid_or_list_and_highlights_today(browser, server, width, grid_visible):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(server + "lich/2025/")
    assert page.locator("#thang-1 table.month-grid").is_visible() is grid_visible
    assert page.locator("#thang-1 ul.month-list").is_visible() is not grid_visible
    today = page.locator("#thang-1 td.today" if grid_visible else "#thang-1 .month-list li.today")
    assert today.count() == 1 and today.is_visible()
    assert "15" in today.inner_text()
    assert page.locator("button.copy").first.is_visible()  # enabled by subscribe.js
    page.close()


def _search(page, query: str) -> list[str]:
    page.fill("#tim-nhanh", query)
    page.wait_for_selector(".search-popup .search-result a", timeout=5000)
    page.wait_for_timeout(300)  # the last keystroke's results replace the previous ones
    return page.locator(".search-popup .search-result a").evaluate_all("els => els.map(e => e.getAttribute('href'))")


def test_header_search_without_diacritics_on_a_phone(browser, server):
    page = browser.new_page(viewport={"width": 390, "height": 900})
    page.goto(server)
    hrefs = _search(page, "dang cong san")
    contains_phrase = []
    for href in hrefs:
        text = page.context.request.get(server.rstrip("/") + href).text()
        contains_phrase.append("Đảng Cộng sản" in text)
    assert any(contains_phrase)
    assert page.locator(".search-popup mark").count() > 0
    assert _search(page, "443 kh tu")[0] == "/" + DOCUMENT
    assert _search(page, "443-KH/TU")[0] == "/" + DOCUMENT
    assert _search(page, "443")[0] == "/" + DOCUMENT
    assert _search(page, "tuyên truyền")[0] == _search(page, "tuyen truyen")[0]
    assert _search(page, "Tuye\u0302n truye\u0302\u0300n")[0] == _search(page, "tuyen truyen")[0]  # NFD typing
    page.close()


def _type(page, query: str) -> None:
    """Real keystrokes into the header box, as a reader types (the last one's results settle)."""
    box = page.locator("#tim-nhanh")
    box.fill("")
    box.press_sequentially(query, delay=30)
    page.wait_for_selector(".search-popup li", timeout=5000)
    page.wait_for_timeout(400)


def test_header_search_ranks_phrases_pages_and_typos_on_a_phone(browser, server):
    """Issue 17, typed at 390 px: the phrase first and marked whole, commemorations first, a typo
    corrected with results, and a visible "Không tìm thấy" with suggestions."""
    page = browser.new_page(viewport={"width": 390, "height": 900})
    page.goto(server)
    first = page.locator(".search-popup .search-result").first
    for query in ("dang cong san", "đảng cộng sản"):
        _type(page, query)
        href = first.locator("a").get_attribute("href")
        assert "Đảng Cộng sản" in page.context.request.get(server.rstrip("/") + href).text(), (query, href)
        assert "Đảng Cộng sản" in first.locator("mark").all_inner_texts(), (query, first.inner_html())
        assert first.is_visible()
    for query, href in (("gio to hung vuong", "/ngay-ky-niem/gio-to-hung-vuong/"),
                        ("tet nguyen dan", "/ngay-ky-niem/tet-nguyen-dan/")):
        _type(page, query)
        assert first.locator("a").get_attribute("href") == href, query
        assert first.locator(".result-meta").inner_text().startswith("Ngày kỷ niệm")
    _type(page, "tuyen truyn")
    note = page.locator(".search-popup .search-note").first
    assert note.is_visible() and "Có phải bạn muốn tìm tuyên truyền?" in note.inner_text()
    assert page.locator(".search-popup .search-result").count() > 0
    _type(page, "qxzqxz")
    empty = page.locator(".search-popup .search-empty")
    assert empty.is_visible() and "Không tìm thấy" in empty.inner_text()
    assert empty.locator("a").count() >= 2  # popular topics and the search page
    box = empty.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390  # inside the phone's screen
    page.close()


def test_header_search_runs_a_pasted_text_at_once_and_waits_for_keystrokes(browser, server):
    """A text inserted whole (one input event, as a paste) has no next keystroke to wait for: it is
    searched without any timer; a keystroke waits 80 ms for the next one (timers frozen here)."""
    page = browser.new_page(viewport={"width": 390, "height": 900})
    page.clock.install()
    page.goto(server)
    page.clock.pause_at(page.evaluate("Date.now()") + 1000)  # from here, time moves only when told
    page.fill("#tim-nhanh", "dang cong san")
    page.wait_for_selector(".search-popup .search-result a", timeout=5000)  # the clock never moved
    page.locator("#tim-nhanh").press_sequentially(" q")  # "dang cong san q": nothing, once searched
    page.wait_for_timeout(300)
    assert page.locator(".search-popup .search-result").count() > 0  # still the results of the paste
    page.clock.run_for(100)
    page.wait_for_selector(".search-popup .search-empty", timeout=5000)
    page.close()


def test_search_page_reads_the_query_from_the_url(browser, server):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server + "tim-kiem/?q=phong%20chong%20tham%20nhung")
    page.wait_for_selector("#ket-qua .search-result")
    assert page.locator("#so-ket-qua").inner_text().endswith("kết quả")
    snippet = page.locator("#ket-qua .result-snippet").first
    # Selectors, not string predicates: the site's CSP forbids evaluating strings as script.
    page.wait_for_selector("#ket-qua .result-snippet >> nth=0 >> text=phòng, chống tham nhũng")
    # The phrase is marked as one, not word by word.
    assert "phòng, chống tham nhũng" in [text.lower() for text in snippet.locator("mark").all_inner_texts()]
    page.close()


@pytest.mark.parametrize("query", ["dang cong san", "Đảng Cộng sản", "phong chong tham nhung", "dai hoi xiv",
                                   "bau cu", "bao ve nen tang tu tuong", "ky niem", "lang son"])
def test_search_recall_matches_a_brute_force_scan(browser, server, sample_site, query):
    """Every page holding all the query's words is found: documents (title, number, kind, issuer,
    signer, body) and commemorations, topics and units (name, short name, description, date, type)."""
    import yaml

    from portal.render.search import plain_text, terms

    def holds(text: str) -> bool:
        words = set(terms(text))
        return all(word in words for word in terms(query))

    expected = 0
    for page_file in (sample_site / "van-ban").glob("*/index.html"):
        html = page_file.read_text(encoding="utf-8")
        main = html[html.index("<main"):html.index("</main>")]
        if '<div class="official-print' in main:  # print only (hidden on screen): not what a reader searches
            main = main[:main.index('<div class="official-print')] + main[main.index('<div class="doc-tools">'):]
        expected += holds(plain_text(main))
    content = Path(__file__).parent.parent / "content"
    labels = {"commemorations.yaml": "Ngày kỷ niệm âm lịch", "topics.yaml": "Chủ đề", "units.yaml": "Đơn vị"}
    for name, label in labels.items():
        for entry in yaml.safe_load((content / name).read_text(encoding="utf-8")):
            date = entry.get("date", "")
            if date:
                day, month = (int(part) for part in date.split("/"))
                date = f"{day:02d}/{month:02d} {day}/{month}"
            label = label if entry.get("calendar") == "lunar" or name != "commemorations.yaml" else "Ngày kỷ niệm"
            expected += holds(" ".join([entry["name"], entry.get("short_name") or "", entry.get("description") or "",
                                        date, label]))
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server + "tim-kiem/?q=" + query.replace(" ", "%20") + "%20")  # trailing space: whole words
    page.wait_for_selector("#so-ket-qua:not(:empty)")
    shown = page.locator("#so-ket-qua").inner_text()
    page.close()
    assert expected > 0
    assert shown == f"{expected} kết quả"


@pytest.mark.parametrize("path", ["", DOCUMENT, "van-ban/", "lich/2025/", "tim-kiem/?q=dang"])
def test_content_security_policy_holds(browser, server, path):
    """The published CSP (no inline script or style) raises no violation, with the scripts at work."""
    page = browser.new_page(viewport={"width": 390, "height": 900})
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.goto(server + path)
    assert "default-src 'self'" in page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
    page.fill("#tim-nhanh", "tuyen truyen")
    page.wait_for_selector(".search-popup .search-result")
    page.close()
    assert violations == []


def test_document_prints_on_a4_like_the_official_layout(browser, server):
    """Print media: no navigation, the header block (issuer and number left, place and date
    right) in one row, serif justified body, "Nơi nhận" beside the signer; Chromium's PDF is A4."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server + DOCUMENT)
    page.emulate_media(media="print")
    hidden = page.evaluate("""() => ['.masthead', '.breadcrumb', '.footer', '.toc', '.print-button']
        .map(s => document.querySelector(s)).filter(Boolean).map(e => getComputedStyle(e).display)""")
    assert hidden and set(hidden) == {"none"}
    # The print-only official header (tests/test_print.py reads its text from the PDF).
    left, right = (page.locator(s).bounding_box() for s in (".op-issuer", ".op-motto"))
    assert left and right and abs(left["y"] - right["y"]) < 2 and left["x"] < right["x"]  # one row, as on paper
    distribution, signature = (page.locator(s).bounding_box() for s in (".distribution", ".signature"))
    assert distribution["x"] < signature["x"]
    body = page.evaluate("getComputedStyle(document.querySelector('.doc-body')).textAlign")
    assert body == "justify"
    pdf = page.pdf(format="A4")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "document-print.pdf").write_bytes(pdf)
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    width, height = (float(n) for n in re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf).groups())
    assert abs(width - 595) < 2 and abs(height - 842) < 2  # A4 in points
    assert pdf.startswith(b"%PDF") and pages >= 5, pages
    page.close()
