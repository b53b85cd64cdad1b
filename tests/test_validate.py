"""Validation: every mistake in a content folder reported at once, with file, line, field and fix."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT
from portal.content.validate import validate_content
from portal.load.files import load_content


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def test_invalid_fixture_gives_exactly_the_expected_report():
    """Golden error strings (like Zola's invalid-site fixtures): one line per injected mistake."""
    result = run_cli("check", "--content", "tests/fixtures/invalid")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    expected = (FIXTURES / "invalid" / "expected.txt").read_text(encoding="utf-8")
    assert result.stderr == expected


def test_every_error_line_names_file_line_field_and_fix():
    result = run_cli("check", "--content", "tests/fixtures/invalid")
    lines = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(lines) == 20
    codes = {line.split('[', 1)[1].split(']', 1)[0] for line in lines}
    assert len(codes) >= 17  # different kinds of mistakes, one message each
    for line in lines:
        location, _, rest = line.partition(": error: ")
        path, line_number = re.match(r"^(.*?):(\d+)(?::\d+)?$", location).groups()
        assert Path(ROOT / path).is_file() and int(line_number) >= 1
        assert " — " in rest, line  # every error carries a hint


def test_sample_content_has_no_errors_and_only_faithful_warnings():
    result = run_cli("check")
    assert result.returncode == 0, result.stderr
    # The seeds name phases without an end ("đến Đại hội XIV", "các năm tiếp theo"): warnings, not invented dates.
    warnings = [line for line in result.stderr.splitlines() if ": warning: " in line]
    assert warnings and all("[phase-open]" in line for line in warnings)
    assert result.stderr.strip().endswith("Nội dung hợp lệ.")


def _copy(tmp_path: Path, source: Path = FIXTURES / "mini") -> Path:
    target = tmp_path / "content"
    shutil.copytree(source, target)
    return target


def _codes(content: Path) -> list[tuple[str, int, str]]:
    _, diagnostics = validate_content(load_content(content, cwd=content))
    return [(d.path, d.line, d.code) for d in diagnostics if d.is_error]


def test_implements_itself_is_an_error(tmp_path):
    content = _copy(tmp_path)
    path = content / "documents" / "ke-hoach-huyen.md"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "number: 10-KH/TU, kind: ke-hoach, issuer: tinh-uy", "number: 25-KH/HU, kind: ke-hoach, issuer: huyen-uy"),
                    encoding="utf-8")
    assert _codes(content) == [("documents/ke-hoach-huyen.md", 9, "implements-self")]


def test_bad_file_names_and_non_utf8_files(tmp_path):
    content = _copy(tmp_path)
    (content / "documents" / "Kế Hoạch Mới.md").write_bytes(
        (content / "documents" / "cong-van-du-thao.md").read_bytes().replace(b"/PVH-TT", b"/PVH-TT2"))
    (content / "documents" / "latin1.md").write_bytes("---\ntitle: Tuy\xean\n---\n".encode("latin-1"))
    assert sorted(_codes(content)) == [("documents/Kế Hoạch Mới.md", 0, "bad-slug"),
                                       ("documents/latin1.md", 2, "not-utf8")]


def test_nfd_text_is_normalised_to_nfc(tmp_path):
    content = _copy(tmp_path)
    import unicodedata
    path = content / "documents" / "ke-hoach-huyen.md"
    path.write_text(unicodedata.normalize("NFD", path.read_text(encoding="utf-8")), encoding="utf-8")
    site, diagnostics = validate_content(load_content(content, cwd=content))
    assert site is not None
    title = next(d for d in site.documents if d.slug == "ke-hoach-huyen").meta.title
    assert title == unicodedata.normalize("NFC", title)


@pytest.mark.parametrize("front, code, field", [
    ("recipients: phong-van-hoa", "tuple-type", "recipients"),
    ("issued_year: hai nghìn", "int-parsing", "issued_year"),
    ("kind: ke-hoach-2", "enum", "kind"),
    ("signer: {name: A, chuc_vu: B}", "extra-forbidden", "signer.chuc_vu"),
])
def test_type_errors_name_the_field(tmp_path, front, code, field):
    content = _copy(tmp_path)
    path = content / "documents" / "cong-van-du-thao.md"
    key = front.split(":")[0]
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith(key + ":")]
    lines.insert(1, front)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, diagnostics = validate_content(load_content(content, cwd=content))
    errors = [(d.line, d.code, d.field) for d in diagnostics if d.is_error]
    assert errors == [(2, code, field)]


def _write_doc(content: Path, name: str, front: str, body: str = "Nội dung.\n") -> Path:
    path = content / "documents" / f"{name}.md"
    path.write_text(f"---\n{front}\n---\n{body}", encoding="utf-8")
    return path


def _errors(content: Path) -> list[tuple[str, int, str, str]]:
    _, diagnostics = validate_content(load_content(content, cwd=content))
    return sorted((d.path, d.line, d.code, d.field) for d in diagnostics if d.is_error)


def test_numeric_ids_are_errors_not_crashes(tmp_path):
    content = _copy(tmp_path)
    _write_doc(content, "so", "kind: ke-hoach\ntitle: A\nissuer: 123\nrecipients: [2024]\ntopics: [dai-hoi]")
    assert _errors(content) == [("documents/so.md", 4, "id-type", "issuer"),
                                ("documents/so.md", 5, "id-type", "recipients[0]")]


def test_same_number_from_another_issuer_is_not_a_duplicate_nor_self(tmp_path):
    content = _copy(tmp_path)
    _write_doc(content, "khac-tinh", "number: 10-KH/TU\nkind: ke-hoach\ntitle: Cùng số, khác cơ quan\n"
               "issuer: phong-van-hoa\ntopics: [dai-hoi]\n"
               "implements:\n  - {number: 10-KH/TU, issuer: tinh-uy}")
    assert _errors(content) == []
    _write_doc(content, "trung",
               "number: '10-kh/tu'\nkind: thong-bao\ntitle: Trùng số\nissuer: tinh-uy\ntopics: [dai-hoi]")
    assert _errors(content) == [("documents/trung.md", 2, "duplicate-number", "number")]


def test_unit_file_with_a_yaml_error_does_not_cascade(tmp_path):
    content = _copy(tmp_path)
    (content / "units.yaml").write_text('- id: tinh-uy\n  name: "Ban Thường vụ\n', encoding="utf-8")
    assert [code for _, _, code, _ in _errors(content)] == ["yaml-syntax"]


def test_typo_in_a_key_is_one_error_and_tags_are_reported_once(tmp_path):
    content = _copy(tmp_path)
    _write_doc(content, "typo", "kind: ke-hoach\ntitel: A\nissuer: tinh-uy\ntopics: [dai-hoi]\n"
               "summary: !!python/object:os.system x")
    assert [(line, code) for _, line, code, _ in _errors(content)] == [(3, "extra-forbidden"), (6, "yaml-tag")]


def test_issued_year_mismatch_is_reported_with_other_errors(tmp_path):
    content = _copy(tmp_path)
    _write_doc(content, "nam-lech", "kind: ke-hoach\ntitle: A\nissuer: tinh-uy\ntopics: [dai-hoi]\n"
               "issued: 05/03/2024\nissued_year: 2023\nplace: [a, b]")
    assert [code for _, _, code, _ in _errors(content)] == ["year-mismatch", "string-type"]


def test_a_document_cannot_take_the_name_of_a_listing_folder(tmp_path):
    content = _copy(tmp_path)
    for name in ("trang", "loai", "nam"):
        _write_doc(content, name, "kind: ke-hoach\ntitle: A\nissuer: tinh-uy\ntopics: [dai-hoi]")
    assert sorted(_errors(content)) == [(f"documents/{name}.md", 0, "reserved-name", "")
                                        for name in ("loai", "nam", "trang")]


def test_remote_images_are_refused(tmp_path):
    content = _copy(tmp_path)
    _write_doc(content, "anh", "kind: ke-hoach\ntitle: A\nissuer: tinh-uy\ntopics: [dai-hoi]",
               "Đoạn một.\n\n![ảnh](https://cdn.example.com/a.png)\n")
    assert _errors(content) == [("documents/anh.md", 9, "remote-image", "")]


def test_lunar_30th_of_the_second_month_is_valid(tmp_path):
    content = _copy(tmp_path)
    path = content / "commemorations.yaml"
    path.write_text(path.read_text(encoding="utf-8") + '- id: ram\n  name: Lễ\n  date: "30/02"\n  calendar: lunar\n'
                    '- id: sai\n  name: Sai\n  date: "31/02"\n  calendar: lunar\n', encoding="utf-8")
    assert [(line, code) for _, line, code, _ in _errors(content)] == [(21, "bad-date")]
