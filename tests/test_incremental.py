"""Incremental rebuilds never serve stale pages: after every random edit (of a document, a list,
site.yaml, a template or the day the site is built for), the dev server's builder (which reuses
what it can) must produce byte for byte what a fresh full build produces, with the same
diagnostics. An edit that leaves errors is fixed by the next step, and the builder must recover."""

from __future__ import annotations

import dataclasses
import os
import random
import re
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import SAMPLE_CONTENT
from portal.build.builder import DEFAULT_TEMPLATES, BuildOptions, SiteBuilder
from portal.build.tracking import ALL, WHOLE, IndexChanges, Readers
from portal.content.models import DocumentKind

# Two short documents beside the sample's four: with six, a listing of 5 a page has a second page,
# and from the first step there is an `issued` date, a `summary` and a duty `deadline` to change.
EXTRA_DOCUMENTS = {
    "12-tb-btg-luc-ngan-sinh-hoat-chuyen-de.md": """---
number: "12-TB/BTG"
kind: thong-bao
title: "Lịch sinh hoạt chuyên đề quý I năm 2025"
issuer: btg-huyen-uy-luc-ngan
place: Lục Ngạn
issued: 06/01/2025
summary: "Lịch sinh hoạt chuyên đề và hạn báo cáo của các chi, đảng bộ."
recipients: [to-chuc-dang-luc-ngan, mttq-luc-ngan]
topics: [dai-hoi-xiii, dai-hoi-xiv, xay-dung-dang]
phases:
  - {name: "Tháng 1 năm 2025", start: 01/01/2025, end: 31/01/2025}
duties:
  - unit: to-chuc-dang-luc-ngan
    tasks:
      - "Tổ chức sinh hoạt chuyên đề trong quý I."
    deadline: 28/02/2025
  - unit: mttq-luc-ngan
    tasks:
      - "Báo cáo kết quả sinh hoạt chuyên đề."
---

## Nội dung

Các chi, đảng bộ tổ chức sinh hoạt chuyên đề trong quý I năm 2025.
""",
    "05-hd-btg-bac-giang-tuyen-truyen-bau-cu.md": """---
number: "05-HD/BTGTU"
kind: huong-dan
title: "Hướng dẫn tuyên truyền cuộc bầu cử"
issuer: btg-tinh-uy-bac-giang
issued: 20/12/2024
recipients: [btv-huyen-uy-luc-ngan]
topics: [bau-cu, dai-hoi-xiii]
duties:
  - unit: btg-huyen-uy-luc-ngan
    tasks:
      - "Tuyên truyền cuộc bầu cử trên bản tin nội bộ."
    deadline: 15/03/2025
---

Ban Tuyên giáo các huyện ủy tuyên truyền cuộc bầu cử.
""",
}

KINDS = [kind.value for kind in DocumentKind]

# Every kind of edit, once. Each seed first makes its own third of them (so the three seeds
# together make every one), then draws from the edits of content (the others, which change the
# configuration, the theme or the day, leave nothing to reuse: one of each is enough).
ACTIONS = [
    "title", "topics", "implements", "delete", "rename", "add", "unit-name", "topic-name", "phase", "body",
    "break", "commemoration", "kind", "issued", "summary", "duty-unit", "duty-task", "duty-add", "duty-remove",
    "deadline", "recipients", "recipients-order", "phase-insert", "phase-remove", "phase-dates",
    "site-title", "upcoming-days", "per-page", "latest", "calendar-years", "macro", "template", "stylesheet", "today",
]
EVERYTHING_CHANGES = {"site-title", "upcoming-days", "per-page", "latest", "calendar-years", "macro", "template",
                      "stylesheet", "today"}


def _documents(content: Path) -> list[Path]:
    return sorted((content / "documents").glob("*.md"))


def _files(folder: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def _changed(before: tuple[dict[Path, bytes], ...], folders: tuple[Path, ...]) -> frozenset[str]:
    """The paths made, modified or removed since `before` (a snapshot of each folder), absolute."""
    changed = set()
    for files, folder in zip(before, folders, strict=True):
        now = _files(folder)
        changed |= {path for path in files.keys() | now.keys() if files.get(path) != now.get(path)}
    return frozenset(os.path.abspath(path) for path in changed)


def _restore(folder: Path, files: dict[Path, bytes]) -> None:
    for path in _files(folder):
        if path not in files:
            path.unlink()
    for path, data in files.items():
        path.write_bytes(data)


def _replace_line(path: Path, key: str, value: str) -> bool:
    text = path.read_text(encoding="utf-8")
    new, count = re.subn(rf"^{key}: .*$", f"{key}: {value}", text, count=1, flags=re.M)
    path.write_text(new, encoding="utf-8")
    return count == 1


def _vn(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _day_between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


def _split(text: str) -> tuple[str, str]:
    """(front matter with its opening `---`, the closing `---` and the body)."""
    match = re.match(r"(---\n.*?\n)(---\n.*)\Z", text, re.S)
    assert match, "a document starts with its front matter"
    return match.group(1), match.group(2)


def _set_key(front: str, key: str, value: str) -> str:
    """`key: value` in place of the key's line, or as a new line before `topics:`."""
    new, count = re.subn(rf"^{key}:.*$", f"{key}: {value}", front, count=1, flags=re.M)
    if count:
        return new
    assert "\ntopics:" in front
    return front.replace("\ntopics:", f"\n{key}: {value}\ntopics:", 1)


def _drop_key(front: str, key: str) -> str:
    new, count = re.subn(rf"^{key}:.*\n", "", front, count=1, flags=re.M)
    assert count == 1, key
    return new


def _key(front: str, key: str) -> str | None:
    match = re.search(rf"^{key}: (.*)$", front, re.M)
    return match.group(1) if match else None


DUTY = re.compile(r"^  - unit: (\S+)\n(?:    .*\n)+", re.M)
PHASE = re.compile(r"^  - \{name: .*\}\n", re.M)  # only phases are listed as `- {name: ...}`


class _Editor:
    """Makes one edit of the site's inputs: the files under content/ and templates/, and the day
    in `options`. Each edit changes what is parsed, not only the bytes (or it picks another value)."""

    def __init__(self, rng: random.Random, content: Path, templates: Path, options: BuildOptions):
        self.rng, self.content, self.templates, self.options = rng, content, templates, options
        self.broken: list[Path] = []  # a title broken by the last step, to fix by the next

    def units(self) -> list[str]:
        return re.findall(r"^- id: (\S+)", (self.content / "units.yaml").read_text(encoding="utf-8"), re.M)

    def edit(self, action: str, step: int) -> str:
        documents = _documents(self.content)
        target = self.rng.choice(documents)
        if action in ("kind", "issued", "summary", "duty-unit", "duty-task", "duty-add", "duty-remove", "deadline",
                      "recipients", "recipients-order", "phase-insert", "phase-remove", "phase-dates"):
            text = target.read_text(encoding="utf-8")
            front, rest = _split(text)
            for _ in range(10):  # a random value may happen to be the one already there
                new, what = getattr(self, action.replace("-", "_"))(front, step)
                if new != front:
                    break
            else:
                raise AssertionError(f"{action} {target.name} changed nothing")
            target.write_text(new + rest, encoding="utf-8")
            return f"{what} {target.name}"
        if action in ("site-title", "upcoming-days", "per-page", "latest", "calendar-years"):
            return self.site(action, step)
        if action in ("macro", "template", "stylesheet"):
            return self.theme(action, step)
        if action == "today":
            day = self.options.today + timedelta(days=self.rng.choice([-40, -1, 1, 3, 17, 45, 120, 350]))
            self.options = dataclasses.replace(self.options, today=day)
            return f"today {day}"
        return self.earlier(action, step, target, documents)

    def earlier(self, action: str, step: int, target: Path, documents: list[Path]) -> str:
        """The edits the oracle began with: titles, topics, citations, files, names, a phase, a body."""
        rng, content = self.rng, self.content
        if action == "delete" and len(documents) <= 2:
            action = "add"
        if action == "title":
            assert _replace_line(target, "title", f"Tiêu đề thử {step} {rng.randint(0, 999)}")
        elif action == "topics":
            before = target.read_text(encoding="utf-8")
            while target.read_text(encoding="utf-8") == before:
                topics = rng.sample(["dai-hoi-xiii", "dai-hoi-xiv", "xay-dung-dang", "bau-cu",
                                     "ky-niem-ngay-le-lon"], 2)
                assert _replace_line(target, "topics", "[" + ", ".join(topics) + "]")
        elif action == "implements":
            numbers = [m.group(1) for d in documents
                       if (m := re.search(r'^number: "?([0-9][^"\n]*)"?$', d.read_text(encoding="utf-8"), re.M))]
            before = text = target.read_text(encoding="utf-8")
            for number in rng.sample(numbers, len(numbers)):
                if re.search(r"^implements:\n(  - .*\n)+", before, re.M):
                    text = re.sub(r"^implements:\n(  - .*\n)+", f"implements:\n  - {{number: {number}}}\n", before,
                                  count=1, flags=re.M)
                else:
                    text = before.replace("\ntopics:", f"\nimplements:\n  - {{number: {number}}}\ntopics:", 1)
                if text != before:
                    break
            target.write_text(text, encoding="utf-8")
        elif action == "delete":
            target.unlink()
        elif action == "rename":
            target.rename(target.with_name(f"doi-ten-{step}.md"))
        elif action == "add":
            text = target.read_text(encoding="utf-8")
            (content / "documents" / f"moi-{step}.md").write_text(
                re.sub(r"^number: .*$", f'number: "{step}-TB/TU"', text, count=1, flags=re.M), encoding="utf-8")
        elif action in ("unit-name", "topic-name"):
            path = content / ("units.yaml" if action == "unit-name" else "topics.yaml")
            text = path.read_text(encoding="utf-8")
            name = rng.choice(re.findall(r"^  name: (.*)$", text, re.M))
            path.write_text(text.replace(f"  name: {name}\n", f"  name: {name} (đổi {step})\n", 1), encoding="utf-8")
        elif action == "phase":
            text = target.read_text(encoding="utf-8")
            if re.search(r"(end|start): \d\d/", text):
                def other_day(m: re.Match) -> str:
                    return f"{m.group(1)}: {rng.choice([d for d in range(10, 29) if d != int(m.group(2))])}/"
                text = re.sub(r"(end|start): (\d\d)/", other_day, text, count=1)
            else:
                text = text.replace("\ntopics:", f"\nphases:\n  - {{name: Giai đoạn {step}, start: 01/02/2025, "
                                                 "end: 28/02/2025}\ntopics:", 1)
            target.write_text(text, encoding="utf-8")
        elif action == "body":
            with target.open("a", encoding="utf-8") as handle:
                handle.write(f"\n## Mục thêm {step}\n\nĐoạn mới {rng.random()}.\n")
        elif action == "break":
            assert _replace_line(target, "title", "[[[")
            self.broken.append(target)
        elif action == "commemoration":
            path = content / "commemorations.yaml"
            text = path.read_text(encoding="utf-8")
            assert 'date: "19/12"' in text or 'date: "20/12"' in text
            path.write_text(text.replace('date: "19/12"', 'date: "20/12"', 1) if 'date: "19/12"' in text
                            else text.replace('date: "20/12"', 'date: "19/12"', 1), encoding="utf-8")
        else:
            raise AssertionError(action)
        return f"{action} {target.name}"

    # Edits of one document's front matter: each returns the new front matter and what it did.

    def kind(self, front: str, step: int) -> tuple[str, str]:
        kind = self.rng.choice([k for k in KINDS if k != _key(front, "kind")])
        return _set_key(front, "kind", kind), f"kind {kind}"

    def issued(self, front: str, step: int) -> tuple[str, str]:
        day = _day_between(self.rng, date(2021, 1, 1), date(2025, 12, 31))
        choice = self.rng.choice(["date", "date", "year", "none", "mismatch"])
        if choice == "none" and _key(front, "issued") is None and _key(front, "issued_year") is None:
            choice = "date"
        if _key(front, "issued_year") is not None:
            front = _drop_key(front, "issued_year")
        if choice in ("year", "none") and _key(front, "issued") is not None:
            front = _drop_key(front, "issued")
        if choice in ("date", "mismatch"):
            front = _set_key(front, "issued", _vn(day))
        if choice == "year":
            front = _set_key(front, "issued_year", str(day.year))
        if choice == "mismatch":  # invalid: a year that is not the date's
            front = _set_key(front, "issued_year", str(day.year + 1))
        return front, f"issued ({choice}) {day}"

    def summary(self, front: str, step: int) -> tuple[str, str]:
        if _key(front, "summary") is not None and self.rng.random() < 0.4:
            return _drop_key(front, "summary"), "summary removed"
        return _set_key(front, "summary", f'"Tóm tắt thử {step}: nội dung chính của văn bản."'), "summary"

    def duty_unit(self, front: str, step: int) -> tuple[str, str]:
        duties = list(DUTY.finditer(front))
        if not duties:
            return self.duty_add(front, step)
        duty = self.rng.choice(duties)
        unit = self.rng.choice([u for u in self.units() if u != duty.group(1)])
        return front[:duty.start(1)] + unit + front[duty.end(1):], f"duty unit {duty.group(1)} -> {unit}"

    def duty_task(self, front: str, step: int) -> tuple[str, str]:
        duties = list(DUTY.finditer(front))
        if not duties:
            return self.duty_add(front, step)
        duty = self.rng.choice(duties)
        block = duty.group(0).replace("    tasks:\n", f'    tasks:\n      - "Nhiệm vụ thêm {step}."\n', 1)
        assert block != duty.group(0)
        return front[:duty.start()] + block + front[duty.end():], f"task added for {duty.group(1)}"

    def duty_add(self, front: str, step: int) -> tuple[str, str]:
        unit = self.rng.choice(self.units())
        block = f'  - unit: {unit}\n    tasks:\n      - "Nhiệm vụ mới {step}."\n'
        if self.rng.random() < 0.5:
            block += f"    deadline: {_vn(_day_between(self.rng, date(2024, 11, 1), date(2025, 6, 30)))}\n"
        duties = list(DUTY.finditer(front))
        if not duties:
            return front.replace("\ntopics:", f"\nduties:\n{block}topics:", 1), f"first duty for {unit}"
        at = duties[0].start() if self.rng.random() < 0.5 else duties[-1].end()
        return front[:at] + block + front[at:], f"duty added for {unit}"

    def duty_remove(self, front: str, step: int) -> tuple[str, str]:
        duties = list(DUTY.finditer(front))
        if not duties:
            return self.duty_add(front, step)
        duty = self.rng.choice(duties)
        front = front[:duty.start()] + front[duty.end():]
        if len(duties) == 1:
            front = _drop_key(front, "duties")
        return front, f"duty of {duty.group(1)} removed"

    def deadline(self, front: str, step: int) -> tuple[str, str]:
        duties = list(DUTY.finditer(front))
        if not duties:
            return self.duty_add(front, step)
        duty = self.rng.choice(duties)
        block = duty.group(0)
        if "    deadline: " in block and self.rng.random() < 0.3:
            new, what = re.sub(r"^    deadline: .*\n", "", block, flags=re.M), "removed"
        else:
            day = _vn(_day_between(self.rng, date(2024, 6, 1), date(2026, 12, 31)))
            new, what = re.sub(r"^    deadline: .*\n", "", block, flags=re.M) + f"    deadline: {day}\n", day
        return front[:duty.start()] + new + front[duty.end():], f"deadline of {duty.group(1)} {what}"

    def recipients(self, front: str, step: int, order: bool = False) -> tuple[str, str]:
        match = re.search(r"^recipients: \[([^\]]*)\]", front, re.M)
        ids = [i.strip() for i in match.group(1).split(",") if i.strip()] if match else []
        new = list(ids)
        if order and len(set(ids)) > 1:
            while new == ids:
                self.rng.shuffle(new)
            choice = "reordered"
        elif ids and self.rng.random() < 0.5:
            new.remove(self.rng.choice(ids))
            choice = "less one"
        else:
            new.insert(self.rng.randint(0, len(ids)), self.rng.choice([u for u in self.units() if u not in ids]))
            choice = "one more"
        return _set_key(front, "recipients", "[" + ", ".join(new) + "]"), f"recipients {choice}"

    def recipients_order(self, front: str, step: int) -> tuple[str, str]:
        return self.recipients(front, step, order=True)

    def phase_insert(self, front: str, step: int) -> tuple[str, str]:
        start = _day_between(self.rng, date(2024, 11, 1), date(2025, 3, 31))
        end = f", end: {_vn(start + timedelta(days=self.rng.randint(0, 90)))}" if self.rng.random() < 0.7 else ""
        line = f'  - {{name: "Giai đoạn đầu {step}", start: {_vn(start)}{end}}}\n'
        if re.search(r"^phases:\n", front, re.M):
            return front.replace("\nphases:\n", f"\nphases:\n{line}", 1), "phase inserted first"
        return front.replace("\ntopics:", f"\nphases:\n{line}topics:", 1), "first phase"

    def phase_remove(self, front: str, step: int) -> tuple[str, str]:
        phases = list(PHASE.finditer(front))
        if not phases:
            return self.phase_insert(front, step)
        phase = self.rng.choice(phases)
        front = front[:phase.start()] + front[phase.end():]
        if len(phases) == 1:
            front = _drop_key(front, "phases")
        return front, f"phase {phases.index(phase) + 1}/{len(phases)} removed"

    def phase_dates(self, front: str, step: int) -> tuple[str, str]:
        phases = list(PHASE.finditer(front))
        if not phases:
            return self.phase_insert(front, step)
        phase = self.rng.choice(phases)
        line, key = phase.group(0), self.rng.choice(["start", "end"])
        if f", {key}: " in line and self.rng.random() < 0.25:
            new, what = re.sub(rf", {key}: [\d/]+", "", line), "removed"
        else:  # near the day of the build, so that what runs today changes; sometimes the end comes first
            day = _vn(_day_between(self.rng, date(2024, 11, 1), date(2025, 4, 30)))
            new, count = re.subn(rf"(, {key}: )[\d/]+", lambda m: m.group(1) + day, line)
            if not count:
                new = line.replace("}\n", f", {key}: {day}}}\n")
            what = day
        if new == line:
            return self.phase_insert(front, step)
        return front[:phase.start()] + new + front[phase.end():], f"phase {key} {what}"

    # The site's configuration, the theme, the day.

    def site(self, action: str, step: int) -> str:
        path = self.content / "site.yaml"
        text = path.read_text(encoding="utf-8")
        if action == "site-title":
            key, value = "title", f"Cổng thử {step}"
        elif action == "calendar-years":
            key, values = self.rng.choice([("  years_before", [0, 1, 2]), ("  years_after", [1, 2, 3])])
            value = str(self.rng.choice([n for n in values if f"\n{key}: {n}\n" not in text]))  # wider: slower
        else:
            key, default, values = {"upcoming-days": ("upcoming_days", 60, [7, 20, 45, 120, 366]),
                                    "per-page": ("documents_per_page", 50, [5, 5, 6, 50, 2]),  # 2: invalid (< 5)
                                    "latest": ("latest_documents", 10, [1, 2, 3, 5, 10])}[action]
            current = _key(text, key)
            value = str(self.rng.choice([v for v in values if v != int(current or default)]))
        new, count = re.subn(rf"^{key}: .*$", f"{key}: {value}", text, count=1, flags=re.M)
        if not count:
            assert not key.startswith(" ")
            new = text.rstrip("\n") + f"\n{key}: {value}\n"
        assert new != text, action
        path.write_text(new, encoding="utf-8")
        return f"site {key.strip()}: {value}"

    def theme(self, action: str, step: int) -> str:
        if action == "macro":  # inside doc_item: every list of documents shows it
            path, old, new = "macros.html", '<li class="doc-item">', f'<li class="doc-item"><!-- thử {step} -->'
        elif action == "template":
            path = self.rng.choice(["unit.html", "document.html", "home.html"])
            old, new = "{% block main %}\n", f'{{% block main %}}\n<p class="thu">Thử {step}</p>\n'
        else:
            path, old, new = "static/style.css", None, None
        file = self.templates / path
        text = file.read_text(encoding="utf-8")
        if old is None:
            file.write_text(text + f"\n.thu-{step} {{ color: #{step:06d}; }}\n", encoding="utf-8")
        else:
            assert old in text, path
            file.write_text(text.replace(old, new, 1), encoding="utf-8")
        return f"{action} {path}"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_edits_rebuild_exactly_like_a_full_build(tmp_path, seed):
    content, templates = tmp_path / "content", tmp_path / "templates"
    shutil.copytree(SAMPLE_CONTENT, content)
    shutil.copytree(DEFAULT_TEMPLATES, templates)
    for name, text in EXTRA_DOCUMENTS.items():
        (content / "documents" / name).write_text(text, encoding="utf-8")
    options = BuildOptions(content=content, out=tmp_path / "site", today=date(2025, 1, 15), templates=templates)
    builder = SiteBuilder(options)
    assert builder.build().ok
    rng = random.Random(seed)
    editor = _Editor(rng, content, templates, options)
    share, content_edits = ACTIONS[seed % 3::3], [a for a in ACTIONS if a not in EVERYTHING_CHANGES]
    rng.shuffle(share)
    undo: dict[Path, bytes] | None = None  # the content before an edit that made it invalid
    partial_builds = 0
    for step in range(25):
        before = (_files(content), _files(templates), editor.options.today)
        if editor.broken:  # the last step broke a title: fix it now, the page must come back
            path = editor.broken.pop()
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace("title: [[[", "title: Đã sửa lại"), encoding="utf-8")
            what, fixing = f"fix {path.name}", True
        elif undo is not None:  # the last step made the content invalid: undo it
            _restore(content, undo)
            what, fixing = "undo", True
        else:
            action = share.pop() if share else rng.choice(content_edits)
            what, fixing = editor.edit(action, step), False
        undo = None
        assert (_files(content), _files(templates), editor.options.today) != before, f"{what} changed nothing"
        builder.options = editor.options  # the day may have moved
        # Every other step as the dev server's watcher tells it: only the paths that changed.
        incremental = builder.build(changed=_changed(before[:2], (content, templates)) if step % 2 else None)
        full = SiteBuilder(editor.options).build()
        assert [d.format() for d in incremental.diagnostics] == [d.format() for d in full.diagnostics], what
        if full.outputs is None:
            assert not fixing, f"step {step} ({what}) left errors: {[d.format() for d in full.diagnostics]}"
            assert incremental.outputs is None, what
            if not editor.broken:
                undo = before[0]
            continue
        assert incremental.outputs is not None, what
        assert list(incremental.outputs) == list(full.outputs), what
        for path in full.outputs:
            assert incremental.outputs[path] == full.outputs[path], f"step {step} ({what}): {path} is stale"
        partial_builds += len(incremental.rendered) < len(full.rendered)
    assert not share
    assert partial_builds >= 10  # the incremental path really was exercised


def test_remembered_checks_follow_cycles_references_and_moved_lines(tmp_path):
    """The dev server remembers "no cycle" and each file's reference check: a cycle made, moved
    and undone, and a unit renamed in units.yaml, must read as a fresh build reads them."""
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    options = BuildOptions(content=content, out=tmp_path / "site", today=date(2025, 1, 15))
    builder = SiteBuilder(options)
    assert builder.build().ok
    plan = content / "documents" / "443-kh-tu-vung-tau-chu-de-lon-dai-hoi-xiv.md"
    other = content / "documents" / "kh-luc-ngan-tuyen-truyen-sau-dai-hoi-xiii.md"
    original_plan, original_other = plan.read_text(encoding="utf-8"), other.read_text(encoding="utf-8")

    def same_as_fresh(step: str) -> list[str]:
        lines = [d.format() for d in builder.build().diagnostics]
        assert lines == [d.format() for d in SiteBuilder(options).build().diagnostics], step
        return lines

    def cite(text: str, number: str) -> str:
        return re.sub(r"^implements:\n", f'implements:\n  - {{number: "{number}"}}\n', text, count=1, flags=re.M)

    numbered_other = original_other.replace('number: ""', 'number: "77-KH/HU"', 1)
    other.write_text(cite(numbered_other, "443-KH/TU"), encoding="utf-8")
    plan.write_text(cite(original_plan, "77-KH/HU"), encoding="utf-8")
    made = [line for line in same_as_fresh("cycle made") if "implements-cycle" in line]
    assert made
    plan.write_text("---\n# một dòng chú thích đẩy mọi dòng xuống\n" + cite(original_plan, "77-KH/HU")[4:],
                    encoding="utf-8")
    moved = [line for line in same_as_fresh("cycle moved a line down") if "implements-cycle" in line]
    assert moved != made
    other.write_text(numbered_other, encoding="utf-8")
    assert not any("implements-cycle" in line for line in same_as_fresh("cycle undone"))
    plan.write_text(original_plan, encoding="utf-8")
    other.write_text(original_other, encoding="utf-8")
    same_as_fresh("back to the start")

    units = content / "units.yaml"
    issuer = re.search(r"^issuer: (.*)$", original_plan, re.M).group(1).strip()
    units.write_text(units.read_text(encoding="utf-8").replace(f"id: {issuer}\n", f"id: {issuer}-cu\n", 1),
                     encoding="utf-8")
    assert any("unknown-unit" in line for line in same_as_fresh("unit renamed"))


def test_an_edit_checks_and_remakes_only_the_edited_document(tmp_path):
    """The dev server checks only the edited file again, and hands the others' Document objects
    back unchanged (the same objects: every later step then sees them unchanged at a glance)."""
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    builder = SiteBuilder(BuildOptions(content=content, out=tmp_path / "site", today=date(2025, 1, 15)))
    first = builder.build()
    assert first.ok
    before = dict(builder.steps.computed)
    plan = content / "documents" / "443-kh-tu-vung-tau-chu-de-lon-dai-hoi-xiv.md"
    plan.write_text(plan.read_text(encoding="utf-8") + "\nMột đoạn thêm vào cuối.\n", encoding="utf-8")
    second = builder.build()
    assert second.ok
    assert builder.steps.computed["document"] - before["document"] == 1
    assert builder.steps.computed["document-model"] - before["document-model"] == 1
    # A body edit leaves the share card's text as it was: no card made again, none drawn again.
    assert builder.steps.computed["card-text"] - before["card-text"] == 1
    assert builder.steps.computed["share-card"] == before["share-card"]
    documents = {d.slug: d for d in first.index.site.documents}
    same = [d.slug for d in second.index.site.documents if documents.get(d.slug) is d]
    assert len(same) == len(documents) - 1


def test_the_pages_an_edit_reaches_are_those_whose_reads_it_changed():
    # benchmarks/rebuild_stages.py finds the pages an edit reached both ways (the inverted
    # `Readers`, and every page's reads tested) and exits non-zero when they disagree. In a
    # process of its own: it wraps the builder's stages to time them.
    root = Path(__file__).resolve().parents[1]
    finished = subprocess.run([sys.executable, str(root / "benchmarks" / "rebuild_stages.py"), "--documents", "40",
                               "--repeat", "2"], capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    assert "pages the last edit reached:" in finished.stdout


def test_readers_find_the_pages_whose_reads_a_change_meets():
    old = SimpleNamespace(documents={"a": 1, "b": 2}, topics={"t": 1}, today=1)
    readers = Readers()
    readers.file("a.html", {"documents": frozenset({"a"})})
    readers.file("b.html", {"documents": frozenset({"b"}), "today": frozenset({WHOLE})})
    readers.file("list.html", {"documents": frozenset({ALL})})
    readers.file("topic.html", {"topics": frozenset({"t"})})
    assert readers.reached(IndexChanges(old, old)) == set()
    assert readers.reached(IndexChanges(old, SimpleNamespace(**{**vars(old), "documents": {"a": 1, "b": 3}}))) \
        == {"b.html", "list.html"}
    assert readers.reached(IndexChanges(old, SimpleNamespace(**{**vars(old), "documents": {"b": 2, "a": 1}}))) \
        == {"list.html"}  # the same entries in another order: only what read the whole map
    assert readers.reached(IndexChanges(old, SimpleNamespace(**{**vars(old), "today": 2}))) == {"b.html"}
    readers.keep_only({"a.html", "list.html", "topic.html"})  # b.html gone
    assert readers.reached(IndexChanges(old, SimpleNamespace(**{**vars(old), "today": 2}))) == set()
    readers.file("a.html", {"topics": frozenset({"t"})})  # rendered again, reading other things
    assert readers.reached(IndexChanges(old, SimpleNamespace(**{**vars(old), "documents": {"a": 5, "b": 2}}))) \
        == {"list.html"}
