"""The security audit's defects (issue 15), each reproduced: whatever `check` accepts, `build`
builds; nothing in content or configuration injects markup, iCalendar lines or log commands.

Each test names the defect's number in the issue. The project fixture and the helpers are those
of tests/test_hostile.py: the mini fixture in tmp_path/content beside its built site.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import time
from pathlib import Path

import pytest

import test_hostile
from conftest import ROOT
from portal.cli import main
from portal.render.search import MAX_TERM, shard_of
from test_hostile import assert_built_safely, build, errors

project = test_hostile.project  # the fixture: the mini fixture in tmp_path beside its built site

UNIT_FRONT = "kind: ke-hoach\ntitle: Kế hoạch thử\nissuer: tinh-uy\ntopics: [dai-hoi]"


def codes(stderr: str) -> list[tuple[str, str]]:
    """(path:line:col, code) of each error line."""
    return [(match.group(1), match.group(2)) for line in errors(stderr)
            if (match := re.match(r"(\S+): error: \[([a-z-]+)\]", line))]


# --- 6 and 12: `check` passes, `build` fails --------------------------------------------------------

def test_an_id_ending_in_a_newline_is_not_an_id(project, capsys):
    """6: `$` in `ID_PATTERN` matched before a final "\\n"; ids are `fullmatch`ed."""
    units = project.content / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace("- id: phong-van-hoa", '- id: "phong-van-hoa\\n"'),
                     encoding="utf-8")
    code, stderr = build(capsys)
    assert ("content/units.yaml:7:7", "bad-id") in codes(stderr)
    assert code == 1 and "lỗi nội bộ" not in stderr


def test_a_file_name_ending_in_a_newline_is_refused(project, capsys):
    """6: a document's file name is its folder name: fullmatched like an id."""
    project.doc("ke-hoach-moi\n", UNIT_FRONT)
    code, stderr = build(capsys)
    assert [c for _, c in codes(stderr)] == ["bad-slug"] and code == 1


@pytest.mark.parametrize("date", ["٢٠/٠٣/٢٠٢٤", "２０/０３/２０２４", "٢٠٢٤-٠٣-٢٠"])
def test_dates_take_ascii_digits_only(project, capsys, date):
    """12: `\\d` matched Arabic-Indic and fullwidth digits, which `int` reads."""
    project.doc("ngay-la", f"{UNIT_FRONT}\nissued: \"{date}\"")
    code, stderr = build(capsys)
    assert codes(stderr) == [("content/documents/ngay-la.md:6:9", "bad-date")] and code == 1


def test_a_recurring_date_takes_ascii_digits_only(project, capsys):
    """12: the same for a commemoration's "DD/MM"."""
    with (project.content / "commemorations.yaml").open("a", encoding="utf-8") as data:
        data.write('- id: ngay-la\n  name: Ngày lạ\n  date: "٠٣/٠٢"\n  calendar: solar\n')
    code, stderr = build(capsys)
    assert codes(stderr) == [("content/commemorations.yaml:17:9", "invalid-value")]
    assert code == 1 and "lỗi nội bộ" not in stderr


def test_a_4301_digit_integer_is_refused_with_its_place_and_every_other_problem_still_reported(project, capsys):
    """6: PyYAML's `int()` of 4,301 digits raised in `check`, losing every other diagnostic."""
    project.doc("so-lon", f"{UNIT_FRONT}\nissued_year: {'9' * 4301}")
    project.doc("loi-khac", "kind: ke-hoach\ntitle: Lỗi khác\nissuer: khong-co\ntopics: [dai-hoi]")
    code, stderr = build(capsys)
    assert codes(stderr) == [("content/documents/loi-khac.md:4:9", "unknown-unit"),
                             ("content/documents/so-lon.md:6:14", "too-long")]
    assert "4301 chữ số" in stderr and code == 1 and "lỗi nội bộ" not in stderr


def test_a_252_letter_word_builds_and_is_found(project, capsys):
    """6: the word named its search file `t/<word>.bin`, a name too long for the file system
    (and the message blamed disk space). Words are cut to MAX_TERM, in search.js the same way,
    and now live in a shard named by a number."""
    word = "a" * 252
    project.doc("tu-dai", UNIT_FRONT, f"Một từ rất dài: {word}.\n")
    assert_built_safely(project, *build(capsys))
    shards = json.loads((project.site / "tim-kiem" / "index.json").read_text(encoding="utf-8"))["shards"]
    shard = (project.site / "tim-kiem" / "s" / f"{shard_of(word[:MAX_TERM], shards)}.bin").read_bytes()
    assert bytes([MAX_TERM]) + word[:MAX_TERM].encode() in shard
    script = (ROOT / "templates" / "static" / "search.js").read_text(encoding="utf-8")
    assert re.search(rf"var MAX_TERM = {MAX_TERM};", script) and "t.slice(0, MAX_TERM)" in script


@pytest.mark.slow
def test_a_4_9_mb_one_line_body_builds(project, capsys):
    """6: one line of 4.9 MB (under the 5 MB limit) that `check` accepts is built."""
    project.doc("mot-dong", UNIT_FRONT, "x" * 4_900_000 + "\n")
    assert main(["check", "--content", "content"]) == 0
    assert_built_safely(project, *build(capsys))


def test_the_output_folder_cannot_be_inside_the_content(project, capsys):
    """12: `--out content/site` was accepted: the next `check` would read the site as content."""
    code = main(["build", "--content", "content", "--out", "content/site"])
    stderr = capsys.readouterr().err
    assert code == 1 and "[unsafe-output]" in stderr and not (project.content / "site").exists()


# --- 7: CI log injection ------------------------------------------------------------------------------

INJECTED = "Giai đoạn 1\\n::error file=x.md::giả\\r::stop-commands::abc\\x1b[2J\\u202e"


@pytest.mark.parametrize("style", ["text", "github", "markdown"])
def test_no_value_can_start_a_line_of_its_own_in_any_format(project, capsys, style):
    """7: a phase name's "\\n" was printed verbatim by `check --format text`, so content could
    write `::error` or `::stop-commands::` lines into the Actions log."""
    project.doc("giai-doan", f'{UNIT_FRONT}\nphases:\n  - name: "{INJECTED}"\n    start: 01/02/2025')
    (project.content / "documents" / "ten\n::warning::x.md").write_text("---\nkind: x\n---\n", encoding="utf-8")
    assert main(["check", "--content", "content", "--format", style]) == 1
    captured = capsys.readouterr()
    output = captured.out + captured.err
    assert "phase-open" in output and "ten" in output
    for line in output.split("\n"):
        assert not line.lstrip("| ❌⚠️`").startswith("::") or line.startswith(("::error file=", "::warning file="))
    assert not re.search("[\r\x1b\u202e]", output)


# --- 2: iCalendar injection -----------------------------------------------------------------------------

FORGED = ("\\rEND:VCALENDAR\\rBEGIN:VCALENDAR\\rBEGIN:VEVENT\\rUID:gia\\rSUMMARY:Sự kiện giả"
          "\\rDTSTART:20250201\\rEND:VEVENT")


@pytest.mark.parametrize("newline", ["\\r", "\\n", "\\r\\n"])
def test_a_line_break_in_a_name_stays_inside_its_property_in_every_feed(project, capsys, newline):
    """2: the calendar's NAME was written unescaped (icalendar's vUnknown): a topic or unit name with
    "\\r" added a VEVENT that vobject reads; with "\\n" `check` passed and `build` failed with an
    internal AssertionError. Every text property is vText now."""
    import icalendar
    import vobject

    for data in ("topics.yaml", "units.yaml"):
        path = project.content / data
        text = path.read_text(encoding="utf-8")
        first_name = re.search(r"name: (.*)", text)
        assert first_name is not None
        forged = f'name: "{first_name.group(1)}{FORGED.replace(chr(92) + "r", newline)}"'
        path.write_text(text.replace(first_name.group(0), forged, 1), encoding="utf-8")
    code, stderr = build(capsys)
    assert "lỗi nội bộ" not in stderr and code == 0, stderr
    feeds = sorted(project.site.rglob("*.ics"))
    assert len(feeds) > 3
    for feed in feeds:
        data = feed.read_bytes()
        calendars = list(vobject.readComponents(data.decode()))
        assert len(calendars) == 1
        events = calendars[0].contents.get("vevent", [])
        assert all(event.uid.value != "gia" for event in events), feed
        parsed = icalendar.Calendar.from_ical(data)
        assert len(parsed.walk("VEVENT")) == len(events) and b"\r\nUID:gia" not in data, feed


# --- 1: markup injection through base_url ------------------------------------------------------------

HOSTILE_BASE_URLS = [
    'https://tuyengiao.example.vn/a"><meta http-equiv="refresh" content="0;url=https://evil.example/">/',
    "https://host//evil.example/", "https://host/a?b", "https://host/a#b", "https://host:99999999/",
    "https://host:0/", "https://user:pass@host/", "https://host/a b/", "https://host/../", "https://host/a'b/",
    "https://host/<x>/", "javascript://host/", "https://host/a\\b/", "https://-host/", "https://host/%zz/",
]


@pytest.mark.parametrize("base_url", HOSTILE_BASE_URLS)
def test_a_hostile_base_url_in_site_yaml_is_refused_with_its_place(project, capsys, base_url):
    """1: quotes and `<>` were allowed in base_url and its path prefixed, unescaped, to every
    root-relative link in bodies (a meta refresh on every page); `//evil.example/`, `?`, `#` and
    ports like 99999999 were accepted. base_url follows a strict URL grammar now."""
    site = project.content / "site.yaml"
    quoted = base_url.replace("\\", "\\\\").replace('"', '\\"')
    site.write_text(re.sub(r"base_url: .*", lambda _: f'base_url: "{quoted}"', site.read_text(encoding="utf-8")),
                    encoding="utf-8")
    code, stderr = build(capsys)
    assert codes(stderr) == [("content/site.yaml:3:11", "bad-url")] and code == 1


@pytest.mark.parametrize("base_url", HOSTILE_BASE_URLS)
def test_a_hostile_base_url_option_is_refused(project, capsys, base_url):
    """1: `--base-url` goes through the same grammar."""
    with pytest.raises(SystemExit) as exit_code:
        main(["build", "--content", "content", "--out", "site", "--base-url", base_url])
    assert exit_code.value.code == 2 and "--base-url" in capsys.readouterr().err


@pytest.mark.parametrize("base_url", ["https://example.org/", "https://example.org/cong/", "http://localhost:8000/",
                                      "https://sub.example.gov.vn/a/b-c/", "https://[::1]:8443/x~y/",
                                      "https://example.org/cong"])
def test_ordinary_base_urls_are_accepted(base_url):
    from portal.urls import is_base_url

    assert is_base_url(base_url)


def test_the_base_path_is_escaped_in_every_attribute_it_reaches():
    """1: escaping, whatever the base path: bodies (markdown-it-pyrs) and short texts (markdown-it-py)."""
    from portal.content.markdown import make_parser
    from portal.render.bodies import render_markdown

    hostile = '/a"><meta http-equiv="refresh">/'
    body = render_markdown("[x](/van-ban/y/) ![ảnh](/static/a.png)", base_path=hostile).html
    inline = make_parser(hostile).renderInline("[x](/van-ban/y/)")
    for html in (body, inline):
        assert "<meta" not in html and '"><' not in html and "&quot;&gt;&lt;meta" in html


# --- 3: Markdown nesting -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("body", "line", "col"), [
    ("- " * 50000 + "x", 9, 65), ("> - " * 25000 + "x", 9, 65), (">" * 100000 + "x", 9, 33),
    ("* " * 100000, 9, 65), ("1. " * 40000 + "x", 9, 97),
    ("".join("  " * level + "- x\n" for level in range(40)), 41, 65),
], ids=["lists", "quoted-lists", "quotes", "star-lists", "numbered", "indented"])
def test_deeply_nested_markdown_is_refused_with_its_place_before_the_renderer(project, body, line, col):
    """3: markdown-it-pyrs recurses without a limit: such bodies passed `check` and killed `build`
    (exit 139, no message). `check` refuses them at the marker past MAX_NESTING; the build runs in
    a child process so that a regression crashes the child, not the tests."""
    project.doc("long-nhau", UNIT_FRONT, "Mở đầu.\n\n" + body + "\n")  # the body starts on line 7
    code, stderr = test_hostile.build_process(project, timeout=120)
    assert "Traceback" not in stderr and code == 1, stderr[-2000:]
    assert codes(stderr) == [(f"content/documents/long-nhau.md:{line}:{col}", "markdown-too-deep")]


def test_ordinary_nesting_renders_and_the_renderer_never_sees_a_deep_body():
    from portal.content.markdown import MAX_NESTING, too_deep
    from portal.render.bodies import render_markdown

    assert too_deep("- a\n  - b\n    - c\n> quote\n> - item\n" + "- " * MAX_NESTING + "x\n") is None
    assert too_deep("x\n" + "- " * (MAX_NESTING + 1) + "x") == (1, 2 * MAX_NESTING + 1)
    assert "<li>" in render_markdown("- " * 50000 + "x").html  # through markdown-it-py, which bounds nesting


# --- 8: images in every Markdown field -------------------------------------------------------------------

def test_an_image_in_a_duty_task_reaches_no_page(project, capsys):
    """8: remote images in duty tasks reached the page as <img> (only bodies were filtered): every
    image in a short text becomes its alt text."""
    project.doc("nhiem-vu-anh", UNIT_FRONT + "\nduties:\n  - unit: tinh-uy\n    tasks:\n"
                "      - 'Treo băng rôn ![ảnh](https://tracker.example/pixel.png) và ![b](//cdn.example/x.png)'")
    texts = assert_built_safely(project, *build(capsys))
    pages = [page.read_text(encoding="utf-8") for page in project.site.rglob("*.html")]
    assert not any("tracker.example" in page or "cdn.example" in page or "<img" in page for page in pages)
    assert "Treo băng rôn ảnh và b" in texts["don-vi/tinh-uy/index.html"]  # the tasks are listed on the unit's page


# --- 10: symbolic links in the theme ---------------------------------------------------------------------

@pytest.mark.parametrize("command", ["check", "build"])
def test_a_symlink_in_the_templates_is_refused_and_nothing_it_points_to_is_published(project, capsys, command):
    """10: `templates/static/x -> ../../.git/config` published the repository's configuration
    (with the token actions/checkout leaves there) into site/."""
    import shutil

    shutil.copytree(ROOT / "templates", project.root / "templates")
    secret = project.root / ".git" / "config"
    secret.parent.mkdir()
    secret.write_text("[http]\n\textraheader = AUTHORIZATION: basic c2VjcmV0\n", encoding="utf-8")
    (project.root / "templates" / "static" / "x").symlink_to("../../.git/config")
    (project.root / "templates" / "static" / "folder").symlink_to("../../.git", target_is_directory=True)
    args = [command, "--content", "content", "--templates", "templates"]
    args += ["--out", "site"] if command == "build" else []
    code = main(args)
    stderr = capsys.readouterr().err
    assert code == 1 and codes(stderr) == [("templates/static/folder", "theme-symlink"),
                                           ("templates/static/x", "theme-symlink")]
    assert not any("c2VjcmV0" in page.read_text(errors="replace") for page in project.site.rglob("*") if page.is_file())


# --- 4: the output lock and forked workers ------------------------------------------------------------

def _children(pid: int) -> list[int]:
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _running(pid: int) -> bool:
    try:
        return "\nState:\tZ" not in Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads the process tree from /proc (Linux)")
def test_killing_the_parent_alone_leaves_the_lock_free_for_the_next_build(tmp_path):
    """4: forked workers inherited the lock's open file: when only the parent died (as the OOM
    killer does), the orphaned workers kept the lock and the next build waited forever, silently.
    The parent of a 400-document build with workers is SIGKILLed alone while its workers live."""
    import fcntl
    import shutil
    import signal
    import subprocess
    import sys

    from conftest import FIXTURES

    content, out = tmp_path / "content", tmp_path / "site"
    shutil.copytree(FIXTURES / "mini", content)
    for number in range(400):
        (content / "documents" / f"van-ban-{number}.md").write_text(
            f"---\nnumber: {number + 1000}-KH/TU\nkind: ke-hoach\ntitle: Kế hoạch số {number}\nissuer: tinh-uy\n"
            f"issued: 05/03/2024\ntopics: [dai-hoi]\n---\nNội dung {number}.\n\n- một\n- hai\n", encoding="utf-8")
    command = [sys.executable, str(ROOT / "build.py"), "build", "--content", str(content), "--out", str(out),
               "--jobs", "2", "--today", "2025-01-15"]
    build_run = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: list[int] = []
    try:
        for _ in range(12000):  # up to two minutes for the first forked step
            workers = _children(build_run.pid)
            if workers or build_run.poll() is not None:
                break
            time.sleep(0.01)
        assert workers, "the build forked no workers"
        build_run.send_signal(signal.SIGKILL)
        build_run.wait()
        assert any(_running(worker) for worker in workers)  # orphans, still holding what they inherited
        # A worker shows in /proc as soon as it is forked, before its after-fork hook has let go of
        # the lock (a busy machine can delay that): the lock must come free while orphans still run.
        deadline = time.monotonic() + 5
        with open(tmp_path / ".site.lock", "w") as lock:
            while True:
                try:
                    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:  # an orphan still holds the lock
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.01)
            assert any(_running(worker) for worker in workers), "the lock came free only when the orphans ended"
        started = time.monotonic()
        assert subprocess.run(command, cwd=tmp_path, capture_output=True, timeout=300).returncode == 0
        assert (out / "van-ban" / "van-ban-399" / "index.html").is_file()
        print(f"next build: {time.monotonic() - started:.1f} s")
    finally:
        for worker in workers:
            if _running(worker):
                os.kill(worker, signal.SIGKILL)


# --- 5: the fallback publish ---------------------------------------------------------------------------

KILLED_BETWEEN_RENAMES = """
import os, sys
from pathlib import Path
from portal.cli import main
from portal.write import publish

publish._rename_exchange = lambda a, b: False  # as on macOS: the two-rename fallback
real_replace, site = os.replace, Path("site").resolve()

def replace(source, target):
    real_replace(source, target)
    if Path(source).resolve() == site:  # the old site moved aside: killed before the new one is in
        os._exit(9)

os.replace = replace
sys.exit(main(["build", "--content", "content", "--out", "site", "--today", "2025-01-15"]))
"""


def test_a_build_killed_inside_the_fallback_publish_loses_no_site(project, capsys):
    """5: where renameat2(RENAME_EXCHANGE) is missing, publishing is two renames; a kill between
    them left no site/, and the next failed build deleted the "-old" folder (the only copy) and
    still printed "site/ giữ nguyên". The next build puts the old site back first."""
    import subprocess
    import sys

    project.doc("moi", UNIT_FRONT)  # something to publish
    killed = subprocess.run([sys.executable, "-c", KILLED_BETWEEN_RENAMES], cwd=project.root, capture_output=True,
                            text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert killed.returncode == 9, killed.stderr
    assert not project.site.exists() and len(list(project.root.glob(".site.tmp-*-old"))) == 1
    project.doc("loi", "kind: ke-hoach\ntitle: Lỗi\nissuer: khong-co\ntopics: [dai-hoi]")
    code, stderr = build(capsys)
    assert code == 1 and "site/ giữ nguyên" in stderr
    assert test_hostile.tree(project.site) == project.site_before and project.leftovers() == []


def test_a_failed_first_build_does_not_claim_to_keep_a_site(project, capsys):
    """5: the message says what is true: there was no site to keep."""
    project.doc("loi", "kind: ke-hoach\ntitle: Lỗi\nissuer: khong-co\ntopics: [dai-hoi]")
    assert main(["build", "--content", "content", "--out", "moi"]) == 1
    stderr = capsys.readouterr().err
    assert "moi/ chưa có trang nào" in stderr and "giữ nguyên" not in stderr


# --- 11 (Deliver 3): host headers and locked dependencies ------------------------------------------

def test_the_headers_file_sets_the_security_headers_on_every_file(mini_site):
    """11: `_headers` set only the `.ics` content type: no CSP header with frame-ancestors, no
    nosniff, no Referrer-Policy. The header's policy is the pages' meta policy plus framing."""
    from portal.render.hostfiles import PAGE_POLICY

    headers = (mini_site / "_headers").read_text(encoding="utf-8")
    every_file = headers.split("\n\n")[0].splitlines()
    assert every_file == ["/cong/*", f"  Content-Security-Policy: {PAGE_POLICY}; frame-ancestors 'none'",
                          "  X-Content-Type-Options: nosniff", "  Referrer-Policy: strict-origin-when-cross-origin"]
    page = (mini_site / "index.html").read_text(encoding="utf-8")
    assert f'<meta http-equiv="Content-Security-Policy" content="{PAGE_POLICY}">' in page.replace("&#39;", "'")
    assert '<meta name="referrer" content="strict-origin-when-cross-origin">' in page
    serving = (ROOT / "docs" / "serving.md").read_text(encoding="utf-8")
    for server_line in (f'add_header Content-Security-Policy "{PAGE_POLICY}; frame-ancestors \'none\'" always;',
                        f'Header always set Content-Security-Policy "{PAGE_POLICY}; frame-ancestors \'none\'"',
                        "add_header X-Content-Type-Options nosniff always;", 'Header always set X-Content-Type-Options',
                        "Referrer-Policy strict-origin-when-cross-origin",
                        'Referrer-Policy "strict-origin-when-cross-origin"'):
        assert server_line in serving


def test_every_dependency_is_pinned_by_the_constraints_file_the_install_uses():
    """11: dependencies had no upper bound or lock: constraints.txt pins each one (and what they
    pull in) to the version tested, and scripts/install-test-deps.sh installs with it."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = dict(line.split("==") for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines()
                if line and not line.startswith("#"))
    for requirement in [*project["dependencies"], *project["optional-dependencies"]["test"]]:
        name = re.split(r"[<>=!~ ;\[]", requirement, maxsplit=1)[0].lower().replace("_", "-")
        assert re.fullmatch(r"[0-9][0-9a-z.]*", pins.get(name, "")), name
    script = (ROOT / "scripts" / "install-test-deps.sh").read_text(encoding="utf-8")
    assert re.search(r"pip install .*-c \"\$\(dirname \"\$0\"\)/\.\./constraints\.txt\" -e '\.\[test\]'", script)


# --- 9: the dev server ----------------------------------------------------------------------------------

def test_a_rebuild_that_raises_shows_the_overlay_and_the_next_good_one_clears_it(tmp_path, monkeypatch, capsys):
    """9: a rebuild that raised (a bug, a template error, a disk problem; not a content error) left
    the last pages up with status 200 and nothing said. Any exception is an overlay with status
    500 and the message escaped, until a rebuild succeeds."""
    from conftest import FIXTURES
    from portal.build.builder import BuildOptions, SiteBuilder
    from portal.serve import Preview

    monkeypatch.chdir(tmp_path)
    preview = Preview(SiteBuilder(BuildOptions(FIXTURES / "mini", tmp_path / "site", today=None)))
    preview.rebuild()
    assert preview.respond("/cong/")[0] == "200 OK"

    def broken(self, outputs=None, changed=None):
        raise OSError("<script>alert(1)</script> ổ đĩa")

    monkeypatch.setattr(SiteBuilder, "build", broken)
    preview.rebuild()
    for path in ("/cong/", "/cong/van-ban/ke-hoach-tinh/", "/cong/khong-co/"):
        status, content_type, body, _ = preview.respond(path)
        page = body.decode("utf-8")
        assert status.startswith("500") and content_type.startswith("text/html"), path
        assert "lỗi nội bộ của công cụ khi dựng lại (OSError: &lt;script&gt;alert(1)&lt;/script&gt; ổ đĩa)" in page
        assert "<script>alert" not in page and 'id="loi-noi-dung"' in page
    assert "[internal-error]" in capsys.readouterr().err
    monkeypatch.undo()
    preview.rebuild()
    assert preview.respond("/cong/")[0] == "200 OK" and preview.errors == []


@pytest.fixture(scope="module")
def preview_server(tmp_path_factory):
    """`build.py serve` of the mini fixture on a free port, with one name allowed by `--allow-host`."""
    import shutil
    import socket
    import subprocess
    import sys

    from conftest import FIXTURES

    root = tmp_path_factory.mktemp("serve")
    shutil.copytree(FIXTURES / "mini", root / "content")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with open(root / "serve.log", "w") as log:
        process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--port", str(port),
                                    "--content", "content", "--today", "2025-01-15", "--allow-host", "xem.tinh.vn"],
                                   cwd=root, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.2)
        else:
            pytest.fail("serve did not start: " + (root / "serve.log").read_text())
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def _get(port: int, path: str, host: str, origin: str | None = None) -> tuple[int, str]:
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.putrequest("GET", path, skip_host=True)
    connection.putheader("Host", host)
    if origin:
        connection.putheader("Origin", origin)
    connection.endheaders()
    response = connection.getresponse()
    body = response.read().decode("utf-8", errors="replace")
    connection.close()
    return response.status, body


@pytest.mark.parametrize("host", ["evil.example:{port}", "evil.example", "127.0.0.1.evil.example:{port}",
                                  "localhost:1", "xem.tinh.vn.evil.example:{port}", ""])
def test_the_preview_answers_no_other_host_name(preview_server, host):
    """9: without a Host check, a page of another site whose name is rebound to 127.0.0.1 (DNS
    rebinding) could read the preview."""
    for path in ("/cong/", "/livereload.js", "/forcereload", "/livereload"):
        status, body = _get(preview_server, path, host.format(port=preview_server))
        assert status == 403 and "--allow-host" in body, (path, host, status)


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST:{port}", "[::1]:{port}",
                                  "xem.tinh.vn:{port}"])
def test_the_preview_answers_its_own_names_and_the_allowed_ones(preview_server, host):
    status, body = _get(preview_server, "/cong/", host.format(port=preview_server))
    assert status == 200 and "livereload.js" in body


def _socket(port: int, origin: str | None, host: str | None = None):
    """A live-reload socket as a page of `origin` opens it, handshaken (a waiter for reloads), or
    the HTTP status that refused it."""
    import json

    from tornado.httpclient import HTTPClientError, HTTPRequest
    from tornado.websocket import websocket_connect

    headers = {"Host": host or f"127.0.0.1:{port}", **({"Origin": origin} if origin else {})}

    async def connect():
        try:
            socket = await websocket_connect(HTTPRequest(f"ws://127.0.0.1:{port}/livereload", headers=headers))
        except HTTPClientError as error:
            return error.code
        socket.write_message(json.dumps({"command": "hello", "protocols": []}))
        assert json.loads(await socket.read_message())["command"] == "hello"
        socket.write_message(json.dumps({"command": "info", "url": f"http://127.0.0.1:{port}/cong/"}))
        return socket

    return connect


def test_the_live_reload_socket_takes_only_the_preview_s_own_pages(preview_server):
    """9: livereload's socket accepted any Origin: any site open in the browser could connect."""
    import asyncio

    port = preview_server

    async def run():
        for origin in ("https://evil.example", f"http://evil.example:{port}", "null", f"http://127.0.0.1:{port + 1}"):
            assert await _socket(port, origin)() == 403, origin
        assert await _socket(port, f"http://localhost:{port}", host=f"evil.example:{port}")() == 403
        for origin in (f"http://127.0.0.1:{port}", f"http://localhost:{port}", f"http://xem.tinh.vn:{port}"):
            socket = await _socket(port, origin)()
            assert not isinstance(socket, int), (origin, socket)
            socket.close()

    asyncio.run(run())


def test_forcereload_reloads_only_for_the_preview_s_own_pages(preview_server):
    """9: anyone could GET /forcereload (a link or an image on any site) and reload every tab."""
    import asyncio
    import json

    port = preview_server

    async def run():
        waiter = await _socket(port, f"http://127.0.0.1:{port}")()
        # The info message registers the waiter; livereload's first poll after the server starts
        # sends one reload of its own (`__livereload__`): let it come and go.
        with contextlib.suppress(TimeoutError):
            while True:
                await asyncio.wait_for(waiter.read_message(), timeout=2)
        for origin in (None, "https://evil.example", f"http://evil.example:{port}"):
            status, _ = await asyncio.to_thread(_get, port, "/forcereload", f"127.0.0.1:{port}", origin)
            assert status == 403, origin
        try:
            message = await asyncio.wait_for(waiter.read_message(), timeout=1.5)
        except TimeoutError:
            message = None
        assert message is None, message
        status, _ = await asyncio.to_thread(_get, port, "/forcereload", f"127.0.0.1:{port}",
                                            f"http://127.0.0.1:{port}")
        assert status == 200
        assert json.loads(await asyncio.wait_for(waiter.read_message(), timeout=5))["command"] == "reload"
        waiter.close()

    asyncio.run(run())
