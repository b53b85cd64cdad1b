from datetime import date

from conftest import FIXTURES
from portal.content.models import normalize_number
from portal.content.validate import validate_content
from portal.derive.index import derive
from portal.load.files import load_content


def _index(today=date(2024, 4, 1)):
    site, diagnostics = validate_content(load_content(FIXTURES / "mini"))
    assert site is not None, diagnostics
    return derive(site, today)


def test_implements_links_both_ways_and_keeps_unknown_citations():
    index = _index()
    huyen = index.citations["ke-hoach-huyen"]
    assert [(c.citation.number, c.slug) for c in huyen] == [("10-KH/TU", "ke-hoach-tinh"), ("99-CT/TW", None)]
    assert index.implemented_by["ke-hoach-tinh"] == ("ke-hoach-huyen",)
    assert index.implemented_by["ke-hoach-huyen"] == ("cong-van-du-thao",)
    assert index.implemented_by["cong-van-du-thao"] == ()



def test_indexes_for_units_topics_and_phases():
    index = _index()
    assert index.newest_first == ("ke-hoach-huyen", "ke-hoach-tinh", "cong-van-du-thao")
    assert index.unit_issued["tinh-uy"] == ("ke-hoach-tinh",)
    assert index.unit_addressed["huyen-uy"] == ("ke-hoach-tinh",)
    assert [a.slug for a in index.unit_duties["phong-van-hoa"]] == ["ke-hoach-huyen"]
    assert index.unit_children["tinh-uy"] == ("huyen-uy",)
    assert index.topic_documents["ngay-le"] == ("ke-hoach-huyen",)
    assert index.topic_commemorations["ngay-le"] == ("thanh-lap-dang", "gio-to")
    assert [p.phase.name for p in index.running_phases] == ["Giai đoạn 1"]
    assert [p.phase.name for p in _index(date(2025, 6, 1)).running_phases] == ["Giai đoạn 2"]


def test_upcoming_commemorations_from_today():
    index = _index(date(2025, 1, 15))
    assert [(o.commemoration_id, o.day, o.years) for o in index.upcoming] == [
        ("thanh-lap-dang", date(2025, 2, 3), 95)]
    assert index.next_occurrences["gio-to"].day == date(2025, 4, 7)


def test_numbers_match_across_spacing_and_case_but_not_across_issuers():
    assert normalize_number(" 10-kh/tu ") == "10-KH/TU"
    index = _index()
    site = index.site
    huyen = next(d for d in site.documents if d.slug == "ke-hoach-huyen")
    wrong_issuer = huyen.meta.implements[0].model_copy(update={"issuer": "phong-van-hoa"})
    meta = huyen.meta.model_copy(update={"implements": (wrong_issuer,)})
    documents = tuple(d.model_copy(update={"meta": meta}) if d.slug == "ke-hoach-huyen" else d
                      for d in site.documents)
    other = derive(site.model_copy(update={"documents": documents}), date(2024, 4, 1))
    assert other.citations["ke-hoach-huyen"][0].slug is None
    assert other.implemented_by["ke-hoach-tinh"] == ()


def _with_meta(site, slug, **changes):
    documents = tuple(d.model_copy(update={"meta": d.meta.model_copy(update=changes)}) if d.slug == slug else d
                      for d in site.documents)
    return site.model_copy(update={"documents": documents})


def test_a_title_edit_reuses_the_relations_and_a_relation_edit_does_not():
    from portal.build.reuse import Kept

    site = _index().site
    memo = Kept()
    first = derive(site, date(2024, 4, 1), memo)
    retitled = _with_meta(site, "ke-hoach-tinh", title="Tiêu đề mới")
    second = derive(retitled, date(2024, 4, 1), memo)
    assert second.topic_documents is first.topic_documents  # reused, not rebuilt
    assert second == derive(retitled, date(2024, 4, 1))  # and the same as a fresh derive
    assert any("Tiêu đề mới" in event.description for event in second.events)

    moved = _with_meta(retitled, "ke-hoach-tinh", topics=("ngay-le",))
    third = derive(moved, date(2024, 4, 1), memo)
    assert third.topic_documents is not second.topic_documents
    assert third == derive(moved, date(2024, 4, 1))
    assert "ke-hoach-tinh" in third.topic_documents["ngay-le"]
    assert derive(moved, date(2025, 6, 1), memo) == derive(moved, date(2025, 6, 1))  # another day: recomputed
