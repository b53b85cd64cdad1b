"""The README's two first commands are the ones CI runs."""

from conftest import ROOT

# What CI may run between the README's install and test steps: lint and types, which the test
# command checks again (tests/test_lint.py).
LINT = ["python3 -m ruff check portal tests benchmarks build.py", "python3 -m mypy"]


def test_readme_starts_with_build_and_test_commands_that_ci_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    block = readme[readme.index("```sh") + 1: readme.index("```sh") + 3]
    assert block[0] == "python3 -m pip install -e . && python3 build.py build"
    install, _, test_command = block[1].partition(" && ")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert ci[-len(LINT) - 2:] == [install, *LINT, test_command]
