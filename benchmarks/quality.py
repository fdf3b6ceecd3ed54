"""Quality on held-out documents: the model beside 0.2.0, the rules and underthesea, per kind of text,
and its relation component beside the nearest-owner / nearest-date heuristic.

    python benchmarks/quality.py --split test          # the README's tables (score once per selected model)
    python benchmarks/quality.py --split dev --model runs/selected

The split's documents come from annotations/splits.json over annotations/corpus, and are scored
in two groups: out-of-province passages (territories no training passage is from) and the seed
report of the split (Lạng Sơn). Two relation comparisons are printed: end to end (each system with
its own entities) and on gold entities (relations alone, same candidates for both).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from solieu.evaluate import evaluate
from solieu.extraction import Link, Span, prepare
from solieu.extractors import load_extractor
from solieu.pipeline import load_pipeline
from solieu.rules import nearest_links
from solieu.schema import ENTITY_LABELS, RELATION_LABELS, Document, Relation
from solieu.splits import corpus_splits, is_out_of_province

REPO = Path(__file__).resolve().parents[1]
BASELINE_MODEL = REPO / "benchmarks" / "baselines" / "solieu_vi_0.2.0"


def _with_nearest_relations(doc: Document) -> Document:
    """Replace a document's relations by the nearest heuristic over its own entities (clean text)."""
    read_text = prepare(doc.text)
    spans, ids = [], []
    for e in doc.entities:
        mapped = read_text.to_clean(e.start, e.end)
        if mapped is not None:
            spans.append(Span(mapped[0], mapped[1], e.label))
            ids.append(e.id)
    links: list[Link] = nearest_links(read_text.clean, spans)
    relations = [Relation(head=ids[lk.head], tail=ids[lk.tail], label=lk.label) for lk in links]
    return doc.model_copy(update={"relations": relations})


def run_systems(gold: list[Document], model_path: str | None, baseline_path: Path | None) -> dict[str, list[Document]]:
    systems: dict[str, list[Document]] = {}
    for name in ("rules", "underthesea"):
        run = load_extractor(name).extract
        systems[name] = [run(d.text, doc_id=d.id) for d in gold]
    if baseline_path is not None and baseline_path.is_dir():
        baseline = load_pipeline(baseline_path)
        systems["0.2.0"] = [baseline.extract(d.text, doc_id=d.id) for d in gold]
    model = load_pipeline(model_path)
    systems["model"] = [model.extract(d.text, doc_id=d.id) for d in gold]
    systems["model ents + nearest"] = [_with_nearest_relations(d) for d in systems["model"]]
    systems["gold ents: model rels"] = [model.relate(d) for d in gold]
    systems["gold ents: nearest"] = [_with_nearest_relations(d) for d in gold]
    return systems


def print_table(title: str, gold: list[Document], systems: dict[str, list[Document]], keep: set[str]) -> dict:
    chosen = [i for i, d in enumerate(gold) if d.id in keep]
    reports = {name: evaluate([gold[i] for i in chosen], [preds[i] for i in chosen]) for name, preds in systems.items()}
    names = list(reports)
    chars = sum(len(gold[i].text) for i in chosen)
    print(f"\n{title}: {len(chosen)} documents, {chars} characters; strict F1")
    print(f"{'':<12}" + "".join(f"{n[:21]:>23}" for n in names))
    for label in ENTITY_LABELS:
        print(f"{label:<12}" + "".join(f"{reports[n].entities[label].f1:>23.3f}" for n in names))
    print(f"{'micro':<12}" + "".join(f"{reports[n].micro.f1:>23.3f}" for n in names))
    for label in RELATION_LABELS:
        print(f"{label:<12}" + "".join(f"{reports[n].relations[label].f1:>23.3f}" for n in names))
    values = reports["model"].as_dict().get("values", {})
    if values:
        print("model value accuracy on matched spans: "
              + ", ".join(f"{label} {v['accuracy']:.3f}" for label, v in values.items() if v.get("matched")))
    return {name: r.as_dict() for name, r in reports.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", default="test", choices=["dev", "test"])
    parser.add_argument("--model", default=None, help="model directory (default: the shipped model)")
    parser.add_argument("--baseline", type=Path, default=BASELINE_MODEL, help="the model to compare with (0.2.0)")
    parser.add_argument("--json", type=Path, default=None, help="also write every report as JSON here")
    args = parser.parse_args()
    gold = corpus_splits([REPO / "annotations" / "corpus"], REPO / "annotations" / "splits.json")[args.split]
    systems = run_systems(gold, args.model, args.baseline)
    print(f"split: {args.split}; model: {args.model or 'shipped'}")
    out = {
        "out_of_province": print_table("Out-of-province passages", gold, systems,
                                       {d.id for d in gold if is_out_of_province(d)}),
        "seed_report": print_table("Seed report (Lạng Sơn)", gold, systems,
                                   {d.id for d in gold if not is_out_of_province(d)}),
    }
    if args.json:
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
