"""The content folder's listing, looked at again only where a watcher saw changes (`relist`),
equals looking at the whole folder (`list_content`), whatever the editor did to it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.load import files
from portal.load.files import Listing, list_content, relist

NAMES = ["a.md", "b.md", "c.md", "ghi-chu.txt", "a.md~", ".a.md.swp", "tep-dinh-kem", "anh", "d.md"]
DATA = ["site.yaml", "units.yaml", "topics.yaml", "commemorations.yaml", "ghi-chu.txt"]

# What an editor (or their tools) does to the folder, each giving the paths a watcher reports.
OPERATIONS = st.one_of(
    st.tuples(st.just("write"), st.sampled_from(NAMES), st.integers(0, 3)),
    st.tuples(st.just("remove"), st.sampled_from(NAMES), st.just(0)),
    st.tuples(st.just("attach"), st.sampled_from(["tep-dinh-kem", "anh", "a.md"]), st.integers(0, 3)),
    st.tuples(st.just("detach"), st.sampled_from(["tep-dinh-kem", "anh"]), st.just(0)),
    st.tuples(st.just("link"), st.sampled_from(["b.md", "anh"]), st.just(0)),
    st.tuples(st.just("data"), st.sampled_from(DATA), st.integers(0, 2)),
    st.tuples(st.just("folder"), st.just("documents"), st.just(0)),
)


def _apply(root: Path, outside: Path, operation: tuple[str, str, int]) -> list[str]:
    action, name, size = operation
    documents = root / "documents"
    target = documents / name
    if action == "data":
        path = root / name
        if size == 0:
            path.unlink(missing_ok=True)
        else:
            path.write_text("x: 1\n" * size, encoding="utf-8")
        return [os.path.abspath(path)]
    if action == "folder":  # the documents folder itself removed, or made again
        if documents.exists():
            shutil.rmtree(documents)
        else:
            documents.mkdir()
        return [os.path.abspath(documents)]
    documents.mkdir(exist_ok=True)
    changed = [os.path.abspath(target)]
    if action in ("remove", "detach", "write", "link") and (target.is_symlink() or target.exists()):
        if target.is_dir() and not target.is_symlink():
            changed += [os.path.abspath(path) for path in target.rglob("*")]
            shutil.rmtree(target)
        else:
            target.unlink()
    if action == "write":
        target.write_text("---\ntitle: x\n---\n" + "chữ " * size, encoding="utf-8")
    elif action == "attach":
        if target.exists() and not target.is_dir():
            target.unlink()
        (target / "con").mkdir(parents=True, exist_ok=True)
        inner = target / ("con" if size % 2 else "") / f"tep-{size}.pdf"
        inner.write_bytes(b"%PDF" * (size + 1))
        changed = [os.path.abspath(inner)]  # a watcher names the file made, not only its folder
    elif action == "link":
        target.symlink_to(outside)
    return changed


def _view(listing: Listing) -> tuple:
    """What a listing gives the loader, in its order (dict equality alone ignores order)."""
    return listing.found(), list(listing.documents or {}), list(listing.data_files)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(OPERATIONS, min_size=1, max_size=12))
def test_relisting_the_changed_names_equals_listing_everything(tmp_path, monkeypatch, operations):
    # A file modified in the last seconds gets a unique status (so it is read again): not here.
    monkeypatch.setattr(files, "RACY_SECONDS", -1.0)
    case = Path(os.path.join(tmp_path, f"case-{len(os.listdir(tmp_path))}"))
    root, outside = case / "content", case / "ngoai.md"
    (root / "documents").mkdir(parents=True)
    outside.write_text("---\ntitle: x\n---\n", encoding="utf-8")
    for name in DATA[:4]:
        (root / name).write_text("x: 1\n", encoding="utf-8")
    listing = list_content(root, cwd=case)
    for operation in operations:
        changed = _apply(root, outside, operation)
        listing = relist(listing, root, changed, cwd=case)
        assert _view(listing) == _view(list_content(root, cwd=case)), operation


def test_a_path_the_listing_cannot_place_means_looking_at_everything(tmp_path):
    root = tmp_path / "content"
    (root / "documents").mkdir(parents=True)
    listing = list_content(root, cwd=tmp_path)
    (root / "documents" / "moi.md").write_text("---\ntitle: x\n---\n", encoding="utf-8")
    assert not relist(listing, root, [], cwd=tmp_path).found()[0]  # told nothing changed: believed
    again = relist(listing, root, [str(tmp_path / "elsewhere.md")], cwd=tmp_path)
    assert [shown for _, _, shown, _ in again.found()[0]] == ["content/documents/moi.md"]


@pytest.mark.parametrize("name", ["documents", ""])
def test_the_folders_themselves_changing_means_looking_at_everything(tmp_path, name):
    root = tmp_path / "content"
    (root / "documents").mkdir(parents=True)
    listing = list_content(root, cwd=tmp_path)
    (root / "documents" / "moi.md").write_text("---\ntitle: x\n---\n", encoding="utf-8")
    again = relist(listing, root, [os.path.abspath(root / name) if name else os.path.abspath(root)], cwd=tmp_path)
    assert [shown for _, _, shown, _ in again.found()[0]] == ["content/documents/moi.md"]


def test_the_watcher_tells_the_rebuild_which_paths_changed(tmp_path):
    import asyncio

    from portal.serve import ChangeWatcher

    told: list[frozenset[str]] = []
    watcher = ChangeWatcher([tmp_path], told.append)
    target = tmp_path / "documents" / "moi.md"
    target.parent.mkdir()

    async def edit_and_examine() -> tuple[str | None, float | None]:
        woken = asyncio.Event()
        watcher.start(woken.set)  # wakes once at once (livereload's own start-up reload)
        woken.clear()
        for attempt in range(50):  # the watching thread may start after the first write
            target.write_text(f"---\ntitle: {attempt}\n---\n", encoding="utf-8")
            try:
                await asyncio.wait_for(woken.wait(), 0.2)
                break
            except TimeoutError:
                continue
        await asyncio.sleep(0.1)  # the same save's other events
        return watcher.examine()

    try:
        path, delay = asyncio.run(edit_and_examine())
    finally:
        watcher.stopped.set()
    assert path == os.path.abspath(target) and delay is None
    assert told and all(changed <= {os.path.abspath(target)} for changed in told), told
    assert watcher.examine() == (None, None)  # nothing more changed: no rebuild


def test_the_terminal_names_the_file_edited_not_the_editors_temporary_one(tmp_path, monkeypatch):
    from portal.serve import changed_label

    monkeypatch.chdir(tmp_path)
    saved = tmp_path / "content" / "documents" / "moi.md"
    saved.parent.mkdir(parents=True)
    saved.write_text("x", encoding="utf-8")
    gone = tmp_path / "content" / "documents" / "sedX1b2c3"  # `sed -i` writes beside, then renames
    assert changed_label({str(saved), str(gone)}) == "content/documents/moi.md"
    other = saved.with_name("khac.md")
    other.write_text("x", encoding="utf-8")
    assert changed_label({str(saved), str(other)}) == "2 tệp"
    assert changed_label(None) == "" and changed_label(frozenset()) == ""


def test_a_path_named_where_a_link_leads_is_placed_without_a_whole_listing(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "RACY_SECONDS", -1.0)
    real = tmp_path / "that"
    (real / "documents").mkdir(parents=True)
    (tmp_path / "this").symlink_to(real)  # macOS's /var is such a link to /private/var
    root = tmp_path / "this"
    listing = list_content(root, cwd=tmp_path)
    made = real / "documents" / "moi.md"
    made.write_text("---\ntitle: x\n---\n", encoding="utf-8")
    expected = _view(list_content(root, cwd=tmp_path))

    def whole(*_args, **_kwargs):
        raise AssertionError("the whole folder listed again")

    monkeypatch.setattr(files, "list_content", whole)
    again = relist(listing, root, [os.path.realpath(made)], cwd=tmp_path)
    assert _view(again) == expected and len(again.found()[0]) == 1
