"""A build's stamp: one hash of everything the output depends on, kept beside the output folder.

A rebuild whose inputs hash the same as the last published build, into an output folder that still
holds exactly the files that build wrote, has nothing to do: it repeats the last build's messages
and leaves the folder alone (what `make` does with timestamps, done with content hashes, since
a git checkout sets every file's time). Inputs are: every file under the content and template
folders, the portal's own code and the versions of the libraries that shape the output, the
options, the day, and the feed revisions the build starts from.

The stamp lives next to the output folder (`.site.build.json` beside `site/`), like the lock:
it is not published.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass
from datetime import date, datetime
from importlib import metadata
from pathlib import Path
from zoneinfo import ZoneInfo

from portal.calendar.ical import REVISIONS_FILE
from portal.content.models import SiteConfig
from portal.diagnostics import Diagnostic, Severity
from portal.load.yamlsource import load_yaml

STAMP_VERSION = 1
PACKAGE_DIR = Path(__file__).resolve().parent.parent  # the whole portal package
# The libraries whose version can change a byte of the output.
OUTPUT_LIBRARIES = ("jinja2", "markdown-it-py", "markdown-it-pyrs", "pyyaml", "icalendar", "pydantic", "babel",
                    "feedgen", "pillow", "python-docx", "lxml", "rcssmin", "python-slugify", "markupsafe")


@dataclass(frozen=True)
class Stamp:
    inputs: str  # hex digest
    files: dict[str, int]  # every output file -> its size
    diagnostics: list[Diagnostic]
    today: date


def stamp_path(out_dir: Path) -> Path:
    return out_dir.parent / f".{out_dir.name}.build.json"


def _tree_digest(digest, folder: Path) -> None:
    """Relative path and bytes of every file under `folder`, in a fixed order."""
    if not folder.is_dir():
        digest.update(b"\x00absent\x00" + str(folder).encode())
        return
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix().encode() + b"\x00"
        if path.is_symlink():  # the link itself: what it points to inside is hashed on its own
            digest.update(b"link\x00" + name + os.readlink(path).encode())
        elif path.is_file():
            data = path.read_bytes()
            digest.update(name + len(data).to_bytes(8, "little") + data)


def library_versions() -> str:
    """`OUTPUT_LIBRARIES` with their installed versions (the stamp's and the build cache's)."""
    versions = []
    for name in OUTPUT_LIBRARIES:
        try:
            versions.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name}=?")
    return ";".join(versions)


def inputs_digest(content: Path, templates: Path, today: date, settings: tuple, previous: Path | str | None) -> str:
    """`previous`: another build whose feed revisions this one starts from. Without it the build
    starts from its own output folder's, which an unchanged output folder holds unchanged."""
    digest = hashlib.sha256(f"portal-stamp-{STAMP_VERSION}|{today.isoformat()}|{settings!r}|"
                            f"{library_versions()}".encode())
    for folder in (content, templates, PACKAGE_DIR):
        _tree_digest(digest, folder)
    if previous is not None:
        revisions = Path(previous) / REVISIONS_FILE
        digest.update(revisions.read_bytes() if revisions.is_file() else b"\x00no-revisions")
    return digest.hexdigest()


def site_today(content: Path) -> date:
    """Today in the timezone site.yaml names (the build's default day), read without the full
    validation (and with the same safe YAML reader); any doubt falls back to the default zone,
    and the full build reports a bad value."""
    zone = SiteConfig.model_fields["timezone"].default
    try:
        path = content / "site.yaml"
        if path.is_symlink() or not path.is_file() or path.stat().st_size > 65536:  # the build will say
            raise ValueError(path)
        data = load_yaml(path.read_text(encoding="utf-8"), "site.yaml").data
        if isinstance(data, dict) and isinstance(data.get("timezone"), str):
            return datetime.now(ZoneInfo(data["timezone"])).date()
    except Exception:  # noqa: BLE001 - the stamp is an optimisation: never fail because of it
        pass
    return datetime.now(ZoneInfo(zone)).date()


def output_sizes(out_dir: Path) -> dict[str, int]:
    sizes: dict[str, int] = {}
    stack = [(out_dir, "")]
    while stack:  # os.scandir: one system call per folder, sizes from the directory entries
        folder, prefix = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append((Path(entry.path), f"{prefix}{entry.name}/"))
                else:
                    sizes[f"{prefix}{entry.name}"] = entry.stat(follow_symlinks=False).st_size
    return sizes


def read_stamp(out_dir: Path) -> Stamp | None:
    try:
        data = json.loads(stamp_path(out_dir).read_text(encoding="utf-8"))
        if data.get("version") != STAMP_VERSION:
            return None
        diagnostics = [Diagnostic(d["path"], d["line"], d["col"], d["code"], d["message"], d["hint"],
                                  field=d["field"], severity=Severity(d["severity"])) for d in data["diagnostics"]]
        return Stamp(data["inputs"], dict(data["files"]), diagnostics, date.fromisoformat(data["today"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def write_stamp(out_dir: Path, stamp: Stamp) -> None:
    path = stamp_path(out_dir)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps({
        "version": STAMP_VERSION, "inputs": stamp.inputs, "today": stamp.today.isoformat(),
        "files": stamp.files, "diagnostics": [d.as_dict() for d in stamp.diagnostics],
    }, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, path)


def forget_stamp(out_dir: Path) -> None:
    with contextlib.suppress(OSError):
        stamp_path(out_dir).unlink()


def unchanged_build(out_dir: Path, inputs: str) -> Stamp | None:
    """The last build's stamp if it was made from these inputs and its files are all still there."""
    stamp = read_stamp(out_dir)
    if stamp is None or stamp.inputs != inputs or not out_dir.is_dir():
        return None
    try:
        return stamp if output_sizes(out_dir) == stamp.files else None
    except OSError:
        return None
