"""What untrusted callers send to /v1/extract: each named case gets a 4xx in
the one error shape, with a message that says what to fix; none gets a 5xx."""

from __future__ import annotations

import json

import pytest
from service_helpers import SAMPLE, assert_error

J = {"Content-Type": "application/json"}

# name: (body bytes, headers, status, code, words the message must hold)
CASES = {
    "empty-body": (b"", J, 422, "empty_body", "no body"),
    "empty-text": (json.dumps({"text": ""}).encode(), J, 422, "empty_text", "empty"),
    "whitespace-text": (json.dumps({"text": " \n\t\u3000 "}).encode(), J, 422, "empty_text", "whitespace"),
    "missing-text": (json.dumps({"id": "x"}).encode(), J, 422, "validation_error", "text"),
    "text-not-a-string": (json.dumps({"text": 42}).encode(), J, 422, "validation_error", "text"),
    "unknown-field": (json.dumps({"text": SAMPLE, "lang": "vi"}).encode(), J, 422, "validation_error", "lang"),
    "json-array": (b"[1, 2]", J, 422, "validation_error", "body"),
    "json-string": (b'"just text"', J, 422, "validation_error", "body"),
    "malformed-json": (b'{"text": "abc"', J, 422, "invalid_json", "not valid json"),
    "trailing-comma": (b'{"text": "abc",}', J, 422, "invalid_json", "not valid json"),
    "invalid-utf8": (b'{"text": "\xff\xfe bad"}', J, 422, "invalid_json", "not utf-8"),
    "binary": (bytes(range(256)) * 8, J, 422, "invalid_json", "not valid json"),
    "nul-char": (json.dumps({"text": "Thu 5 tỷ đồng\u0000 tiếp"}).encode(), J, 422, "invalid_input", "U+0000"),
    "control-chars": (json.dumps({"text": "abc\u001b[31m đỏ"}).encode(), J, 422, "invalid_input", "control"),
    "c1-control": (json.dumps({"text": "Thu \u0085\u0096 được"}).encode(), J, 422, "invalid_input", "control"),
    "lone-surrogate": (b'{"text": "abc \\ud800 def"}', J, 422, "invalid_input", "surrogate"),
    "surrogate-in-id": (b'{"id": "\\udfff", "text": "abc"}', J, 422, "invalid_input", "id"),
    "control-in-id": (json.dumps({"id": "a\u0007b", "text": "abc"}).encode(), J, 422, "invalid_input", "id"),
    "empty-id": (json.dumps({"id": "  ", "text": "abc"}).encode(), J, 422, "invalid_input", "id"),
    "bad-date-format": (json.dumps({"text": SAMPLE, "document_date": "14/05/2025"}).encode(), J, 422,
                        "validation_error", "YYYY-MM-DD"),
    "impossible-date": (json.dumps({"text": SAMPLE, "document_date": "2025-02-30"}).encode(), J, 422,
                        "validation_error", "calendar day"),
    "non-ascii-digits-date": (json.dumps({"text": SAMPLE, "document_date": "２０２５-０１-０１"}).encode(), J, 422,
                              None, "YYYY-MM-DD"),
    "empty-batch": (json.dumps({"documents": []}).encode(), J, 422, "validation_error", "documents"),
    "batch-not-a-list": (json.dumps({"documents": "abc"}).encode(), J, 422, "validation_error", "documents"),
    "empty-text-in-batch": (json.dumps({"documents": [{"text": SAMPLE}, {"text": ""}]}).encode(), J, 422,
                            "empty_text", "documents[1].text"),
    "wrong-content-type": (json.dumps({"text": SAMPLE}).encode(), {"Content-Type": "text/plain"}, 415,
                           "unsupported_media_type", "application/json"),
    "form-content-type": (b"text=abc", {"Content-Type": "application/x-www-form-urlencoded"}, 415,
                          "unsupported_media_type", "application/json"),
    "no-content-type": (json.dumps({"text": SAMPLE}).encode(), {}, 415, "unsupported_media_type",
                        "application/json"),
    "deeply-nested": (b'{"text": ' + b"[" * 5000 + b"]" * 5000 + b"}", J, 422, "invalid_json", "nested"),
    "deep-but-decodable": (b'{"text": ' + b"[" * 50 + b"]" * 50 + b"}", J, 422, "validation_error", "text"),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_bad_input_gets_a_useful_4xx(client, case):
    body, headers, status, code, words = CASES[case]
    r = client.post("/v1/extract", content=body, headers=headers)
    assert_error(r, status, code, contains=words)


def test_too_many_documents(make_client):
    c = make_client(max_documents=3)
    r = c.post("/v1/extract", json={"documents": [{"text": SAMPLE}] * 4})
    assert_error(r, 422, "too_many_documents", contains="over the limit of 3")
    assert c.post("/v1/extract", json={"documents": [{"text": SAMPLE}] * 3}).status_code == 200


def test_text_over_the_character_limit(make_client):
    c = make_client(max_text_chars=40)
    assert_error(c.post("/v1/extract", json={"text": SAMPLE}), 413, "document_too_large", contains="40")


def test_id_over_the_length_limit(client):
    assert_error(client.post("/v1/extract", json={"text": SAMPLE, "id": "x" * 300}), 422, "invalid_input",
                 contains="id")


def test_ten_megabyte_body_is_413_before_parsing(client):
    # Default settings: the limit is 8 MiB.
    big = json.dumps({"text": "Thu 5 tỷ đồng. " * 700_000}).encode()
    assert len(big) > 10_000_000
    assert_error(client.post("/v1/extract", content=big, headers=J), 413, "request_too_large",
                 contains="over the limit")


def test_chunked_body_over_the_limit_is_413(make_client):
    c = make_client(max_request_bytes=10_000)

    def chunks():
        yield b'{"text": "'
        for _ in range(100):
            yield b"a" * 1000
        yield b'"}'

    r = c.post("/v1/extract", content=chunks(), headers=J)
    assert "content-length" not in {k.lower() for k in r.request.headers}
    assert_error(r, 413, "request_too_large")


def test_file_over_the_request_limit_is_413(make_client):
    c = make_client(max_request_bytes=10_000)
    r = c.post("/v1/extract/file", files={"file": ("a.txt", b"a" * 20_000, "text/plain")})
    assert_error(r, 413, "request_too_large")


@pytest.mark.parametrize(("method", "path", "status", "code"), [
    ("GET", "/v1/extract", 405, "method_not_allowed"),
    ("DELETE", "/v1/labels", 405, "method_not_allowed"),
    ("GET", "/v1/nothing", 404, "not_found"),
    ("POST", "/v1/admin/reload", 404, "not_found"),
])
def test_wrong_routes_and_methods_use_the_error_shape(client, method, path, status, code):
    assert_error(client.request(method, path), status, code)


def test_emoji_and_odd_unicode_are_accepted_as_text(client):
    for text in ["👍👍👍", "Thu 5 tỷ đồng 🎉", "\u200b\u200dẩ" + SAMPLE, "𝟏𝟕 triệu đồng", "Ａ" * 20]:
        r = client.post("/v1/extract", json={"text": text})
        assert r.status_code == 200, (text, r.text)
        doc = r.json()["documents"][0]
        for ent in doc["entities"]:
            assert doc["text"][ent["start"] : ent["end"]] == ent["text"]


def test_malformed_multipart(client):
    r = client.post("/v1/extract/file", content=b"--xyz\r\n0.9--xyz--\r\n",
                    headers={"Content-Type": "multipart/form-data; boundary=xyz"})
    assert_error(r, 422, None, contains="file")
    assert r.json()["error"]["code"] in {"invalid_multipart", "validation_error"}


def test_multipart_without_boundary(client):
    r = client.post("/v1/extract/file", content=b"abc", headers={"Content-Type": "multipart/form-data"})
    assert 400 <= r.status_code < 500
    assert_error(r, r.status_code)
