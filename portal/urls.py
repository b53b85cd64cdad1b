"""The site's URL scheme, in one place: every module that names a page asks here.

URLs are Vietnamese words without diacritics, folders with index.html, so links are readable when
shared in Zalo or Facebook. Paths are relative to the site's base path ("van-ban/x/").
"""

from __future__ import annotations

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


def document_path(slug: str) -> str:
    return f"{DOCUMENTS}{slug}/"


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


def listing_path(kind: str | None = None, year: int | None = None) -> str:
    """The document listing of one kind and/or year: "van-ban/loai/ke-hoach/nam/2025/"."""
    path = DOCUMENTS
    if kind:
        path += f"{KIND_FOLDER}/{kind}/"
    if year:
        path += f"{YEAR_FOLDER}/{year}/"
    return path


def numbered_page_path(first_page: str, number: int) -> str:
    """Page `number` (from 1) of a list whose first page is `first_page`: "chu-de/x/trang/2/"."""
    return first_page if number <= 1 else f"{first_page}{PAGE_FOLDER}/{number}/"
