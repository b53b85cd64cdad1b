"""The one problem report that every pipeline stage returns.

Stages never raise on bad content: they return lists of `Diagnostic` so that an editor sees every
problem at once, each with the file, the line, the field and the fix.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Iterable


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
        return text


    def as_dict(self) -> dict:
        return {"path": self.path, "line": self.line, "col": self.col, "severity": self.severity.value,
                "code": self.code, "field": self.field, "message": self.message, "hint": self.hint}

    def github_annotation(self) -> str:
        """`::error file=…,line=…,col=…,title=…::…` (GitHub Actions escaping rules)."""
        def data(text: str) -> str:
            return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

        def prop(text: str) -> str:
            return data(text).replace(":", "%3A").replace(",", "%2C")

        where = f"file={prop(self.path)}"
        if self.line:
            where += f",line={self.line}"
            if self.col:
                where += f",col={self.col}"
        body = (f"{self.field}: " if self.field else "") + self.message + (f" — {self.hint}" if self.hint else "")
        return f"::{self.severity.value} {where},title={prop(self.code)}::{data(body)}"


def display_path(path: Path, root: Path) -> str:
    """A path as the editor knows it: relative to the working folder when possible."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    return sorted(set(diagnostics), key=lambda d: (d.path, d.line, d.col, d.code, d.message, d.field))


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.is_error for d in diagnostics)
