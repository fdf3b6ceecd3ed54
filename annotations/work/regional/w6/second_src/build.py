"""Build second_X.jsonl from second_src/X.txt (my own markup) and raw_X.jsonl.

Markup, one passage block per '# <id>' line, then one entity per line, in text order:
  D key | quote | START END          DATE (YYYY-MM-DD or ????-MM-DD)
  M key | quote | [AS key] [BT key] [=amount | =min-max] [USD]
  P key | quote | [AS key] [BT key] [=value | =min-max]
  A key | quote                      AGENCY
  J key | quote                      PROJECT
'\\n' in a quote stands for a line break. Entities are searched in order after the previous one.
"""
import json, re, sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
F = HERE.parent
LABELS = {"D": "DATE", "M": "MONEY", "P": "PERCENT", "A": "AGENCY", "J": "PROJECT"}


def num(s):
    s = s.strip()
    return float(s.replace(".", "").replace(",", "."))


def money_value(q):
    t = q.replace("\n", " ")
    cur = "USD" if re.search(r"USD|[Đđ]ô ?la", t) else "VND"
    m = re.match(r"^([\d.,]+)(?:\s*(?:-|–|đến)\s*([\d.,]+))?\s*(.*)$", t)
    if not m:
        raise ValueError(q)
    a, b, rest = m.group(1), m.group(2), m.group(3)
    mult = 1
    for word, f in (("trăm", 100), ("nghìn", 10**3), ("ngàn", 10**3), ("triệu", 10**6), ("tỷ", 10**9), ("tỉ", 10**9)):
        for _ in re.findall(r"\b" + word + r"\b", rest):
            mult *= f
    def amt(x):
        v = num(x) * mult
        r = round(v)
        assert abs(v - r) < 1e-3, (q, v)
        return int(r)
    if b:
        return {"amount_min": amt(a), "amount_max": amt(b), "currency": cur}
    return {"amount": amt(a), "currency": cur}


def percent_value(q):
    t = q.replace("\n", " ").replace("%", " ").replace("phần trăm", " ")
    m = re.match(r"^\s*([\d.,]+)\s*(?:(?:-|–|đến)\s*([\d.,]+))?\s*$", t)
    if not m:
        raise ValueError(q)
    def p(x):
        return num(x) if "," in x else float(x)
    if m.group(2):
        return {"min": p(m.group(1)), "max": p(m.group(2))}
    return {"value": p(m.group(1))}


def parse_override(v, label, cur):
    if label == "PERCENT":
        if re.match(r"^[\d.]+-[\d.]+$", v):
            a, b = v.split("-"); return {"min": float(a), "max": float(b)}
        return {"value": float(v)}
    if re.match(r"^\d+-\d+$", v):
        a, b = v.split("-"); return {"amount_min": int(a), "amount_max": int(b), "currency": cur}
    return {"amount": int(v), "currency": cur}


def build(part, src=None, dst=None):
    src = src or f"{part}.txt"
    dst = dst or f"second_{part}.jsonl"
    raws = [json.loads(l) for l in (F / f"raw_{part}.jsonl").read_text(encoding="utf-8").splitlines() if l.strip()]
    blocks, cur = {}, None
    for line in (HERE / src).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("//"):
            continue
        if line.startswith("# "):
            cur = line[2:].strip(); blocks[cur] = []; continue
        blocks[cur].append(line)
    out, errors = [], []
    for raw in raws:
        pid, text = raw["id"], raw["text"]
        ents, keys, rels_src, pos = [], {}, [], 0
        for line in blocks.get(pid, []):
            fields = [f.strip() for f in line.split(" | ")]
            tag, key = fields[0].split()
            quote = fields[1].replace("\\n", "\n")
            label = LABELS[tag]
            start = text.find(quote, pos)
            if start < 0:
                errors.append(f"{pid}: {key} {quote!r} not found after {pos}"); continue
            occ, p = 0, -1
            while True:
                p = text.find(quote, p + 1)
                if p < 0 or p > start: break
                occ += 1
            pos = start + len(quote)
            e = {"text": quote, "label": label, "occ": occ}
            extra = fields[2].split() if len(fields) > 2 else []
            if label == "DATE":
                e["value"] = {"start": extra[0], "end": extra[1]}
            elif label in ("MONEY", "PERCENT"):
                currency = "USD" if "USD" in extra else None
                val = money_value(quote) if label == "MONEY" else percent_value(quote)
                for tok in extra:
                    if tok.startswith("="):
                        val = parse_override(tok[1:], label, currency or val.get("currency"))
                e["value"] = val
                i = 0
                while i < len(extra):
                    if extra[i] in ("AS", "BT"):
                        rels_src.append((key, extra[i + 1], "AS_OF" if extra[i] == "AS" else "BELONGS_TO")); i += 2
                    else:
                        i += 1
            if key in keys:
                errors.append(f"{pid}: duplicate key {key}")
            keys[key] = len(ents)
            ents.append(e)
        rels = []
        for h, t, lab in rels_src:
            if t not in keys:
                errors.append(f"{pid}: unknown key {t}"); continue
            rels.append({"head": keys[h], "tail": keys[t], "label": lab})
        out.append({"id": pid, "entities": ents, "relations": rels})
    for e in errors:
        print("ERROR", e)
    if errors:
        return 1
    with open(F / dst, "w", encoding="utf-8") as fh:
        for o in out:
            fh.write(json.dumps(o, ensure_ascii=False) + "\n")
    print(f"wrote {dst}: {len(out)} passages, {sum(len(o['entities']) for o in out)} entities, "
          f"{sum(len(o['relations']) for o in out)} relations")
    return 0


if __name__ == "__main__":
    sys.exit(build(*sys.argv[1:]))
