"""Matching the unit names a document prints ("Ban Tuyên giáo huyện ủy", "UBND TP.") to units.yaml.

Official documents name units without their place: a district's plan says "Ban Tuyên giáo Huyện
ủy", units.yaml says "Ban Tuyên giáo Huyện ủy Lục Ngạn". So a unit's place ("Lục Ngạn", "(tỉnh
Lạng Sơn)") may be left out of the comparison when the document itself names that place
somewhere; between two equally close units, the one whose place the document names wins.
Comparison is diacritic-insensitive (folded), with the usual abbreviations spelled out.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from portal.content.models import Unit
from portal.content.slugs import fold, slugify

# Folded abbreviation -> folded words, longest first (so "ubmttqvn" is not read as "ub" + …).
ABBREVIATIONS = {
    "ubmttqvn": "uy ban mat tran to quoc viet nam", "ubmttq": "uy ban mat tran to quoc",
    "mttqvn": "mat tran to quoc viet nam", "mttq": "mat tran to quoc", "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan", "ubkt": "uy ban kiem tra", "btg": "ban tuyen giao", "btv": "ban thuong vu",
    "bdv": "ban dan van", "bcd": "ban chi dao", "bcsd": "ban can su dang", "vhttdl": "van hoa the thao va du lich",
    "vhtt": "van hoa va thong tin", "vh": "van hoa", "vp": "van phong", "tp": "thanh pho", "tu": "tinh uy",
    "hu": "huyen uy", "vn": "viet nam",
}
ADMIN_WORDS = ("thanh pho", "thi xa", "thi tran", "tinh", "huyen", "quan", "xa", "phuong", "tp")
# A line of "Nơi nhận" names a unit after these words ("Thường trực UBND Thành phố" is the UBND's).
COURTESY_PREFIXES = ("thuong truc ", "dong chi ", "d/c ")
# Unit names start with words like these; a numbered heading that does not is not a unit.
UNIT_WORDS = ("ban ", "phong ", "so ", "uy ban ", "trung tam ", "cac ", "van phong ", "dang uy ", "huyen uy ",
              "thanh uy ", "tinh uy ", "hoi ", "doan ", "lien doan ", "lien hiep ", "cong an ", "bo chi huy ",
              "dai ", "bao ", "mat tran ", "co quan ", "chi bo ", "dang bo ", "truong ", "thanh doan ", "huyen doan ",
              "tinh doan ", "chi cuc ", "cuc ", "toa ", "vien ", "ubnd ", "mttq ", "ubmttq", "hdnd ", "btg ",
              "bdv ", "bcd ", "to chuc ", "thuong truc ")
MIN_SCORE = 0.8
# units.yaml marks a unit whose document did not print its place with this id suffix ("chưa rõ"):
# such a unit is matched only by its name all but exactly ("… xã hội của huyện" for "… xã hội
# huyện"), never by a merely near one (another place's unit would look like it), and the match is
# reported for the editor to confirm.
PLACEHOLDER_SUFFIX = "-chua-ro"
PLACEHOLDER_MIN_SCORE = 0.95
NOT_PLACES = ("viet nam", "trung uong")  # "Mặt trận Tổ quốc Việt Nam" names no locality


def normalise(name: str) -> str:
    """Folded words without punctuation; abbreviations spelled out ("UBND TP." -> "uy ban nhan dan
    thanh pho"), but only when printed in capitals without marks, so that "từ" stays "tu"."""
    words = []
    for word in re.findall(r"[^\W_]+", name.replace("&", " và ")):
        folded = fold(word)
        is_abbreviation = word.isupper() and word.replace("Đ", "D").isascii()
        words.append(ABBREVIATIONS.get(folded, folded) if is_abbreviation else folded)
    return " ".join(words)


def _place_tail(name: str) -> tuple[str, str] | None:
    """("Ban Thường vụ Tỉnh ủy", "Lạng Sơn") for "Ban Thường vụ Tỉnh ủy Lạng Sơn": the trailing
    proper name (Title-case words, "-" between; one word only after "tỉnh", "huyện" …), with the
    administrative word before it, if any, kept on the left; a trailing parenthesis ("(tỉnh Lạng
    Sơn)") is a place as a whole."""
    name = name.strip()
    parenthesis = re.match(r"^(?P<head>.*\S)\s*\((?P<place>[^()]+)\)$", name)
    if parenthesis:
        place = re.sub(r"^(tỉnh|huyện|thành phố|thị xã|quận)\s+", "", parenthesis.group("place").strip())
        return parenthesis.group("head"), place
    words = name.split()
    at = len(words)
    while at > 1 and (_is_title_word(words[at - 1]) or (words[at - 1] == "-" and at < len(words))):
        at -= 1
    if at == len(words) or at == 0:
        return None
    while words[at] == "-":
        at += 1
    # One capitalised word is a place only after "tỉnh", "huyện" …: "Các đơn vị trực thuộc Sở" names none.
    if len(words) - at == 1 and normalise(words[at - 1]) not in ADMIN_WORDS:
        return None
    return " ".join(words[:at]), " ".join(words[at:])


def _is_title_word(word: str) -> bool:
    """"Lạng", "Vũng" (a place's word), not "VH&TT", "BR-VT" (abbreviations) nor "ủy"."""
    return len(word) > 1 and word[0].isupper() and word[1:].islower() and word.isalpha()


@dataclass(frozen=True)
class Variant:
    words: str  # normalised
    unit_id: str
    place_named: bool  # the unit has a place, and the document names it
    place: str = ""  # the unit's place, normalised ("luc ngan")


@dataclass(frozen=True)
class UnitMatch:
    unit_id: str
    score: float


@dataclass(frozen=True)
class UnitNames:
    """The units' names as a given document may print them."""

    variants: tuple[Variant, ...]

    @classmethod
    def for_document(cls, units: list[Unit] | tuple[Unit, ...], text: str) -> UnitNames:
        document = f" {normalise(text)} "
        variants: list[Variant] = []
        for unit in units:
            tail = _place_tail(unit.name)
            if tail and f" {normalise(tail[1])} " not in document:
                continue  # another place's unit: "Ban Tuyên giáo Huyện ủy" here is not Lục Ngạn's
            place = normalise(tail[1]) if tail else ""
            variants.extend(Variant(normalise(name), unit.id, bool(tail), place)
                            for name in filter(None, (unit.name, unit.short_name)))
            if tail:
                head = normalise(tail[0])
                variants.append(Variant(head, unit.id, True, place))
                without_admin = re.sub(rf"\s(?:{'|'.join(ADMIN_WORDS)})$", "", head)
                if without_admin != head:
                    variants.append(Variant(without_admin, unit.id, True, place))
        return cls(tuple(variant for variant in variants if variant.words))

    def match(self, name: str) -> UnitMatch | None:
        """The unit `name` means, if one is close enough."""
        wanted = _wanted(name)
        if not wanted:
            return None
        # A name with its own place ("Ban Tuyên giáo Tỉnh ủy Bắc Giang") means a unit of that place.
        tail = _place_tail(re.sub(r"\([^()]*\)", " ", name).strip(" -;,.:"))
        wanted_place = normalise(tail[1]) if tail and normalise(tail[1]) not in NOT_PLACES else ""
        best: tuple[float, bool, int, str] | None = None
        for variant in self.variants:
            if wanted_place and variant.place and variant.place != wanted_place:
                continue
            score = _similarity(wanted, variant.words)
            if score < (PLACEHOLDER_MIN_SCORE if self.is_placeholder(variant.unit_id) else MIN_SCORE):
                continue
            # Ties (within rounding) go to the unit whose place the document names, then the longer name.
            key = (round(score, 2), variant.place_named, len(variant.words), variant.unit_id)
            if best is None or key[:3] > best[:3]:
                best = key
        return UnitMatch(best[3], best[0]) if best else None

    @staticmethod
    def is_placeholder(unit_id: str) -> bool:
        return unit_id.endswith(PLACEHOLDER_SUFFIX)

    def candidates(self, name: str, count: int = 3) -> tuple[str, ...]:
        """The ids of the units closest to `name`, best first (what a doubtful match is shown with)."""
        wanted = _wanted(name)
        scores: dict[str, float] = {}
        for variant in self.variants:
            score = _similarity(wanted, variant.words)
            scores[variant.unit_id] = max(score, scores.get(variant.unit_id, 0.0))
        ranked = sorted((item for item in scores.items() if item[1] >= 0.5), key=lambda item: (-item[1], item[0]))
        return tuple(unit_id for unit_id, _ in ranked[:count])

    def find_in(self, line: str) -> tuple[str, ...]:
        """Every unit named inside a longer line ("Thường trực Huyện ủy, HĐND, UBND huyện")."""
        text = f" {_wanted(line)} "
        found: dict[str, int] = {}
        for variant in sorted(self.variants, key=lambda v: (-len(v.words), not v.place_named)):
            if len(variant.words.split()) >= 3 and f" {variant.words} " in text and variant.unit_id not in found:
                found[variant.unit_id] = text.index(f" {variant.words} ")
                text = text.replace(f" {variant.words} ", " # ", 1)
        return tuple(sorted(found, key=found.__getitem__))


def _wanted(name: str) -> str:
    name = re.sub(r"\([^()]*\)", " ", name)  # "(b/c)", "(báo cáo)", "(T/h)"
    wanted = normalise(name.strip(" -;,.:"))
    for prefix in COURTESY_PREFIXES:
        if wanted.startswith(prefix):
            wanted = wanted[len(prefix):]
    return wanted


def _levels(words: str) -> set[str]:
    """The administrative levels a name speaks of: "… xã hội huyện" -> {"huyen"}, "Thành ủy" -> {"thanh pho"}."""
    text = f" {words} "
    levels = {level for level, pattern in _LEVEL_PATTERNS if re.search(pattern, text)}
    return levels


_LEVEL_PATTERNS = (("tinh", r" tinh(?: uy)? "), ("huyen", r" huyen(?: uy)? "), ("thanh pho", r" thanh (?:pho|uy) "),
                   ("thi xa", r" thi xa "), ("thi tran", r" thi tran "), ("xa", r"(?<!thi) xa (?!hoi )"))


def _similarity(wanted: str, candidate: str) -> float:
    """Word similarity (a typo costs a little more through characters). Names of different levels
    ("Ban Tuyên giáo Tỉnh ủy", "Ban Tuyên giáo Huyện ủy") never match; a name that is the start of
    a unit's name ("Các đơn vị trực thuộc Sở" for "… Sở Văn hóa, Thể thao và Du lịch") matches
    when it is long enough to be specific."""
    wanted_levels, candidate_levels = _levels(wanted), _levels(candidate)
    if wanted_levels and candidate_levels and not wanted_levels & candidate_levels:
        return 0.0
    words = difflib.SequenceMatcher(None, wanted.split(), candidate.split(), autojunk=False).ratio()
    characters = difflib.SequenceMatcher(None, wanted, candidate, autojunk=False).ratio()
    score = max(words, characters - 0.1)
    if candidate.startswith(wanted + " ") and len(wanted.split()) >= 4:
        score = max(score, 0.85)
    return score


def looks_like_unit(name: str) -> bool:
    """"Ban Dân vận Huyện ủy", "Các chi, đảng bộ trực thuộc": a unit; "Chế độ báo cáo": not."""
    return normalise(name).startswith(tuple(word.strip() + " " for word in UNIT_WORDS)) and len(name) <= 160


def proposed_id(name: str, taken: set[str]) -> str:
    """An id for a unit to add to units.yaml ("Hội Nông dân huyện" -> "hoi-nong-dan-huyen")."""
    base = slugify(re.sub(r"\([^()]*\)", " ", name).strip(" -;,.:"), max_length=50) or "don-vi-moi"
    candidate, counter = base, 2
    while candidate in taken:
        candidate, counter = f"{base}-{counter}", counter + 1
    return candidate
