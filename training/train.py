"""Train a solieu pipeline from a config in training/, and describe the result.

A thin layer over spaCy's training loop: the config is validated and its
[paths] filled before any compute; spaCy trains with the config's seed,
evaluates on dev every `eval_frequency` steps and stops after `patience`
steps without improvement; the best model is written to OUTPUT with a
`meta.json` that says what it was trained on and how well it does, measured
by solieu's own evaluator on whole documents (original offsets).
"""

from __future__ import annotations

import hashlib
import json
import platform
import shutil
import tempfile
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from solieu.training.corpus import corpus_files

from solieu.corpus import read_documents
from solieu.errors import ConfigError
from solieu.model_store import read_meta, write_meta
from solieu.schema import ENTITY_LABELS, RELATION_LABELS, SPEC_VERSION


@dataclass
class TrainResult:
    output: Path
    meta: dict


def data_hash(files: list[Path]) -> str:
    digest = hashlib.sha256()
    for file in sorted(files):
        digest.update(file.name.encode())
        digest.update(file.read_bytes())
    return "sha256:" + digest.hexdigest()[:16]


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for package in ("solieu", "spacy", "thinc", "numpy", "torch", "transformers"):
        try:
            out[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            continue
    return out


def parse_overrides(items: list[str]) -> dict[str, object]:
    """`KEY=VALUE` pairs; VALUE is read as JSON when it parses, else as a string."""
    out: dict[str, object] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        if not sep or not key:
            raise ConfigError(f"override {item!r} is not KEY=VALUE")
        try:
            out[key] = json.loads(raw)
        except json.JSONDecodeError:
            out[key] = raw
    return out


def load_config(config_path: Path, overrides: dict[str, object]):
    from spacy import util

    if not config_path.is_file():
        raise ConfigError(f"{config_path}: no such training config")
    try:
        config = util.load_config(config_path, overrides=overrides, interpolate=False)
    except Exception as e:  # confection raises several types; all mean a bad config
        raise ConfigError(f"{config_path}: invalid config: {e}") from e
    return config


def score_documents(model_dir: Path, corpus: list[Path]) -> dict:
    """Evaluate a saved model on whole gold documents with solieu's evaluator."""
    from solieu.evaluate import evaluate
    from solieu.pipeline import load_pipeline

    pipeline = load_pipeline(model_dir)
    gold = [doc for file in corpus for doc in read_documents(file)]
    return evaluate(gold, _predict(pipeline, gold)).as_dict()


def _predict(pipeline, gold: list) -> list:
    """End to end; a relation-only pipeline gets the gold entities (its entity scores are then trivially 1)."""
    if pipeline.recognises_entities:
        return [pipeline.extract(doc.text, doc_id=doc.id) for doc in gold]
    return [pipeline.relate(doc) for doc in gold]


THRESHOLD_GRID = (0.5, 0.4, 0.3, 0.2, 0.1, 0.05, 0.02, 0.01)


def tune_relation_thresholds(model_dir: Path, dev_files: list[Path]) -> dict:
    """Pick each relation type's decision threshold by its F1 on dev (end to end,
    or on gold entities for a relation-only pipeline) and write it into the
    saved config so that `spacy.load` uses it."""
    from spacy.util import load_config as spacy_load_config

    from solieu.evaluate import evaluate
    from solieu.pipeline import load_pipeline

    pipeline = load_pipeline(model_dir)
    if "solieu_relations" not in pipeline.nlp.pipe_names:
        return {}
    component = pipeline.nlp.get_pipe("solieu_relations")
    gold = [doc for file in dev_files for doc in read_documents(file)]
    sweep: dict[str, dict[str, float]] = {label: {} for label in RELATION_LABELS}
    for threshold in THRESHOLD_GRID:
        component.cfg["thresholds"] = {label: threshold for label in RELATION_LABELS}
        report = evaluate(gold, _predict(pipeline, gold))
        for label in RELATION_LABELS:
            sweep[label][str(threshold)] = round(report.relations[label].f1, 4)
    # Ties go to the highest threshold: the most conservative of equally good choices.
    chosen = {label: float(max(sweep[label], key=lambda t: (sweep[label][t], float(t)))) for label in RELATION_LABELS}
    config_path = model_dir / "config.cfg"
    config = spacy_load_config(config_path, interpolate=False)
    config["components"]["solieu_relations"]["thresholds"] = chosen
    config.to_disk(config_path)
    # The component's saved cfg is what `from_disk` restores last: it must say the same.
    cfg_path = model_dir / "solieu_relations" / "cfg"
    saved = json.loads(cfg_path.read_text(encoding="utf-8"))
    saved["thresholds"] = chosen
    cfg_path.write_text(json.dumps(saved, indent=2), encoding="utf-8")
    return {"chosen": chosen, "dev_f1_by_threshold": sweep}


def train(
    config_path: Path,
    *,
    train_paths: str,
    dev_paths: str,
    output: Path,
    test_paths: str | None = None,
    name: str | None = None,
    version: str = "0.1.0",
    overrides: dict[str, object] | None = None,
) -> TrainResult:
    from spacy.cli.train import train as spacy_train

    from solieu.compute import gemm_backend, limit_blas_threads, model_ops

    train_files, dev_files = corpus_files(train_paths), corpus_files(dev_paths)
    test_files = corpus_files(test_paths) if test_paths else []
    leaked = {f.resolve() for f in test_files} & {f.resolve() for f in train_files + dev_files}
    if leaked:
        raise ConfigError(f"test corpus also used for training or selection: {sorted(map(str, leaked))}")
    all_overrides = {"paths.train": ",".join(map(str, train_files)), "paths.dev": ",".join(map(str, dev_files))}
    all_overrides.update(overrides or {})
    load_config(config_path, all_overrides)  # fail here, before any compute, on a bad config

    started = time.time()
    with tempfile.TemporaryDirectory(prefix="solieu-train-") as tmp:
        limit_blas_threads()
        with model_ops():
            spacy_train(config_path, Path(tmp), overrides=all_overrides)
        best = Path(tmp) / "model-best"
        if output.exists():
            shutil.rmtree(output)
        shutil.copytree(best, output)
    seconds = round(time.time() - started, 1)

    meta = read_meta(output)
    meta["name"] = name or output.name
    meta["version"] = version
    meta["lang"] = "vi"
    meta["solieu"] = {
        "spec_version": SPEC_VERSION,
        "config": config_path.name,
        "entity_labels": list(ENTITY_LABELS),
        "relation_labels": list(RELATION_LABELS),
        "trained_on": [doc.id for f in train_files for doc in read_documents(f)],
        "selected_on": [doc.id for f in dev_files for doc in read_documents(f)],
        "data_hash": data_hash(train_files + dev_files),
        "seed": int(load_config(config_path, all_overrides)["system"]["seed"]),
        "training_seconds": seconds,
        "gemm": gemm_backend(),
        "versions": _versions(),
    }
    write_meta(output, meta)
    from solieu.pipeline import load_pipeline

    # A relation-only pipeline (training/relations.cfg) is scored on the gold entities.
    meta["solieu"]["scored_on"] = "end to end" if load_pipeline(output).recognises_entities else "gold entities"
    meta["solieu"]["relation_thresholds"] = tune_relation_thresholds(output, dev_files)
    meta["solieu"]["dev_scores"] = score_documents(output, dev_files)
    if test_files:
        meta["solieu"]["tested_on"] = [doc.id for f in test_files for doc in read_documents(f)]
        meta["solieu"]["test_scores"] = score_documents(output, test_files)
    write_meta(output, meta)
    return TrainResult(output=output, meta=meta)
