"""The same file gives the same text, entities and offsets from the CLI, the service and batch."""

from __future__ import annotations

import json

import pytest
from service_helpers import make_docx, make_pdf
from typer.testing import CliRunner

from solieu.batch.sources import enumerate_source, load_item
from solieu.cli import app as cli
from solieu.extractors import rules_pipeline

PARAGRAPHS = ["Báo cáo tháng 5/2024", "Tính đến ngày 14/05/2024, Sở Tài chính thu được 17.271 triệu đồng, đạt 55,3%."]
TABLE = [["Dự án", "Vốn"], ["Đường tỉnh ĐT.176", "120 tỷ đồng"]]


def _key(doc: dict) -> tuple:
    return doc["text"], tuple((e["start"], e["end"], e["label"], e["text"]) for e in doc["entities"])


@pytest.fixture(params=["docx", "pdf"])
def report(request, tmp_path):
    if request.param == "docx":
        pytest.importorskip("docx")
        path = tmp_path / "report.docx"
        path.write_bytes(make_docx(PARAGRAPHS, TABLE))
    else:
        pytest.importorskip("pypdf")
        path = tmp_path / "report.pdf"
        path.write_bytes(make_pdf(PARAGRAPHS + [" ".join(row) for row in TABLE]))
    return path


def test_a_file_reads_the_same_everywhere(report, tmp_path, make_client):
    out = tmp_path / "cli.jsonl"
    result = CliRunner().invoke(cli, ["extract", str(report), "--extractor", "rules", "-o", str(out)])
    assert result.exit_code == 0, result.output
    from_cli = json.loads(out.read_text(encoding="utf-8").splitlines()[0])

    client = make_client(rules_pipeline())
    with report.open("rb") as fh:
        r = client.post("/v1/extract/file", files={"file": (report.name, fh, "application/octet-stream")})
    assert r.status_code == 200, r.text
    from_service = r.json()["documents"][0]

    batch_text = load_item(enumerate_source(str(report)).items[0]).text
    from_batch = rules_pipeline().extract(batch_text).model_dump(exclude_none=True)

    assert _key(from_cli) == _key(from_service) == _key(from_batch)
    assert "17.271 triệu đồng" in {e["text"] for e in from_cli["entities"]}
    assert "120 tỷ đồng" in from_cli["text"]
