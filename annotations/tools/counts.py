"""Counts for annotations/README.md: entities and relations per file and per split, and province coverage.

    python annotations/tools/counts.py
"""

import json
from collections import Counter, defaultdict
from pathlib import Path

from solieu.corpus import expand_corpus_paths, read_documents
from solieu.schema import ENTITY_LABELS, RELATION_LABELS
from solieu.splits import read_manifest, split_documents, territory_of

ROOT = Path(__file__).resolve().parents[2]
HEAD = "| {} | passages | characters | " + " | ".join(ENTITY_LABELS + RELATION_LABELS) + " |"


def _row(name, docs):
    ents = Counter(e.label for d in docs for e in d.entities)
    rels = Counter(r.label for d in docs for r in d.relations)
    cells = [str(len(docs)), f"{sum(len(d.text) for d in docs):,}"] + [str(ents[x]) for x in ENTITY_LABELS] + [
        str(rels[x]) for x in RELATION_LABELS]
    return f"| {name} | " + " | ".join(cells) + " |"


def main() -> None:
    files = expand_corpus_paths([ROOT / "annotations" / "corpus" / "regional"])
    by_file = {f.stem: read_documents(f) for f in files}
    regional = [d for docs in by_file.values() for d in docs]
    print(HEAD.format("file"))
    print("|---|" + "---:|" * (2 + len(ENTITY_LABELS) + len(RELATION_LABELS)))
    for name, docs in by_file.items():
        print(_row(f"`regional/{name}.jsonl`", docs))
    print(_row("**all out-of-province**", regional))
    corpus = [d for f in expand_corpus_paths([ROOT / "annotations" / "corpus"]) for d in read_documents(f)]
    parts = split_documents(corpus, read_manifest(ROOT / "annotations" / "splits.json"))
    print()
    print(HEAD.format("split (out-of-province / seed)"))
    print("|---|" + "---:|" * (2 + len(ENTITY_LABELS) + len(RELATION_LABELS)))
    for split, docs in parts.items():
        oop = [d for d in docs if territory_of(d)]
        seed = [d for d in docs if not territory_of(d)]
        print(_row(f"{split}, out-of-province", oop))
        print(_row(f"{split}, seed reports", seed))
    print()
    provinces: dict[str, Counter] = defaultdict(Counter)
    for d in regional:
        provinces[territory_of(d)][(d.meta or {}).get("province")] += 1
    eras = Counter((d.meta or {}).get("era", "unknown") for d in regional)
    split_of = {t: s for s in ("train", "dev", "test") for t in json.loads(
        (ROOT / "annotations" / "splits.json").read_text(encoding="utf-8"))["territories"][s]}
    print(f"{len(provinces)} post-merger provinces, {sum(len(c) for c in provinces.values())} province names; eras {dict(eras)}")
    print("| post-merger province | split | passages | as written (old or new name: passages) |")
    print("|---|---|---:|---|")
    for territory in sorted(provinces):
        names = ", ".join(f"{n} {c}" for n, c in sorted(provinces[territory].items()))
        print(f"| {territory} | {split_of.get(territory, '?')} | {sum(provinces[territory].values())} | {names} |")


if __name__ == "__main__":
    main()
