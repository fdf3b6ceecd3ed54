import json, sys
raws = {json.loads(l)["id"]: json.loads(l) for l in open(sys.argv[1], encoding="utf-8")}
for l in open(sys.argv[2], encoding="utf-8"):
    o = json.loads(l); t = raws[o["id"]]["text"]
    print("=====", o["id"])
    for i, e in enumerate(o["entities"]):
        p = -1
        for _ in range(e["occ"]): p = t.find(e["text"], p + 1)
        ctx = t[max(0, p - 25):p].replace("\n", "⏎")
        print(f"{i:2d} {e['label'][:4]} [{e['text']}] {e.get('value','')}  …{ctx}")
    for r in o["relations"]:
        print("   ", o["entities"][r["head"]]["text"], "->", o["entities"][r["tail"]]["text"], r["label"])
