"""Compare two annotations of the same passages: agreement per label and the cases to adjudicate.

    python annotations/tools/compare.py FIRST.jsonl SECOND.jsonl

Both files are exchange-format JSONL of the same passages (same ids, same text). Prints, per
passage, each disagreement with the text around it, then strict-span agreement F1 per entity label
and per relation type over all passages.
"""

import argparse
import sys
from pathlib import Path

from solieu.agreement import disagreements
from solieu.corpus import read_documents
from solieu.evaluate import evaluate


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("first", type=Path)
    parser.add_argument("second", type=Path)
    args = parser.parse_args()
    first = {d.id: d for d in read_documents(args.first)}
    second = {d.id: d for d in read_documents(args.second)}
    missing = sorted(first.keys() ^ second.keys())
    if missing:
        print(f"passages in one file only: {missing}")
        return 1
    ids = sorted(first)
    for doc_id in ids:
        found = disagreements(first[doc_id], second[doc_id])
        if not found:
            continue
        text = first[doc_id].text
        print(f"== {doc_id}")
        for d in found:
            side = {"a": "only FIRST", "b": "only SECOND", None: "both"}[d.only_in]
            context = text[max(0, d.start - 40): d.start + 60].replace("\n", " ")
            print(f"  [{d.kind}, {side}] {d.description}\n      …{context}…")
    report = evaluate([first[i] for i in ids], [second[i] for i in ids]).as_dict()
    print("\nagreement (F1):")
    for label, prf in report["entities"].items():
        print(f"  {label:10s} {prf['f1']:.3f}  (first {prf['support']}, second {prf['tp'] + prf['fp']})")
    print(f"  {'micro':10s} {report['entities_micro']['f1']:.3f}")
    for label, prf in report["relations"].items():
        print(f"  {label:10s} {prf['f1']:.3f}  (first {prf['support']}, second {prf['tp'] + prf['fp']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
