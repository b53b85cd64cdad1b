"""`serve`: the editors' preview. Builds into memory, serves from memory, rebuilds when content,
templates or assets change, and reloads open tabs (livereload).

Nothing is written to disk, so there is never a half-written site. Rebuilds go through the same
`SiteBuilder` code as `build`, kept between rebuilds (`keep=True`): after an edit only what it
reaches is parsed, checked and rendered again. While the content
has errors, every page answers with an overlay listing them (`path:line`), instead of a stale
page; once fixed, the next rebuild brings the pages back and the tab reloads by itself.
"""

from __future__ import annotations

import html
import logging
import mimetypes
import re
import socket
import sys
import threading
import time
from dataclasses import dataclass, field

from portal.build.builder import BuildOptions, BuildResult, SiteBuilder
from portal.diagnostics import Diagnostic
from portal.write.outputs import Outputs

_CSP_META = re.compile(rb'<meta http-equiv="Content-Security-Policy"[^>]*>\n?')
CONTENT_TYPES = {".html": "text/html; charset=utf-8", ".ics": "text/calendar; charset=utf-8",
                 ".xml": "application/xml; charset=utf-8", ".txt": "text/plain; charset=utf-8",
                 ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                 ".json": "application/json; charset=utf-8", ".svg": "image/svg+xml"}


@dataclass
class Preview:
    """What the server shows: the last good outputs, or the errors that prevent a build."""

    builder: SiteBuilder
    base_path: str = "/"
    outputs: Outputs | None = None
    errors: list[Diagnostic] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def rebuild(self) -> BuildResult:
        started = time.perf_counter()
        result = self.builder.build()
        with self.lock:
            if result.outputs is not None and result.index is not None:
                self.outputs = result.outputs
                self.base_path = result.index.site.config.base_path
                self.errors = []
            else:
                self.errors = [d for d in result.diagnostics if d.is_error]
        elapsed = time.perf_counter() - started
        if self.errors:
            print(f"Nội dung có {len(self.errors)} lỗi ({elapsed:.2f} s):", file=sys.stderr)
            for diagnostic in self.errors:
                print("  " + diagnostic.format(), file=sys.stderr)
        else:
            print(f"Đã dựng lại: {len(result.rendered)}/{len(result.outputs or ())} tệp ({elapsed:.2f} s).",
                  file=sys.stderr)
        return result

    def respond(self, path: str) -> tuple[str, str, bytes, list[tuple[str, str]]]:
        """(status, content type, body, extra headers) for a request path."""
        with self.lock:
            outputs, errors, base = self.outputs, list(self.errors), self.base_path
        if not path.startswith(base):
            if path == "/" and base != "/":
                return "302 Found", "text/plain", b"", [("Location", base)]
            return "404 Not Found", "text/plain; charset=utf-8", "Không có trang này.".encode(), []
        relative = path[len(base):]
        is_page = relative == "" or relative.endswith("/") or relative.endswith(".html")
        if errors and (is_page or outputs is None):
            return "500 Internal Server Error", CONTENT_TYPES[".html"], overlay(errors), []
        if outputs is None:
            return "503 Service Unavailable", "text/plain; charset=utf-8", "Đang dựng trang…".encode(), []
        name = relative + "index.html" if is_page and not relative.endswith(".html") else relative
        if name in outputs:
            suffix = "." + name.rsplit(".", 1)[-1] if "." in name else ""
            content_type = CONTENT_TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"
            body = outputs[name]
            if suffix == ".html":  # the preview's reload script is inline: the published CSP would block it
                body = _CSP_META.sub(b"", body, count=1)
            return "200 OK", content_type, body, [("Cache-Control", "no-store")]
        if relative + "/index.html" in outputs:
            return "301 Moved Permanently", "text/plain", b"", [("Location", path + "/")]
        return "404 Not Found", CONTENT_TYPES[".html"], outputs.get("404.html"), []

    def wsgi(self, environ, start_response):
        status, content_type, body, headers = self.respond(environ.get("PATH_INFO") or "/")
        start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(body))), *headers])
        return [body]


def overlay(errors: list[Diagnostic]) -> bytes:
    """The page every URL shows while the content has errors."""
    items = "\n".join(
        f"<li><code>{html.escape(d.path)}{':' + str(d.line) if d.line else ''}"
        f"{':' + str(d.col) if d.line and d.col else ''}</code> "
        f"<strong>{html.escape(d.field + ': ' if d.field else '')}{html.escape(d.message)}</strong>"
        f"{' — ' + html.escape(d.hint) if d.hint else ''} <small>[{html.escape(d.code)}]</small></li>"
        for d in errors)
    page = f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Nội dung có lỗi</title>
<style>body{{font-family:system-ui,sans-serif;margin:0;background:#2b0b0c;color:#fff}}
main{{max-width:60rem;margin:0 auto;padding:1.5rem}}h1{{color:#f2c14e}}li{{margin:.6rem 0;line-height:1.5}}
code{{background:#000;padding:.1rem .3rem;border-radius:3px}}small{{color:#bbb}}</style>
</head><body><main id="loi-noi-dung">
<h1>Nội dung đang có {len(errors)} lỗi</h1>
<p>Trang chưa được dựng lại. Sửa các lỗi dưới đây rồi lưu tệp: trang sẽ tự tải lại.</p>
<ol>
{items}
</ol>
</main></body></html>
"""
    return page.encode("utf-8")


def serve(options: BuildOptions, port: int, host: str = "127.0.0.1") -> int:
    from livereload import Server  # imported here: only the dev server needs tornado
    from livereload.handlers import LiveReloadHandler

    # livereload drops any change that comes within 3 s of the previous reload (to coalesce
    # bursts). A dropped reload is a stale page in front of the editor; our rebuild already
    # takes every change on disk at once, so every change must reload.
    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0

    with socket.socket() as probe:  # say it plainly, before building, if the port is taken
        try:
            probe.bind((host, port))
        except OSError:
            print(f"error: cổng {port} đang được chương trình khác dùng — chạy lại với `--port {port + 1}` "
                  "(hoặc một cổng khác)", file=sys.stderr)
            return 1
    preview = Preview(SiteBuilder(options))
    preview.rebuild()
    server = Server(app=preview.wsgi)
    for folder in (options.content, options.templates):
        server.watch(str(folder), preview.rebuild)
    logging.getLogger("livereload").setLevel(logging.WARNING)
    print(f"Xem trước tại http://{host}:{port}{preview.base_path} (bấm Ctrl+C để dừng)", file=sys.stderr)
    server.serve(port=port, host=host, debug=False, restart_delay=0)
    return 0
