"""Hostile content (issue 8, item 1): every case ends in a clear `path:line` error or in safe
output, never in a traceback, a hang or a half-written site/.

Each test copies tests/fixtures/mini to tmp_path/content, next to a copy of its built site in
tmp_path/site, adds one hostile file or edit and runs `build` from tmp_path: in process through
`portal.cli.main`, or as a subprocess with a timeout where a regression would hang or crash the
interpreter (alias bombs, deep nesting, a 50 MB file). Refused content must leave site/ exactly as
it was; accepted content must give a complete site in which nothing can run script.

The protection each test guards is named in its docstring.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT
from icslint import lint_feed
from portal.cli import main
from portal.content.slugs import slugify
from portal.load.chars import FORBIDDEN
from portal.render.search import shard_of

TODAY = "2025-01-15"
BASE_PATH = "/cong/"  # base_url of the mini fixture
NOT_UTF8 = "tệp không được lưu bằng mã UTF-8 — mở tệp và lưu lại với bảng mã UTF-8"
ID_HINT = "chỉ dùng chữ thường không dấu, chữ số và dấu gạch ngang, ví dụ `ban-tuyen-giao-tinh-uy`"
CONTROL_HINT = ("xóa ký tự này (thường lẫn vào khi chép từ phần mềm khác); trong chuỗi YAML cũng không dùng "
                "`\\0`, `\\a`, `\\e`, `\\x..`")
INVISIBLE_HINT = ("xóa ký tự này: nó không hiện ra nhưng làm sai tìm kiếm, số văn bản hoặc thứ tự chữ "
                  "(thường lẫn vào khi chép từ Word hoặc trang web)")
TOO_DEEP = ("error: [yaml-too-deep] cấu trúc YAML lồng nhau quá 32 cấp — giảm số cấp lồng nhau; nội dung chỉ cần "
            "vài cấp (ví dụ `duties` → `tasks`)")


# --- the project in tmp_path ------------------------------------------------------------------------

def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@dataclass
class Project:
    root: Path
    site_before: dict[str, str]

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def site(self) -> Path:
        return self.root / "site"

    def doc(self, name: str, front: str, body: str = "Nội dung.\n") -> Path:
        """documents/<name>.md; its front matter starts on line 2."""
        path = self.content / "documents" / f"{name}.md"
        path.write_text(f"---\n{front}\n---\n{body}", encoding="utf-8")
        return path

    def leftovers(self) -> list[str]:
        return sorted(p.name for p in self.root.iterdir() if p.name.startswith(".site.tmp"))


@pytest.fixture
def project(tmp_path, monkeypatch, mini_site) -> Project:
    shutil.copytree(FIXTURES / "mini", tmp_path / "content")
    shutil.copytree(mini_site, tmp_path / "site")
    monkeypatch.chdir(tmp_path)
    return Project(tmp_path, tree(tmp_path / "site"))


def build(capsys, command: str = "build") -> tuple[int, str]:
    args = [command, "--content", "content", "--today", TODAY] + (["--out", "site"] if command == "build" else [])
    code = main(args)
    return code, capsys.readouterr().err


def build_process(project: Project, timeout: float, command: str = "build") -> tuple[int, str]:
    """`build.py` in a child process: a regression may hang (killed at `timeout`) or crash it."""
    args = [command, "--content", "content", "--today", TODAY] + (["--out", "site"] if command == "build" else [])
    try:
        result = subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=project.root,
                                capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        pytest.fail(f"`{command}` did not finish within {timeout} s")
    return result.returncode, result.stderr


def errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ": error: " in line]


def assert_refused(project: Project, code: int, stderr: str, expected: list[str]) -> None:
    """Exit 1 with exactly these error lines, and site/ exactly as before."""
    assert "Traceback" not in stderr and "lỗi nội bộ" not in stderr, stderr
    assert errors(stderr) == expected
    assert code == 1
    assert tree(project.site) == project.site_before
    assert project.leftovers() == []


# --- what "safe output" means --------------------------------------------------------------------

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "srcset", "poster", "data", "cite", "background",
                  "xlink:href", "ping", "manifest", "icon", "srcdoc"}
ACTIVE_TAGS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "svg", "math", "style", "link"}
SAFE_LINKS = {"stylesheet", "alternate", "icon", "canonical", "next", "prev"}


class ActiveContent(HTMLParser):
    """Everything in a page that could run script or load from elsewhere: <script> other than the
    site's own files and JSON data (JSON-LD, the build day for today.js), frames and plugins, event
    handlers, script URLs."""

    def __init__(self, base_path: str = BASE_PATH) -> None:
        super().__init__(convert_charrefs=True)
        self.base_path = base_path
        self.problems: list[str] = []
        self.text: list[str] = []
        self._script: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name in URL_ATTRIBUTES and value is not None:
                compact = re.sub(r"[\x00-\x20]", "", value).lower()  # what browsers ignore in a scheme
                if re.match(r"^(javascript|vbscript|data|file|livescript|mocha):", compact):
                    self.problems.append(f"<{tag} {name}={value!r}>")
            if name == "style" and value and re.search(r"javascript:|expression\(|url\(", value, re.I):
                self.problems.append(f"<{tag} style={value!r}>")
        if tag == "link" and attributes.get("rel") in SAFE_LINKS and not attributes.get("href", "").startswith("//"):
            pass
        elif tag in ACTIVE_TAGS:
            self.problems.append(f"<{tag}>")
        if tag == "meta" and (attributes.get("http-equiv") or "").lower() == "refresh":
            self.problems.append("<meta http-equiv=refresh>")
        if tag == "script":
            src = attributes.get("src")
            if src is None and attributes.get("type") in ("application/ld+json", "application/json"):
                self._script = []
            elif src is None or not src.startswith(f"{self.base_path}static/"):
                self.problems.append(f"<script {attributes}>")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        (self._script if self._script is not None else self.text).append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            json.loads("".join(self._script))  # JSON-LD stays data: the whole element is one JSON value
            self._script = None


def scan(page: Path) -> ActiveContent:
    scanner = ActiveContent()
    scanner.feed(page.read_text(encoding="utf-8"))
    scanner.close()
    return scanner


def assert_built_safely(project: Project, code: int, stderr: str) -> dict[str, str]:
    """A complete site (every feed well-formed, every search file JSON) where no page can run
    anything but the site's own scripts. Returns each page's visible text."""
    assert "Traceback" not in stderr and "lỗi nội bộ" not in stderr, stderr
    assert code == 0, stderr
    site = project.site
    assert (site / ".portal-site").is_file() and (site / "index.html").is_file() and (site / "404.html").is_file()
    assert project.leftovers() == []
    texts = {}
    for page in sorted(site.rglob("*.html")):
        scanner = scan(page)
        assert scanner.problems == [], f"{page.relative_to(site)}: {scanner.problems}"
        texts[page.relative_to(site).as_posix()] = " ".join("".join(scanner.text).split())
    for feed in [*site.rglob("*.xml")]:
        ElementTree.parse(feed)
    for feed in site.rglob("*.ics"):
        assert lint_feed(feed.read_bytes()) == [], feed
    for data in (site / "tim-kiem").rglob("*.json"):
        json.loads(data.read_text(encoding="utf-8"))
    return texts


def test_the_scanner_sees_what_it_must_refuse():
    """The checker itself: each of these is active content."""
    page = ('<script>alert(1)</script><script src="https://x.example/a.js"></script><img src=x onerror=a()>'
            '<a href=" JaVa\tScRiPt:alert(1)">x</a><iframe src="/"></iframe><a href="data:text/html,x">d</a>'
            '<meta http-equiv="refresh" content="0;url=javascript:x"><svg onload=x>')
    scanner = ActiveContent()
    scanner.feed(page)
    assert len(scanner.problems) == 9
    with pytest.raises(json.JSONDecodeError):
        ActiveContent().feed('<script type="application/ld+json">{"a": "</script><script>alert(1)</script>')


# --- 1. raw HTML ----------------------------------------------------------------------------------

HOSTILE_HTML = [
    '<script>alert("x")</script>',
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "' onmouseover='alert(1)",
    "</script><script>alert(1)</script>",
    '<iframe src="https://evil.example/"></iframe>',
    '<a href="javascript:alert(1)">x</a>',
    "<style>body{background:url(javascript:alert(1))}</style>",
]
PAYLOAD = " ".join(HOSTILE_HTML)


def test_raw_html_in_markdown_is_shown_as_text(project, capsys):
    """Protection: Markdown with raw HTML off (portal/markdown.py, `html: False`)."""
    body = "\n\n".join([
        *HOSTILE_HTML,
        f"Trong đoạn văn {HOSTILE_HTML[1]} và <b onmouseover=alert(2)>đậm</b>.",
        f"## Tiêu đề {HOSTILE_HTML[0]}",
        f"- mục {HOSTILE_HTML[5]}",
        f"| a | b |\n|---|---|\n| {HOSTILE_HTML[1]} | <object data=x></object> |",
        "<!-- chú thích --><div onclick=alert(3)>khối</div>",
        '[liên kết](https://example.org "t\\" onclick=\\"alert(4)")',
    ]) + "\n"
    project.doc("html", "kind: ke-hoach\ntitle: Mã HTML trong toàn văn\nissuer: tinh-uy\ntopics: [dai-hoi]", body)
    texts = assert_built_safely(project, *build(capsys))
    page = texts["van-ban/html/index.html"]
    for hostile in HOSTILE_HTML:
        assert hostile in page  # shown to readers as the editor typed it
    assert "<div onclick=alert(3)>khối</div>" in page


def _yaml(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted string


def test_html_in_front_matter_and_data_files_is_escaped_everywhere(project, capsys):
    """Protection: Jinja autoescape (portal/render.py), `tojson` for JSON-LD, XML escaping in the
    Atom feed (feedgen), Markdown rules for inline fields (duty tasks)."""
    p = _yaml(PAYLOAD)
    with (project.content / "units.yaml").open("a", encoding="utf-8") as units:
        units.write(f"- id: doc-hai\n  name: {_yaml('Ban ' + PAYLOAD)}\n  short_name: {p}\n  description: {p}\n")
    with (project.content / "topics.yaml").open("a", encoding="utf-8") as topics:
        topics.write(f"- id: doc-hai\n  name: {_yaml('Chủ đề ' + PAYLOAD)}\n  description: {p}\n")
    with (project.content / "commemorations.yaml").open("a", encoding="utf-8") as days:
        days.write(f'- id: doc-hai\n  name: {_yaml("Ngày " + PAYLOAD)}\n  date: "20/01"\n  year: 2000\n'
                   f"  topics: [doc-hai]\n  description: {p}\n")
    site_yaml = project.content / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8")
                         .replace("title: Cổng thử nghiệm", f"title: {_yaml('Cổng ' + PAYLOAD)}")
                         .replace("description: Nội dung nhỏ dùng cho kiểm thử.", f"description: {p}"),
                         encoding="utf-8")
    project.doc("doc-hai", f"""number: 7-KH/TU
kind: ke-hoach
title: {_yaml('Kế hoạch ' + PAYLOAD)}
issuer: doc-hai
place: {p}
issued: 10/01/2025
summary: {p}
signer: {{name: {p}, position: {p}, on_behalf: {p}}}
recipients: [tinh-uy]
distribution: [{p}]
implements:
  - {{number: 10-KH/TU, issuer: tinh-uy, title: {p}}}
topics: [doc-hai]
commemorations: [doc-hai]
phases:
  - {{name: {p}, start: 01/01/2025, end: 31/03/2025, summary: {p}}}
duties:
  - {{unit: doc-hai, tasks: [{p}, "[x](javascript:alert(1))"], deadline: 20/01/2025}}""")
    texts = assert_built_safely(project, *build(capsys))
    page = texts["van-ban/doc-hai/index.html"]
    assert page.count(HOSTILE_HTML[0]) >= 5  # title, summary, signer, distribution, tasks… all shown as text
    assert HOSTILE_HTML[0] in texts["don-vi/doc-hai/index.html"]
    assert HOSTILE_HTML[0] in texts["chu-de/doc-hai/index.html"]
    atom = ElementTree.parse(project.site / "feed.xml").getroot()
    titles = [e.text for e in atom.iter("{http://www.w3.org/2005/Atom}title")]
    assert any(PAYLOAD in (t or "") for t in titles)


# --- 2. script URLs --------------------------------------------------------------------------------

UNSAFE_LINKS = {
    "javascript": "[a](javascript:alert(1))",
    "javascript-mixed-case": "[a](JaVaScRiPt:alert(1))",
    "javascript-entity": "[a](&#106;avascript&#58;alert(1))",
    "javascript-spaces": "[a](<  javascript:alert(1)>)",
    "javascript-tab": "[a](<java\tscript:alert(1)>)",
    "javascript-autolink": "<javascript:alert(1)>",
    "javascript-reference": "[a][r]\n\n[r]: javascript:alert(1)",
    "vbscript": "[a](vbscript:msgbox(1))",
    "data-html": "[a](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "data-svg-link": "[a](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "file": "[a](file:///etc/passwd)",
    "image-javascript": "![a](javascript:alert(1))",
    "image-vbscript": "![a](vbscript:msgbox(1))",
    "image-data-svg": "![a](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
}


@pytest.mark.parametrize("markdown", UNSAFE_LINKS.values(), ids=UNSAFE_LINKS.keys())
def test_script_urls_in_markdown_never_become_links(project, capsys, markdown):
    """Protection: markdown-it's `validateLink` (portal/markdown.py keeps the default), in the body
    and in duty tasks (inline Markdown)."""
    task = _yaml(markdown.split("\n")[0])
    project.doc("lien-ket", "kind: ke-hoach\ntitle: Liên kết\nissuer: tinh-uy\ntopics: [dai-hoi]\n"
                f"duties:\n  - {{unit: huyen-uy, tasks: [{task}]}}", f"Đoạn đầu.\n\n{markdown}\n")
    code, stderr = build(capsys)
    if code == 1 and errors(stderr) and all("[relative-link]" in line for line in errors(stderr)):
        # markdown-it made the unsafe scheme a harmless relative path ("java%09script:…"), which
        # check then refuses as a relative link: nothing is published, which is safe too.
        assert tree(project.site) == project.site_before
        return
    texts = assert_built_safely(project, code, stderr)
    assert "Đoạn đầu." in texts["van-ban/lien-ket/index.html"]


def test_data_images_are_refused_like_remote_ones(project, capsys):
    """Protection: `remote-image` (portal/validate.py `_check_body`): the data: images markdown-it
    allows (png, gif, jpeg, webp) are refused like any image with a scheme."""
    project.doc("anh", "kind: ke-hoach\ntitle: Ảnh\nissuer: tinh-uy\ntopics: [dai-hoi]",
                "Đoạn đầu.\n\n![a](data:image/png;base64,iVBORw0KGgo=)\n")
    assert_refused(project, *build(capsys), [
        "content/documents/anh.md:9:6: error: [remote-image] ảnh `data:image/png;base64,iVBORw0KGgo=` lấy từ trang "
        "ngoài — cổng không tải gì từ bên thứ ba; bỏ ảnh hoặc dùng ảnh trong trang"])


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>",
                                 "vbscript:msgbox(1)", "//evil.example/x"])
def test_script_urls_in_front_matter_are_errors(project, capsys, url):
    """Protection: `HttpUrl` (portal/models.py `_http_url`) for `source` and `base_url`."""
    with (project.content / "commemorations.yaml").open("a", encoding="utf-8") as days:
        days.write(f'- id: url\n  name: Ngày\n  date: "20/01"\n  source: {_yaml(url)}\n')
    assert_refused(project, *build(capsys), [
        f"content/commemorations.yaml:18:11: error: [bad-url] [3].source: `{url}` không phải là địa chỉ http(s) "
        "hợp lệ — ghi địa chỉ đầy đủ, bắt đầu bằng https://"])


# --- 3. slugs and ids ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["a..b", "x\\..\\..\\b", "C:\\x", "%2e%2e", "a b", "Ke-Hoach"])
def test_file_names_that_could_escape_are_refused(project, capsys, name):
    """Protection: file names must be ids (portal/validate.py `bad-slug`), so a page path is one
    plain folder under van-ban/."""
    path = project.doc(name, "kind: ke-hoach\ntitle: Tên tệp\nissuer: tinh-uy\ntopics: [dai-hoi]")
    shown = f"content/documents/{path.name}"
    assert_refused(project, *build(capsys), [
        f"{shown}: error: [bad-slug] tên tệp `{name}.md` không dùng được làm địa chỉ trang — đổi tên tệp thành "
        f"`{slugify(name) or 'van-ban'}.md` ({ID_HINT})"])


def test_hidden_files_are_not_documents(project, capsys):
    """`..md`, `...md` and other hidden names are skipped, never read as documents."""
    for name in ("..md", "...md", ".an.md"):
        (project.content / "documents" / name).write_text("---\nkind: x\n---\n", encoding="utf-8")
    code, stderr = build(capsys)
    assert code == 0 and errors(stderr) == []
    assert tree(project.site) == project.site_before


@pytest.mark.parametrize("name", ["con", "nul", "aux", "prn", "com1", "lpt9"])
def test_windows_device_names_are_refused_as_file_names(project, capsys, name):
    """Protection: `reserved-name` (portal/models.py `name_problem`, portal/validate.py)."""
    project.doc(name, "kind: ke-hoach\ntitle: Tên thiết bị\nissuer: tinh-uy\ntopics: [dai-hoi]")
    assert_refused(project, *build(capsys), [
        f"content/documents/{name}.md: error: [reserved-name] tên tệp `{name}` là tên thiết bị dành riêng của "
        f"Windows, không dùng được làm tên thư mục — đổi sang tên khác, ví dụ `{name}-1` hoặc một tên đầy đủ hơn"])


@pytest.mark.parametrize("unit_id", ["../../etc", "/etc/passwd", "..\\..\\windows", "C:\\dir", "a/../b", "~root"])
def test_ids_that_could_escape_are_refused(project, capsys, unit_id):
    """Protection: ids match `ID_PATTERN` (portal/models.py `_id`), in declarations and references."""
    with (project.content / "units.yaml").open("a", encoding="utf-8") as units:
        units.write(f"- id: {_yaml(unit_id)}\n  name: Đơn vị\n")
    project.doc("tham-chieu", f"kind: ke-hoach\ntitle: Tham chiếu\nissuer: {_yaml(unit_id)}\ntopics: [dai-hoi]")
    assert_refused(project, *build(capsys), [
        f"content/documents/tham-chieu.md:4:9: error: [bad-id] issuer: `{unit_id}` không phải là mã hợp lệ — {ID_HINT}",
        f"content/units.yaml:10:7: error: [bad-id] [3].id: `{unit_id}` không phải là mã hợp lệ — {ID_HINT}"])


@pytest.mark.parametrize("unit_id", ["con", "nul", "com3", "lpt1"])
def test_windows_device_names_are_refused_as_ids(project, capsys, unit_id):
    """Protection: `reserved-name` (portal/models.py `_id`)."""
    with (project.content / "units.yaml").open("a", encoding="utf-8") as units:
        units.write(f"- id: {unit_id}\n  name: Đơn vị\n  parent: tinh-uy\n")
    assert_refused(project, *build(capsys), [
        f"content/units.yaml:10:7: error: [reserved-name] [3].id: `{unit_id}` là tên thiết bị dành riêng của Windows, "
        f"không dùng được làm tên thư mục — đổi sang tên khác, ví dụ `{unit_id}-1` hoặc một tên đầy đủ hơn"])


def test_overlong_ids_and_file_names_are_refused(project, capsys):
    """Protection: `too-long` (portal/models.py `ID_MAX_LENGTH`): a 300-character id would be a
    folder name longer than file systems allow (a write error, not a diagnostic)."""
    long_id = "-".join(["don-vi"] * 43)[:300].strip("-")
    with (project.content / "topics.yaml").open("a", encoding="utf-8") as topics:
        topics.write(f"- id: {long_id}\n  name: Chủ đề\n  description: Mô tả.\n")
    project.doc("a" * 101, f"kind: ke-hoach\ntitle: Dài\nissuer: tinh-uy\ntopics: [{long_id}]")
    assert_refused(project, *build(capsys), [
        f"content/documents/{'a' * 101}.md: error: [too-long] tên tệp `{'a' * 30}…` dài 101 ký tự, quá giới hạn 100 "
        "— đặt mã ngắn gọn, ví dụ `ban-tuyen-giao-tinh-uy`",
        f"content/documents/{'a' * 101}.md:5:10: error: [too-long] topics[0]: `{long_id[:30]}…` dài {len(long_id)} ký "
        "tự, quá giới hạn 100 — đặt mã ngắn gọn, ví dụ `ban-tuyen-giao-tinh-uy`",
        f"content/topics.yaml:7:7: error: [too-long] [2].id: `{long_id[:30]}…` dài {len(long_id)} ký tự, quá giới hạn "
        "100 — đặt mã ngắn gọn, ví dụ `ban-tuyen-giao-tinh-uy`"])


def test_import_slug_cannot_leave_the_documents_folder(project, capsys):
    """Protection: `import --slug` must be an id (portal/cli.py `_import`), like `new --slug`."""
    source = project.root / "van-ban.txt"
    source.write_text("KẾ HOẠCH\nTuyên truyền đại hội\n", encoding="utf-8")
    for command in (["import", str(source)], ["new", "ke-hoach", "--title", "Thử"]):
        for slug in ("../../thoat", "/tmp/thoat", "..\\thoat"):
            assert main([*command, "--slug", slug, "--content", "content"]) == 1
            assert "không dùng được làm tên tệp" in capsys.readouterr().err
    assert sorted(p.name for p in project.root.rglob("thoat*")) == []
    assert sorted(p.name for p in Path("/tmp").glob("thoat*")) == []


# --- 4. YAML features ----------------------------------------------------------------------------------

@pytest.mark.parametrize("value, col", [
    ("!!python/object/apply:os.system ['touch pwned']", 10),
    ("!!python/name:os.system", 10),
    ("!!python/object:portal.models.Site {}", 10),
    ("!!binary aGVsbG8=", 10),
    ("!!set {a, b}", 10),
    ("!!omap [a: 1]", 10),
    ("!thu-tu x", 10),
    ("!<tag:yaml.org,2002:python/object/new:os.system> [x]", 10),
])
def test_yaml_tags_are_refused(project, capsys, value, col):
    """Protection: only plain YAML tags are constructed (portal/yamlsource.py `_ALLOWED_TAGS`)."""
    project.doc("the", f"kind: ke-hoach\ntitle: Thẻ\nissuer: tinh-uy\ntopics: [dai-hoi]\nsummary: {value}")
    code, stderr = build(capsys)
    tag = re.sub(r"^!!", "tag:yaml.org,2002:", value.split(" ")[0]).strip("!<>")
    tag = tag if tag.startswith("tag:") else f"!{tag}"
    assert_refused(project, code, stderr, [
        f"content/documents/the.md:6:{col}: error: [yaml-tag] summary: thẻ YAML `{tag}` không được phép — bỏ thẻ "
        "bắt đầu bằng `!` và chỉ ghi giá trị"])
    assert not (project.root / "pwned").exists()


BILLION_LAUGHS = "\n".join(
    ['lol0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    + [f"lol{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 10)])


def test_billion_laughs_is_refused_without_expanding(project):
    """Protection: aliases are refused before anything is expanded (portal/yamlsource.py, the
    `seen` nodes); expanded, this is 10⁹ strings."""
    project.doc("bom", f"kind: ke-hoach\ntitle: Bom\nissuer: tinh-uy\ntopics: [dai-hoi]\n{BILLION_LAUGHS}")
    code, stderr = build_process(project, timeout=30)
    lines = errors(stderr)
    unknown = [line for line in lines if "[extra-forbidden]" in line]
    assert len(unknown) == 10 and unknown[0].startswith(
        "content/documents/bom.md:6:1: error: [extra-forbidden] lol0: trường `lol0` không có trong mẫu nội dung — ")
    # 9 aliases on each of the lines 7-15, each named by its list's line and its place in the list
    assert [line for line in lines if "[yaml-alias]" in line] == [
        f"content/documents/bom.md:{n + 6}:7: error: [yaml-alias] lol{n}[{i}]: không dùng neo/bí danh YAML (&, *) "
        "— viết lại giá trị đầy đủ thay cho bí danh" for n in range(1, 10) for i in range(9)]
    assert_refused(project, code, stderr, lines)


def test_merge_keys_are_refused(project, capsys):
    """Protection: keys must be plain strings (portal/yamlsource.py `yaml-key`): `<<: *anchor`
    would copy another mapping in."""
    project.doc("gop", "kind: ke-hoach\ntitle: Gộp\nissuer: tinh-uy\ntopics: [dai-hoi]\n"
                "signer: &nguoi {name: A}\nphases:\n  - {<<: *nguoi, name: B}")
    assert_refused(project, *build(capsys), [
        "content/documents/gop.md:8:6: error: [yaml-key] phases[0]: khóa phải là một chuỗi đơn giản — viết khóa "
        "dạng `ten_truong: gia_tri`"])


DEEP = 100_000


@pytest.mark.parametrize("where, text, line, col", [
    ("document", "summary: " + "[" * DEEP + "]" * DEEP, 6, 41),
    ("document-mappings", "summary: " + "{a: " * DEEP + "1" + "}" * DEEP, 6, 134),
    ("document-block-lists", "summary:\n" + "- " * DEEP + "x", 7, 63),
    ("units", "\n".join("  " * n + f"k{n}:" for n in range(1200)) + " x", 33, 65),
], ids=["flow-lists", "flow-mappings", "block-lists", "block-mappings-in-units"])
def test_very_deep_nesting_is_refused_quickly(project, where, text, line, col):
    """Protection: the nesting depth is measured on the parser's flat event stream before the
    recursive C composer runs (portal/yamlsource.py `_too_deep`): 100,000 levels crash it."""
    if where == "units":
        path = project.content / "units.yaml"
        path.write_text(text, encoding="utf-8")
        shown = "content/units.yaml"
    else:
        project.doc("sau", f"kind: ke-hoach\ntitle: Sâu\nissuer: tinh-uy\ntopics: [dai-hoi]\n{text}")
        shown = "content/documents/sau.md"
    code, stderr = build_process(project, timeout=30)
    assert code >= 0, f"killed by signal {-code}"
    assert_refused(project, code, stderr, [f"{shown}:{line}:{col}: {TOO_DEEP}"])


def test_moderately_deep_nesting_is_refused_where_it_goes_too_deep(project, capsys):
    """Protection: the depth limit while constructing values (portal/yamlsource.py `MAX_DEPTH`)."""
    project.doc("sau", "kind: ke-hoach\ntitle: Sâu\nissuer: tinh-uy\ntopics: [dai-hoi]\nsummary: "
                + "[" * 40 + "]" * 40)
    field = "summary" + "[0]" * 31  # the 33rd collection, counting the front matter's mapping
    assert_refused(project, *build(capsys), [
        f"content/documents/sau.md:6:41: {TOO_DEEP}".replace("] ", f"] {field}: ", 1)])


DUPLICATES = {
    "top-level": ("title: A\ntitle: B", 6, "title", 5),
    "quoted": ('"title": A\ntitle: B', 6, "title", 5),
    "nested": ("signer: {name: A, name: B}", 6, "signer.name", 6),
    "in-a-list": ("phases:\n  - name: A\n    name: B", 8, "phases[0].name", 7),
}


@pytest.mark.parametrize("front, line, field, first", DUPLICATES.values(), ids=DUPLICATES.keys())
def test_duplicate_keys_are_errors(project, capsys, front, line, field, first):
    """Protection: duplicate keys are refused, not last-wins (portal/yamlsource.py `duplicate-key`)."""
    base = "kind: ke-hoach\nissuer: tinh-uy\ntopics: [dai-hoi]\n"
    if not front.startswith(("title", '"title"')):
        base += "title: Trùng khóa\n"
    project.doc("trung", base + front)
    code, stderr = build(capsys)
    key = field.rpartition(".")[2].split("[")[0]
    (line_found,) = errors(stderr)
    assert re.match(rf"^content/documents/trung\.md:{line}:\d+: error: \[duplicate-key\] {re.escape(field)}: "
                    rf"khóa `{key}` bị lặp \(đã có ở dòng {first}\) — .*xóa một trong hai dòng$", line_found), \
        line_found
    assert_refused(project, code, stderr, [line_found])


def test_duplicate_keys_in_data_files_are_errors(project, capsys):
    units = project.content / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace("- id: tinh-uy\n", "- id: tinh-uy\n  id: huyen-uy\n"),
                     encoding="utf-8")
    assert_refused(project, *build(capsys), [
        "content/units.yaml:2:3: error: [duplicate-key] [0].id: khóa `id` bị lặp (đã có ở dòng 1) "
        "— có thể thiếu dấu `- ` ở đầu dòng này để bắt đầu một mục mới của danh sách; nếu không, xóa một trong "
        "hai dòng"])


# --- 5. size ---------------------------------------------------------------------------------------

def test_a_50_mb_document_is_refused_without_being_read(project):
    """Protection: `MAX_FILE_BYTES` (portal/loader.py `file-too-large`), checked before reading."""
    front = "---\nkind: ke-hoach\ntitle: Rất lớn\nissuer: tinh-uy\ntopics: [dai-hoi]\n---\n".encode()
    paragraph = "[Đoạn văn](/a) **rất** *dài* của một văn bản.\n\n".encode()
    size = 50 * 1024 * 1024
    body = paragraph * ((size - len(front)) // len(paragraph))
    data = front + body + b"x" * (size - len(front) - len(body))
    (project.content / "documents" / "lon.md").write_bytes(data)
    code, stderr = build_process(project, timeout=20)
    assert_refused(project, code, stderr, [
        "content/documents/lon.md: error: [file-too-large] tệp lớn 50.0 MB, quá giới hạn 5 MB cho một tệp — một "
        "văn bản thường chỉ vài chục KB: kiểm tra xem có dán nhầm dữ liệu hay ảnh vào tệp không, hoặc tách thành "
        "nhiều văn bản"])


def test_an_oversized_data_file_is_refused(project, capsys):
    with (project.content / "topics.yaml").open("r+b") as topics:
        topics.truncate(6 * 1024 * 1024)  # sparse: NUL bytes after the real list
    assert_refused(project, *build(capsys), [
        "content/topics.yaml: error: [file-too-large] tệp lớn 6.0 MB, quá giới hạn 5 MB cho một tệp — một "
        "văn bản thường chỉ vài chục KB: kiểm tra xem có dán nhầm dữ liệu hay ảnh vào tệp không, hoặc tách thành "
        "nhiều văn bản"])


def test_a_10000_character_title_is_refused(project, capsys):
    """Protection: `TITLE_MAX_LENGTH` (portal/models.py `_title`)."""
    title = "Tuyên truyền kỷ niệm " * 476 + "Đảng"
    assert len(title) == 10_000
    project.doc("dai", f"kind: ke-hoach\ntitle: {title}\nissuer: tinh-uy\ntopics: [dai-hoi]")
    assert_refused(project, *build(capsys), [
        "content/documents/dai.md:3:8: error: [too-long] title: trích yếu dài 10000 ký tự, quá giới hạn 1000 — "
        "trích yếu chỉ là một câu; phần còn lại đưa vào `summary` hoặc toàn văn"])


# --- 6. encodings and characters ---------------------------------------------------------------------

BAD_BYTES = {
    "latin-1-body": (b"---\nkind: ke-hoach\ntitle: A\nissuer: tinh-uy\ntopics: [dai-hoi]\n---\n"
                     b"Tuy\xean truy\xe8n\n", 7),
    "latin-1-front": (b"---\nkind: ke-hoach\ntitle: Tuy\xean\nissuer: tinh-uy\n---\n", 3),
    "overlong-slash": (b"---\nkind: ke-hoach\ntitle: a\xc0\xafb\n---\n", 3),
    "surrogate": (b"---\nkind: ke-hoach\n---\n\xed\xa0\x80\n", 4),
    "truncated": (b"---\nkind: ke-hoach\n---\nT\xe1\xba", 4),
    "utf-16": ("---\nkind: ke-hoach\n---\n".encode("utf-16"), 1),
}


@pytest.mark.parametrize("data, line", BAD_BYTES.values(), ids=BAD_BYTES.keys())
def test_invalid_utf8_is_an_error_with_its_line(project, capsys, data, line):
    """Protection: strict UTF-8 decoding (portal/loader.py `decode_text`)."""
    (project.content / "documents" / "ma.md").write_bytes(data)
    assert_refused(project, *build(capsys), [f"content/documents/ma.md:{line}: error: [not-utf8] {NOT_UTF8}"])


def test_invalid_utf8_in_a_data_file(project, capsys):
    units = project.content / "units.yaml"
    units.write_bytes(units.read_bytes().replace("Huyện".encode(), "Huy\xean".encode("latin-1")))
    assert_refused(project, *build(capsys), [f"content/units.yaml:5: error: [not-utf8] {NOT_UTF8}"])


def _rewrite_all(content: Path, change) -> None:
    for path in sorted(content.rglob("*")):
        if path.is_file():
            path.write_bytes(change(path.read_bytes()))


@pytest.mark.parametrize("variant", ["bom", "crlf", "cr", "bom-crlf"])
def test_bom_and_windows_or_old_mac_line_ends_build_the_same_site(project, capsys, variant):
    """Protection: BOM removal and newline normalisation (portal/loader.py `decode_text`): the
    same site, byte for byte, as from the plain files."""
    def change(data: bytes) -> bytes:
        if "crlf" in variant:
            data = data.replace(b"\n", b"\r\n")
        if variant == "cr":
            data = data.replace(b"\n", b"\r")
        return b"\xef\xbb\xbf" + data if "bom" in variant else data
    _rewrite_all(project.content, change)
    shutil.rmtree(project.site)
    code, stderr = build(capsys)
    assert code == 0 and errors(stderr) == [], stderr
    assert tree(project.site) == project.site_before


CONTROL = {
    "nul-in-body": ("body", "\x00", 8, 5, "U+0000"),
    "bell-in-title": ("title", "\x07", 3, 16, "U+0007"),
    "escape-in-title": ("title", "\x1b[31m", 3, 16, "U+001B"),
    "form-feed-in-body": ("body", "\x0c", 8, 5, "U+000C"),
    "delete-in-number": ("number", "\x7f", 6, 17, "U+007F"),
    "c1-next-line-in-title": ("title", "\x85", 3, 16, "U+0085"),
    "c1-csi-in-body": ("body", "\x9b", 8, 5, "U+009B"),
    "non-character-in-title": ("title", "\uffff", 3, 16, "U+FFFF"),
}


@pytest.mark.parametrize("field, char, line, col, point", CONTROL.values(), ids=CONTROL.keys())
def test_control_characters_are_errors_with_line_and_column(project, capsys, field, char, line, col, point):
    """Protection: portal/chars.py through the loader (`control-char`). Unprotected, a control
    character in a title stops the build inside the Atom feed writer (an internal error)."""
    title = "Văn bản " + (char if field == "title" else "") + "thử"
    number = "12-KH/TU" + (char if field == "number" else "")
    body = "Dòng" + (char if field == "body" else "") + " một.\n"
    project.doc("dieu-khien", f"kind: ke-hoach\ntitle: {title}\nissuer: tinh-uy\ntopics: [dai-hoi]\nnumber: {number}",
                body)
    assert_refused(project, *build(capsys), [
        f"content/documents/dieu-khien.md:{line}:{col}: error: [control-char] có ký tự điều khiển {point} "
        f"không được phép — {CONTROL_HINT}"])


@pytest.mark.parametrize("escape, point", [("\\0", "U+0000"), ("\\a", "U+0007"), ("\\e", "U+001B"),
                                           ("\\x01", "U+0001"), ("\\N", "U+0085"), ("\\uFFFE", "U+FFFE")])
def test_control_characters_written_as_yaml_escapes(project, capsys, escape, point):
    """Protection: portal/yamlsource.py checks the values of quoted strings (`control-char`)."""
    project.doc("thoat", f'kind: ke-hoach\ntitle: "Văn bản {escape} thử"\nissuer: tinh-uy\ntopics: [dai-hoi]')
    assert_refused(project, *build(capsys), [
        f"content/documents/thoat.md:3:8: error: [control-char] title: có ký tự điều khiển {point} không được phép "
        f"— {CONTROL_HINT}"])


def test_control_characters_in_a_data_file(project, capsys):
    units = project.content / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace("Ban Thường vụ Huyện ủy", "Ban Thường\x08vụ"),
                     encoding="utf-8")
    assert_refused(project, *build(capsys), [
        f"content/units.yaml:5:19: error: [control-char] có ký tự điều khiển U+0008 không được phép — {CONTROL_HINT}"])


INVISIBLE = {
    "right-to-left-override": "\u202e",
    "left-to-right-override": "\u202d",
    "right-to-left-isolate": "\u2067",
    "pop-directional-isolate": "\u2069",
    "right-to-left-mark": "\u200f",
    "arabic-letter-mark": "\u061c",
    "zero-width-space": "\u200b",
    "zero-width-joiner": "\u200d",
    "zero-width-non-joiner": "\u200c",
    "word-joiner": "\u2060",
    "byte-order-mark-inside": "\ufeff",
    "soft-hyphen": "\u00ad",
    "tag-character": "\U000e0041",
}


@pytest.mark.parametrize("char", INVISIBLE.values(), ids=INVISIBLE.keys())
@pytest.mark.parametrize("field", ["title", "number"])
def test_bidi_and_zero_width_characters_in_titles_and_numbers(project, capsys, char, field):
    """Protection: portal/chars.py through the loader (`invisible-char`). Unprotected, a number
    with a zero-width space is a different number (no duplicate found, no link made) and an
    override shows the title in another order than it is stored."""
    title = "Kế hoạch " + (char if field == "title" else "") + "tuyên truyền"
    number = "11-KH/" + (char if field == "number" else "") + "TU"
    project.doc("an", f"kind: ke-hoach\ntitle: {title}\nissuer: tinh-uy\ntopics: [dai-hoi]\nnumber: {number}")
    line, col = (3, 17) if field == "title" else (6, 15)
    name = unicodedata.name(char)
    assert_refused(project, *build(capsys), [
        f"content/documents/an.md:{line}:{col}: error: [invisible-char] có ký tự ẩn U+{ord(char):04X} ({name}) — "
        f"{INVISIBLE_HINT}"])


def test_invisible_characters_written_as_yaml_escapes_and_in_the_body(project, capsys):
    project.doc("an", 'kind: ke-hoach\ntitle: "Kế hoạch\\u202e thử"\nissuer: tinh-uy\ntopics: [dai-hoi]',
                "Đả\u200bng\u200b Cộng sản\n\nĐoạn hai.\n")
    assert_refused(project, *build(capsys), [
        f"content/documents/an.md:3:8: error: [invisible-char] title: có ký tự ẩn U+202E (RIGHT-TO-LEFT OVERRIDE) "
        f"— {INVISIBLE_HINT}",
        "content/documents/an.md:7:3: error: [invisible-char] có ký tự ẩn U+200B (ZERO WIDTH SPACE) (và 1 ký tự "
        f"như vậy nữa trên dòng này) — {INVISIBLE_HINT}"])


def test_many_invisible_characters_are_summarised(project, capsys):
    project.doc("nhieu", "kind: ke-hoach\ntitle: Nhiều\nissuer: tinh-uy\ntopics: [dai-hoi]",
                "".join(f"Dòng\u00ad {n}\n" for n in range(100)))
    code, stderr = build(capsys)
    lines = errors(stderr)
    assert len(lines) == 20 and lines[-1].endswith(f"; còn 80 dòng khác cũng có — {INVISIBLE_HINT}")
    assert code == 1


def test_the_invisible_class_is_exactly_unicode_format_characters():
    """portal/chars.py spells out category Cf: it must match this Python's Unicode data."""
    format_chars = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf"]
    assert all(FORBIDDEN.match(c) for c in format_chars)
    allowed = "".join(chr(c) for c in range(0x20, 0x3000) if unicodedata.category(chr(c)) not in ("Cf", "Cc")
                      and not 0xd800 <= c < 0xe000)
    assert FORBIDDEN.search(allowed + "\t\nĐảng Cộng sản Việt Nam\u00a0") is None


# --- 7. Unicode normal forms -------------------------------------------------------------------------

def test_nfd_content_builds_exactly_the_nfc_site(project, capsys):
    """Protection: NFC normalisation of every file (portal/loader.py `decode_text`): slugs of
    headings, search terms, titles, every byte of the site are the same in both forms."""
    _rewrite_all(project.content, lambda data: unicodedata.normalize("NFD", data.decode("utf-8")).encode("utf-8"))
    assert "Tuye\u0302n" in (project.content / "documents" / "ke-hoach-tinh.md").read_text(encoding="utf-8")
    shutil.rmtree(project.site)
    code, stderr = build(capsys)
    assert code == 0 and errors(stderr) == [], stderr
    assert tree(project.site) == project.site_before
    page = (project.site / "van-ban" / "ke-hoach-tinh" / "index.html").read_text(encoding="utf-8")
    assert 'id="i-muc-dich-yeu-cau"' in page and "Tuyên truyền" in page
    shards = json.loads((project.site / "tim-kiem" / "index.json").read_text(encoding="utf-8"))["shards"]
    shard = (project.site / "tim-kiem" / "s" / f"{shard_of('tuyen', shards)}.bin").read_bytes()
    assert "tuyên".encode() in shard  # the search term, folded from NFC, with its exact form


def test_nfd_and_nfc_numbers_are_duplicates(project, capsys):
    """Protection: the same NFC normalisation makes duplicate detection see one number."""
    front = "kind: thong-bao\ntitle: Thông báo\nissuer: tinh-uy\ntopics: [dai-hoi]\nnumber: 12-TB/BTGTƯ"
    project.doc("a-nfc", front)
    project.doc("b-nfd", unicodedata.normalize("NFD", front))
    assert_refused(project, *build(capsys), [
        "content/documents/b-nfd.md:6:9: error: [duplicate-number] number: số văn bản `12-TB/BTGTƯ` của cùng cơ "
        "quan ban hành đã có ở content/documents/a-nfc.md:6 — mỗi văn bản có một số riêng; kiểm tra lại số hoặc "
        "xóa bản trùng"])


# --- 8. links out of content/ ------------------------------------------------------------------------

VALID_DOCUMENT = "---\nkind: ke-hoach\ntitle: Bí mật\nissuer: tinh-uy\ntopics: [dai-hoi]\n---\nKhông được đăng.\n"


def test_a_document_linking_outside_content_is_refused(project, capsys):
    """Protection: portal/loader.py `outside-content` (a link is followed only inside content/)."""
    secret = project.root / "ngoai" / "bi-mat.md"
    secret.parent.mkdir()
    secret.write_text(VALID_DOCUMENT, encoding="utf-8")
    (project.content / "documents" / "bi-mat.md").symlink_to(secret)
    (project.content / "documents" / "qua-hai-buoc.md").symlink_to("bi-mat.md")  # a chain that ends outside
    assert_refused(project, *build(capsys), [
        "content/documents/bi-mat.md: error: [outside-content] tệp là liên kết trỏ ra ngoài thư mục nội dung — "
        "thay liên kết bằng một bản sao của tệp",
        "content/documents/qua-hai-buoc.md: error: [outside-content] tệp là liên kết trỏ ra ngoài thư mục nội dung "
        "— thay liên kết bằng một bản sao của tệp"])


def test_a_data_file_or_the_documents_folder_linking_outside_is_refused(project, capsys):
    outside = project.root / "ngoai"
    shutil.copytree(project.content / "documents", outside / "documents")
    shutil.copy(project.content / "topics.yaml", outside / "topics.yaml")
    (project.content / "topics.yaml").unlink()
    (project.content / "topics.yaml").symlink_to(outside / "topics.yaml")
    shutil.rmtree(project.content / "documents")
    (project.content / "documents").symlink_to(outside / "documents", target_is_directory=True)
    assert_refused(project, *build(capsys), [
        "content/documents: error: [outside-content] thư mục `documents` là liên kết trỏ ra ngoài thư mục nội dung — "
        "thay liên kết bằng một thư mục thật",
        "content/topics.yaml: error: [outside-content] tệp là liên kết trỏ ra ngoài thư mục nội dung — thay liên "
        "kết bằng một bản sao của tệp"])


def test_a_link_that_stays_inside_content_is_followed(project, capsys):
    units = project.content / "units.yaml"
    (project.content / "du-lieu").mkdir()
    units.rename(project.content / "du-lieu" / "units.yaml")
    units.symlink_to(Path("du-lieu") / "units.yaml")
    code, stderr = build(capsys)
    assert code == 0 and errors(stderr) == [], stderr
    assert tree(project.site) == project.site_before


def test_a_fifo_named_like_a_document_is_skipped_not_read(project):
    """Protection: only regular files are read (portal/loader.py, `stray-file`): reading a FIFO
    would block the build forever."""
    os.mkfifo(project.content / "documents" / "ong.md")
    code, stderr = build_process(project, timeout=30)
    assert code == 0 and errors(stderr) == [], stderr
    assert ("content/documents/ong.md: warning: [stray-file] tệp này không phải văn bản `.md` nên bị bỏ qua — "
            "đổi đuôi thành `.md` hoặc chuyển tệp ra khỏi thư mục `documents/`; tệp đính kèm hay ảnh của văn bản "
            "thì đặt trong một thư mục con của `documents/` (hướng dẫn biên tập, mục 5.6)") in stderr.splitlines()
    assert tree(project.site) == project.site_before


@pytest.mark.parametrize("reference", ["&#x202E;", "&#8203;", "&#X200b;", "&shy;", "&#xFEFF;"])
def test_invisible_and_control_characters_written_as_character_references(project, capsys, reference):
    """Protection: `_forbidden_references` in portal/validate.py. Markdown turns a character
    reference into the character itself, past the loader's check of the typed text."""
    project.doc("an", "kind: ke-hoach\ntitle: Kế hoạch\nissuer: tinh-uy\ntopics: [dai-hoi]",
                f"Đoạn một.\n\nĐảng{reference} Cộng sản.\n")
    code, stderr = build(capsys)
    lines = errors(stderr)
    assert code == 1 and len(lines) == 1, stderr
    assert lines[0].startswith("content/documents/an.md:9:5: error: [")
    assert f"viết dưới dạng `{reference}`" in lines[0]
    assert tree(project.site) == project.site_before


def test_ordinary_character_references_are_fine(project, capsys):
    project.doc("an", "kind: ke-hoach\ntitle: Kế hoạch\nissuer: tinh-uy\ntopics: [dai-hoi]",
                "Tỷ lệ 5&nbsp;% &amp; &lt;b&gt; &#273;&#7843;ng &copy;.\n")
    code, stderr = build(capsys)
    assert code == 0 and errors(stderr) == [], stderr
