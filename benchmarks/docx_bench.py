"""Benchmark: the per-document Word file (`portal/render/wordfile.py`), CPU time and size.

    python benchmarks/docx_bench.py [--content content] [--documents N] [--repeat 3]

With `--documents N` a synthetic corpus of N documents is generated in a temporary folder
(`generate_content.py`); otherwise the content folder is read. Every document's .docx is made
in this one process, `--repeat` times; prints the CPU milliseconds per document (the best
repeat: the least disturbed by other load), the one-off cost of the package skeleton, and the
bytes per document.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.derived import derived_index  # noqa: E402
from portal.derive.index import SiteIndex  # noqa: E402
from portal.render import wordfile  # noqa: E402

TODAY = date(2025, 1, 15)


def docx_calls(index: SiteIndex) -> list[tuple]:
    """`document_docx`'s arguments for every document of `index`, as `document_downloads` makes them."""
    calls = []
    for document in index.documents.values():
        issuer = index.units[document.meta.issuer]
        superior = index.units.get(issuer.parent) if issuer.parent else None
        recipients = tuple(index.units[unit_id].name for unit_id in document.meta.recipients)
        calls.append((document, issuer, superior, recipients))
    return calls


def measure(calls: list[tuple], repeat: int) -> tuple[float, float, int]:
    """(skeleton ms, best CPU ms per document, total bytes)."""
    started = time.process_time()
    wordfile._skeleton()
    skeleton = (time.process_time() - started) * 1000
    best, size = float("inf"), 0
    for _ in range(repeat):
        started = time.process_time()
        size = sum(len(wordfile.document_docx(*call)) for call in calls)
        best = min(best, (time.process_time() - started) * 1000 / len(calls))
    return skeleton, best, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--content", type=Path, default=Path("content"))
    parser.add_argument("--documents", type=int, help="generate a corpus of this many documents instead")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    calls = docx_calls(derived_index(args.content, args.documents, TODAY))
    skeleton, per_document, size = measure(calls, args.repeat)
    print(f"documents: {len(calls)}")
    print(f"skeleton (once per process): {skeleton:.1f} ms CPU")
    print(f"per document: {per_document:.2f} ms CPU (best of {args.repeat})")
    print(f"per document: {size / len(calls):,.0f} bytes (total {size:,} bytes)")


if __name__ == "__main__":
    main()
