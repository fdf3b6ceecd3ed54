"""final_X.jsonl = writer_X.jsonl plus the adjudicated changes below (see adjudication.md)."""
import json

# (passage id, head text, head occ, tail text, tail occ, label)
ADD = {
    "a": [("w3-003", "100 triệu đồng", 1, "Phòng giao dịch NHCSXH huyện Chư Păh", 1, "BELONGS_TO")],
    "b": [("w3-019", "20 - 25 tỷ đồng", 1, "giai đoạn 2022 - 2025", 1, "AS_OF"),
          ("w3-026", "58,6 triệu USD", 1, "9 tháng", 2, "AS_OF"),
          ("w3-026", "126,4 tỷ đồng", 1, "ngày 30/9/2021", 1, "AS_OF")],
    "c": [], "d": [],
}

for part, adds in ADD.items():
    out = []
    for line in open(f"writer_{part}.jsonl", encoding="utf-8"):
        doc = json.loads(line)
        for pid, ht, ho, tt, to, lab in adds:
            if doc["id"] != pid:
                continue
            idx = {(e["text"], e["occ"]): i for i, e in enumerate(doc["entities"])}
            h, t = idx[(ht, ho)], idx[(tt, to)]
            assert not any(r["head"] == h and r["label"] == lab for r in doc["relations"]), (pid, ht)
            doc["relations"].append({"head": h, "tail": t, "label": lab})
        out.append(json.dumps(doc, ensure_ascii=False))
    with open(f"final_{part}.jsonl", "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")
    print(part, len(out))
