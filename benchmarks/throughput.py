"""Extraction speed on the five seed reports, characters per second, side by side:
tokenisation alone, the reader alone, the solieu pipeline on 1 and 2 processes, the same
pipeline on thinc's default BLIS products, model 0.2.0 (benchmarks/baselines) as it was
released (BLIS) and on today's OpenBLAS products, and underthesea's `ner` on the same clean text.
One-process rows time a loaded pipeline (`extract_many` and the JSON line of each result);
the 2-process row includes starting the workers and loading the model in each.

    python benchmarks/throughput.py [--model DIR] [--baseline DIR] [--repeat 1]
"""

from __future__ import annotations

import argparse
import time
import unicodedata
from pathlib import Path

from solieu.extraction import prepare
from solieu.runner import iter_results
from solieu.schema import DocumentInput
from solieu.text.sentences import sentence_spans

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
BASELINE = Path(__file__).resolve().parent / "baselines" / "solieu_vi_0.2.0"


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default=None)
    parser.add_argument("--baseline", default=str(BASELINE), help="the model to compare with (0.2.0)")
    parser.add_argument("--seeds", default=str(SEEDS))
    parser.add_argument("--repeat", type=int, default=3, help="copies of the seeds, so that start-up is amortised")
    args = parser.parse_args()
    seeds = [unicodedata.normalize("NFC", p.read_text(encoding="utf-8")) for p in sorted(Path(args.seeds).glob("*.txt"))]
    texts = seeds * args.repeat
    chars = sum(len(t) for t in texts)
    docs = [DocumentInput(id=str(i), text=t) for i, t in enumerate(texts)]

    import spacy

    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": "solieu.vi_tokenizer.v1"}}})
    rows = []
    rows.append(("reader", _timed(lambda: [prepare(t) for t in texts])))
    rows.append(("reader + tokenizer", _timed(lambda: [nlp.make_doc(prepare(t).clean) for t in texts])))
    from solieu.pipeline import load_pipeline

    def one_process(model, gemm):
        pipeline = load_pipeline(model, gemm=gemm)
        list(pipeline.extract_many(docs[:1]))  # warm
        return _timed(lambda: [d.model_dump_json(exclude_none=True) for d in pipeline.extract_many(docs)])

    rows.append(("solieu pipeline, 1 process", one_process(args.model, "openblas")))
    rows.append(("solieu pipeline, 2 processes", _timed(lambda: list(iter_results(docs, model=args.model, n_process=2)))))
    rows.append(("  same model, BLIS products", one_process(args.model, "blis")))
    if Path(args.baseline).is_dir():
        rows.append(("0.2.0 as released (BLIS)", one_process(args.baseline, "blis")))
        rows.append(("0.2.0 on OpenBLAS products", one_process(args.baseline, "openblas")))

    from underthesea import ner

    ner("Khởi động.")
    clean = [prepare(t).clean for t in seeds]

    def run_underthesea():
        for text in clean:
            for a, b in sentence_spans(text):
                ner(text[a:b])

    # underthesea runs over one copy of the seeds (it is slow); its rate is scaled to the same text.
    rows.append(("underthesea ner, 1 process", _timed(run_underthesea) * args.repeat))
    print(f"{chars} characters in {len(texts)} reports ({args.repeat} copies of the five seeds)")
    print(f"{'':<36}{'seconds':>10}{'chars/s':>12}")
    for name, seconds in rows:
        print(f"{name:<36}{seconds:>10.2f}{chars / seconds:>12.0f}")
    pipeline_1 = dict(rows)["solieu pipeline, 1 process"]
    print(f"pipeline vs underthesea ner (1 process): {dict(rows)['underthesea ner, 1 process'] / pipeline_1:.1f}x faster")
    print("note: the 2-process figure includes starting the worker processes and loading the model in each")
    if "0.2.0 as released (BLIS)" in dict(rows):
        print(f"pipeline vs 0.2.0 as released: {dict(rows)['0.2.0 as released (BLIS)'] / pipeline_1:.2f}x; "
              f"vs the 0.2.0 model on the same products: {dict(rows)['0.2.0 on OpenBLAS products'] / pipeline_1:.2f}x")


if __name__ == "__main__":
    main()
