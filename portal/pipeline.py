"""The whole build, stage by stage: load -> validate -> derive -> render -> write.

`check` stops after validation; `build` goes on only when there is no error, so invalid content
never touches the output folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from .derive import SiteIndex, derive
from .feeds import load_revisions
from .diagnostics import Diagnostic, has_errors, sort_diagnostics
from .loader import load_content
from .models import Site, SiteConfig
from .pages import render_site
from .validate import validate_content
from .writer import Outputs, write_site

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# The project's templates/ folder: beside the package in a checkout (also with `pip install -e .`),
# or ./templates when the portal is installed elsewhere and run from a project folder.
DEFAULT_TEMPLATES = PROJECT_ROOT / "templates" if (PROJECT_ROOT / "templates").is_dir() else Path("templates")


@dataclass(frozen=True)
class BuildOptions:
    content: Path
    out: Path
    today: date | None  # None: today in the site's timezone
    templates: Path = DEFAULT_TEMPLATES
    base_url: str | None = None  # overrides site.yaml's base_url (e.g. for a preview host)
    previous: Path | None = None  # a previous build whose feed revisions carry over (default: `out`)


@dataclass(frozen=True)
class BuildResult:
    diagnostics: list[Diagnostic]
    outputs: Outputs | None = None
    index: SiteIndex | None = None

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)


def check_content(options: BuildOptions) -> tuple[Site | None, list[Diagnostic]]:
    site, diagnostics = validate_content(load_content(options.content))
    if site is not None and options.base_url:
        config = SiteConfig.model_validate({**site.config.model_dump(), "base_url": options.base_url})
        site = site.model_copy(update={"config": config})
    return site, sort_diagnostics(diagnostics)


def today_in(config: SiteConfig) -> date:
    return datetime.now(ZoneInfo(config.timezone)).date()


def render(options: BuildOptions) -> BuildResult:
    """Everything but the write: the site in memory (used by `build` and by the dev server)."""
    site, diagnostics = check_content(options)
    if site is None or has_errors(diagnostics):
        return BuildResult(diagnostics)
    index = derive(site, options.today or today_in(site.config))
    previous = load_revisions(options.previous or options.out)
    outputs, notes = render_site(index, options.templates, previous)
    return BuildResult(sort_diagnostics([*diagnostics, *notes]), outputs, index)


def build(options: BuildOptions) -> BuildResult:
    result = render(options)
    if result.outputs is not None:
        write_site(result.outputs, options.out, protected=(options.content, options.templates))
    return result
