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


def _front_matter_config() -> str:
    from portal.authoring.frontmatter import render_front_matter_config
    from portal.content.validate import reference_lists, valid_topics
    from portal.load.files import load_content

    raw = load_content(SAMPLE_CONTENT)
    units, commemorations = reference_lists(raw)
    return render_front_matter_config(units, valid_topics(raw), commemorations)


def test_committed_front_matter_config_is_up_to_date():
    committed = (ROOT / "frontmatter.json").read_text(encoding="utf-8")
    assert committed == _front_matter_config(), "frontmatter.json is stale: run `python build.py schema`"


def test_front_matter_config_has_every_field_of_the_models_with_its_choices():
    from portal.content.models import AttachmentRef, Citation, DocumentMeta, Duty, Phase

    config = json.loads(_front_matter_config())
    fields = {field["name"]: field for field in config["frontMatter.taxonomy.contentTypes"][0]["fields"]}
    assert list(fields) == list(DocumentMeta.model_fields)  # the portal's key order
    groups = {group["id"]: [field["name"] for field in group["fields"]]
              for group in config["frontMatter.taxonomy.fieldGroups"]}
    assert groups == {"Citation": list(Citation.model_fields), "Phase": list(Phase.model_fields),
                      "Duty": list(Duty.model_fields), "AttachmentRef": list(AttachmentRef.model_fields)}
    units = {unit["id"] for unit in yaml.safe_load((SAMPLE_CONTENT / "units.yaml").read_text(encoding="utf-8"))}
    assert {choice["id"] for choice in fields["issuer"]["choices"]} == units
    assert fields["recipients"]["multiple"] and fields["kind"]["type"] == "choice"
    assert fields["issued"]["type"] == "datetime" and fields["issued"]["dateFormat"] == "dd/MM/yyyy"
    duty_unit = next(f for g in config["frontMatter.taxonomy.fieldGroups"] if g["id"] == "Duty"
                     for f in g["fields"] if f["name"] == "unit")
    assert duty_unit["type"] == "choice"
    assert all(field["description"] for field in fields.values())  # Vietnamese help on every field


def test_the_vscode_problem_matcher_reads_every_check_line():
    import re
    import subprocess
    import sys

    tasks = json.loads((ROOT / ".vscode" / "tasks.json").read_text(encoding="utf-8"))
    pattern = tasks["tasks"][0]["problemMatcher"]["pattern"]
    regexp = re.compile(pattern["regexp"])
    done = subprocess.run([sys.executable, "build.py", "check", "--content", "tests/fixtures/invalid"], cwd=ROOT,
                          capture_output=True, text=True)
    lines = [line for line in done.stderr.splitlines() if ": error: " in line or ": warning: " in line]
    assert len(lines) > 10
    for line in lines:
        match = regexp.match(line)
        assert match, line
        assert (ROOT / match.group(pattern["file"])).exists()
        assert match.group(pattern["severity"]) in ("error", "warning")
