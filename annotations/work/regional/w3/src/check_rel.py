import json, re, sys
for part in "abcd":
    for line in open(f"writer_{part}.anchored.jsonl"):
        d = json.loads(line); t = d["text"]; E = {e["id"]: e for e in d["entities"]}
        for r in d["relations"]:
            h, tl = E[r["head"]], E[r["tail"]]
            a, b = sorted([(h["start"], h["end"]), (tl["start"], tl["end"])])
            between = t[a[1]:b[0]]
            if re.search(r"[.!?:]\s+[A-ZĐÂĂÊÔƠƯÁÀẢÃẠ]|\n|;", between):
                print(d["id"], r["label"], repr(h["text"]), "->", repr(tl["text"]), "| between:", repr(between[:120]))
