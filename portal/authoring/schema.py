"""JSON Schemas of the content files, generated from the typed models (`build.py schema`).

VS Code's YAML extension (redhat.vscode-yaml) reads them through `.vscode/settings.json` and gives
editors completion, hover help in Vietnamese and red squiggles before they save.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from portal.content.models import KIND_LABELS, Commemoration, DocumentKind, DocumentMeta, SiteConfig, Topic, Unit

# Model docstrings are for developers (English); editors see these.
_DESCRIPTIONS = {
    "SiteConfig": "Cấu hình chung của cổng (content/site.yaml)",
    "CalendarConfig": "Cửa sổ lịch và lời nhắc",
    "CmsConfig": "Trang biên tập trong trình duyệt (/admin/, Decap CMS)",
    "Unit": "Một đơn vị: cơ quan ban hành hoặc nơi nhận",
    "Topic": "Một chủ đề tuyên truyền",
    "Commemoration": "Một ngày lễ lớn, sự kiện lịch sử",
    "DocumentMeta": "Phần thông tin đầu của một văn bản (giữa hai dòng ---)",
    "Citation": "Một văn bản cấp trên được thực hiện (\"Thực hiện Kế hoạch số …\")",
    "Phase": "Một giai đoạn tuyên truyền",
    "Duty": "Nhiệm vụ của một đơn vị (mục \"Tổ chức thực hiện\")",
    "Signer": "Người ký",
    "DocumentKind": "Loại văn bản",
}

SCHEMAS: dict[str, tuple[Any, str]] = {
    "site.schema.json": (SiteConfig, "content/site.yaml"),
    "units.schema.json": (list[Unit], "content/units.yaml"),
    "topics.schema.json": (list[Topic], "content/topics.yaml"),
    "commemorations.schema.json": (list[Commemoration], "content/commemorations.yaml"),
    "document.schema.json": (DocumentMeta, "content/documents/*.md (phần thông tin đầu)"),
}


def _localise(node: Any) -> Any:
    """Drop pydantic's English "title" annotations (a property named `title` is a dict, kept)."""
    if isinstance(node, dict):
        return {key: _localise(value) for key, value in node.items() if not (key == "title" and isinstance(value, str))}
    if isinstance(node, list):
        return [_localise(item) for item in node]
    return node


def schema_for(target: Any, applies_to: str) -> dict:
    raw = TypeAdapter(target).json_schema()
    schema = _localise(raw)
    for name, definition in schema.get("$defs", {}).items():
        if name in _DESCRIPTIONS:
            definition["description"] = _DESCRIPTIONS[name]
        if name == "DocumentKind":
            definition["enumDescriptions"] = [KIND_LABELS[DocumentKind(value)] for value in definition["enum"]]
    own = getattr(target, "__name__", None)
    if own in _DESCRIPTIONS:
        schema["description"] = _DESCRIPTIONS[own]
    elif schema.get("type") == "array":
        item = getattr(target, "__args__", (None,))[0]
        schema["description"] = f"Danh sách: {_DESCRIPTIONS.get(getattr(item, '__name__', ''), '')} ({applies_to})"
    return {"$schema": "http://json-schema.org/draft-07/schema#", **schema}


def render_schemas() -> dict[str, str]:
    return {name: json.dumps(schema_for(target, applies_to), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
            for name, (target, applies_to) in SCHEMAS.items()}


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render_schemas().items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
