import json, sys
for part in sys.argv[1]:
    for line in open(f"writer_{part}.anchored.jsonl"):
        d = json.loads(line); t = d["text"]; ents = sorted(d["entities"], key=lambda e: e["start"])
        idx = {e["id"]: i for i, e in enumerate(ents)}
        rel = {}
        for r in d["relations"]:
            rel.setdefault(r["head"], []).append(("^" if r["label"] == "BELONGS_TO" else "@") + str(idx[r["tail"]]))
        out, pos = [], 0
        for i, e in enumerate(ents):
            out.append(t[pos:e["start"]]); out.append(f"[{i}{e['label'][0]}{''.join(rel.get(e['id'], []))}|{e['text']}]"); pos = e["end"]
        out.append(t[pos:])
        print("###", d["id"], d["meta"]["province"], d["meta"]["genre"]); print("".join(out)); print()
