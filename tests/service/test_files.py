"""POST /v1/extract/file: each supported type, and each way a file can be wrong."""

from __future__ import annotations

import io
import zipfile

import pytest
from service_helpers import (
    SAMPLE,
    SAMPLE_OWNER,
    assert_error,
    assert_valid_documents,
    make_docx,
    make_encrypted_pdf,
    make_pdf,
)


def upload(client, name: str, data: bytes, media_type: str = "application/octet-stream", **form):
    return client.post("/v1/extract/file", files={"file": (name, data, media_type)}, data=form)


def _entity_texts(body: dict) -> set[str]:
    return {e["text"] for e in body["documents"][0]["entities"]}


def test_txt_upload(client):
    r = upload(client, "bao-cao.txt", SAMPLE.encode("utf-8"), "text/plain", document_date="2025-06-04")
    assert r.status_code == 200, r.text
    body = r.json()
    [doc] = assert_valid_documents(body)
    assert doc.id == "bao-cao.txt" and doc.text == SAMPLE
    assert body["file"] == {"filename": "bao-cao.txt", "kind": "txt", "size_bytes": len(SAMPLE.encode()),
                            "characters": len(SAMPLE)}
    assert "17.271 triệu đồng" in _entity_texts(body)


def test_md_upload_with_bom_and_an_id(client):
    r = upload(client, "notes.md", b"\xef\xbb\xbf# B\xc3\xa1o c\xc3\xa1o\n\n" + SAMPLE.encode(), "text/markdown",
               id="md-1")
    assert r.status_code == 200, r.text
    doc = r.json()["documents"][0]
    assert doc["id"] == "md-1" and doc["text"].startswith("# Báo cáo") and r.json()["file"]["kind"] == "md"


def test_pdf_upload_offsets_refer_to_the_extracted_text(client):
    r = upload(client, "report.pdf", make_pdf([SAMPLE, SAMPLE_OWNER]), "application/pdf")
    assert r.status_code == 200, r.text
    body = r.json()
    [doc] = assert_valid_documents(body)
    assert "17.271 triệu đồng" in doc.text and "Sở Xây dựng" in doc.text
    assert body["file"]["kind"] == "pdf" and body["file"]["pages"] == 1
    assert body["file"]["characters"] == len(doc.text)
    for ent in doc.entities:
        assert doc.text[ent.start : ent.end] == ent.text
    assert {"17.271 triệu đồng", "55,3%", "24,023 tỷ đồng"} <= _entity_texts(body)


def test_pdf_is_recognised_by_media_type_without_an_extension(client):
    r = upload(client, "download", make_pdf([SAMPLE]), "application/pdf")
    assert r.status_code == 200, r.text
    assert r.json()["file"]["kind"] == "pdf"


def test_pdf_encrypted_with_an_empty_user_password_opens(client):
    r = upload(client, "restricted.pdf", make_encrypted_pdf([SAMPLE], user_password=""))
    assert r.status_code == 200, r.text
    assert "17.271 triệu đồng" in _entity_texts(r.json())


def test_docx_upload_reads_paragraphs_and_tables_in_order(client):
    data = make_docx([SAMPLE], table=[["Chỉ tiêu", "Giá trị"], ["Thu ngân sách", "953.094.000 đồng"]])
    r = upload(client, "report.docx", data)
    assert r.status_code == 200, r.text
    [doc] = assert_valid_documents(r.json())
    assert doc.text.index(SAMPLE) < doc.text.index("Thu ngân sách\t953.094.000 đồng")
    assert "953.094.000 đồng" in _entity_texts(r.json())
    assert r.json()["file"]["kind"] == "docx"


@pytest.mark.parametrize(
    ("name", "data", "status", "code", "contains"),
    [
        pytest.param("report.pdf", make_encrypted_pdf([SAMPLE], user_password="secret"), 422, "encrypted_file",
                     "password", id="encrypted-pdf"),
        pytest.param("report.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 40, 422, "unreadable_file", "pdf",
                     id="corrupt-pdf-garbage"),
        pytest.param("report.pdf", make_pdf([SAMPLE])[:150], 422, "unreadable_file", "pdf", id="truncated-pdf"),
        pytest.param("report.pdf", b"GIF89a not a pdf at all", 422, "unreadable_file", "not a pdf",
                     id="pdf-without-header"),
        pytest.param("scan.pdf", make_pdf([]), 422, "unreadable_file", "ocr", id="pdf-without-text"),
        pytest.param("report.docx", b"PK\x03\x04 broken zip", 422, "unreadable_file", "docx", id="corrupt-docx"),
        pytest.param("report.docx", b"just text", 422, "unreadable_file", "zip", id="docx-not-zip"),
        pytest.param("report.exe", b"MZ\x90\x00", 415, "unsupported_file_type", ".exe", id="exe"),
        pytest.param("report.doc", b"\xd0\xcf\x11\xe0", 415, "unsupported_file_type", ".docx", id="old-word"),
        pytest.param("noext", b"\x89PNG\r\n\x1a\n\x00", 415, "unsupported_file_type", "no extension",
                     id="no-extension-binary"),
        pytest.param("latin1.txt", "Báo cáo".encode("latin-1"), 422, "invalid_input", "not utf-8",
                     id="invalid-utf8"),
        pytest.param("binary.txt", b"\x00\x01\x02\x03binary", 422, "invalid_input", "binary", id="binary-txt"),
        pytest.param("empty.txt", b"", 422, "unreadable_file", "empty", id="empty-file"),
        pytest.param("blank.txt", b"  \n\t ", 422, "empty_text", "whitespace", id="whitespace-file"),
    ],
)
def test_bad_files_get_a_clear_4xx(client, name, data, status, code, contains):
    assert_error(upload(client, name, data), status, code, contains=contains)


@pytest.mark.parametrize("make", ["txt", "pdf", "docx"])
def test_a_file_named_without_an_extension_is_read_by_what_its_bytes_are(client, make):
    """Browsers and scripts send `blob` or `upload` as the name: the bytes tell the kind."""
    data = {"txt": SAMPLE.encode("utf-8"), "pdf": make_pdf([SAMPLE]), "docx": make_docx([SAMPLE])}[make]
    r = upload(client, "upload", data)
    assert r.status_code == 200, r.text
    assert r.json()["file"]["kind"] == make
    assert any(e["label"] == "MONEY" for e in r.json()["documents"][0]["entities"])


def test_docx_that_is_a_zip_but_not_word(client):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("hello.txt", "not a word document")
    assert_error(upload(client, "report.docx", buf.getvalue()), 422, "unreadable_file", contains="docx")


def test_docx_that_unpacks_too_far_is_refused(make_client):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"0" * 3_000_000)
    c = make_client(max_request_bytes=100_000)
    assert_error(upload(c, "bomb.docx", buf.getvalue()), 413, "document_too_large", contains="unpacks")


def test_extracted_text_over_the_limit_is_413(make_client):
    c = make_client(max_text_chars=50)
    assert_error(upload(c, "long.pdf", make_pdf([SAMPLE, SAMPLE])), 413, "document_too_large")
    assert_error(upload(c, "long.txt", (SAMPLE * 2).encode()), 413, "document_too_large")


def test_bad_document_date_on_a_file(client):
    r = upload(client, "a.txt", SAMPLE.encode(), document_date="2025-13-45")
    assert_error(r, 422, "invalid_input", contains="YYYY-MM-DD")


def test_file_endpoint_wants_multipart(client):
    assert_error(client.post("/v1/extract/file", json={"text": SAMPLE}), 415, "unsupported_media_type",
                 contains="multipart/form-data")


def test_missing_file_field(client):
    r = client.post("/v1/extract/file", files={"other": ("a.txt", b"x", "text/plain")})
    assert_error(r, 422, "validation_error", contains="file")
