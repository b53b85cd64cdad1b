"""Benchmark: the document page rendered by Jinja (what the portal uses) and by minijinja (the
Rust engine's Python binding), on the same pages, contexts, filters and globals.

    pip install minijinja
    python benchmarks/template_engines.py [--content content | --documents N] [--repeat 3]

Issue 21 asked for this measurement before choosing a template path. The two engines take turns,
`--repeat` rounds; each round renders every document page once per engine in this one process and
reports the CPU milliseconds a page. minijinja reads a copy of `templates/` with one adaptation:
it turns a `str` enum into a plain string, so `kind.label` / `kind.value` become a `kind_label`
property (added to the two models for this run) and `kind`. The outputs are then compared after
undoing what minijinja escapes differently (`/` as `&#x2f;`, `'` as `&#x27;`) and reading the
JSON blocks as JSON (its `tojson` keeps the keys' order, Jinja's sorts them): a page that still
differs is counted and its first differing line printed.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.generate_content import generate  # noqa: E402
from portal.build.builder import DEFAULT_TEMPLATES, BuildOptions, SiteBuilder  # noqa: E402
from portal.content import models  # noqa: E402
from portal.derive.index import derive  # noqa: E402
from portal.render.bodies import render_bodies  # noqa: E402
from portal.render.plan import plan_pages  # noqa: E402

TODAY = date(2025, 6, 1)
JINJA_ONLY_GLOBALS = frozenset({"range", "dict", "lipsum", "cycler", "joiner", "namespace"})
_JSON_BLOCK = re.compile(r'(<script type="application/(?:ld\+)?json"[^>]*>)(.*?)(</script>)', re.DOTALL)


def _adapted_templates(target: Path) -> Path:
    shutil.copytree(DEFAULT_TEMPLATES, target)
    for path in target.glob("*.html"):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"\b(\w+)\.kind\.label\b", r"\1.kind_label", text)
        path.write_text(re.sub(r"\b(\w+)\.kind\.value\b", r"\1.kind", text), encoding="utf-8")
    kind_label = property(lambda self: self.kind.label if self.kind else "")
    models.DocumentMeta.kind_label = models.Citation.kind_label = kind_label  # type: ignore[attr-defined]
    return target


def _minijinja_environment(templates: Path, jinja_env: Any) -> Any:
    import minijinja

    def load(name: str) -> str | None:
        path = templates / name
        return path.read_text(encoding="utf-8") if path.is_file() else None

    env = minijinja.Environment(
        loader=load, undefined_behavior="strict", trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        auto_escape_callback=lambda name: "html" if name.endswith((".html", ".xml")) else None)
    for name, function in jinja_env.filters.items():
        if getattr(function, "__module__", "").startswith("portal") or name == "inline_markdown":
            env.add_filter(name, function)
    for name, value in jinja_env.globals.items():
        if name not in JINJA_ONLY_GLOBALS:
            env.add_global(name, value)
    return env


def _comparable(html: str) -> str:
    html = html.replace("&#x2f;", "/").replace("&#x27;", "&#39;")
    return _JSON_BLOCK.sub(lambda m: m[1] + json.dumps(json.loads(m[2]), sort_keys=True) + m[3], html)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--content", type=Path, default=Path("content"))
    parser.add_argument("--documents", type=int, default=0, help="a generated corpus of this many documents")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        content = args.content
        if args.documents:
            content = Path(folder) / "content"
            generate(args.documents, content)
        builder = SiteBuilder(BuildOptions(content=content, out=Path(folder) / "site", today=TODAY), keep=False)
        site, _ = builder.check()
        if site is None:
            sys.exit(f"{content}: the content does not validate")
        index = derive(site, TODAY)
        renderer = builder._load_theme(site.config, TODAY).renderer
        bodies = render_bodies(index.documents, site.config.base_path)
        pages = [page for page in plan_pages(index, bodies) if page.template == "document.html"]
        mini = _minijinja_environment(_adapted_templates(Path(folder) / "templates"), renderer.env)

        def with_jinja(page: Any) -> str:
            return renderer.render(page.template, page=page, index=index, **page.context)

        def with_minijinja(page: Any) -> str:
            return mini.render_template(page.template, page=page, index=index, **page.context)

        differing = 0
        for page in pages:
            ours, theirs = with_jinja(page), _comparable(with_minijinja(page))
            if _comparable(ours) != theirs:
                differing += 1
                if differing == 1:
                    line = next(line for line in difflib.unified_diff(ours.splitlines(), theirs.splitlines(),
                                                                       lineterm="", n=0) if line[:1] in "+-")
                    print(f"first difference ({page.output_file}): {line[:200]}")
        print(f"{len(pages)} document pages; differing beyond escaping and JSON key order: {differing}")
        for round_number in range(1, args.repeat + 1):
            for name, render in (("jinja", with_jinja), ("minijinja", with_minijinja)):
                started = time.process_time()
                for page in pages:
                    render(page)
                print(f"round {round_number} {name:10s} {1000 * (time.process_time() - started) / len(pages):.3f} "
                      "ms of CPU a page")


if __name__ == "__main__":
    main()
