"""Phases without an end and plans replaced by newer ones (issue 16, Deliver 3)."""

from __future__ import annotations

from datetime import date

import pytest

import test_hostile
from portal.content.models import Phase, SiteConfig
from portal.derive.relations import RelationFacts, phase_entries, relation_indexes, superseded_by


def facts(slug: str, issued: date | None, phases=(), kind: str = "ke-hoach", issuer: str = "tinh-uy",
          topics=("dai-hoi",)) -> RelationFacts:
    return RelationFacts(slug, issued, issued, "", kind, issuer, (), tuple(topics), (), (), tuple(phases), ())


OPEN = Phase(name="Năm 2022 và các năm tiếp theo", start=date(2022, 1, 1))
UNDATED = Phase(name="Trước và trong ngày bầu cử")
CLOSED = Phase(name="Đến hết năm 2021", end=date(2021, 12, 31))


def test_an_open_phase_runs_to_the_end_of_the_year_after_its_start():
    assert OPEN.horizon(None, 1) == date(2023, 12, 31)
    assert OPEN.horizon(None, 0) == date(2022, 12, 31)
    assert UNDATED.horizon(date(2021, 5, 18), 1) == date(2022, 12, 31)  # from the document's date
    assert UNDATED.horizon(None, 1) is None  # nothing to count from
    assert CLOSED.horizon(date(2021, 5, 18), 1) is None  # its own end counts


@pytest.mark.parametrize("day, states", [
    (date(2021, 6, 1), ["running", "future", "running"]),
    (date(2023, 12, 31), ["past", "running", "past"]),
    (date(2024, 1, 1), ["past", "past", "past"]),
    (date(2025, 1, 15), ["past", "past", "past"]),
])
def test_old_open_phases_move_to_the_past(day, states):
    entries = phase_entries(facts("luc-ngan", date(2021, 5, 18), (UNDATED, OPEN, CLOSED)), horizon_years=1)
    assert [entry.state(day) for entry in entries] == states
    assert [entry.open_ended for entry in entries] == [True, True, False]


def test_running_phases_use_the_configured_horizon():
    documents = (facts("luc-ngan", date(2021, 5, 18), (UNDATED, OPEN)),
                 facts("vung-tau", date(2024, 10, 3), (Phase(name="Từ năm 2025", start=date(2025, 1, 1)),)))
    index = relation_indexes(documents, ("tinh-uy",), ("dai-hoi",), (), date(2025, 1, 15), horizon_years=1)
    assert [r.phase.name for r in index["running_phases"]] == ["Từ năm 2025"]
    index = relation_indexes(documents, ("tinh-uy",), ("dai-hoi",), (), date(2025, 1, 15), horizon_years=5)
    assert [r.phase.name for r in index["running_phases"]] == ["Từ năm 2025", "Trước và trong ngày bầu cử",
                                                                "Năm 2022 và các năm tiếp theo"]


def test_the_horizon_is_a_site_setting_with_a_default_of_one_year():
    config = SiteConfig(title="Cổng", description="Mô tả", base_url="https://example.vn/")
    assert config.open_phase_years == 1
    with pytest.raises(ValueError):
        SiteConfig(title="Cổng", description="Mô tả", base_url="https://example.vn/", open_phase_years=-1)


def test_a_plan_is_superseded_by_a_newer_plan_of_the_same_issuer_and_main_topic():
    documents = (
        facts("kh-2021", date(2021, 5, 18)),
        facts("kh-2023", date(2023, 2, 1)),
        facts("kh-2025", date(2025, 1, 2)),
        facts("kh-khac-chu-de", date(2026, 1, 1), topics=("bau-cu", "dai-hoi")),
        facts("kh-don-vi-khac", date(2026, 1, 1), issuer="huyen-uy"),
        facts("cong-van", date(2026, 1, 1), kind="cong-van"),
        facts("kh-chua-ghi-ngay", None),
    )
    newer = superseded_by(documents)
    assert newer == {"kh-2021": "kh-2025", "kh-2023": "kh-2025", "kh-2025": None, "kh-khac-chu-de": None,
                     "kh-don-vi-khac": None, "cong-van": None, "kh-chua-ghi-ngay": None}


# --- on the pages ---------------------------------------------------------------------------------

project = test_hostile.project  # the fixture: the mini fixture in tmp_path beside its built site

PLAN = "kind: ke-hoach\ntitle: {title}\nissuer: tinh-uy\ntopics: [dai-hoi]\nissued: {issued}\nnumber: \"{number}\""


def test_the_pages_mark_open_phases_the_old_plan_and_its_newer_plan(project, capsys):
    project.doc("kh-cu", PLAN.format(title="Kế hoạch cũ", issued="18/05/2021", number="19-KH/TU")
                + "\nphases:\n  - {name: Năm 2022 và các năm tiếp theo, start: 01/01/2022}")
    project.doc("kh-moi", PLAN.format(title="Kế hoạch mới", issued="02/01/2025", number="5-KH/TU")
                + "\nphases:\n  - {name: Từ năm 2025, start: 01/01/2025}")
    code, stderr = test_hostile.build(capsys)
    assert code == 0, stderr
    old = (project.site / "van-ban" / "kh-cu" / "index.html").read_text(encoding="utf-8")
    assert "Đã có kế hoạch mới hơn: <a href=\"/cong/van-ban/kh-moi/\">Kế hoạch số 5-KH/TU: Kế hoạch mới</a>" in old
    assert "Từ 01/01/2022, chưa ghi ngày kết thúc" in old
    assert '<li class="past" data-phase-start="2022-01-01" data-phase-end="2023-12-31">' in old
    new = (project.site / "van-ban" / "kh-moi" / "index.html").read_text(encoding="utf-8")
    assert "Đã có kế hoạch mới hơn" not in new
    assert '<li class="running" data-phase-start="2025-01-01" data-phase-end="2026-12-31">' in new
    home = (project.site / "index.html").read_text(encoding="utf-8")
    assert "Từ năm 2025" in home and "Năm 2022 và các năm tiếp theo" not in home


def test_the_horizon_comes_from_site_yaml(project, capsys):
    site_yaml = project.content / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + "open_phase_years: 5\n", encoding="utf-8")
    project.doc("kh-cu", PLAN.format(title="Kế hoạch cũ", issued="18/05/2021", number="19-KH/TU")
                + "\nphases:\n  - {name: Năm 2022 và các năm tiếp theo, start: 01/01/2022}")
    code, stderr = test_hostile.build(capsys)
    assert code == 0, stderr
    old = (project.site / "van-ban" / "kh-cu" / "index.html").read_text(encoding="utf-8")
    assert '<li class="running" data-phase-start="2022-01-01" data-phase-end="2027-12-31">' in old
