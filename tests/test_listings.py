"""Document listings: pages of `documents_per_page`, by kind and year, and topic pages."""

from __future__ import annotations

import re
import sys
from datetime import date

import pytest

from conftest import ROOT
from portal.build.builder import BuildOptions, SiteBuilder
from portal.render.listings import Pagination, paginate

sys.path.insert(0, str(ROOT))
from benchmarks.generate_content import generate  # noqa: E402


def test_pages_split_a_list_and_link_the_neighbourhood():
    pages = paginate("van-ban/", [f"d{n}" for n in range(120)], 50)
    assert [(len(slugs), p.path()) for slugs, p in pages] == [
        (50, "van-ban/"), (50, "van-ban/trang/2/"), (20, "van-ban/trang/3/")]
    assert paginate("chu-de/x/", [], 50)[0][1] == Pagination("chu-de/x/", 1, 1, 0)
    assert Pagination("van-ban/", 7, 200, 10_000).shown == (1, None, 6, 7, 8, None, 200)
    assert Pagination("van-ban/", 1, 200, 10_000).shown == (1, 2, None, 200)
    assert Pagination("van-ban/", 3, 4, 200).shown == (1, 2, 3, 4)
    assert Pagination("van-ban/", 4, 8, 400).shown == (1, 2, 3, 4, 5, None, 8)  # "…" never hides one page


@pytest.fixture(scope="module")
def large_site(tmp_path_factory) -> dict[str, bytes]:
    content = tmp_path_factory.mktemp("listing") / "content"
    generate(130, content)
    site_yaml = content / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + "documents_per_page: 10\n", encoding="utf-8")
    result = SiteBuilder(BuildOptions(content=content, out=content.parent / "site", today=date(2025, 1, 15))).build()
    assert result.ok and result.outputs is not None and result.index is not None
    return {**dict(result.outputs.items()), "_index": result.index}


def _items(html: bytes) -> list[str]:
    return re.findall(r'<a class="doc-title" href="[^"]*/van-ban/([^/"]+)/"', html.decode())


def _all_pages(site: dict, first: str) -> list[list[str]]:
    pages, number = [], 1
    while (page := site.get(f"{first}{'' if number == 1 else f'trang/{number}/'}index.html")) is not None:
        pages.append(_items(page))
        number += 1
    return pages


def test_every_document_is_listed_once_across_the_pages_newest_first(large_site):
    index = large_site["_index"]
    pages = _all_pages(large_site, "van-ban/")
    assert [len(items) for items in pages] == [10] * 13
    assert [slug for items in pages for slug in items] == list(index.newest_first)
    page_two = large_site["van-ban/trang/2/index.html"].decode()
    assert '<title>Văn bản – trang 2' in page_two
    assert 'rel="prev" href="/van-ban/"' in page_two and 'rel="next" href="/van-ban/trang/3/"' in page_two
    assert 'aria-current="page" href="/van-ban/trang/2/"' in page_two
    sitemap = large_site["sitemap.xml"].decode()
    assert "/van-ban/loai/" in sitemap and "/trang/" not in sitemap  # numbered pages stay out


def test_kind_and_year_listings_hold_exactly_their_documents(large_site):
    index = large_site["_index"]
    documents = index.documents
    kind = documents[index.newest_first[0]].meta.kind
    year = next(d.meta.year for d in documents.values() if d.meta.kind == kind and d.meta.year)
    for path, wanted in [
        (f"van-ban/loai/{kind.value}/", lambda m: m.kind == kind),
        (f"van-ban/nam/{year}/", lambda m: m.year == year),
        (f"van-ban/loai/{kind.value}/nam/{year}/", lambda m: m.kind == kind and m.year == year),
    ]:
        expected = [slug for slug in index.newest_first if wanted(documents[slug].meta)]
        listed = [slug for items in _all_pages(large_site, path) for slug in items]
        assert listed == expected, path
    combined = large_site[f"van-ban/loai/{kind.value}/nam/{year}/index.html"].decode()
    assert f"<h1>{kind.label} năm {year}</h1>" in combined
    assert f'class="chip" aria-current="page" href="/van-ban/loai/{kind.value}/nam/{year}/">{kind.label}' in combined
    assert f'href="/van-ban/nam/{year}/">Tất cả' in combined  # dropping the kind keeps the year


def test_topic_pages_are_numbered_and_keep_feeds_on_the_first(large_site):
    index = large_site["_index"]
    topic, slugs = max(index.topic_documents.items(), key=lambda item: len(item[1]))
    assert len(slugs) > 10, "the generated site should give one topic more than a page"
    assert [slug for items in _all_pages(large_site, f"chu-de/{topic}/") for slug in items] == list(slugs)
    first = large_site[f"chu-de/{topic}/index.html"].decode()
    second = large_site[f"chu-de/{topic}/trang/2/index.html"].decode()
    assert "lich.ics" in first and "webcal" in first.lower()
    assert "webcal" not in second.lower()


def test_a_site_without_documents_still_has_its_listing(tmp_path):
    import shutil

    from conftest import SAMPLE_CONTENT

    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    for document in (content / "documents").glob("*.md"):
        document.unlink()
    result = SiteBuilder(BuildOptions(content=content, out=tmp_path / "site", today=date(2025, 1, 15))).build()
    assert result.ok and result.outputs is not None
    listing = result.outputs["van-ban/index.html"].decode()
    assert "Chưa có văn bản nào." in listing and 'aria-current="page" href="/van-ban/">Tất cả' in listing
    assert not any(path.startswith(("van-ban/trang/", "van-ban/loai/", "van-ban/nam/")) for path in result.outputs)


def test_new_and_import_refuse_a_listing_folder_name_too():
    from portal.content.models import file_name_problem

    assert "danh sách văn bản" in (file_name_problem("trang") or "")
    assert file_name_problem("trang-tin") is None


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_undated_documents_say_so_and_how_they_are_sorted_and_have_their_year_facet(sample_site):
    """The sample's Lục Ngạn plan and district letter print no date: they say "Chưa ghi ngày",
    name the date they are sorted by (the document they carry out), and the year facet counts them
    under "Chưa ghi ngày" instead of hiding them or lending them a year."""
    listing = _text((sample_site / "van-ban" / "index.html").read_text(encoding="utf-8"))
    assert "Chưa ghi ngày (ước tính theo văn bản được thực hiện: 18/05/2021)" in listing  # Lục Ngạn, 19-KH/TU
    assert "Chưa ghi ngày (ước tính theo văn bản được thực hiện: 23/05/2024)" in listing  # after 1232-CV/BTGTU
    assert "Năm 2023, chưa ghi ngày (ước tính theo văn bản được thực hiện: 26/05/2023)" in listing  # VP UBND 2373
    assert "xếp theo ngày ước tính là ngày của văn bản mà nó thực hiện" in listing
    facets = re.search(r'<nav class="facets".*?</nav>', (sample_site / "van-ban" / "index.html")
                       .read_text(encoding="utf-8"), re.S)
    assert facets is not None
    years = _text(facets.group(0)).split("Năm:")[1]
    assert "Chưa ghi ngày 3" in years  # 443-KH/TU prints no date either
    assert "2023 1" in years
    undated = _text((sample_site / "van-ban" / "nam" / "chua-ghi-ngay" / "index.html").read_text(encoding="utf-8"))
    assert "Văn bản chưa ghi ngày" in undated and undated.count("Chưa ghi ngày (ước tính") == 3
    for page in ("index.html", "chu-de/dai-hoi-xiii/index.html", "don-vi/btv-huyen-uy-luc-ngan/index.html"):
        assert "Chưa ghi ngày (ước tính theo văn bản được thực hiện: 18/05/2021)" in _text(
            (sample_site / page).read_text(encoding="utf-8")), page
