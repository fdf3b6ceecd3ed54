"""Merge the annotators' part files (annotations/work/) into one corpus file per report.

Run once from the repository root after the annotation passes: python annotations/tools/merge_parts.py
It was run once; the corpus was then corrected by the consistency pass (annotations/README.md), so
running it again would overwrite those corrections with the annotators' first parts.
"""

import json
from pathlib import Path

from solieu.corpus import write_documents
from solieu.schema import Document

PARTS = {
    "000_caaf9eeb95557159": ["000"], "001_cbe3f2fc25d32b07": ["001a", "001b"], "002_7f63ad3e8c1be475": ["002"],
    "003_8c721a4620276a37": ["003a", "003b"], "004_288729a87274c673": ["004"],
}


def merge(doc_id: str, files: list[str]) -> Document:
    entities, relations, text = [], [], None
    for file in files:
        part = json.loads(Path(file).read_text(encoding="utf-8").splitlines()[0])
        if part["id"] != doc_id or (text is not None and part["text"] != text):
            raise ValueError(f"{file}: not a part of {doc_id}")
        text = part["text"]
        entities += part["entities"]
        relations += part["relations"]
    ids = [e["id"] for e in entities]
    if len(ids) != len(set(ids)):
        raise ValueError(f"{doc_id}: entity ids repeat across parts {files}")
    entities.sort(key=lambda e: (e["start"], e["end"]))
    renumbered = {e["id"]: f"e{i + 1}" for i, e in enumerate(entities)}
    for entity in entities:
        entity["id"] = renumbered[entity["id"]]
    for relation in relations:
        relation["head"], relation["tail"] = renumbered[relation["head"]], renumbered[relation["tail"]]
    relations.sort(key=lambda r: (int(r["head"][1:]), r["label"]))
    return Document.model_validate({"id": doc_id, "text": text, "entities": entities, "relations": relations})


def main() -> None:
    out = Path("annotations/corpus")
    out.mkdir(exist_ok=True)
    for doc_id, parts in PARTS.items():
        document = merge(doc_id, [f"annotations/work/{p}.jsonl" for p in parts])
        write_documents([document], out / f"{doc_id}.jsonl")
        print(doc_id, len(document.entities), len(document.relations))
    second = merge("000_caaf9eeb95557159", ["annotations/agreement/000_second.jsonl"])
    write_documents([second], Path("annotations/agreement/000_second_pass.jsonl"))


if __name__ == "__main__":
    main()
