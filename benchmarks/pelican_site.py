"""The benchmark corpus as a Pelican project: one article per document, one tag page per topic.

    python benchmarks/pelican_site.py CONTENT FOLDER    # then: pelican FOLDER/content -o OUT -s FOLDER/pelicanconf.py

Each article is Markdown with Title, Date, Tags (the document's topics) and Slug metadata and
the document's body as is. The settings are Pelican's defaults (default theme, its default
feeds) with relative URLs and every cache off, so each build is cold.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.corpus import read_posts  # noqa: E402

SETTINGS = """\
AUTHOR = "Benchmark"
SITENAME = "Benchmark"
SITEURL = ""
TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_LANG = "vi"
RELATIVE_URLS = True
LOAD_CONTENT_CACHE = False
CACHE_CONTENT = False
"""


def write_pelican_project(content: Path, folder: Path) -> int:
    """Convert the portal content folder into FOLDER/content and FOLDER/pelicanconf.py; the
    number of documents."""
    if folder.exists():
        shutil.rmtree(folder)
    articles = folder / "content"
    articles.mkdir(parents=True)
    (folder / "pelicanconf.py").write_text(SETTINGS, encoding="utf-8")
    count = 0
    for post in read_posts(content):
        # Metadata values run to the end of their line: no quoting needed.
        meta = (f"Title: {post.title}\nDate: {post.issued.isoformat()}\n"
                f"Tags: {', '.join(post.topics)}\nSlug: {post.slug}\n")
        (articles / f"{post.slug}.md").write_text(f"{meta}\n{post.body}", encoding="utf-8")
        count += 1
    return count


def pelican_build_command(folder: Path, out: Path) -> list[str]:
    # The running interpreter's Pelican, so the version reported is the one measured.
    return [sys.executable, "-m", "pelican", str(folder / "content"), "-o", str(out),
            "-s", str(folder / "pelicanconf.py"), "-q"]


def pelican_version() -> str:
    return subprocess.run([sys.executable, "-m", "pelican", "--version"], capture_output=True, text=True,
                          check=True).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("content", type=Path)
    parser.add_argument("folder", type=Path)
    args = parser.parse_args()
    print(f"{write_pelican_project(args.content, args.folder)} documents written to {args.folder}")


if __name__ == "__main__":
    main()
