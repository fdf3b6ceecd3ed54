"""Train a tiny pipeline end to end through the real config and code path."""

import json

import pytest
import spacy
from solieu.training.train import train

from solieu.corpus import write_documents
from solieu.evaluate import evaluate
from solieu.pipeline import load_pipeline
from tests.conftest import REPO

TINY = {
    "components.tok2vec.model.embed.width": 32,
    "components.tok2vec.model.encode.width": 32,
    "components.tok2vec.model.encode.depth": 2,
    "components.solieu_relations.model.hidden_width": 16,
    "training.max_steps": 160,
    "training.eval_frequency": 40,
    "training.dropout": 0.0,
    "training.batcher.size.start": 400,
    "training.batcher.size.stop": 400,
}


@pytest.fixture(scope="module")
def trained(tmp_path_factory, request):
    from tests.conftest import _SENTENCES, make_document

    tmp = tmp_path_factory.mktemp("train")
    docs = [make_document(f"tiny-{i}", _SENTENCES[i:] + _SENTENCES[:i]) for i in range(len(_SENTENCES))]
    corpus = tmp / "tiny.jsonl"
    write_documents(docs, corpus)
    test = tmp / "test.jsonl"
    write_documents(docs[:1], test)
    result = train(REPO / "training" / "default.cfg", train_paths=str(corpus), dev_paths=str(corpus),
                   test_paths=str(test), output=tmp / "model", overrides=TINY)
    return result, docs


def test_model_directory_describes_itself(trained):
    result, docs = trained
    meta = json.loads((result.output / "meta.json").read_text(encoding="utf-8"))
    assert (result.output / "config.cfg").is_file()
    info = meta["solieu"]
    assert info["entity_labels"] == ["MONEY", "PERCENT", "DATE", "AGENCY", "PROJECT"]
    assert info["trained_on"] == [d.id for d in docs]
    assert info["data_hash"].startswith("sha256:")
    assert set(info["test_scores"]["entities"]) == {"MONEY", "PERCENT", "DATE", "AGENCY", "PROJECT"}
    assert "spacy" in info["versions"]
    assert info["scored_on"] == "end to end"


def test_tiny_model_learns_its_training_data(trained):
    result, docs = trained
    pipeline = load_pipeline(result.output)
    predicted = [pipeline.extract(d.text, doc_id=d.id) for d in docs]
    report = evaluate(docs, predicted)
    assert report.micro.f1 > 0.8
    assert report.relations["AS_OF"].f1 > 0.5


def test_save_load_gives_same_predictions(trained, tmp_path):
    result, docs = trained
    first = load_pipeline(result.output)
    first.nlp.to_disk(tmp_path / "copy")
    (tmp_path / "copy" / "meta.json").write_text((result.output / "meta.json").read_text(encoding="utf-8"))
    second = load_pipeline(tmp_path / "copy")
    for d in docs:
        assert first.extract(d.text, doc_id=d.id) == second.extract(d.text, doc_id=d.id)


def test_plain_spacy_load_opens_the_model(trained):
    result, _ = trained
    nlp = spacy.load(result.output)
    assert "solieu_relations" in nlp.pipe_names and "ner" in nlp.pipe_names


@pytest.mark.parametrize("layout", ["pdf", "markdown"])
def test_extracted_offsets_point_into_the_input(trained, layout):
    result, _ = trained
    pipeline = load_pipeline(result.output)
    body = ["Tính đến ngày 15/06/2024, Sở Tài chính đã giải ngân 12.500 triệu", "đồng, đạt 45,2% kế hoạch.",
            "Dự án Đường vành đai phía Bắc được bố trí 30 tỷ đồng trong năm 2024.", "Hết."]
    if layout == "pdf":
        text = " " + " \n\n".join(body) + " \n\n"
    else:
        text = "## Báo cáo\n\n**" + body[0] + "** " + body[1] + "<sup>1</sup>\n\n" + " ".join(body[2:]) + "\n"
    doc = pipeline.extract(text, doc_id=layout)
    assert doc.entities
    for entity in doc.entities:
        assert text[entity.start : entity.end] == entity.text
    assert doc.text == text


def test_test_corpus_may_not_be_trained_on(tmp_path, tiny_corpus):
    from solieu.errors import ConfigError

    with pytest.raises(ConfigError, match="test corpus"):
        train(REPO / "training" / "default.cfg", train_paths=str(tiny_corpus), dev_paths=str(tiny_corpus),
              test_paths=str(tiny_corpus), output=tmp_path / "m")


def test_bad_config_fails_before_training(tmp_path, tiny_corpus):
    from solieu.errors import ConfigError

    bad = tmp_path / "bad.cfg"
    bad.write_text("[nlp\nlang = vi", encoding="utf-8")
    with pytest.raises(ConfigError):
        train(bad, train_paths=str(tiny_corpus), dev_paths=str(tiny_corpus), output=tmp_path / "m")


def test_entity_scores_are_beam_probabilities_of_the_ner_spans(trained):
    result, docs = trained
    scored = load_pipeline(result.output, entity_scores=True).extract(docs[0].text, doc_id="s")
    plain = load_pipeline(result.output).extract(docs[0].text, doc_id="s")
    assert [(e.start, e.end, e.label) for e in scored.entities] == [(e.start, e.end, e.label) for e in plain.entities]
    assert all(e.score is None for e in plain.entities)
    for entity in scored.entities:
        if entity.label in {"MONEY", "PERCENT"}:
            assert entity.score is None  # the patterns own these labels
        else:
            assert entity.score is not None and 0.0 <= entity.score <= 1.0


@pytest.fixture(scope="module")
def relation_model(tmp_path_factory, trained):
    """training/relations.cfg: the relation component alone, trained and scored on gold entities."""
    _, docs = trained
    tmp = tmp_path_factory.mktemp("relations")
    corpus = tmp / "tiny.jsonl"
    write_documents(docs, corpus)
    result = train(REPO / "training" / "relations.cfg", train_paths=str(corpus), dev_paths=str(corpus),
                   output=tmp / "relations", overrides={"training.max_steps": 300, "training.eval_frequency": 100})
    return result, corpus


def test_relation_only_training_is_scored_on_gold_entities(relation_model, trained):
    result, _ = relation_model
    _, docs = trained
    pipeline = load_pipeline(result.output)
    assert not pipeline.recognises_entities
    assert result.meta["solieu"]["scored_on"] == "gold entities"
    assert pipeline.extract(docs[0].text).entities == []  # no recogniser: nothing end to end
    related = [pipeline.relate(d) for d in docs]
    assert [(e.start, e.end, e.label) for e in related[0].entities] == [(e.start, e.end, e.label) for e in docs[0].entities]
    report = evaluate(docs, related)
    assert report.relations["AS_OF"].f1 > 0.8
    assert result.meta["solieu"]["dev_scores"]["relations"]["AS_OF"]["f1"] == pytest.approx(
        report.relations["AS_OF"].f1, abs=1e-4)


def test_assemble_puts_the_relation_component_behind_the_ner(relation_model, trained, tmp_path):
    from solieu.training.assemble import assemble

    rel_result, corpus = relation_model
    ner_result, docs = trained
    meta = assemble(ner_result.output, rel_result.output, output=tmp_path / "assembled", dev_paths=str(corpus))
    nlp = spacy.load(tmp_path / "assembled")
    assert nlp.pipe_names[-1] == "solieu_relations" and "ner" in nlp.pipe_names
    assert nlp.get_pipe_config("solieu_relations")["model"]["@architectures"] == "solieu.RelationModel.v2"
    assert set(meta["solieu"]["relation_thresholds"]["chosen"]) == {"BELONGS_TO", "AS_OF"}
    pipeline = load_pipeline(tmp_path / "assembled")
    assert pipeline.recognises_entities
    report = evaluate(docs, [pipeline.extract(d.text, doc_id=d.id) for d in docs])
    assert report.relations["AS_OF"].f1 > 0.5


def test_relation_scorer_with_projected_vectors_trains_through_its_tok2vec(trained, tmp_path):
    """RelationModel.v2 given a tok2vec (the path for a pretrained encoder): vectors projected, then pooled."""
    _, docs = trained
    corpus = tmp_path / "tiny.jsonl"
    write_documents(docs, corpus)
    overrides = {
        "components.solieu_relations.model.@architectures": "solieu.RelationModel.v2",
        "components.solieu_relations.model.projection_width": 4,
        "components.tok2vec.model.embed.width": 16, "components.tok2vec.model.encode.width": 16,
        "components.tok2vec.model.encode.depth": 1, "training.max_steps": 120, "training.eval_frequency": 60,
    }
    result = train(REPO / "training" / "ablation_rel_vectors.cfg", train_paths=str(corpus), dev_paths=str(corpus),
                   output=tmp_path / "model", overrides=overrides)
    nlp = spacy.load(result.output)
    model = nlp.get_pipe("solieu_relations").model
    assert model.get_ref("tok2vec") is not None
    from solieu.models.architectures import N_POSITION_FEATURES, N_STRUCTURE_FEATURES

    # five pooled parts of 4-dimensional projected vectors, then the pair features
    assert model.layers[0].get_dim("nO") == 5 * 4 + N_POSITION_FEATURES + N_STRUCTURE_FEATURES
    related = [load_pipeline(result.output).relate(d) for d in docs]
    assert evaluate(docs, related).relations["AS_OF"].f1 > 0.5


def test_an_assembled_model_can_be_the_relation_source_of_another(relation_model, trained, tmp_path):
    from solieu.training.assemble import assemble

    rel_result, corpus = relation_model
    ner_result, _ = trained
    first = tmp_path / "first"
    assemble(ner_result.output, rel_result.output, output=first, dev_paths=str(corpus))
    meta = assemble(ner_result.output, first, output=tmp_path / "second", dev_paths=str(corpus))
    made_of = meta["solieu"]["assembled_from"]["relations"]
    assert made_of["config"] == rel_result.meta["solieu"]["config"]
    assert made_of["seed"] == rel_result.meta["solieu"]["seed"]


def test_both_matrix_backends_give_the_same_entities(trained):
    """OpenBLAS (default) and BLIS products: every layer on the chosen ops, the same spans."""
    result, docs = trained
    outputs = {}
    for backend in ("openblas", "blis"):
        pipeline = load_pipeline(result.output, gemm=backend)
        layers = [node for _name, proc in pipeline.nlp.pipeline if hasattr(proc, "model")
                  for node in proc.model.walk()]
        assert layers and all(node.ops.use_blis is (backend == "blis") for node in layers)
        outputs[backend] = [[(e.start, e.end, e.label) for e in pipeline.extract(d.text).entities] for d in docs]
    assert outputs["openblas"] == outputs["blis"]
    meta = json.loads((result.output / "meta.json").read_text(encoding="utf-8"))
    assert meta["solieu"]["gemm"] == "openblas"


def test_calibrate_refuses_documents_the_model_trained_on(trained):
    from solieu.training.calibrate import calibrate

    from solieu.errors import ConfigError

    result, _docs = trained
    with pytest.raises(ConfigError, match="trained on"):
        calibrate(result.output, on=str(result.output.parent / "tiny.jsonl"))


def test_a_calibrated_model_scores_every_entity_and_relation(trained, tmp_path):
    import shutil

    from solieu.training.calibrate import calibrate

    result, docs = trained
    model = tmp_path / "model"
    shutil.copytree(result.output, model)
    held_out = tmp_path / "held_out.jsonl"  # the same sentences under ids the model never trained on
    write_documents([d.model_copy(update={"id": f"held-{d.id}"}) for d in docs], held_out)
    report = calibrate(model, on=str(held_out))
    assert report["documents"] == len(docs) and 0.0 <= report["entities"]["ece"] <= 1.0
    assert json.loads((model / "meta.json").read_text(encoding="utf-8"))["solieu"]["calibration"] == report
    extracted = load_pipeline(model).extract(docs[0].text)
    scores = [e.score for e in extracted.entities] + [r.score for r in extracted.relations]
    assert scores and all(s is not None and 0.0 <= s <= 1.0 for s in scores)
    uncalibrated = load_pipeline(model, calibrated=False).extract(docs[0].text)
    assert all(e.score is None for e in uncalibrated.entities)


def test_training_again_under_another_hash_seed_gives_the_same_weights(trained, tmp_path):
    """The config's seed fixes the model: a second run, in a process whose string hashes (and so
    set and dict orders of strings) differ, writes the same bytes. Only meta.json, with the run's
    name and time, may differ."""
    import os
    import subprocess
    import sys

    result, _ = trained
    first = result.output
    corpus, test = first.parent / "tiny.jsonl", first.parent / "test.jsonl"
    again = tmp_path / "again"
    script = (
        "import json, sys; from pathlib import Path; from solieu.training.train import train; "
        "train(Path(sys.argv[1]), train_paths=sys.argv[2], dev_paths=sys.argv[2], test_paths=sys.argv[3], "
        "output=Path(sys.argv[4]), overrides=json.loads(sys.argv[5]))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "4242" if os.environ.get("PYTHONHASHSEED") != "4242" else "7"}
    subprocess.run([sys.executable, "-c", script, str(REPO / "training" / "default.cfg"), str(corpus), str(test),
                    str(again), json.dumps(TINY)], check=True, env=env, cwd=REPO, capture_output=True)
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file() and p.name != "meta.json")
    assert files == sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file() and p.name != "meta.json")
    differing = [str(f) for f in files if (first / f).read_bytes() != (again / f).read_bytes()]
    assert not differing, f"a second training run wrote other bytes in {differing}"
