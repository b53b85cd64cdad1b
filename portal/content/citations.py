"""Which document an `implements` citation names: shared by validation (cycles) and derivation
(links both ways), so both always agree."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from portal.content.models import Citation, Document, is_draft_number, normalize_number

CitingDocument = tuple[str, str, str, tuple[Citation, ...]]  # (slug, number, issuer, implements)


def citing(documents: Iterable[Document]) -> tuple[CitingDocument, ...]:
    return tuple((d.slug, d.meta.number, d.meta.issuer, d.meta.implements) for d in documents)


def resolve_citations(documents: Iterable[CitingDocument]) -> dict[str, tuple[str | None, ...]]:
    """For each document, the slug each of its `implements` entries names (None: not on the portal).

    Numbers repeat across provinces ("19-KH/TU"): when the citation names its issuer, only a
    document of that issuer matches; a document never matches itself.
    """
    documents = list(documents)
    by_number: dict[str, list[tuple[str, str]]] = defaultdict(list)  # number -> (slug, issuer)
    for slug, number, issuer, _ in documents:
        if not is_draft_number(number):
            by_number[normalize_number(number)].append((slug, issuer))
    resolved = {}
    for slug, _, _, implements in documents:
        resolved[slug] = tuple(
            next((candidate for candidate, issuer in by_number.get(normalize_number(citation.number), ())
                  if citation.issuer in (None, issuer) and candidate != slug), None)
            for citation in implements)
    return resolved


def implements_cycles(resolved: dict[str, tuple[str | None, ...]]) -> list[list[str]]:
    """Each cycle of "A implements B implements … A" once, starting at its smallest slug."""
    cycles: list[list[str]] = []
    seen: set[tuple[str, ...]] = set()
    for start in sorted(resolved):
        stack = [(start, [start])]
        while stack:
            slug, path = stack.pop()
            for target in resolved.get(slug, ()):
                if target is None:
                    continue
                if target == start:
                    key = tuple(sorted(path))
                    if key not in seen and min(path) == start:
                        seen.add(key)
                        cycles.append(path)
                elif target not in path and target > start:
                    stack.append((target, [*path, target]))
    return cycles
