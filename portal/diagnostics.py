"""The one problem report that every pipeline stage returns, and the registry of its codes.

Stages never raise on bad content: they return lists of `Diagnostic` so that an editor sees every
problem at once, each with the file, the line, the field and the fix. Every diagnostic is made by
`report` from a `Code` of `CODES`: its severity, its message and hint in Vietnamese (templates the
check fills in), and the section of the editors' guide (`docs/huong-dan-bien-tap.md`) that
explains the fix. A diagnostic with a code not in the registry cannot be made.
"""

from __future__ import annotations

import bisect
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str  # relative to the project (e.g. "content/documents/x.md"), POSIX separators
    line: int  # 1-based; 0 when the problem concerns the whole file
    col: int  # 1-based; 0 when unknown
    code: str  # stable identifier, e.g. "unknown-id"
    message: str  # what is wrong (Vietnamese: the editors' language)
    hint: str = ""  # how to fix it
    field: str = ""  # dotted field path, e.g. "phases[0].end"
    severity: Severity = Severity.ERROR

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise KeyError(f"diagnostic code {self.code!r} is not in portal.diagnostics.CODES")

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def format(self) -> str:
        """`path:line:col: error: [code] field: message — hint` (the form compilers use)."""
        where = self.path
        if self.line:
            where += f":{self.line}"
            if self.col:
                where += f":{self.col}"
        text = f"{where}: {self.severity.value}: [{self.code}] "
        if self.field:
            text += f"{self.field}: "
        text += self.message
        if self.hint:
            text += f" — {self.hint}"
        return printable(text)


    def as_dict(self) -> dict:
        return {"path": self.path, "line": self.line, "col": self.col, "severity": self.severity.value,
                "code": self.code, "field": self.field, "message": self.message, "hint": self.hint}

    def github_annotation(self) -> str:
        """`::error file=…,line=…,col=…,title=…::…` (GitHub Actions escaping rules)."""
        def data(text: str) -> str:
            return printable(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))

        def prop(text: str) -> str:
            return data(text).replace(":", "%3A").replace(",", "%2C")

        where = f"file={prop(self.path)}"
        if self.line:
            where += f",line={self.line}"
            if self.col:
                where += f",col={self.col}"
        body = (f"{self.field}: " if self.field else "") + self.message + (f" — {self.hint}" if self.hint else "")
        return f"::{self.severity.value} {where},title={prop(self.code)}::{data(body)}"


def printable(text: str) -> str:
    """`text` with every character a terminal or a CI log would act on (line breaks, escape
    sequences, bidirectional controls) written as its Python escape: a value quoted in a message
    must not start a line of its own, such as a GitHub Actions `::error` or `::stop-commands::`."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else char.encode("unicode_escape").decode("ascii") for char in text)


def display_path(path: Path, root: Path) -> str:
    """A path as the editor knows it: relative to the working folder when possible."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _order(diagnostic: Diagnostic) -> tuple:
    return diagnostic.path, diagnostic.line, diagnostic.col, diagnostic.code, diagnostic.message, diagnostic.field


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    return sorted(set(diagnostics), key=_order)


def with_more(ordered: list[Diagnostic], more: Collection[Diagnostic]) -> list[Diagnostic]:
    """`ordered` (as `sort_diagnostics` gave it) with `more` in their places, as sorting them
    all would give: a few are put in by bisection, so a site with thousands of warnings is not
    sorted again for each problem a later stage finds (a trimmed feed)."""
    if len(more) > 16:
        return sort_diagnostics([*ordered, *more])
    merged = list(ordered)
    for diagnostic in sorted(set(more), key=_order):
        place = _order(diagnostic)
        start = bisect.bisect_left(merged, place, key=_order)
        end = bisect.bisect_right(merged, place, lo=start, key=_order)
        if diagnostic not in merged[start:end]:
            merged.insert(end, diagnostic)
    return merged


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.is_error for d in diagnostics)


@dataclass(frozen=True)
class Code:
    code: str
    severity: Severity
    section: str  # the editors' guide section that explains the fix ("5.5": "### 5.5. …")
    message: str  # template: `str.format` with the values the check gives
    hint: str = ""  # template; a check may give a more precise hint (a "did you mean")


E, W = Severity.ERROR, Severity.WARNING
_NESTING = "giảm số cấp lồng nhau; nội dung chỉ cần vài cấp (ví dụ `duties` → `tasks`)"

CODES: dict[str, Code] = {code.code: code for code in (
    # Files and folders (loading)
    Code("no-content", E, "2", "không tìm thấy thư mục nội dung",
         "chạy lệnh từ thư mục dự án hoặc chỉ rõ `--content THƯ_MỤC`"),
    Code("missing-file", E, "5", "thiếu tệp `{name}`",
         "tạo tệp `{name}` trong thư mục nội dung (xem hướng dẫn biên tập)"),
    Code("outside-content", E, "5", "{what} là liên kết trỏ ra ngoài thư mục nội dung", "{fix}"),
    Code("unreadable", E, "5", "không đọc được tệp: {reason}", "kiểm tra quyền đọc tệp"),
    Code("file-too-large", E, "5", "tệp lớn {size} MB, quá giới hạn {limit} MB cho một tệp",
         "một văn bản thường chỉ vài chục KB: kiểm tra xem có dán nhầm dữ liệu hay ảnh vào tệp không, "
         "hoặc tách thành nhiều văn bản"),
    Code("stray-file", W, "5", "tệp này không phải văn bản `.md` nên bị bỏ qua",
         "đổi đuôi thành `.md` hoặc chuyển tệp ra khỏi thư mục `documents/`; tệp đính kèm hay ảnh của "
         "văn bản thì đặt trong một thư mục con của `documents/` (hướng dẫn biên tập, mục 5.6)"),
    Code("not-utf8", E, "5", "tệp không được lưu bằng mã UTF-8", "mở tệp và lưu lại với bảng mã UTF-8"),
    Code("control-char", E, "5", "{detail}", "{hint}"),
    Code("invisible-char", E, "5", "{detail}", "{hint}"),
    Code("no-front-matter", E, "5.5", "thiếu phần thông tin đầu văn bản (front matter)",
         "dòng đầu tiên của tệp phải là `---`, tiếp theo là các trường như `kind:`, `title:`, "
         "rồi một dòng `---` nữa trước nội dung"),
    Code("unclosed-front-matter", E, "5.5", "phần thông tin đầu văn bản không có dòng `---` kết thúc",
         "thêm một dòng chỉ gồm `---` sau trường cuối cùng"),
    Code("empty-front-matter", E, "5.5", "phần thông tin đầu văn bản trống hoặc không phải dạng `khóa: giá trị`",
         "điền ít nhất `kind`, `title`, `issuer`"),
    # YAML
    Code("yaml-syntax", E, "4", "lỗi cú pháp YAML: {detail}",
         "kiểm tra dấu hai chấm, thụt lề bằng dấu cách (không dùng Tab) và đặt chuỗi có "
         "ký tự đặc biệt (: # ' \") trong dấu ngoặc kép"),
    Code("yaml-too-deep", E, "4", "cấu trúc YAML lồng nhau quá {depth} cấp", _NESTING),
    Code("yaml-alias", E, "4", "không dùng neo/bí danh YAML (&, *)", "viết lại giá trị đầy đủ thay cho bí danh"),
    Code("yaml-tag", E, "4", "thẻ YAML `{tag}` không được phép", "bỏ thẻ bắt đầu bằng `!` và chỉ ghi giá trị"),
    Code("yaml-key", E, "4", "khóa phải là một chuỗi đơn giản", "viết khóa dạng `ten_truong: gia_tri`"),
    Code("duplicate-key", E, "4", "khóa `{key}` bị lặp (đã có ở dòng {first_line})", "xóa một trong hai dòng"),
    # Fields (the models)
    Code("missing", E, "5", "thiếu trường bắt buộc `{name}`", "thêm dòng `{name}: ...`"),
    Code("empty-value", E, "5", "trường `{name}` còn để trống",
         "điền giá trị ngay sau dấu hai chấm (một mã thì lấy trong `units.yaml`, `topics.yaml` hoặc "
         "`commemorations.yaml`), hoặc xóa dòng nếu trường không bắt buộc"),
    Code("extra-forbidden", E, "5", "trường `{name}` không có trong mẫu nội dung", "các trường được phép: {allowed}"),
    Code("enum", E, "5", "giá trị `{value}` không hợp lệ", "chọn một trong: {options}"),
    Code("literal-error", E, "5", "giá trị `{value}` không hợp lệ", "chọn một trong: {options}"),
    Code("greater-than-equal", E, "5.1", "giá trị `{value}` ngoài phạm vi cho phép", "giá trị nhỏ nhất là {bound}"),
    Code("less-than-equal", E, "5.1", "giá trị `{value}` ngoài phạm vi cho phép", "giá trị lớn nhất là {bound}"),
    Code("string-type", E, "5", "phải là một đoạn văn bản", "ghi nội dung ngay sau dấu hai chấm"),
    Code("int-type", E, "5", "phải là một số nguyên", "ví dụ `year: 1930`"),
    Code("int-parsing", E, "5", "phải là một số nguyên", "ví dụ `year: 1930`"),
    Code("int-from-float", E, "5", "phải là một số nguyên", "bỏ phần thập phân"),
    Code("tuple-type", E, "5", "phải là một danh sách", "viết dạng `[a, b]` hoặc mỗi mục một dòng bắt đầu bằng `- `"),
    Code("list-type", E, "5", "phải là một danh sách", "viết dạng `[a, b]` hoặc mỗi mục một dòng bắt đầu bằng `- `"),
    Code("model-type", E, "5", "phải là một nhóm trường dạng `khóa: giá trị`", "xem mẫu trong hướng dẫn biên tập"),
    Code("model-attributes-type", E, "5", "phải là một nhóm trường dạng `khóa: giá trị`",
         "xem mẫu trong hướng dẫn biên tập"),
    Code("dict-type", E, "5", "phải là một nhóm trường dạng `khóa: giá trị`", "xem mẫu trong hướng dẫn biên tập"),
    Code("too-short", E, "5", "không được để trống", "thêm ít nhất một mục"),
    Code("bool-type", E, "5", "phải là true hoặc false", "ghi `true` hoặc `false`"),
    Code("invalid-value", E, "5", "giá trị `{value}` không hợp lệ ở đây",
         "xem mẫu của trường này trong hướng dẫn biên tập"),
    Code("empty-text", E, "5", "không được để trống", "điền nội dung"),
    Code("bad-date", E, "5.5", "{detail}", "{hint}"),
    Code("year-mismatch", E, "5.5", "`issued_year` ({year}) khác năm của `issued` ({issued})",
         "khi đã có ngày ban hành đầy đủ thì bỏ `issued_year`"),
    Code("id-type", E, "5", "mã phải là chữ (ví dụ `dai-hoi-xiv`), không phải số hay danh sách", "{hint}"),
    Code("bad-id", E, "5", "`{value}` không phải là mã hợp lệ", "{hint}"),
    Code("bad-slug", E, "5.5", "tên tệp `{name}.md` không dùng được làm địa chỉ trang",
         "đổi tên tệp thành `{fixed}.md` ({rule})"),
    Code("too-long", E, "5", "{detail}", "{hint}"),
    Code("reserved-name", E, "5", "{detail}", "{hint}"),
    Code("bad-url", E, "5.1", "`{value}` không phải là địa chỉ http(s) hợp lệ",
         "ghi địa chỉ đầy đủ, bắt đầu bằng https://"),
    Code("bad-duration", E, "5.1", "`{value}` không phải khoảng thời gian iCalendar",
         "ví dụ `-PT15H` (9 giờ sáng hôm trước) hoặc `-P1D`"),
    Code("bad-timezone", E, "5.1", "múi giờ `{value}` không tồn tại", "dùng `Asia/Ho_Chi_Minh`"),
    Code("cms-bundle", E, "10.4", "không dùng được bộ biên tập trong trình duyệt: {detail}",
         "cài đúng phiên bản đã ghi: `npm ci --prefix cms` (hoặc bỏ khối `cms:` trong site.yaml)"),
    Code("phase-range", E, "5.5", "năm {year} nằm ngoài khoảng hợp lý cho một giai đoạn tuyên truyền",
         "kiểm tra lại năm (thường từ {first} đến {last})"),
    Code("phase-order", E, "5.5", "giai đoạn kết thúc ({end}) trước khi bắt đầu ({start})", "{hint}"),
    Code("duplicate-phase", E, "5.5", "hai giai đoạn cùng mã `{key}` (giai đoạn kia ở dòng {first_line})",
         "mỗi giai đoạn cần một mã riêng để lịch đăng ký không lẫn sự kiện: đổi tên, hoặc thêm `id: ma-rieng` "
         "cho một trong hai"),
    Code("not-a-list", E, "5", "tệp phải là một danh sách {label}", "mỗi mục bắt đầu bằng `- id: ...`"),
    Code("curly-quotes", E, "4", "giá trị `{value}` nằm trong dấu ngoặc kép cong của Word, YAML giữ cả hai dấu",
         "dùng dấu ngoặc kép thẳng: \"{inner}\", hoặc bỏ dấu ngoặc"),
    Code("comment-in-value", W, "4", "phần sau ` #` trên dòng này bị YAML coi là ghi chú và bỏ đi: giá trị chỉ còn "
         "“{value}”", "nếu `#` là một phần của nội dung, đặt cả giá trị trong dấu ngoặc kép: \"… #… \""),
    Code("number-form", E, "5.5", "số `{value}` ghi kèm chữ “Số”, dấu chấm hoặc dấu cách thừa",
         "chỉ ghi số và ký hiệu: `{fixed}`"),
    Code("number-shape", W, "5.5", "số `{value}` không theo dạng số của văn bản {system} ({issuer})",
         "văn bản {system} ghi số dạng `{example}`; kiểm tra lại số hoặc cơ quan ban hành"),
    Code("title-vv", E, "5.5", "trích yếu bắt đầu bằng “V/v”",
         "bỏ “V/v”, chỉ ghi “{rest}”: trang tự thêm “V/v” cho công văn"),
    Code("not-a-mapping", E, "5.1", "`site.yaml` phải gồm các trường dạng `khóa: giá trị`",
         "điền `title`, `description`, `base_url`"),
    # Across files
    Code("unknown-unit", E, "5.2", "không có đơn vị nào mang mã `{value}`",
         "thêm `{value}` vào `units.yaml` hoặc dùng một mã đã có ở đó"),
    Code("unknown-topic", E, "5.3", "không có chủ đề nào mang mã `{value}`",
         "thêm `{value}` vào `topics.yaml` hoặc dùng một mã đã có ở đó"),
    Code("unknown-commemoration", E, "5.4", "không có ngày kỷ niệm nào mang mã `{value}`",
         "thêm `{value}` vào `commemorations.yaml` hoặc dùng một mã đã có ở đó"),
    Code("source-lookup", E, "5.4", "`source_lookup: true` nhưng chưa ghi `source_title`: trang tra cứu không cho biết "
         "văn bản nào được dẫn", "thêm `source_title` với số, ngày và cơ quan ban hành, ví dụ \"Nghị định "
         "145/2013/NĐ-CP ngày 29/10/2013 của Chính phủ, Điều 4\""),
    Code("duplicate-id", E, "5", "mã `{value}` bị trùng (đã dùng ở dòng {first_line})",
         "đổi một trong hai mã cho khác nhau"),
    Code("duplicate-number", E, "5.5", "số văn bản `{number}` của cùng cơ quan ban hành đã có ở {other}",
         "mỗi văn bản có một số riêng; kiểm tra lại số hoặc xóa bản trùng"),
    Code("parent-cycle", E, "5.2", "đơn vị `{value}` nằm trong một vòng lặp cấp trên",
         "một đơn vị không thể là cấp trên của chính nó; sửa `parent`"),
    Code("implements-self", E, "5.5", "văn bản không thể thực hiện chính nó",
         "kiểm tra lại số của văn bản được thực hiện"),
    Code("implements-cycle", E, "5.5", "các văn bản thực hiện lẫn nhau thành vòng: {chain}",
         "văn bản chỉ thực hiện văn bản cấp trên; bỏ một trong các mục `implements` này"),
    # The body
    Code("broken-link", E, "6", "liên kết `{target}` không dẫn tới trang nào của cổng",
         "kiểm tra đường dẫn: trang văn bản là `/van-ban/ten-tep/`, chủ đề `/chu-de/ma/`, đơn vị `/don-vi/ma/`, "
         "ngày kỷ niệm `/ngay-ky-niem/ma/`"),
    Code("relative-link", E, "6", "liên kết `{target}` là đường dẫn tương đối: trên trang nó trỏ sai chỗ",
         "viết đường dẫn từ gốc của cổng, bắt đầu bằng `/`, ví dụ `/van-ban/ten-tep/`"),
    Code("missing-image", E, "6", "ảnh `{src}` không có trên cổng nên sẽ hiện thành ô trống",
         "đặt tệp ảnh (PNG, JPEG) trong một thư mục con của `content/documents/` và ghi đường dẫn tính từ "
         "`content/documents/`, ví dụ `![Ảnh hội nghị](ten-van-ban/hoi-nghi.png)`; hoặc bỏ ảnh"),
    Code("heading-space", W, "6", "dòng bắt đầu bằng `{marks}` nhưng thiếu dấu cách nên không thành đề mục",
         "thêm một dấu cách sau `{marks}`: `{fixed}`"),
    Code("word-bullet", W, "6",
         "dòng bắt đầu bằng “{mark}” (dấu đầu dòng dán từ Word, hoặc gạch thiếu dấu cách) không thành danh sách",
         "thay “{mark}” bằng `- ` (gạch ngang và một dấu cách) ở đầu dòng"),
    Code("markdown-too-deep", E, "6", "danh sách hoặc trích dẫn (`>`) lồng nhau quá {depth} cấp",
         "giảm số cấp lồng nhau: văn bản chỉ cần vài cấp (mục, tiểu mục, ý)"),
    Code("remote-image", E, "6", "ảnh `{src}` lấy từ trang ngoài",
         "cổng không tải gì từ bên thứ ba; bỏ ảnh hoặc dùng ảnh trong trang"),
    # Attachments and images beside the documents (portal/content/files.py)
    Code("attachment-missing", E, "5.6", "không có tệp `{file}` trong `content/documents/`",
         "kiểm tra tên tệp (cả chữ hoa, chữ thường) và đường dẫn, tính từ thư mục `content/documents/`, "
         "ví dụ `ten-van-ban/de-cuong.pdf`"),
    Code("attachment-type", E, "5.6", "tệp `{file}` không đăng được: {detail}",
         "chỉ nhận {allowed}; lưu lại tệp đúng định dạng (trong Word: Tệp › Lưu thành, chọn PDF hoặc .docx)"),
    Code("attachment-too-large", E, "5.6", "tệp `{file}` lớn {size}, quá giới hạn {limit} MB",
         "giảm dung lượng tệp (in ra PDF thay vì quét, nén ảnh), hoặc tăng `attachment_max_mb` trong `site.yaml`"),
    Code("attachment-outside", E, "5.6", "đường dẫn `{file}` ra ngoài thư mục `content/documents/`",
         "chép tệp vào một thư mục con của `content/documents/` và ghi đường dẫn tương đối, không có `..`, "
         "`/` ở đầu hay `C:`"),
    Code("attachment-symlink", E, "5.6", "tệp `{file}` là liên kết tượng trưng (symlink): cổng không đọc theo liên kết",
         "thay liên kết bằng một bản sao của tệp"),
    # Warnings
    Code("placeholder", W, "3", "còn dòng mẫu chưa thay: “{line}”",
         "thay bằng nội dung của văn bản, hoặc xóa dòng (và mục) không dùng"),
    Code("phase-open", W, "5.5", "giai đoạn “{name}” chưa có ngày kết thúc",
         "thêm `end: DD/MM/YYYY` khi văn bản cho biết; lịch chỉ ghi ngày bắt đầu"),
    Code("no-topics", W, "5.5", "văn bản chưa gắn chủ đề nào",
         "thêm `topics: [ma-chu-de]` để văn bản xuất hiện ở trang chủ đề"),
    Code("unused-unit", W, "5.2", "đơn vị `{value}` chưa được văn bản nào dùng",
         "gắn vào văn bản hoặc xóa nếu không cần"),
    Code("unused-topic", W, "5.3", "chủ đề `{value}` chưa được văn bản nào dùng",
         "gắn vào văn bản hoặc xóa nếu không cần"),
    Code("previous-revisions", W, "9", "không đọc được bảng phiên bản lịch của lần xuất bản trước: {detail}",
         "mọi sự kiện lịch bắt đầu lại từ SEQUENCE 0; ứng dụng lịch vẫn cập nhật đúng sự kiện vì UID không "
         "đổi. Kiểm tra địa chỉ hoặc thư mục của `--previous`"),
    Code("date-not-every-year", W, "5.4", "{detail}", "{hint}"),
    Code("share-font", W, "9", "máy dựng trang thiếu phông chữ DejaVu Sans: ảnh chia sẻ của từng trang chỉ còn "
         "hình nền, không có chữ", "cài gói `fonts-dejavu-core` (Debian, Ubuntu) rồi dựng lại"),
    Code("feed-trimmed", W, "9", "lược {left_out}/{total} sự kiện cũ hoặc xa nhất để tệp dưới 1 MB",
         "Google Lịch không nhận lịch đăng ký lớn hơn 1 MB; các sự kiện vẫn có trên trang"),
    # Import and the build command
    Code("not-docx", E, "3", "không đọc được tệp Word (tệp hỏng, hoặc không phải .docx)",
         "mở tệp bằng Word hoặc LibreOffice và lưu lại dạng .docx; hoặc chép toàn văn vào tệp .txt (UTF-8)"),
    Code("docx-unsupported", E, "3", "chưa cài thư viện đọc tệp Word (python-docx)",
         "chạy `python3 -m pip install -e .` rồi thử lại, hoặc chép văn bản vào tệp .txt"),
    Code("duplicate-uid", E, "9", "hai sự kiện trong lịch cùng mã `{key}` ({first} và {second}): "
         "ứng dụng lịch chỉ giữ một", "báo cho người phát triển cổng; không xuất bản lịch này"),
    Code("not-pdf", E, "3", "không đọc được tệp PDF (tệp hỏng, có mật khẩu, hoặc không phải PDF)",
         "mở tệp và lưu lại dạng PDF, hoặc chép toàn văn vào tệp .txt (UTF-8)"),
    Code("pdf-no-text", E, "3", "tệp PDF không có lớp chữ (bản quét, chỉ có ảnh): không đọc được văn bản",
         "nhận dạng chữ (OCR) bằng phần mềm khác rồi nhập tệp .txt, hoặc gõ lại văn bản"),
    Code("unknown-encoding", E, "3", "không nhận ra bảng mã của tệp văn bản (không phải UTF-8, UTF-16 "
         "hay Windows-1258)", "mở tệp và lưu lại với bảng mã UTF-8"),
    Code("theme-symlink", E, "9", "giao diện có liên kết tượng trưng (symlink): cổng không đọc theo liên kết",
         "thay liên kết bằng một bản sao của tệp hoặc thư mục"),
    Code("unsafe-output", E, "9", "{detail}"),
    Code("write-failed", E, "9", "không ghi được thư mục kết quả: {detail}; {out}/ giữ nguyên",
         "kiểm tra quyền ghi và dung lượng đĩa"),
    Code("internal-error", E, "9", "lỗi nội bộ của công cụ khi dựng lại ({detail}): trang chưa được dựng lại",
         "lưu lại tệp để thử lần nữa; nếu vẫn lỗi, chạy `python3 build.py build --debug` và báo cho nhóm phát triển"),
    Code("worker-died", E, "9", "một tiến trình dựng song song bị dừng đột ngột (thường do máy thiếu bộ nhớ); "
         "{out}/ giữ nguyên", "dựng lại với `--jobs 1`"),
)}


class _Values(dict):
    def __missing__(self, key: str) -> str:
        raise KeyError(f"a diagnostic template needs the value {key!r}")


def report(code: str, path: str, line: int = 0, col: int = 0, /, *, field: str = "", hint: str | None = None,
           **values: object) -> Diagnostic:
    """The diagnostic `code` at path:line:col, its message and hint filled in from `values`
    (`hint`, when given, replaces the template's: a more precise one, such as "did you mean")."""
    entry = CODES[code]
    filled = _Values(values)
    return Diagnostic(path, line, col, code, entry.message.format_map(filled),
                      entry.hint.format_map(filled) if hint is None else hint, field, entry.severity)
