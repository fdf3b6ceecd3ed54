"""Fit a model's confidence calibrator (`solieu.confidence`) on held-out gold documents.

    solieu calibrate MODEL --on dev.jsonl [--predictions-from SELECTED]

The calibrator learns from predictions on documents the predicting model never trained on: by
default MODEL's own, on documents outside its `trained_on`; for a model trained on every
non-test split (the shipped one), the predictions of a model of the same recipe selected on
that split (`--predictions-from`), whose held-out errors are what the calibrator must learn.
Either way a document the predicting model trained on is refused, by id. The calibrator is
written into MODEL (`confidence.json`) with its cross-fitted figures in MODEL's meta.
"""

from __future__ import annotations

from pathlib import Path

from solieu.training.corpus import corpus_files

from solieu.calibration import cross_fitted, fit, summary
from solieu.corpus import read_documents
from solieu.errors import ConfigError
from solieu.model_store import model_directory, write_meta
from solieu.pipeline import load_pipeline
from solieu.schema import DocumentInput


def calibrate(model: Path, *, on: str, predictions_from: Path | None = None, l2: float = 1.0) -> dict:
    """Fit, write and describe MODEL's calibrator; returns what was written into its meta."""
    model_path, meta = model_directory(model)
    source_path, source_meta = model_directory(predictions_from) if predictions_from else (model_path, meta)
    files = corpus_files(on)
    gold = [doc for f in files for doc in read_documents(f)]
    if not gold:
        raise ConfigError(f"{on}: no documents to calibrate on")
    trained_on = set(source_meta.get("solieu", {}).get("trained_on", []))
    seen = sorted(d.id for d in gold if d.id in trained_on)
    if seen:
        raise ConfigError(f"{len(seen)} calibration document(s) were trained on by {source_path.name} "
                          f"(e.g. {seen[:3]}); calibrate on documents it never saw")
    pipeline = load_pipeline(source_path, calibrated=False)
    predicted = list(pipeline.extract_many(DocumentInput(id=d.id, text=d.text) for d in gold))
    calibrator = fit(predicted, gold, l2=l2)
    crossed = cross_fitted(predicted, gold, l2=l2)
    report = {
        "on": [f.name for f in files], "documents": len(gold), "predictions_from": source_path.name,
        "entities": summary(crossed["entity"], crossed["entity_right"]),
        "relations": summary(crossed["relation"], crossed["relation_right"]),
        "measured": "cross-fitted, 5 folds by document id (benchmarks/calibration.py)",
    }
    calibrator.fitted_on = {**calibrator.fitted_on, **{k: report[k] for k in ("on", "predictions_from")}}
    calibrator.save(model_path)
    meta.setdefault("solieu", {})["calibration"] = report
    write_meta(model_path, meta)
    return report
