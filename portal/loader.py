"""Stage 1: read the content folder into raw data with source maps. Nothing is interpreted here.

Every file is read as strict UTF-8, normalised to NFC (editors' tools save Vietnamese in NFC or
NFD; both must mean the same), and given LF line endings.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostic, Severity, display_path
from .yamlsource import SourceMap, load_yaml

DATA_FILES = ("site.yaml", "units.yaml", "topics.yaml", "commemorations.yaml")
DOCUMENTS_DIR = "documents"
FRONT_MATTER_FENCE = "---"


@dataclass(frozen=True)
class RawFile:
    path: str  # display path
    data: Any
    source_map: SourceMap
    body: str = ""
    body_line: int = 0
    slug: str = ""
    failed: bool = False  # the YAML could not be read (the problem is already reported)
    bad_paths: frozenset = frozenset()  # values the YAML stage already reported (tags, aliases)


@dataclass
class RawContent:
    root: Path
    data_files: dict[str, RawFile] = field(default_factory=dict)  # by file name
    documents: list[RawFile] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def read_text(path: Path, shown: str) -> tuple[str | None, list[Diagnostic]]:
    """Strict UTF-8 text, NFC, LF; a diagnostic with the line of the first bad byte otherwise."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        return None, [Diagnostic(shown, 0, 0, "unreadable", f"không đọc được tệp: {error.strerror}",
                                 "kiểm tra quyền đọc tệp")]
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a BOM is harmless; some Windows editors add it
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, [Diagnostic(shown, line, 0, "not-utf8",
                                 "tệp không được lưu bằng mã UTF-8",
                                 "mở tệp và lưu lại với bảng mã UTF-8")]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text), []


def split_front_matter(text: str, shown: str) -> tuple[str | None, int, str, int, list[Diagnostic]]:
    """(front matter, its first line, body, body's first line, diagnostics)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != FRONT_MATTER_FENCE:
        return None, 0, text, 1, [Diagnostic(
            shown, 1, 1, "no-front-matter", "thiếu phần thông tin đầu văn bản (front matter)",
            "dòng đầu tiên của tệp phải là `---`, tiếp theo là các trường như `kind:`, `title:`, "
            "rồi một dòng `---` nữa trước nội dung")]
    for index in range(1, len(lines)):
        if lines[index].strip() == FRONT_MATTER_FENCE:
            front = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1:])
            return front, 2, body, index + 2, []
    return None, 0, text, 1, [Diagnostic(
        shown, 1, 1, "unclosed-front-matter", "phần thông tin đầu văn bản không có dòng `---` kết thúc",
        "thêm một dòng chỉ gồm `---` sau trường cuối cùng")]


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except ValueError:
        return False


def load_content(root: Path, cwd: Path | None = None) -> RawContent:
    cwd = cwd or Path.cwd()
    content = RawContent(root=root)
    if not root.is_dir():
        content.diagnostics.append(Diagnostic(
            display_path(root, cwd), 0, 0, "no-content", "không tìm thấy thư mục nội dung",
            "chạy lệnh từ thư mục dự án hoặc chỉ rõ `--content THƯ_MỤC`"))
        return content

    for name in DATA_FILES:
        path = root / name
        shown = display_path(path, cwd)
        if not path.is_file():
            content.diagnostics.append(Diagnostic(
                shown, 0, 0, "missing-file", f"thiếu tệp `{name}`",
                f"tạo tệp `{name}` trong thư mục nội dung (xem hướng dẫn biên tập)"))
            continue
        text = _read_content_file(path, root, shown, content.diagnostics)
        if text is None:
            continue
        result = load_yaml(text, shown)
        content.diagnostics.extend(result.diagnostics)
        content.data_files[name] = RawFile(shown, result.data, result.source_map,
                                           failed=result.data is None and bool(result.diagnostics),
                                           bad_paths=frozenset(result.bad_paths))

    documents_dir = root / DOCUMENTS_DIR
    if not documents_dir.is_dir():
        return content
    for path in sorted(documents_dir.iterdir()):
        shown = display_path(path, cwd)
        if path.name.startswith("."):
            continue
        if path.suffix != ".md" or not path.is_file():
            content.diagnostics.append(Diagnostic(
                shown, 0, 0, "stray-file", "tệp này không phải văn bản `.md` nên bị bỏ qua",
                "đổi đuôi thành `.md` hoặc chuyển tệp ra khỏi thư mục `documents/`",
                severity=Severity.WARNING))
            continue
        text = _read_content_file(path, root, shown, content.diagnostics)
        if text is None:
            continue
        front, front_line, body, body_line, problems = split_front_matter(text, shown)
        content.diagnostics.extend(problems)
        if front is None:
            continue
        result = load_yaml(front, shown, line_offset=front_line - 1)
        content.diagnostics.extend(result.diagnostics)
        if result.data is None and result.diagnostics:
            continue  # a YAML error is reported once, not again as "empty front matter"
        content.documents.append(RawFile(shown, result.data, result.source_map, body, body_line, slug=path.stem,
                                         bad_paths=frozenset(result.bad_paths)))
    return content


def _read_content_file(path: Path, root: Path, shown: str, diagnostics: list[Diagnostic]) -> str | None:
    """The file's text, unless it is a link leading outside the content folder or unreadable."""
    if not _inside(path, root):
        diagnostics.append(Diagnostic(shown, 0, 0, "outside-content", "tệp là liên kết trỏ ra ngoài thư mục nội dung",
                                      "thay liên kết bằng một bản sao của tệp"))
        return None
    text, problems = read_text(path, shown)
    diagnostics.extend(problems)
    return text
