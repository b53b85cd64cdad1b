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


# The policy every page is built to satisfy (no inline script or style), carried by each page's
# <meta http-equiv> (templates/base.html); as a header it also forbids framing, which a meta tag
# cannot (clickjacking). docs/serving.md gives the same headers for nginx and Apache.
PAGE_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
               "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'")
HEADER_POLICY = f"{PAGE_POLICY}; frame-ancestors 'none'"
REFERRER_POLICY = "strict-origin-when-cross-origin"  # other sites see the portal's origin, never a page's path
SECURITY_HEADERS = (("Content-Security-Policy", HEADER_POLICY), ("X-Content-Type-Options", "nosniff"),
                    ("Referrer-Policy", REFERRER_POLICY))


def headers_file(feed_paths: list[str], base_path: str) -> str:
    """Netlify / Cloudflare Pages: the security headers on every file, and feeds served as
    text/calendar (stock servers often do not)."""
    every_file = f"{base_path}*\n" + "".join(f"  {name}: {value}\n" for name, value in SECURITY_HEADERS)
    blocks = [f"{base_path}{path}\n  Content-Type: text/calendar; charset=utf-8\n" for path in feed_paths]
    return "\n".join([every_file, *blocks])
