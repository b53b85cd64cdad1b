"""The previous publication's calendar revision table, from a folder or from the live site.

A build in a fresh checkout (CI) has no previous `site/`: without the table every event would
start again at SEQUENCE 0 with a new LAST-MODIFIED. `build --previous URL|DIR` reads it from the
live site (the site's address, or the table's own) or from a folder holding a previous build.
A table that is missing, unreachable or not one of ours is a warning: the build starts afresh.
"""

from __future__ import annotations

import http.client
import tempfile
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from portal.calendar.ical import REVISIONS_FILE, parse_revisions
from portal.diagnostics import Diagnostic, report

MAX_TABLE_BYTES = 20_000_000  # about 100,000 events; more is not a table of ours
TIMEOUT_SECONDS = 30


def is_url(source: str | Path) -> bool:
    return isinstance(source, str) and source.startswith(("https://", "http://"))


def table_url(site_or_table: str) -> str:
    """"https://host/base/" (the site) or the table's own address -> the table's address."""
    return site_or_table if site_or_table.endswith(".json") else site_or_table.rstrip("/") + "/" + REVISIONS_FILE


def _download(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "portal-build"})
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 (http(s) only)
        data = response.read(MAX_TABLE_BYTES + 1)
    if len(data) > MAX_TABLE_BYTES:
        raise ValueError(f"lớn hơn {MAX_TABLE_BYTES // 1_000_000} MB")
    return data


def _problem(where: str, detail: str) -> Diagnostic:
    return report("previous-revisions", where, detail=detail)


@contextmanager
def previous_folder(source: str | Path | None) -> Iterator[tuple[Path | None, list[Diagnostic]]]:
    """The folder to read the previous revision table from (None: the output folder's own) and
    the warnings met on the way. A URL is downloaded into a temporary folder that lives as long
    as the context."""
    if source is None:
        yield None, []
        return
    if not is_url(source):
        folder = Path(source)
        table = folder / REVISIONS_FILE
        if not table.is_file():
            yield folder, [_problem(str(folder), f"không có tệp {REVISIONS_FILE}")]
        elif not parse_revisions(table.read_bytes()):
            yield folder, [_problem(str(table), "tệp không phải bảng phiên bản của cổng, hoặc trống")]
        else:
            yield folder, []
        return
    url = table_url(str(source))
    with tempfile.TemporaryDirectory(prefix="portal-previous-") as temporary:
        folder = Path(temporary)
        try:
            data = _download(url)
        except (OSError, ValueError, http.client.HTTPException) as error:  # URLError, timeouts, HTTP errors
            yield folder, [_problem(url, str(error) or type(error).__name__)]
            return
        if not parse_revisions(data):
            yield folder, [_problem(url, "tệp tải về không phải bảng phiên bản của cổng, hoặc trống")]
            return
        (folder / REVISIONS_FILE).parent.mkdir(parents=True)
        (folder / REVISIONS_FILE).write_bytes(data)
        yield folder, []
