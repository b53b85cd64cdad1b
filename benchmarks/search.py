"""Benchmark: first search result on a 4x CPU-throttled 390 px Chromium, and bytes downloaded.

    python benchmarks/search.py [--documents 10000] [--query "tuyen truyen dai hoi"]
    python benchmarks/search.py --documents 10000 --index-only [--code DIR]   # index size and time
    python benchmarks/search.py --documents 10000 --keep /tmp/site-10k        # keep the built site
    python benchmarks/search.py --site /tmp/site-10k --query "dang cong san"  # search a kept site again
    python benchmarks/search.py --site A --compare B --query "dang cong san"  # two sites, page loads in turns

Generates a synthetic corpus, builds it, and reports the build time, the time of the search index
step (SearchIndex.update, including its share of the workers; wall and CPU, the CPU being the
steadier figure on a shared machine) and the index's size and files.
`--tmp /dev/shm` puts the corpus and the build in memory: the writeback of the rest of a large
build then no longer lands in the index step's system time (the fairer comparison of two codes).
`--code DIR`: the portal code to measure instead of this checkout's (e.g. `git archive` of an
older commit unpacked there: `git archive REV portal templates | tar -x -C DIR`, its templates
beside its code), to compare two versions on the same machine and corpus. Code from before the
architecture move (b7f3749: `portal/search.py`, `SearchIndexer.write`) is timed the same way.
Without `--index-only` it then serves the site on 127.0.0.1, opens the home page in Debian's
Chromium with CPU throttling (DevTools Emulation.setCPUThrottlingRate 4), types the query in the
header box (one `input` event with the whole query, as a paste) and reports the time from the
input event to the frame that shows the first result (measured in the page, with
performance.now(); search.js's debounce for such an event included: 80 ms until fast-query, none
since, while a keystroke still waits 80 ms), and the bytes of every search file the query
downloaded. `--profile`: one more page load per query under the DevTools CPU profiler (sampling
every 0.1 ms, same throttling), printing the main thread's self time per search.js function and
in garbage collection while the query runs (the rest of the span is the browser's own work,
waiting for the network and the throttling's pauses).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import resource
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.generate_content import generate  # noqa: E402

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


IN_PAGE_TIMER = """() => {
  const t = window.__search = {};
  document.querySelector("#tim-nhanh").addEventListener("input", () => { t.input = performance.now(); }, true);
  new MutationObserver(() => {
    if (!t.shown && document.querySelector(".search-popup .search-result")) {
      t.shown = performance.now();
      requestAnimationFrame(() => setTimeout(() => { t.painted = performance.now(); }));
    }
  }).observe(document.body, {childList: true, subtree: true});
}"""
# The last keystroke of a typed query: from its input event to the frame after the first result
# of the whole query is put on the page (the prefix's results are already there).
LAST_KEY_TIMER = """() => {
  const t = window.__search = {};
  document.querySelector("#tim-nhanh").addEventListener("input", () => { t.input = performance.now(); }, true);
  const result = (n) => n.nodeType === 1 && (n.matches(".search-result") || n.querySelector(".search-result"));
  new MutationObserver((records) => {
    if (t.input && !t.shown && records.some(r => [...r.addedNodes].some(result))) {
      t.shown = performance.now();
      requestAnimationFrame(() => setTimeout(() => { t.painted = performance.now(); }));
    }
  }).observe(document.body, {childList: true, subtree: true});
}"""
# Bytes of every search file the page fetched (Resource Timing: body sizes as sent).
DOWNLOADED = """() => performance.getEntriesByType("resource").filter(e => e.name.includes("/tim-kiem/"))
  .reduce((sum, e) => sum + e.encodedBodySize, 0)"""

# The same by the index's folder ("s": shards, "v": vocabularies, "d": display rows, "x": text
# blocks, "": index.json): what the query's words cost apart from its rows and snippets.
DOWNLOADED_BY_FOLDER = """() => performance.getEntriesByType("resource").filter(e => e.name.includes("/tim-kiem/"))
  .reduce((sums, e) => {
    const folder = (e.name.split("/tim-kiem/")[1].match(/^([a-z])\\//) || [null, ""])[1];
    sums[folder] = (sums[folder] || 0) + e.encodedBodySize;
    return sums;
  }, {})"""

# The same, of the files whose download ended before the first result was painted.
DOWNLOADED_BY = """(painted) => performance.getEntriesByType("resource")
  .filter(e => e.name.includes("/tim-kiem/") && e.responseEnd <= painted)
  .reduce((sum, e) => sum + e.encodedBodySize, 0)"""


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


# The profiler runs from the input event to the frame after the first result (console.profile).
PROFILED = """() => {
  const t = window.__search = {};
  document.querySelector("#tim-nhanh").addEventListener("input", () => {
    console.profile("query");
    t.input = performance.now();
  }, true);
  new MutationObserver(() => {
    if (!t.shown && document.querySelector(".search-popup .search-result")) {
      t.shown = performance.now();
      requestAnimationFrame(() => setTimeout(() => { t.painted = performance.now(); console.profileEnd("query"); }));
    }
  }).observe(document.body, {childList: true, subtree: true});
}"""


def throttled_page(browser, url: str):
    """`url` in a fresh 390 px page with the CPU throttled 4x, and the page's DevTools session."""
    page = browser.new_page(viewport={"width": 390, "height": 900})
    cdp = page.context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    page.goto(url)
    # Playwright compiles its own injected script in a page world on the first call that needs
    # it: ~50 ms of the throttled main thread, which would otherwise land inside the timed span
    # (the fill's world and then wait_for_function's). A reader's browser runs no such script.
    page.locator("#tim-nhanh").focus()
    page.wait_for_function("() => true")
    return page, cdp


def profile(browser, url: str, query: str) -> str:
    """One more page load under the DevTools CPU profiler, from the input event to the frame after
    the first result: the main thread's self time per search.js function and in garbage collection
    (ms, throttled; the rest of the span is the browser's own work, waiting for the network and
    the throttling's pauses)."""
    page, cdp = throttled_page(browser, url)
    profiles: list[dict] = []
    cdp.on("Profiler.consoleProfileFinished", lambda event: profiles.append(event["profile"]))
    cdp.send("Profiler.enable")
    cdp.send("Profiler.setSamplingInterval", {"interval": 100})
    page.evaluate(PROFILED)
    page.fill("#tim-nhanh", query)
    page.wait_for_function("() => window.__search && window.__search.painted", timeout=60_000)
    timing = page.evaluate("window.__search")
    while not profiles:
        page.wait_for_timeout(50)
    page.close()
    found = profiles[0]
    nodes = {node["id"]: node["callFrame"] for node in found["nodes"]}
    spent: Counter[str] = Counter()
    for sample, delta in zip(found["samples"][:-1], found["timeDeltas"][1:], strict=True):
        frame = nodes[sample]
        if "/search." in frame["url"]:
            spent[f"{frame['functionName'] or '(anonymous)'}:{frame['lineNumber'] + 1}"] += delta
        elif frame["functionName"] in ("(garbage collector)", "(idle)"):
            spent[frame["functionName"]] += delta
    inside = sum(v for k, v in spent.items() if not k.startswith("("))
    lines = [f"  profiled {query!r}: first result painted after {timing['painted'] - timing['input']:.0f} ms "
             f"(profiler on); search.js {inside / 1000:.1f} ms of main thread, by function (self time):"]
    lines += [f"    {v / 1000:7.1f} ms  {k}" for k, v in spent.most_common(10)]
    return "\n".join(lines)


def measure(browser, url: str, query: str) -> tuple[float, int, int, str, dict[str, int]]:
    """One fresh page load: seconds from the input event to the first result painted, bytes of the
    index files by then and with the snippets, the status line, and the bytes by index folder."""
    page, _ = throttled_page(browser, url)
    # Timed in the page: from the input event to the frame after the first result is on screen,
    # so the test driver's own round trips do not count.
    page.evaluate(IN_PAGE_TIMER)
    page.fill("#tim-nhanh", query)
    page.wait_for_function("() => window.__search && window.__search.painted", timeout=60_000)
    timing = page.evaluate("window.__search")
    first_bytes = page.evaluate(DOWNLOADED_BY, timing["painted"])
    page.wait_for_timeout(1500)  # snippets of the results shown
    size = page.evaluate(DOWNLOADED)
    by_folder = page.evaluate(DOWNLOADED_BY_FOLDER)
    count = page.locator("[role=status]").first.inner_text()
    page.close()
    return (timing["painted"] - timing["input"]) / 1000, first_bytes, size, count, by_folder


def last_keystroke(browser, url: str, query: str) -> float:
    """One fresh page load: the query but its last letter entered and its results settled, then the
    last letter pressed as a key: seconds from that key's input event to the whole query's first
    result painted (a keystroke waits for search.js's debounce)."""
    page, _ = throttled_page(browser, url)
    page.fill("#tim-nhanh", query[:-1])
    page.wait_for_selector(".search-popup .search-result", timeout=60_000)
    page.wait_for_timeout(1500)  # the prefix's snippets and completions done
    page.evaluate(LAST_KEY_TIMER)
    page.keyboard.press(query[-1])
    page.wait_for_function("() => window.__search && window.__search.painted", timeout=60_000)
    timing = page.evaluate("window.__search")
    page.close()
    return (timing["painted"] - timing["input"]) / 1000


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--query", action="append")
    parser.add_argument("--repeat", type=int, default=3, help="fresh page loads per query (median reported)")
    parser.add_argument("--index-only", action="store_true", help="only the index's build time and size")
    parser.add_argument("--code", type=Path, help="a folder holding the portal package to measure instead")
    parser.add_argument("--keep", type=Path, help="build the site into this folder and keep it")
    parser.add_argument("--tmp", type=Path, help="the folder for the corpus and the build (e.g. /dev/shm: "
                        "in memory, the rest of the build's disk writeback stays out of the index's timing)")
    parser.add_argument("--site", type=Path, help="a site built before (--keep): search it, build nothing")
    parser.add_argument("--profile", action="store_true", help="and one profiled page load per query")
    parser.add_argument("--compare", type=Path, action="append",
                        help="another built site, searched in turns with the first, page load by page load")
    args = parser.parse_args()
    queries = args.query or ["tuyen truyen dai hoi", "phong chong tham nhung", "dang", "dang cong san", "tuyen truyn"]
    if args.code:
        sys.path.insert(0, str(args.code.resolve()))
        for name in [name for name in sys.modules if name == "portal" or name.startswith("portal.")]:
            del sys.modules[name]
    from portal.pipeline import build
    try:
        from portal.build.builder import BuildOptions
        from portal.render.search import SearchIndex as indexer
        method = "update"
    except ImportError:  # code from before the architecture move (b7f3749): one flat package
        from portal.builder import BuildOptions  # type: ignore[no-redef]
        from portal.search import SearchIndexer as indexer  # type: ignore[no-redef]
        method = "write"

    spent = []  # per index step: wall, this process's CPU, its workers' CPU (seconds)
    index_step = getattr(indexer, method)

    def timed_step(self, *arguments, **options):
        started, cpu, workers = time.perf_counter(), time.process_time(), _children_cpu()
        try:
            return index_step(self, *arguments, **options)
        finally:
            # The step's workers are forked and reaped within it: their CPU is the children's.
            spent.append((time.perf_counter() - started, time.process_time() - cpu, _children_cpu() - workers))

    setattr(indexer, method, timed_step)

    with tempfile.TemporaryDirectory(dir=args.tmp) as folder:
        out = args.site or args.keep or Path(folder) / "site"
        if args.site is None:
            content = Path(folder) / "content"
            generate(args.documents, content)
            started = time.perf_counter()
            result = build(BuildOptions(content=content, out=out, today=date(2025, 1, 15),
                                        workers=os.cpu_count() or 1))
            assert result.ok
            wall, cpu, workers = (sum(step[k] for step in spent) for k in range(3))
            print(f"documents: {args.documents}; build {time.perf_counter() - started:.1f} s, of which the search "
                  f"index {wall:.1f} s (CPU {cpu + workers:.1f} s: {cpu:.1f} s in the build process, {workers:.1f} s "
                  f"in its workers; code: {Path(str(sys.modules['portal'].__file__)).parent})")
        files = [path for path in (out / "tim-kiem").rglob("*") if path.is_file()]
        size = sum(path.stat().st_size for path in files) / 2**20
        texts = [path for path in files if path.parent.name == "x"]
        print(f"search files: {len(files)}, {size:.1f} MiB (of which text blocks {len(texts)}, "
              f"{sum(path.stat().st_size for path in texts) / 2**20:.1f} MiB)")
        if args.index_only:
            return

        from playwright.sync_api import sync_playwright
        sites = [out] + list(args.compare or [])
        servers = [http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
                   for site in sites]
        for httpd in servers:
            threading.Thread(target=httpd.serve_forever, daemon=True).start()
        urls = [f"http://127.0.0.1:{httpd.server_address[1]}/" for httpd in servers]
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            for query in queries:
                # With --compare, the sites take turns page load by page load: on a shared machine
                # the load then weighs on them alike.
                runs: list[list[tuple[float, int, int, str, dict[str, int]]]] = [[] for _ in sites]
                keystrokes: list[list[float]] = [[] for _ in sites]
                for _ in range(args.repeat):
                    for url, measured, keyed in zip(urls, runs, keystrokes, strict=True):
                        measured.append(measure(browser, url, query))
                        keyed.append(last_keystroke(browser, url, query))
                for site, url, measured, keyed in zip(sites, urls, runs, keystrokes, strict=True):
                    if args.profile:
                        print(profile(browser, url, query))
                    times = [m[0] for m in measured]
                    label = f" [{site}]" if args.compare else ""
                    downloaded = max(m[2] for m in measured) / 1024
                    print(f"query {query!r}{label}: first result median {statistics.median(times):.3f} s "
                          f"(min {min(times):.3f}, max {max(times):.3f}; typed as one input event, the page's debounce "
                          f"for it included); {measured[-1][3]}; downloaded {downloaded:.0f} KiB for the query with "
                          f"its snippets, {measured[-1][1] / 1024:.0f} KiB by the first result; typed, from the last "
                          f"keystroke: median {statistics.median(keyed):.3f} s (min {min(keyed):.3f}, "
                          f"max {max(keyed):.3f}; the 80 ms debounce included)")
                    folders = measured[-1][4]
                    words = sum(folders.get(name, 0) for name in ("s", "v", ""))
                    print(f"  bytes by kind: the words' index (shards, vocabularies, manifest) {words / 1024:.1f} KiB; "
                          f"beyond it, display rows {folders.get('d', 0) / 1024:.1f} KiB and text blocks "
                          f"{folders.get('x', 0) / 1024:.1f} KiB")
            browser.close()
        for httpd in servers:
            httpd.shutdown()


if __name__ == "__main__":
    main()
