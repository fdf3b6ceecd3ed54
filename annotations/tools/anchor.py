"""Anchor quote-based annotations into exchange-format JSONL (see solieu/quotes.py).

    python annotations/tools/anchor.py RAW.jsonl ANNOTATION.jsonl -o OUT.jsonl [--origin TEXT]

RAW lines: {"id", "province", "genre", "text"}; ANNOTATION lines: {"id", "entities": [{"text",
"label", "occ", "value"}], "relations": [{"head", "tail", "label"}]}. Prints every problem with the
passage and entity it is in; writes OUT only when there is none, and exits 1 otherwise.
"""

import argparse
import sys
from pathlib import Path

from solieu.corpus import write_documents
from solieu.quotes import anchor_lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("raw", type=Path)
    parser.add_argument("annotation", type=Path)
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--origin", default=None, help="meta.origin of every passage")
    args = parser.parse_args()
    anchored = anchor_lines(args.raw.read_text(encoding="utf-8").splitlines(),
                            args.annotation.read_text(encoding="utf-8").splitlines())
    problems = [p for a in anchored for p in a.problems]
    for a in anchored:
        for note in a.notes:
            print("note:", note)
    for problem in problems:
        print("PROBLEM:", problem)
    if problems:
        print(f"{len(problems)} problems in {sum(1 for a in anchored if a.problems)} passages; nothing written")
        return 1
    documents = [a.document for a in anchored]
    if args.origin:
        for doc in documents:
            doc.meta = {**(doc.meta or {}), "origin": args.origin}
    write_documents(documents, args.output)
    chars = sum(len(d.text) for d in documents)
    print(f"OK: {len(documents)} passages, {chars} characters, "
          f"{sum(len(d.entities) for d in documents)} entities, {sum(len(d.relations) for d in documents)} "
          f"relations -> {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
