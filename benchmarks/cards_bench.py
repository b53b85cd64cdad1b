"""Benchmark: the per-page share cards (`portal/render/sharing.py`), CPU time and size.

    python benchmarks/cards_bench.py [--content content] [--documents N] [--repeat 3] [--level 1 --level 3]

With `--documents N` a synthetic corpus of N documents is generated in a temporary folder
(`generate_content.py`); otherwise the content folder is read. Every card of the site (one per
document and commemoration, as the build makes them) is drawn in this one process, `--repeat`
times; prints the CPU milliseconds per card (the best repeat: the least disturbed by other load)
and the bytes per card. `--level`: zlib-ng levels of the PNG to compare (`PNG_COMPRESS_LEVEL`),
measured in turns within each repeat, so that a change of the machine's load falls on all alike.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.derived import derived_index  # noqa: E402
from portal.render import sharing  # noqa: E402

TODAY = date(2025, 1, 15)


def site_cards(content: Path, documents: int | None = None) -> list[sharing.Card]:
    """Every card of the site (`derived_index`), as the build lays them out."""
    return list(sharing.share_cards(derived_index(content, documents, TODAY)).values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--content", type=Path, default=Path("content"))
    parser.add_argument("--documents", type=int, help="generate a corpus of this many documents instead")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--level", type=int, action="append", help="zlib-ng levels to compare (default: the portal's)")
    args = parser.parse_args()
    if sharing.font_dir() is None:
        sys.exit("DejaVu Sans is missing (fonts-dejavu-core): every card would be the unlettered banner")
    cards = site_cards(args.content, args.documents)
    levels = args.level or [sharing.PNG_COMPRESS_LEVEL]
    best = dict.fromkeys(levels, float("inf"))
    sizes = dict.fromkeys(levels, 0)
    sharing.draw_card(cards[0])  # fonts loaded, background drawn: once per process, not per card
    for _ in range(args.repeat):
        for level in levels:
            sharing.PNG_COMPRESS_LEVEL = level
            started = time.process_time()
            sizes[level] = sum(len(sharing.draw_card(card)) for card in cards)
            best[level] = min(best[level], (time.process_time() - started) * 1000 / len(cards))
    print(f"cards: {len(cards)}")
    for level in levels:
        print(f"zlib-ng level {level}: {best[level]:.2f} ms CPU per card (best of {args.repeat}), "
              f"{sizes[level] / len(cards):,.0f} bytes per card (total {sizes[level]:,} bytes)")


if __name__ == "__main__":
    main()
