from hypothesis import given, settings
from hypothesis import strategies as st

import portal.load.yamlsource as yamlsource
from portal.load.yamlsource import format_field_path, load_yaml


def test_values_keep_their_line_and_column():
    result = load_yaml("a: 1\nlist:\n  - x\n  - {b: 2}\n", "f.yaml", line_offset=1)
    assert result.data == {"a": 1, "list": ["x", {"b": 2}]}
    assert result.source_map.values[("list", 1, "b")] == (5, 9)
    assert result.source_map.keys[("list",)] == (3, 1)


def test_documents_of_one_shape_share_their_source_map_tuples():
    first = load_yaml("title: a\nphases:\n  - start: x\n", "a.md").source_map
    second = load_yaml("title: b\nphases:\n  - start: y\n", "b.md").source_map
    for a, b in zip(first.values.items(), second.values.items(), strict=True):
        assert a == b and a[0] is b[0] and a[1] is b[1]  # paths and places: one tuple each, not two


def test_the_shared_tuples_are_bounded(monkeypatch):
    monkeypatch.setattr(yamlsource, "_SHARED", {})
    monkeypatch.setattr(yamlsource, "_SHARED_MAX", 10)
    text = "".join(f"k{index}: {index}\n" for index in range(40))
    result = load_yaml(text, "f.yaml")
    assert len(yamlsource._SHARED) <= 10
    assert result.source_map.values[("k39",)] == (40, 6) and result.data["k39"] == 39


def test_dates_stay_text():
    assert load_yaml("d: 2025-01-15\ne: 15/01/2025\n", "f").data == {"d": "2025-01-15", "e": "15/01/2025"}


def test_duplicate_keys_are_errors():
    result = load_yaml("title: a\ntitle: b\n", "f.yaml")
    assert [d.format() for d in result.diagnostics] == [
        "f.yaml:2:1: error: [duplicate-key] title: khóa `title` bị lặp (đã có ở dòng 1) — xóa một trong hai dòng"]


def test_python_tags_are_refused():
    result = load_yaml("x: !!python/object/apply:os.system ['true']\n", "f.yaml")
    assert result.data == {"x": None}
    assert result.diagnostics[0].code == "yaml-tag"


def test_aliases_are_refused_without_expansion():
    bomb = ("a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
            "c: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n")
    result = load_yaml(bomb, "f.yaml")
    assert {d.code for d in result.diagnostics} == {"yaml-alias"}


def test_syntax_error_has_position_and_hint():
    result = load_yaml("title: \"open\nissuer: x\n", "f.md", line_offset=1)
    (diagnostic,) = result.diagnostics
    assert (diagnostic.code, diagnostic.line, diagnostic.col) == ("yaml-syntax", 2, 8)  # where the quote opens
    assert "ngoặc kép" in diagnostic.message and '`"`' in diagnostic.hint


def test_field_path_format():
    assert format_field_path(("phases", 0, "end")) == "phases[0].end"
    assert format_field_path((2, "id")) == "[2].id"


def test_scalar_aliases_are_refused_too():
    result = load_yaml("a: &x text\nb: *x\n", "f.yaml")
    assert result.data == {"a": "text", "b": None}
    assert [(d.code, d.line) for d in result.diagnostics] == [("yaml-alias", 2)]
    assert result.bad_paths == {("b",)}


def test_tab_indentation_is_explained_in_vietnamese():
    result = load_yaml("a:\n\t- b\n", "f.yaml")
    assert "Tab" in result.diagnostics[0].message


# Scalars PyYAML might type: numbers, booleans, nulls, dates, YAML 1.1 oddities, and Vietnamese.
_SCALAR_SAMPLES = st.one_of(
    st.sampled_from(["", "~", "null", "Null", "NULL", "yes", "No", "on", "OFF", "true", "False", "y", "n",
                     "0", "-1", "+7", "0x1F", "0o17", "017", "1_000", "1.5", ".5", "-.inf", ".NaN", "1e3",
                     "190:20:30", "2025-01-15", "2025-1-5 10:00", "=", "<<", "Tuyên truyền", "Ngày 3/2"]),
    st.text(alphabet="0123456789+-.:_eExXoO~TtFfNnYy aăâđêôơư", max_size=12),
)


@settings(max_examples=300, deadline=None)
@given(_SCALAR_SAMPLES)
def test_the_fast_resolver_types_every_scalar_as_pyyaml_does(value):
    import yaml

    from portal.load.yamlsource import _BaseLoader, _Loader, _written_otherwise

    for implicit in ((True, False), (False, True), (False, False)):
        for kind in (yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode):
            expected = _BaseLoader("").resolve(kind, value, implicit)
            if kind is yaml.ScalarNode and _written_otherwise(expected, value):
                expected = "tag:yaml.org,2002:str"  # YAML 1.1's surprises stay text, as written
            assert _Loader("").resolve(kind, value, implicit) == expected, (kind, value, implicit)
