"""A document's files: the `attachments:` of its front matter and the local images of its body.

Each is a path relative to content/documents/ ("443-kh-tu/de-cuong.pdf"), kept in a subfolder
there (`portal/load/files.py` reads them as `RawAsset`s). A file is published only if it exists, is
no link, stays inside the folder, is of an allowed type by its extension and by its first bytes
(a renamed .exe is not a PDF), and is not larger than site.yaml's `attachment_max_mb`. Images get
their width and height from the file (Pillow), so that the page does not jump while they load.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from typing import Any
from urllib.parse import unquote

from portal.content.models import PublishedFile
from portal.content.slugs import slugify
from portal.diagnostics import Diagnostic, report
from portal.load.files import RawAsset, RawFile

# extension -> (shown kind, first bytes, what a zip must hold)
ATTACHMENT_TYPES: dict[str, tuple[str, bytes, str]] = {
    "pdf": ("PDF", b"%PDF-", ""),
    "docx": ("DOCX", b"PK\x03\x04", "word/document.xml"),
    "xlsx": ("XLSX", b"PK\x03\x04", "xl/workbook.xml"),
    "png": ("PNG", b"\x89PNG\r\n\x1a\n", ""),
    "jpg": ("JPEG", b"\xff\xd8\xff", ""),
    "jpeg": ("JPEG", b"\xff\xd8\xff", ""),
}
IMAGE_TYPES = frozenset({"png", "jpg", "jpeg"})
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def is_local_image(target: str) -> bool:
    """A body image that names a file beside the document (not a site path, not another host)."""
    return not target.startswith(("/", "#")) and not _SCHEME.match(target.split("/", 1)[0])


def image_path(target: str) -> str:
    """The file an image's (normalised, percent-encoded) source names."""
    return unquote(target.split("#", 1)[0].split("?", 1)[0])


def referenced_paths(raw: RawFile, links: tuple[tuple[int, int, str, str], ...]) -> frozenset[str]:
    """Every asset path a document may name (to hand its check only those assets)."""
    paths = set()
    data = raw.data if isinstance(raw.data, dict) else {}
    for item in data.get("attachments") or () if isinstance(data.get("attachments"), list) else ():
        if isinstance(item, dict) and isinstance(item.get("file"), str):
            paths.add(posixpath.normpath(item["file"].strip()))
    for _, _, kind, target in links:
        if kind == "image" and is_local_image(target):
            paths.add(posixpath.normpath(image_path(target)))
    return frozenset(paths)


def human_size(size: int) -> str:
    """"1,2 MB", "35 KB" (Vietnamese decimal comma)."""
    if size >= 1024 * 1024:
        return f"{size / 1048576:.1f} MB".replace(".", ",")
    return f"{max(1, round(size / 1024))} KB"


def _type_problem(name: str, data: bytes) -> str | None:
    """Why `data` is not a file of the type its extension says, or None."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind, magic, member = ATTACHMENT_TYPES[extension]
    if not data.startswith(magic):
        return f"nội dung tệp không phải {kind} (đuôi tệp bị đổi, hoặc tệp hỏng)"
    if member:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if member not in archive.namelist():
                    return f"tệp nén này không phải tệp {kind}"
        except zipfile.BadZipFile:
            return f"tệp {kind} bị hỏng"
    return None


def _image_size(data: bytes) -> tuple[int, int] | None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            return image.size
    except (UnidentifiedImageError, OSError, ValueError):
        return None


def _check_one(path: str, assets: dict[str, RawAsset], limit_mb: int, images_only: bool,
               where: tuple[str, int, int, str]) -> tuple[RawAsset | None, str, list[Diagnostic]]:
    """The asset `path` names, its extension, or the problem at `where` (file, line, col, field)."""
    shown, line, col, field = where
    normal = posixpath.normpath(path) if path else ""
    allowed = "PNG, JPEG" if images_only else "PDF, DOCX, XLSX, PNG, JPEG"
    if not normal or normal.startswith(("/", "..")) or "\\" in path or ":" in normal.split("/", 1)[0]:
        return None, "", [report("attachment-outside", shown, line, col, field=field, file=path)]
    extension = normal.rsplit(".", 1)[-1].lower() if "." in normal.rsplit("/", 1)[-1] else ""
    if extension not in ATTACHMENT_TYPES or (images_only and extension not in IMAGE_TYPES):
        return None, "", [report("attachment-type", shown, line, col, field=field, file=path,
                                 detail=f"đuôi `.{extension}` không được nhận" if extension else "tệp không có đuôi",
                                 allowed=allowed)]
    prefixes = [normal.rsplit("/", depth)[0] for depth in range(1, normal.count("/") + 1)]
    asset = assets.get(normal)
    if (asset is not None and asset.symlink) or any(assets.get(p) is not None and assets[p].symlink for p in prefixes):
        return None, "", [report("attachment-symlink", shown, line, col, field=field, file=path)]
    if asset is None:
        return None, "", [report("attachment-missing", shown, line, col, field=field, file=path)]
    if asset.size > limit_mb * 1024 * 1024 or asset.data is None:
        return None, "", [report("attachment-too-large", shown, line, col, field=field, file=path,
                                 size=human_size(asset.size), limit=limit_mb)]
    if (problem := _type_problem(normal, asset.data)) is not None:
        return None, "", [report("attachment-type", shown, line, col, field=field, file=path, detail=problem,
                                 allowed=allowed)]
    return asset, extension, []


def _published_name(path: str, extension: str, taken: set[str]) -> str:
    stem = slugify(path.rsplit("/", 1)[-1].rsplit(".", 1)[0]) or "tep"
    extension = "jpg" if extension == "jpeg" else extension
    name, number = f"{stem}.{extension}", 2
    while name in taken:
        name, number = f"{stem}-{number}.{extension}", number + 1
    taken.add(name)
    return name


def check_files(raw: RawFile, links: tuple[tuple[int, int, str, str], ...], assets: tuple[tuple[str, RawAsset], ...],
                limit_mb: int) -> tuple[tuple[Diagnostic, ...], tuple[PublishedFile, ...]]:
    """A document's attachments and local images, checked and ready to publish. `assets` holds
    only the files it names (`referenced_paths`), so that a builder keeping results checks the
    document again only when one of its own files changed."""
    found = dict(assets)
    diagnostics: list[Diagnostic] = []
    files: list[PublishedFile] = []
    taken: set[str] = set()
    data: Any = raw.data if isinstance(raw.data, dict) else {}
    items = data.get("attachments") if isinstance(data.get("attachments"), list) else []
    for position, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("file"), str):
            continue  # the model reports the shape
        line, col = raw.source_map.locate(("attachments", position, "file"))
        path = item["file"].strip()
        asset, extension, problems = _check_one(path, found, limit_mb, False,
                                                (raw.path, line, col, f"attachments[{position}].file"))
        diagnostics += problems
        if asset is None or asset.data is None:
            continue
        title = item.get("title") if isinstance(item.get("title"), str) and item["title"].strip() else None
        kind = ATTACHMENT_TYPES[extension][0]
        width = height = 0
        if extension in IMAGE_TYPES and (size := _image_size(asset.data)):
            width, height = size
        files.append(PublishedFile(source=path, name=_published_name(path, extension, taken),
                                   title=(title or path.rsplit("/", 1)[-1]).strip(), kind=kind, data=asset.data,
                                   width=width, height=height))
    seen: set[str] = set()
    for line, col, kind, target in links:
        if kind != "image" or not is_local_image(target) or target in seen:
            continue
        seen.add(target)
        asset, extension, problems = _check_one(image_path(target), found, limit_mb, True, (raw.path, line, col, ""))
        if problems and problems[0].code == "attachment-missing":  # the body's own message
            problems = [report("missing-image", raw.path, line, col, src=target)]
        diagnostics += problems
        if asset is None or asset.data is None:
            continue
        size = _image_size(asset.data)
        if size is None:
            diagnostics.append(report("attachment-type", raw.path, line, col, file=target,
                                      detail="không đọc được ảnh (tệp hỏng)", allowed="PNG, JPEG"))
            continue
        files.append(PublishedFile(source=target, name=_published_name(image_path(target), extension, taken),
                                   title=target, kind=ATTACHMENT_TYPES[extension][0], data=asset.data,
                                   attachment=False, width=size[0], height=size[1]))
    return tuple(diagnostics), tuple(files)
