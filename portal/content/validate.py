"""Stage 2: validate raw content into typed models and check the relations between files.

Returns the `Site` (or None when there are errors) and every diagnostic found: one bad item never
hides the others, so editors fix everything in one pass.
"""

from __future__ import annotations

import difflib
import functools
import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from portal.content.citations import implements_cycles, resolve_citations
from portal.content.files import check_files, is_local_image, referenced_paths
from portal.content.markdown import MAX_NESTING, too_deep
from portal.content.mistakes import body_links, body_mistakes, data_mistakes, number_shape, title_mistakes
from portal.content.models import (
    ID_HINT,
    ID_PATTERN,
    Commemoration,
    Document,
    DocumentMeta,
    PublishedFile,
    Site,
    SiteConfig,
    Topic,
    Unit,
    document_name_problem,
    is_draft_number,
    normalize_number,
)
from portal.content.placeholders import PLACEHOLDERS
from portal.content.slugs import slugify
from portal.diagnostics import CODES, Diagnostic, has_errors, report
from portal.load.chars import FORBIDDEN, describe
from portal.load.files import RawContent, RawFile
from portal.load.history import added_at
from portal.load.yamlsource import FieldPath, format_field_path
from portal.steps import PLAIN, Steps
from portal.urls import page_of

M = TypeVar("M", bound=BaseModel)

def closest(value: str, choices: Iterable[str]) -> str | None:
    matches = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return matches[0] if matches else None


def closest_id(value: str, names: dict[str, tuple[str, ...]]) -> str | None:
    """The id `value` most likely meant, matched against each id and its item's names without
    diacritics: `UBND-Vung-Tau` finds the unit named "UBND thành phố Vũng Tàu", and `mttq-luc-ngan`
    after a rename finds the id that holds all its words, not one that shares most letters."""
    wanted = slugify(value)
    words = set(wanted.split("-")) - {""}
    best: tuple[float, float, str] | None = None
    for item_id, item_names in names.items():
        spelled = difflib.SequenceMatcher(None, wanted, item_id).ratio()
        score = spelled
        candidate_words = set(item_id.split("-"))
        for name in item_names:
            slug = slugify(name)
            candidate_words |= set(slug.split("-"))
            score = max(score, difflib.SequenceMatcher(None, wanted, slug).ratio())
        if len(words) >= 2:  # every word of the value among the item's: a strong sign
            score = max(score, 0.95 * len(words & candidate_words) / len(words))
        if best is None or (score, spelled) > best[:2]:
            best = (score, spelled, item_id)
    return best[2] if best is not None and best[0] >= 0.6 else None


def _did_you_mean(value: str, choices: Iterable[str], fallback: str) -> str:
    match = closest(value, choices)
    return f"có phải ý bạn là `{match}`?" if match else fallback


def _model_fields(model: type[BaseModel], loc: Sequence[Any]) -> list[str]:
    """The field names allowed at `loc` (to suggest the right key for a typo)."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        field = getattr(current, "model_fields", {}).get(part)
        if field is None:
            return []
        annotation = field.annotation
        for candidate in getattr(annotation, "__args__", ()) or (annotation,):
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                current = candidate
                break
            for inner in getattr(candidate, "__args__", ()):
                if isinstance(inner, type) and issubclass(inner, BaseModel):
                    current = inner
                    break
    return list(getattr(current, "model_fields", {}))


# Pydantic's own error types that the registry explains as they are (the rest: `invalid-value`).
_PYDANTIC_CODES = frozenset(code for code in CODES if code.replace("-", "_") in {
    "string_type", "int_type", "int_parsing", "int_from_float", "tuple_type", "list_type", "model_type",
    "model_attributes_type", "dict_type", "too_short", "bool_type"})


# Fields editors write expecting a meaning the portal does not have: the hint says what it does instead.
_EXPLAINED_FIELDS: dict[tuple[type[BaseModel], str], str] = {
    (Commemoration, "leap"): "bỏ `leap`: ngày kỷ niệm âm lịch luôn tính trong tháng thường, không bao giờ trong "
                             "tháng nhuận (năm có tháng nhuận, kỷ niệm vẫn vào tháng thường)",
}


def _diagnostic_for(error: ErrorDetails, model: type[BaseModel], raw: RawFile,
                    base: FieldPath) -> Diagnostic:
    kind = error["type"]
    code = kind.replace("_", "-")
    ctx = dict(error.get("ctx") or {})
    loc: tuple[Any, ...] = tuple(error["loc"])
    if ctx.get("field"):
        loc = (*loc, ctx.pop("field"))
    where = (*base, *loc)
    field = format_field_path(where)
    name = str(loc[-1]) if loc else ""
    hint = ctx.pop("hint", None)
    value = error.get("input")
    if kind == "missing":
        line, col = raw.source_map.locate(where[:-1])
        return report("missing", raw.path, line, col, field=field, name=name)
    if value is None and kind not in ("extra_forbidden",):  # `issuer:` with nothing after the colon
        line, col = raw.source_map.locate(where)
        return report("empty-value", raw.path, line, col, field=field, name=name)
    if kind == "extra_forbidden":
        line, col = raw.source_map.locate(where, prefer_key=True)
        allowed = _model_fields(model, loc)
        return report("extra-forbidden", raw.path, line, col, field=field, name=name,
                      hint=_EXPLAINED_FIELDS.get((model, name)) or
                      _did_you_mean(name, allowed, "các trường được phép: " + ", ".join(allowed)))
    line, col = raw.source_map.locate(where)
    if kind in ("enum", "literal_error"):
        expected = str(ctx.get("expected", "")).replace("'", "")
        options = [part.strip() for part in expected.replace(" or ", ", ").split(",") if part.strip()]
        return report(code, raw.path, line, col, field=field, value=value,
                      hint=_did_you_mean(str(value), options, "chọn một trong: " + ", ".join(options)))
    if kind in ("greater_than_equal", "less_than_equal"):
        return report(code, raw.path, line, col, field=field, value=value, bound=ctx.get("ge", ctx.get("le")))
    if code in _PYDANTIC_CODES:
        return report(code, raw.path, line, col, field=field, hint=hint)
    if code in CODES and kind != "invalid_value":  # raised by the models from the registry (`models._problem`)
        return report(code, raw.path, line, col, field=field, hint=hint, **ctx)
    return report("invalid-value", raw.path, line, col, field=field, value=value)


def to_model(model: type[M], data: Any, raw: RawFile, base: FieldPath = ()) -> tuple[M | None, list[Diagnostic]]:
    try:
        return model.model_validate(data), []
    except ValidationError as error:
        problems = [item for item in error.errors() if (*base, *item["loc"]) not in raw.bad_paths]
        return None, _merge_typos([_diagnostic_for(item, model, raw, base) for item in problems])


def _merge_typos(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """`titel:` gives "unknown key titel" and "missing title": one mistake, so one line."""
    suggested = {(d.field.rpartition(".")[0], d.hint) for d in diagnostics if d.code == "extra-forbidden"}
    return [d for d in diagnostics
            if not (d.code == "missing"
                    and (d.field.rpartition(".")[0], f"có phải ý bạn là `{d.field.rpartition('.')[2]}`?") in suggested)]


def _list_of(model: type[M], raw: RawFile | None, label: str) -> tuple[list[tuple[int, M]], list[Diagnostic]]:
    """Validate a YAML list file item by item; returns (index, model) pairs that are valid."""
    if raw is None:
        return [], []
    if raw.data is None:
        return [], []
    if not isinstance(raw.data, list):
        return [], [report("not-a-list", raw.path, 1, 1, label=label)]
    items: list[tuple[int, M]] = []
    diagnostics: list[Diagnostic] = []
    for index, data in enumerate(raw.data):
        item, problems = to_model(model, data, raw, (index,))
        diagnostics.extend(problems)
        if item is not None:
            items.append((index, item))
    return items, diagnostics


def _check_unique_ids(items: list[tuple[int, Any]], raw: RawFile) -> list[Diagnostic]:
    first_seen: dict[str, int] = {}
    diagnostics = []
    for index, item in items:
        if item.id in first_seen:
            first_line = raw.source_map.locate((first_seen[item.id], "id"))[0]
            line, col = raw.source_map.locate((index, "id"))
            diagnostics.append(report("duplicate-id", raw.path, line, col, field=f"[{index}].id", value=item.id,
                                      first_line=first_line))
        else:
            first_seen[item.id] = index
    return diagnostics


@dataclass(frozen=True)
class _References:
    """Checks that ids point at something that exists, suggesting the closest match. Each list is
    None when its file could not be read: its ids are unknown then, and not checked (one YAML
    error in units.yaml must not turn into an "unknown unit" error on every document)."""

    units: tuple[tuple[str, tuple[str, ...]], ...] | None  # (id, its names) of every item
    topics: tuple[tuple[str, tuple[str, ...]], ...] | None
    commemorations: tuple[tuple[str, tuple[str, ...]], ...] | None

    @functools.cached_property
    def known(self) -> dict[str, dict[str, tuple[str, ...]] | None]:
        return {kind: dict(items) if items is not None else None
                for kind, items in (("unit", self.units), ("topic", self.topics),
                                    ("commemoration", self.commemorations))}

    def check(self, kind: str, value: str | None, raw: RawFile, where: FieldPath) -> list[Diagnostic]:
        known = self.known[kind]
        if value is None or known is None or value in known:
            return []
        line, col = raw.source_map.locate(where)
        code = f"unknown-{kind}"
        match = closest_id(value, known)
        return [report(code, raw.path, line, col, field=format_field_path(where), value=value,
                       hint=f"có phải ý bạn là `{match}`?" if match else None)]

    def unit_name(self, unit_id: str | None) -> str | None:
        names = self.known["unit"]
        return names[unit_id][0] if names and unit_id in names and names[unit_id] else None

    def check_all(self, kind: str, values: Sequence[str], raw: RawFile, where: FieldPath) -> list[Diagnostic]:
        return [d for index, value in enumerate(values) for d in self.check(kind, value, raw, (*where, index))]


def _check_parent_cycles(units: list[tuple[int, Unit]], raw: RawFile) -> list[Diagnostic]:
    parents = {unit.id: unit.parent for _, unit in units}
    diagnostics = []
    for index, unit in units:
        seen = {unit.id}
        current = unit.parent
        while current is not None and current in parents:
            if current in seen:
                line, col = raw.source_map.locate((index, "parent"))
                diagnostics.append(report("parent-cycle", raw.path, line, col, field=f"[{index}].parent",
                                          value=unit.id))
                break
            seen.add(current)
            current = parents[current]
    return diagnostics


# Lines `new` writes into a skeleton; left in a published document, they are placeholders.


@dataclass(frozen=True)
class _Facts:
    """What other files' checks need from one document's raw data, read once per file version."""

    references: tuple[tuple[str, FieldPath, str], ...]  # (kind, where, id)
    self_citations: tuple[FieldPath, ...]  # implements entries that name this very document
    number: str | None
    issuer: str | None
    links: tuple[tuple[int, int, str, str], ...] = ()  # (line, col, "link" or "image", target) in the body

    # Derived once per file version, because every rebuild asks them of every document.
    @functools.cached_property
    def number_key(self) -> str | None:
        """The number as duplicates are found: the same number of the same issuer (numbers repeat
        across issuers); None for a draft without a number."""
        if self.number is None or is_draft_number(self.number):
            return None
        return f"{normalize_number(self.number)}|{self.issuer}"

    @functools.cached_property
    def used(self) -> dict[str, frozenset[str]]:
        """The ids of each kind ("unit", "topic", …) that the document refers to."""
        used: dict[str, set[str]] = {}
        for kind, _, value in self.references:
            used.setdefault(kind, set()).add(value)
        return {kind: frozenset(values) for kind, values in used.items()}


REFERENCE_FIELDS = (
    ("unit", ("issuer",)), ("unit", ("recipients", "*")), ("topic", ("topics", "*")),
    ("commemoration", ("commemorations", "*")), ("unit", ("duties", "*", "unit")),
    ("unit", ("implements", "*", "issuer")),
)


def _facts(data: Any, raw: RawFile, links: tuple[tuple[int, int, str, str], ...]) -> _Facts:
    references = tuple((kind, where, value) for kind, path in REFERENCE_FIELDS
                       for where, value in _raw_strings(data, *path))
    own = next((value for _, value in _raw_strings(data, "number", numbers=True)), None)
    own_issuer = next((value for _, value in _raw_strings(data, "issuer")), None)
    self_citations = []
    for where, value in _raw_strings(data, "implements", "*", "number", numbers=True):
        # The same number from another issuer is another document ("19-KH/TU" exists in many provinces).
        cited_issuer = next((v for _, v in _raw_strings(data, "implements", where[1], "issuer")), None)
        if cited_issuer not in (None, own_issuer):
            continue
        if own is not None and not is_draft_number(own) and normalize_number(value) == normalize_number(own):
            self_citations.append(where)
    return _Facts(references, tuple(self_citations), own, own_issuer, links)


def _document_alone(raw: RawFile, links: tuple[tuple[int, int, str, str], ...]) -> tuple[DocumentMeta | None,
                                                                                          tuple[Diagnostic, ...]]:
    """Everything about one document that does not depend on other files."""
    diagnostics: list[Diagnostic] = []
    if not ID_PATTERN.fullmatch(raw.slug):
        diagnostics.append(report("bad-slug", raw.path, name=raw.slug, fixed=slugify(raw.slug) or "van-ban",
                                  rule=ID_HINT))
    elif (unusable := document_name_problem(raw.slug)) is not None:  # too long, reserved by Windows or a listing
        code, message, hint = unusable
        diagnostics.append(report(code, raw.path, detail=f"tên tệp {message}", hint=hint))
    if not isinstance(raw.data, dict):
        if raw.data is not None or not diagnostics:
            diagnostics.append(report("empty-front-matter", raw.path, 2, 1))
        return None, tuple(diagnostics)
    diagnostics += data_mistakes(raw)
    diagnostics += title_mistakes(raw)
    meta, problems = to_model(DocumentMeta, raw.data, raw)
    diagnostics.extend(problems)
    if meta is None:
        return None, tuple(diagnostics)
    diagnostics += _check_body(raw, links)
    diagnostics += body_mistakes(raw)
    for number, body_line in enumerate(raw.body.split("\n")):
        if body_line.strip() in PLACEHOLDERS:
            diagnostics.append(report("placeholder", raw.path, raw.body_line + number, 1, line=body_line.strip()))
    first_with_key: dict[str, int] = {}
    for position, phase in enumerate(meta.phases):
        if phase.key in first_with_key:
            line, col = raw.source_map.locate(("phases", position))
            first_line = raw.source_map.locate(("phases", first_with_key[phase.key]))[0]
            diagnostics.append(report("duplicate-phase", raw.path, line, col, field=f"phases[{position}]",
                                      key=phase.key, first_line=first_line))
        first_with_key.setdefault(phase.key, position)
        if phase.end is None:
            line, col = raw.source_map.locate(("phases", position))
            diagnostics.append(report("phase-open", raw.path, line, col, field=f"phases[{position}]", name=phase.name))
    if not meta.topics:
        line, col = raw.source_map.locate(())
        diagnostics.append(report("no-topics", raw.path, line, col))
    if has_errors(diagnostics):
        return None, tuple(diagnostics)
    return meta, tuple(diagnostics)


def _document(raw: RawFile, meta: DocumentMeta, files: tuple[PublishedFile, ...]) -> Document:
    return Document(slug=raw.slug, source=raw.path, body_line=raw.body_line, meta=meta, body=raw.body, files=files)


def _check_document(raw: RawFile) -> tuple[DocumentMeta | None, tuple[Diagnostic, ...], _Facts]:
    """One document alone: its front matter's model and own problems, and the facts other files'
    checks need. Runs on every core: what it returns crosses a process boundary, so the body
    (the bulk of a document) stays out of it and `Document` is put together by the caller."""
    links = body_links(raw)
    meta, alone = _document_alone(raw, links)
    return meta, alone, _facts(raw.data, raw, links)


def _raw_strings(data: Any, *path: str | int, numbers: bool = False) -> list[tuple[FieldPath, str]]:
    """String values at `path` in raw YAML data, where `"*"` walks every item of a list
    (with `numbers`, integers too: `number: 443` is the number "443"; an id never is).

    Reference checks read the raw data, not the models, so that a document with a typo in one
    field still gets its unknown ids reported in the same run.
    """
    found: list[tuple[FieldPath, Any]] = [((), data)]
    for step in path:
        next_found = []
        for where, value in found:
            if step == "*":
                if isinstance(value, list):
                    next_found += [((*where, index), item) for index, item in enumerate(value)]
            elif isinstance(step, int):
                if isinstance(value, list) and 0 <= step < len(value):
                    next_found.append(((*where, step), value[step]))
            elif isinstance(value, dict) and step in value:
                next_found.append(((*where, step), value[step]))
        found = next_found
    return [(where, str(value)) for where, value in found
            if isinstance(value, str) or (numbers and isinstance(value, int) and not isinstance(value, bool))]


def _check_document_references(facts: _Facts, raw: RawFile, refs: _References) -> list[Diagnostic]:
    diagnostics = []
    for kind, where, value in facts.references:
        diagnostics += refs.check(kind, value, raw, where)
    for where in facts.self_citations:
        line, col = raw.source_map.locate(where)
        diagnostics.append(report("implements-self", raw.path, line, col, field=format_field_path(where)))
    if facts.number is not None:
        diagnostics += number_shape(raw, facts.number, refs.unit_name(facts.issuer))
    return diagnostics


def _check_body(raw: RawFile, links: tuple[tuple[int, int, str, str], ...]) -> list[Diagnostic]:
    """Images must come from the site itself: a remote image is a third-party request from
    every reader's phone (and a tracker, if its host wants). A character reference (`&#x202E;`)
    must not smuggle in a character the loader refuses when typed as it is (chars.py)."""
    diagnostics = _forbidden_references(raw)
    if (deep := too_deep(raw.body)) is not None:
        diagnostics.append(report("markdown-too-deep", raw.path, raw.body_line + deep[0], deep[1], depth=MAX_NESTING))
    for line, col, kind, target in links:
        if kind == "image" and (":" in target.split("/", 1)[0] or target.startswith("//")):
            diagnostics.append(report("remote-image", raw.path, line, col, src=target))
        elif kind == "image":
            if not is_local_image(target):  # a file beside the document is `check_files`' to check
                diagnostics.append(report("missing-image", raw.path, line, col, src=target))
        elif not target.startswith(("/", "#")) and not _SCHEME.match(target):
            diagnostics.append(report("relative-link", raw.path, line, col, target=target))
    return diagnostics


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


_REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _forbidden_references(raw: RawFile) -> list[Diagnostic]:
    if "&" not in raw.body:
        return []
    diagnostics = []
    for line_number, line in enumerate(raw.body.split("\n"), raw.body_line):
        for match in _REFERENCE.finditer(line):
            character = html.unescape(match.group())
            if character != match.group() and FORBIDDEN.search(character):
                code, message, hint = describe(character[0])
                diagnostics.append(report(code, raw.path, line_number, match.start() + 1,
                                          detail=f"{message}, viết dưới dạng `{match.group()}`", hint=hint))
    return diagnostics


def _check_duplicate_numbers(raws: list[tuple[RawFile, _Facts]]) -> list[Diagnostic]:
    """The same number of the same issuer twice: reported on the newer file (by git history, then
    by name), the copy a change adds, pointing at the one that was there first."""
    groups: dict[str, list[tuple[RawFile, _Facts]]] = {}
    for raw, facts in raws:
        if facts.number_key is not None:
            groups.setdefault(facts.number_key, []).append((raw, facts))
    diagnostics = []
    for group in groups.values():
        if len(group) < 2:
            continue
        group.sort(key=lambda item: (added_at(item[0].path), item[0].path))
        first = group[0][0]
        first_line = first.source_map.locate(("number",))[0]
        for raw, facts in group[1:]:
            line, col = raw.source_map.locate(("number",))
            diagnostics.append(report("duplicate-number", raw.path, line, col, field="number", number=facts.number,
                                      other=f"{first.path}:{first_line}"))
    return diagnostics


def _check_links(facts: list[tuple[RawFile, _Facts]], refs: _References) -> list[Diagnostic]:
    """Every link to a page of the site ("/van-ban/x/", "/chu-de/y/", …) resolved against the URL
    scheme and the content: a page that does not exist is a broken link, with the closest match."""
    known: dict[str, set[str]] = {"document": {raw.slug for raw, _ in facts}}
    for kind in ("unit", "topic", "commemoration"):
        ids = refs.known[kind]
        if ids is not None:
            known[kind] = set(ids)
    diagnostics = []
    for raw, fact in facts:
        for line, col, kind, target in fact.links:
            if kind != "link" or not target.startswith("/") or target.startswith("//"):
                continue
            path = re.split(r"[?#]", target, maxsplit=1)[0][1:]
            page = page_of(path)
            if page is not None and (page[0] not in known or page[1] in known[page[0]]):
                continue
            hint = None
            if page is not None:
                match = closest(page[1], known[page[0]])
                if match is not None:
                    hint = f"có phải ý bạn là `/{path.replace(page[1], match, 1)}`?"
            diagnostics.append(report("broken-link", raw.path, line, col, target=target, hint=hint))
    return diagnostics


Citations = tuple[tuple[str, str, str, tuple], ...]  # (slug, number, issuer, implements) of every document


def _find_cycles(citations: Citations) -> list[tuple[str, int, str]]:
    """Each implements cycle as (its first document, the position of the citation that starts
    it, the chain shown to the editor): from the citations alone, so it is kept while no
    number, issuer or citation changes; the line is looked up afresh (an edit above moves it)."""
    resolved = resolve_citations(citations)
    found = []
    for cycle in implements_cycles(resolved):
        first, second = cycle[0], cycle[1 % len(cycle)]
        found.append((first, resolved[first].index(second), " → ".join([*cycle, cycle[0]])))
    return found


def _cycle_diagnostics(cycles: list[tuple[str, int, str]], raws: dict[str, RawFile]) -> list[Diagnostic]:
    diagnostics = []
    for first, position, chain in cycles:
        raw = raws[first]
        line, col = raw.source_map.locate(("implements", position))
        diagnostics.append(report("implements-cycle", raw.path, line, col, field=f"implements[{position}]",
                                  chain=chain))
    return diagnostics


def _raw_ids(raw: RawFile | None) -> tuple[tuple[str, tuple[str, ...]], ...] | None:
    """Ids declared in a list file, valid or not (an item with one bad field still exists), each
    with its names (for "did you mean"). None when the file could not be read at all."""
    if raw is None or raw.failed:
        return None
    if not isinstance(raw.data, list):
        return ()
    return tuple((item["id"], tuple(name for key in ("name", "short_name")
                                    if isinstance(name := item.get(key), str)))
                 for item in raw.data if isinstance(item, dict) and isinstance(item.get("id"), str))


def _unused(items: list[tuple[int, Any]], used: set[str], raw: RawFile, code: str) -> list[Diagnostic]:
    diagnostics = []
    reported: set[str] = set()
    for index, item in items:
        if item.id not in used and item.id not in reported:
            reported.add(item.id)
            line, col = raw.source_map.locate((index, "id"))
            diagnostics.append(report(code, raw.path, line, col, field=f"[{index}].id", value=item.id))
    return diagnostics


def reference_lists(raw: RawContent) -> tuple[tuple[Unit, ...], tuple[Commemoration, ...]]:
    """The valid units and commemorations of the data files, whatever errors other files have:
    what `import` matches a document's names against (a site with any error has no `Site`)."""
    units, _ = _list_of(Unit, raw.data_files.get("units.yaml"), "đơn vị")
    commemorations, _ = _list_of(Commemoration, raw.data_files.get("commemorations.yaml"), "ngày kỷ niệm")
    return tuple(unit for _, unit in units), tuple(item for _, item in commemorations)


def valid_topics(raw: RawContent) -> tuple[Topic, ...]:
    """The valid topics of topics.yaml, whatever errors other files have."""
    topics, _ = _list_of(Topic, raw.data_files.get("topics.yaml"), "chủ đề")
    return tuple(topic for _, topic in topics)


def validate_content(raw: RawContent, steps: Steps = PLAIN) -> tuple[Site | None, list[Diagnostic]]:
    """The site, or None when there is any error, and every problem found. Per document: its
    own checks, then its references against the lists of ids (each a step, so a builder that
    keeps results checks again only what changed); then the checks across documents."""
    diagnostics = list(raw.diagnostics)
    files = raw.data_files

    config = None
    if "site.yaml" in files:
        site_raw = files["site.yaml"]
        if not isinstance(site_raw.data, dict):
            diagnostics.append(report("not-a-mapping", site_raw.path, 1, 1))
        else:
            config, problems = steps.once("site-config", to_model, SiteConfig, site_raw.data, site_raw)
            diagnostics += problems

    for data_file in files.values():
        diagnostics += data_mistakes(data_file)
    # Steps, so that a builder that keeps results hands back the very same Unit objects while
    # units.yaml is unchanged: the steps given a document's units then see them unchanged at a
    # glance instead of comparing every field (a Word file, a share card, per document).
    units, problems = steps.once("unit-list", _list_of, Unit, files.get("units.yaml"), "đơn vị")
    diagnostics += problems
    topics, problems = steps.once("topic-list", _list_of, Topic, files.get("topics.yaml"), "chủ đề")
    diagnostics += problems
    commemorations, problems = steps.once("commemoration-list", _list_of, Commemoration,
                                          files.get("commemorations.yaml"), "ngày kỷ niệm")
    diagnostics += problems

    refs = steps.once("known-ids", _References, _raw_ids(files.get("units.yaml")),
                      _raw_ids(files.get("topics.yaml")), _raw_ids(files.get("commemorations.yaml")))
    if "units.yaml" in files:
        units_raw = files["units.yaml"]
        diagnostics += _check_unique_ids(units, units_raw)
        diagnostics += _check_parent_cycles(units, units_raw)
        for index, unit in units:
            diagnostics += refs.check("unit", unit.parent, units_raw, (index, "parent"))
    if "topics.yaml" in files:
        diagnostics += _check_unique_ids(topics, files["topics.yaml"])
    if "commemorations.yaml" in files:
        raw_file = files["commemorations.yaml"]
        diagnostics += _check_unique_ids(commemorations, raw_file)
        for index, item in commemorations:
            diagnostics += refs.check_all("topic", item.topics, raw_file, (index, "topics"))

    checked = steps.each("document", _check_document, [(d.path, (d,)) for d in raw.documents], parallel=True)
    facts = [(document_raw, fact) for document_raw, (_, _, fact) in zip(raw.documents, checked, strict=True)]
    references = steps.each("references", _check_document_references,
                            [(d.path, (fact, d, refs)) for d, fact in facts])
    limit = config.attachment_max_mb if config is not None else SiteConfig.model_fields["attachment_max_mb"].default
    own_files = steps.each("files", check_files, [(d.path, (d, fact.links, tuple(
        (path, raw.assets[path]) for path in sorted(referenced_paths(d, fact.links)) if path in raw.assets), limit))
        for d, fact in facts])
    valid = []
    for document_raw, (meta, alone, _), problems, (file_problems, published) in zip(
            raw.documents, checked, references, own_files, strict=True):
        diagnostics += problems
        diagnostics += alone
        diagnostics += file_problems
        if meta is not None and not has_errors(problems) and not has_errors(file_problems):
            valid.append((document_raw.path, (document_raw, meta, published)))
    # A step of its own so that the dev server gets the same Document object back while its file,
    # model and published files are unchanged (later steps then see it unchanged at a glance).
    documents: list[Document] = steps.each("document-model", _document, valid)
    diagnostics += _check_duplicate_numbers(facts)
    diagnostics += _check_links(facts, refs)
    citations = tuple((d.slug, d.meta.number, d.meta.issuer, d.meta.implements) for d in documents)
    diagnostics += _cycle_diagnostics(steps.once("cycles", _find_cycles, citations), {d.slug: d for d in raw.documents})

    if has_errors(raw.diagnostics):
        # A file that could not be read may use any unit or topic: "unused" would be noise on
        # files the editor did not touch.
        return _site(config, units, topics, commemorations, documents, diagnostics)
    nothing: frozenset[str] = frozenset()
    used_units = set().union(*(fact.used.get("unit", nothing) for _, fact in facts))
    used_units |= {u.parent for _, u in units if u.parent}
    used_topics = set().union(*(fact.used.get("topic", nothing) for _, fact in facts))
    used_topics |= {t for _, c in commemorations for t in c.topics}
    if "units.yaml" in files:
        diagnostics += _unused(units, used_units, files["units.yaml"], "unused-unit")
    if "topics.yaml" in files:
        diagnostics += _unused(topics, used_topics, files["topics.yaml"], "unused-topic")
    return _site(config, units, topics, commemorations, documents, diagnostics)


def _site(config: SiteConfig | None, units: list[tuple[int, Unit]], topics: list[tuple[int, Topic]],
          commemorations: list[tuple[int, Commemoration]], documents: list[Document],
          diagnostics: list[Diagnostic]) -> tuple[Site | None, list[Diagnostic]]:
    if has_errors(diagnostics) or config is None:
        return None, diagnostics
    site = Site(
        config=config,
        units=tuple(u for _, u in units),
        topics=tuple(t for _, t in topics),
        commemorations=tuple(c for _, c in commemorations),
        documents=tuple(sorted(documents, key=lambda d: d.slug)),
    )
    return site, diagnostics
