"""The issue's end-to-end path: export tasks with predictions → corrections
in Label Studio's export format → import → retrain on a tiny config →
comparison printed → promote → service reload → GET /v1/model reports the
new version. Trains two tiny models (about a minute on a CPU)."""

import json

import pytest
from fastapi.testclient import TestClient
from ls_helpers import EXTRA_SENTENCES, simulate_export
from solieu.service.app import create_app
from solieu.service.settings import Settings
from solieu.training.retrain import merge_corpora, retrain
from solieu.training.train import train

from solieu.corpus import read_documents, write_documents
from solieu.labelstudio.importer import import_export_file
from solieu.labelstudio.tasks import build_tasks, region_results
from solieu.model_store import read_pointer, resolve_model_path, write_pointer
from solieu.pipeline import load_pipeline
from solieu.schema import DocumentInput
from tests.conftest import _SENTENCES, REPO, make_document
from tests.test_training import TINY

pytestmark = pytest.mark.slow
CONFIG = REPO / "training" / "default.cfg"


def test_merge_dedupes_by_id_and_segment_and_keeps_held_out_out(gold_docs):
    base = gold_docs[:2]
    # A new annotation of base document tiny-0 (same id), one of a single sentence that tiny-1 also holds,
    # and an older and a newer annotation of the same new document.
    sentence_doc = make_document("new-sentence", [_SENTENCES[2]])
    old_new = make_document("extra", [EXTRA_SENTENCES[0]])
    newer = make_document("extra", [EXTRA_SENTENCES[0], EXTRA_SENTENCES[1]])
    held_out = [make_document("held", [EXTRA_SENTENCES[3]])]
    relabelled = base[0].model_copy(update={"relations": []})
    merged, report = merge_corpora(base, [relabelled, sentence_doc, old_new, newer], held_out=held_out)
    ids = [d.id for d in merged]
    assert report.replaced_by_id == ["tiny-0"]
    assert ids.count("extra") == 1 and next(d for d in merged if d.id == "extra").text == newer.text
    # Sentence 2 is in relabelled tiny-0, in the one-sentence annotation and in base tiny-1: only the
    # newest claim (relabelled tiny-0 … no: the latest new document comes first) keeps it, older ones are cut.
    texts = [" ".join(d.text.split()) for d in merged]
    assert sum(_SENTENCES[2][0] in t for t in texts) == 1
    assert set(report.cut_into_segments) >= {"tiny-1"}
    assert report.segments_replaced >= 1
    assert all(EXTRA_SENTENCES[3][0] not in t for t in texts)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("e2e")
    base_train = [make_document(f"base-{i}", _SENTENCES[i:] + _SENTENCES[:i]) for i in range(2)]
    dev = [make_document("dev-0", [EXTRA_SENTENCES[0], EXTRA_SENTENCES[1]])]
    test = [make_document("test-0", [EXTRA_SENTENCES[2], EXTRA_SENTENCES[3]])]
    corpus = tmp / "corpus"
    corpus.mkdir()
    write_documents(base_train + dev + test, corpus / "base.jsonl")
    (tmp / "splits.json").write_text(json.dumps({"train": ["base-0", "base-1"], "dev": ["dev-0"], "test": ["test-0"]}))
    # The served model before: barely trained (a few steps on one document).
    write_documents(base_train[:1], tmp / "old_train.jsonl")
    models = tmp / "models"
    old = train(CONFIG, train_paths=str(tmp / "old_train.jsonl"), dev_paths=str(tmp / "old_train.jsonl"),
                output=models / "solieu_vi-0.1.0", name="solieu_vi", version="0.1.0",
                overrides={**TINY, "training.max_steps": 2, "training.eval_frequency": 1})
    write_pointer(models, old.output, meta=old.meta)
    return tmp, models


def test_export_correct_import_retrain_promote_reload(workspace, gold_docs):
    tmp, models = workspace
    token = "e2e-secret"
    app = create_app(Settings(model_path=models, admin_token=token),
                     pipeline_loader=lambda path: load_pipeline(resolve_model_path(path)))
    with TestClient(app) as client:
        assert client.get("/v1/model").json()["version"] == "0.1.0"

        # 1. Reports → tasks with the served model's predictions, through the ML backend's model.
        reports = [make_document(f"report-{i}", _SENTENCES[i:] + _SENTENCES[:i]) for i in range(2, 4)]
        served = load_pipeline(resolve_model_path(models))
        tasks = build_tasks([DocumentInput(id=d.id, text=d.text) for d in reports],
                            extract_many=served.extract_many, model_version="solieu_vi-0.1.0")
        assert all(t["predictions"][0]["model_version"] == "solieu_vi-0.1.0" for t in tasks)

        # 2. Annotators correct the predictions into the gold annotation; Label Studio exports.
        gold_by_id = {d.id: d for d in reports}
        export = simulate_export(tasks, annotate=lambda task: region_results(gold_by_id[task["data"]["doc_id"]]))
        (tmp / "export.json").write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")

        # 3. Import.
        imported = import_export_file(tmp / "export.json")
        write_documents(imported.documents, tmp / "new.jsonl")
        assert [d.id for d in read_documents(tmp / "new.jsonl")] == ["report-2", "report-3"]

        # 4. Retrain, compare, promote, reload.
        lines: list[str] = []

        def reload():
            answer = client.post("/v1/admin/reload", headers={"Authorization": f"Bearer {token}"})
            assert answer.status_code == 200, answer.text
            return answer.json()

        result = retrain(config=CONFIG, new=[tmp / "new.jsonl"], base=[tmp / "corpus"], splits=tmp / "splits.json",
                         models_dir=models, overrides=TINY, reload=reload, echo=lines.append)
        printed = "\n".join(lines)
        assert "old F1" in printed and "new F1" in printed
        for label in ("MONEY", "PERCENT", "DATE", "AGENCY", "PROJECT", "micro", "BELONGS_TO", "AS_OF"):
            assert any(line.startswith(label) for line in printed.splitlines()), label
        # All the tiny documents are the same four sentences in turn: the newest annotation (report-3)
        # keeps them whole, every older copy is cut into segments that are all superseded.
        merge = result.merge
        assert (merge.documents_out, merge.segments_replaced, merge.segments_held_out) == (1, 12, 0)
        assert merge.cut_into_segments == ["report-2", "base-0", "base-1"]
        assert result.model_dir == models / "solieu_vi-0.1.1"
        assert result.new_score >= result.old_score and result.promoted and not result.forced
        assert read_pointer(models)["path"] == "solieu_vi-0.1.1"
        assert read_pointer(models)["previous"] == "solieu_vi-0.1.0"
        assert result.reloaded["previous"]["version"] == "0.1.0"

        # 5. The service now serves the new model.
        model = client.get("/v1/model").json()
        assert (model["name"], model["version"]) == ("solieu_vi", "0.1.1")
        answer = client.post("/setup", json={}).json()
        assert answer == {"model_version": "solieu_vi-0.1.1"}


def test_a_worse_model_is_not_promoted_unless_forced(workspace):
    tmp, models = workspace
    before = read_pointer(models)
    if before["path"] != "solieu_vi-0.1.1":
        pytest.skip("needs the model the end-to-end test promoted")
    write_documents([make_document("tiny-new", [_SENTENCES[0]])], tmp / "worse.jsonl")
    write_documents(read_documents(tmp / "corpus" / "base.jsonl")[2:3], tmp / "dev.jsonl")
    write_documents(read_documents(tmp / "corpus" / "base.jsonl")[3:4], tmp / "test.jsonl")
    barely = {**TINY, "training.max_steps": 2, "training.eval_frequency": 1}
    common = dict(config=CONFIG, new=[tmp / "worse.jsonl"], dev=[tmp / "dev.jsonl"], held_out=[tmp / "test.jsonl"],
                  models_dir=models, overrides=barely)
    lines: list[str] = []
    result = retrain(**common, version="0.2.0", echo=lines.append)
    assert result.new_score < result.old_score and not result.promoted
    assert read_pointer(models) == before
    assert any(line.startswith("not promoted") for line in lines)
    forced = retrain(**common, version="0.2.1", force=True, echo=lines.append)
    assert forced.promoted and forced.forced
    assert read_pointer(models)["path"] == "solieu_vi-0.2.1"
    assert any("forced although worse" in line for line in lines)


def test_retrain_with_a_relations_config_assembles_the_shipped_recipe(workspace):
    import spacy

    tmp, models = workspace
    base = read_documents(tmp / "corpus" / "base.jsonl")
    write_documents([make_document("tiny-rel", [_SENTENCES[1], _SENTENCES[3]])], tmp / "rel-new.jsonl")
    write_documents(base[2:3], tmp / "rel-dev.jsonl")
    write_documents(base[3:4], tmp / "rel-test.jsonl")
    lines: list[str] = []
    result = retrain(config=CONFIG, new=[tmp / "rel-new.jsonl"], dev=[tmp / "rel-dev.jsonl"],
                     held_out=[tmp / "rel-test.jsonl"], models_dir=models, overrides=TINY, version="0.3.0",
                     relations_config=REPO / "training" / "relations.cfg",
                     relation_overrides={"training.max_steps": 100, "training.eval_frequency": 50},
                     promote=False, echo=lines.append)
    assert any("relation scorer (relations.cfg)" in line for line in lines)
    nlp = spacy.load(result.model_dir)
    assert "ner" in nlp.pipe_names
    assert nlp.get_pipe_config("solieu_relations")["model"]["@architectures"] == "solieu.RelationModel.v2"
    info = result.meta["solieu"]
    assert info["assembled_from"]["relations"]["config"] == "relations.cfg"
    assert info["tested_on"] == [base[3].id] and "test_scores" in info
    assert not result.promoted and result.model_dir.name == "solieu_vi-0.3.0"
