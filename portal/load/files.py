"""Stage 1: read the content folder into raw data with source maps. Nothing is interpreted here.

Every file is read as strict UTF-8, normalised to NFC (editors' tools save Vietnamese in NFC or
NFD; both must mean the same), and given LF line endings. A file larger than `MAX_FILE_BYTES` is
not read at all, and control or invisible characters are reported where they are (`chars.py`).
"""

from __future__ import annotations

import os
import time
import unicodedata
from collections.abc import Iterable
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
    listing: Listing | None = None  # what was found there (a kept builder's next `relist` starts from it)


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


Found = tuple[str, tuple, str, str | None]  # a file to read: location, status, shown path, slug (None: a data file)
FoundAsset = tuple[str, tuple, str, str, bool]  # location, status, shown path, path under documents/, is a link


@dataclass(frozen=True)
class Listed:
    """What one name of the content folder holds: a data file or document to read, the files of
    an attachments folder, or the problems that keep it from being read."""

    files: tuple[Found, ...] = ()
    assets: tuple[FoundAsset, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True)
class Listing:
    """The content folder as last looked at, name by name, so that a builder told which paths
    changed (the dev server's watcher) looks again at those names only: listing ten thousand
    documents and asking each one's status costs more than the rest of a one-file rebuild's loading."""

    root: str  # the content folder's absolute path, as the watcher names changed paths
    diagnostics: tuple[Diagnostic, ...]  # about the folders themselves
    data_files: dict[str, Listed]  # by file name, in DATA_FILES' order
    documents: dict[str, Listed] | None  # by name in documents/, sorted; None: no usable folder
    prefix: str  # the content folder's display path, with a trailing "/" (or "")

    def found(self) -> tuple[list[Found], list[FoundAsset], list[Diagnostic]]:
        found: list[Found] = []
        assets: list[FoundAsset] = []
        diagnostics: list[Diagnostic] = []
        for listed in self.data_files.values():
            found += listed.files
            diagnostics += listed.diagnostics
        diagnostics += self.diagnostics
        for listed in (self.documents or {}).values():
            found += listed.files
            assets += listed.assets
            diagnostics += listed.diagnostics
        return found, assets, diagnostics


def _list_data_file(root: Path, prefix: str, name: str) -> Listed:
    path, shown = root / name, f"{prefix}{name}"
    if not path.is_file():
        return Listed(diagnostics=(report("missing-file", shown, name=name),))
    problems: list[Diagnostic] = []
    status = _status(path.as_posix(), root, shown, problems)
    return Listed(((path.as_posix(), status, shown, None),) if status is not None else (), (), tuple(problems))


def _list_document_entry(root: Path, folder: str, shown_dir: str, name: str, entry: os.DirEntry | None) -> Listed:
    """One name in documents/ (`entry` when it comes from listing the folder, else looked up)."""
    shown, location = f"{shown_dir}/{name}", f"{folder}/{name}"
    if entry.is_dir(follow_symlinks=False) if entry is not None else \
            (os.path.isdir(location) and not os.path.islink(location)):
        relative = unicodedata.normalize("NFC", name) + "/"  # attachments and images, beside the documents
        return Listed(assets=tuple(_asset_entries(location, shown, relative)))
    if not name.endswith(".md") or not (entry.is_file() if entry is not None else os.path.isfile(location)):
        return Listed(diagnostics=(report("stray-file", shown),))
    problems: list[Diagnostic] = []
    status = _status(location, root, shown, problems, entry)
    return Listed(((location, status, shown, name[:-3]),) if status is not None else (), (), tuple(problems))


def list_content(root: Path, cwd: Path | None = None) -> Listing:
    """Every name of the content folder, looked at once."""
    cwd = cwd or Path.cwd()
    absolute = os.path.abspath(root)
    if not root.is_dir():
        return Listing(absolute, (report("no-content", display_path(root, cwd)),), {}, None, "")
    # Names inside the folder as they are, not where a link leads.
    prefix = "" if display_path(root, cwd) == "." else display_path(root, cwd) + "/"
    data_files = {name: _list_data_file(root, prefix, name) for name in DATA_FILES}
    documents_dir = root / DOCUMENTS_DIR
    if documents_dir.is_dir() and not _inside(documents_dir, root):
        problem = report("outside-content", f"{prefix}{DOCUMENTS_DIR}", what="thư mục `documents`",
                         fix="thay liên kết bằng một thư mục thật")
        return Listing(absolute, (problem,), data_files, None, prefix)
    if not documents_dir.is_dir():
        return Listing(absolute, (), data_files, None, prefix)
    shown_dir, folder = f"{prefix}{DOCUMENTS_DIR}", documents_dir.as_posix()  # once: resolving each file's path is slow
    with os.scandir(documents_dir) as entries:
        listed = sorted(entries, key=lambda entry: entry.name)
    documents = {entry.name: _list_document_entry(root, folder, shown_dir, entry.name, entry)
                 for entry in listed if not entry.name.startswith(".")}
    return Listing(absolute, (), data_files, documents, prefix)


def folder_prefixes(folder: Path | str) -> tuple[str, ...]:
    """How a watcher may name the paths inside `folder`: under its absolute path, or under where
    links lead (macOS's file events name /private/var for /var)."""
    return tuple(dict.fromkeys((os.path.abspath(folder) + "/", os.path.realpath(folder) + "/")))


def relist(listing: Listing, root: Path, changed: Iterable[str], cwd: Path | None = None) -> Listing:
    """`listing` after the files at `changed` (absolute paths) were made, modified or removed:
    only the names they are under are looked at again. A change to the folders themselves, or a
    path this listing cannot place, means looking at everything again."""
    if listing.documents is None or os.path.abspath(root) != listing.root or not root.is_dir():
        return list_content(root, cwd)
    data_files, documents = dict(listing.data_files), dict(listing.documents)
    documents_dir = f"{listing.root}/{DOCUMENTS_DIR}"
    folder, shown_dir = (root / DOCUMENTS_DIR).as_posix(), f"{listing.prefix}{DOCUMENTS_DIR}"
    prefixes = folder_prefixes(listing.root)
    names: set[str] = set()  # each looked at once, however many of its files changed (a folder copied in)
    for path in changed:
        prefix = next((prefix for prefix in prefixes if path.startswith(prefix)), None)
        if prefix is None:
            return list_content(root, cwd)
        parts = path[len(prefix):].split("/")
        if len(parts) == 1 and parts[0] in DATA_FILES:
            data_files[parts[0]] = _list_data_file(root, listing.prefix, parts[0])
        elif parts[0] == DOCUMENTS_DIR:
            if len(parts) == 1 or not os.path.isdir(documents_dir) or os.path.islink(documents_dir):
                return list_content(root, cwd)  # the folder itself made, removed or replaced
            if not parts[1].startswith("."):
                names.add(parts[1])
        # Any other path is a file the portal does not read (a note beside the data files).
    added = False
    for name in names:
        if os.path.lexists(f"{folder}/{name}"):
            added = added or name not in documents
            documents[name] = _list_document_entry(root, folder, shown_dir, name, None)
        else:
            documents.pop(name, None)
    if added:
        documents = dict(sorted(documents.items()))
    return Listing(listing.root, listing.diagnostics, data_files, documents, listing.prefix)


def load_content(root: Path, cwd: Path | None = None, steps: Steps = PLAIN,
                 listing: Listing | None = None) -> RawContent:
    """Every file of the content folder, read and parsed (documents through a parallel step).
    `listing`: what was found there, when the caller knows it is current (`relist`)."""
    listing = listing or list_content(root, cwd)
    content = RawContent(root=root, listing=listing)
    found, assets, content.diagnostics = listing.found()
    if not listing.data_files:  # no content folder at all: nothing to read
        return content
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
