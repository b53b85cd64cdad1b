"""Long lists in numbered pages, and the document listings by kind and year with their facets."""

from __future__ import annotations

from dataclasses import dataclass

from portal.content.models import DocumentKind
from portal.render.page import HOME_CRUMB, Page
from portal.urls import DOCUMENTS, UNDATED, listing_path, numbered_page_path


@dataclass(frozen=True)
class Pagination:
    """Where one page sits in a list split into pages of `per_page` items."""

    first_page: str  # path of page 1
    number: int  # this page, from 1
    count: int  # pages in all
    total: int  # items in all

    def path(self, number: int | None = None) -> str:
        return numbered_page_path(self.first_page, self.number if number is None else number)

    def title(self, name: str) -> str:
        return name if self.number == 1 else f"{name} – trang {self.number}"

    def crumbs(self, name: str) -> tuple[tuple[str, str], ...]:
        """Page 2 and later sit under page 1 in the breadcrumb trail."""
        return () if self.number == 1 else ((name, self.first_page),)

    @property
    def shown(self) -> tuple[int | None, ...]:
        """Page numbers to link, None for a gap: the first, the last and one either side of this
        one ("1 … 5 6 7 … 200"), so the links fit one line of a phone at any length."""
        near = {1, self.count, *range(self.number - 1, self.number + 2)}
        numbers = sorted(n for n in near if 1 <= n <= self.count)
        shown: list[int | None] = []
        for n in numbers:
            if shown and n - (shown[-1] or 0) == 2:  # a gap of one page: show its number, not "…"
                shown.append(n - 1)
            elif shown and n - (shown[-1] or 0) > 2:
                shown.append(None)
            shown.append(n)
        return tuple(shown)


def paginate(first_page: str, slugs: tuple[str, ...] | list[str],
             per_page: int) -> list[tuple[tuple[str, ...], Pagination]]:
    """The pages of a list: each page's items and its place; an empty list still has page 1."""
    count = max(1, -(-len(slugs) // per_page))
    return [(tuple(slugs[(n - 1) * per_page:n * per_page]), Pagination(first_page, n, count, len(slugs)))
            for n in range(1, count + 1)]


@dataclass(frozen=True)
class Facet:
    label: str
    path: str | None  # None: no document has it together with the other facet chosen (no link)
    count: int
    current: bool


def listing_pages(per_page: int, documents: tuple[tuple[str, DocumentKind, int | None], ...]) -> list[Page]:
    """All documents newest first, and the same list for each kind, each year and each kind in
    each year: static pages for what a search form would ask a server ("Kế hoạch năm 2025").
    `documents`: (slug, kind, year) of every document, newest first."""
    by_choice: dict[tuple[DocumentKind | None, int | str | None], list[str]] = {}
    for slug, document_kind, document_year in documents:
        for kind in (None, document_kind):
            # A document that prints no year has its own facet, "Chưa ghi ngày", after the years.
            for year in (None, document_year or UNDATED):
                by_choice.setdefault((kind, year), []).append(slug)
    by_choice.setdefault((None, None), [])
    kinds = [kind for kind in DocumentKind if (kind, None) in by_choice]
    years: list[int | str] = sorted({year for _, year in by_choice if isinstance(year, int)}, reverse=True)
    if any(year == UNDATED for _, year in by_choice):
        years.append(UNDATED)

    def year_label(year: int | str) -> str:
        return "Chưa ghi ngày" if year == UNDATED else str(year)

    def facets(kind: DocumentKind | None, year: int | str | None) -> dict[str, tuple[Facet, ...]]:
        def facet(label: str, k: DocumentKind | None, y: int | str | None, current: bool) -> Facet:
            slugs = by_choice.get((k, y), ())
            path = listing_path(k.value if k else None, y) if slugs or current else None
            return Facet(label, path, len(slugs), current)
        return {
            "kinds": (facet("Tất cả", None, year, kind is None),
                      *(facet(k.label, k, year, k == kind) for k in kinds)),
            "years": (facet("Mọi năm", kind, None, year is None),
                      *(facet(year_label(y), kind, y, y == year) for y in years)),
        }

    pages = []
    for (kind, year), slugs in by_choice.items():
        name = kind.label if kind else "Văn bản"
        if year == UNDATED:
            name += " chưa ghi ngày"
        elif year:
            name += f" năm {year}"
        first = listing_path(kind.value if kind else None, year)
        crumbs = (HOME_CRUMB,) if first == DOCUMENTS else (HOME_CRUMB, ("Văn bản", DOCUMENTS))
        choice = facets(kind, year)
        for page_slugs, pagination in paginate(first, slugs, per_page):
            pages.append(Page(
                pagination.path(), "documents.html", pagination.title(name),
                breadcrumbs=(*crumbs, *pagination.crumbs(name)),
                description=f"{name}: {len(slugs)} văn bản, mới nhất trước." if (kind or year) else
                "Tất cả kế hoạch, công văn, hướng dẫn và đề cương tuyên truyền.",
                in_sitemap=pagination.number == 1,
                context={"heading": name, "slugs": page_slugs, "pagination": pagination, **choice}))
    return pages
