"""Every internal link and asset of the built sample site resolves inside site/; nothing external loads."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from htmltext import scan

BASE = "https://tuyengiao.example.vn"  # content/site.yaml base_url: absolute links to it are internal
CALENDAR_SERVICES = {"calendar.google.com", "outlook.live.com", "outlook.office.com"}  # subscribe buttons


def _target(site, path: str):
    local = site / unquote(path).lstrip("/")
    return local / "index.html" if path.endswith("/") or local.is_dir() else local


def test_internal_links_and_anchors_resolve(sample_site):
    pages = sorted(sample_site.rglob("*.html"))
    assert len(pages) > 50
    scans = {page: scan(page) for page in pages}
    broken = []
    for page, parsed in scans.items():
        for tag, attribute, url in parsed.links:
            if url.startswith("webcal://"):
                url = "https://" + url[len("webcal://"):]
                assert url.endswith(".ics"), f"{page}: webcal link to {url}"
            if url.startswith(BASE + "/"):
                url = url[len(BASE):]
            parts = urlsplit(url)
            if parts.scheme in ("http", "https"):
                assert tag == "a" and attribute == "href", f"{page}: external resource {url}"
                continue
            assert not parts.scheme, f"{page}: unexpected scheme in {url}"
            target = page if not parts.path else _target(sample_site, parts.path)
            if not target.is_file():
                broken.append(f"{page.relative_to(sample_site)} -> {url}")
                continue
            if parts.fragment and target.suffix == ".html":
                ids = scans[target].ids if target in scans else scan(target).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{page.relative_to(sample_site)} -> {url} (no such anchor)")
    assert broken == []


def test_only_commemoration_sources_and_calendar_services_link_out(sample_site):
    for page in sample_site.rglob("*.html"):
        external = [url for _, _, url in scan(page).links if url.startswith("http") and not url.startswith(BASE)
                    and urlsplit(url).hostname not in CALENDAR_SERVICES]
        if "ngay-ky-niem/" not in page.as_posix() or page.parent.name == "ngay-ky-niem":
            assert external == [], page
