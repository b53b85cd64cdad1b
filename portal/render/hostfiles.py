"""The files a host and a crawler read rather than a reader: sitemaps, robots.txt, the
`_headers` of Netlify and Cloudflare Pages, and `.nojekyll` for GitHub Pages."""

from __future__ import annotations

from collections.abc import Callable

SITEMAP = "sitemap.xml"
SITEMAP_URLS = 50_000  # the sitemap protocol's limit for one file
ROBOTS = "robots.txt"
HEADERS = "_headers"
NO_JEKYLL = ".nojekyll"  # GitHub Pages: publish the folder as it is (no Jekyll, which drops _headers)


def sitemaps(paths: tuple[str, ...], render: Callable[..., str]) -> dict[str, str]:
    """sitemap.xml; past the protocol's 50,000 URLs, an index of numbered files. `render` renders
    a template with a context."""
    if len(paths) <= SITEMAP_URLS:
        return {SITEMAP: render("sitemap.xml", paths=paths)}
    parts = {f"sitemap-{n + 1}.xml": render("sitemap.xml", paths=paths[start:start + SITEMAP_URLS])
             for n, start in enumerate(range(0, len(paths), SITEMAP_URLS))}
    return {SITEMAP: render("sitemap_index.xml", files=list(parts)), **parts}


def headers_file(feed_paths: list[str], base_path: str) -> str:
    """Netlify / Cloudflare Pages: serve feeds as text/calendar (stock servers often do not)."""
    blocks = [f"{base_path}{path}\n  Content-Type: text/calendar; charset=utf-8\n" for path in feed_paths]
    return "\n".join(blocks)
