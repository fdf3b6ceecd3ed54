"""Rewrite the document lists of annotations/splits.json from its rules and the corpus.

    python annotations/tools/make_splits.py

The rules ("territories": post-merger provinces per split; "seed_reports": seed report ids per
split) are kept as they are; "train", "dev" and "test" are recomputed from every document under
annotations/corpus. Run it after adding passages; tests/test_splits.py fails while it is stale.
"""

import json
from pathlib import Path

from solieu.corpus import expand_corpus_paths, read_documents
from solieu.splits import SPLITS, assign

ROOT = Path(__file__).resolve().parents[2]


def main() -> None:
    path = ROOT / "annotations" / "splits.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    docs = [d for f in expand_corpus_paths([ROOT / "annotations" / "corpus"]) for d in read_documents(f)]
    manifest.update(assign(docs, manifest["territories"], manifest["seed_reports"]))
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(", ".join(f"{s}: {len(manifest[s])}" for s in SPLITS))


if __name__ == "__main__":
    main()
