from hypothesis import given
from hypothesis import strategies as st

from portal.content.slugs import SlugSet, fold, slugify
from portal.render.bodies import render_markdown


def test_slugify_vietnamese():
    assert slugify("Tổ chức thực hiện") == "to-chuc-thuc-hien"
    assert slugify("Đảng Cộng sản Việt Nam") == "dang-cong-san-viet-nam"
    assert slugify("II- NỘI DUNG VÀ LỘ TRÌNH TUYÊN TRUYỀN") == "ii-noi-dung-va-lo-trinh-tuyen-truyen"


def test_fold_removes_tones_and_stroke_in_nfc_and_nfd():
    assert fold("Đảng Cộng sản") == "dang cong san"
    assert fold("Tuyên truyền") == fold("Tuye\u0302n truye\u0302\u0300n") == "tuyen truyen"


def test_unique_slugs_add_counters():
    slugs = SlugSet()
    assert [slugs.unique("Mục đích") for _ in range(3)] == ["muc-dich", "muc-dich-2", "muc-dich-3"]


def _first_free(text: str, taken: set[str]) -> str:
    """The definition: the base, else the smallest counter from 2 not taken."""
    base, counter = slugify(text) or "muc", 2
    candidate = base
    while candidate in taken:
        candidate, counter = f"{base}-{counter}", counter + 1
    taken.add(candidate)
    return candidate


@given(st.lists(st.sampled_from(["a", "a 2", "a-3", "A", "b", "", "Mục", "muc 2"]), max_size=30),
       st.frozensets(st.sampled_from(["a", "a-2", "a-4", "muc", "b-2"])))
def test_unique_slugs_are_the_first_free_counter(texts, reserved):
    slugs, taken = SlugSet(reserved), set(reserved)
    assert [slugs.unique(text) for text in texts] == [_first_free(text, taken) for text in texts]


def test_markdown_is_safe_and_has_anchored_toc():
    rendered = render_markdown(
        "# Tiêu đề\n\n## I. MỤC ĐÍCH\n\nĐoạn *đầu*.\n\n<script>alert(1)</script>\n\n"
        "[x](javascript:alert(1)) [y](https://example.org)\n\n### 1. Mục đích\n")
    assert "<script>" not in rendered.html and "&lt;script&gt;" in rendered.html
    assert 'href="javascript:' not in rendered.html
    assert '<a href="https://example.org">y</a>' in rendered.html
    assert "<h1" not in rendered.html and "<h2" not in rendered.html  # the body sits under the page's h2
    assert '<h3 id="i-muc-dich">I. MỤC ĐÍCH</h3>' in rendered.html
    assert [(e.level, e.anchor) for e in rendered.toc] == [(2, "tieu-de"), (2, "i-muc-dich"), (3, "1-muc-dich")]
    assert rendered.first_paragraph == "Đoạn đầu."


def test_heading_anchors_avoid_the_page_ids_and_root_links_follow_the_base_path():
    rendered = render_markdown("## Nội dung\n\n[văn bản](/van-ban/x/) [ngoài](https://a.vn/) ![ảnh](/anh.png)\n",
                               "/cong/", frozenset({"noi-dung"}))
    assert '<h3 id="noi-dung-2">' in rendered.html
    assert 'href="/cong/van-ban/x/"' in rendered.html and 'href="https://a.vn/"' in rendered.html
    assert 'src="/cong/anh.png"' in rendered.html


def test_first_paragraph_keeps_spaces_at_line_breaks():
    assert render_markdown("dòng một\ndòng hai\n").first_paragraph == "dòng một dòng hai"


def test_headings_anchor_their_text_and_the_first_paragraph_is_plain_text():
    rendered = render_markdown("Đoạn **đậm** &amp; [liên kết](/x/) ![ảnh](/a.png)  \ndòng sau\n\n"
                               "## Mục `a<b` *nghiêng*\n\nDòng một\ndòng hai\n---\n\n    <h2>mã</h2>\n")
    assert rendered.first_paragraph == "Đoạn đậm & liên kết  dòng sau"
    assert [(e.level, e.text, e.anchor) for e in rendered.toc] == [
        (2, "Mục a<b nghiêng", "muc-a-b-nghieng"), (2, "Dòng một dòng hai", "dong-mot-dong-hai")]
    assert '<h3 id="muc-a-b-nghieng">Mục <code>a&lt;b</code> <em>nghiêng</em></h3>' in rendered.html
    assert "<pre><code>&lt;h2&gt;mã&lt;/h2&gt;" in rendered.html  # code is text, never a heading


def test_raw_html_and_script_links_stay_text_in_bodies():
    rendered = render_markdown('<div onclick="x()">a</div>\n\n<img src=x onerror=alert(1)> [a](javascript:alert(1)) '
                               "[b](vbscript:x) [c](data:text/html,x) [d](file:///etc/passwd) "
                               "![e](data:image/png;base64,AA)\n")
    assert "<div" not in rendered.html and "<img src=x" not in rendered.html
    assert "href" not in rendered.html
    assert "<img" not in rendered.html  # a data: image is not from the site either (check refuses it)


def test_text_that_panics_the_rust_parser_still_renders():
    # markdown-it-pyrs 0.4 panics on a code span inside an unclosed link label.
    for text in ("Xem [Điều 3 `khoản 2", "[a `b", "![a `b", "[```"):
        assert render_markdown(text).html.startswith("<p>")


def test_any_other_rust_panic_falls_back_to_markdown_it_py(monkeypatch):
    from portal.render import bodies as markdown

    class PanicException(BaseException):  # what pyo3 raises for a Rust panic
        pass

    class Panicking:
        def __init__(self, *args):
            pass

        def enable_many(self, rules):
            return self

        def render(self, text):
            raise PanicException("index out of bounds")

    monkeypatch.setattr(markdown.markdown_it_pyrs, "MarkdownIt", Panicking)
    assert render_markdown("## Mục\n\nĐoạn *một*.\n").html == '<h3 id="muc">Mục</h3>\n<p>Đoạn <em>một</em>.</p>\n'


def test_images_from_other_sites_never_reach_the_page():
    # A link reference the validator's parser reads as a link but the renderer's as an image.
    tracker = render_markdown("[logo]: http://tracker.example/pixel.png\n\n![logo](xem thêm\n")
    assert "tracker.example" not in tracker.html and "<img" not in tracker.html
    mixed = render_markdown('![x](https://a.example/c.png "t") ![y](//b.example/d.png) ![z](/anh.png)')
    assert mixed.html == '<p>x y <img src="/anh.png" alt="z" /></p>\n'


def test_the_first_paragraph_is_the_first_with_text():
    assert render_markdown("![ảnh](/a.png)\n\nĐoạn thật.\n").first_paragraph == "Đoạn thật."
