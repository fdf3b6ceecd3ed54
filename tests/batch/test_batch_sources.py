"""Listing a source into stable ids, and reading each kind of document."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from solieu.batch.sources import enumerate_source, load_item
from solieu.errors import DocumentTooLarge, InputError, MissingDependency, UnsupportedFileType


def _tree(root: Path) -> None:
    files = {
        "a.txt": "Thu ngân sách 17.271 triệu đồng.",
        "2024/lang-son/thang-5.md": "# Báo cáo\n\nĐạt 55,3% dự toán.",
        "2024/lang-son/notes.csv": "not a report",
        "2024/cao-bang/thang-6.TXT": "Tháng 6/2024.",
        "z/.hidden.txt": "a hidden file is still a document",
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "source", "ids", "ignored"),
    [
        ("directory tree", "{root}", ["2024/cao-bang/thang-6.TXT", "2024/lang-son/thang-5.md", "a.txt",
                                      "z/.hidden.txt"], 1),
        ("recursive glob", "{root}/2024/**/*.md", ["lang-son/thang-5.md"], 0),
        ("glob below a fixed part", "{root}/2024/*/thang-*", ["cao-bang/thang-6.TXT", "lang-son/thang-5.md"], 0),
        ("single file", "{root}/a.txt", ["a.txt"], 0),
    ],
)
def test_file_sources_get_ids_relative_to_their_root(tmp_path, name, source, ids, ignored):
    _tree(tmp_path)
    listing = enumerate_source(source.format(root=tmp_path))
    assert [item.id for item in listing.items] == ids, name
    assert len(listing.ignored) == ignored


def test_ids_do_not_depend_on_where_the_tree_is_mounted(tmp_path):
    _tree(tmp_path / "one")
    _tree(tmp_path / "elsewhere" / "two")
    first = [i.id for i in enumerate_source(str(tmp_path / "one")).items]
    second = [i.id for i in enumerate_source(str(tmp_path / "elsewhere" / "two")).items]
    assert first == second


def test_the_output_directory_is_never_read_as_input(tmp_path):
    _tree(tmp_path)
    (tmp_path / "out" / "shards").mkdir(parents=True)
    (tmp_path / "out" / "shards" / "leftover.txt").write_text("x", encoding="utf-8")
    listing = enumerate_source(str(tmp_path), exclude=tmp_path / "out")
    assert not any(item.id.startswith("out/") for item in listing.items)


def test_jsonl_records_keep_their_ids_and_others_get_file_and_line(tmp_path):
    path = tmp_path / "docs.jsonl"
    lines = [
        json.dumps({"id": "hn-05", "text": "Tháng 5/2024.", "document_date": "2024-06-04"}),
        "",
        json.dumps({"text": "không có id"}),
        "{not json",
        json.dumps({"id": "hn-05", "text": "trùng id"}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = enumerate_source(str(path)).items
    assert [i.id for i in items] == ["hn-05", "docs.jsonl:3", "docs.jsonl:4", "docs.jsonl:5"]
    first = load_item(items[0])
    assert (first.id, first.text, first.document_date) == ("hn-05", "Tháng 5/2024.", "2024-06-04")
    assert load_item(items[1]).text == "không có id"
    with pytest.raises(InputError, match="not valid JSON"):
        load_item(items[2])
    with pytest.raises(InputError, match="already used on line 1"):
        load_item(items[3])


def test_jsonl_text_is_kept_as_sent(tmp_path):
    # Offsets index the text as the caller sent it (LABELS.md); extraction normalises inside.
    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps({"id": "x", "text": "Ho\u0300a Bi\u0300nh"}) + "\n", encoding="utf-8")
    assert load_item(enumerate_source(str(path)).items[0]).text == "Ho\u0300a Bi\u0300nh"


@pytest.mark.parametrize(
    ("name", "make", "error", "match"),
    [
        ("missing path", lambda p: str(p / "nope"), InputError, "no such file"),
        ("glob matching nothing", lambda p: str(p / "*.pdf"), InputError, "matches no file"),
        ("unsupported single file", lambda p: _touch(p / "x.csv"), UnsupportedFileType, "unsupported file type"),
        ("directory without documents", lambda p: (_touch(p / "x.csv"), str(p))[1], InputError, "no documents"),
    ],
)
def test_sources_without_documents_are_refused_before_any_work(tmp_path, name, make, error, match):
    with pytest.raises(error, match=match):
        enumerate_source(make(tmp_path))


def _touch(path: Path) -> str:
    path.write_text("x", encoding="utf-8")
    return str(path)


def test_invalid_utf8_and_too_long_documents_fail_when_read(tmp_path):
    (tmp_path / "bad.txt").write_bytes(b"Thu ng\xe2n s\xe1ch")
    (tmp_path / "long.txt").write_text("x" * 50, encoding="utf-8")
    bad, long = enumerate_source(str(tmp_path)).items
    with pytest.raises(InputError, match="not UTF-8"):
        load_item(bad)
    with pytest.raises(DocumentTooLarge, match="limit of 10"):
        load_item(long, max_chars=10)


def test_docx_paragraphs_and_tables_are_read_in_order(tmp_path):
    docx = pytest.importorskip("docx", reason="python-docx is not installed")
    document = docx.Document()
    document.add_paragraph("Báo cáo tháng 5/2024")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Thu ngân sách"
    table.rows[0].cells[1].text = "17.271 triệu đồng"
    document.add_paragraph("Đạt 55,3% dự toán.")
    document.save(tmp_path / "r.docx")
    text = load_item(enumerate_source(str(tmp_path)).items[0]).text
    assert text == "Báo cáo tháng 5/2024\n\nThu ngân sách\t17.271 triệu đồng\n\nĐạt 55,3% dự toán."


def minimal_pdf(text: str) -> bytes:
    """A one-page PDF with `text` (ASCII) in a standard font, built by hand."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_pdf_text_is_read_and_a_corrupt_pdf_is_an_input_error(tmp_path):
    pytest.importorskip("pypdfium2", reason="pypdfium2 is not installed")
    (tmp_path / "good.pdf").write_bytes(minimal_pdf("Thu ngan sach 17.271 trieu dong"))
    (tmp_path / "torn.pdf").write_bytes(minimal_pdf("x")[:60])
    good, torn = enumerate_source(str(tmp_path)).items
    assert "17.271 trieu dong" in load_item(good).text
    with pytest.raises(InputError, match="torn.pdf: the PDF is damaged"):
        load_item(torn)


@pytest.mark.parametrize(("module", "suffix", "package"), [("pypdfium2", ".pdf", "pypdfium2"), ("docx", ".docx", "python-docx")])
def test_a_missing_reader_package_is_a_clear_per_document_error(tmp_path, monkeypatch, module, suffix, package):
    monkeypatch.setitem(sys.modules, module, None)  # makes `import module` raise ImportError
    (tmp_path / f"r{suffix}").write_bytes(b"whatever")
    item = enumerate_source(str(tmp_path)).items[0]
    with pytest.raises(MissingDependency, match=f"needs {package}.*pip install {package}"):
        load_item(item)
