"""Relevance benchmark: does the search put the right page first?

    python benchmarks/relevance.py [--distractors 200] [--json] [--show]

Builds the sample content (`content/`) together with a generated corpus of distractor documents
(`benchmarks/generate_content.py`: the same vocabulary of Party propaganda, so common words and
scattered syllables are everywhere), then runs every query of the judged set
(`benchmarks/relevance_judgments.yaml`) through the site's own search engine,
`templates/static/search.js`, in Node (`benchmarks/relevance.js`): the ranking readers get, not a
re-implementation that could drift. Reports MRR (reciprocal rank of the first result judged a
right first answer, 0 past the tenth), success@1 and success@5, per category and overall, and the
bytes each query read from the index. `tests/test_relevance.py` holds the floors.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.generate_content import generate  # noqa: E402
from portal.build.builder import BuildOptions  # noqa: E402
from portal.pipeline import build  # noqa: E402

JUDGMENTS = Path(__file__).with_name("relevance_judgments.yaml")
RUNNER = Path(__file__).with_name("relevance.js")
DEPTH = 10  # results read per query


@dataclass(frozen=True)
class Judgment:
    query: str
    category: str
    first: tuple[str, ...]  # any of these is a right first result
    top5: tuple[str, ...]  # further results welcome in the top five (documentation of the judgment)
    suggestion: str | None  # the "Có phải bạn muốn tìm …" expected, for typos


def load_judgments(path: Path = JUDGMENTS) -> list[Judgment]:
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Judgment(entry["query"], entry["category"], tuple(_as_list(entry["first"])),
                     tuple(_as_list(entry.get("top5", []))), entry.get("suggestion")) for entry in entries]


def _as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def corpus(target: Path, distractors: int) -> Path:
    """The sample content plus `distractors` generated documents (with their units and topics)."""
    content = target / "content"
    generate(distractors, content)
    for document in (ROOT / "content" / "documents").iterdir():  # with the attachments' folders
        if document.is_dir():
            shutil.copytree(document, content / "documents" / document.name)
        elif document.suffix == ".md":
            shutil.copy(document, content / "documents" / document.name)
    with open(content / "units.yaml", "a", encoding="utf-8") as units:
        units.write("\n" + (ROOT / "content" / "units.yaml").read_text(encoding="utf-8"))
    return content


def build_site(target: Path, distractors: int) -> Path:
    out = target / "site"
    result = build(BuildOptions(content=corpus(target, distractors), out=out, today=date(2025, 1, 15)))
    if not result.ok:
        raise SystemExit("\n".join(str(d) for d in result.diagnostics))
    return out


def run_queries(site: Path, queries: list[str], limit: int = DEPTH) -> list[dict]:
    """Each query's results (URLs best first), count, suggestion and bytes read, from search.js in Node."""
    request = json.dumps({"site": str(site), "queries": queries, "limit": limit})
    answer = subprocess.run(["node", str(RUNNER)], input=request, capture_output=True, text=True)
    if answer.returncode:
        raise RuntimeError(f"{RUNNER.name} failed:\n{answer.stderr}")
    return json.loads(answer.stdout)


@dataclass(frozen=True)
class Scores:
    queries: int
    mrr: float
    success_at_1: float
    success_at_5: float
    suggestions: float = 0.0  # share of the judged typos whose suggestion is the judged one
    kib_per_query: float = 0.0  # index files read, snippets included (mean)


def score(judgments: list[Judgment], answers: list[dict]) -> tuple[Scores, dict[str, Scores], list[tuple]]:
    ranks = []
    for judgment, answer in zip(judgments, answers, strict=True):
        urls = [url.lstrip("/") for url in answer["urls"]]
        rank = next((n for n, url in enumerate(urls, 1) if url in judgment.first), None)
        ranks.append((judgment, rank, urls, answer))
    by_category: dict[str, list[int | None]] = defaultdict(list)
    for judgment, rank, _, _ in ranks:
        by_category[judgment.category].append(rank)
    typos = [(j, a) for j, _, _, a in ranks if j.suggestion]
    overall = _scores([rank for _, rank, _, _ in ranks])
    overall = Scores(overall.queries, overall.mrr, overall.success_at_1, overall.success_at_5,
                     sum(a["suggestion"] == j.suggestion for j, a in typos) / max(1, len(typos)),
                     sum(a["bytes"] for a in answers) / len(answers) / 1024)
    return overall, {category: _scores(values) for category, values in sorted(by_category.items())}, ranks


def _scores(ranks: list[int | None]) -> Scores:
    n = len(ranks)
    return Scores(n, sum(1 / r for r in ranks if r) / n, sum(r == 1 for r in ranks) / n,
                  sum(bool(r and r <= 5) for r in ranks) / n)


def measure(distractors: int = 200, site: Path | None = None) -> tuple[Scores, dict[str, Scores], list[tuple]]:
    """The scores over a new build (or over `site`, already built with `build_site`)."""
    judgments = load_judgments()
    if site is not None:
        return score(judgments, run_queries(site, [j.query for j in judgments]))
    with tempfile.TemporaryDirectory() as folder:
        answers = run_queries(build_site(Path(folder), distractors), [j.query for j in judgments])
    return score(judgments, answers)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--distractors", type=int, default=200)
    parser.add_argument("--show", action="store_true", help="every query's rank and top results")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--site", type=Path, help="a site already built by build_site (to iterate on search.js)")
    args = parser.parse_args()
    overall, categories, ranks = measure(args.distractors, args.site)
    if args.json:
        print(json.dumps({"overall": overall.__dict__, "categories": {k: v.__dict__ for k, v in categories.items()}}))
        return
    if args.show:
        for judgment, rank, urls, answer in ranks:
            suggests = f", suggests {answer['suggestion']}" if answer["suggestion"] else ""
            print(f"{'ok ' if rank == 1 else (rank or '-'):>3} {judgment.query!r} ({answer['count']} results, "
                  f"{answer['bytes'] / 1024:.1f} KiB{suggests}): " + ", ".join(urls[:5]))
    print("| category | queries | MRR | success@1 | success@5 |\n|---|---|---|---|---|")
    for name, scores in [*categories.items(), ("**all**", overall)]:
        print(f"| {name} | {scores.queries} | {scores.mrr:.3f} | {scores.success_at_1:.3f} "
              f"| {scores.success_at_5:.3f} |")
    print(f"\nTypo suggestions as judged: {overall.suggestions:.3f}; index read per query: "
          f"{overall.kib_per_query:.1f} KiB (mean, snippets of the first ten results included)")


if __name__ == "__main__":
    main()
