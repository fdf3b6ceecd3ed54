"""Speed against quality for trained model variants, side by side in one run: each model's tok2vec
shape (width, depth, window, embedding columns per token), its extraction speed on the five seeds (one
process, loaded pipeline, best of two runs), and its end-to-end strict F1 on the out-of-province
dev split and on the dev seed report.

    python benchmarks/tradeoff.py runs/S_w96 runs/S_w80 runs/S_d3 [--repeat 2]

Every model must have been trained on the train split and selected on dev (`solieu train
training/default.cfg --set ...`); the test split is not read.
"""

from __future__ import annotations

import argparse
import time
import unicodedata
from pathlib import Path

from solieu.evaluate import evaluate
from solieu.pipeline import load_pipeline
from solieu.schema import DocumentInput
from solieu.splits import corpus_splits, is_out_of_province

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"


def shape(nlp) -> str:
    model = nlp.get_pipe_config("tok2vec")["model"]
    embed, encode = model["embed"], model["encode"]
    # Embedding columns per token: spaCy's embed gives each attribute the full width, solieu's its own.
    columns = sum(embed["widths"]) if "widths" in embed else embed["width"] * len(embed["attrs"])
    return f"w{encode['width']} d{encode['depth']} win{encode['window_size']} emb {columns}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="+")
    parser.add_argument("--repeat", type=int, default=2, help="copies of the seeds per timed run")
    args = parser.parse_args()
    seeds = [unicodedata.normalize("NFC", p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))]
    texts = [DocumentInput(id=str(i), text=t) for i, t in enumerate(seeds * args.repeat)]
    chars = sum(len(t.text) for t in texts)
    dev = corpus_splits([REPO / "annotations" / "corpus"], REPO / "annotations" / "splits.json")["dev"]
    rows = []
    for model in args.models:
        pipeline = load_pipeline(model, calibrated=False)
        list(pipeline.extract_many(texts[:1]))
        best = float("inf")
        for _ in range(2):
            started = time.perf_counter()
            list(pipeline.extract_many(texts))
            best = min(best, time.perf_counter() - started)
        predicted = list(pipeline.extract_many(DocumentInput(id=d.id, text=d.text) for d in dev))
        oop = [i for i, d in enumerate(dev) if is_out_of_province(d)]
        seed = [i for i, d in enumerate(dev) if not is_out_of_province(d)]
        r_oop = evaluate([dev[i] for i in oop], [predicted[i] for i in oop])
        r_seed = evaluate([dev[i] for i in seed], [predicted[i] for i in seed])
        rows.append((Path(model).name, shape(pipeline.nlp), chars / best, r_oop, r_seed))
    print(f"{chars} characters of seed text per timed run; dev split: out of province and the seed report")
    print(f"{'model':<12}{'tok2vec':<26}{'chars/s':>9}{'AGENCY':>8}{'PROJECT':>8}{'micro':>7}"
          f"{'BEL_TO':>8}{'AS_OF':>7}{'004 micro':>10}")
    for name, tok2vec, speed, oop_report, seed_report in rows:
        print(f"{name:<12}{tok2vec:<26}{speed:>9.0f}{oop_report.entities['AGENCY'].f1:>8.3f}"
              f"{oop_report.entities['PROJECT'].f1:>8.3f}{oop_report.micro.f1:>7.3f}"
              f"{oop_report.relations['BELONGS_TO'].f1:>8.3f}{oop_report.relations['AS_OF'].f1:>7.3f}"
              f"{seed_report.micro.f1:>10.3f}")


if __name__ == "__main__":
    main()
