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
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .dates import DATE_HINT, DateError, parse_date, parse_day_month

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PHASE_YEARS = (1945, 2100)  # a campaign phase outside these years is a typo ("2205", "1025")
ID_HINT = "chỉ dùng chữ thường không dấu, chữ số và dấu gạch ngang, ví dụ `ban-tuyen-giao-tinh-uy`"


class DocumentKind(str, Enum):
    KE_HOACH = "ke-hoach"
    CONG_VAN = "cong-van"
    HUONG_DAN = "huong-dan"
    DE_CUONG = "de-cuong"
    CHI_THI = "chi-thi"
    NGHI_QUYET = "nghi-quyet"
    KET_LUAN = "ket-luan"
    THONG_BAO = "thong-bao"
    BAO_CAO = "bao-cao"

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
}


def _date(value: object) -> date:
    try:
        return parse_date(value)
    except DateError as error:
        raise PydanticCustomError("bad_date", str(error), {"hint": DATE_HINT}) from None


def _text_not_number(value: object) -> object:
    """Ids are words: `topics: [1]` is a mistake, not the id "1"."""
    if not isinstance(value, str):
        raise PydanticCustomError("id_type", "mã phải là chữ (ví dụ `dai-hoi-xiv`), không phải số hay danh sách",
                                  {"hint": ID_HINT})
    return value


def _id(value: str) -> str:
    if not ID_PATTERN.match(value):
        raise PydanticCustomError("bad_id", f"`{value}` không phải là mã hợp lệ", {"hint": ID_HINT})
    return value


def _text(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("empty_text", "không được để trống", {"hint": "điền nội dung"})
    return value.strip()


def _http_url(value: str) -> str:
    if not re.match(r"^https?://[^\s/$.?#].[^\s]*$", value):
        raise PydanticCustomError(
            "bad_url", f"`{value}` không phải là địa chỉ http(s) hợp lệ",
            {"hint": "ghi địa chỉ đầy đủ, bắt đầu bằng https://"})
    return value


VnDate = Annotated[date, BeforeValidator(_date)]
Id = Annotated[str, BeforeValidator(_text_not_number), AfterValidator(_id)]
Text = Annotated[str, AfterValidator(_text)]
HttpUrl = Annotated[str, AfterValidator(_http_url)]


class ContentModel(BaseModel):
    """Strict about keys (typos are errors), lenient about numbers written where text is meant."""

    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)


def _ical_duration(value: str) -> str:
    from icalendar import vDuration

    try:
        vDuration.from_ical(value)
    except ValueError:
        raise PydanticCustomError(
            "bad_duration", f"`{value}` không phải khoảng thời gian iCalendar",
            {"hint": "ví dụ `-PT15H` (9 giờ sáng hôm trước) hoặc `-P1D`"}) from None
    return value


class CalendarConfig(ContentModel):
    """The calendar window and the reminder every event carries."""

    years_before: int = Field(1, ge=0, le=10)  # calendar pages and feeds start this many years before --today
    years_after: int = Field(3, ge=0, le=10)
    alarm: Annotated[str, AfterValidator(_ical_duration)] = "-PT15H"  # relative to the all-day event's start


class SiteConfig(ContentModel):
    title: Text
    description: Text
    base_url: HttpUrl
    language: Literal["vi"] = "vi"
    timezone: str = "Asia/Ho_Chi_Minh"
    upcoming_days: int = Field(60, ge=1, le=366)
    latest_documents: int = Field(10, ge=1, le=100)
    calendar: CalendarConfig = CalendarConfig()

    @model_validator(mode="after")
    def _known_timezone(self) -> "SiteConfig":
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise PydanticCustomError(
                "bad_timezone", f"múi giờ `{self.timezone}` không tồn tại",
                {"hint": "dùng `Asia/Ho_Chi_Minh`", "field": "timezone"}) from None
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


class Unit(ContentModel):
    id: Id
    name: Text
    short_name: Text | None = None
    parent: Id | None = None
    description: Text | None = None

    @property
    def label(self) -> str:
        return self.short_name or self.name


class Topic(ContentModel):
    id: Id
    name: Text
    description: Text


class Commemoration(ContentModel):
    id: Id
    name: Text
    date: str
    year: int | None = Field(None, ge=1, le=9999)
    calendar: Literal["solar", "lunar"] = "solar"
    topics: tuple[Id, ...] = ()
    description: Text | None = None
    source: HttpUrl | None = None

    @model_validator(mode="after")
    def _valid_day_month(self) -> "Commemoration":
        try:
            parse_day_month(self.date, lunar=self.calendar == "lunar")
        except DateError as error:
            hint = "ngày âm lịch từ 1 đến 30, tháng từ 1 đến 12" if self.calendar == "lunar" else \
                "ghi ngày dạng DD/MM, ví dụ \"03/02\""
            raise PydanticCustomError("bad_date", str(error), {"hint": hint, "field": "date"}) from None
        return self

    @property
    def day_month(self) -> tuple[int, int]:
        return parse_day_month(self.date, lunar=self.calendar == "lunar")


class Signer(ContentModel):
    name: Text
    position: Text | None = None
    on_behalf: Text | None = None

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

    number: Text
    kind: DocumentKind | None = None
    issuer: Id | None = None
    issued: VnDate | None = None
    title: Text | None = None


class Phase(ContentModel):
    name: Text
    start: VnDate | None = None
    end: VnDate | None = None
    summary: Text | None = None

    @model_validator(mode="after")
    def _ordered(self) -> "Phase":
        for name in ("start", "end"):
            value = getattr(self, name)
            if value and not PHASE_YEARS[0] <= value.year <= PHASE_YEARS[1]:
                raise PydanticCustomError(
                    "phase_range", f"năm {value.year} nằm ngoài khoảng hợp lý cho một giai đoạn tuyên truyền",
                    {"hint": f"kiểm tra lại năm (thường từ {PHASE_YEARS[0]} đến {PHASE_YEARS[1]})", "field": name})
        if self.start and self.end and self.end < self.start:
            raise PydanticCustomError(
                "phase_order",
                f"giai đoạn kết thúc ({self.end:%d/%m/%Y}) trước khi bắt đầu ({self.start:%d/%m/%Y})",
                {"hint": "kiểm tra lại `start` và `end`; có thể hai ngày bị đảo", "field": "end"})
        return self

    def is_running(self, day: date, not_before: date | None = None) -> bool:
        """Running on `day`. A phase written "từ nay" has no start: it cannot have started before
        `not_before` (the document's date, or the latest document it carries out), when known."""
        start = self.start or not_before
        return (start is None or start <= day) and (self.end is None or day <= self.end)


class Duty(ContentModel):
    unit: Id
    tasks: tuple[Text, ...] = Field(min_length=1)
    deadline: VnDate | None = None


class DocumentMeta(ContentModel):
    """The front matter of one document."""

    number: str = ""
    kind: DocumentKind
    title: Text
    title_inferred: bool = False  # the copy has no trích yếu; the title was written by the editor
    issuer: Id
    place: Text | None = None
    issued: VnDate | None = None
    issued_year: int | None = Field(None, ge=1900, le=2200)
    summary: Text | None = None
    signer: Signer | None = None
    recipients: tuple[Id, ...] = ()
    distribution: tuple[Text, ...] = ()
    implements: tuple[Citation, ...] = ()
    topics: tuple[Id, ...] = ()
    commemorations: tuple[Id, ...] = ()
    phases: tuple[Phase, ...] = ()
    duties: tuple[Duty, ...] = ()

    @field_validator("issued_year")
    @classmethod
    def _year_matches(cls, year: int | None, info: ValidationInfo) -> int | None:
        # A field validator (not a model one) so that it runs even when other fields are wrong.
        issued = info.data.get("issued")
        if issued and year and issued.year != year:
            raise PydanticCustomError(
                "year_mismatch", f"`issued_year` ({year}) khác năm của `issued` ({issued.year})",
                {"hint": "khi đã có ngày ban hành đầy đủ thì bỏ `issued_year`"})
        return year

    @property
    def display_title(self) -> str:
        """The title as a heading: first letter capital (a V/v line is printed in lower case)."""
        return self.title[:1].upper() + self.title[1:]

    @property
    def is_draft(self) -> bool:
        """No number given yet: empty, or only the code after the slash ("/SVHTTDL-QLVHGĐ")."""
        return not self.number.strip() or self.number.strip().startswith("/")

    @property
    def year(self) -> int | None:
        return self.issued.year if self.issued else self.issued_year

    @property
    def not_before(self) -> date | None:
        """The earliest day this document can take effect: its date, or else the latest dated
        document it carries out (a plan cannot act before the guidance it implements)."""
        if self.issued:
            return self.issued
        cited = [c.issued for c in self.implements if c.issued]
        return max(cited) if cited else None


def normalize_number(number: str) -> str:
    """" 443-kh/tu " and "443-KH/TU" are the same number."""
    return "".join(number.split()).upper()


class Document(BaseModel):
    """A validated document: its front matter, its body and where it came from."""

    model_config = ConfigDict(frozen=True)

    slug: str
    source: str  # display path of the .md file
    body_line: int  # line where the Markdown body starts (for diagnostics)
    meta: DocumentMeta
    body: str


class Site(BaseModel):
    """All validated content. Relations are ids, never object pointers."""

    model_config = ConfigDict(frozen=True)

    config: SiteConfig
    units: tuple[Unit, ...]
    topics: tuple[Topic, ...]
    commemorations: tuple[Commemoration, ...]
    documents: tuple[Document, ...]
