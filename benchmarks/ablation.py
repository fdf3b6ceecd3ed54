"""Model selection on the dev split: several trained models side by side, out-of-province and seed.

    python benchmarks/ablation.py runs/S_base runs/S_lex [--split dev]

Scores each model end to end (strict spans, relations with both ends strict) on the split's
out-of-province passages and on its seed report, in one table per group. This is what the
README's ablation table is printed by; the test split is scored by benchmarks/quality.py, once
per selected model.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from solieu.evaluate import evaluate
from solieu.pipeline import load_pipeline
from solieu.schema import ENTITY_LABELS, RELATION_LABELS
from solieu.splits import corpus_splits, is_out_of_province

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="+")
    parser.add_argument("--split", default="dev", choices=["train", "dev"])
    args = parser.parse_args()
    gold = corpus_splits([REPO / "annotations" / "corpus"], REPO / "annotations" / "splits.json")[args.split]
    predictions = {m: [load_pipeline(m).extract(d.text, doc_id=d.id) for d in gold] for m in args.models}
    for title, keep in (("out-of-province", is_out_of_province), ("seed report", lambda d: not is_out_of_province(d))):
        idx = [i for i, d in enumerate(gold) if keep(d)]
        reports = {m: evaluate([gold[i] for i in idx], [p[i] for i in idx]) for m, p in predictions.items()}
        print(f"\n{args.split}, {title} ({len(idx)} documents); strict F1")
        print(f"{'':<12}" + "".join(f"{Path(m).name[:20]:>22}" for m in args.models))
        for label in ENTITY_LABELS:
            print(f"{label:<12}" + "".join(f"{reports[m].entities[label].f1:>22.3f}" for m in args.models))
        print(f"{'micro':<12}" + "".join(f"{reports[m].micro.f1:>22.3f}" for m in args.models))
        for label in RELATION_LABELS:
            print(f"{label:<12}" + "".join(f"{reports[m].relations[label].f1:>22.3f}" for m in args.models))


if __name__ == "__main__":
    main()
