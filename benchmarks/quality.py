"""Quality on held-out documents: the model beside the rules and underthesea baselines,
and its relation component beside the nearest-owner / nearest-date heuristic.

    python benchmarks/quality.py --split test          # the README's table
    python benchmarks/quality.py --split dev --model models/trained/solieu_vi_default

Two relation comparisons are printed: end to end (each system with its own
entities) and on gold entities (relations alone, same candidates for both).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from solieu.corpus import read_documents
from solieu.evaluate import evaluate
from solieu.extraction import Link, Span
from solieu.extractors import get_extractor
from solieu.rules import nearest_links
from solieu.schema import ENTITY_LABELS, RELATION_LABELS, Document, Relation

REPO = Path(__file__).resolve().parents[1]


def _with_nearest_relations(doc: Document) -> Document:
    """Replace a document's relations by the nearest heuristic over its own entities (clean text)."""
    from solieu.extraction import prepare

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", default="test", choices=["dev", "test"])
    parser.add_argument("--model", default=None, help="model directory (default: the shipped model)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    splits = json.loads((REPO / "annotations" / "splits.json").read_text())
    gold = [d for doc_id in splits[args.split] for d in read_documents(REPO / "annotations" / "corpus" / f"{doc_id}.jsonl")]

    model = get_extractor("model", model=args.model)
    systems = {}
    for name in ("rules", "underthesea"):
        run = get_extractor(name)
        systems[name] = [run(d.text, doc_id=d.id) for d in gold]
    systems["model"] = [model(d.text, doc_id=d.id) for d in gold]
    systems["model entities + nearest"] = [_with_nearest_relations(d) for d in systems["model"]]
    pipeline = model.__self__
    systems["gold entities: model relations"] = [pipeline.relate(d) for d in gold]
    systems["gold entities: nearest"] = [_with_nearest_relations(d) for d in gold]
    reports = {name: evaluate(gold, preds) for name, preds in systems.items()}
    if args.json:
        print(json.dumps({k: v.as_dict() for k, v in reports.items()}, ensure_ascii=False, indent=2))
        return
    names = list(reports)
    print(f"split: {args.split} ({', '.join(d.id for d in gold)}); strict F1")
    print(f"{'':<12}" + "".join(f"{n[:24]:>26}" for n in names))
    for label in ENTITY_LABELS:
        print(f"{label:<12}" + "".join(f"{reports[n].entities[label].f1:>26.3f}" for n in names))
    print(f"{'micro':<12}" + "".join(f"{reports[n].micro.f1:>26.3f}" for n in names))
    for label in RELATION_LABELS:
        print(f"{label:<12}" + "".join(f"{reports[n].relations[label].f1:>26.3f}" for n in names))


if __name__ == "__main__":
    main()
