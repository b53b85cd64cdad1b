"""Mistakes office staff make, each applied to a copy of the small fixture site: none may be
published wrong without a word. Each is reported at its exact file:line:col with a Vietnamese
message (or, where YAML 1.1 would have changed the value, the value is read as written)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES
from portal.content.validate import validate_content
from portal.load.files import load_content

DOCUMENT = "documents/ke-hoach-tinh.md"  # lines: 2 number, 3 kind, 4 title, 5 issuer, …, 18 "## I. MỤC…"


def _check(tmp_path: Path, edits: dict[str, tuple[str, str]]) -> tuple[object, list[str]]:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "mini", content)
    for name, (old, new) in edits.items():
        path = content / name
        text = path.read_text(encoding="utf-8")
        assert old in text, (name, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    site, diagnostics = validate_content(load_content(content, cwd=content))
    return site, [d.format() for d in diagnostics]


# (what the clerk did, the edit, what check must say: "line:col: severity: [code]" and a phrase)
MISTAKES = [
    ("a # in an unquoted title", {DOCUMENT: ("title: Tuyên truyền", "title: Tuyên truyền đợt #2")},
     "4:25: warning: [comment-in-value]", "ghi chú"),
    ("Word's curly quotes around the number", {DOCUMENT: ("number: 10-KH/TU", "number: “10-KH/TU”")},
     "2:9: error: [curly-quotes]", "ngoặc kép cong"),
    ("the number copied with its label", {DOCUMENT: ("number: 10-KH/TU", "number: \"Số: 10-KH/TU\"")},
     "2:9: error: [number-form]", "`10-KH/TU`"),
    ("the number with a final dot", {DOCUMENT: ("number: 10-KH/TU", "number: 10-KH/TU.")},
     "2:9: error: [number-form]", "`10-KH/TU`"),
    ("a State-shaped number for a Party body", {DOCUMENT: ("number: 10-KH/TU", "number: 10/KH-TU")},
     "2:9: warning: [number-shape]", "của Đảng"),
    ("V/v typed into the title", {DOCUMENT: ("title: Tuyên truyền", "title: V/v tuyên truyền")},
     "4:8: error: [title-vv]", "V/v"),
    ("a heading without its space", {DOCUMENT: ("## I. MỤC ĐÍCH", "##I- MỤC ĐÍCH")},
     "18:2: warning: [heading-space]", "dấu cách"),
    ("Word's bullet pasted", {DOCUMENT: ("- Nâng cao nhận thức.", "• Nâng cao nhận thức.")},
     "24:1: warning: [word-bullet]", "•"),
    ("a dash without its space", {DOCUMENT: ("- Nâng cao nhận thức.", "-Nâng cao nhận thức.")},
     "24:1: warning: [word-bullet]", "-"),
    ("a relative link", {DOCUMENT: ("Tuyên truyền sâu rộng",
                                    "Xem [kế hoạch](../ke-hoach-huyen/). Tuyên truyền sâu rộng")},
     "20:16: error: [relative-link]", "tương đối"),
    ("a link to a topic that does not exist", {DOCUMENT: ("Tuyên truyền sâu rộng", "[chủ đề](/chu-de/dai-hoii/)")},
     "20:10: error: [broken-link]", "`/chu-de/dai-hoi/`"),
    ("a link to a page the site does not have", {DOCUMENT: ("Tuyên truyền sâu rộng", "[x](/tin-tuc/abc/)")},
     "20:5: error: [broken-link]", "không dẫn tới"),
    ("a local image", {DOCUMENT: ("Tuyên truyền sâu rộng", "![ảnh](/anh/hoi-nghi.png)")},
     "20:8: error: [missing-image]", "ô trống"),
    ("a colon in an unquoted title", {DOCUMENT: ("title: Tuyên truyền", "title: Kế hoạch: Tuyên truyền")},
     "4:16: error: [yaml-syntax]", "dấu ngoặc kép"),
    ("a quote opened and not closed", {DOCUMENT: ("title: Tuyên truyền đại hội đảng bộ các cấp",
                                                  "title: \"Tuyên truyền đại hội đảng bộ các cấp")},
     "4:8: error: [yaml-syntax]", "chưa được đóng"),
    ("a list item without its dash", {"units.yaml": ("- id: huyen-uy", "  id: huyen-uy")},
     "units.yaml:4:3: error: [duplicate-key]", "thiếu dấu `- `"),
    ("a field indented one space too far", {DOCUMENT: ("kind: ke-hoach", " kind: ke-hoach")},
     "3:1: error: [yaml-syntax]", "thụt lề"),
    ("a no-break space after the colon", {DOCUMENT: ("kind: ke-hoach", "kind:\u00a0ke-hoach")},
     "3:6: error: [yaml-syntax]", "NO-BREAK SPACE"),
    ("an empty issuer, as `new` writes it", {DOCUMENT: ("issuer: tinh-uy", "issuer:")},
     "5:8: error: [empty-value]", "để trống"),
]


@pytest.mark.parametrize(("mistake", "edits", "where", "phrase"), MISTAKES, ids=[m[0] for m in MISTAKES])
def test_each_mistake_is_reported_where_the_editor_must_act(tmp_path, mistake, edits, where, phrase):
    _, messages = _check(tmp_path, edits)
    file = where.split(":")[0] if where.split(":")[0].endswith(".yaml") else DOCUMENT
    place = where if where.endswith("]") or where.endswith("[") else where
    place = place.removeprefix(f"{file}:")
    found = [m for m in messages if m.startswith(f"{file}:{place}") or f"/{file}:{place}" in m]
    assert found, f"{mistake}: expected {file}:{place} in\n" + "\n".join(messages)
    assert any(phrase in m for m in found), f"{mistake}: no “{phrase}” in {found}"


@pytest.mark.parametrize(("written", "read"), [("0373", "0373"), ("1:30", "1:30"), ("1_000", "1_000")])
def test_yaml_1_1_numbers_stay_as_written(tmp_path, written, read):
    site, messages = _check(tmp_path, {DOCUMENT: ("number: 10-KH/TU", f"number: {written}")})
    assert site is not None, messages
    document = next(d for d in site.documents if d.slug == "ke-hoach-tinh")
    assert document.meta.number == read


def test_yes_no_on_off_are_words_where_words_are_meant(tmp_path):
    site, messages = _check(tmp_path, {"units.yaml": ("  short_name: BTV Tỉnh ủy", "  short_name: on")})
    assert site is not None, messages
    assert site.units[0].short_name == "on"


def test_numbers_and_truth_values_still_read_where_they_are_meant(tmp_path):
    site, messages = _check(tmp_path, {"site.yaml": ("title:", "documents_per_page: 010\ntitle:")})
    assert site is not None, messages
    assert site.config.documents_per_page == 10


def test_a_broken_file_brings_no_unused_warnings_on_the_others(tmp_path):
    _, messages = _check(tmp_path, {DOCUMENT: ("kind: ke-hoach", "kind: [ke-hoach")})
    assert not [m for m in messages if "[unused-" in m]


def test_did_you_mean_knows_names_and_forgets_diacritics(tmp_path):
    _, messages = _check(tmp_path, {DOCUMENT: ("issuer: tinh-uy", "issuer: Ban-Thuong-vu-Tinh-uy")})
    assert any("[unknown-unit]" in m and "`tinh-uy`" in m for m in messages), messages


def test_no_english_reaches_the_editor(tmp_path):
    """Any wrong type in any field: the message is the registry's Vietnamese."""
    english = re.compile(r"\b(?:should|valid|Input|Field|required|expected|found|mapping|scalar|allowed)\b")
    for old, new in [("issued: 05/03/2024", "issued: [1, 2]"), ("recipients: [huyen-uy]", "recipients: {a: 1}"),
                     ("signer: {name", "signer: [name"), ("topics: [dai-hoi]", "topics: 12.5"),
                     ("phases:", "phases: yes\nx:"), ("kind: ke-hoach", "kind: 3")]:
        _, messages = _check(tmp_path / new[:6].replace(" ", "_").replace(":", ""), {DOCUMENT: (old, new)})
        assert messages, new
        assert not [m for m in messages if english.search(m)], messages


WRONG_VALUES = [None, 0, 7, -1, 1.5, True, "", " ", "x y", "31/02/2025", "2025-13-01", [], [1], ["a", 2], {}, {"a": 1},
                "https://", "javascript:alert(1)", "a" * 1200]
VALID = {
    "DocumentMeta": {"kind": "ke-hoach", "title": "Tiêu đề", "issuer": "tinh-uy",
                     "signer": {"name": "A"}, "implements": [{"number": "1-KH/TU"}],
                     "phases": [{"name": "Giai đoạn", "start": "01/01/2025"}],
                     "duties": [{"unit": "tinh-uy", "tasks": ["Việc."]}]},
    "SiteConfig": {"title": "Cổng", "description": "Mô tả", "base_url": "https://example.org/",
                   "calendar": {"years_before": 1}},
    "Unit": {"id": "tinh-uy", "name": "Tỉnh ủy"},
    "Topic": {"id": "dai-hoi", "name": "Đại hội", "description": "Mô tả"},
    "Commemoration": {"id": "ngay", "name": "Ngày", "date": "03/02"},
}


def _paths(data, where=()):
    if isinstance(data, dict):
        for key, value in data.items():
            yield (*where, key)
            yield from _paths(value, (*where, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield (*where, index)
            yield from _paths(value, (*where, index))


def _replaced(data, path, value):
    if not path:
        return value
    copy = dict(data) if isinstance(data, dict) else list(data)
    copy[path[0]] = _replaced(data[path[0]], path[1:], value)
    return copy


@pytest.mark.parametrize("model_name", sorted(VALID))
def test_every_wrong_value_in_every_field_gets_a_registered_vietnamese_message(model_name):
    """Each field of each model (nested ones too), given each kind of wrong value: every problem is
    a registered code with a Vietnamese message, never pydantic's English."""
    from portal.content import models
    from portal.content.validate import to_model
    from portal.diagnostics import CODES
    from portal.load.files import RawFile
    from portal.load.yamlsource import SourceMap

    model = getattr(models, model_name)
    fields = {name: None for name in model.model_fields}  # and every top-level field, even if absent
    paths = {*(p for p in _paths(VALID[model_name])), *((name,) for name in fields)}
    english = re.compile(r"\b(?:should|Input|Field|required|valid|instance|expected|allowed|characters)\b")
    seen = 0
    for path in sorted(paths, key=str):
        for value in WRONG_VALUES:
            valid = VALID[model_name]
            data = _replaced(valid, path, value) if path[0] in valid else {**valid, path[0]: value}
            _, diagnostics = to_model(model, data, RawFile("x.yaml", data, SourceMap()))
            for diagnostic in diagnostics:
                seen += 1
                assert diagnostic.code in CODES
                assert not english.search(diagnostic.message + " " + diagnostic.hint), (path, value, diagnostic)
    assert seen > 30
