"""The web editor at /admin/ (Decap CMS): its configuration is the models', field for field; the
site serves exactly the pinned bundle; a site without `cms:` has no /admin/."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, SAMPLE_CONTENT
from portal.build.builder import BuildOptions, SiteBuilder
from portal.content.fields import model_fields
from portal.content.models import Citation, DocumentMeta, Duty, Phase, Signer, SiteConfig
from portal.content.validate import reference_lists, valid_topics
from portal.load.files import load_content
from portal.render import cms
from portal.write.outputs import Outputs

CMS_BLOCK = "cms:\n  repo: so-vhttdl/cong-tuyen-truyen\n  branch: main\n"
bundle_installed = pytest.mark.skipif(not (ROOT / "cms" / "node_modules" / "decap-cms").is_dir(),
                                      reason="the CMS bundle is not installed: npm ci --prefix cms")


def _config() -> dict:
    raw = load_content(SAMPLE_CONTENT)
    units, commemorations = reference_lists(raw)
    site = yaml.safe_load((SAMPLE_CONTENT / "site.yaml").read_text(encoding="utf-8"))
    config = SiteConfig.model_validate({**site, "cms": {"repo": "so-vhttdl/cong-tuyen-truyen"}})
    return cms.cms_config(config, units, valid_topics(raw), commemorations)


def _by_name(fields: list[dict]) -> dict[str, dict]:
    return {field["name"]: field for field in fields}


def test_the_documents_collection_has_every_field_of_the_models_in_their_order():
    fields = _by_name(_config()["collections"][0]["fields"])
    assert list(fields) == [*DocumentMeta.model_fields, "body"]
    for name, model in (("implements", Citation), ("phases", Phase), ("duties", Duty), ("signer", Signer)):
        assert [child["name"] for child in fields[name]["fields"]] == list(model.model_fields), name
    assert all(field["hint"] and field["label"] for field in fields.values())  # Vietnamese help everywhere
    assert fields["title"]["label"] == "Trích yếu" and fields["issuer"]["label"] == "Cơ quan ban hành"
    assert fields["title"]["required"] and not fields["place"]["required"]


def test_widgets_follow_the_contract():
    fields = _by_name(_config()["collections"][0]["fields"])
    units = yaml.safe_load((SAMPLE_CONTENT / "units.yaml").read_text(encoding="utf-8"))
    topics = yaml.safe_load((SAMPLE_CONTENT / "topics.yaml").read_text(encoding="utf-8"))
    assert fields["kind"]["widget"] == "select" and fields["kind"]["options"][0] == {"label": "Kế hoạch",
                                                                                      "value": "ke-hoach"}
    assert [o["value"] for o in fields["issuer"]["options"]] == [unit["id"] for unit in units]  # ids, not names
    assert fields["recipients"]["multiple"] and not fields["issuer"]["multiple"]
    assert [o["value"] for o in fields["topics"]["options"]] == [topic["id"] for topic in topics]
    duty = _by_name(fields["duties"]["fields"])
    assert duty["unit"]["widget"] == "select" and duty["tasks"]["widget"] == "list"
    for date in (fields["issued"], _by_name(fields["phases"]["fields"])["start"], duty["deadline"]):
        assert (date["widget"], date["format"], date["time_format"]) == ("datetime", "DD/MM/YYYY", False)
    assert fields["issued_year"]["widget"] == "number" and fields["issued_year"]["value_type"] == "int"
    assert fields["body"]["widget"] == "markdown" and fields["body"]["modes"] == ["raw"]
    assert fields["distribution"]["widget"] == "list" and fields["distribution"]["field"]["widget"] == "string"


def test_the_editorial_workflow_and_the_backend_come_from_site_yaml():
    config = _config()
    assert config["publish_mode"] == "editorial_workflow" and config["locale"] == "vi"
    assert config["backend"] == {**config["backend"], "name": "github", "repo": "so-vhttdl/cong-tuyen-truyen",
                                 "branch": "main", "open_authoring": False}
    assert config["collections"][0]["folder"] == "content/documents"
    assert config["collections"][0]["format"] == "portal-frontmatter"  # registered by portal-cms.js


def test_a_new_field_in_the_models_shows_up_in_the_config(monkeypatch):
    from pydantic import Field

    class Extended(DocumentMeta):
        urgency: int | None = Field(description="Độ khẩn, ví dụ 2", default=None)

    monkeypatch.setattr(cms, "document_fields", lambda: model_fields(Extended))
    fields = _by_name(_config()["collections"][0]["fields"])
    assert fields["urgency"]["label"] == "Độ khẩn" and fields["urgency"]["widget"] == "number"


def _cms_content(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    with open(content / "site.yaml", "a", encoding="utf-8") as handle:
        handle.write(CMS_BLOCK)
    return content


def _build(content: Path, tmp_path: Path, cms_dir: Path = ROOT / "cms"):
    from conftest import SAMPLE_TODAY

    options = BuildOptions(content=content, out=tmp_path / "site", today=SAMPLE_TODAY, cms=cms_dir)
    return SiteBuilder(options, keep=False).build(Outputs())


def test_a_site_without_cms_has_no_admin(sample_site):
    assert not (sample_site / "admin").exists()


@bundle_installed
def test_the_built_admin_serves_the_pinned_bundle_with_its_integrity(tmp_path):
    result = _build(_cms_content(tmp_path), tmp_path)
    assert result.ok, result.diagnostics
    page = result.outputs["admin/index.html"].decode("utf-8")
    manifest = json.loads((ROOT / "cms" / "bundle.json").read_text(encoding="utf-8"))
    decap = manifest["packages"][0]
    assert decap["name"] == "decap-cms"
    lock = json.loads((ROOT / "cms" / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"]["node_modules/decap-cms"]["version"] == decap["version"]  # pinned by npm too
    assert f'integrity="{decap["files"]["decap-cms.js"]}"' in page
    assert "https://unpkg" not in page and "cdn" not in page.lower()
    assert cms.sha384(result.outputs["admin/decap-cms.js"]) == decap["files"]["decap-cms.js"]
    assert all(f"admin/{name}" in result.outputs for name in decap["files"])  # its lazily loaded chunks too
    config = yaml.safe_load(result.outputs["admin/config.yml"])
    assert config["collections"][0]["fields"][0]["name"] == "number"


def test_a_bundle_that_differs_from_the_recorded_hash_is_refused(tmp_path):
    fake = tmp_path / "cms"
    dist = fake / "node_modules" / "decap-cms" / "dist"
    dist.mkdir(parents=True)
    (fake / "node_modules" / "decap-cms" / "package.json").write_text('{"version": "3.16.3"}', encoding="utf-8")
    (dist / "decap-cms.js").write_text("alert('not the reviewed bundle')", encoding="utf-8")
    (fake / "bundle.json").write_text(json.dumps({"packages": [{
        "name": "decap-cms", "version": "3.16.3", "dist": "dist", "publish": "",
        "files": {"decap-cms.js": cms.sha384(b"the reviewed bundle")}}]}), encoding="utf-8")
    files, problems = cms.bundle_files(fake)
    assert files == {} and "mã băm" in problems[0].message
    result = _build(_cms_content(tmp_path), tmp_path, fake)
    assert not result.ok and [d.code for d in result.diagnostics if d.is_error] == ["cms-bundle"]
    files, problems = cms.bundle_files(tmp_path / "nowhere")
    assert files == {} and problems


NODE_FORMAT = ROOT / "tests" / "js" / "cms-format.cjs"
formats_runnable = pytest.mark.skipif(shutil.which("node") is None
                                      or not (ROOT / "cms" / "node_modules" / "js-yaml").is_dir(),
                                      reason="needs node and `npm ci --prefix cms`")


def _write_with_the_cms(cases: list[dict]) -> list[str]:
    """What portal-cms.js's formats write for each case (fromFile, then the change, then toFile)."""
    import subprocess

    config = json.loads(json.dumps(_config()))
    done = subprocess.run(["node", str(NODE_FORMAT)], input=json.dumps({"config": config, "cases": cases}),
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


@formats_runnable
def test_reading_and_writing_back_any_content_file_changes_nothing():
    cases = [{"collection": "van-ban", "text": path.read_text(encoding="utf-8")}
             for path in sorted((SAMPLE_CONTENT / "documents").glob("*.md"))]
    cases += [{"collection": name, "text": (SAMPLE_CONTENT / f"{name}.yaml").read_text(encoding="utf-8")}
              for name in ("units", "topics", "commemorations")]
    assert _write_with_the_cms(cases) == [case["text"] for case in cases]


@formats_runnable
def test_what_the_cms_writes_is_in_the_portals_order_and_passes_check(tmp_path):
    from conftest import SAMPLE_TODAY
    from portal.pipeline import check_content

    seed = (SAMPLE_CONTENT / "documents" / "443-kh-tu-vung-tau-chu-de-lon-dai-hoi-xiv.md").read_text(encoding="utf-8")
    units = (SAMPLE_CONTENT / "units.yaml").read_text(encoding="utf-8")
    new_unit = {"id": "phong-vhtt-moi", "name": "Phòng Văn hóa mới", "short_name": "", "parent": None}
    created, edited, listed = _write_with_the_cms([
        # A new document as the form holds it: every key present, the empty ones empty, in any order.
        {"collection": "van-ban", "text": None, "change": {
            "body": "Nội dung.\n", "duties": [], "phases": [{"name": "Giai đoạn 1", "start": "01/03/2025",
                                                             "end": "", "summary": None}],
            "topics": ["dai-hoi-xiv"], "issued": "01/03/2025", "place": "", "issuer": "btv-thanh-uy-vung-tau",
            "title": "Kế hoạch thử: \"trích yếu\" có dấu ngoặc", "kind": "ke-hoach", "number": "",
            "title_inferred": False, "signer": {"name": "", "position": None}, "recipients": []}},
        {"collection": "van-ban", "text": seed, "change": {"title": "Trích yếu mới"}},
        {"collection": "units", "text": units, "change": {"999": new_unit}},
    ])
    assert created == ('---\nkind: ke-hoach\ntitle: "Kế hoạch thử: \\"trích yếu\\" có dấu ngoặc"\n'
                       "issuer: btv-thanh-uy-vung-tau\nissued: 01/03/2025\ntopics: [dai-hoi-xiv]\n"
                       'phases:\n  - {name: "Giai đoạn 1", start: 01/03/2025}\n---\n\nNội dung.\n')
    before, after = seed.splitlines(), edited.splitlines()
    assert len(before) == len(after)
    assert [(old, new) for old, new in zip(before, after, strict=True) if old != new] == [
        (next(line for line in before if line.startswith("title:")), 'title: "Trích yếu mới"')]
    assert listed.startswith(units.rstrip("\n")) and listed.endswith(
        '\n- id: phong-vhtt-moi\n  name: "Phòng Văn hóa mới"\n')
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    (content / "documents" / "ke-hoach-thu.md").write_text(created, encoding="utf-8")
    (content / "documents" / "443-kh-tu-vung-tau-chu-de-lon-dai-hoi-xiv.md").write_text(edited, encoding="utf-8")
    (content / "units.yaml").write_text(listed, encoding="utf-8")
    _, diagnostics = check_content(BuildOptions(content=content, out=tmp_path / "site", today=SAMPLE_TODAY))
    assert [d.code for d in diagnostics if d.is_error] == []


def test_the_data_files_are_editable_lists_of_their_models_items():
    from portal.content.models import Commemoration, Topic, Unit

    collections = _by_name(_config()["collections"])
    for name, model in (("units", Unit), ("topics", Topic), ("commemorations", Commemoration)):
        (only,) = collections[name]["files"]
        assert only["file"] == f"content/{name}.yaml" and collections[name]["format"] == f"portal-list-{name}"
        items = only["fields"][0]
        assert items["widget"] == "list" and [field["name"] for field in items["fields"]] == list(model.model_fields)
    unit = _by_name(collections["units"]["files"][0]["fields"][0]["fields"])
    assert unit["parent"]["widget"] == "select" and unit["id"]["pattern"][0] == "^[a-z0-9]+(?:-[a-z0-9]+)*$"
    commemoration = _by_name(collections["commemorations"]["files"][0]["fields"][0]["fields"])
    assert commemoration["calendar"]["options"] == [{"label": "dương lịch", "value": "solar"},
                                                    {"label": "âm lịch Việt Nam", "value": "lunar"}]
    assert commemoration["topics"]["multiple"]


def test_schema_cms_writes_the_config_the_build_publishes(tmp_path):
    import subprocess
    import sys

    content = _cms_content(tmp_path)
    target = tmp_path / "config.yml"
    done = subprocess.run([sys.executable, "build.py", "schema", "--out", str(tmp_path / "schema"), "--content",
                           str(content), "--front-matter", str(tmp_path / "fm.json"), "--cms", str(target)],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    config = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert config["backend"]["repo"] == "so-vhttdl/cong-tuyen-truyen"
    assert [field["name"] for field in config["collections"][0]["fields"]] == [*DocumentMeta.model_fields, "body"]
