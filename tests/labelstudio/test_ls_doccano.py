import json

import pytest
from ls_helpers import entity_keys, relation_keys

from solieu.corpus import read_documents, write_documents
from solieu.doccano import export_documents, import_file
from solieu.errors import CorpusError


def test_doccano_roundtrip(gold_docs, tmp_path):
    path = tmp_path / "doccano.jsonl"
    assert export_documents(gold_docs, path) == len(gold_docs)
    first = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    assert set(first) == {"doc_id", "text", "entities", "relations"}
    assert set(first["entities"][0]) == {"id", "label", "start_offset", "end_offset"}
    assert set(first["relations"][0]) == {"id", "from_id", "to_id", "type"}
    docs = import_file(path).documents
    for got, want in zip(docs, gold_docs, strict=True):
        assert got.id == want.id and got.text == want.text
        assert entity_keys(got) == entity_keys(want) and relation_keys(got) == relation_keys(want)


def test_doccano_sequence_labelling_format(tmp_path):
    text = "Sở Tài chính giải ngân 12.500 triệu đồng."
    path = tmp_path / "seq.jsonl"
    path.write_text(json.dumps({"id": 5, "text": text, "label": [[0, 12, "AGENCY"], [23, 40, "MONEY"]]},
                               ensure_ascii=False) + "\n", encoding="utf-8")
    doc = import_file(path).documents[0]
    assert doc.id == "5" and [e.text for e in doc.entities] == ["Sở Tài chính", "12.500 triệu đồng"]
    assert doc.entities[1].value.amount == 12_500_000_000


def test_doccano_problems_name_the_line_and_import_nothing(gold_docs, tmp_path):
    path = tmp_path / "doccano.jsonl"
    export_documents(gold_docs, path)
    lines = path.read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[1])
    record["relations"][0]["to_id"] = 999
    lines[1] = json.dumps(record, ensure_ascii=False)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"doccano.jsonl:2: relation 1: no entity with id 999"):
        import_file(path)


def test_doccano_cli(gold_docs, tmp_path):
    from typer.testing import CliRunner

    from solieu.cli_commands.labelstudio import labelstudio_app

    gold = tmp_path / "gold.jsonl"
    write_documents(gold_docs, gold)
    runner = CliRunner()
    assert runner.invoke(labelstudio_app, ["doccano-export", str(gold), "-o", str(tmp_path / "d.jsonl")]).exit_code == 0
    result = runner.invoke(labelstudio_app, ["doccano-import", str(tmp_path / "d.jsonl"), "-o", str(tmp_path / "back.jsonl")])
    assert result.exit_code == 0, result.output
    assert [d.id for d in read_documents(tmp_path / "back.jsonl")] == [d.id for d in gold_docs]
