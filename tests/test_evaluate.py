import json

import pytest
from typer.testing import CliRunner

from solieu.cli import app
from solieu.corpus import write_documents
from solieu.errors import InputError
from solieu.evaluate import evaluate


def _without(doc, drop_entity_ids=(), drop_relations=False):
    entities = [e for e in doc.entities if e.id not in drop_entity_ids]
    kept = {e.id for e in entities}
    relations = [] if drop_relations else [r for r in doc.relations if r.head in kept and r.tail in kept]
    return doc.model_copy(update={"entities": entities, "relations": relations})


def test_perfect_prediction_scores_one(tiny_documents):
    report = evaluate(tiny_documents, tiny_documents)
    assert report.micro.f1 == 1.0
    assert all(p.f1 == 1.0 for p in report.relations.values())
    assert report.values["MONEY"].accuracy == 1.0


def test_missing_entity_lowers_recall_and_its_relations(tiny_documents):
    doc = tiny_documents[0]
    money = next(e for e in doc.entities if e.label == "MONEY")
    report = evaluate([doc], [_without(doc, {money.id})])
    assert report.entities["MONEY"].recall < 1.0
    assert report.entities["MONEY"].precision == 1.0
    assert report.relations["AS_OF"].fn >= 1


def test_shifted_boundary_is_a_miss_and_a_false_positive(tiny_documents):
    doc = tiny_documents[0]
    ents = [e.model_copy(update={"end": e.end - 1, "text": e.text[:-1]}) if e.label == "AGENCY" else e for e in doc.entities]
    report = evaluate([doc], [doc.model_copy(update={"entities": ents})])
    agencies = sum(e.label == "AGENCY" for e in doc.entities)
    assert report.entities["AGENCY"].tp == 0
    assert report.entities["AGENCY"].fp == report.entities["AGENCY"].fn == agencies


def test_wrong_value_counts_against_accuracy(tiny_documents):
    doc = tiny_documents[0]
    ents = [e.model_copy(update={"value": e.value.model_copy(update={"value": 1.0})}) if e.label == "PERCENT" else e
            for e in doc.entities]
    report = evaluate([doc], [doc.model_copy(update={"entities": ents})])
    assert report.values["PERCENT"].accuracy < 1.0
    assert report.entities["PERCENT"].f1 == 1.0


def test_missing_prediction_is_an_error(tiny_documents):
    with pytest.raises(InputError, match="no prediction"):
        evaluate(tiny_documents, tiny_documents[:1])


def test_cli_json_output(tmp_path, tiny_documents):
    gold, pred = tmp_path / "g.jsonl", tmp_path / "p.jsonl"
    write_documents(tiny_documents, gold)
    write_documents([_without(d, drop_relations=True) for d in tiny_documents], pred)
    result = CliRunner().invoke(app, ["evaluate", str(gold), str(pred), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert scores["entities_micro"]["f1"] == 1.0
    assert scores["relations"]["AS_OF"]["recall"] == 0.0
