"""The registry of diagnostic codes and the editors' guide say the same: every code is explained
in the guide's table, as an error or a warning as the registry has it, and its section exists."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT
from portal.diagnostics import CODES, Diagnostic, Severity, report

GUIDE = (ROOT / "docs" / "huong-dan-bien-tap.md").read_text(encoding="utf-8")
TABLE = GUIDE.split("## 7. Mã lỗi và cách sửa", 1)[1].split("\n## ", 1)[0]
SECTIONS = set(re.findall(r"^#{2,3} (\d+(?:\.\d+)?)\. ", GUIDE, re.M))
VIETNAMESE = re.compile(r"[ăâđêôơưàáảãạầấẩẫậằắẳẵặèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.I)


def _rows() -> dict[str, str]:
    """code -> the table row that explains it."""
    rows = {}
    for line in TABLE.splitlines():
        if line.startswith("| ") and not line.startswith("| mã"):
            for code in re.findall(r"`([a-z0-9-]+)`", line.split("|")[1]):
                rows[code] = line
    return rows


def test_every_registered_code_is_in_the_guide_table_with_its_severity():
    rows = _rows()
    missing = sorted(code for code in CODES if code not in rows)
    assert missing == []
    wrong = sorted(code for code, entry in CODES.items()
                   if (entry.severity is Severity.WARNING) != rows[code].split("|")[1].strip().startswith("cảnh báo"))
    assert wrong == []


def test_the_guide_table_explains_no_code_the_portal_cannot_emit():
    assert sorted(code for code in _rows() if code not in CODES) == []


@pytest.mark.parametrize("code", sorted(CODES))
def test_each_code_names_an_existing_section_and_speaks_vietnamese(code):
    entry = CODES[code]
    assert entry.section in SECTIONS, f"{code}: no section {entry.section} in the guide"
    if "{detail}" not in entry.message:  # a template of its own, not a message made by the check
        assert VIETNAMESE.search(entry.message), entry.message


def test_a_code_outside_the_registry_cannot_be_made():
    with pytest.raises(KeyError):
        Diagnostic("x.md", 1, 1, "made-up-code", "…")
    with pytest.raises(KeyError):
        report("unknown-unit", "x.md", 1, 1)  # a value its message needs is missing
    assert report("unknown-unit", "x.md", 3, 5, value="abc").format() == \
        "x.md:3:5: error: [unknown-unit] không có đơn vị nào mang mã `abc` — " \
        "thêm `abc` vào `units.yaml` hoặc dùng một mã đã có ở đó"


def test_codes_of_the_invalid_fixture_are_in_the_guide():
    expected = (ROOT / "tests" / "fixtures" / "invalid" / "expected.txt").read_text(encoding="utf-8")
    for code in set(re.findall(r"\[([a-z][a-z0-9-]*)\]", expected)):
        assert code in CODES and f"`{code}`" in TABLE, code
