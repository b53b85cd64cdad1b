"""Benchmark: how many fields of real official documents `import` reads right.

    python benchmarks/import_accuracy.py --corpus ../shared/real-documents [--content content] [--details]

The corpus is a folder of documents (.txt, .docx, .pdf; a first line "# source: URL" is dropped)
and an `expected.json` that gives, for each file's stem, what a careful reader takes from it:
number, kind, title, issuer (printed name and unit id), place, issued, recipients, distribution,
implements (every document it carries out or cites as its basis), signer and commemorations;
`null` or an empty list where the text prints none. Each field of each document is scored:

- right: the importer's value is the reader's (compared after normalising spaces, dash
  characters and the tone placement; a title's letters keep their case, but its first);
- wrong: it gave another value;
- missing: it gave none;
- extra: it gave a value where the reader sees none (not in the percentage, reported apart).

A commemoration the reader left without an id (the portal's list lacked it when expected.json was
written) is expected by the id the content's list now gives its date, if it has one.

A field is applicable to a document when the reader found it there; the percentage is right
over applicable. A unit (issuer, recipient) is right when the importer names the expected unit id,
or a unit of that name, or proposes a new unit whose printed name is the expected one (the
portal's units.yaml need not hold the units of unseen documents: proposing them is the
importer's job); a placeholder unit ("…-chua-ro") of another document is not right by its name.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal.authoring.importer import Recognised, known_documents, recognise  # noqa: E402
from portal.authoring.sources import read_document  # noqa: E402
from portal.authoring.unitnames import UnitNames, normalise  # noqa: E402
from portal.content.models import Commemoration, Unit  # noqa: E402
from portal.content.validate import reference_lists  # noqa: E402
from portal.load.files import load_content  # noqa: E402

FIELDS = ("number", "kind", "title", "issuer", "place", "issued", "recipients", "distribution", "implements",
          "signer", "commemorations")
OUTCOMES = ("right", "wrong", "missing", "extra")
DOCUMENT_SUFFIXES = (".txt", ".md", ".docx", ".pdf")


@dataclass
class Score:
    counts: dict[str, dict[str, int]] = field(
        default_factory=lambda: {name: dict.fromkeys(OUTCOMES, 0) for name in FIELDS})
    details: list[tuple[str, str, str, object, object]] = field(default_factory=list)  # doc, field, outcome, want, got

    def add(self, document: str, name: str, outcome: str | None, want: object, got: object) -> None:
        if outcome is None:
            return
        self.counts[name][outcome] += 1
        self.details.append((document, name, outcome, want, got))

    def applicable(self, name: str) -> int:
        return sum(self.counts[name][outcome] for outcome in ("right", "wrong", "missing"))

    def percent(self, name: str | None = None) -> float:
        names = FIELDS if name is None else (name,)
        applicable = sum(self.applicable(n) for n in names)
        return 100.0 * sum(self.counts[n]["right"] for n in names) / applicable if applicable else 100.0

    @property
    def extras(self) -> int:
        return sum(self.counts[name]["extra"] for name in FIELDS)

    def table(self) -> str:
        lines = ["| field | right | wrong | missing | extra | right % |", "|---|---:|---:|---:|---:|---:|"]
        for name in FIELDS:
            c = self.counts[name]
            shown = f"{self.percent(name):.0f} %" if self.applicable(name) else "–"
            lines.append(f"| {name} | {c['right']} | {c['wrong']} | {c['missing']} | {c['extra']} | {shown} |")
        total = {outcome: sum(self.counts[n][outcome] for n in FIELDS) for outcome in OUTCOMES}
        lines.append(f"| **all** | {total['right']} | {total['wrong']} | {total['missing']} | {total['extra']} "
                     f"| {self.percent():.1f} % |")
        return "\n".join(lines)


# ---------------------------------------------------------------- normalising


def _text(value: object) -> str:
    """Spaces collapsed, every dash one "-", no spaces inside parentheses, no trailing full stop,
    NFC with the new-style tone placement ("Uỷ" and "Ủy" are one spelling)."""
    from portal.authoring.vietnamese import standard_tones

    text = standard_tones(unicodedata.normalize("NFC", str(value)))
    text = re.sub(r"[‐‑‒–—−]", "-", text)
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\(\s+", "(", re.sub(r"\s+\)", ")", text))
    text = re.sub(r"\s*-\s*", " - ", text)
    return text.rstrip(" .;,:")


def _number(value: object) -> str:
    return re.sub(r"\s+", "", _text(value).replace(" - ", "-"))


def _title(value: object) -> str:
    """A trích yếu's letters as printed, but its first ("V/v triển khai …" is printed small)."""
    text = _text(value)
    return text[:1].lower() + text[1:]


def _name(value: object) -> str:
    words = normalise(_text(value)).split()
    return " ".join(words[1:] if words[:1] == ["cac"] else words)


def _day(value: object) -> str:
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", str(value).strip())
    return f"{int(match.group(1)):02d}/{int(match.group(2)):02d}/{match.group(3)}" if match else str(value)


def _outcome(want: object, got: object, same: bool) -> str | None:
    if not want:
        return "extra" if got else None
    if not got:
        return "missing"
    return "right" if same else "wrong"


# ---------------------------------------------------------------- scoring one document


class _Units:
    """The names a recognised document gives its units: units.yaml's, or those it proposes."""

    def __init__(self, units: list[Unit] | tuple[Unit, ...], result: Recognised):
        # A placeholder ("…-chua-ro": a unit whose place its document did not print) is another
        # document's unit: its name alone does not make it the unit expected here.
        self.names: dict[str, set[str]] = {unit.id: {_name(n) for n in (unit.name, unit.short_name) if n}
                                           for unit in units if not UnitNames.is_placeholder(unit.id)}
        for unknown in result.unknown_units:
            self.names.setdefault(unknown.proposed_id, set()).add(_name(unknown.printed))

    def same(self, unit_id: str, wanted_ids: set[str], wanted_names: set[str]) -> bool:
        return unit_id in wanted_ids or bool(self.names.get(unit_id, set()) & wanted_names)


def _with_known_id(wanted: dict, commemorations: tuple[Commemoration, ...]) -> dict:
    """An expected commemoration the reader found no id for (`"id": null`: the portal's list lacked
    it then) that the content's list has now, by its day and year (or lunar day), is expected by
    that id: naming it is right, reporting it as unknown would be wrong. Among several of one day,
    the one whose name the printed text contains."""
    if wanted.get("id") or not wanted.get("date"):
        return wanted
    lunar = re.fullmatch(r"(\d{1,2})/(\d{1,2}) âm lịch", str(wanted["date"]).strip())
    solar = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", str(wanted["date"]).strip())
    if lunar:
        same = [c for c in commemorations if c.calendar == "lunar"
                and c.day_month == (int(lunar.group(1)), int(lunar.group(2)))]
    elif solar:
        same = [c for c in commemorations if c.calendar == "solar" and c.year == int(solar.group(3))
                and c.day_month == (int(solar.group(1)), int(solar.group(2)))]
    else:
        return wanted
    printed = f" {normalise(str(wanted.get('printed', '')))} "
    named = [c for c in same if f" {normalise(re.sub(r'^Ngày ', '', c.name))} " in printed]
    chosen = named or same
    return wanted | {"id": chosen[0].id} if len(chosen) == 1 else wanted


def score_document(stem: str, want: dict, result: Recognised, units: list[Unit] | tuple[Unit, ...],
                   score: Score, commemorations: tuple[Commemoration, ...] = ()) -> None:
    got = result.front
    known = _Units(units, result)

    score.add(stem, "number", _outcome(want.get("number"), got.get("number"),
                                       _number(want.get("number")) == _number(got.get("number"))),
              want.get("number"), got.get("number"))
    score.add(stem, "kind", _outcome(want.get("kind"), got.get("kind"), want.get("kind") == got.get("kind")),
              want.get("kind"), got.get("kind"))
    titles = [want.get("title"), *want.get("title_also_acceptable", [])]
    score.add(stem, "title", _outcome(want.get("title"), got.get("title"),
                                      _title(got.get("title")) in {_title(t) for t in titles if t}),
              want.get("title"), got.get("title"))

    issuer_names = {_name(n) for n in (want.get("issuer"), want.get("issuer_printed")) if n}
    issuer_names |= {_name(part) for part in str(want.get("issuer_printed") or "").split(" / ")[-1:] if part}
    issuer = got.get("issuer")
    score.add(stem, "issuer", _outcome(want.get("issuer") or want.get("issuer_unit"), issuer,
                                       bool(issuer) and known.same(issuer, {want.get("issuer_unit")}, issuer_names)),
              want.get("issuer_unit"), issuer)

    score.add(stem, "place", _outcome(want.get("place"), got.get("place"),
                                      _text(want.get("place")) == _text(got.get("place"))),
              want.get("place"), got.get("place"))
    score.add(stem, "issued", _outcome(want.get("issued"), got.get("issued"),
                                       _day(want.get("issued")) == _day(got.get("issued"))),
              want.get("issued"), got.get("issued"))

    wanted_recipients = list(want.get("recipients") or [])
    wanted_ids = list(want.get("recipient_units") or [])
    got_recipients = list(got.get("recipients") or [])
    matched = all(any(known.same(unit_id, {wanted_ids[i]} if i < len(wanted_ids) else set(), {_name(printed)})
                      for unit_id in got_recipients) for i, printed in enumerate(wanted_recipients))
    score.add(stem, "recipients", _outcome(wanted_recipients, got_recipients,
                                           matched and len(got_recipients) == len(wanted_recipients)),
              wanted_recipients, got_recipients)

    wanted_lines = [_text(line) for line in want.get("distribution") or []]
    got_lines = [_text(line) for line in got.get("distribution") or []]
    score.add(stem, "distribution", _outcome(wanted_lines, got_lines, wanted_lines == got_lines),
              want.get("distribution"), got.get("distribution"))

    wanted_numbers = {_number(number) for number in want.get("implements") or []}
    got_numbers = {_number(entry["number"]) for entry in (got.get("implements") or []) + (got.get("cites") or [])}
    score.add(stem, "implements", _outcome(wanted_numbers, got_numbers, wanted_numbers == got_numbers),
              sorted(wanted_numbers), sorted(got_numbers))

    wanted_signer = want.get("signer") or {}
    got_signer = got.get("signer") or {}
    same_signer = bool(got_signer) and all(_text(value).casefold() == _text(got_signer.get(key, "")).casefold()
                                           for key, value in wanted_signer.items())
    score.add(stem, "signer", _outcome(wanted_signer, got_signer, same_signer), wanted_signer, got_signer)

    wanted_commemorations = [_with_known_id(c, commemorations) for c in want.get("commemorations") or []]
    wanted_known = {c["id"] for c in wanted_commemorations if c.get("id")}
    wanted_unknown = sorted(_day(c["date"]) for c in wanted_commemorations if not c.get("id"))
    got_known = set(got.get("commemorations") or [])
    got_unknown = sorted({_day(a.shown_date) for a in result.unknown_commemorations})
    score.add(stem, "commemorations",
              _outcome(wanted_commemorations, got_known or got_unknown,
                       wanted_known == got_known and set(wanted_unknown) <= set(got_unknown)
                       and len(got_unknown) == len(set(wanted_unknown))),
              sorted(wanted_known) + wanted_unknown, sorted(got_known) + got_unknown)


# ---------------------------------------------------------------- the corpus


def corpus_files(corpus: Path) -> dict[str, Path]:
    return {path.stem: path for path in sorted(corpus.iterdir()) if path.suffix.lower() in DOCUMENT_SUFFIXES
            and path.name.lower() != "readme.md"}


def score_corpus(corpus: Path, content: Path) -> Score:
    expected = json.loads((corpus / "expected.json").read_text(encoding="utf-8"))
    raw = load_content(content)
    units, commemorations = reference_lists(raw)
    documents = known_documents(document.data for document in raw.documents)
    files = corpus_files(corpus)
    score = Score()
    for stem, want in expected.items():
        if stem not in files:
            raise SystemExit(f"{corpus}: expected.json names {stem}, which has no document")
        text, problems = read_document(files[stem])
        if text is None:
            raise SystemExit(f"{files[stem]}: {'; '.join(p.message for p in problems)}")
        text = re.sub(r"\A# source:[^\n]*\n", "", text)
        score_document(stem, want, recognise(text, units, None, tuple[Commemoration, ...](commemorations), documents),
                       units, score, commemorations)
    return score


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, required=True, help="a folder of documents and their expected.json")
    parser.add_argument("--content", type=Path, default=Path(__file__).resolve().parent.parent / "content",
                        help="the content folder whose units and commemorations the importer matches")
    parser.add_argument("--details", action="store_true", help="every field that is not right, with both values")
    args = parser.parse_args(argv)
    score = score_corpus(args.corpus, args.content)
    print(score.table())
    if args.details:
        for document, name, outcome, want, got in score.details:
            if outcome != "right":
                print(f"{document}: {name}: {outcome}: expected {want!r}, got {got!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
