"""Stage 1: read the content folder into raw data with source maps. Nothing is interpreted here.

Every file is read as strict UTF-8, normalised to NFC (editors' tools save Vietnamese in NFC or
NFD; both must mean the same), and given LF line endings. A file larger than `MAX_FILE_BYTES` is
not read at all, and control or invisible characters are reported where they are (`chars.py`).
"""

from __future__ import annotations

import os
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from portal.diagnostics import Diagnostic, display_path, report
from portal.load.chars import forbidden_characters, strip_forbidden
from portal.load.yamlsource import SourceMap, load_yaml
from portal.steps import PLAIN, Steps

DATA_FILES = ("site.yaml", "units.yaml", "topics.yaml", "commemorations.yaml")
DOCUMENTS_DIR = "documents"
FRONT_MATTER_FENCE = "---"
# The longest seed is 36 KB; 5 MB is over a thousand printed pages. A bigger file is a mistake (a
# pasted database, an embedded image) and would cost the build and every reader's phone dearly.
MAX_FILE_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class RawFile:
    path: str  # display path
    data: Any
    source_map: SourceMap
    body: str = ""
    body_line: int = 0
    slug: str = ""
    failed: bool = False  # the YAML could not be read (the problem is already reported)
    bad_paths: frozenset = frozenset()  # values the YAML stage already reported (tags, aliases)


@dataclass(frozen=True)
class RawAsset:
    """A file in a subfolder of content/documents/ (an attachment, an image of a body): its bytes,
    unless it is a link (never followed) or larger than `MAX_ASSET_BYTES` (then only its size)."""

    shown: str  # display path
    size: int
    data: bytes | None
    symlink: bool = False


# A hard ceiling on what is read at all; site.yaml's `attachment_max_mb` (at most 200) is checked later.
MAX_ASSET_BYTES = 200 * 1024 * 1024


@dataclass
class RawContent:
    root: Path
    data_files: dict[str, RawFile] = field(default_factory=dict)  # by file name
    documents: list[RawFile] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # Files of the subfolders of documents/, by their path relative to it ("443-kh-tu/de-cuong.pdf")
    assets: dict[str, RawAsset] = field(default_factory=dict)


def decode_text(raw: bytes, shown: str) -> tuple[str | None, list[Diagnostic]]:
    """Strict UTF-8 text, NFC, LF; a diagnostic with the line of the first bad byte otherwise.

    Control and invisible characters are reported with their line and column, and the text is
    returned without them, so that the rest of the file is still checked (and the build stops)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a BOM is harmless; some Windows editors add it
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, [report("not-utf8", shown, line)]
    return clean_text(text, shown)


def clean_text(text: str, shown: str) -> tuple[str, list[Diagnostic]]:
    """NFC, LF, and without control or invisible characters (each reported where it was): the
    form every text takes, from a content file or from an imported Word file."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    problems = forbidden_characters(text, shown)
    return (strip_forbidden(text) if problems else text), problems


def split_front_matter(text: str, shown: str) -> tuple[str | None, int, str, int, list[Diagnostic]]:
    """(front matter, its first line, body, body's first line, diagnostics)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != FRONT_MATTER_FENCE:
        return None, 0, text, 1, [report("no-front-matter", shown, 1, 1)]
    for index in range(1, len(lines)):
        if lines[index].strip() == FRONT_MATTER_FENCE:
            front = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1:])
            return front, 2, body, index + 2, []
    return None, 0, text, 1, [report("unclosed-front-matter", shown, 1, 1)]


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except ValueError:
        return False


ParsedFile = tuple[RawFile | None, tuple[Diagnostic, ...]]
# A file whose status is unchanged is not read again, unless it was modified within this many
# seconds of the last read: timestamps are coarse, and two quick edits of the same size could
# share one (git's "racy clean" problem). Such a file is read and its bytes compared instead.
RACY_SECONDS = 2.0


def parse_data_file(raw: bytes, shown: str) -> ParsedFile:
    text, problems = decode_text(raw, shown)
    if text is None:
        return None, tuple(problems)
    result = load_yaml(text, shown)
    return (RawFile(shown, result.data, result.source_map, failed=result.data is None and bool(result.diagnostics),
                    bad_paths=frozenset(result.bad_paths)), (*problems, *result.diagnostics))


def parse_document(raw: bytes, shown: str, slug: str) -> ParsedFile:
    text, problems = decode_text(raw, shown)
    if text is None:
        return None, tuple(problems)
    characters = tuple(problems)
    front, front_line, body, body_line, problems = split_front_matter(text, shown)
    if front is None:
        return None, (*characters, *problems)
    result = load_yaml(front, shown, line_offset=front_line - 1)
    if result.data is None and result.diagnostics:
        return None, (*characters, *result.diagnostics)  # a YAML error is reported once, not again as "empty"
    return (RawFile(shown, result.data, result.source_map, body, body_line, slug=slug,
                    bad_paths=frozenset(result.bad_paths)), (*characters, *result.diagnostics))


def parse_file(raw: bytes | Diagnostic, shown: str, slug: str | None) -> ParsedFile:
    """A data file (`slug` None) or a document; a file that could not be read stays its problem."""
    if isinstance(raw, Diagnostic):
        return None, (raw,)
    return parse_data_file(raw, shown) if slug is None else parse_document(raw, shown, slug)


def read_bytes(location: str, status: tuple, shown: str) -> bytes | Diagnostic:
    """The file's bytes. `status` (modification time, size, inode) is what tells a builder that
    keeps results whether the file may have changed since it last read it."""
    try:
        with open(location, "rb") as handle:
            return handle.read()
    except OSError as error:
        return report("unreadable", shown, reason=error.strerror)


def read_asset(location: str, status: tuple, shown: str, symlink: bool) -> RawAsset:
    """An attachment's bytes (`status` tells a builder that keeps results when to read again)."""
    if symlink:
        return RawAsset(shown, 0, None, symlink=True)
    size = status[1]
    if size > MAX_ASSET_BYTES:
        return RawAsset(shown, size, None)
    try:
        with open(location, "rb") as handle:
            data = handle.read()
    except OSError:
        return RawAsset(shown, size, None)
    return RawAsset(shown, len(data), data)


def _asset_entries(folder: str, shown: str, relative: str) -> list[tuple[str, tuple, str, str, bool]]:
    """(location, status, shown, relative path, is a link) of every file under `folder`; links
    (to files or folders) are listed, never followed."""
    found = []
    with os.scandir(folder) as listing:
        entries = sorted(listing, key=lambda entry: entry.name)
    for entry in entries:
        if entry.name.startswith("."):
            continue
        name = unicodedata.normalize("NFC", entry.name)
        location, path = f"{folder}/{entry.name}", f"{relative}{name}"
        if entry.is_symlink():
            found.append((location, (), f"{shown}/{name}", path, True))
        elif entry.is_dir(follow_symlinks=False):
            found += _asset_entries(location, f"{shown}/{name}", f"{path}/")
        elif entry.is_file(follow_symlinks=False):
            status = entry.stat(follow_symlinks=False)
            signature: tuple = (status.st_mtime_ns, status.st_size, status.st_ino)
            if time.time() - status.st_mtime <= RACY_SECONDS:
                signature += (time.monotonic_ns(),)
            found.append((location, signature, f"{shown}/{name}", path, False))
    return found


def _status(location: str, root: Path, shown: str, diagnostics: list[Diagnostic],
            entry: os.DirEntry | None = None) -> tuple | None:
    """The file's status, or None (and the problem reported) when it must not be read: a link out
    of the content folder, or too large. `location` is a plain string path: a dev server looks at
    ten thousand files after each edit, and Path objects for them cost more than the checks;
    `entry`, from listing the folder, answers "is it a link" without a system call."""
    # Only a link can lead outside (the folders themselves are checked once): resolving every
    # path would cost more than reading the files.
    if (entry.is_symlink() if entry is not None else os.path.islink(location)) and not _inside(Path(location), root):
        diagnostics.append(report("outside-content", shown, what="tệp", fix="thay liên kết bằng một bản sao của tệp"))
        return None
    try:
        status = entry.stat() if entry is not None else os.stat(location)
    except OSError as error:
        diagnostics.append(report("unreadable", shown, reason=error.strerror))
        return None
    if status.st_size > MAX_FILE_BYTES:
        diagnostics.append(report("file-too-large", shown, size=f"{status.st_size / 1048576:.1f}",
                                  limit=MAX_FILE_BYTES // 1048576))
        return None
    signature: tuple = (status.st_mtime_ns, status.st_size, status.st_ino)
    if time.time() - status.st_mtime <= RACY_SECONDS:
        signature += (time.monotonic_ns(),)  # just modified: a status like no other, so it is read again
    return signature


def load_content(root: Path, cwd: Path | None = None, steps: Steps = PLAIN) -> RawContent:
    """Every file of the content folder, read and parsed (documents through a parallel step)."""
    cwd = cwd or Path.cwd()
    content = RawContent(root=root)
    if not root.is_dir():
        content.diagnostics.append(report("no-content", display_path(root, cwd)))
        return content

    # Names inside the folder as they are, not where a link leads.
    prefix = "" if display_path(root, cwd) == "." else display_path(root, cwd) + "/"
    found: list[tuple[str, tuple, str, str | None]] = []  # (location, status, shown, slug or None)
    for name in DATA_FILES:
        path = root / name
        shown = f"{prefix}{name}"
        if not path.is_file():
            content.diagnostics.append(report("missing-file", shown, name=name))
            continue
        location = path.as_posix()
        status = _status(location, root, shown, content.diagnostics)
        if status is not None:
            found.append((location, status, shown, None))

    documents_dir = root / DOCUMENTS_DIR
    if documents_dir.is_dir() and not _inside(documents_dir, root):
        content.diagnostics.append(report("outside-content", f"{prefix}{DOCUMENTS_DIR}", what="thư mục `documents`",
                                          fix="thay liên kết bằng một thư mục thật"))
    elif documents_dir.is_dir():
        shown_dir = f"{prefix}{DOCUMENTS_DIR}"  # once: resolving each file's path is slow
        folder = documents_dir.as_posix()
        with os.scandir(documents_dir) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
        assets: list[tuple[str, tuple, str, str, bool]] = []
        for entry in entries:
            shown = f"{shown_dir}/{entry.name}"
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):  # attachments and images, beside the documents
                relative = unicodedata.normalize("NFC", entry.name) + "/"
                assets += _asset_entries(f"{folder}/{entry.name}", shown, relative)
                continue
            if not entry.name.endswith(".md") or not entry.is_file():
                content.diagnostics.append(report("stray-file", shown))
                continue
            location = f"{folder}/{entry.name}"
            status = _status(location, root, shown, content.diagnostics, entry)
            if status is not None:
                found.append((location, status, shown, entry.name[:-3]))

        read = steps.each("read-asset", read_asset, [(location, (location, status, shown, link))
                                                     for location, status, shown, _, link in assets])
        content.assets = {relative: asset for (_, _, _, relative, _), asset in zip(assets, read, strict=True)}

    raws = steps.each("read", read_bytes, [(location, (location, status, shown))
                                           for location, status, shown, _ in found])
    parsed = steps.each("parse", parse_file,
                        [(location, (raw, shown, slug))
                         for (location, _, shown, slug), raw in zip(found, raws, strict=True)], parallel=True)
    for (_, _, shown, slug), (raw_file, problems) in zip(found, parsed, strict=True):
        content.diagnostics.extend(problems)
        if raw_file is None:
            continue
        if slug is None:
            content.data_files[shown.rsplit("/", 1)[-1]] = raw_file
        else:
            content.documents.append(raw_file)
    return content
