"""Put one model's relation component behind another model's entity recogniser.

The relation scorer and the NER are best at different points of training on
a few reports (the scorer overfits early; the NER keeps improving), so the
default model is two trainings, each selected on dev for its own task: this
module takes the whole pipeline of NER_MODEL, replaces its relation component
by RELATION_MODEL's (which keeps its own copy of the tok2vec it was trained
on, if it has one), re-tunes the relation thresholds on dev end to end and
scores the result.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from solieu.training.corpus import corpus_files
from solieu.training.train import _versions, score_documents, tune_relation_thresholds

from solieu.errors import ModelError
from solieu.model_store import model_directory, read_meta, write_meta

RELATIONS = "solieu_relations"


def _part(path: Path, meta: dict, role: str) -> dict:
    """What the assembled meta says of one source model; an assembled source says what it was made of."""
    info = meta["solieu"]
    made_of = (info.get("assembled_from") or {}).get(role, {})
    return {"path": str(path), "config": made_of.get("config", info.get("config")),
            "seed": made_of.get("seed", info.get("seed")), "trained_on": info.get("trained_on", []),
            "training_seconds": info.get("training_seconds", 0)}


def assemble(ner_model: Path, relation_model: Path, *, output: Path, dev_paths: str, test_paths: str | None = None,
             name: str | None = None, version: str = "0.1.0") -> dict:
    import spacy

    # Either may be a models directory with a promotion pointer: the promoted model.
    (ner_model, ner_meta), (relation_model, rel_meta) = model_directory(ner_model), model_directory(relation_model)
    relations_source = spacy.load(relation_model)
    if RELATIONS not in relations_source.pipe_names:
        raise ModelError(f"{relation_model}: has no {RELATIONS} component")
    # A relation scorer that listens to a shared tok2vec takes its own copy; a features-only one has none.
    upstream = (relations_source.get_pipe_config(RELATIONS)["model"].get("tok2vec") or {}).get("upstream")
    if upstream and upstream != "*":
        relations_source.replace_listeners(upstream, RELATIONS, ["model.tok2vec"])
    nlp = spacy.load(ner_model)
    if RELATIONS in nlp.pipe_names:
        nlp.remove_pipe(RELATIONS)
    nlp.add_pipe(RELATIONS, source=relations_source)
    if output.exists():
        shutil.rmtree(output)
    nlp.to_disk(output)

    meta = read_meta(output)
    dev_files = corpus_files(dev_paths)
    info = {key: ner_meta["solieu"][key] for key in ("spec_version", "entity_labels", "relation_labels")}
    info.update({
        "assembled_from": {
            "entities": _part(ner_model, ner_meta, "entities"),
            "relations": _part(relation_model, rel_meta, "relations"),
        },
        "config": f'{ner_meta["solieu"]["config"]} + {rel_meta["solieu"]["config"]}',
        "trained_on": sorted(set(ner_meta["solieu"]["trained_on"]) | set(rel_meta["solieu"]["trained_on"])),
        "selected_on": [d for d in ner_meta["solieu"]["selected_on"]],
        "data_hash": ner_meta["solieu"]["data_hash"],
        "training_seconds": ner_meta["solieu"].get("training_seconds", 0) + rel_meta["solieu"].get("training_seconds", 0),
        "versions": _versions(),
    })
    if rel_meta["solieu"]["data_hash"] != ner_meta["solieu"]["data_hash"]:
        raise ModelError("the two models were trained on different data "
                         f'({ner_meta["solieu"]["data_hash"]} vs {rel_meta["solieu"]["data_hash"]})')
    meta.update({"name": name or output.name, "version": version, "lang": "vi", "solieu": info})
    write_meta(output, meta)
    info["relation_thresholds"] = tune_relation_thresholds(output, dev_files)
    info["dev_scores"] = score_documents(output, dev_files)
    if test_paths:
        test_files = corpus_files(test_paths)
        trained = set(info["trained_on"]) | set(info["selected_on"])
        from solieu.corpus import read_documents

        tested = [doc.id for f in test_files for doc in read_documents(f)]
        if trained & set(tested):
            raise ModelError(f"test documents {sorted(trained & set(tested))} were used for training or selection")
        info["tested_on"] = tested
        info["test_scores"] = score_documents(output, test_files)
    write_meta(output, meta)
    return meta

