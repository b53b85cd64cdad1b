"""The portal's three entry points: `check_content`, `render` (into memory) and `build` (into the
output folder), each load -> validate -> derive -> render through `build/builder.py`, then write.

`check` stops after validation; `build` goes on only when there is no error, so invalid content
never touches the output folder.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator
from pathlib import Path

from portal.build.builder import DEFAULT_TEMPLATES, BuildOptions, BuildResult, SiteBuilder, store_version, today_in
from portal.build.previous import previous_folder
from portal.build.store import ResultStore, cache_path
from portal.content.models import Site
from portal.diagnostics import Diagnostic
from portal.write.publish import staged_site
from portal.write.stamp import Stamp, forget_stamp, inputs_digest, site_today, unchanged_build, write_stamp

__all__ = ["BuildOptions", "BuildResult", "DEFAULT_TEMPLATES", "build", "check_content", "render", "today_in"]


def check_content(options: BuildOptions) -> tuple[Site | None, list[Diagnostic]]:
    return SiteBuilder(options, keep=False).check()


def render(options: BuildOptions) -> BuildResult:
    """Everything but the write: the site in memory (what the dev server serves)."""
    return SiteBuilder(options, keep=False).build()


def build(options: BuildOptions, force: bool = False, strict: bool = False) -> BuildResult:
    """Pages are written as they are rendered, into a staging folder that replaces the output
    folder only if the whole build succeeded (with `strict`, also without warnings). Inputs
    identical to the last build's (`stamp.py`) leave the output folder as it is, unless `force`.
    `options.previous` may be a URL: the live site's revision table is fetched first."""
    with previous_folder(options.previous) as (previous, warnings):
        result = _build(dataclasses.replace(options, previous=previous), force, strict)
    return dataclasses.replace(result, diagnostics=[*warnings, *result.diagnostics]) if warnings else result


def _build(options: BuildOptions, force: bool, strict: bool) -> BuildResult:
    today = options.today or site_today(options.content)
    settings = (options.base_url, options.relative_links, str(options.content), str(Path.cwd()))  # paths: messages
    inputs = inputs_digest(options.content, options.templates, today, settings, options.previous)
    if not force and (stamp := unchanged_build(options.out, inputs)) is not None:
        return BuildResult(stamp.diagnostics, unchanged=stamp)
    with staged_site(options.out, protected=(options.content, options.templates)) as site, \
            _result_store(options) as store:
        result = SiteBuilder(dataclasses.replace(options, today=today), keep=False, store=store).build(site.outputs)
        if result.ok and not (strict and result.diagnostics):
            forget_stamp(options.out)  # a crash from here on leaves no stamp, never a wrong one
            site.publish()
            write_stamp(options.out, Stamp(inputs, site.outputs.sizes(), result.diagnostics, today))
            if store is not None:
                store.prune()
    return result


@contextlib.contextmanager
def _result_store(options: BuildOptions) -> Iterator[ResultStore | None]:
    """The build cache beside the output folder (inside the build's lock), closed at the end."""
    if not options.cache:
        yield None
        return
    store = ResultStore(cache_path(options.out), store_version())
    try:
        yield store
    finally:
        store.close()
