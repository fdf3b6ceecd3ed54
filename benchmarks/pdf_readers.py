"""Which PDF library reads Vietnamese report PDFs whole: pypdf, pypdfium2 and pdfminer.six side by
side, on PDFs printed here from a report passage by Chromium and by LibreOffice (one column, two
columns, a running header and footnotes).

    python benchmarks/pdf_readers.py [--out DIR]

For each PDF and library: the share of the passage's words read whole and in order (word
recall, by longest common subsequence), the share of read tokens that are no word of the passage
(split words such as `đ ế n` count here), the money figures found, and the seconds per page.
A printer that is not installed is skipped, and said so.
"""

from __future__ import annotations

import argparse
import html
import io
import re
import shutil
import subprocess
import tempfile
import time
import unicodedata
from pathlib import Path

PASSAGE = [
    "Tổng thu ngân sách nhà nước trên địa bàn tỉnh đến hết tháng 9 năm 2025 đạt 4.215,6 tỷ đồng, bằng 78,4% "
    "dự toán Trung ương giao và tăng 12,3% so với cùng kỳ năm trước.",
    "Sở Tài chính phối hợp với Kho bạc Nhà nước khu vực XI đã giải ngân 1.032,7 tỷ đồng vốn đầu tư công, "
    "đạt 61,2% kế hoạch; riêng dự án Đường nối Quốc lộ 4B với Khu kinh tế cửa khẩu giải ngân 215 triệu đồng.",
    "Ủy ban nhân dân huyện Cao Lộc chỉ đạo Ban Quản lý dự án đầu tư xây dựng huyện đẩy nhanh tiến độ, "
    "bảo đảm hoàn thành trước ngày 31/12/2025 theo Nghị quyết của Hội đồng nhân dân tỉnh.",
    "Chi thường xuyên ước thực hiện 2.874,1 tỷ đồng, đạt 69,8% dự toán; chi sự nghiệp giáo dục và đào tạo "
    "chiếm 38,5% tổng chi thường xuyên của ngân sách địa phương.",
]
FOOTNOTE = "Số liệu ước thực hiện, theo báo cáo của Kho bạc Nhà nước khu vực XI ngày 05/10/2025."
HEADER = "Báo cáo tình hình kinh tế - xã hội tháng 9 năm 2025"
MONEY = re.compile(r"\d[\d.,]*\s+(?:tỷ|triệu)\s+đồng")


# Report PDFs are set justified in a Times- or Arial-like font; both change the gaps between glyphs
# that a reader must tell from spaces.
FONTS = {"serif": "'Liberation Serif','DejaVu Serif',serif", "sans": "'Liberation Sans','DejaVu Sans',sans-serif"}


def _html(columns: int, font: str) -> str:
    style = (f"body{{font-family:{FONTS[font]};font-size:12pt;margin:2cm;text-align:justify}}"
             f".body{{column-count:{columns};column-gap:1cm}}"
             "header{font-size:9pt;border-bottom:1px solid #999;margin-bottom:8pt}"
             ".fn{font-size:9pt;border-top:1px solid #999;margin-top:12pt}")
    paragraphs = "".join(f"<p>{html.escape(p)}<sup>{i + 1}</sup></p>" if i == 0 else f"<p>{html.escape(p)}</p>"
                         for i, p in enumerate(PASSAGE * 3))
    return (f"<!doctype html><html lang='vi'><meta charset='utf-8'><style>{style}</style><body>"
            f"<header>{html.escape(HEADER)}</header><div class='body'>{paragraphs}</div>"
            f"<div class='fn'><sup>1</sup> {html.escape(FOOTNOTE)}</div></body></html>")


def print_with_chromium(out: Path) -> dict[str, Path]:
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        return {}
    made = {}
    for font in FONTS:
        for columns in (1, 2):
            source = out / f"chromium_{font}_{columns}col.html"
            source.write_text(_html(columns, font), encoding="utf-8")
            pdf = source.with_suffix(".pdf")
            subprocess.run([binary, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                            f"--print-to-pdf={pdf}", source.as_uri()], check=True, capture_output=True, timeout=120)
            made[f"Chromium {font}, {columns} col"] = pdf
    return made


def print_with_libreoffice(out: Path) -> dict[str, Path]:
    binary = shutil.which("soffice") or shutil.which("libreoffice")
    if binary is None:
        return {}
    import docx
    from docx.enum.section import WD_SECTION
    from docx.oxml.ns import qn

    made = {}
    for columns in (1, 2):
        document = docx.Document()
        section = document.sections[0]
        section.header.paragraphs[0].text = HEADER
        if columns == 2:
            cols = section._sectPr.find(qn("w:cols"))
            if cols is None:
                cols = section._sectPr.makeelement(qn("w:cols"), {})
                section._sectPr.append(cols)
            cols.set(qn("w:num"), "2")
        for i, paragraph in enumerate(PASSAGE * 3):
            run = document.add_paragraph(paragraph)
            if i == 0:
                run.add_run("1").font.superscript = True
        document.add_section(WD_SECTION.CONTINUOUS)
        document.add_paragraph(f"1 {FOOTNOTE}")
        source = out / f"libreoffice_{columns}col.docx"
        document.save(source)
        subprocess.run([binary, "--headless", "--convert-to", "pdf", "--outdir", str(out), str(source)],
                       check=True, capture_output=True, timeout=180)
        made[f"LibreOffice, {columns} col"] = source.with_suffix(".pdf")
    return made


def read_pypdf(data: bytes) -> list[str]:
    import pypdf

    return [page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def read_pypdfium2(data: bytes) -> list[str]:
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        return [page.get_textpage().get_text_bounded() for page in document]
    finally:
        document.close()


def read_pdfminer(data: bytes) -> list[str]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTTextContainer

    return ["".join(el.get_text() for el in page if isinstance(el, LTTextContainer))
            for page in extract_pages(io.BytesIO(data))]


READERS = {"pypdf": read_pypdf, "pypdfium2": read_pypdfium2, "pdfminer.six": read_pdfminer}


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", unicodedata.normalize("NFC", text).lower())


def _lcs(a: list[str], b: list[str]) -> int:
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b, start=1):
            current.append(previous[j - 1] + 1 if x == y else max(previous[j], current[-1]))
        previous = current
    return previous[-1]


def score(text: str) -> dict:
    source = _words(" ".join(PASSAGE * 3))
    vocabulary = set(source) | set(_words(HEADER + " " + FOOTNOTE)) | {str(i) for i in range(10)}
    read = _words(text)
    return {"recall": _lcs(source, read) / len(source),
            "foreign": sum(w not in vocabulary for w in read) / max(len(read), 1),
            "money": len(MONEY.findall(unicodedata.normalize("NFC", text)))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=None, help="keep the PDFs here (default: a temporary folder)")
    args = parser.parse_args()
    out = Path(args.out or tempfile.mkdtemp(prefix="solieu-pdf-"))
    out.mkdir(parents=True, exist_ok=True)
    pdfs = {**print_with_chromium(out), **print_with_libreoffice(out)}
    for printer, found in (("Chromium", "chromium"), ("LibreOffice", "soffice")):
        if not any(k.startswith(printer) for k in pdfs):
            print(f"note: {printer} is not installed ({found} not on PATH); its PDFs are not measured")
    expected_money = len(MONEY.findall(" ".join(PASSAGE * 3)))
    print(f"\n{'PDF':<28}{'reader':<14}{'word recall':>12}{'not a word':>12}{'money':>8}{'s/page':>9}")
    for name, pdf in pdfs.items():
        data = pdf.read_bytes()
        for reader, read in READERS.items():
            started = time.perf_counter()
            pages = read(data)
            seconds = (time.perf_counter() - started) / max(len(pages), 1)
            s = score("\n".join(pages))
            print(f"{name:<28}{reader:<14}{s['recall']:>12.3f}{s['foreign']:>12.3f}"
                  f"{s['money']:>5}/{expected_money:<2}{seconds:>9.4f}")
    print(f"\nPDFs in {out}")


if __name__ == "__main__":
    main()
