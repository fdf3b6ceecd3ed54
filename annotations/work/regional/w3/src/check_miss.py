import json, re
for part in "abcd":
    for line in open(f"writer_{part}.anchored.jsonl"):
        d = json.loads(line); t = d["text"]
        bounds = [0] + [m.end() for m in re.finditer(r"[.!?;](?=\s)|\n", t)] + [len(t)]
        def sid(pos):
            k = 0
            while k + 1 < len(bounds) and bounds[k + 1] <= pos: k += 1
            return k
        ents = d["entities"]; rels = d["relations"]
        has = {(r["head"], r["label"]) for r in rels}
        for e in ents:
            if e["label"] not in ("MONEY", "PERCENT"): continue
            s = sid(e["start"])
            dates = [x["text"] for x in ents if x["label"] == "DATE" and sid(x["start"]) == s]
            owners = [x["text"][:40] for x in ents if x["label"] in ("AGENCY", "PROJECT") and sid(x["start"]) == s]
            out = []
            if dates and (e["id"], "AS_OF") not in has: out.append(f"noAS_OF dates={dates}")
            if owners and (e["id"], "BELONGS_TO") not in has: out.append(f"noOWNER owners={owners}")
            if out: print(d["id"], repr(e["text"]), "; ".join(out))
