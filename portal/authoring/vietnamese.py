"""Spelling variants of Vietnamese text that name the same thing.

Vietnamese puts the tone mark of an open "oa", "oe" or "uy" either on the first vowel ("hóa",
"Ủy", the placement of Nghị định 30/2020/NĐ-CP's forms and of units.yaml) or on the second
("hoá", "Uỷ", common in older and provincial typing). Both are correct; an importer that compares
names, or writes a title, uses one. Unicode normalisation (NFC) cannot do this — the two are
different letters — and no maintained library does only this, so it is written out here.
"""

from __future__ import annotations

import re
import unicodedata

_TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng (NFD combining marks)
# An open syllable's final "oa"/"oe"/"uy" with the tone on its second vowel; "qu" + "y" ("quý")
# is a consonant and a vowel, so its tone stays on the "y".
_SECOND_VOWEL_TONE = re.compile(rf"(?<![qQ])([oOuU])([aAeEyY])([{_TONES}])(?![^\W\d_]|[\u0300-\u036f])")


def standard_tones(text: str) -> str:
    """"Uỷ ban", "Văn hoá", "hoà bình" -> "Ủy ban", "Văn hóa", "hòa bình" (NFC); other text unchanged."""
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", _SECOND_VOWEL_TONE.sub(r"\1\3\2", decomposed))
