"""The form of Vietnamese official documents, as the importer reads it.

Primary sources: Quy định 66-QĐ/TW (2017) and Hướng dẫn 36-HD/VPTW (2018) for the Party's
documents (kinds, "Số 443-KH/TU": number, kind's code, issuer's code; the header "TỈNH ỦY … /
BAN TUYÊN GIÁO" names the superior body over the issuer; "ĐẢNG CỘNG SẢN VIỆT NAM" opposite);
Nghị định 30/2020/NĐ-CP, Điều 7 and Phụ lục I, III (the 29 kinds of administrative documents and
their codes; "Số: 398/SVHTTDL-QLVH": number, issuer's code, drafting unit's code; the Quốc hiệu
"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do - Hạnh phúc"). Printed copies add spaces
and any dash ("Số 69 – HD/BTGTW", "30 - KH/HU", "398/ SVHTTDL-QLVH"); the rules here accept them
and give the number in its official form.
"""

from __future__ import annotations

import re
import unicodedata

from portal.authoring.vietnamese import standard_tones

# Every kind of the two official lists (and the legal documents a document cites), with the
# codes their numbers carry. Party: Quy định 66-QĐ/TW, Điều 5; Hướng dẫn 36-HD/VPTW, Phụ lục 1.
# State: Nghị định 30/2020/NĐ-CP, Điều 7 and Phụ lục III; Luật Ban hành văn bản quy phạm pháp luật.
PARTY_KINDS = {
    "Cương lĩnh": "CL", "Điều lệ": "ĐL", "Nghị quyết": "NQ", "Quyết định": "QĐ", "Chỉ thị": "CT", "Kết luận": "KL",
    "Quy chế": "QC", "Quy định": "QĐi", "Thông tri": "TT", "Hướng dẫn": "HD", "Thông báo": "TB", "Thông cáo": "TC",
    "Tuyên bố": "TBo", "Lời kêu gọi": "LKG", "Báo cáo": "BC", "Tờ trình": "TTr", "Kế hoạch": "KH", "Quy hoạch": "QH",
    "Chương trình": "CTr", "Đề án": "ĐA", "Phương án": "PA", "Đề cương": "ĐC", "Công văn": "CV", "Biên bản": "BB",
}
STATE_KINDS = {
    "Nghị quyết": "NQ", "Quyết định": "QĐ", "Chỉ thị": "CT", "Quy chế": "QC", "Quy định": "QyĐ", "Thông cáo": "TC",
    "Thông báo": "TB", "Hướng dẫn": "HD", "Chương trình": "CTr", "Kế hoạch": "KH", "Phương án": "PA", "Đề án": "ĐA",
    "Dự án": "DA", "Báo cáo": "BC", "Biên bản": "BB", "Tờ trình": "TTr", "Hợp đồng": "HĐ", "Công văn": "",
    "Công điện": "CĐ", "Bản ghi nhớ": "BGN", "Bản thỏa thuận": "BTT", "Giấy ủy quyền": "GUQ", "Giấy mời": "GM",
    "Giấy giới thiệu": "GGT", "Giấy nghỉ phép": "GNP", "Phiếu gửi": "PG", "Phiếu chuyển": "PC", "Phiếu báo": "PB",
    "Thư công": "",
}
LEGAL_KINDS = ("Hiến pháp", "Bộ luật", "Luật", "Pháp lệnh", "Nghị định", "Thông tư liên tịch", "Thông tư",
               "Nghị quyết liên tịch", "Lệnh")
ALL_KIND_NAMES = tuple(sorted({*PARTY_KINDS, *STATE_KINDS, *LEGAL_KINDS}, key=len, reverse=True))
CODE_KINDS = {code.upper(): name for table in (STATE_KINDS, PARTY_KINDS) for name, code in table.items() if code}
CODE_KINDS["DC"] = "Đề cương"

DASHES = r"\-‐‑‒–—−"  # a class body: "-" escaped
_LETTERS = r"[A-ZĐ][A-Za-zĐđ]*(?:\.[A-ZĐa-z][A-Za-zĐđ]*)*"
# "126-HD/BTGTW", "30 - KH/HU", "398/ SVHTTDL-QLVH", "145/2013/NĐ-CP", "02 /KH-Đ.U", "17-KH/ThU", and a
# draft's blank "/SVHTTDL-QLVHGĐ".
NUMBER = (rf"(?:\d{{1,5}}(?:\s*/\s*\d{{4}})?\s*[/{DASHES}]\s*|/\s*){_LETTERS}"
          rf"(?:\s*[/{DASHES}]\s*(?:{_LETTERS}|\d{{1,4}}(?=\s*[/{DASHES}])))*")
NUMBER_RE = re.compile(NUMBER)
_FULL_NUMBER = re.compile(rf"^\s*(?:Số\s*:?\s*)?(?P<number>{NUMBER})\s*[.;,]?\s*$", re.IGNORECASE)


def number_form(printed: str) -> str:
    """"30 - KH/HU" -> "30-KH/HU", "398/ SVHTTDL-QLVH" -> "398/SVHTTDL-QLVH", "02 /KH-Đ.U" -> "02/KH-ĐU"."""
    text = re.sub(rf"[{DASHES}]", "-", re.sub(r"\s+", "", printed))
    text = re.sub(r"(?<=[A-Za-zĐđ])\.(?=[A-Za-zĐđ])", "", text)
    return text.rstrip(".;,")


def number_of_line(line: str) -> str | None:
    """The number when a header line is one ("Số: 25 /KH-UBND", "Số 443-KH/TU", "1911/BVHTTDL-VHCS")."""
    match = _FULL_NUMBER.match(line)
    if match is None:
        return None
    if not line.lstrip().lower().startswith("số") and not re.search(r"\d", match.group("number")):
        return None  # a bare "/ABC" is a number only after "Số"
    return number_form(match.group("number"))


def kind_of_number(number: str) -> str | None:
    """The kind a number's code names: "126-HD/BTGTW" -> "Hướng dẫn", "25/KH-UBND" -> "Kế hoạch",
    "1911/BVHTTDL-VHCS" (a State công văn carries no kind code) -> "Công văn"."""
    party = re.match(r"^\d+-(?P<code>[A-Za-zĐđ]+)/", number)
    if party:
        return CODE_KINDS.get(party.group("code").upper())
    state = re.match(r"^\d*(?:/\d{4})?/(?P<code>[A-Za-zĐđ]+)(?:-|$)", number)
    if state:
        code = state.group("code").upper()
        if code in CODE_KINDS:
            return CODE_KINDS[code]
        return "Công văn" if "-" in number.split("/", 2)[-1] else None
    return None


# ---------------------------------------------------------------- header lines

_MOTTO_WORDS = ("dang cong san viet nam", "cong hoa xa hoi chu nghia viet nam", "doc lap tu do hanh phuc")


def folded(text: str) -> str:
    """Lowercase, without marks and punctuation: "ĐỘC LẬP - TỰ DO - HẠNH PHÚC" -> "doc lap tu do hanh phuc"."""
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(re.findall(r"[a-z0-9]+", plain.lower()))


def is_motto(line: str) -> bool:
    """The Quốc hiệu, its tiêu ngữ, or the Party's name: they head documents and name no issuer."""
    return folded(line) in _MOTTO_WORDS


def is_separator(line: str) -> bool:
    """"-------", "*", "—–", "___": the rules printed under header lines."""
    return bool(re.fullmatch(rf"[\s*_=.~{DASHES}]*", line))


ADMIN_WORDS = ("thành phố", "thị xã", "thị trấn", "tỉnh", "huyện", "quận", "xã", "phường", "tp", "tp.")
_SUPERIOR_PREFIX = re.compile(r"^(?:BAN CHẤP HÀNH|BCH)\s+(?:ĐẢNG BỘ\s+)?", re.IGNORECASE)
_PART_OF_SUPERIOR = re.compile(r"^(?:BAN|VĂN PHÒNG|ỦY BAN KIỂM TRA|ĐẢNG ĐOÀN|BAN CÁN SỰ)\b", re.IGNORECASE)
# A People's Committee's own bodies (Nghị định 24/2014 and 37/2014/NĐ-CP: sở of a province, phòng
# of a district) under "UBND HUYỆN ĐÔNG SƠN": the body of that place.
_BODY_OF_COMMITTEE = re.compile(r"^(?:SỞ|PHÒNG|VĂN PHÒNG|TRUNG TÂM|CHI CỤC|BAN QUẢN LÝ)\b", re.IGNORECASE)
_COMMITTEE = re.compile(rf"^(?:UBND|ỦY BAN NHÂN DÂN)\s+(?P<place>(?:{'|'.join(ADMIN_WORDS)})\s+\S.*)$", re.IGNORECASE)


def issuer_from_header(lines: list[str]) -> list[str]:
    """Names the header's capital lines may mean, most specific first: "BAN CHẤP HÀNH TRUNG ƯƠNG" /
    "BAN TUYÊN GIÁO" -> "BAN TUYÊN GIÁO TRUNG ƯƠNG"; "UỶ BAN NHÂN DÂN" / "XÃ TÙNG CHÂU" -> "ỦY BAN NHÂN DÂN XÃ
    TÙNG CHÂU"; "TỈNH ỦY BÀ RỊA - VŨNG TÀU" / "BAN TUYÊN GIÁO" -> "BAN TUYÊN GIÁO TỈNH ỦY BÀ RỊA - VŨNG TÀU"."""
    names = [standard_tones(line).strip("*- ") for line in lines]
    names = [name for name in names if name]
    if not names:
        return []
    last, parent = names[-1], (names[-2] if len(names) > 1 else "")
    candidates: list[str] = []
    if parent:
        superior = _SUPERIOR_PREFIX.sub("", parent)
        if (committee := _COMMITTEE.match(parent)) and _BODY_OF_COMMITTEE.match(last):
            candidates.append(f"{last} {committee.group('place')}")  # "PHÒNG VĂN HÓA VÀ THÔNG TIN HUYỆN ĐÔNG SƠN"
        if folded(last).split()[:1] and any(folded(last).startswith(folded(word) + " ") for word in ADMIN_WORDS):
            candidates.append(f"{parent} {last}")  # "ỦY BAN NHÂN DÂN" / "XÃ TÙNG CHÂU"
        elif _PART_OF_SUPERIOR.match(last):
            candidates.append(f"{last} {superior}")  # "BAN TUYÊN GIÁO" of "TỈNH ỦY …"
            if superior != parent:
                candidates.append(f"{last} {parent}")
            place = re.sub(r"^(?:UBND|ỦY BAN NHÂN DÂN)\s+", "", parent)  # "UBND TỈNH LẠNG SƠN" / "SỞ …"
            if place != parent:
                candidates.append(f"{last} {place}")
    candidates.append(last)
    return list(dict.fromkeys(candidates))


# ---------------------------------------------------------------- names in capitals

# Institutional words and names whose capitals a sentence-case title keeps; with the units',
# topics' and commemorations' names of the content (`CaseLexicon.of`).
INSTITUTIONAL_NAMES = (
    "Đảng Cộng sản Việt Nam", "của Đảng", "Nhà nước", "Nhân dân", "Quốc hội", "Chính phủ", "Bộ Chính trị", "Ban Bí thư",
    "Ban Chấp hành Trung ương", "Trung ương", "Tổ quốc", "Việt Nam", "Chủ tịch Hồ Chí Minh", "Bác Hồ", "Hồ Chí Minh",
    "Mặt trận Tổ quốc Việt Nam", "Mặt trận Tổ quốc", "Quân đội nhân dân Việt Nam", "Công an nhân dân", "Tỉnh ủy",
    "Huyện ủy", "Thành ủy", "Quận ủy", "Thị ủy", "Đảng ủy", "Đảng bộ", "Ban Thường vụ", "Ban Tuyên giáo", "Ban Dân vận",
    "Ban Tổ chức", "Ủy ban nhân dân", "Hội đồng nhân dân", "Ủy ban Kiểm tra",
    "Văn hóa, Thể thao và Du lịch", "Văn hóa và Thông tin", "Thông tin và Truyền thông", "Đoàn Thanh niên",
    "Cộng sản Hồ Chí Minh", "Hội Liên hiệp Phụ nữ", "Hội Cựu chiến binh", "Hội Nông dân", "Liên đoàn Lao động",
    "Tết Nguyên đán", "Giỗ Tổ Hùng Vương", "Hùng Vương", "Điện Biên Phủ", "Miền Nam",
    "Cách mạng Tháng Tám", "Quốc khánh", "Cộng hòa xã hội chủ nghĩa Việt Nam", "Lênin", "V.I. Lênin",
)


class CaseLexicon:
    """Phrases whose casing a title printed in capitals gets back ("ĐẢNG CỘNG SẢN VIỆT NAM" ->
    "Đảng Cộng sản Việt Nam"), longest first; and the place names after "tỉnh", "huyện" …"""

    def __init__(self, phrases: tuple[str, ...]):
        useful = {standard_tones(p.strip()) for p in phrases if p.strip() and p.strip().lower() != p.strip()}
        ordered = sorted(useful, key=len, reverse=True)
        self.patterns = [(re.compile(rf"(?<!\w){re.escape(p.lower())}(?!\w)"), p) for p in ordered]

    @classmethod
    def of(cls, names: tuple[str, ...] = ()) -> CaseLexicon:
        """With the names of the content's units and commemorations: proper names as a whole
        ("Ban Tuyên giáo Tỉnh ủy Bắc Giang", "Ngày thành lập Đảng Cộng sản Việt Nam")."""
        return cls(INSTITUTIONAL_NAMES + names)

    def sentence_case(self, text: str) -> str:
        """"TUYÊN TRUYỀN KỶ NIỆM 86 NĂM NGÀY THÀNH LẬP ĐẢNG CỘNG SẢN VIỆT NAM" -> "Tuyên truyền kỷ niệm 86
        năm Ngày thành lập Đảng Cộng sản Việt Nam" (a text printed in capitals, as the lexicon knows it)."""
        lowered = standard_tones(text).lower()
        spans: list[tuple[int, int, str]] = []
        for pattern, phrase in self.patterns:
            for match in pattern.finditer(lowered):
                if not any(start < match.end() and match.start() < end for start, end, _ in spans):
                    spans.append((match.start(), match.end(), phrase))
        for start, end, phrase in sorted(spans, reverse=True):
            lowered = lowered[:start] + phrase + lowered[end:]
        # A place after its administrative word: "xã tùng châu" -> "xã Tùng Châu".
        lowered = re.sub(r"(?<!\w)(tỉnh|huyện|quận|xã|phường|thị xã|thị trấn|thành phố|tp\.?|Tỉnh ủy|Huyện ủy|Thành ủy"
                         r"|Quận ủy|Thị ủy)((?:\s+[^\W\d_]+)+)$",
                         lambda m: m.group(1) + re.sub(r"(?<!\w)(\w)", lambda c: c.group(1).upper(), m.group(2)),
                         lowered)
        # Abbreviations and Roman numerals stay as printed ("THPT", "UBND", "XIV").
        printed_words = {fold_word(word): word for word in re.findall(r"[^\W\d_]+", standard_tones(text))
                         if is_abbreviation(word)}
        lowered = re.sub(r"[^\W\d_]+", lambda m: printed_words.get(fold_word(m.group(0)), m.group(0))
                         if m.group(0).islower() else m.group(0), lowered)
        return lowered[:1].upper() + lowered[1:]


_SYLLABLE = re.compile(r"^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?[aeiouy]+(?:ch|ng|nh|[cmnpt])?$")


def fold_word(word: str) -> str:
    return folded(word).replace(" ", "")


def is_abbreviation(word: str) -> bool:
    """"THPT", "UBND", "BCH", "XIV": a word in capitals that is no Vietnamese syllable (or a Roman
    numeral), which a title printed in capitals keeps."""
    if len(word) < 2 or not word.isupper():
        return False
    plain = fold_word(word)
    return bool(re.fullmatch(r"[ivxlc]+", plain)) or not _SYLLABLE.match(plain)


def is_capitals(text: str) -> bool:
    letters = [char for char in text if char.isalpha()]
    return bool(letters) and sum(char.isupper() for char in letters) >= 0.8 * len(letters)
