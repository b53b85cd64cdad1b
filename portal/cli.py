"""Command line: `build` and `check` (the same as the `portal` console script and `build.py`)."""

from __future__ import annotations

import argparse
import dataclasses
import errno
import json
import sys
import traceback
from concurrent.futures.process import BrokenProcessPool
from datetime import date
from pathlib import Path

from portal.build.parallel import available_workers
from portal.diagnostics import Diagnostic, Severity, has_errors, printable, report
from portal.pipeline import DEFAULT_TEMPLATES, BuildOptions, build, check_content
from portal.urls import BASE_URL_HINT, is_base_url
from portal.write.outputs import MARKER
from portal.write.publish import UnsafeOutputFolder


def _today(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"`{text}` không phải ngày dạng YYYY-MM-DD") from None


def _document_kind(text: str) -> str:
    from portal.content.models import DocumentKind
    if text not in {kind.value for kind in DocumentKind}:
        raise argparse.ArgumentTypeError(f"loại văn bản `{text}` không có; chọn một trong: "
                                         + ", ".join(kind.value for kind in DocumentKind))
    return text


def _base_url(text: str) -> str:
    if not is_base_url(text):
        raise argparse.ArgumentTypeError(f"`{printable(text)}` không phải địa chỉ http(s) dùng được — {BASE_URL_HINT}")
    return text


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="portal", description="Cổng lịch và đề cương tuyên truyền: dựng trang tĩnh từ content/.")
    parser.add_argument("--debug", action="store_true", help="in traceback khi có lỗi nội bộ")
    commands = parser.add_subparsers(dest="command", required=True)

    def common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--content", type=Path, default=Path("content"), help="thư mục nội dung (mặc định: content/)")
        sub.add_argument("--today", type=_today, default=None,
                         help="ngày hôm nay YYYY-MM-DD (mặc định: hôm nay theo múi giờ của site.yaml)")
        sub.add_argument("--templates", type=Path, default=DEFAULT_TEMPLATES, help="thư mục giao diện")
        sub.add_argument("--base-url", type=_base_url, default=None, help="thay base_url của site.yaml")
        sub.add_argument("--strict", action="store_true", help="coi cảnh báo là lỗi")
        sub.add_argument("--format", choices=("text", "github", "json", "markdown"), default="text",
                         help="cách in lỗi: text (mặc định), github (chú thích trên pull request), json")

    build_cmd = commands.add_parser("build", help="kiểm tra nội dung rồi dựng trang vào --out")
    common(build_cmd)
    build_cmd.add_argument("--out", type=Path, default=Path("site"), help="thư mục kết quả (mặc định: site/)")
    build_cmd.add_argument("--force", action="store_true",
                           help="dựng lại toàn bộ kể cả khi nội dung không đổi từ lần dựng trước")
    build_cmd.add_argument("--jobs", "-j", type=int, default=0,
                           help="số tiến trình dựng song song (mặc định: mọi lõi CPU)")
    build_cmd.add_argument("--relative-links", action="store_true",
                           help="liên kết tương đối giữa các trang: để mở thư mục site/ trên máy không cần máy chủ "
                                "(bản xem trước tải về từ CI)")
    build_cmd.add_argument("--previous", default=None, metavar="URL|THƯ_MỤC",
                           help="lần xuất bản trước, để giữ SEQUENCE của sự kiện lịch: địa chỉ trang đang chạy "
                                "(tải lich/phien-ban.json) hoặc thư mục bản dựng trước (mặc định: --out)")
    build_cmd.add_argument("--no-cache", action="store_true",
                           help="không dùng bộ nhớ đệm bên cạnh --out (.site.cache.sqlite): làm lại mọi thẻ chia sẻ, "
                                "toàn văn và sự kiện lịch")
    check_cmd = commands.add_parser("check", help="chỉ kiểm tra nội dung, in mọi lỗi")
    common(check_cmd)
    new_cmd = commands.add_parser("new", help="tạo tệp văn bản mới với khung thông tin và dàn ý")
    new_cmd.add_argument("kind", help="loại: ke-hoach, cong-van, huong-dan, de-cuong, chi-thi, nghi-quyet, "
                                      "ket-luan, thong-bao, bao-cao")
    new_cmd.add_argument("--title", required=True, help="trích yếu")
    new_cmd.add_argument("--number", default="", help="số, ký hiệu (ví dụ 443-KH/TU)")
    new_cmd.add_argument("--issuer", default="", help="mã đơn vị ban hành (trong units.yaml)")
    new_cmd.add_argument("--slug", default=None, help="tên tệp (mặc định: tạo từ số và trích yếu)")
    new_cmd.add_argument("--content", type=Path, default=Path("content"), help="thư mục nội dung")
    import_cmd = commands.add_parser("import", help="nhập văn bản từ tệp Word .docx, PDF có lớp chữ, hoặc .txt/.md "
                                                    "(UTF-8, UTF-16, Windows-1258); hoặc mọi tệp trong một thư mục")
    import_cmd.add_argument("file", type=Path, help="tệp văn bản, hoặc thư mục")
    import_cmd.add_argument("--kind", type=_document_kind, default=None,
                            help="loại văn bản, nếu muốn chỉ rõ: ke-hoach, cong-van, huong-dan, de-cuong, …")
    import_cmd.add_argument("--issuer", default="", help="mã đơn vị ban hành (trong units.yaml)")
    import_cmd.add_argument("--slug", default=None, help="tên tệp (mặc định: tạo từ số và trích yếu)")
    import_cmd.add_argument("--content", type=Path, default=Path("content"), help="thư mục nội dung")
    schema_cmd = commands.add_parser("schema", help="tạo JSON Schema và cấu hình Front Matter cho VS Code "
                                                    "từ mô hình nội dung")
    schema_cmd.add_argument("--out", type=Path, default=Path("schema"), help="thư mục (mặc định: schema/)")
    schema_cmd.add_argument("--content", type=Path, default=Path("content"),
                            help="thư mục nội dung: danh sách đơn vị, chủ đề, ngày kỷ niệm để chọn")
    schema_cmd.add_argument("--front-matter", type=Path, default=Path("frontmatter.json"),
                            help="tệp cấu hình Front Matter CMS (mặc định: frontmatter.json)")
    schema_cmd.add_argument("--cms", type=Path, default=None, metavar="TỆP",
                            help="ghi thêm cấu hình trang biên tập /admin/ (Decap CMS) như `build` tạo, "
                                 "cần khối `cms:` trong site.yaml")
    serve_cmd = commands.add_parser("serve", help="xem trước trên máy, tự dựng lại và tải lại trang khi sửa")
    common(serve_cmd)
    serve_cmd.add_argument("--port", type=int, default=8000, help="cổng (mặc định: 8000)")
    serve_cmd.add_argument("--host", default="127.0.0.1", help="địa chỉ (mặc định: 127.0.0.1, chỉ máy này)")
    serve_cmd.add_argument("--allow-host", action="append", default=[], metavar="TÊN",
                           help="tên máy khác được mở bản xem trước (ngoài 127.0.0.1, localhost, [::1]); "
                                "có thể ghi nhiều lần")
    return parser


def _print_diagnostics(diagnostics: list[Diagnostic], style: str = "text") -> None:
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    warnings = len(diagnostics) - errors
    if style == "github":  # GitHub Actions workflow commands: annotations on the pull request's lines
        for d in diagnostics:
            print(d.github_annotation())
        return
    if style == "markdown":  # a table for the summary of a CI run ($GITHUB_STEP_SUMMARY)
        print(markdown_summary(diagnostics))
        return
    if style == "json":
        print(json.dumps({"errors": errors, "warnings": warnings, "diagnostics": [d.as_dict() for d in diagnostics]},
                         ensure_ascii=False, indent=1))
        return
    for diagnostic in diagnostics:
        print(diagnostic.format(), file=sys.stderr)
    if diagnostics:
        print(f"{errors} lỗi, {warnings} cảnh báo.", file=sys.stderr)


def _cell(text: str) -> str:
    return printable(text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("\r", " "))


def markdown_summary(diagnostics: list[Diagnostic]) -> str:
    """The problems as a Markdown table in Vietnamese, errors first."""
    errors = sum(d.is_error for d in diagnostics)
    if not diagnostics:
        return "### Kiểm tra nội dung: không có lỗi hay cảnh báo ✅\n"
    lines = [f"### Kiểm tra nội dung: {errors} lỗi, {len(diagnostics) - errors} cảnh báo", "",
             "| | tệp | dòng | mã | vấn đề | cách sửa |", "|---|---|---:|---|---|---|"]
    for d in sorted(diagnostics, key=lambda d: (not d.is_error, d.path, d.line, d.col)):
        place = f"{d.line}:{d.col}" if d.line and d.col else str(d.line or "")
        problem = (f"`{_cell(d.field)}`: " if d.field else "") + _cell(d.message)
        lines.append(f"| {'❌' if d.is_error else '⚠️'} | `{_cell(d.path)}` | {place} | `{d.code}` | {problem} | "
                     f"{_cell(d.hint)} |")
    return "\n".join(lines) + "\n"


_WRITE_PROBLEMS = {
    errno.ENOSPC: "ổ đĩa đã đầy", errno.EDQUOT: "đã hết hạn mức dung lượng", errno.EROFS: "ổ đĩa chỉ cho phép đọc",
    errno.EACCES: "không có quyền ghi", errno.EPERM: "không có quyền ghi", errno.ENAMETOOLONG: "tên tệp quá dài",
}


def _write_problem(error: OSError) -> str:
    """The system's reason in Vietnamese, the original in parentheses (as for YAML messages)."""
    reason = _WRITE_PROBLEMS.get(error.errno or 0)
    return f"{reason} ({error.strerror})" if reason else str(error.strerror or error)


def _failed(diagnostics: list[Diagnostic], strict: bool) -> bool:
    return has_errors(diagnostics) or (strict and bool(diagnostics))


IMPORTABLE = (".docx", ".pdf", ".txt", ".md")


def _import(args: argparse.Namespace) -> int:
    """`import FILE` or `import FOLDER/` (every .docx, .pdf, .txt and .md in it, with a summary table)."""
    from portal.content.validate import reference_lists
    from portal.load.files import load_content

    if args.file.is_dir():
        sources = sorted(path for path in args.file.iterdir() if path.is_file() and path.suffix.lower() in IMPORTABLE)
        if args.slug:
            print("error: `--slug` chỉ dùng khi nhập một tệp", file=sys.stderr)
            return 1
        if not sources:
            print(f"error: thư mục `{args.file}` không có tệp .docx, .pdf, .txt hay .md", file=sys.stderr)
            return 1
    elif args.file.is_file():
        sources = [args.file]
    else:
        print(f"error: không có tệp `{args.file}`", file=sys.stderr)
        return 1
    from portal.authoring.importer import known_documents

    raw = load_content(args.content)
    units, commemorations = reference_lists(raw)
    documents = known_documents(document.data for document in raw.documents)
    rows = [_import_one(source, args, units, commemorations, documents, len(sources) > 1) for source in sources]
    created = [path for path, _ in rows if path is not None]
    if created:
        # What still needs a human, at once: the check's messages about the new files.
        _, diagnostics = check_content(BuildOptions(content=args.content, out=Path("site"), today=None))
        names = {path.name for path in created}
        mine = [d for d in diagnostics if Path(d.path).name in names]
        print("Kết quả kiểm tra tệp mới:" if mine else "Kiểm tra tệp mới: không có lỗi.", file=sys.stderr)
        _print_diagnostics(mine)
    if len(sources) > 1:
        print(f"\nĐã nhập {len(created)}/{len(sources)} tệp:", file=sys.stderr)
        print("| tệp | kết quả | số | loại | trích yếu | cần xem lại |", file=sys.stderr)
        print("|---|---|---|---|---|---|", file=sys.stderr)
        for source, (_, cells) in zip(sources, rows, strict=True):
            print("| " + " | ".join([source.name, *cells]) + " |", file=sys.stderr)
    return 0 if len(created) == len(sources) else 1


def _import_one(source: Path, args: argparse.Namespace, units, commemorations, documents,
                in_folder: bool) -> tuple[Path | None, list[str]]:
    """Import one file: the file written (None when it failed) and its row of the summary table."""
    from portal.authoring.importer import document_text, recognise, report
    from portal.authoring.sources import read_document
    from portal.content.models import file_name_problem
    from portal.content.slugs import slugify

    def failed(message: str) -> tuple[None, list[str]]:
        print(f"error: {message}", file=sys.stderr)
        return None, ["lỗi: " + message.replace("|", "/"), "", "", "", ""]

    if source.suffix.lower() == ".doc":
        return failed(f"`{source}` là tệp Word cũ (.doc) — mở bằng Word hoặc LibreOffice, lưu lại dạng .docx "
                      "rồi nhập tệp .docx")
    text, problems = read_document(source)
    if text is None:
        _print_diagnostics(problems)
        return None, ["lỗi: " + "; ".join(f"[{p.code}]" for p in problems), "", "", "", ""]
    result = recognise(text, units, args.kind, commemorations, documents)
    front = result.front
    slug = args.slug or slugify(f"{front.get('number', '').lstrip('/')} {front.get('title', '')}".strip(),
                                max_length=70) or slugify(source.stem)
    if (problem := file_name_problem(slug)) is not None:
        return failed(problem)
    path = args.content / "documents" / f"{slug}.md"
    try:
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(document_text(result, args.issuer, source.name))
    except FileExistsError:
        return failed(f"`{path}` đã có; " + ("đổi tên hoặc xóa tệp đó" if in_folder else "chọn `--slug` khác"))
    except OSError as error:
        return failed(f"không ghi được `{path}`: {error.strerror}")
    print(f"Đã tạo {path}.", file=sys.stderr)
    for line in report(result):
        print(line, file=sys.stderr)
    doubtful = [key for key, value in result.confidence.items() if value < 0.7]
    to_review = ", ".join(doubtful + ([f"{len(result.unknown_units)} đơn vị mới"] if result.unknown_units else []))
    title = str(front.get("title", ""))
    return path, [path.name, str(front.get("number", "")) or "(trống)", str(front.get("kind", "")),
                  (title[:60] + "…" if len(title) > 60 else title).replace("|", "/"), to_review or "—"]


def run(args: argparse.Namespace) -> int:
    if args.command == "import":
        return _import(args)
    if args.command == "new":
        from portal.authoring.scaffold import ScaffoldError, create_document
        try:
            path = create_document(args.content, args.kind, args.title, args.number, args.issuer, args.slug)
        except ScaffoldError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        print(f"Đã tạo {path}.", file=sys.stderr)
        # What still needs the editor, right away (e.g. a number that another document already has).
        _, diagnostics = check_content(BuildOptions(content=args.content, out=Path("site"), today=None))
        mine = [d for d in diagnostics if Path(d.path).name == path.name or f"/{path.name}:" in d.message]
        _print_diagnostics(mine)
        print("Điền các trường còn trống và thay các dòng mẫu, rồi chạy `python3 build.py check`.", file=sys.stderr)
        return 0
    if args.command == "schema":
        from portal.authoring.frontmatter import render_front_matter_config
        from portal.authoring.schema import write_schemas
        from portal.content.validate import reference_lists, valid_topics
        from portal.load.files import load_content

        for path in write_schemas(args.out):
            print(f"Đã ghi {path}", file=sys.stderr)
        raw = load_content(args.content)
        units, commemorations = reference_lists(raw)
        args.front_matter.write_text(render_front_matter_config(units, valid_topics(raw), commemorations),
                                     encoding="utf-8")
        print(f"Đã ghi {args.front_matter}", file=sys.stderr)
        if args.cms is not None:
            return _write_cms_config(args.content, args.cms)
        return 0
    options = BuildOptions(content=args.content, out=getattr(args, "out", Path("site")), today=args.today,
                           templates=args.templates, base_url=args.base_url, previous=getattr(args, "previous", None),
                           workers=getattr(args, "jobs", 0) or available_workers(),
                           relative_links=getattr(args, "relative_links", False),
                           cache=not getattr(args, "no_cache", False))
    if args.command == "serve":
        from portal.serve import serve
        # One process: the server's threads are running, and a rebuild after one edit is small.
        return serve(dataclasses.replace(options, workers=1), args.port, args.host, tuple(args.allow_host))
    if args.command == "check":
        _, diagnostics = check_content(options)
        _print_diagnostics(diagnostics, args.format)
        if not _failed(diagnostics, args.strict) and args.format == "text":
            print("Nội dung hợp lệ.", file=sys.stderr)
        return 1 if _failed(diagnostics, args.strict) else 0
    try:
        result = build(options, force=args.force, strict=args.strict)
    except UnsafeOutputFolder as error:
        print(report("unsafe-output", str(options.out), detail=error).format(), file=sys.stderr)
        return 1
    except BrokenProcessPool:  # a worker was killed, most often by the kernel for want of memory
        print(report("worker-died", str(options.out), out=options.out).format(), file=sys.stderr)
        return 1
    except OSError as error:
        print(report("write-failed", str(error.filename or options.out), detail=_write_problem(error),
                     out=options.out).format(), file=sys.stderr)
        return 1
    _print_diagnostics(result.diagnostics)
    if _failed(result.diagnostics, args.strict):
        reason = "nội dung còn lỗi" if not result.ok else "còn cảnh báo (--strict)"
        kept = "giữ nguyên" if (options.out / MARKER).is_file() else "chưa có trang nào"  # say only what is true
        print(f"Không dựng trang: {reason}; {options.out}/ {kept}.", file=sys.stderr)
        return 1
    if result.unchanged is not None:
        print(f"Nội dung, giao diện và ngày không đổi từ lần dựng trước: {options.out}/ giữ nguyên "
              f"({len(result.unchanged.files)} tệp, ngày {result.unchanged.today:%d/%m/%Y}; "
              "`--force` để dựng lại).", file=sys.stderr)
        return 0
    assert result.outputs is not None and result.index is not None
    print(f"Đã dựng {len(result.outputs)} tệp vào {options.out}/ (ngày {result.index.today:%d/%m/%Y}).",
          file=sys.stderr)
    return 0


def _write_cms_config(content: Path, target: Path) -> int:
    """The web editor's config.yml, as `build` writes it into site/admin/ (for review or a host
    that serves /admin/ apart from the site)."""
    from portal.render.cms import render_cms_config

    site, diagnostics = check_content(BuildOptions(content=content, out=Path("site"), today=None))
    if site is None or has_errors(diagnostics):
        print("Nội dung còn lỗi: chạy `python3 build.py check` và sửa trước.", file=sys.stderr)
        return 1
    if site.config.cms is None:
        print("site.yaml chưa có khối `cms:` (xem mục 10.1 của hướng dẫn biên tập).", file=sys.stderr)
        return 1
    target.write_text(render_cms_config(site.config, site.units, site.topics, site.commemorations), encoding="utf-8")
    print(f"Đã ghi {target}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    try:
        return run(args)
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # a bug in the portal, not in the content: say so, briefly
        if args.debug:
            traceback.print_exc()
        print(f"error: lỗi nội bộ của công cụ ({type(error).__name__}: {error}) — "
              "chạy lại với --debug và báo cho nhóm phát triển", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
