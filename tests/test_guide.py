"""Every diagnostic code the portal can print is explained in the editors' guide."""

from __future__ import annotations

import re

from conftest import ROOT
from portal.content.validate import _TYPE_MESSAGES

GUIDE = (ROOT / "docs" / "huong-dan-bien-tap.md").read_text(encoding="utf-8")


def _codes_in_source() -> set[str]:
    codes: set[str] = set()
    for path in (ROOT / "portal").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        codes |= set(re.findall(r'Diagnostic\(\s*[^,()]+,\s*[^,()]+,\s*[^,()]+,\s*"([a-z0-9-]+)"', text, re.S))
        codes |= {name.replace("_", "-") for name in re.findall(r'PydanticCustomError\(\s*"([a-z_]+)"', text)}
    codes |= {name.replace("_", "-") for name in _TYPE_MESSAGES}
    codes |= {"missing", "extra-forbidden", "enum", "literal-error", "greater-than-equal", "less-than-equal"}
    return codes


def test_every_code_is_in_the_guide():
    codes = _codes_in_source()
    assert len(codes) > 35
    missing = sorted(code for code in codes if f"`{code}`" not in GUIDE)
    assert missing == []


def test_codes_of_the_invalid_fixture_are_in_the_guide():
    expected = (ROOT / "tests" / "fixtures" / "invalid" / "expected.txt").read_text(encoding="utf-8")
    for code in set(re.findall(r"\[([a-z][a-z0-9-]*)\]", expected)):
        assert f"`{code}`" in GUIDE, code
