"""Merge the annotators' part files (annotations/work/) into one corpus file per report.

Run once from the repository root after the annotation passes: python annotations/tools/merge_parts.py
"""
import json, sys
from pathlib import Path
from solieu.schema import Document
from solieu.corpus import write_documents
parts = {"000_caaf9eeb95557159": ["000"], "001_cbe3f2fc25d32b07": ["001a", "001b"], "002_7f63ad3e8c1be475": ["002"],
         "003_8c721a4620276a37": ["003a", "003b"], "004_288729a87274c673": ["004"]}
def merge(doc_id, files):
    ents, rels, text = [], [], None
    for f in files:
        d = json.loads(Path(f).read_text().splitlines()[0])
        assert d["id"] == doc_id, (d["id"], doc_id)
        text = text or d["text"]; assert d["text"] == text
        ents += d["entities"]; rels += d["relations"]
    ents.sort(key=lambda e: (e["start"], e["end"]))
    new = {e["id"]: f"e{i+1}" for i, e in enumerate(ents)}
    for e in ents: e["id"] = new[e["id"]]
    for r in rels: r["head"], r["tail"] = new[r["head"]], new[r["tail"]]
    rels.sort(key=lambda r: (int(r["head"][1:]), r["label"]))
    return Document.model_validate({"id": doc_id, "text": text, "entities": ents, "relations": rels})
out = Path("annotations/corpus"); out.mkdir(exist_ok=True)
for doc_id, ps in parts.items():
    d = merge(doc_id, [f"annotations/work/{p}.jsonl" for p in ps])
    write_documents([d], out / f"{doc_id}.jsonl")
    print(doc_id, len(d.entities), len(d.relations))
d = merge("000_caaf9eeb95557159", ["annotations/agreement/000_second.jsonl"])
write_documents([d], Path("annotations/agreement/000_second_pass.jsonl"))
