"""Safe YAML loading that remembers where every value came from.

PyYAML's loaders return plain data and forget line numbers; they also accept duplicate keys
silently and, in the unsafe loaders, arbitrary Python tags. We compose the node graph with the
safe (C when available) composer and construct the data ourselves so that we can:
  * record the line and column of every key and value (for `path:line:col` diagnostics),
  * reject duplicate keys, unknown tags and anchors/aliases (no "billion laughs" expansion),
  * reject nesting deeper than `MAX_DEPTH` before composing (libyaml's composer recurses in C:
    ~100,000 nested brackets crash the process), and control or invisible characters written
    as escapes ("\x07", "\u200b"; the loader reports the ones typed as they are),
  * keep dates as the text the editor wrote (we parse them ourselves, with Vietnamese messages).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import yaml

from portal.diagnostics import Diagnostic, report
from portal.load.chars import FORBIDDEN, describe, might_hold_forbidden
from portal.load.yamlhelp import explain

if TYPE_CHECKING:  # checked against the C loader; the pure-Python one has the same interface
    _BaseLoader = yaml.CSafeLoader
else:
    try:  # the C composer is ~7x faster; fall back to pure Python where libyaml is missing
        _BaseLoader = yaml.CSafeLoader
    except AttributeError:  # pragma: no cover
        _BaseLoader = yaml.SafeLoader


class _Loader(_BaseLoader):
    """The safe loader with PyYAML's tag resolution taken off the hot path: even the C composer
    calls back into Python for every node (600,000 calls at 10,000 documents, a fifth of
    loading), and PyYAML walks a list of regular expressions each time."""

    # Implicit types (bool, int, float, null, timestamp) are recognised by a value's first
    # character; a plain scalar starting with any other character is a string.
    _TYPED_FIRST = frozenset(char for char in _BaseLoader.yaml_implicit_resolvers if char)

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        """No path resolvers are registered on the safe loader: nothing to track."""

    def ascend_resolver(self) -> None:
        """See `descend_resolver`."""

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            if implicit[0] and (not value or value[0] in self._TYPED_FIRST):
                tag = super().resolve(kind, value, implicit)
                return self.DEFAULT_SCALAR_TAG if _written_otherwise(tag, value) else tag
            return self.DEFAULT_SCALAR_TAG
        return self.DEFAULT_SEQUENCE_TAG if kind is yaml.SequenceNode else self.DEFAULT_MAPPING_TAG

_TAG = "tag:yaml.org,2002:"
# YAML 1.1 reads some plain words and numbers as something other than what an editor meant:
# `0373` is the octal 251, `1:30` the sexagesimal 90, `1_000` a thousand, `yes`/`no`/`on`/`off`
# booleans. They stay text, as written; a field that wants a number or a truth value still gets
# one (the models read "0373" as 373, "yes" as true), and a number or an id keeps its digits.
_SURPRISING_INT = re.compile(r"[-+]?(?:0[0-9_]+|0[bBxXoO][0-9a-fA-F_]+|[0-9][0-9_]*(?::[0-5]?[0-9])+|[0-9]+_[0-9_]*)")


def _written_otherwise(tag: str, value: str) -> bool:
    if tag == f"{_TAG}int":
        return _SURPRISING_INT.fullmatch(value) is not None
    if tag == f"{_TAG}bool":
        return value.lower() not in ("true", "false")
    if tag == f"{_TAG}float":
        return "_" in value or ":" in value
    return False


_SCALAR_TAGS = {f"{_TAG}{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")}
_ALLOWED_TAGS = _SCALAR_TAGS | {f"{_TAG}seq", f"{_TAG}map"}

Location = tuple[int, int]  # 1-based line and column
# Content needs 4 levels (duties[0].tasks[0]); anything near this limit is a mistake or an attack.
MAX_DEPTH = 32
# Every collection starts with one of these characters (block mappings need their `:`), so their
# count bounds the nesting depth: below this many, composing cannot go deep enough to crash.
_INDICATORS = "[{-?:"
_COMPOSE_SAFELY = 1000
# No field needs a longer number (years have 4 digits); Python refuses to read integers of more
# than 4,300 digits at all, which made `check` itself fail and lose every other problem.
MAX_NUMBER_DIGITS = 30
FieldPath = tuple[str | int, ...]


@dataclass
class SourceMap:
    """Where each value (and each mapping key) of a YAML document starts."""

    values: dict[FieldPath, Location] = field(default_factory=dict)
    keys: dict[FieldPath, Location] = field(default_factory=dict)
    # Plain (unquoted) values followed on their line by ` #`: YAML drops the rest as a comment,
    # which cuts a title like "… đợt #2 …". Where the `#` is.
    comments: dict[FieldPath, Location] = field(default_factory=dict)

    def locate(self, path: FieldPath, prefer_key: bool = False) -> Location:
        """The most precise known location for `path`, walking up to its parents."""
        for end in range(len(path), -1, -1):
            prefix = path[:end]
            if prefer_key and prefix in self.keys:
                return self.keys[prefix]
            if prefix in self.values:
                return self.values[prefix]
        return (1, 1)


@dataclass
class YamlResult:
    data: Any
    source_map: SourceMap
    diagnostics: list[Diagnostic]
    bad_paths: set[FieldPath] = field(default_factory=set)  # values replaced by None after a problem


# PyYAML's messages are English; editors read Vietnamese. The original stays in parentheses.
_YAML_PROBLEMS = (
    ("cannot start any token", "có ký tự không được đứng đầu giá trị (thường là Tab dùng để thụt lề, hoặc @, `)"),
    ("found a tab character", "có ký tự Tab dùng để thụt lề"),
    ("found unexpected end of stream", "tệp kết thúc khi dấu ngoặc kép hoặc ngoặc vuông/nhọn chưa đóng"),
    ("mapping values are not allowed here", "dấu hai chấm không đúng chỗ"),
    ("could not find expected ':'", "thiếu dấu hai chấm sau tên trường"),
    ("expected <block end>", "thụt lề không đều"),
    ("did not find expected key", "thụt lề không đều hoặc thiếu tên trường"),
    ("did not find expected '-' indicator", "thụt lề của danh sách không đều"),
    ("found unknown escape character", "dấu \\ không hợp lệ trong chuỗi ngoặc kép"),
    ("found undefined alias", "bí danh YAML (*) không tồn tại"),
    ("did not find expected ',' or '}'", "thiếu dấu phẩy giữa các mục, hoặc thiếu dấu } đóng ngoặc"),
    ("did not find expected ',' or ']'", "thiếu dấu phẩy giữa các mục, hoặc thiếu dấu ] đóng ngoặc"),
    ("expected <document start>", "phần thông tin đầu có dòng không đúng dạng `khóa: giá trị`"),
)


def _explain(problem: str) -> str:
    """PyYAML's reason in Vietnamese; one it has never been seen to give, said generally."""
    for english, vietnamese in _YAML_PROBLEMS:
        if english in problem:
            return vietnamese
    return "YAML không đọc được từ chỗ này"


class _Mark(Protocol):
    """PyYAML's `yaml.Mark`, or libyaml's own class in the events of the C parser."""

    line: int
    column: int


def _location(mark: _Mark, line_offset: int) -> Location:
    return (mark.line + 1 + line_offset, mark.column + 1)


def load_yaml(text: str, path: str, line_offset: int = 0) -> YamlResult:
    """Parse `text` (from the file `path`, starting `line_offset` lines into it)."""
    source_map = SourceMap()
    diagnostics: list[Diagnostic] = []

    def problem(loc: Location, code: str, where: FieldPath = (), **values: Any) -> None:
        diagnostics.append(report(code, path, loc[0], loc[1], field=format_field_path(where), **values))

    try:
        deep = _too_deep(text)
        if deep is not None:
            problem(_location(deep, line_offset), "yaml-too-deep", depth=MAX_DEPTH)
            return YamlResult(None, source_map, diagnostics)
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        # The parser notices an unclosed quote or bracket only lines later: then where it was opened
        # (the context mark) is where the editor must look. Otherwise the problem mark is exact.
        context, problem_mark = error.context or "", error.problem_mark
        unclosed = "quoted scalar" in context or "flow" in context
        mark: yaml.Mark | None
        if error.context_mark and (problem_mark is None or (unclosed and problem_mark.line != error.context_mark.line)):
            mark = error.context_mark
        else:
            mark = problem_mark
        stopped = mark if unclosed else (problem_mark or mark)
        explained = explain(text, stopped.line, stopped.column) if stopped else None
        if explained is not None:
            problem((explained.line + 1 + line_offset, explained.column + 1), "yaml-syntax", detail=explained.detail,
                    hint=explained.hint)
            return YamlResult(None, source_map, diagnostics)
        loc = _location(mark, line_offset) if mark else (1 + line_offset, 1)
        reason = "; ".join(part.strip() for part in (error.context, error.problem) if part)
        problem(loc, "yaml-syntax", detail=_explain(reason))
        return YamlResult(None, source_map, diagnostics)
    except yaml.YAMLError:
        problem((1 + line_offset, 1), "yaml-syntax", detail="YAML không đọc được tệp này")
        return YamlResult(None, source_map, diagnostics)
    except RecursionError:
        problem((1 + line_offset, 1), "yaml-too-deep", depth=MAX_DEPTH)
        return YamlResult(None, source_map, diagnostics)

    if root is None:
        return YamlResult(None, source_map, diagnostics)

    bad_paths: set[FieldPath] = set()
    state: _Construction = (source_map.values, source_map.keys, set(), bad_paths, problem, 1 + line_offset,
                            yaml.constructor.SafeConstructor(), text.split("\n") if "#" in text else None,
                            source_map.comments)
    try:
        data = _construct(root, (), state)
    except RecursionError:
        problem((1 + line_offset, 1), "yaml-too-deep", depth=MAX_DEPTH)
        return YamlResult(None, source_map, diagnostics)
    return YamlResult(data, source_map, diagnostics, bad_paths)


# What constructing one document's nodes shares: the source map's values and keys, the ids of the
# nodes seen so far, the bad paths, the `problem` reporter, the file line of the text's first line
# and PyYAML's constructor (its own rules for ints, booleans, nulls). `_construct` is a plain
# function handed this tuple, not a closure over these names: a closure that calls itself is a
# reference cycle, which would keep the source map alive until the next collection, and builds
# pause the collector. A plain tuple, not a NamedTuple: unpacking one is ~5% of constructing.
_Construction = tuple[dict[FieldPath, Location], dict[FieldPath, Location], set[int], set[FieldPath],
                      Callable[..., None], int, yaml.constructor.SafeConstructor, list[str] | None,
                      dict[FieldPath, Location]]
_COMMENT_AFTER = re.compile(r"[ \t]+#")

# Every document of a site has the same field paths at mostly the same lines and columns, so the
# source maps share one tuple per path and per place instead of each holding its own: ~50 small
# tuples a document fewer in memory, and a chunk of parsed documents coming back from a worker is
# pickled with each shared tuple once (as references to the first), which the parent reads ~2.5x faster.
# Per process, and emptied when full: sharing is only an economy (no content can grow it unboundedly).
_SHARED: dict[tuple, tuple] = {}
_SHARED_MAX = 200_000


def _shared(value: tuple) -> tuple:
    kept = _SHARED.get(value)
    if kept is not None:
        return kept
    if len(_SHARED) >= _SHARED_MAX:
        _SHARED.clear()
    _SHARED[value] = value
    return value


def _construct(node: yaml.Node, where: FieldPath, state: _Construction) -> Any:
    # Locations are inlined here and below: this runs for each of ~40 nodes in every file.
    values, keys, seen, bad_paths, problem, first_line, constructor, lines, comments = state
    mark = node.start_mark
    loc = values[where] = _shared((mark.line + first_line, mark.column + 1))
    # The composer shares one node object between an anchor and its aliases: seeing a node
    # twice means an alias, refused before anything is expanded (no "billion laughs").
    if id(node) in seen:
        # The shared node's mark is the anchor's; the key names the place of the alias, and in
        # a list (no key) the list's own start is the nearest place known.
        place = keys.get(where) or values.get(where[:-1], loc)
        problem(place, "yaml-alias", where)
        bad_paths.add(where)
        return None
    seen.add(id(node))
    if len(where) >= MAX_DEPTH and isinstance(node, yaml.CollectionNode):  # the (MAX_DEPTH + 1)th
        problem(loc, "yaml-too-deep", where, depth=MAX_DEPTH)
        bad_paths.update(where[:end] for end in range(1, len(where) + 1))  # no "wrong type" above it
        return None
    if node.tag not in _ALLOWED_TAGS:
        problem(loc, "yaml-tag", where, tag=node.tag)
        bad_paths.add(where)
        return None
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            mark = key_node.start_mark
            key_loc = _shared((mark.line + first_line, mark.column + 1))
            if key_node.tag not in _SCALAR_TAGS or not isinstance(key_node, yaml.ScalarNode):
                problem(key_loc, "yaml-key", where)
                continue
            key = sys.intern(str(key_node.value))  # one string per field name across the site
            child = _shared((*where, key))
            if key in result:
                first = keys[child]
                hint = None
                if where and isinstance(where[-1], int) and key_loc[1] == first[1]:  # an item's key, again
                    hint = ("có thể thiếu dấu `- ` ở đầu dòng này để bắt đầu một mục mới của danh sách; "
                            "nếu không, xóa một trong hai dòng")
                problem(key_loc, "duplicate-key", child, key=key, first_line=first[0], hint=hint)
                continue
            keys[child] = key_loc
            result[key] = _construct(value_node, child, state)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_construct(item, _shared((*where, index)), state) for index, item in enumerate(node.value)]
    if node.tag == f"{_TAG}timestamp" or node.tag == f"{_TAG}str":
        forbidden = might_hold_forbidden(node.value) and FORBIDDEN.search(node.value)
        if forbidden:  # written as an escape in a quoted string
            code, message, hint = describe(forbidden.group())
            problem(loc, code, where, detail=message, hint=hint)
            bad_paths.add(where)
            return None
        # A plain value (style None, or "" from libyaml): is a comment cutting it?
        if lines is not None and not getattr(node, "style", None):
            end = node.end_mark
            cut = _COMMENT_AFTER.match(lines[end.line], end.column) if end.line < len(lines) else None
            if cut:
                comments[where] = _shared((end.line + first_line, cut.end()))
        return node.value  # dates stay text: we parse and explain them ourselves
    if node.tag == f"{_TAG}int" and len(node.value) > MAX_NUMBER_DIGITS:
        problem(loc, "too-long", where, detail=f"số `{node.value[:20]}…` dài {len(node.value)} chữ số, quá giới hạn "
                f"{MAX_NUMBER_DIGITS}", hint="kiểm tra lại giá trị; nếu đó là chữ, đặt trong dấu ngoặc kép")
        bad_paths.add(where)
        return None
    return constructor.construct_object(node)


def _too_deep(text: str) -> _Mark | None:
    """Where the nesting first goes deeper than `MAX_DEPTH`, read from the parser's flat event
    stream (never recursive); only for texts with enough indicators to nest that deep."""
    if sum(map(text.count, _INDICATORS)) <= _COMPOSE_SAFELY:
        return None
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                return event.start_mark
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return None


def format_field_path(path: FieldPath) -> str:
    """("phases", 0, "end") -> "phases[0].end"."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text
