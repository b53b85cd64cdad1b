"""The content contract as editor form fields: one tree, read from the models' JSON Schema, that
every form-based editor is generated from (Front Matter CMS in VS Code, `portal/authoring/
frontmatter.py`; Decap CMS at /admin/, `portal/render/cms.py`). A field added to the models shows
up in both; none of them is written by hand.

Each field has a kind of widget, a short Vietnamese label and hint taken from the model's
description, and, for ids, the kind of thing it names (its choices are read from `content/`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, TypeAdapter

from portal.content.models import KIND_LABELS, Commemoration, DocumentKind, DocumentMeta, Topic, Unit
from portal.content.validate import REFERENCE_FIELDS

# Widget kinds.
CHOICE = "choice"  # one value of a fixed list (kinds), `options`
REFERENCE = "reference"  # the id of a unit, topic or commemoration, `reference`
REFERENCES = "references"  # a list of such ids
GROUP = "group"  # an object, `children`
GROUPS = "groups"  # a list of objects, `children`
TEXTS = "texts"  # a list of texts (each line verbatim)
DATE = "date"  # DD/MM/YYYY
INTEGER = "integer"
BOOLEAN = "boolean"
LINE = "line"  # one line of text
PARAGRAPH = "paragraph"  # a few lines of text
BODY = "body"  # the Markdown full text (not part of the front matter's models)

DATE_FORMAT = "DD/MM/YYYY"  # what editors write and `check` reads (portal/content/dates.py)
_DATE_PATTERN_PREFIX = "^(\\d{1,2}/\\d{1,2}/\\d{4}"
_PARAGRAPHS = {"summary", "tasks"}  # texts long enough for a text area
# A label is the description's first clause ("Mã cơ quan ban hành (trong units.yaml)" -> "Mã cơ
# quan ban hành"); the few descriptions that do not start with one name it here.
_LABELS: dict[tuple[str, ...], str] = {("title_inferred",): "Tiêu đề do biên tập viên đặt", ("calendar",): "Loại lịch"}
_LABEL_END = re.compile(r" \(|;|:|, ví dụ| ví dụ|, chép| DD/MM| \"DD/MM|, khi |, để ")
_OPTION_LABELS = re.compile(r"([a-z]+): ([^;]+)")  # "solar: dương lịch; lunar: âm lịch Việt Nam"


@dataclass(frozen=True)
class EditorField:
    name: str
    label: str
    hint: str
    widget: str
    required: bool = False
    reference: str | None = None  # "unit", "topic" or "commemoration"
    options: tuple[tuple[str, str], ...] = ()  # (value, Vietnamese label) of a CHOICE
    children: tuple[EditorField, ...] = ()
    group: str = ""  # the model a GROUP or GROUPS holds ("Phase")
    long_items: bool = False  # TEXTS whose items are paragraphs
    pattern: str | None = None  # what a LINE must match (an id: ID_PATTERN)
    minimum: int | None = None
    maximum: int | None = None
    default: Any = None

    def walk(self, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], EditorField]]:
        """This field and every field inside it, with their paths."""
        here = (*path, self.name)
        return [(here, self), *(item for child in self.children for item in child.walk(here))]


def _label(path: tuple[str, ...], description: str, reference: str | None) -> str:
    label = _LABELS.get(path) or _LABEL_END.split(description, maxsplit=1)[0].strip()
    if reference is not None and label.startswith("Mã "):  # the form shows names to choose from, not ids
        label = label[3].upper() + label[4:]
    return label


def _plain(schema: dict) -> dict:
    """The schema without its "or null" (an optional field)."""
    options = [option for option in schema.get("anyOf", [schema]) if option.get("type") != "null"]
    merged = {**schema, **options[0]} if options else dict(schema)
    merged.pop("anyOf", None)
    return merged


def _reference_kinds() -> dict[tuple[str, ...], str]:
    """Field path (lists walked as "*") -> the kind of id it holds, as validation checks them."""
    return {tuple(step for step in path if step != "*"): kind for kind, path in REFERENCE_FIELDS}


def _field(name: str, schema: dict, defs: dict, path: tuple[str, ...], required: bool,
           references: dict[tuple[str, ...], str]) -> EditorField:
    schema = _plain(schema)
    description = schema.get("description", "")
    reference = references.get(path)
    common: dict[str, Any] = {"name": name, "label": _label(path, description, reference), "hint": description,
                              "required": required}
    if schema.get("default") not in (None, [], "", ()):
        common["default"] = schema["default"]
    ref = schema.get("$ref", "").rpartition("/")[2]
    items_ref = schema.get("items", {}).get("$ref", "").rpartition("/")[2]
    if ref == "DocumentKind":
        return EditorField(**common, widget=CHOICE,
                           options=tuple((kind.value, KIND_LABELS[kind]) for kind in DocumentKind))
    if "enum" in schema:
        named = dict(_OPTION_LABELS.findall(description))
        return EditorField(**common, widget=CHOICE,
                           options=tuple((value, named.get(value, value)) for value in schema["enum"]))
    if reference is not None:
        return EditorField(**common, widget=REFERENCES if schema.get("type") == "array" else REFERENCE,
                           reference=reference)
    if ref:
        return EditorField(**common, widget=GROUP, group=ref, children=_fields(defs[ref], defs, path, references))
    if items_ref:
        return EditorField(**common, widget=GROUPS, group=items_ref,
                           children=_fields(defs[items_ref], defs, path, references))
    if schema.get("type") == "array":
        return EditorField(**common, widget=TEXTS, long_items=name in _PARAGRAPHS)
    if str(schema.get("pattern", "")).startswith(_DATE_PATTERN_PREFIX):
        return EditorField(**common, widget=DATE)
    if schema.get("type") == "integer":
        return EditorField(**common, widget=INTEGER, minimum=schema.get("minimum"), maximum=schema.get("maximum"))
    if schema.get("type") == "boolean":
        return EditorField(**common, widget=BOOLEAN)
    if name in _PARAGRAPHS:
        return EditorField(**common, widget=PARAGRAPH)
    return EditorField(**common, widget=LINE, pattern=schema.get("pattern"))


def _fields(schema: dict, defs: dict, path: tuple[str, ...],
            references: dict[tuple[str, ...], str]) -> tuple[EditorField, ...]:
    required = set(schema.get("required", ()))
    return tuple(_field(name, prop, defs, (*path, name), name in required, references)
                 for name, prop in schema.get("properties", {}).items())


def model_fields(model: type[BaseModel], references: dict[tuple[str, ...], str] | None = None
                 ) -> tuple[EditorField, ...]:
    """The fields of `model`, in the models' order (the order the portal writes keys in);
    `references`: field path -> the kind of id it holds (default: a document's, as validated)."""
    schema = TypeAdapter(model).json_schema()
    return _fields(schema, schema.get("$defs", {}), (), _reference_kinds() if references is None else references)


def document_fields() -> tuple[EditorField, ...]:
    """A document's front matter fields."""
    return model_fields(DocumentMeta)


# The ids the data files hold (checked across files by `validate`, like a document's).
DATA_REFERENCES: dict[type[BaseModel], dict[tuple[str, ...], str]] = {
    Unit: {("parent",): "unit"}, Topic: {}, Commemoration: {("topics",): "topic"}}
# data file -> the model of each of its items
DATA_FILES: dict[str, type[BaseModel]] = {"units.yaml": Unit, "topics.yaml": Topic,
                                          "commemorations.yaml": Commemoration}


def data_fields(model: type[BaseModel]) -> tuple[EditorField, ...]:
    """The fields of one item of a data file (`units.yaml`: a Unit)."""
    return model_fields(model, DATA_REFERENCES[model])
