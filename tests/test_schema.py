"""The committed JSON Schemas are the ones the models generate, and they accept the real content."""

from __future__ import annotations

import json

import pytest
import yaml

from conftest import ROOT, SAMPLE_CONTENT
from portal.authoring.schema import render_schemas

jsonschema = pytest.importorskip("jsonschema")


def test_committed_schemas_are_up_to_date():
    for name, text in render_schemas().items():
        committed = (ROOT / "schema" / name).read_text(encoding="utf-8")
        assert committed == text, f"schema/{name} is stale: run `python build.py schema`"


def _validator(name: str):
    schema = json.loads((ROOT / "schema" / name).read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


@pytest.mark.parametrize("name, target", [("site.schema.json", "site.yaml"), ("units.schema.json", "units.yaml"),
                                          ("topics.schema.json", "topics.yaml"),
                                          ("commemorations.schema.json", "commemorations.yaml")])
def test_content_files_pass_their_schema(name, target):
    data = yaml.safe_load((SAMPLE_CONTENT / target).read_text(encoding="utf-8"))
    assert list(_validator(name).iter_errors(data)) == []


def test_every_document_front_matter_passes_the_schema():
    validator = _validator("document.schema.json")
    for path in sorted((SAMPLE_CONTENT / "documents").glob("*.md")):
        front = path.read_text(encoding="utf-8").split("---\n")[1]
        data = yaml.safe_load(front)  # the sample writes dates as DD/MM/YYYY, which YAML keeps as text
        assert [error.message for error in validator.iter_errors(data)] == [], path.name


def test_schema_catches_what_editors_get_wrong_and_explains_in_vietnamese():
    validator = _validator("document.schema.json")
    errors = {error.message for error in validator.iter_errors({"kind": "ke-hoach-2", "titel": "x", "issuer": "A B"})}
    assert any("ke-hoach-2" in message for message in errors)  # not one of the kinds
    assert any("titel" in message for message in errors)  # unknown key
    assert any("'title' is a required property" in message for message in errors)
    schema = json.loads((ROOT / "schema" / "document.schema.json").read_text(encoding="utf-8"))
    assert schema["properties"]["issuer"]["description"] == "Mã cơ quan ban hành (trong units.yaml)"
    assert schema["$defs"]["DocumentKind"]["enumDescriptions"][0] == "Kế hoạch"
