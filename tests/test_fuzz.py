"""Differential fuzzing (issue 15, Deliver 2): Hypothesis generates content (a document's YAML
front matter and Markdown body, entries of topics/units/commemorations, site.yaml values) from
strategies full of hostile text (control characters, quotes, `<script>`, `javascript:` URLs, huge
numbers, deep nesting, RTL and zero-width characters, Arabic-Indic digits) and asserts:

- `check` never raises: it returns only registered Diagnostics;
- whatever `check` accepts, an in-memory build builds;
- no output path escapes the output folder;
- no active markup in any page or feed (tests/test_hostile.py's scanner, html.parser), every
  search index file and feed is well-formed;
- every .ics feed parses with icalendar with the same events (UID, DTSTART, SUMMARY) as the
  portal's own reading (`feed_specs` of the build's index).

Seeded (`derandomize=True`, no example database), so a run is the same everywhere. 20,000 inputs
in all under CI=true (elsewhere a tenth, or PORTAL_FUZZ_SCALE): a full build takes ~0.5 s, so the
inputs are split: many cheap `check`-level examples, fewer builds. Builds of documents and data
entries go through a kept builder (the dev server's: only what an example reaches is rendered
again, ~40 ms), builds of site.yaml values through the fresh in-memory `render` (every page).
Measured with CI=true on the shared 2-core machine (loaded by other runs): 554 s for the 20,000
inputs in all (edited files 278 s, structured check 66 s, kept builds 122 s, site renders 87 s):
over "a few minutes" on that machine; PORTAL_FUZZ_SCALE=0.05 takes about 20 s.

Cases found are kept in tests/fixtures/fuzz/ (one JSON file each: the files laid over the base
content) and replayed by `test_found_cases_stay_fixed`.
"""

from __future__ import annotations

import json
import os
import posixpath
import shutil
import xml.etree.ElementTree as ElementTree
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES
from icslint import lint_feed
from portal.build.builder import BuildOptions, SiteBuilder
from portal.calendar.ical import event_uid, site_namespace
from portal.diagnostics import CODES, Diagnostic, has_errors
from portal.load.chars import FORBIDDEN
from portal.pipeline import check_content, render
from portal.render.feeds import feed_specs
from portal.write.outputs import is_safe_output_path
from test_hostile import ActiveContent

TODAY = date(2025, 1, 15)
SCALE = float(os.environ.get("PORTAL_FUZZ_SCALE") or (1 if os.environ.get("CI") == "true" else 0.1))
CASES = FIXTURES / "fuzz"


def examples(count: int) -> int:
    return max(5, int(count * SCALE))


def fuzz_settings(count: int):
    return settings(max_examples=examples(count), derandomize=True, database=None, deadline=None,
                    suppress_health_check=list(HealthCheck), print_blob=True)


# --- hostile text ------------------------------------------------------------------------------------

TOKENS = [
    "<script>alert(1)</script>", "</script><script>x()</script>", '"><img src=x onerror=alert(1)>',
    "' onmouseover='a()", "javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<b>x</b>",
    "vbscript:x", "<svg onload=x>", "<iframe src=//evil.example>", '<meta http-equiv="refresh" content="0">',
    "&#106;avascript:", "&amp;", "&lt;", "{{ 1 }}", "{% raw %}", "${x}", "%s", "::error::x", "BEGIN:VEVENT",
    "END:VCALENDAR", "\\", "\\n", "'", '"', "`", "---", "- ", "# ", "> ", "*", "&a", "*a", "!!python/object",
    "%TAG", "@", "|", ">", ":", " #", "[", "]", "{", "}", ",", "99999999999999999999", "9" * 400, "1e999",
    "-1", "0", "Đại hội", "Nghị quyết", "ẫ", "𝄞", "\U0001f600", "ﷺ", "مرحبا", "עברית", "٠١٢٣٤٥٦٧٨٩",
    "０１", "a" * 260, "\u202e", "\u202d", "\u200b", "\u200d", "\ufeff", "\u061c", "\u2028", "\x85",
    "\x00", "\x07", "\x1b[2J", "\r", "\n", "\r\n", "\t",
]
PRINTABLE_TOKENS = [token for token in TOKENS if not FORBIDDEN.search(token) and token.strip("\r\n\t") == token]
hostile = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=6)), max_size=6).map("".join)
# What an editor could type (no control or invisible characters, which check refuses anywhere):
# these get through check, so the build and its output are what is tested.
typed = st.lists(st.one_of(st.sampled_from(PRINTABLE_TOKENS), st.text(st.characters(
    blacklist_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")), max_size=6)), min_size=1, max_size=5) \
    .map("".join).filter(lambda text: text.strip() != "")

UNITS, TOPICS, DAYS = ["tinh-uy", "huyen-uy", "phong-van-hoa"], ["dai-hoi", "ngay-le"], ["thanh-lap-dang", "gio-to"]
dates = st.dates(date(1990, 1, 1), date(2035, 12, 31)).map(lambda day: day.strftime("%d/%m/%Y"))
BASE_URLS = ["https://example.org/cong/", "https://example.org/", "http://localhost:8000/a-b/",
             "https://[::1]:8443/x~y/", "https://sub.example.gov.vn/a/b/"]


def yaml_value(value) -> str:
    """A JSON value is a YAML flow value: every string quoted, whatever it holds."""
    return json.dumps(value, ensure_ascii=False)


def front_matter(fields: dict) -> str:
    return "\n".join(f"{key}: {yaml_value(value)}" for key, value in fields.items())


def nested(depth: int, marker: str) -> str:
    return marker * depth + "x" if marker != "indent" else "".join("  " * level + "- x\n" for level in range(depth))


MARKDOWN = ["## I. MỤC ĐÍCH", "### 1. Ý", "- mục", "  - ý nhỏ", "1. một", "> trích", "| a | b |\n|---|---|\n| c | d |",
            "```\ncode <script>\n```", "[trang](/van-ban/ke-hoach-tinh/)", "[ngoài](https://example.org/x)",
            "[xấu](javascript:alert(1))", "<javascript:alert(1)>", "[r][r]\n\n[r]: javascript:x", "**đậm** _nghiêng_",
            "<div onclick=x>khối</div>", "<!-- c -->", "***", "Đoạn văn.", "\\<script>", "[a](<java\tscript:x>)"]


def body(text: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    nesting = st.builds(nested, st.integers(1, 45), st.sampled_from(["- ", "> ", "1. ", "> - ", "indent"]))
    return st.lists(st.one_of(st.sampled_from(MARKDOWN), text, nesting), max_size=8).map("\n\n".join)


def document(text: st.SearchStrategy[str], ids: st.SearchStrategy[str]) -> st.SearchStrategy[dict]:
    """A document's front matter fields: valid ids and dates, `text` wherever the models take text."""
    optional = {
        "number": st.one_of(st.just("12-KH/TU"), text), "place": text, "issued": dates, "summary": text,
        "signer": st.fixed_dictionaries({"name": text}, optional={"position": text, "on_behalf": text}),
        "recipients": st.lists(st.sampled_from(UNITS), max_size=2, unique=True),
        "distribution": st.lists(text, max_size=3), "commemorations": st.lists(st.sampled_from(DAYS), max_size=2,
                                                                               unique=True),
        "implements": st.lists(st.fixed_dictionaries({"number": text}, optional={"issuer": ids, "title": text}),
                               max_size=2),
        "phases": st.lists(st.fixed_dictionaries({"name": text}, optional={"start": dates, "end": dates,
                                                                           "summary": text}), max_size=3),
        "duties": st.lists(st.fixed_dictionaries({"unit": ids, "tasks": st.lists(text, min_size=1, max_size=3)},
                                                 optional={"deadline": dates}), max_size=2),
    }
    return st.fixed_dictionaries({"kind": st.sampled_from(["ke-hoach", "cong-van", "huong-dan", "de-cuong"]),
                                  "title": text, "issuer": ids, "topics": st.lists(st.sampled_from(TOPICS),
                                                                                   min_size=1, unique=True)},
                                 optional=optional)


def entries(text: st.SearchStrategy[str], ids: st.SearchStrategy[str]) -> st.SearchStrategy[dict]:
    """Extra entries of the three data files, with `text` names and descriptions."""
    return st.fixed_dictionaries({}, optional={
        "topics.yaml": st.fixed_dictionaries({"id": ids, "name": text, "description": text}),
        "units.yaml": st.fixed_dictionaries({"id": ids, "name": text}, optional={
            "short_name": text, "description": text, "parent": st.sampled_from(UNITS)}),
        "commemorations.yaml": st.fixed_dictionaries(
            {"id": ids, "name": text, "date": st.sampled_from(["20/01", "29/02", "30/12", "31/04", "1/1"])},
            optional={"year": st.integers(1, 9999), "calendar": st.sampled_from(["solar", "lunar"]),
                      "description": text, "topics": st.lists(st.sampled_from(TOPICS), max_size=2, unique=True)}),
    })


new_ids = st.sampled_from(["moi", "chu-de-moi", "a" * 100, "x-1"])
raw_ids = st.one_of(st.sampled_from(UNITS), hostile, st.integers(-10**30, 10**30).map(str))
HUGE = st.one_of(st.integers(-10**40, 10**40).map(str), st.sampled_from(
    ["9" * 4301, "1e999", ".inf", "0x1F", "0o17", "-0", "٣٠", "[" * 40 + "]" * 40, "{a: " * 40 + "1" + "}" * 40]))


# --- the content on disk, the build in memory -----------------------------------------------------------

class Project:
    """The mini fixture with one of its documents, rewritten by each example."""

    def __init__(self, root: Path) -> None:
        self.content = root / "content"
        shutil.rmtree(self.content, ignore_errors=True)
        shutil.copytree(FIXTURES / "mini", self.content)
        for extra in ("ke-hoach-huyen.md", "cong-van-du-thao.md"):
            (self.content / "documents" / extra).unlink()
        self.base = {name: (self.content / name).read_text(encoding="utf-8")
                     for name in ("site.yaml", "units.yaml", "topics.yaml", "commemorations.yaml")}
        self.options = BuildOptions(self.content, root / "site", today=TODAY)
        self.kept = SiteBuilder(self.options)
        self.last: dict[str, bytes] = {}  # the kept builder's last outputs

    def lay(self, files: dict[str, str]) -> None:
        """The base content with `files` (path under content/ -> text) laid over it."""
        for stale in (self.content / "documents").glob("fuzz*"):
            stale.unlink()
        for name, text in self.base.items():
            (self.content / name).write_text(files.get(name, text), encoding="utf-8", newline="")
        for name, text in files.items():
            if name.startswith("documents/"):
                (self.content / name).write_text(text, encoding="utf-8", newline="")


@pytest.fixture(scope="module")
def fuzz_project(tmp_path_factory) -> Project:
    root = tmp_path_factory.mktemp("fuzz")
    cwd = Path.cwd()
    os.chdir(root)
    yield Project(root)
    os.chdir(cwd)


def assert_only_diagnostics(diagnostics: list) -> None:
    for diagnostic in diagnostics:
        assert isinstance(diagnostic, Diagnostic) and diagnostic.code in CODES, diagnostic
        assert diagnostic.line >= 0 and diagnostic.col >= 0


def assert_safe_outputs(result, base_path: str, only: set[str] | None = None) -> None:
    """The build's outputs (or those of `only`): safe paths, no active markup, well-formed feeds
    and index files, every .ics read by icalendar as the portal reads its events."""
    import icalendar

    outputs, index = result.outputs, result.index
    assert outputs is not None and index is not None
    for path in outputs:
        assert is_safe_output_path(path) and posixpath.normpath(path) == path and not path.startswith(("/", "..")), path
    for path in sorted(only if only is not None else set(outputs)):
        data = outputs[path]
        if path.endswith(".html"):
            scanner = ActiveContent(base_path)
            scanner.feed(data.decode("utf-8"))
            scanner.close()
            assert scanner.problems == [], (path, scanner.problems)
        elif path.endswith(".xml"):
            root = ElementTree.fromstring(data)
            for element in root.iter():
                if element.get("type") == "html" and element.text:
                    scanner = ActiveContent(base_path)
                    scanner.feed(element.text)
                    assert scanner.problems == [], (path, scanner.problems)
        elif path.endswith(".json"):
            json.loads(data)
    namespace = site_namespace(index.site.config.base_url)
    for spec, events in feed_specs(index):
        if only is not None and spec.path not in only:
            continue
        data = outputs[spec.path]
        assert lint_feed(data) == [], spec.path
        calendar = icalendar.Calendar.from_ical(data)
        theirs = sorted((str(event["UID"]), event.decoded("DTSTART"), str(event["SUMMARY"]))
                        for event in calendar.walk("VEVENT"))
        import unicodedata
        ours = sorted((event_uid(namespace, spec.feed_id, event.key), event.start,
                       unicodedata.normalize("NFC", event.summary)) for event in events)
        assert theirs == ours, spec.path


def changed_outputs(before: dict[str, bytes], result) -> set[str]:
    return {path for path in result.outputs if before.get(path) != result.outputs[path]}


# --- the tests ---------------------------------------------------------------------------------------------

def _document_file(fields: dict, text: str, mutation: tuple[int, str] | None) -> str:
    front = front_matter(fields)
    if mutation is not None:  # a raw edit anywhere in the front matter: unquoted, YAML errors, …
        at, token = mutation
        at %= len(front) + 1
        front = front[:at] + token + front[at:]
    return f"---\n{front}\n---\n{text}"


@fuzz_settings(2_000)
@given(fields=document(hostile, raw_ids), text=body(hostile), mutation=st.none() | st.tuples(st.integers(0, 10**6),
       st.one_of(hostile, HUGE)), slug=st.one_of(st.just("fuzz"), hostile.map(lambda s: "fuzz" + s).filter(
       lambda s: "/" not in s and "\x00" not in s and len(s.encode()) < 200)), data=entries(hostile, raw_ids),
       site=st.fixed_dictionaries({}, optional={"title": hostile, "base_url": st.one_of(st.sampled_from(BASE_URLS),
                                  hostile), "upcoming_days": HUGE, "latest_documents": HUGE, "timezone": hostile}))
def test_check_never_raises(fuzz_project, fields, text, mutation, slug, data, site):
    """`check` of hostile structured content returns Diagnostics, never raises: 2,000 examples
    under CI (66 s measured, most of it Hypothesis drawing the many fields)."""
    files = {f"documents/{slug}.md": _document_file(fields, text, mutation)}
    for name, entry in data.items():
        files[name] = fuzz_project.base[name] + f"- {yaml_value(entry)}\n"
    if site:
        files["site.yaml"] = fuzz_project.base["site.yaml"] + "".join(  # numbers as written: unquoted
            f"{key}: {value if key.endswith(('_days', '_documents')) else yaml_value(value)}\n"
            for key, value in site.items())
    fuzz_project.lay(files)
    _, diagnostics = check_content(fuzz_project.options)
    assert_only_diagnostics(diagnostics)


SEEDS = {name: (FIXTURES / "mini" / name).read_text(encoding="utf-8")
         for name in ("documents/ke-hoach-tinh.md", "documents/ke-hoach-huyen.md", "documents/cong-van-du-thao.md",
                      "units.yaml", "topics.yaml", "commemorations.yaml", "site.yaml")}


def mutate(text: str, edits: list[tuple[int, int, str]]) -> str:
    """`text` with each (position, length removed, token inserted) applied in turn."""
    for at, cut, token in edits:
        at %= len(text) + 1
        text = text[:at] + token + text[at + cut:]
    return text


@fuzz_settings(16_500)
@given(name=st.sampled_from(sorted(SEEDS)), edits=st.lists(st.tuples(st.integers(0, 10**5), st.integers(0, 3),
       st.sampled_from([*TOKENS, "9" * 4301, "- " * 40, "  ", "\n", ": x", "\x00"])), min_size=1, max_size=4))
def test_check_never_raises_on_edited_files(fuzz_project, name, edits):
    """The cheap tier: a few hostile edits at random places of one of the mini fixture's files
    (a document or a data file): `check` returns Diagnostics, never raises. 16,500 examples under
    CI (278 s measured, ~17 ms each on the loaded machine)."""
    target = name if not name.startswith("documents/") else "documents/fuzz.md"
    fuzz_project.lay({target: mutate(SEEDS[name], edits)})
    _, diagnostics = check_content(fuzz_project.options)
    assert_only_diagnostics(diagnostics)


@fuzz_settings(1_400)
@given(fields=document(typed, st.sampled_from(UNITS)), text=body(typed), data=entries(typed, new_ids))
def test_what_check_accepts_builds_safely(fuzz_project, fields, text, data):
    """Typed hostile text (what an editor can type, so that check accepts most of it) in a
    document and new data entries: accepted content builds in memory, and the files the example
    changed are safe. 1,400 examples under CI through the kept builder (122 s measured)."""
    files = {"documents/fuzz.md": f"---\n{front_matter(fields)}\n---\n{text}"}
    for name, entry in data.items():
        files[name] = fuzz_project.base[name] + f"- {yaml_value(entry)}\n"
    fuzz_project.lay(files)
    _, diagnostics = check_content(fuzz_project.options)
    assert_only_diagnostics(diagnostics)
    result = fuzz_project.kept.build()
    assert has_errors(result.diagnostics) == has_errors(diagnostics)
    if has_errors(diagnostics):
        return
    assert result.outputs is not None, [d.format() for d in result.diagnostics]
    assert_safe_outputs(result, "/cong/", changed_outputs(fuzz_project.last, result))
    fuzz_project.last = dict(result.outputs.items())


@fuzz_settings(100)
@given(site=st.fixed_dictionaries({"title": typed, "description": typed, "base_url": st.sampled_from(BASE_URLS)},
                                  optional={"upcoming_days": st.integers(0, 400),
                                            "latest_documents": st.integers(1, 100)}))
def test_site_values_build_safely(fuzz_project, site):
    """site.yaml's values, each example a fresh in-memory `render` (every page): 100
    examples under CI (87 s measured)."""
    lines = [line for line in fuzz_project.base["site.yaml"].splitlines()
             if line.split(":")[0] not in site]
    fuzz_project.lay({"site.yaml": "\n".join(lines) + "\n" + front_matter(site) + "\n"})
    _, diagnostics = check_content(fuzz_project.options)
    assert_only_diagnostics(diagnostics)
    result = render(fuzz_project.options)
    assert has_errors(result.diagnostics) == has_errors(diagnostics)
    if not has_errors(diagnostics):
        assert result.index is not None
        assert_safe_outputs(result, result.index.site.config.base_path)


@pytest.mark.parametrize("case", sorted(CASES.glob("*.json")), ids=lambda path: path.stem)
def test_found_cases_stay_fixed(fuzz_project, case):
    """Each kept case: check returns Diagnostics; when it accepts, the build is safe."""
    files = json.loads(case.read_text(encoding="utf-8"))["files"]
    fuzz_project.lay(files)
    _, diagnostics = check_content(fuzz_project.options)
    assert_only_diagnostics(diagnostics)
    if not has_errors(diagnostics):
        result = render(fuzz_project.options)
        assert result.ok and result.index is not None
        assert_safe_outputs(result, result.index.site.config.base_path)
