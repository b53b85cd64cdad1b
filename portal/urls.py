"""The site's URL scheme, in one place: every module that names a page asks here.

URLs are Vietnamese words without diacritics, folders with index.html, so links are readable when
shared in Zalo or Facebook. Paths are relative to the site's base path ("van-ban/x/").
"""

from __future__ import annotations

import ipaddress
import re

HOME = ""
DOCUMENTS = "van-ban/"
TOPICS = "chu-de/"
UNITS = "don-vi/"
COMMEMORATIONS = "ngay-ky-niem/"
CALENDAR = "lich/"
SEARCH = "tim-kiem/"
MAIN_FEED = "lich.ics"

# Folders of the document listings inside DOCUMENTS: a document's file name (its slug) must not
# take one of these, or its page and a listing would claim the same URL.
PAGE_FOLDER = "trang"  # "van-ban/trang/2/": the second page of a list
KIND_FOLDER = "loai"  # "van-ban/loai/ke-hoach/": documents of one kind
YEAR_FOLDER = "nam"  # "van-ban/nam/2025/": documents of one year
LISTING_FOLDERS = frozenset({PAGE_FOLDER, KIND_FOLDER, YEAR_FOLDER})
UNDATED = "chua-ghi-ngay"  # "van-ban/nam/chua-ghi-ngay/": documents that print no year


def document_path(slug: str) -> str:
    return f"{DOCUMENTS}{slug}/"


def file_path(slug: str, name: str) -> str:
    """An attachment or image of a document, beside its page: "van-ban/x/tep/de-cuong.pdf"."""
    return f"{DOCUMENTS}{slug}/tep/{name}"


def docx_path(slug: str) -> str:
    """The document as a Word file, generated: "van-ban/x/x.docx"."""
    return f"{DOCUMENTS}{slug}/{slug}.docx"


def topic_path(topic_id: str) -> str:
    return f"{TOPICS}{topic_id}/"


def unit_path(unit_id: str) -> str:
    return f"{UNITS}{unit_id}/"


def commemoration_path(commemoration_id: str) -> str:
    return f"{COMMEMORATIONS}{commemoration_id}/"


def year_path(year: int) -> str:
    return f"{CALENDAR}{year}/"


def feed_path(page_path: str) -> str:
    """Each subscribable page has its feed beside it: "chu-de/x/" -> "chu-de/x/lich.ics"."""
    return f"{page_path}lich.ics" if page_path else MAIN_FEED


def listing_path(kind: str | None = None, year: int | str | None = None) -> str:
    """The document listing of one kind and/or year: "van-ban/loai/ke-hoach/nam/2025/"; `year`
    UNDATED: the documents that print no year ("van-ban/nam/chua-ghi-ngay/")."""
    path = DOCUMENTS
    if kind:
        path += f"{KIND_FOLDER}/{kind}/"
    if year:
        path += f"{YEAR_FOLDER}/{year}/"
    return path


def numbered_page_path(first_page: str, number: int) -> str:
    """Page `number` (from 1) of a list whose first page is `first_page`: "chu-de/x/trang/2/"."""
    return first_page if number <= 1 else f"{first_page}{PAGE_FOLDER}/{number}/"


# Pages whose paths are fixed (no id in them): the home page, the search page, the calendar and
# the listing roots. Numbered pages, kinds and years of the listings are not checked in links.
FIXED_PAGES = frozenset({HOME, SEARCH, CALENDAR, DOCUMENTS, TOPICS, UNITS, COMMEMORATIONS})
# Folder -> the kind of id its pages are named by.
ID_FOLDERS = {DOCUMENTS: "document", TOPICS: "topic", UNITS: "unit", COMMEMORATIONS: "commemoration"}


def page_of(path: str) -> tuple[str, str] | None:
    """What a site path (under the base, without the leading "/", query or fragment) names:
    ("document", slug), ("topic", id), ("unit", id), ("commemoration", id), ("year", "2025"),
    ("page", path) for a fixed page or a listing, ("feed", path), or None when the URL scheme
    has no such page."""
    if path in FIXED_PAGES or path + "/" in FIXED_PAGES:
        return ("page", path)
    if path == MAIN_FEED or path.endswith("/lich.ics") or path.endswith("/feed.xml") or path == "feed.xml":
        return ("feed", path)
    parts = path.split("/")
    folder = parts[0] + "/"
    if folder == DOCUMENTS and len(parts) >= 3 and parts[1] in LISTING_FOLDERS:
        return ("page", path)
    if folder in ID_FOLDERS and len(parts) >= 2 and parts[1]:
        if len(parts) == 2 or (len(parts) == 3 and parts[2] == "") or (len(parts) >= 3 and parts[2] == PAGE_FOLDER):
            return (ID_FOLDERS[folder], parts[1])
        return None
    if folder == CALENDAR and len(parts) in (2, 3) and parts[1].isdigit() and (len(parts) == 2 or parts[2] == ""):
        return ("year", parts[1])
    return None


# The base URL's path is prefixed to every root-relative link, and its origin written into feeds,
# sitemaps and headers: a strict subset of RFC 3986, so that no quote, `<`, `?`, `#`, credential,
# empty segment (`//evil.example/`) or impossible port can reach them. Hand-written because
# urllib.parse and pydantic's URL types accept all of these.
_BASE_URL = re.compile(r"""
    (?P<scheme>https?)://
    (?P<host>(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?|\[[0-9a-f:.]+\])
    (?::(?P<port>[1-9][0-9]{0,4}))?
    (?P<path>(?:/(?:[a-z0-9._~-]|%[0-9a-f]{2})+)*/?)
""", re.VERBOSE | re.IGNORECASE | re.ASCII)
BASE_URL_HINT = ("ghi dạng `https://ten-mien.vn/` hoặc `https://ten-mien.vn/duong-dan/`: tên miền, cổng (nếu cần, "
                 "từ 1 đến 65535) và đường dẫn chỉ gồm chữ không dấu, số, `-`, `.`, `_`, `~`; không có dấu cách, "
                 "dấu nháy, `<>`, `?`, `#`, `//` hay tên đăng nhập")


def is_base_url(text: str) -> bool:
    """Whether `text` is a base URL the site can be published under (see `_BASE_URL`)."""
    match = _BASE_URL.fullmatch(text)
    if match is None or len(match.group("host")) > 253:
        return False
    if match.group("port") and int(match.group("port")) > 65535:
        return False
    if match.group("host").startswith("["):
        try:
            ipaddress.IPv6Address(match.group("host")[1:-1])
        except ValueError:
            return False
    return not any(segment in (".", "..") for segment in match.group("path").split("/"))
