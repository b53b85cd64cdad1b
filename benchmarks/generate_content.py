"""Generate a synthetic but realistic content folder: Vietnamese text, topics, units, phases,
duties and implements chains. Deterministic for a given size, shape and seed.

    python benchmarks/generate_content.py 2000 /tmp/content-2000 [--shape notices]

Two shapes (`SHAPES`): "plans", the suite's first corpus (plans of ~600 words in four sections,
30 topics, 200 units, two phases and two duties each, most implementing an earlier one); and
"notices", a corpus of another shape (short letters and notices of ~80 words, 300 topics and
1,000 units, each with a feed and a page, six duties and ten recipients a document, one dated
phase each, two commemorations): the whole-site passes (feeds, unit and topic pages, calendar
events) weigh more there than the bodies do.
"""

from __future__ import annotations

import argparse
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

WORDS = [
    "tuyên", "truyền", "đại", "hội", "đảng", "bộ", "các", "cấp", "nhiệm", "kỳ", "nghị", "quyết", "chỉ", "thị", "kết",
    "luận", "ban", "chấp", "hành", "trung", "ương", "xây", "dựng", "chỉnh", "đốn", "hệ", "thống", "chính", "trị",
    "trong", "sạch", "vững", "mạnh", "phòng", "chống", "tham", "nhũng", "tiêu", "cực", "lãng", "phí", "phát", "triển",
    "kinh", "tế", "xã", "hội", "quốc", "phòng", "an", "ninh", "đối", "ngoại", "văn", "hóa", "con", "người", "khối",
    "đại", "đoàn", "kết", "toàn", "dân", "tộc", "nhân", "dân", "cán", "bộ", "đảng", "viên", "công", "chức", "viên",
    "chức", "báo", "cáo", "viên", "mạng", "xã", "hội", "thông", "tin", "tích", "cực", "đấu", "tranh", "phản", "bác",
    "quan", "điểm", "sai", "trái", "thù", "địch", "bảo", "vệ", "nền", "tảng", "tư", "tưởng", "của", "Đảng", "kỷ",
    "niệm", "ngày", "lễ", "lớn", "sự", "kiện", "lịch", "sử", "quan", "trọng", "đất", "nước", "tỉnh", "huyện", "xã",
    "phường", "thị", "trấn", "thôn", "tổ", "dân", "phố", "phong", "trào", "thi", "đua", "yêu", "nước",
]
KINDS = ("ke-hoach", "cong-van", "huong-dan", "de-cuong", "thong-bao")
CODES = {"ke-hoach": "KH", "cong-van": "CV", "huong-dan": "HD", "de-cuong": "ĐC", "thong-bao": "TB"}
SECTIONS = ("MỤC ĐÍCH, YÊU CẦU", "NỘI DUNG TUYÊN TRUYỀN", "HÌNH THỨC TUYÊN TRUYỀN", "TỔ CHỨC THỰC HIỆN")
ROMAN = ("I", "II", "III", "IV")
COMMEMORATIONS = ("thanh-lap-dang", "giai-phong-mien-nam", "ngay-sinh-ho-chi-minh", "quoc-khanh", "cach-mang-thang-tam",
                  "chien-thang-dien-bien-phu", "bao-chi-cach-mang", "thanh-lap-quan-doi-nhan-dan",
                  "tong-tuyen-cu-quoc-hoi", "toan-quoc-khang-chien", "gio-to-hung-vuong", "tet-nguyen-dan")


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


# Fields of the sample's commemorations that only label a source link and that revisions before
# them reject: left out, so that `suite.py --baseline OLD` builds this same corpus with old code.
_NEWER_FIELDS = ("source_title:", "source_lookup:")


def _commemorations_for_every_revision() -> str:
    text = (ROOT / "content" / "commemorations.yaml").read_text(encoding="utf-8")
    return "".join(line for line in text.splitlines(keepends=True) if not line.lstrip().startswith(_NEWER_FIELDS))


@dataclass(frozen=True)
class Shape:
    topics: int
    units: int
    sections: int  # of the four, each two headings with a paragraph and a list of two items
    phases: int
    duties: int
    recipients: int
    commemorations: int
    implements: float  # the share of documents implementing an earlier one


SHAPES = {"plans": Shape(topics=30, units=200, sections=4, phases=2, duties=2, recipients=3, commemorations=1,
                         implements=0.6),
          "notices": Shape(topics=300, units=1000, sections=0, phases=1, duties=6, recipients=10, commemorations=2,
                           implements=0.1)}


def generate(size: int, target: Path, seed: int = 2025, shape: str = "plans") -> None:
    form = SHAPES[shape]
    topics, units = form.topics, form.units
    rng = random.Random(seed)
    if target.exists():
        shutil.rmtree(target)
    (target / "documents").mkdir(parents=True)
    (target / "commemorations.yaml").write_text(_commemorations_for_every_revision(), encoding="utf-8")
    site = (ROOT / "content" / "site.yaml").read_text(encoding="utf-8")
    (target / "site.yaml").write_text(site, encoding="utf-8")

    topic_ids = [f"chu-de-{n:02d}" for n in range(topics)]
    with open(target / "topics.yaml", "w", encoding="utf-8") as out:
        for index, topic_id in enumerate(topic_ids):
            out.write(f"- id: {topic_id}\n  name: Chủ đề {index + 1} {sentence(rng, 3)[:-1]}\n"
                      f"  description: {sentence(rng, 12)}\n")
    unit_ids = [f"don-vi-{n:03d}" for n in range(units)]
    with open(target / "units.yaml", "w", encoding="utf-8") as out:
        for index, unit_id in enumerate(unit_ids):
            parent = f"\n  parent: {unit_ids[index // 10]}" if index >= 10 else ""
            out.write(f"- id: {unit_id}\n  name: Ban Tuyên giáo đơn vị {index + 1}{parent}\n")
    # The copied commemorations name the sample's topics: declare those too.
    sample_topics = (ROOT / "content" / "topics.yaml").read_text(encoding="utf-8")
    with open(target / "topics.yaml", "a", encoding="utf-8") as out:
        out.write(sample_topics)

    numbers: list[tuple[str, str]] = []
    for n in range(size):
        kind = rng.choice(KINDS)
        issuer = rng.choice(unit_ids)
        year = rng.randint(2021, 2026)
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        number = f"{n + 1}-{CODES[kind]}/TU"
        implements = ""
        if numbers and rng.random() < form.implements:
            cited_number, cited_issuer = rng.choice(numbers[-200:])
            implements = f"implements:\n  - {{number: {cited_number}, issuer: {cited_issuer}}}\n"
        numbers.append((number, issuer))
        recipients = ", ".join(rng.sample(unit_ids, form.recipients))
        doc_topics = ", ".join(rng.sample(topic_ids, rng.randint(1, 3)))
        phase_start = f"{day:02d}/{month:02d}/{year}"
        phases = (f"phases:\n  - {{name: Giai đoạn 1, start: {phase_start}, end: 31/12/{year}}}\n"
                  + (f"  - {{name: Giai đoạn 2, start: 01/01/{year + 1}}}\n" if form.phases > 1 else ""))
        duties = "duties:\n" + "".join(
            f"  - {{unit: {unit}, tasks: [\"{sentence(rng, 14)}\", \"{sentence(rng, 10)}\"]}}\n"
            for unit in rng.sample(unit_ids, form.duties))
        body = [] if form.sections else [sentence(rng, 30) + " " + sentence(rng, 24) + "\n",
                                         sentence(rng, 26) + "\n"]  # a notice: two paragraphs
        for roman, section in list(zip(ROMAN, SECTIONS, strict=True))[:form.sections]:
            body.append(f"## {roman}. {section}\n")
            for item in range(1, 3):  # ~600 words a body, the size of the reference corpus
                body.append(f"### {item}. {sentence(rng, 5)[:-1]}\n")
                body.append(sentence(rng, 24) + " " + sentence(rng, 18) + "\n")
                body.append("\n".join(f"- {sentence(rng, 14)}" for _ in range(2)) + "\n")
        # Drawn last, title then commemorations, as the first corpus always drew them: the same
        # seed gives the same "plans" corpus.
        title = sentence(rng, 12)[:-1]
        remembered = rng.choice(COMMEMORATIONS) if form.commemorations == 1 else \
            ", ".join(rng.sample(COMMEMORATIONS, form.commemorations))
        (target / "documents" / f"van-ban-{n + 1:05d}.md").write_text(
            f"---\nnumber: {number}\nkind: {kind}\ntitle: {title}\nissuer: {issuer}\n"
            f"place: Thành phố\nissued: {day:02d}/{month:02d}/{year}\nrecipients: [{recipients}]\n"
            f"{implements}topics: [{doc_topics}]\ncommemorations: [{remembered}]\n{phases}{duties}---\n"
            + "\n".join(body), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("size", type=int)
    parser.add_argument("target", type=Path)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--shape", choices=sorted(SHAPES), default="plans")
    args = parser.parse_args()
    generate(args.size, args.target, args.seed, args.shape)


if __name__ == "__main__":
    main()
