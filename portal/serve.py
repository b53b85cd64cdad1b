"""`serve`: the editors' preview. Builds into memory, serves from memory, rebuilds when content,
templates or assets change, and reloads open tabs (livereload).

Nothing is written to disk, so there is never a half-written site. Rebuilds go through the same
`SiteBuilder` code as `build`, kept between rebuilds (`keep=True`): after an edit only what it
reaches is parsed, checked and rendered again. While the content has errors, or a rebuild raised
(a bug, a template error, a file system problem), every page answers 500 with an overlay listing
them (`path:line`), instead of a stale page; the next good rebuild brings the pages back and the
tab reloads by itself.

The preview answers only requests addressed to this machine by name (the `Host` header:
127.0.0.1, localhost, [::1] with the port, or a name given by `--allow-host`), so that a page of
another site cannot read it through a rebound DNS name; the live-reload socket and `/forcereload`
answer only pages of the preview itself (the `Origin` header).
"""

from __future__ import annotations

import html
import logging
import mimetypes
import os
import re
import socket
import sys
import threading
import time
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from portal.build.builder import BuildOptions, BuildResult, SiteBuilder
from portal.diagnostics import Diagnostic, display_path, printable, report
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

    def rebuild(self, changed: Collection[str] | None = None) -> BuildResult:
        """Build again; `changed`: the paths the watcher saw change (None: look at every file)."""
        started = time.perf_counter()
        try:
            result = self.builder.build(changed=changed)
        except Exception as error:  # not the content's fault: shown like its errors, never a stale page
            # What the kept builder holds may be half updated: the next rebuild starts afresh.
            self.builder = SiteBuilder(self.builder.options)
            result = BuildResult([report("internal-error", str(self.builder.options.content),
                                         detail=f"{type(error).__name__}: {error}")])
        warnings = sum(1 for d in result.diagnostics if not d.is_error)
        with self.lock:
            if result.outputs is not None and result.index is not None:
                self.outputs = result.outputs
                self.base_path = result.index.site.config.base_path
                self.errors = []
            else:
                self.errors = [d for d in result.diagnostics if d.is_error]
        elapsed = time.perf_counter() - started
        print(rebuild_line(time.strftime("%H:%M:%S"), elapsed, result, len(self.errors), warnings,
                           changed_label(changed)), file=sys.stderr)
        for diagnostic in self.errors:
            print("  " + diagnostic.format(), file=sys.stderr)
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
            return "500 Internal Server Error", CONTENT_TYPES[".html"], overlay(errors), [("Cache-Control", "no-store")]
        if outputs is None:
            return "503 Service Unavailable", "text/plain; charset=utf-8", "Đang dựng trang…".encode(), []
        name = relative + "index.html" if is_page and not relative.endswith(".html") else relative
        if name in outputs:
            suffix = "." + name.rsplit(".", 1)[-1] if "." in name else ""
            content_type = CONTENT_TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"
            body = outputs[name]
            if suffix == ".html":
                body = _without_csp(body)
            return "200 OK", content_type, body, [("Cache-Control", "no-store")]
        if relative + "/index.html" in outputs:
            return "301 Moved Permanently", "text/plain", b"", [("Location", path + "/")]
        # The 404 page too must reload when the missing page appears (a document being written).
        return "404 Not Found", CONTENT_TYPES[".html"], _without_csp(outputs.get("404.html")), \
            [("Cache-Control", "no-store")]

    def wsgi(self, environ, start_response):  # behind `_Guarded`: the Host header is checked
        status, content_type, body, headers = self.respond(environ.get("PATH_INFO") or "/")
        start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(body))), *headers])
        return [body]


def _without_csp(body: bytes) -> bytes:
    """The preview injects livereload's script, which the published Content-Security-Policy would
    block: every HTML page the preview answers with, whatever its status, goes without it."""
    return _CSP_META.sub(b"", body, count=1)


def changed_label(changed: Collection[str] | None) -> str:
    """What the editor changed, as the terminal names it: the file, or how many there were. An
    editor's temporary file, gone by now (sed's, an atomic save's), is not named beside it."""
    if not changed:
        return ""
    there = [path for path in changed if os.path.lexists(path)] or list(changed)
    if len(there) > 1:
        return f"{len(there)} tệp"
    return display_path(Path(there[0]), Path.cwd())


def rebuild_line(clock: str, elapsed: float, result: BuildResult, errors: int, warnings: int,
                 changed: str = "") -> str:
    """The terminal's one line per rebuild, in Vietnamese; `changed`: what the editor changed."""
    after = f" sau khi sửa {changed}" if changed else ""
    if errors:
        return (f"{clock} Chưa dựng lại{after}: nội dung có {errors} lỗi (xem ở trình duyệt hoặc dưới đây), "
                f"{elapsed:.2f} s")
    problems = f", {warnings} cảnh báo" if warnings else ""
    return (f"{clock} Đã dựng lại {len(result.rendered)} trang{after}, tổng {len(result.outputs or ())} tệp, "
            f"trong {elapsed:.2f} s{problems}")


def excerpt(diagnostic: Diagnostic, cwd: Path | None = None) -> str:
    """The offending source line with a caret under the column (HTML), or "" when unknown."""
    if not diagnostic.line:
        return ""
    try:
        with open((cwd or Path.cwd()) / diagnostic.path, encoding="utf-8", errors="replace") as source:
            text = next((line for number, line in enumerate(source, 1) if number == diagnostic.line), None)
    except OSError:
        return ""
    if text is None:
        return ""
    text = text.rstrip("\n")[:300]
    gutter = f"{diagnostic.line} | "
    caret = " " * (len(gutter) + max(diagnostic.col - 1, 0)) + "^" if diagnostic.col else ""
    return f'<pre class="trich">{html.escape(gutter + text)}\n{caret}</pre>'


def overlay(errors: list[Diagnostic]) -> bytes:
    """The page every URL shows while the content has errors: each error with its source line."""
    items = "\n".join(
        f"<li><code>{html.escape(d.path)}{':' + str(d.line) if d.line else ''}"
        f"{':' + str(d.col) if d.line and d.col else ''}</code> "
        f"<strong>{html.escape(d.field + ': ' if d.field else '')}{html.escape(d.message)}</strong>"
        f"{' — ' + html.escape(d.hint) if d.hint else ''} <small>[{html.escape(d.code)}]</small>{excerpt(d)}</li>"
        for d in errors)
    page = f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Nội dung có lỗi</title>
<style>body{{font-family:system-ui,sans-serif;margin:0;background:#2b0b0c;color:#fff}}
main{{max-width:60rem;margin:0 auto;padding:1.5rem}}h1{{color:#f2c14e}}li{{margin:.6rem 0;line-height:1.5}}
code{{background:#000;padding:.1rem .3rem;border-radius:3px}}small{{color:#bbb}}
pre.trich{{background:#000;color:#f2c14e;padding:.5rem;overflow-x:auto;margin:.3rem 0 0}}</style>
</head><body><main id="loi-noi-dung">
<h1>Nội dung đang có {len(errors)} lỗi</h1>
<p>Trang chưa được dựng lại. Sửa các lỗi dưới đây rồi lưu tệp: trang sẽ tự tải lại.</p>
<ol>
{items}
</ol>
</main></body></html>
"""
    return page.encode("utf-8")


LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


@dataclass(frozen=True)
class Guard:
    """Which requests the preview answers: those addressed to one of `names` on `port` (the Host
    header), and, for the live-reload socket and `/forcereload`, those sent by a page of the
    preview itself (the Origin header)."""

    port: int
    names: tuple[str, ...] = LOOPBACK_NAMES

    @classmethod
    def of(cls, port: int, host: str, allowed: tuple[str, ...] = ()) -> Guard:
        """The loopback names, the address served on (unless it is every address) and `allowed`."""
        extra = [host] if host not in ("", "0.0.0.0", "::") else []
        names = dict.fromkeys(name.lower() for name in (*LOOPBACK_NAMES, *extra, *allowed))
        return cls(port, tuple(f"[{name}]" if ":" in name and not name.startswith("[") else name for name in names))

    def _hosts(self) -> set[str]:
        hosts = {f"{name}:{self.port}" for name in self.names}
        return hosts | set(self.names) if self.port == 80 else hosts  # a browser leaves out the default port

    def host_allowed(self, host: str | None) -> bool:
        return host is not None and host.strip().lower() in self._hosts()

    def origin_allowed(self, origin: str | None) -> bool:
        return origin is not None and origin.lower() in {f"http://{host}" for host in self._hosts()}


def _refusal(guard: Guard, host: str | None) -> str:
    names = ", ".join(f"{name}:{guard.port}" for name in guard.names)
    return (f"Bản xem trước không trả lời địa chỉ `{printable(host or '')}`: chỉ {names}. "
            "Nếu cần mở bằng tên khác, chạy lại `serve` với `--allow-host TÊN`.\n")


def _handlers(guard: Guard, app, script: bytes) -> list:
    """livereload's handlers (server.Server.application), each behind the guard."""
    from livereload.handlers import ForceReloadHandler, LiveReloadHandler, LiveReloadJSHandler
    from livereload.server import LiveScriptContainer
    from tornado import web

    class Guarded(web.RequestHandler):
        def prepare(self) -> None:
            host = self.request.headers.get("Host")
            if not guard.host_allowed(host):  # DNS rebinding: a page of another site, sent here by name
                self.set_status(403)
                self.set_header("Content-Type", "text/plain; charset=utf-8")
                self.finish(_refusal(guard, host))
                return
            super().prepare()

    class Socket(Guarded, LiveReloadHandler):
        def check_origin(self, origin: str) -> bool:  # livereload's accepts every origin
            return guard.origin_allowed(origin)

    class ForceReload(Guarded, ForceReloadHandler):
        def get(self) -> None:  # livereload's reloads for anyone; a link on another site needs no Origin
            if not guard.origin_allowed(self.request.headers.get("Origin")):
                self.set_status(403)
                self.finish("Chỉ trang của bản xem trước được yêu cầu tải lại.\n")
                return
            super().get()

    class Script(Guarded, LiveReloadJSHandler):
        pass

    class Pages(Guarded, web.FallbackHandler):
        pass

    return [(r"/livereload", Socket), (r"/forcereload", ForceReload), (r"/livereload.js", Script),
            (r".*", Pages, {"fallback": LiveScriptContainer(app, script)})]


# livereload's snippet (server.Server.application): loads livereload.js from the page's own host and port.
_LIVE_SCRIPT = (b'<script type="text/javascript">(function(){var s=document.createElement("script");'
                b"var port=(window.location.port || (window.location.protocol == 'https:' ? 443: 80));"
                b's.src="//"+window.location.hostname+":"+port+ "/livereload.js?port=" + port;'
                b"document.head.appendChild(s);})();</script>")


class ChangeWatcher:
    """livereload's watcher, told by the operating system which paths changed (watchfiles: inotify,
    FSEvents or ReadDirectoryChangesW, polling only where those do not work) instead of walking
    every watched folder every 0.8 s and asking each file's time — ten thousand of them on a large
    site; the rebuild gets the paths, so it looks at those files only. It answers livereload's
    `start`/`examine` (livereload.watcher.Watcher's protocol) on Tornado's loop."""

    def __init__(self, folders: Iterable[Path], rebuild: Callable[[frozenset[str]], object]):
        self.folders = tuple(os.path.abspath(folder) for folder in folders)
        self.rebuild = rebuild
        self.filepath: str | None = None  # livereload's reload message names it
        self._changes: list[tuple[str, float]] = []  # livereload's own ("__livereload__", delay) on start
        self._tasks = dict.fromkeys(self.folders)  # livereload would watch the working folder if it were empty
        self._changed: set[str] = set()
        self._lock = threading.Lock()
        self._wake: Callable[[], None] | None = None  # once livereload has started: a rebuild on its loop
        self._following: threading.Thread | None = None
        self.stopped = threading.Event()

    def follow(self) -> None:
        """Start noting changes (before the first build, so that a file saved while it runs is not missed)."""
        if self._following is None:
            self._following = threading.Thread(target=self._follow, name="watch-content", daemon=True)
            self._following.start()

    def start(self, callback: Callable[[], None]) -> bool:
        from tornado.ioloop import IOLoop

        loop = IOLoop.current()
        self._wake = lambda: loop.add_callback(callback)
        self.follow()
        callback()  # livereload's start-up reload
        with self._lock:  # what changed since `follow` (during the first build); later changes wake it
            noted = bool(self._changed)
        if noted:
            self._wake()
        return True  # livereload then polls nothing itself

    def _follow(self) -> None:
        import watchfiles

        # Every path, editors' backups and dot files too: the build itself says which names it skips.
        for polling in (None, True):
            try:
                for changes in watchfiles.watch(*self.folders, watch_filter=None, step=50, stop_event=self.stopped,
                                                raise_interrupt=False, force_polling=polling):
                    with self._lock:
                        self._changed.update(path for _, path in changes)
                    if self._wake is not None:
                        self._wake()
                return
            except (OSError, RuntimeError) as error:  # e.g. the system's limit of watched folders
                print(f"Không theo dõi được thay đổi của tệp ({error}): chuyển sang dò định kỳ.", file=sys.stderr)

    def examine(self) -> tuple[str | None, float | None]:
        if self._changes:
            return self._changes.pop()
        with self._lock:
            changed, self._changed = frozenset(self._changed), set()
        if not changed:
            return None, None
        self.rebuild(changed)
        self.filepath = min(changed)
        return self.filepath, None


def serve(options: BuildOptions, port: int, host: str = "127.0.0.1", allow_hosts: tuple[str, ...] = ()) -> int:
    from livereload import Server  # imported here: only the dev server needs tornado
    from livereload.handlers import LiveReloadHandler
    from livereload.server import LiveScriptInjector
    from tornado import web

    guard = Guard.of(port, host, allow_hosts)

    class _GuardedServer(Server):
        """livereload's server with every handler behind `guard`: its `application` builds the same
        handlers and script injection as livereload's, which has no hook for either."""

        def application(self, port, host, liveport=None, debug=None, live_css=True) -> None:
            LiveReloadHandler.watcher = self.watcher
            LiveReloadHandler.live_css = live_css

            class Transform(LiveScriptInjector):
                script = _LIVE_SCRIPT

            web.Application(_handlers(guard, self.app, _LIVE_SCRIPT), debug=False,
                            transforms=[Transform]).listen(port, address=host)

        def _setup_logging(self) -> None:
            """livereload sets its logger to INFO when it starts, printing English lines for every
            request and change; the editor reads our one Vietnamese line per rebuild instead."""
            for name in ("livereload", "tornado.application", "tornado.general"):
                logging.getLogger(name).setLevel(logging.ERROR)
            # Tornado logs every 500 answer (the overlay) as an error: the overlay is no error here.
            logging.getLogger("tornado.access").setLevel(logging.CRITICAL)

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
    watcher = ChangeWatcher((options.content, options.templates), preview.rebuild)
    watcher.follow()
    preview.rebuild()
    server = _GuardedServer(app=preview.wsgi, watcher=watcher)
    print(f"Xem trước tại http://{host}:{port}{preview.base_path} (bấm Ctrl+C để dừng)", file=sys.stderr)
    try:
        server.serve(port=port, host=host, debug=False, restart_delay=0)
    finally:
        watcher.stopped.set()
    return 0
