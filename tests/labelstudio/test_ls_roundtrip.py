"""Export → (simulated) Label Studio export → import, and every way an export can be broken."""

import json

import pytest
from ls_helpers import GoldPipeline, entity_keys, relation_keys, simulate_export

from solieu.labelstudio.importer import LabelStudioImportError, import_export_file, import_tasks
from solieu.labelstudio.tasks import build_tasks
from solieu.schema import DocumentInput


def _inputs(docs):
    return [DocumentInput(id=d.id, text=d.text) for d in docs]


def _tasks(docs, **kw):
    return build_tasks(_inputs(docs), extract_many=GoldPipeline(docs).extract_many, model_version="fake-1", **kw)


def test_tasks_carry_predictions_with_scores_relations_and_version(gold_docs):
    doc = gold_docs[0]
    doc.relations[0].score = 0.61
    task = _tasks([doc])[0]
    assert task["data"] == {"text": doc.text, "doc_id": doc.id}
    pred = task["predictions"][0]
    assert pred["model_version"] == "fake-1" and pred["score"] == 0.61
    regions = [r for r in pred["result"] if r["type"] == "labels"]
    relations = [r for r in pred["result"] if r["type"] == "relation"]
    assert len(regions) == len(doc.entities) and len(relations) == len(doc.relations)
    for region in regions:
        value = region["value"]
        assert doc.text[value["start"]:value["end"]] == value["text"]
        assert region["from_name"] == "label" and region["to_name"] == "text" and len(value["labels"]) == 1
    ids = {r["id"] for r in regions}
    assert all(r["from_id"] in ids and r["to_id"] in ids and r["direction"] == "right" for r in relations)
    assert relations[0]["score"] == 0.61


def test_roundtrip_gives_back_the_documents(gold_docs, tmp_path):
    export = simulate_export(_tasks(gold_docs))
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    report = import_export_file(path)
    assert [d.id for d in report.documents] == [d.id for d in gold_docs]
    for got, want in zip(report.documents, gold_docs, strict=True):
        assert got.text == want.text
        assert entity_keys(got) == entity_keys(want)
        assert relation_keys(got) == relation_keys(want)
        assert [e.value for e in got.entities] == [e.value for e in want.entities]
        assert got.meta["source"] == "labelstudio"


def test_segment_tasks_roundtrip(gold_docs):
    doc = gold_docs[0]
    tasks = _tasks([doc], segments=True)
    assert len(tasks) == 4
    docs = import_tasks(simulate_export(tasks)).documents
    assert sum(len(d.entities) for d in docs) == len(doc.entities)
    assert sum(len(d.relations) for d in docs) == len(doc.relations)
    for d, task in zip(docs, tasks, strict=True):
        offset = task["data"]["source_offset"]
        assert d.id == f"{doc.id}@{offset}" and d.meta["source_id"] == doc.id
        for e in d.entities:
            assert doc.text[offset + e.start:offset + e.end] == e.text


def test_offsets_are_utf16_around_astral_characters():
    text = "🙂 Sở Tài chính đã giải ngân 12.500 triệu đồng trong năm 2024."
    tasks = build_tasks([DocumentInput(id="emoji", text=text)],
                        extract_many=lambda inputs: iter(__import__("solieu.rules", fromlist=["extract"]).extract(i.text, doc_id=i.id) for i in inputs),
                        model_version="rules")
    region = next(r for r in tasks[0]["predictions"][0]["result"] if r["type"] == "labels")
    # JavaScript counts the emoji as two code units.
    assert region["value"]["start"] == text.index(region["value"]["text"]) + 1
    doc = import_tasks(simulate_export(tasks)).documents[0]
    assert all(text[e.start:e.end] == e.text for e in doc.entities) and doc.entities


def test_latest_non_cancelled_annotation_wins_and_unannotated_are_listed(gold_docs):
    tasks = simulate_export(_tasks(gold_docs[:2]))
    first = tasks[0]["annotations"][0]
    newer = json.loads(json.dumps(first))
    newer.update(id=2001, updated_at="2025-06-02T09:00:00Z",
                 result=[r for r in first["result"] if r["type"] == "labels" and r["value"]["labels"] != ["AGENCY"]])
    cancelled = dict(newer, id=2002, updated_at="2025-06-03T09:00:00Z", was_cancelled=True, result=[])
    tasks[0]["annotations"] = [first, cancelled, newer]
    tasks[1]["annotations"] = [dict(tasks[1]["annotations"][0], was_cancelled=True)]
    tasks.append({"id": 99, "data": {"text": "Chưa ai gán nhãn.", "doc_id": "x"}, "annotations": []})
    report = import_tasks(tasks)
    assert [d.id for d in report.documents] == [gold_docs[0].id]
    assert not any(e.label == "AGENCY" for e in report.documents[0].entities)
    assert report.documents[0].relations == []
    assert report.documents[0].meta["annotation_id"] == 2001
    assert report.unannotated == [2, 99]


def _broken(gold_docs, mutate):
    tasks = simulate_export(_tasks(gold_docs[:3]), start_id=41)
    mutate(tasks[1]["annotations"][0]["result"])
    with pytest.raises(LabelStudioImportError) as info:
        import_tasks(tasks)
    assert info.value.task_ids == [42]
    assert "task 42" in str(info.value)
    return str(info.value)


def test_text_mismatch_names_the_task(gold_docs):
    def mutate(result):
        result[0]["value"]["text"] = "something else"

    assert "differs from" in _broken(gold_docs, mutate)


def test_out_of_range_span_names_the_task(gold_docs):
    def mutate(result):
        result[0]["value"].update(start=10_000, end=10_005)
        result[0]["value"].pop("text")

    assert "out of range" in _broken(gold_docs, mutate)


def test_relation_to_missing_region_names_the_task(gold_docs):
    def mutate(result):
        next(r for r in result if r["type"] == "relation")["to_id"] = "gone"

    assert "no region with id 'gone'" in _broken(gold_docs, mutate)


def test_unknown_label_and_overlap_name_the_task(gold_docs):
    def unknown(result):
        result[0]["value"]["labels"] = ["PERSON"]

    assert "PERSON" in _broken(gold_docs, unknown)

    def overlap(result):
        region = json.loads(json.dumps(result[0]))
        region["id"] = "dup"
        region["value"]["labels"] = ["AGENCY"]
        result.append(region)

    assert "overlaps" in _broken(gold_docs, overlap)


def test_every_broken_task_is_named_and_nothing_is_imported(gold_docs):
    tasks = simulate_export(_tasks(gold_docs))
    for task in tasks[1:3]:
        task["annotations"][0]["result"][0]["value"]["text"] = "x"
    with pytest.raises(LabelStudioImportError) as info:
        import_tasks(tasks)
    assert info.value.task_ids == [2, 3]


def test_annotator_habits_are_read_and_counted():
    text = "Sở Tài chính đã giải ngân 12.500 triệu đồng trong năm 2024."
    money = text.index("12.500")
    date = text.index("năm 2024")
    result = [
        # a selection that took in the space after the figure
        {"id": "m", "from_name": "label", "to_name": "text", "type": "labels",
         "value": {"start": money, "end": money + len("12.500 triệu đồng "), "text": "12.500 triệu đồng ", "labels": ["MONEY"]}},
        {"id": "d", "from_name": "label", "to_name": "text", "type": "labels",
         "value": {"start": date, "end": date + 8, "text": "năm 2024", "labels": ["DATE"]}},
        # drawn from the date to the figure, without a label
        {"type": "relation", "from_id": "d", "to_id": "m", "direction": "right", "labels": []},
    ]
    report = import_tasks([{"id": 7, "data": {"text": text}, "annotations": [{"id": 1, "result": result}]}])
    doc = report.documents[0]
    assert doc.id == "labelstudio-task-7"
    assert [e.text for e in doc.entities] == ["12.500 triệu đồng", "năm 2024"]
    assert [(r.head, r.tail, r.label) for r in doc.relations] == [("e1", "e2", "AS_OF")]
    assert (report.trimmed, report.inferred_relation_labels, report.reversed_relations) == (1, 1, 1)


def test_cli_export_and_import(gold_docs, tmp_path):
    from typer.testing import CliRunner

    from solieu.cli_commands.labelstudio import labelstudio_app
    from solieu.corpus import read_documents

    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "a.txt").write_text(gold_docs[0].text, encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(labelstudio_app, ["export", str(reports), "-o", str(tmp_path / "tasks.json"),
                                             "--extractor", "rules", "--segments"])
    assert result.exit_code == 0, result.output
    tasks = json.loads((tmp_path / "tasks.json").read_text(encoding="utf-8"))
    assert len(tasks) == 4 and tasks[0]["predictions"][0]["model_version"].startswith("solieu_rules-")
    (tmp_path / "export.json").write_text(json.dumps(simulate_export(tasks)), encoding="utf-8")
    result = runner.invoke(labelstudio_app, ["import", str(tmp_path / "export.json"), "-o", str(tmp_path / "out.jsonl")])
    assert result.exit_code == 0, result.output
    assert len(read_documents(tmp_path / "out.jsonl")) == 4

    bad = simulate_export(tasks)
    bad[2]["annotations"][0]["result"][0]["value"]["start"] = 9999
    (tmp_path / "bad.json").write_text(json.dumps(bad), encoding="utf-8")
    result = runner.invoke(labelstudio_app, ["import", str(tmp_path / "bad.json"), "-o", str(tmp_path / "bad.jsonl")])
    assert result.exit_code == 1 and "task 3" in result.output
    assert not (tmp_path / "bad.jsonl").exists()
