"""The file reader on PDFs printed the way reports are printed."""

import shutil
import subprocess
import unicodedata

import pytest


@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Debian's chromium to print a PDF")
def test_a_chromium_printed_justified_report_pdf_is_read_in_whole_words(tmp_path):
    """pypdf read such a PDF letter by letter (`đ ế n`) and lost every money figure."""
    from solieu.readers import read_path

    passage = ("Tổng thu ngân sách nhà nước trên địa bàn đến hết tháng 9 đạt 4.215,6 tỷ đồng, bằng 78,4% "
               "dự toán; Sở Tài chính đã giải ngân 1.032,7 tỷ đồng vốn đầu tư công. ") * 6
    page = tmp_path / "report.html"
    page.write_text("<!doctype html><meta charset='utf-8'><body style=\"font-family:'Liberation Serif',serif;"
                    f"text-align:justify;font-size:12pt\"><p>{passage}</p></body>", encoding="utf-8")
    pdf = tmp_path / "report.pdf"
    subprocess.run([shutil.which("chromium"), "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    f"--print-to-pdf={pdf}", page.as_uri()], check=True, capture_output=True, timeout=120)
    text = unicodedata.normalize("NFC", read_path(pdf).text)
    assert text.count("tỷ đồng") == passage.count("tỷ đồng")
    assert " ".join(text.split()) == " ".join(passage.split())
