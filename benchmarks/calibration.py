"""Calibration of entity and relation scores on a held-out split, side by side: the calibrated
confidence (`solieu.confidence`, cross-fitted in 5 folds by document), the NER's beam
probabilities (what the service returned before), the relation model's raw probability, and a
constant (each label's accuracy); with the cost of each beside the extraction time.

    python benchmarks/calibration.py --model runs/S_w96 [--split dev] [--json OUT]
    python benchmarks/calibration.py --model models/trained/solieu_vi_default --split test --as-shipped

The model must not have been trained on the split (a model selected on dev, trained on train):
the scores are fitted and measured on its predictions there. With --as-shipped the model's own
calibrator (`confidence.json`, fitted elsewhere) scores the split and nothing is fitted on it.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from solieu.calibration import collect, cross_fitted, fit, reliability, summary
from solieu.pipeline import load_pipeline
from solieu.schema import DocumentInput
from solieu.splits import corpus_splits

REPO = Path(__file__).resolve().parents[1]


def _flags(predicted, gold):
    examples, _ = collect(predicted, gold)
    entity = [f for _rows, flags in examples.entity.values() for f in flags]
    relation = [f for _rows, flags in examples.relation.values() for f in flags]
    return entity, relation


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True)
    parser.add_argument("--split", default="dev", choices=["dev", "test"])
    parser.add_argument("--json", default=None, help="also write the figures here")
    parser.add_argument("--as-shipped", action="store_true", help="score with the model's own confidence.json")
    args = parser.parse_args()
    gold = corpus_splits([REPO / "annotations" / "corpus"], REPO / "annotations" / "splits.json")[args.split]
    inputs = [DocumentInput(id=d.id, text=d.text) for d in gold]

    plain = load_pipeline(args.model, calibrated=False)
    list(plain.extract_many(inputs[:1]))
    started = time.perf_counter()
    predicted = list(plain.extract_many(inputs))
    extraction_s = time.perf_counter() - started

    beam = load_pipeline(args.model, calibrated=False, entity_scores=True)
    list(beam.extract_many(inputs[:1]))
    started = time.perf_counter()
    beamed = list(beam.extract_many(inputs))
    beam_s = time.perf_counter() - started - extraction_s

    calibrator = fit(predicted, gold)
    started = time.perf_counter()
    for doc in predicted:
        calibrator.score(doc)
    confidence_s = time.perf_counter() - started

    if args.as_shipped:
        from solieu.confidence import Calibrator

        shipped = Calibrator.load(plain.path)
        if shipped is None:
            parser.error(f"{plain.path} has no confidence.json; run `solieu calibrate` first")
        _, crossed = collect(predicted, gold, shipped)
    else:
        crossed = cross_fitted(predicted, gold)
    how = "the model's own calibrator" if args.as_shipped else "cross-fitted"
    entity_right, relation_right = _flags(predicted, gold)
    beam_entity = [e.score if e.score is not None else 1.0 for d in beamed for e in d.entities]
    beam_right, _ = _flags(beamed, gold)
    raw_relation = [r.score for d in predicted for r in d.relations]
    constant_e = [sum(entity_right) / len(entity_right)] * len(entity_right)
    constant_r = [sum(relation_right) / len(relation_right)] * len(relation_right)

    rows = {
        f"entities: calibrated confidence ({how})": summary(crossed["entity"], crossed["entity_right"]),
        "entities: NER beam probability (before)": summary(beam_entity, beam_right),
        "entities: constant (the split's accuracy)": summary(constant_e, entity_right),
        f"relations: calibrated confidence ({how})": summary(crossed["relation"], crossed["relation_right"]),
        "relations: relation model's probability": summary(raw_relation, relation_right),
        "relations: constant (the split's accuracy)": summary(constant_r, relation_right),
    }
    chars = sum(len(d.text) for d in gold)
    print(f"{args.split} split, {len(gold)} documents, {chars} characters; model {args.model}")
    print(f"{'':<62}{'n':>7}{'right':>8}{'ECE':>8}{'Brier':>8}{'AUROC':>8}")
    for name, s in rows.items():
        auc = "-" if s["auroc"] is None else f"{s['auroc']:.3f}"
        print(f"{name:<62}{s['n']:>7}{s['accuracy']:>8.3f}{s['ece']:>8.3f}{s['brier']:>8.3f}{auc:>8}")
    print(f"\nextraction {extraction_s:.2f} s; calibrated confidence {confidence_s:.3f} s "
          f"({confidence_s / extraction_s:.1%} of it); beam scores {beam_s:.2f} s ({beam_s / extraction_s:.0%} of it)")
    for kind in ("entity", "relation"):
        print(f"\nreliability, {kind} (calibrated confidence, {how})")
        print(f"{'bin':<10}{'n':>7}{'mean score':>12}{'accuracy':>10}")
        for row in reliability(crossed[kind], crossed[f"{kind}_right"]):
            if row["n"]:
                print(f"{row['bin']:<10}{row['n']:>7}{row['mean_score']:>12.3f}{row['accuracy']:>10.3f}")
    if args.json:
        Path(args.json).write_text(json.dumps({"split": args.split, "model": args.model, "rows": rows,
                                               "extraction_s": extraction_s, "confidence_s": confidence_s,
                                               "beam_s": beam_s}, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
