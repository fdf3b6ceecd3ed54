"""Build second_all.jsonl from second_src/ann.txt (quote list per passage).

ann.txt format:
  ## <id>
  <tag> <L> <quote>[ = <value>]     L: M MONEY, P PERCENT, D DATE, A AGENCY, J PROJECT
      quote may contain \\n for a line break; entities listed in text order.
      DATE value: "= START END" (YYYY-MM-DD or ????-MM-DD); MONEY/PERCENT computed, or "= {json}".
  R <tag>><tag> ...                 label from the tail: DATE -> AS_OF, else BELONGS_TO
"""
import json, re, sys
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
FOLDER = HERE.parent
LABELS = {"M": "MONEY", "P": "PERCENT", "D": "DATE", "A": "AGENCY", "J": "PROJECT"}
MULT = {"nghìn": 10**3, "ngàn": 10**3, "trăm": 10**2, "triệu": 10**6, "tỷ": 10**9, "tỉ": 10**9}

def num(s):
    s = s.strip()
    if "," in s:
        a, b = s.split(",")
        return Decimal(a.replace(".", "") + "." + b)
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", s):
        return Decimal(s.replace(".", ""))
    return Decimal(s)

def plain(d):
    return int(d) if d == d.to_integral_value() else float(d)

def money(q):
    cur = "USD" if re.search(r"USD|đô ?la|Đô la", q, re.I) else "VND"
    # split a range
    parts = re.split(r"\s*(?:-|–|đến)\s*", q, maxsplit=1) if re.match(r"^[\d.,]+\s*(?:-|–|đến)\s*[\d.,]", q) else [q]
    def amount(p, tailwords):
        m = re.match(r"([\d.,]+)\s*(.*)", p)
        n = num(m.group(1))
        words = (m.group(2) or tailwords).split()
        for w in words:
            if w in MULT:
                n *= MULT[w]
        return n
    if len(parts) == 2:
        tail = re.match(r"[\d.,]+\s*(.*)", parts[1]).group(1)
        lo, hi = amount(parts[0] + " " + tail, tail), amount(parts[1], tail)
        return {"amount_min": int(lo), "amount_max": int(hi), "currency": cur}
    return {"amount": int(amount(q, "")), "currency": cur}

def percent(q):
    nums = re.findall(r"\d[\d.,]*", q)
    if len(nums) == 2:
        return {"min": plain(num(nums[0])), "max": plain(num(nums[1]))}
    return {"value": plain(num(nums[0]))}

def build(raw_path, ann_path, out_path):
    raws = [json.loads(l) for l in raw_path.read_text(encoding="utf-8").splitlines() if l.strip()]
    texts = {r["id"]: r["text"] for r in raws}
    blocks, cur = [], None
    for line in ann_path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#!"):
            continue
        if line.startswith("## "):
            cur = {"id": line[3:].strip(), "ents": [], "rels": []}
            blocks.append(cur)
        elif line.startswith("R "):
            cur["rels"] += line[2:].split()
        else:
            tag, lab, rest = line.split(" ", 2)
            val = None
            if " = " in rest:
                rest, val = rest.split(" = ", 1)
            cur["ents"].append((tag, LABELS[lab], rest.replace("\\n", "\n"), val))
    out, errors = [], []
    for b in blocks:
        text = texts[b["id"]]
        pos, ents, index = 0, [], {}
        for tag, lab, q, val in b["ents"]:
            start = text.find(q, pos)
            if start < 0:
                errors.append(f"{b['id']} {tag} {q!r} not found after {pos}")
                continue
            occ, p = 0, -1
            while True:
                p = text.find(q, p + 1)
                if p < 0 or p > start:
                    break
                occ += 1
            e = {"text": q, "label": lab, "occ": occ}
            if lab == "DATE":
                s, t = val.split()
                e["value"] = {"start": s, "end": t}
            elif lab == "MONEY":
                e["value"] = json.loads(val) if val else money(q)
            elif lab == "PERCENT":
                e["value"] = json.loads(val) if val else percent(q)
            if tag in index:
                errors.append(f"{b['id']} duplicate tag {tag}")
            index[tag] = len(ents)
            ents.append(e)
            pos = start + len(q)
        rels = []
        for r in b["rels"]:
            h, t = r.split(">")
            if h not in index or t not in index:
                errors.append(f"{b['id']} bad relation {r}")
                continue
            tl = ents[index[t]]["label"]
            rels.append({"head": index[h], "tail": index[t], "label": "AS_OF" if tl == "DATE" else "BELONGS_TO"})
        out.append({"id": b["id"], "entities": ents, "relations": rels})
    for e in errors:
        print("ERROR", e)
    with open(out_path, "w", encoding="utf-8") as f:
        for o in out:
            f.write(json.dumps(o, ensure_ascii=False) + "\n")
    print(f"{len(out)} passages written to {out_path}")
    return not errors

if __name__ == "__main__":
    ann = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "ann.txt"
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else FOLDER / "second_all.jsonl"
    sys.exit(0 if build(FOLDER / "raw_all.jsonl", ann, out) else 1)
