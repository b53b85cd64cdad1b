"""axe-core (npm, injected in the Chromium tests only) finds no serious or critical violation."""

from __future__ import annotations

from pathlib import Path

import pytest

from test_browser import DOCUMENT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AXE = Path(__file__).parent / "js" / "node_modules" / "axe-core" / "axe.min.js"
PAGES = ["", DOCUMENT, "chu-de/dai-hoi-xiv/", "don-vi/btv-thanh-uy-vung-tau/", "lich/", "lich/2025/",
         "tim-kiem/?q=tuyen+truyen", "tim-kiem/?q=tuyen+truyn", "ngay-ky-niem/gio-to-hung-vuong/", "van-ban/",
         "404.html"]


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_or_critical_violations(browser, server, path):
    if not AXE.is_file():
        pytest.fail("axe-core is required: npm ci --prefix tests/js (see scripts/install-test-deps.sh)")
    page = browser.new_page(bypass_csp=True)  # axe is injected inline: a test tool, not the site's script
    found = {}
    for width, scheme in ((390, "light"), (390, "dark"), (1280, "light")):
        page.set_viewport_size({"width": width, "height": 900})
        page.emulate_media(color_scheme=scheme)
        page.goto(server + path)
        if path.startswith("tim-kiem"):
            page.wait_for_selector("#ket-qua .search-result")
        page.add_script_tag(path=str(AXE))
        found[(width, scheme)] = page.evaluate(AXE_RUN)
    page.close()
    assert found == {key: [] for key in found}


AXE_RUN = """async () => {
    const result = await axe.run(document, {resultTypes: ["violations"]});
    return result.violations.filter(v => v.impact === "serious" || v.impact === "critical")
        .map(v => v.id + ": " + v.help + " @ " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", "));
}"""


def test_axe_does_report_a_planted_violation(browser, server):
    """The check above can fail: a low-contrast, unlabelled control is reported."""
    page = browser.new_page(bypass_csp=True)
    page.goto(server)
    page.evaluate("""() => { const i = document.createElement('input'); document.body.prepend(i);
        const p = document.createElement('p'); p.textContent = 'mờ'; p.style.color = '#eee'; """
                  """document.body.prepend(p); }""")
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(AXE_RUN)
    page.close()
    assert any(v.startswith("label") for v in violations) and any(v.startswith("color-contrast") for v in violations)


def test_the_web_editor_page_has_no_serious_or_critical_violations(browser, admin_site):
    """Issue 19: /admin/ as an editor first sees it (the CMS's login screen, in Vietnamese), at
    both widths."""
    import functools
    import http.server
    import threading

    if not AXE.is_file():
        pytest.fail("axe-core is required: npm ci --prefix tests/js (see scripts/install-test-deps.sh)")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(admin_site))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    page = browser.new_page(bypass_csp=True)
    found = {}
    try:
        for width in (390, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/admin/")
            page.wait_for_selector("button", timeout=30000)  # the CMS has drawn its login screen
            page.screenshot(path=str(admin_site.parent / f"admin-{width}.png"))
            page.add_script_tag(path=str(AXE))
            found[width] = page.evaluate(AXE_RUN)
    finally:
        page.close()
        httpd.shutdown()
    assert found == {390: [], 1280: []}
