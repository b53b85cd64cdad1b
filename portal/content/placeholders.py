"""The template lines `new` writes into a document's body (`portal/authoring/scaffold.py`): left in
a document, `check` warns (`placeholder`) until the editor replaces them with the text."""

from __future__ import annotations

OPENING = "Thực hiện … (căn cứ ban hành văn bản)."
TO_WRITE = "…"
NUMBERED = ("1\\. …", "", "2\\. …", "")
PLACEHOLDERS = frozenset({OPENING, TO_WRITE, *filter(None, NUMBERED)})
