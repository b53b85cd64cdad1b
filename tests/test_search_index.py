"""The search index made in parts: each worker inverts and encodes its pages' postings, the build
process joins them. Whatever the parts, the files are those of the pages taken one by one."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SAMPLE_CONTENT, SAMPLE_TODAY
from portal.pipeline import BuildOptions, render
from portal.render import search
from portal.render.search_postings import SectionJoiner, encode_sections, part_postings

_WORDS = ["Đảng", "đảng", "đang", "Cộng", "công", "sản", "Hùng", "Vương", "2025", "443-KH/TU", "x²", "tuyên",
          "truyền", "ngày", "hội"]
_TEXT = st.lists(st.sampled_from(_WORDS), max_size=30).map(" ".join)
_PAGE = st.tuples(st.integers(1, 5), st.lists(st.tuples(st.sampled_from(["title", "meta", "number", "headings"]),
                                                        _TEXT), max_size=3), _TEXT)


@settings(max_examples=60, deadline=None)
@given(st.lists(_PAGE, min_size=1, max_size=25), st.lists(st.integers(1, 24), max_size=5))
def test_sections_joined_from_parts_are_those_of_the_pages_taken_whole(pages, cuts):
    """A key's records and section, joined from the parts' fragments (each part's first id then
    a gap from the part before), are the ones encoded from all of its records at once."""
    ids, page_id = [], 0
    for gap, _, _ in pages:
        page_id += gap
        ids.append(page_id)
    analysed = [(page_id, tuple(fields), body) for page_id, (_, fields, body) in zip(ids, pages, strict=True)]
    bounds = sorted({0, len(analysed), *(cut for cut in cuts if cut < len(analysed))})
    joiner = SectionJoiner()
    for start, end in zip(bounds, bounds[1:], strict=False):
        joiner.add(part_postings(analysed[start:end]))
    whole = part_postings(analysed)
    records = {key: fragment[0] for key, fragment in whole.items()}
    assert joiner.records() == records
    assert joiner.sections() == dict(zip(records, encode_sections(list(records.values())), strict=True))


def _search_files(part: int, monkeypatch) -> dict[str, bytes]:
    monkeypatch.setattr(search, "PART", part)
    result = render(BuildOptions(content=SAMPLE_CONTENT, out=SAMPLE_CONTENT.parent / "unused", today=SAMPLE_TODAY))
    assert result.ok and result.outputs is not None
    return {path: data for path, data in result.outputs.items() if path.startswith(search.ROOT)}


def test_the_index_is_the_same_whatever_its_parts(monkeypatch):
    one_part = _search_files(10_000, monkeypatch)
    assert any(path.startswith(f"{search.ROOT}s/") for path in one_part)
    assert _search_files(1, monkeypatch) == one_part
    assert _search_files(7, monkeypatch) == one_part


def test_parts_analysed_by_forked_workers_make_the_same_files(tmp_path, monkeypatch):
    """Parts spread over two forked workers, which write the text blocks themselves and send back
    their fragments, give the files of one part in this process."""
    import dataclasses

    from benchmarks.generate_content import generate
    from portal.build.builder import SiteBuilder
    from portal.write.outputs import Outputs

    content = tmp_path / "content"
    generate(60, content)
    options = BuildOptions(content=content, out=tmp_path / "site", today=SAMPLE_TODAY)
    monkeypatch.setattr(search, "PART", 10_000)
    serial = SiteBuilder(options).build()
    monkeypatch.setattr(search, "PART", 7)
    staged = Outputs(tmp_path / "staging")
    forked = SiteBuilder(dataclasses.replace(options, workers=2), keep=False).build(staged)
    assert serial.ok and forked.ok and serial.outputs is not None

    def index_files(items):
        return {path: data for path, data in items if path.startswith(search.ROOT)}

    assert index_files(staged.items()) == index_files(serial.outputs.items())
