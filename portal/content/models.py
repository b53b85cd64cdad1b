"""Typed, immutable models of the content contract (the editors' interface).

Field names are the YAML keys editors write. Each model validates only what it can see by itself;
relations between files (unknown ids, duplicates, implements links) are checked in `validate`.
"""

from __future__ import annotations

import re
from datetime import date
from enum import Enum
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from portal.content.dates import DATE_HINT, DateError, numeric_date, parse_date, parse_day_month
from portal.content.slugs import slugify
from portal.diagnostics import CODES
from portal.urls import BASE_URL_HINT, DOCUMENTS, LISTING_FOLDERS, is_base_url

# Always `fullmatch`ed: `match` with `$` would accept an id ending in "\n", which `check` passed
# and `build` could not write.
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PHASE_YEARS = (1945, 2100)  # a campaign phase outside these years is a typo ("2205", "1025")
ID_HINT = "chỉ dùng chữ thường không dấu, chữ số và dấu gạch ngang, ví dụ `ban-tuyen-giao-tinh-uy`"
# Ids and file names become folder names (`don-vi/<id>/`): short enough for every file system, and
# none of the names Windows reserves for devices (an editor there could not check out or copy them).
ID_MAX_LENGTH = 100
RESERVED_NAMES = frozenset({"con", "prn", "aux", "nul",
                            *(f"{port}{n}" for port in ("com", "lpt") for n in range(1, 10))})
# A title is one sentence (the longest seed's is under 200 characters); a longer one is a paste
# mistake, and it would be repeated in every list, feed and the page's head.
TITLE_MAX_LENGTH = 1000


def name_problem(value: str) -> tuple[str, str, str] | None:
    """(code, message, hint) when a valid id or file name is still unusable as a folder name."""
    if len(value) > ID_MAX_LENGTH:
        return ("too-long", f"`{value[:30]}…` dài {len(value)} ký tự, quá giới hạn {ID_MAX_LENGTH}",
                "đặt mã ngắn gọn, ví dụ `ban-tuyen-giao-tinh-uy`")
    if value in RESERVED_NAMES:
        return ("reserved-name", f"`{value}` là tên thiết bị dành riêng của Windows, không dùng được làm tên thư mục",
                f"đổi sang tên khác, ví dụ `{value}-1` hoặc một tên đầy đủ hơn")
    return None


def document_name_problem(slug: str) -> tuple[str, str, str] | None:
    """`name_problem` for a document's file name, which is also its folder under /van-ban/: it
    must not take the name of a folder of the document listings there."""
    if (problem := name_problem(slug)) is not None:
        return problem
    if slug in LISTING_FOLDERS:
        return ("reserved-name", f"`{slug}` trùng với thư mục danh sách văn bản `/{DOCUMENTS}{slug}/`",
                "đặt tên tệp theo số hiệu và nội dung, ví dụ `443-kh-tu-tuyen-truyen-dai-hoi`")
    return None


def file_name_problem(slug: str) -> str | None:
    """Why `slug` cannot name a document file, or None: what `new` and `import` refuse before
    writing (a "../x" would leave content/documents/), as `check` would refuse it after."""
    if not ID_PATTERN.fullmatch(slug or ""):
        return f"`{slug}` không dùng được làm tên tệp; chỉ dùng chữ thường không dấu, số, gạch ngang"
    problem = document_name_problem(slug)
    return f"tên tệp {problem[1]} — {problem[2]}" if problem else None


class DocumentKind(str, Enum):
    """The kinds of the two official lists: the Party's (Quy định 66-QĐ/TW, Điều 5; Hướng dẫn
    36-HD/VPTW) and the State's (Nghị định 30/2020/NĐ-CP, Điều 7: 29 kinds), and the Đề cương
    (tuyên truyền) the propaganda work issues. Each has its listing page (`van-ban/loai/<value>/`)
    once a document of that kind exists. The first nine keep their order (the listings' facets)."""

    KE_HOACH = "ke-hoach"
    CONG_VAN = "cong-van"
    HUONG_DAN = "huong-dan"
    DE_CUONG = "de-cuong"
    CHI_THI = "chi-thi"
    NGHI_QUYET = "nghi-quyet"
    KET_LUAN = "ket-luan"
    THONG_BAO = "thong-bao"
    BAO_CAO = "bao-cao"
    CUONG_LINH = "cuong-linh"
    DIEU_LE = "dieu-le"
    QUYET_DINH = "quyet-dinh"
    QUY_CHE = "quy-che"
    QUY_DINH = "quy-dinh"
    THONG_TRI = "thong-tri"
    THONG_CAO = "thong-cao"
    TUYEN_BO = "tuyen-bo"
    LOI_KEU_GOI = "loi-keu-goi"
    TO_TRINH = "to-trinh"
    QUY_HOACH = "quy-hoach"
    CHUONG_TRINH = "chuong-trinh"
    DE_AN = "de-an"
    PHUONG_AN = "phuong-an"
    BIEN_BAN = "bien-ban"
    DU_AN = "du-an"
    HOP_DONG = "hop-dong"
    CONG_DIEN = "cong-dien"
    BAN_GHI_NHO = "ban-ghi-nho"
    BAN_THOA_THUAN = "ban-thoa-thuan"
    GIAY_UY_QUYEN = "giay-uy-quyen"
    GIAY_MOI = "giay-moi"
    GIAY_GIOI_THIEU = "giay-gioi-thieu"
    GIAY_NGHI_PHEP = "giay-nghi-phep"
    PHIEU_GUI = "phieu-gui"
    PHIEU_CHUYEN = "phieu-chuyen"
    PHIEU_BAO = "phieu-bao"
    THU_CONG = "thu-cong"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS = {
    DocumentKind.KE_HOACH: "Kế hoạch",
    DocumentKind.CONG_VAN: "Công văn",
    DocumentKind.HUONG_DAN: "Hướng dẫn",
    DocumentKind.DE_CUONG: "Đề cương",
    DocumentKind.CHI_THI: "Chỉ thị",
    DocumentKind.NGHI_QUYET: "Nghị quyết",
    DocumentKind.KET_LUAN: "Kết luận",
    DocumentKind.THONG_BAO: "Thông báo",
    DocumentKind.BAO_CAO: "Báo cáo",
    DocumentKind.CUONG_LINH: "Cương lĩnh",
    DocumentKind.DIEU_LE: "Điều lệ",
    DocumentKind.QUYET_DINH: "Quyết định",
    DocumentKind.QUY_CHE: "Quy chế",
    DocumentKind.QUY_DINH: "Quy định",
    DocumentKind.THONG_TRI: "Thông tri",
    DocumentKind.THONG_CAO: "Thông cáo",
    DocumentKind.TUYEN_BO: "Tuyên bố",
    DocumentKind.LOI_KEU_GOI: "Lời kêu gọi",
    DocumentKind.TO_TRINH: "Tờ trình",
    DocumentKind.QUY_HOACH: "Quy hoạch",
    DocumentKind.CHUONG_TRINH: "Chương trình",
    DocumentKind.DE_AN: "Đề án",
    DocumentKind.PHUONG_AN: "Phương án",
    DocumentKind.BIEN_BAN: "Biên bản",
    DocumentKind.DU_AN: "Dự án",
    DocumentKind.HOP_DONG: "Hợp đồng",
    DocumentKind.CONG_DIEN: "Công điện",
    DocumentKind.BAN_GHI_NHO: "Bản ghi nhớ",
    DocumentKind.BAN_THOA_THUAN: "Bản thỏa thuận",
    DocumentKind.GIAY_UY_QUYEN: "Giấy ủy quyền",
    DocumentKind.GIAY_MOI: "Giấy mời",
    DocumentKind.GIAY_GIOI_THIEU: "Giấy giới thiệu",
    DocumentKind.GIAY_NGHI_PHEP: "Giấy nghỉ phép",
    DocumentKind.PHIEU_GUI: "Phiếu gửi",
    DocumentKind.PHIEU_CHUYEN: "Phiếu chuyển",
    DocumentKind.PHIEU_BAO: "Phiếu báo",
    DocumentKind.THU_CONG: "Thư công",
}


def _problem(code: str, *, hint: str | None = None, field: str | None = None, **values: object) -> PydanticCustomError:
    """A validation error whose message is the registry's (`portal.diagnostics.CODES`) for `code`;
    `field`, when the problem is in one field of the model that raises it."""
    context: dict[str, object] = dict(values)
    if hint is not None:
        context["hint"] = hint
    if field is not None:
        context["field"] = field
    return PydanticCustomError(code.replace("-", "_"), CODES[code].message, context)


def _date(value: object) -> date:
    try:
        return parse_date(value)
    except DateError as error:
        raise _problem("bad-date", detail=str(error), hint=DATE_HINT) from None


def _text_not_number(value: object) -> object:
    """Ids are words: `topics: [1]` is a mistake, not the id "1"."""
    if not isinstance(value, str):
        raise _problem("id-type", hint=ID_HINT)
    return value


def _id(value: str) -> str:
    if not ID_PATTERN.fullmatch(value):
        raise _problem("bad-id", value=value, hint=ID_HINT)
    problem = name_problem(value)
    if problem is not None:
        code, message, hint = problem
        raise _problem(code, detail=message, hint=hint)
    return value


def _title(value: str) -> str:
    if len(value) > TITLE_MAX_LENGTH:
        raise _problem("too-long", detail=f"trích yếu dài {len(value)} ký tự, quá giới hạn {TITLE_MAX_LENGTH}",
                       hint="trích yếu chỉ là một câu; phần còn lại đưa vào `summary` hoặc toàn văn")
    return value


def _text(value: str) -> str:
    if not value.strip():
        raise _problem("empty-text")
    return value.strip()


def _http_url(value: str) -> str:
    if not re.fullmatch(r"https?://[^\s/$.?#].[^\s]*", value):
        raise _problem("bad-url", value=value)
    return value


def _base_url(value: str) -> str:
    if not is_base_url(value):
        raise _problem("bad-url", value=value, hint=BASE_URL_HINT)
    return value


# What editors write, as JSON Schema (for VS Code): dates are text in Vietnamese order.
_DATE_SCHEMA = {"type": "string", "pattern": r"^(\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2})$",
                "examples": ["15/10/2024"]}
VnDate = Annotated[date, BeforeValidator(_date), WithJsonSchema(_DATE_SCHEMA)]
Id = Annotated[str, BeforeValidator(_text_not_number), AfterValidator(_id),
               WithJsonSchema({"type": "string", "pattern": ID_PATTERN.pattern})]
Text = Annotated[str, AfterValidator(_text), WithJsonSchema({"type": "string", "minLength": 1})]
HttpUrl = Annotated[str, AfterValidator(_http_url), WithJsonSchema({"type": "string", "format": "uri",
                                                                     "pattern": "^https?://"})]
BaseUrl = Annotated[str, AfterValidator(_base_url), WithJsonSchema({"type": "string", "format": "uri",
                                                                    "pattern": "^https?://"})]


def described(text: str, **kwargs):
    """A field with its Vietnamese help text (shown by VS Code on hover and in completion)."""
    return Field(description=text, **kwargs)


class ContentModel(BaseModel):
    """Strict about keys (typos are errors), lenient about numbers written where text is meant."""

    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)


def _ical_duration(value: str) -> str:
    from icalendar import vDuration

    try:
        vDuration.from_ical(value)
    except ValueError:
        raise _problem("bad-duration", value=value) from None
    return value


class CalendarConfig(ContentModel):
    """The calendar window and the reminder every event carries."""

    years_before: int = described("Số năm trước năm hiện tại có trang lịch và sự kiện trong tệp .ics",
                                  default=1, ge=0, le=10)
    # 5: a plan written in 2025 already names 2030's anniversaries (100 năm thành lập Đảng)
    years_after: int = described("Số năm sau năm hiện tại có trang lịch và sự kiện trong tệp .ics",
                                 default=5, ge=0, le=10)
    alarm: Annotated[str, AfterValidator(_ical_duration)] = described(
        "Lời nhắc so với đầu ngày sự kiện, dạng iCalendar: -PT15H là 9 giờ sáng hôm trước", default="-PT15H")


class CmsConfig(ContentModel):
    """Where the web editor at /admin/ (Decap CMS) commits: every change a branch and a pull request."""

    backend: Literal["github", "gitlab", "gitea", "bitbucket"] = described(
        "Nơi đặt kho git: github, gitlab, gitea hoặc bitbucket", default="github")
    repo: str = described("Kho git, dạng chủ-sở-hữu/tên-kho, ví dụ \"so-vhttdl/cong-tuyen-truyen\"",
                          pattern=r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
    branch: str = described("Nhánh được xuất bản, ví dụ \"main\"", default="main", pattern=r"^[A-Za-z0-9_./-]+$")
    api_root: HttpUrl | None = described("Địa chỉ API khi kho git tự cài đặt (GitLab, Gitea riêng)", default=None)
    auth_url: HttpUrl | None = described("Máy chủ đăng nhập OAuth của cơ quan (khi không dùng Netlify)",
                                         default=None)
    open_authoring: bool = described("true: người không có quyền ghi vẫn gửi được đề xuất qua bản sao (fork)",
                                     default=False)


class SiteConfig(ContentModel):
    title: Text = described("Tên cổng, hiện ở đầu mọi trang")
    description: Text = described("Mô tả ngắn của cổng (trang chủ, chân trang, lịch .ics)")
    base_url: BaseUrl = described("Địa chỉ đầy đủ của cổng khi xuất bản, ví dụ https://tuyengiao.example.vn/")
    language: Literal["vi"] = described("Ngôn ngữ của trang: vi", default="vi")
    timezone: str = described("Múi giờ để tính \"hôm nay\"", default="Asia/Ho_Chi_Minh")
    upcoming_days: int = described("Số ngày tới của mục \"Ngày kỷ niệm sắp tới\" trên trang chủ",
                                   default=60, ge=1, le=366)
    open_phase_years: int = described("Giai đoạn không ghi ngày kết thúc được coi là đang triển khai đến hết năm "
                                      "thứ mấy sau năm bắt đầu (1: đến hết năm sau); quá hạn đó chuyển sang đã qua",
                                      default=1, ge=0, le=20)
    latest_documents: int = described("Số văn bản mới nhất trên trang chủ", default=10, ge=1, le=100)
    documents_per_page: int = described("Số văn bản mỗi trang của danh sách văn bản và trang chủ đề",
                                        default=50, ge=5, le=1000)
    calendar: CalendarConfig = described("Cửa sổ lịch và lời nhắc", default=CalendarConfig())
    cms: CmsConfig | None = described("Trang biên tập trong trình duyệt /admin/; bỏ trống thì không tạo",
                                      default=None)
    attachment_max_mb: int = described("Dung lượng tối đa (MB) của một tệp đính kèm hoặc ảnh trong văn bản",
                                       default=20, ge=1, le=200)

    @model_validator(mode="after")
    def _known_timezone(self) -> SiteConfig:
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a file
            raise _problem("bad-timezone", value=self.timezone, field="timezone") from None
        return self

    @property
    def base_path(self) -> str:
        """The URL path the site lives under ("/" or "/portal/")."""
        path = "/" + self.base_url.split("://", 1)[1].partition("/")[2]
        return path if path.endswith("/") else path + "/"

    @property
    def origin(self) -> str:
        scheme, rest = self.base_url.split("://", 1)
        return f"{scheme}://{rest.partition('/')[0]}"


# A unit of the Party (its documents follow Hướng dẫn 36-HD/VPTW) when its name says so: a Party
# committee ("Tỉnh ủy", "Huyện ủy", "Đảng ủy" …, not "Ủy ban"), a "Ban cán sự đảng", "Đảng bộ",
# "Chi bộ", "tổ chức đảng". Everything else is a State body (Nghị định 30/2020/NĐ-CP). `system`
# in units.yaml overrides the guess.
_PARTY_NAME = re.compile(r"\b(?:tỉnh|huyện|thành|quận|thị|đảng|xã|phường) ủy\b|\bđảng\b|\bchi bộ\b|\bđảng bộ\b",
                         re.IGNORECASE)
LETTERHEAD_MAX_LINES = 3


def _letterhead(lines: tuple[str, ...]) -> tuple[str, ...]:
    if len(lines) > LETTERHEAD_MAX_LINES:
        raise _problem("too-long", detail=f"`letterhead` có {len(lines)} dòng, quá {LETTERHEAD_MAX_LINES} dòng",
                       hint="ghi tên cơ quan cấp trên (nếu có) rồi tên cơ quan ban hành, mỗi tên một dòng")
    return lines


class Unit(ContentModel):
    id: Id = described("Mã đơn vị: chữ thường không dấu, số, gạch ngang")
    name: Text = described("Tên đầy đủ, ví dụ \"Ban Tuyên giáo Tỉnh ủy Bắc Giang\"")
    short_name: Text | None = described("Tên viết tắt dùng trong danh sách", default=None)
    parent: Id | None = described("Mã đơn vị cấp trên", default=None)
    description: Text | None = described("Ghi chú về đơn vị", default=None)
    system: Literal["dang", "nha-nuoc"] | None = described(
        "Hệ thống của đơn vị, quyết định thể thức khi in: \"dang\" (cơ quan Đảng, theo Hướng dẫn 36-HD/VPTW) hoặc "
        "\"nha-nuoc\" (cơ quan nhà nước, theo Nghị định 30/2020/NĐ-CP); bỏ trống thì cổng đoán theo tên", default=None)
    letterhead: Annotated[tuple[Text, ...], AfterValidator(_letterhead)] = described(
        "Tên cơ quan ở góc trái đầu văn bản, đúng như in, mỗi dòng một tên: cơ quan cấp trên (nếu có) rồi "
        "cơ quan ban hành, ví dụ [\"ĐẢNG BỘ TỈNH BẮC GIANG\", \"HUYỆN ỦY LỤC NGẠN\"]; bỏ trống thì dùng tên "
        "đơn vị cấp trên và tên đơn vị", default=())

    @property
    def label(self) -> str:
        return self.short_name or self.name

    @property
    def is_party(self) -> bool:
        """Its documents are the Party's (Hướng dẫn 36-HD/VPTW), not the State's (Nghị định 30/2020)."""
        if self.system is not None:
            return self.system == "dang"
        return _PARTY_NAME.search(self.name) is not None


class Topic(ContentModel):
    id: Id = described("Mã chủ đề: chữ thường không dấu, số, gạch ngang")
    name: Text = described("Tên chủ đề")
    description: Text = described("Mô tả chủ đề")


class Commemoration(ContentModel):
    id: Id = described("Mã ngày kỷ niệm: chữ thường không dấu, số, gạch ngang")
    name: Text = described("Tên, ví dụ \"Ngày thành lập Đảng Cộng sản Việt Nam\"")
    # [0-9], not \d: pydantic's (Rust) \d also takes Arabic-Indic and fullwidth digits
    date: str = described("Ngày và tháng \"DD/MM\" (trong ngoặc kép)", pattern=r"^[0-9]{1,2}/[0-9]{1,2}$")
    year: int | None = described("Năm diễn ra sự kiện, để tính số năm kỷ niệm", default=None, ge=1, le=9999)
    calendar: Literal["solar", "lunar"] = described("solar: dương lịch; lunar: âm lịch Việt Nam", default="solar")
    topics: tuple[Id, ...] = described("Mã các chủ đề liên quan", default=())
    description: Text | None = described("Mô tả ngắn", default=None)
    source: HttpUrl | None = described("Nguồn tham khảo (địa chỉ https)", default=None)
    source_title: Text | None = described(
        "Văn bản được dẫn ở `source`: số, ngày, cơ quan ban hành, điều khoản, ví dụ \"Nghị định "
        "145/2013/NĐ-CP ngày 29/10/2013 của Chính phủ, Điều 4\"", default=None)
    source_lookup: bool = described(
        "true khi `source` chỉ là trang tra cứu của cổng chính thức (chưa có địa chỉ của chính văn bản); "
        "khi đó `source_title` phải ghi số văn bản để tra", default=False)

    @model_validator(mode="after")
    def _valid_day_month(self) -> Commemoration:
        try:
            parse_day_month(self.date, lunar=self.calendar == "lunar")
        except DateError as error:
            hint = "ngày âm lịch từ 1 đến 30, tháng từ 1 đến 12" if self.calendar == "lunar" else \
                "ghi ngày dạng DD/MM, ví dụ \"03/02\""
            raise _problem("bad-date", detail=str(error), hint=hint, field="date") from None
        if self.source_lookup and not self.source_title:
            raise _problem("source-lookup", field="source_lookup")
        return self

    @property
    def day_month(self) -> tuple[int, int]:
        return parse_day_month(self.date, lunar=self.calendar == "lunar")


class Signer(ContentModel):
    name: Text = described("Họ tên người ký")
    position: Text | None = described("Chức vụ, ví dụ \"PHÓ BÍ THƯ\"", default=None)
    on_behalf: Text | None = described("Thẩm quyền ký, ví dụ \"T/M BAN THƯỜNG VỤ\", \"KT. GIÁM ĐỐC\"", default=None)

    @property
    def position_title(self) -> str:
        """"PHÓ BÍ THƯ" -> "Phó Bí thư", "PHÓ GIÁM ĐỐC" -> "Phó Giám đốc" (Vietnamese title case)."""
        words = (self.position or "").lower().split()
        for index in (0, 1) if words and words[0] == "phó" else (0,):
            if index < len(words):
                words[index] = words[index][:1].upper() + words[index][1:]
        return " ".join(words)


class Citation(ContentModel):
    """A higher document this one carries out ("Thực hiện Kế hoạch số 19-KH/TU ngày 18/5/2021…")."""

    number: Text = described("Số, ký hiệu văn bản được thực hiện, ví dụ \"19-KH/TU\"")
    kind: DocumentKind | None = described("Loại văn bản", default=None)
    issuer: Id | None = described("Mã cơ quan ban hành", default=None)
    issued: VnDate | None = described("Ngày ban hành DD/MM/YYYY", default=None)
    title: Text | None = described("Trích yếu", default=None)


class Phase(ContentModel):
    id: Id | None = described("Mã giai đoạn, riêng trong văn bản (mặc định: tên giai đoạn bỏ dấu); giữ nguyên "
                              "để tệp lịch đã đăng ký cập nhật đúng sự kiện khi sửa tên", default=None)
    name: Text = described("Tên giai đoạn, ví dụ \"Giai đoạn từ nay đến hết năm 2024\"")
    start: VnDate | None = described("Ngày bắt đầu DD/MM/YYYY", default=None)
    end: VnDate | None = described("Ngày kết thúc DD/MM/YYYY", default=None)
    summary: Text | None = described("Nội dung chính của giai đoạn", default=None)

    @model_validator(mode="after")
    def _ordered(self) -> Phase:
        for name in ("start", "end"):
            value = getattr(self, name)
            if value and not PHASE_YEARS[0] <= value.year <= PHASE_YEARS[1]:
                raise _problem("phase-range", year=value.year, first=PHASE_YEARS[0], last=PHASE_YEARS[1], field=name)
        if self.start and self.end and self.end < self.start:
            raise _problem("phase-order", end=f"{self.end:%d/%m/%Y}", start=f"{self.start:%d/%m/%Y}",
                           hint="kiểm tra lại `start` và `end`; có thể hai ngày bị đảo", field="end")
        return self

    @property
    def key(self) -> str:
        """The phase's identity in its document (and so its events' UIDs): its `id`, else its name
        as a slug, never its position, so that inserting a phase moves no other phase's events."""
        return self.id or slugify(self.name) or "giai-doan"

    def is_running(self, day: date, not_before: date | None = None, until: date | None = None) -> bool:
        return self.overlaps(day, day, not_before, until)

    def overlaps(self, first: date, last: date, not_before: date | None = None, until: date | None = None) -> bool:
        """Running on some day from `first` to `last` (see `bounds`)."""
        start, end = self.bounds(not_before, until)
        return (start is None or start <= last) and (end is None or first <= end)

    def bounds(self, not_before: date | None = None, until: date | None = None) -> tuple[date | None, date | None]:
        """The first and last day it runs, None where unbounded. A phase written "từ nay" has no
        start: it cannot have started before `not_before` (the document's date, or the latest
        document it carries out), when known. A phase without an end runs until `until` (see
        `horizon`)."""
        return self.start or not_before, self.end or until

    def horizon(self, anchor: date | None, years: int) -> date | None:
        """The last day a phase without an end counts as running: 31 December of the year `years`
        after its start (or after `anchor`, the document's date, when it has no start); None when
        it has an end, or no date at all to count from."""
        if self.end:
            return None
        start = self.start or anchor
        return date(start.year + years, 12, 31) if start else None


class Duty(ContentModel):
    unit: Id = described("Mã đơn vị được giao nhiệm vụ")
    tasks: tuple[Text, ...] = described("Các nhiệm vụ, chép nguyên văn", min_length=1)
    deadline: VnDate | None = described("Hạn hoàn thành DD/MM/YYYY", default=None)


class AttachmentRef(ContentModel):
    """A file kept beside the document in content/documents/ (a đề cương, a table, a form)."""

    file: Text = described("Đường dẫn tệp, tính từ thư mục content/documents/, ví dụ "
                           "\"443-kh-tu/de-cuong.pdf\" (PDF, DOCX, XLSX, PNG, JPEG)")
    title: Text | None = described("Tên hiện trên trang, ví dụ \"Đề cương tuyên truyền\" (mặc định: tên tệp)",
                                   default=None)


class DocumentMeta(ContentModel):
    """The front matter of one document."""

    number: str = described("Số, ký hiệu, ví dụ \"443-KH/TU\"; để \"\" nếu chưa có số, dự thảo ghi \"/SVHTTDL-QLVHGĐ\"",
                            default="")
    kind: DocumentKind = described("Loại văn bản")
    title: Annotated[Text, AfterValidator(_title)] = described("Trích yếu (không ghi \"V/v\")")
    title_inferred: bool = described("true khi bản gốc không có trích yếu và tiêu đề do biên tập viên đặt",
                                     default=False)
    issuer: Id = described("Mã cơ quan ban hành (trong units.yaml)")
    place: Text | None = described("Địa danh, ví dụ \"Vũng Tàu\"", default=None)
    issued: VnDate | None = described("Ngày ban hành DD/MM/YYYY", default=None)
    issued_year: int | None = described("Năm ban hành, khi dòng ngày tháng để trống", default=None, ge=1900, le=2200)
    summary: Text | None = described("Tóm tắt ngắn, hiện khi chia sẻ liên kết (nếu không có, dùng đoạn nội dung đầu "
                                     "tiên, bỏ qua câu \"Thực hiện …\", \"Căn cứ …\")", default=None)
    signer: Signer | None = described("Người ký", default=None)
    recipients: tuple[Id, ...] = described("Mã các đơn vị nhận (Kính gửi)", default=())
    distribution: tuple[Text, ...] = described("Nơi nhận, chép nguyên văn từng dòng", default=())
    implements: tuple[Citation, ...] = described("Các văn bản cấp trên được thực hiện", default=())
    topics: tuple[Id, ...] = described("Mã các chủ đề (trong topics.yaml)", default=())
    commemorations: tuple[Id, ...] = described("Mã các ngày kỷ niệm được nhắc tới", default=())
    phases: tuple[Phase, ...] = described("Các giai đoạn tuyên truyền", default=())
    duties: tuple[Duty, ...] = described("Nhiệm vụ của từng đơn vị (Tổ chức thực hiện)", default=())
    attachments: tuple[AttachmentRef, ...] = described("Các tệp gửi kèm (PDF, DOCX, XLSX, ảnh), đặt cạnh văn bản "
                                                       "trong content/documents/", default=())

    @field_validator("issued_year")
    @classmethod
    def _year_matches(cls, year: int | None, info: ValidationInfo) -> int | None:
        # A field validator (not a model one) so that it runs even when other fields are wrong.
        issued = info.data.get("issued")
        if issued and year and issued.year != year:
            raise _problem("year-mismatch", year=year, issued=issued.year)
        return year

    @property
    def display_title(self) -> str:
        """The title as a heading: first letter capital (a V/v line is printed in lower case)."""
        return self.title[:1].upper() + self.title[1:]

    @property
    def is_draft(self) -> bool:
        return is_draft_number(self.number)

    @property
    def label(self) -> str:
        """How lists, feeds and page titles name the document: "Kế hoạch số 443-KH/TU: Tuyên
        truyền …", or without "số …" while it has no number."""
        number = "" if self.is_draft else f" số {self.number}"
        return f"{self.kind.label}{number}: {self.display_title}"

    @property
    def short_label(self) -> str:
        """"Kế hoạch 443-KH/TU", or for a document without a number the start of its title."""
        if not self.is_draft:
            return f"{self.kind.label} {self.number}"
        title = self.display_title
        return (f"{self.kind.label} “{title[:40].rsplit(' ', 1)[0]}…”" if len(title) > 40
                else f"{self.kind.label} “{title}”")

    @property
    def year(self) -> int | None:
        return self.issued.year if self.issued else self.issued_year

    @property
    def effective_date(self) -> date | None:
        """The date lists and feeds order by: its own date; else the latest document it carries out
        (when that fits its printed year); else 1 January of its printed year; else unknown."""
        if self.issued:
            return self.issued
        if self.not_before and (self.issued_year is None or self.not_before.year == self.issued_year):
            return self.not_before
        if self.issued_year:
            return date(self.issued_year, 1, 1)
        return None

    @property
    def estimated_date(self) -> date | None:
        """For a document without its own date: the date lists order it by when that is borrowed
        from the latest document it carries out (`effective_date`), else None."""
        if self.issued is None and self.not_before is not None and self.effective_date == self.not_before:
            return self.not_before
        return None

    @property
    def date_label(self) -> str:
        """How lists show the date: "03/10/2024"; an undated document says so ("Chưa ghi ngày",
        "Năm 2023, chưa ghi ngày") and names the date it is sorted by when that is estimated."""
        if self.issued:
            return numeric_date(self.issued)
        label = f"Năm {self.issued_year}, chưa ghi ngày" if self.issued_year else "Chưa ghi ngày"
        if (estimate := self.estimated_date) is not None:
            label += f" (ước tính theo văn bản được thực hiện: {numeric_date(estimate)})"
        return label

    @property
    def not_before(self) -> date | None:
        """The earliest day this document can take effect: its date, or else the latest dated
        document it carries out (a plan cannot act before the guidance it implements)."""
        if self.issued:
            return self.issued
        cited = [c.issued for c in self.implements if c.issued]
        return max(cited) if cited else None


def is_draft_number(number: str) -> bool:
    """No number given yet: empty, or only the code after the slash ("/SVHTTDL-QLVHGĐ")."""
    return not number.strip() or number.strip().startswith("/")


def normalize_number(number: str) -> str:
    """" 443-kh/tu " and "443-KH/TU" are the same number."""
    return "".join(number.split()).upper()


class PublishedFile(BaseModel):
    """A file of a document, published under its page (`van-ban/<slug>/tep/<name>`)."""

    model_config = ConfigDict(frozen=True)

    source: str  # as written in the front matter or the body (for messages)
    name: str  # published file name (ASCII, lower case)
    title: str  # shown to readers
    kind: str  # "PDF", "DOCX", "XLSX", "PNG", "JPEG"
    data: bytes
    attachment: bool = True  # False: an image of the body
    width: int = 0  # images only
    height: int = 0

    @property
    def size(self) -> int:
        return len(self.data)


class Document(BaseModel):
    """A validated document: its front matter, its body and where it came from."""

    model_config = ConfigDict(frozen=True)

    slug: str
    source: str  # display path of the .md file
    body_line: int  # line where the Markdown body starts (for diagnostics)
    meta: DocumentMeta
    body: str
    # The attachments and the body's local images, read and checked (`portal/content/files.py`):
    # their bytes are part of the document, so an edited file makes the document differ.
    files: tuple[PublishedFile, ...] = ()

    @property
    def attachments(self) -> tuple[PublishedFile, ...]:
        return tuple(file for file in self.files if file.attachment)


class Site(BaseModel):
    """All validated content. Relations are ids, never object pointers."""

    model_config = ConfigDict(frozen=True)

    config: SiteConfig
    units: tuple[Unit, ...]
    topics: tuple[Topic, ...]
    commemorations: tuple[Commemoration, ...]
    documents: tuple[Document, ...]
