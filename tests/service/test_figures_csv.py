"""`?format=csv`: the figures of an answer as a spreadsheet, the same figures as its JSON."""

from __future__ import annotations

import csv
import io

from service_helpers import SAMPLE, SAMPLE_OWNER, assert_error

from solieu.figures import COLUMNS


def _csv_rows(response) -> list[dict]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="figures.csv"'
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # so that spreadsheet programs read it as UTF-8
    reader = csv.DictReader(io.StringIO(text[1:], newline=""))
    assert tuple(reader.fieldnames) == COLUMNS
    return list(reader)


def _figures(body: dict) -> list[tuple]:
    return [(doc["id"], e["id"], e["text"], str(e["start"]), str(e["end"]))
            for doc in body["documents"]
            for e in sorted(doc["entities"], key=lambda e: e["start"]) if e["label"] in ("MONEY", "PERCENT")]


def test_a_batch_answers_one_row_per_figure_in_document_order(client):
    payload = {"documents": [{"id": "a", "text": SAMPLE}, {"id": "b", "text": SAMPLE_OWNER}]}
    as_json = client.post("/v1/extract", json=payload)
    rows = _csv_rows(client.post("/v1/extract", params={"format": "csv"}, json=payload))
    expected = _figures(as_json.json())
    assert len(expected) >= 3 and {doc for doc, *_ in expected} == {"a", "b"}
    assert [(r["document"], r["figure_id"], r["figure"], r["start"], r["end"]) for r in rows] == expected
    money = next(r for r in rows if r["figure"] == "17.271 triệu đồng")
    assert money["label"] == "MONEY" and money["value"] == "17271000000" and money["currency"] == "VND"


def test_format_json_is_the_default_and_can_be_asked_for(client):
    asked = client.post("/v1/extract", params={"format": "json"}, json={"text": SAMPLE})
    default = client.post("/v1/extract", json={"text": SAMPLE})
    assert asked.headers["content-type"] == default.headers["content-type"] == "application/json"
    assert asked.json()["documents"] == default.json()["documents"]


def test_a_file_answers_csv_too(client):
    r = client.post("/v1/extract/file", params={"format": "csv"},
                    files={"file": ("bao-cao.txt", SAMPLE.encode("utf-8"), "text/plain")})
    rows = _csv_rows(r)
    assert {row["document"] for row in rows} == {"bao-cao.txt"} and "17.271 triệu đồng" in {r["figure"] for r in rows}


def test_an_unknown_format_is_refused_by_name(client):
    error = assert_error(client.post("/v1/extract", params={"format": "xlsx"}, json={"text": SAMPLE}), 422)
    assert error["message"].startswith("format:") and "'json' or 'csv'" in error["message"]


def test_errors_stay_json_when_csv_is_asked_for(client):
    r = client.post("/v1/extract", params={"format": "csv"}, json={"text": "   "})
    assert r.headers["content-type"] == "application/json"
    assert_error(r, 422, contains="empty")
