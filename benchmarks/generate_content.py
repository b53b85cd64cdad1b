"""Generate a synthetic but realistic content folder: Vietnamese text, topics, units, phases,
duties and implements chains. Deterministic for a given size and seed.

    python benchmarks/generate_content.py 2000 /tmp/content-2000
"""

from __future__ import annotations

import argparse
import random
import shutil
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


def generate(size: int, target: Path, seed: int = 2025, topics: int = 30, units: int = 200) -> None:
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
        if numbers and rng.random() < 0.6:
            cited_number, cited_issuer = rng.choice(numbers[-200:])
            implements = f"implements:\n  - {{number: {cited_number}, issuer: {cited_issuer}}}\n"
        numbers.append((number, issuer))
        recipients = ", ".join(rng.sample(unit_ids, 3))
        doc_topics = ", ".join(rng.sample(topic_ids, rng.randint(1, 3)))
        phase_start = f"{day:02d}/{month:02d}/{year}"
        phases = (f"phases:\n  - {{name: Giai đoạn 1, start: {phase_start}, end: 31/12/{year}}}\n"
                  f"  - {{name: Giai đoạn 2, start: 01/01/{year + 1}}}\n")
        duties = "duties:\n" + "".join(
            f"  - {{unit: {unit}, tasks: [\"{sentence(rng, 14)}\", \"{sentence(rng, 10)}\"]}}\n"
            for unit in rng.sample(unit_ids, 2))
        body = []
        for roman, section in zip(ROMAN, SECTIONS, strict=True):
            body.append(f"## {roman}. {section}\n")
            for item in range(1, 3):  # ~600 words a body, the size of the reference corpus
                body.append(f"### {item}. {sentence(rng, 5)[:-1]}\n")
                body.append(sentence(rng, 24) + " " + sentence(rng, 18) + "\n")
                body.append("\n".join(f"- {sentence(rng, 14)}" for _ in range(2)) + "\n")
        (target / "documents" / f"van-ban-{n + 1:05d}.md").write_text(
            f"---\nnumber: {number}\nkind: {kind}\ntitle: {sentence(rng, 12)[:-1]}\nissuer: {issuer}\n"
            f"place: Thành phố\nissued: {day:02d}/{month:02d}/{year}\nrecipients: [{recipients}]\n"
            f"{implements}topics: [{doc_topics}]\ncommemorations: [{rng.choice(COMMEMORATIONS)}]\n{phases}{duties}---\n"
            + "\n".join(body), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("size", type=int)
    parser.add_argument("target", type=Path)
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()
    generate(args.size, args.target, args.seed)


if __name__ == "__main__":
    main()
