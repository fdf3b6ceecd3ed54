"""Merge the regional batches (annotations/work/regional/*) into annotations/corpus/regional/.

    python annotations/tools/merge_regional.py

Each batch folder holds the writer's annotation (writer_*.anchored.jsonl), the second annotator's
independent one (second_*.anchored.jsonl) and the adjudicated result (final_*.anchored.jsonl). A
batch whose every part is adjudicated goes into the corpus as adjudicated; one that is not yet
goes in as its writer annotated it, and says so in meta. Agreement (writer against second, before
adjudication) is pooled over the double-annotated batches and written to
annotations/agreement/regional_agreement.json, with the table annotations/README.md shows.
"""

import json
from pathlib import Path

from solieu.corpus import read_documents, write_documents
from solieu.evaluate import evaluate
from solieu.schema import ENTITY_LABELS, RELATION_LABELS

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / "annotations" / "work" / "regional"
OUT = ROOT / "annotations" / "corpus" / "regional"
ADJUDICATED = "written for solieu; annotated by its writer and, independently, a second annotator; disagreements adjudicated"
WRITER_ONLY = "written for solieu; annotated by its writer (second pass pending)"


def _parts(folder: Path, stage: str) -> list[Path]:
    return sorted(folder.glob(f"{stage}_*.anchored.jsonl"))


def _raw_meta(folder: Path) -> dict[str, dict]:
    meta = {}
    for raw in sorted(folder.glob("raw_*.jsonl")):
        for line in raw.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                meta[record["id"]] = {k: record[k] for k in ("province", "genre", "era") if k in record}
    return meta


def merge_batch(folder: Path) -> tuple[list, list, list, bool]:
    writer = [d for p in _parts(folder, "writer") for d in read_documents(p)]
    second = [d for p in _parts(folder, "second") for d in read_documents(p)]
    final = [d for p in _parts(folder, "final") for d in read_documents(p)]
    adjudicated = bool(final) and {d.id for d in final} == {d.id for d in writer}
    chosen = final if adjudicated else writer
    raw_meta = _raw_meta(folder)
    for doc in chosen:
        meta = {**(doc.meta or {}), **raw_meta.get(doc.id, {})}
        meta["origin"] = ADJUDICATED if adjudicated else WRITER_ONLY
        meta["batch"] = folder.name
        doc.meta = meta
    return chosen, writer, second, adjudicated


def main() -> None:
    pooled_first, pooled_second = [], []
    summary = []
    for folder in sorted(p for p in WORK.iterdir() if p.is_dir() and _parts(p, "writer")):
        chosen, writer, second, adjudicated = merge_batch(folder)
        write_documents(chosen, OUT / f"{folder.name}.jsonl")
        by_id = {d.id: d for d in second}
        if adjudicated and len(by_id) == len(writer):
            pooled_first += writer
            pooled_second += [by_id[d.id] for d in writer]
        summary.append((folder.name, len(chosen), adjudicated))
    report = evaluate(pooled_first, pooled_second).as_dict() if pooled_first else None
    if report:
        agreement = {
            "passages": len(pooled_first),
            "entities": {label: round(report["entities"][label]["f1"], 4) for label in ENTITY_LABELS},
            "entities_micro": round(report["entities_micro"]["f1"], 4),
            "relations": {label: round(report["relations"][label]["f1"], 4) for label in RELATION_LABELS},
        }
        path = ROOT / "annotations" / "agreement" / "regional_agreement.json"
        path.write_text(json.dumps(agreement, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print("agreement, writer against second annotator, before adjudication:", json.dumps(agreement, ensure_ascii=False))
    for name, n, adjudicated in summary:
        print(f"{name}: {n} passages, {'adjudicated' if adjudicated else 'writer only'}")


if __name__ == "__main__":
    main()
