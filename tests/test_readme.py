"""The README's two first commands are the ones CI runs."""

from conftest import ROOT


def test_readme_starts_with_build_and_test_commands_that_ci_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    block = readme[readme.index("```sh") + 1: readme.index("```sh") + 3]
    assert block[0] == "python3 -m pip install -e . && python3 build.py build"
    install, _, test_command = block[1].partition(" && ")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert ci[-2:] == [install, test_command]
