"""The persistent build cache (`portal/build/store.py`): a build with the last build's cache makes
the same bytes as one without, computes only what changed, and survives a damaged file."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmarks.generate_content import generate
from conftest import FIXTURES, ROOT, SAMPLE_TODAY
from portal.build import parallel
from portal.build.reuse import Fresh
from portal.build.store import ResultStore, Uncacheable, cache_path, canonical
from portal.pipeline import BuildOptions, build
from portal.steps import Call
from portal.write.stamp import stamp_path


def _tree(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def _build(content: Path, out: Path, **options) -> None:
    result = build(BuildOptions(content=content, out=out, today=SAMPLE_TODAY, **options), force=True)
    assert result.ok, [d.format() for d in result.diagnostics]


def _rows(out: Path) -> int:
    with sqlite3.connect(cache_path(out)) as connection:
        return connection.execute("SELECT count(*) FROM results").fetchone()[0]


def _forget_output(out: Path) -> None:
    """What a CI build in a fresh checkout has: no output folder, no stamp, the restored cache."""
    shutil.rmtree(out)
    stamp_path(out).unlink()


@pytest.fixture
def counted(monkeypatch) -> Counter[str]:
    """How many times each stored step's function runs (in this process: workers=1)."""
    import portal.build.builder as builder
    import portal.render.bodies as bodies
    import portal.render.feeds as feeds

    calls: Counter[str] = Counter()
    for module, name in ((bodies, "render_markdown"), (builder, "draw_card"), (feeds, "render_event")):
        original = getattr(module, name)

        def counting(*args, _original=original, _name=name):
            calls[_name] += 1
            return _original(*args)

        monkeypatch.setattr(module, name, counting)
    return calls


@pytest.fixture
def mini(tmp_path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "mini", content)
    return content


def test_a_warm_build_on_two_workers_writes_the_same_bytes_as_a_cold_one_and_without_the_cache(tmp_path):
    content = tmp_path / "content"
    generate(parallel.MIN_ITEMS + 30, content)  # enough documents that the workers really run
    out = tmp_path / "site"
    _build(content, out, workers=2)
    cold = _tree(out)
    assert _rows(out) > parallel.MIN_ITEMS
    _forget_output(out)
    _build(content, out, workers=2)
    assert _tree(out) == cold
    _build(content, tmp_path / "plain", workers=2, cache=False)
    assert _tree(tmp_path / "plain") == cold
    assert not cache_path(tmp_path / "plain").exists()


def test_a_warm_build_computes_nothing_and_an_edit_recomputes_only_the_edited_body(mini, tmp_path, counted):
    out = tmp_path / "site"
    _build(mini, out)
    assert counted["render_markdown"] and counted["draw_card"] and counted["render_event"]
    counted.clear()
    _forget_output(out)
    _build(mini, out)
    assert not counted, counted

    document = sorted((mini / "documents").glob("*.md"))[0]
    document.write_text(document.read_text(encoding="utf-8") + "\nMột đoạn mới của toàn văn.\n", encoding="utf-8")
    _build(mini, out)
    assert counted["render_markdown"] == 1 and counted["render_event"] == 0
    edited = _tree(out)
    _build(mini, tmp_path / "plain", cache=False)
    assert edited == _tree(tmp_path / "plain")


def test_a_damaged_cache_file_is_replaced_and_the_build_is_the_same(mini, tmp_path):
    out = tmp_path / "site"
    _build(mini, out, cache=False)
    expected = _tree(out)
    cache_path(out).write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)  # a torn, foreign file
    _build(mini, out)
    assert _tree(out) == expected
    assert _rows(out) > 0


class _FullDisk:
    """A cache connection whose every write fails as SQLite fails on a full disk."""

    def __init__(self, connection: sqlite3.Connection):
        self._connection = connection

    def __getattr__(self, name):
        return getattr(self._connection, name)

    def __enter__(self):
        return self._connection.__enter__()

    def __exit__(self, *exc):
        return self._connection.__exit__(*exc)

    def execute(self, sql, *args):
        if not sql.startswith(("SELECT", "PRAGMA")):
            raise sqlite3.OperationalError("database or disk is full")
        return self._connection.execute(sql, *args)

    executemany = execute


def test_a_cache_that_cannot_be_written_is_left_alone_and_the_build_is_the_same(mini, tmp_path, monkeypatch):
    """Only a cache: a full disk fails the build's own writes (`write-failed`), never here."""
    out = tmp_path / "site"
    _build(mini, out, cache=False)
    expected = _tree(out)
    opened = ResultStore.__init__

    def opened_on_a_full_disk(self, *args):
        opened(self, *args)
        self._connection = _FullDisk(self._connection)

    monkeypatch.setattr(ResultStore, "__init__", opened_on_a_full_disk)
    _build(mini, out)
    assert _tree(out) == expected


def test_the_cache_keeps_only_what_the_last_build_used(mini, tmp_path):
    out = tmp_path / "site"
    _build(mini, out)
    before = _rows(out)
    for document in sorted((mini / "documents").glob("*.md"))[1:]:
        document.unlink()
    _build(mini, out)
    after = _rows(out)
    assert 0 < after < before
    _build(mini, out)
    assert _rows(out) == after


def test_a_call_whose_arguments_cannot_be_encoded_is_computed_and_not_stored(tmp_path):
    store = ResultStore(tmp_path / "cache.sqlite", "test")
    steps = Fresh(store=store)
    opaque = object()  # no stable encoding
    calls: list[Call] = [("a", ("text",)), ("b", (opaque,))]
    assert list(steps.stream("body", lambda value: repr(type(value)), calls)) == ["<class 'str'>", "<class 'object'>"]
    assert store.key("body", (opaque,)) is None
    store.flush()
    assert list(steps.stream("body", lambda value: "again", calls)) == ["<class 'str'>", "again"]
    store.close()


def test_a_result_is_made_into_its_stored_form_only_when_its_call_has_a_key(tmp_path):
    """A call that cannot be keyed is computed and handed back as it is, even unpicklable."""
    store = ResultStore(tmp_path / "cache.sqlite", "test")
    opaque = object()

    def unpicklable() -> None:
        pass

    calls: list[Call] = [("a", ("text",)), ("b", (opaque,))]
    results = list(Fresh(store=store).stream("body", lambda value: unpicklable if value is opaque else value, calls))
    assert results == ["text", unpicklable]
    store.close()


values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text() | st.binary(),
    lambda inner: st.tuples(inner) | st.tuples(inner, inner) | st.lists(inner, max_size=3)
    | st.frozensets(st.text() | st.integers(), max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8)


def _encoded(value) -> bytes:
    out = bytearray()
    canonical(value, out)
    return bytes(out)


@given(values, values)
def test_different_arguments_never_share_an_encoding(first, second):
    if _encoded(first) == _encoded(second):
        assert repr(first) == repr(second) or first == second


@given(st.lists(st.lists(values | st.sampled_from(["shared"]), max_size=3), max_size=6), st.data())
def test_the_keys_of_many_calls_are_each_call_s_digest_with_shared_arguments_encoded_once(calls, data):
    """`keys` encodes an argument object shared by several calls once: the digests must be those
    of encoding every call whole (an uncacheable argument: None for that call alone)."""
    shared, opaque = (("a", frozenset({"b", "c"}), ("d", 1)), object())
    arguments = [tuple(shared if item == "shared" else item for item in call) for call in calls]
    if arguments and data.draw(st.booleans()):
        arguments[0] = (*arguments[0], opaque)
    expected = []
    for call in arguments:
        try:
            expected.append(hashlib.blake2b(b"vbody\0" + _encoded(call), digest_size=20).digest())
        except Uncacheable:
            expected.append(None)
    store = ResultStore.__new__(ResultStore)  # only the digests: no file
    store.version = b"v"
    assert store.keys("body", arguments) == expected


def test_the_digest_does_not_depend_on_the_interpreter_s_hash_seed():
    program = ("from portal.build.store import canonical;"
               "from portal.content.models import Topic;"
               "out = bytearray(); canonical((frozenset('abcdefgh'), {'x', 'y', 'z'},"
               " Topic(id='a', name='Tên', description='Mô tả')), out); print(out.hex())")
    digests = {subprocess.run([sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout
               for seed in (1, 2, 3)}
    assert len(digests) == 1
