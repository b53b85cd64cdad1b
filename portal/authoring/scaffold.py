"""`new`: start a document with a complete, commented front matter and the outline its kind uses."""

from __future__ import annotations

from pathlib import Path

from portal.content.models import DocumentKind, file_name_problem
from portal.content.placeholders import NUMBERED, OPENING, TO_WRITE
from portal.content.slugs import slugify

OUTLINES = {
    DocumentKind.KE_HOACH: ["I. MỤC ĐÍCH, YÊU CẦU", "### 1. Mục đích", "### 2. Yêu cầu", "II. NỘI DUNG TUYÊN TRUYỀN",
                            "III. HÌNH THỨC TUYÊN TRUYỀN", "IV. TỔ CHỨC THỰC HIỆN"],
    DocumentKind.HUONG_DAN: ["I. MỤC ĐÍCH, YÊU CẦU", "II. NỘI DUNG", "III. HÌNH THỨC", "IV. TỔ CHỨC THỰC HIỆN"],
    DocumentKind.DE_CUONG: ["I. BỐI CẢNH, Ý NGHĨA", "II. NỘI DUNG TUYÊN TRUYỀN", "III. NHIỆM VỤ, GIẢI PHÁP",
                            "IV. KHẨU HIỆU TUYÊN TRUYỀN"],
    DocumentKind.CONG_VAN: [],
    DocumentKind.CHI_THI: ["I. TÌNH HÌNH", "II. NHIỆM VỤ, GIẢI PHÁP", "III. TỔ CHỨC THỰC HIỆN"],
    DocumentKind.NGHI_QUYET: ["I. TÌNH HÌNH VÀ NGUYÊN NHÂN", "II. QUAN ĐIỂM, MỤC TIÊU", "III. NHIỆM VỤ, GIẢI PHÁP",
                              "IV. TỔ CHỨC THỰC HIỆN"],
    DocumentKind.KET_LUAN: ["I. ĐÁNH GIÁ", "II. NHIỆM VỤ, GIẢI PHÁP", "III. TỔ CHỨC THỰC HIỆN"],
    DocumentKind.THONG_BAO: ["I. NỘI DUNG THÔNG BÁO"],
    DocumentKind.BAO_CAO: ["I. KẾT QUẢ THỰC HIỆN", "II. HẠN CHẾ, NGUYÊN NHÂN", "III. PHƯƠNG HƯỚNG, NHIỆM VỤ",
                           "IV. ĐỀ XUẤT, KIẾN NGHỊ"],
}


class ScaffoldError(Exception):
    """Why the file was not created (Vietnamese, for the editor)."""


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'




def skeleton(kind: DocumentKind, title: str, number: str = "", issuer: str = "") -> str:
    def commented(text: str, comment: str) -> str:
        return f"{text:<32} # {comment}"

    issuer_line = (f"issuer: {issuer}" if issuer
                   else commented("issuer:", "BẮT BUỘC: mã đơn vị ban hành, trong units.yaml"))
    front = f"""---
{commented(f"number: {_quoted(number)}", 'số, ký hiệu; để "" nếu chưa có số')}
{commented(f"kind: {kind.value}", kind.label)}
title: {_quoted(title)}
{issuer_line}
# place: Vũng Tàu                # địa danh ở dòng "…, ngày … tháng … năm …"
# issued: 15/10/2024             # ngày ban hành DD/MM/YYYY (hoặc issued_year: 2024 khi để trống ngày)
# signer: {{name: Họ Tên, position: PHÓ BÍ THƯ, on_behalf: T/M BAN THƯỜNG VỤ}}
recipients: []                   # mã các đơn vị nhận (Kính gửi)
# distribution:                  # "Nơi nhận", chép nguyên văn từng dòng
#   - "Như trên,"
#   - "Lưu VT."
# implements:                    # văn bản cấp trên được thực hiện
#   - {{number: 19-KH/TU, kind: ke-hoach, issuer: ma-don-vi, issued: 18/05/2021, title: "về …"}}
topics: []                       # mã chủ đề, trong topics.yaml
# commemorations: [thanh-lap-dang]
# phases:                        # các giai đoạn tuyên truyền
#   - {{name: "Giai đoạn từ nay đến hết năm 2025", start: 01/01/2025, end: 31/12/2025}}
# duties:                        # Tổ chức thực hiện: nhiệm vụ của từng đơn vị
#   - {{unit: ma-don-vi, tasks: ["…"], deadline: 30/06/2025}}
---
"""
    body = [OPENING, ""]
    for heading in OUTLINES.get(kind, ["I. NỘI DUNG"]):
        body += [heading if heading.startswith("#") else f"## {heading}", "", TO_WRITE, ""]
    if kind is DocumentKind.CONG_VAN:
        body += [*NUMBERED, "Nhận được công văn này, đề nghị các đơn vị triển khai thực hiện./.", ""]
    return front + "\n".join(body)


def create_document(content: Path, kind: str, title: str, number: str = "", issuer: str = "",
                    slug: str | None = None) -> Path:
    try:
        kind_value = DocumentKind(kind)
    except ValueError:
        raise ScaffoldError(f"loại văn bản `{kind}` không có; chọn một trong: "
                            + ", ".join(k.value for k in DocumentKind)) from None
    if not title.strip():
        raise ScaffoldError("cần `--title` (trích yếu của văn bản)")
    slug = slug or slugify(f"{number} {title}".strip(), max_length=70)
    if (problem := file_name_problem(slug)) is not None:
        raise ScaffoldError(problem)
    folder = content / "documents"
    if not folder.is_dir():
        raise ScaffoldError(f"không có thư mục `{folder}`; chỉ rõ `--content THƯ_MỤC`")
    path = folder / f"{slug}.md"
    try:
        with open(path, "x", encoding="utf-8") as handle:  # "x": never overwrite
            handle.write(skeleton(kind_value, title.strip(), number.strip(), issuer.strip()))
    except FileExistsError:
        raise ScaffoldError(f"`{path}` đã có; chọn `--slug` khác hoặc sửa tệp đó") from None
    return path
