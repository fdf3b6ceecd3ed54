"""Relation scorers on reports they never saw: leave one report out, gold entities.

    python benchmarks/relations_cv.py            # the README's table (about 20 minutes on 2 cores)
    python benchmarks/relations_cv.py --steps 300 --variants features

Only the train and dev reports of annotations/splits.json take part (the
test report is never read). For each of them, every variant is trained on
the others for a fixed number of steps (no early stopping: there is no
held-out report left to stop on), its decision thresholds are tuned on its
own training reports, and it is scored on the held-out report's gold
entities, beside the nearest-owner / nearest-date heuristic on the same
entities. Pooled F1 sums true/false positives over the folds.

Variants: `features` is training/relations.cfg (the shipped scorer, pair
features only); `vectors` is training/ablation_rel_vectors.cfg (context
vectors from a tok2vec trained by the relation loss); `joint` is
training/ablation_rel_joint.cfg (model 0.1.0's recipe: vectors from a tok2vec
trained together with the NER); `features+vectors` is RelationModel.v2 with
the relation-trained vectors projected to 8 dimensions.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import tempfile
from pathlib import Path

from solieu.training.train import THRESHOLD_GRID, load_config, parse_overrides

from solieu.corpus import read_documents
from solieu.evaluate import PRF, evaluate
from solieu.schema import RELATION_LABELS, Document

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "annotations" / "corpus"

VARIANTS = {
    "features": ("relations.cfg", {}),
    "vectors": ("ablation_rel_vectors.cfg", {}),
    "joint": ("ablation_rel_joint.cfg", {}),
    "features+vectors": ("ablation_rel_vectors.cfg", {
        "components.solieu_relations.model.@architectures": "solieu.RelationModel.v2",
        "components.solieu_relations.model.projection_width": 8,
    }),
}


def _file(doc_id: str) -> Path:
    return CORPUS / f"{doc_id}.jsonl"


def _train(config: str, overrides: dict, train_ids: list[str], held_out: str, steps: int, tmp: Path) -> Path:
    from spacy.cli.train import train as spacy_train

    all_overrides = {
        "paths.train": ",".join(str(_file(d)) for d in train_ids), "paths.dev": str(_file(held_out)),
        "training.max_steps": steps, "training.patience": 0, "training.eval_frequency": steps, **overrides,
    }
    load_config(REPO / "training" / config, all_overrides)
    with open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet):  # spaCy's progress table
        spacy_train(REPO / "training" / config, tmp, overrides=all_overrides)
    return tmp / "model-last"


def _relate(pipeline, gold: list[Document], thresholds: dict[str, float]) -> list[Document]:
    pipeline.nlp.get_pipe("solieu_relations").cfg["thresholds"] = thresholds
    return [pipeline.relate(d) for d in gold]


def _tune(pipeline, gold: list[Document]) -> dict[str, float]:
    best: dict[str, tuple[float, float]] = {}
    for threshold in THRESHOLD_GRID:
        report = evaluate(gold, _relate(pipeline, gold, {label: threshold for label in RELATION_LABELS}))
        for label in RELATION_LABELS:
            score = (report.relations[label].f1, threshold)
            best[label] = max(best.get(label, score), score)
    return {label: best[label][1] for label in RELATION_LABELS}


def _nearest(gold: list[Document]) -> list[Document]:
    from benchmarks.quality import _with_nearest_relations

    return [_with_nearest_relations(d) for d in gold]


def main() -> None:
    import sys

    from solieu.pipeline import load_pipeline

    sys.path.insert(0, str(REPO))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=None, help="override each config's seed")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="config override for every variant")
    parser.add_argument("--variants", default=",".join(VARIANTS), help=f"comma-separated, of {', '.join(VARIANTS)}")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    splits = json.loads((REPO / "annotations" / "splits.json").read_text())
    doc_ids = sorted(splits["train"] + splits["dev"])
    variants = [v for v in args.variants.split(",") if v]
    unknown = set(variants) - set(VARIANTS)
    if unknown:
        parser.error(f"unknown variants {sorted(unknown)}; known: {', '.join(VARIANTS)}")

    systems = ["nearest", *variants]
    folds: dict[str, dict[str, dict[str, PRF]]] = {}
    for held_out in doc_ids:
        train_ids = [d for d in doc_ids if d != held_out]
        gold = read_documents(_file(held_out))
        train_gold = [doc for d in train_ids for doc in read_documents(_file(d))]
        reports = {"nearest": evaluate(gold, _nearest(gold))}
        for name in variants:
            config, overrides = VARIANTS[name]
            overrides = {**overrides, **parse_overrides(args.set)}
            if args.seed is not None:
                overrides = {**overrides, "system.seed": args.seed}
            with tempfile.TemporaryDirectory(prefix="solieu-cv-") as tmp:
                pipeline = load_pipeline(_train(config, overrides, train_ids, held_out, args.steps, Path(tmp)))
            thresholds = _tune(pipeline, train_gold)
            reports[name] = evaluate(gold, _relate(pipeline, gold, thresholds))
        folds[held_out] = {name: reports[name].relations for name in systems}

    pooled = {name: {label: PRF() for label in RELATION_LABELS} for name in systems}
    for fold in folds.values():
        for name in systems:
            for label in RELATION_LABELS:
                p, f = pooled[name][label], fold[name][label]
                p.tp, p.fp, p.fn = p.tp + f.tp, p.fp + f.fp, p.fn + f.fn
    if args.json:
        print(json.dumps({held: {n: {lb: r.f1 for lb, r in rs.items()} for n, rs in f.items()}
                          for held, f in {**folds, "pooled": pooled}.items()}, indent=2))
        return
    seed = "config seeds" if args.seed is None else f"seed {args.seed}"
    print(f"leave one report out over {', '.join(doc_ids)}; {args.steps} steps, {seed}; F1 on gold entities")
    print(f"{'held out':<10}{'relation':<12}" + "".join(f"{n:>18}" for n in systems))
    for held, fold in [*folds.items(), ("pooled", pooled)]:
        for label in RELATION_LABELS:
            print(f"{held[:8]:<10}{label:<12}" + "".join(f"{fold[n][label].f1:>18.3f}" for n in systems))


if __name__ == "__main__":
    main()
