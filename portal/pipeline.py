"""The whole build, stage by stage: load -> validate -> derive -> render (`builder.py`) -> write.

`check` stops after validation; `build` goes on only when there is no error, so invalid content
never touches the output folder.
"""

from __future__ import annotations

from .builder import DEFAULT_TEMPLATES, BuildOptions, BuildResult, SiteBuilder, today_in
from .diagnostics import Diagnostic
from .models import Site
from .writer import staged_site

__all__ = ["BuildOptions", "BuildResult", "DEFAULT_TEMPLATES", "build", "check_content", "render", "today_in"]

def check_content(options: BuildOptions) -> tuple[Site | None, list[Diagnostic]]:
    return SiteBuilder(options).check()


def render(options: BuildOptions) -> BuildResult:
    """Everything but the write: the site in memory (what the dev server serves)."""
    return SiteBuilder.for_options(options).build()


def build(options: BuildOptions) -> BuildResult:
    """Pages are written as they are rendered, into a staging folder that replaces the output
    folder only if the whole build succeeded."""
    with staged_site(options.out, protected=(options.content, options.templates)) as site:
        result = SiteBuilder.for_options(options, incremental=False).build(site.outputs)
        if result.ok:
            site.publish()
    return result
