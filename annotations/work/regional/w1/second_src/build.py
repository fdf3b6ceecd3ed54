"""Build second_X.jsonl from second_src/mark_X.txt (or, with --final, final_X.jsonl from final_mark_X.txt).

Markup, one entity per line, fields separated by ' | ':
    ## <passage id>
    L <text>[#occ] | =<value> | @<ref> | ^<ref>
L is M (MONEY), P (PERCENT), D (DATE), A (AGENCY), J (PROJECT).
<ref> is the text[#occ] of another entity of the passage; @ = AS_OF, ^ = BELONGS_TO.
DATE values: '=start end'; MONEY/PERCENT values are computed unless given as '={json}'.
"""
import json
import re
import sys
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
FOLDER = HERE.parent
LABELS = {"M": "MONEY", "P": "PERCENT", "D": "DATE", "A": "AGENCY", "J": "PROJECT"}

MULT = [("nghìn tỷ", 10**12), ("ngàn tỷ", 10**12), ("trăm tỷ", 10**11), ("trăm triệu", 10**8),
        ("nghìn", 10**3), ("ngàn", 10**3), ("triệu", 10**6), ("tỷ", 10**9), ("tỉ", 10**9)]
USD = ["usd", "đô la mỹ", "đôla", "đô la", "đô-la"]


def num(s):
    return Decimal(s.replace(".", "").replace(",", "."))


def money(t):
    low = t.lower()
    cur = "USD" if any(u in low for u in USD) else "VND"
    mult = 1
    for word, m in MULT:
        if word in low:
            mult = m
            break
    nums = re.findall(r"\d[\d.,]*\d|\d", t)
    vals = [int(num(n) * mult) for n in nums]
    if len(vals) == 1:
        return {"amount": vals[0], "currency": cur}
    assert len(vals) == 2, t
    return {"amount_min": vals[0], "amount_max": vals[1], "currency": cur}


def percent(t):
    nums = re.findall(r"\d[\d.,]*\d|\d", t)
    vals = [float(num(n)) for n in nums]
    if len(vals) == 1:
        return {"value": vals[0]}
    assert len(vals) == 2, t
    return {"min": vals[0], "max": vals[1]}


def split_occ(s):
    m = re.match(r"^(.*)#(\d+)$", s)
    return (m.group(1), int(m.group(2))) if m else (s, 1)


def find(text, quote, occ):
    pos = -1
    for _ in range(occ):
        pos = text.find(quote, pos + 1)
        if pos < 0:
            return None
    return pos


def build(part, prefix="second"):
    raws = [json.loads(l) for l in (FOLDER / f"raw_{part}.jsonl").read_text(encoding="utf-8").splitlines() if l.strip()]
    blocks, cur = {}, None
    for line in (HERE / (f"mark_{part}.txt" if prefix == "second" else f"final_mark_{part}.txt")).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("//"):
            continue
        if line.startswith("## "):
            cur = line[3:].strip()
            blocks[cur] = []
            continue
        blocks[cur].append(line.replace("\\n", "\n"))
    out, ok = [], True
    for raw in raws:
        pid, text = raw["id"], raw["text"]
        ents, rels_raw = [], []
        for line in blocks.get(pid, []):
            fields = line.split(" | ")
            lab, rest = fields[0].split(" ", 1)
            quote, occ = split_occ(rest)
            value, refs = None, []
            for f in fields[1:]:
                if f.startswith("="):
                    v = f[1:].strip()
                    if v.startswith("{"):
                        value = json.loads(v)
                    else:
                        a, b = v.split()
                        value = {"start": a, "end": b}
                elif f.startswith("@"):
                    refs.append(("AS_OF", split_occ(f[1:])))
                elif f.startswith("^"):
                    refs.append(("BELONGS_TO", split_occ(f[1:])))
                else:
                    raise SystemExit(f"{pid}: bad field {f!r}")
            label = LABELS[lab]
            if value is None and label == "MONEY":
                value = money(quote)
            if value is None and label == "PERCENT":
                value = percent(quote)
            if label == "DATE" and value is None:
                print(f"{pid}: DATE without value {quote!r}")
                ok = False
            start = find(text, quote, occ)
            if start is None:
                print(f"{pid}: not found {quote!r}#{occ}")
                ok = False
                continue
            before = text[start - 1] if start > 0 else " "
            after = text[start + len(quote)] if start + len(quote) < len(text) else " "
            if before.isalnum() or before in ".,/" or (after.isalnum() and not after.isdigit() and label != "PROJECT") :
                print(f"{pid}: check boundary {before!r}[{quote}]{after!r}")
            e = {"text": quote, "label": label, "occ": occ}
            if value is not None:
                e["value"] = value
            ents.append((start, start + len(quote), e, refs))
        ents.sort(key=lambda x: x[0])
        for i in range(1, len(ents)):
            if ents[i][0] < ents[i - 1][1]:
                print(f"{pid}: overlap {ents[i-1][2]['text']!r} / {ents[i][2]['text']!r}")
                ok = False
        index = {(e["text"], e["occ"]): i for i, (_, _, e, _) in enumerate(ents)}
        rels = []
        for i, (_, _, e, refs) in enumerate(ents):
            for lab, key in refs:
                if key not in index:
                    print(f"{pid}: unknown ref {key} from {e['text']!r}")
                    ok = False
                    continue
                rels.append({"head": i, "tail": index[key], "label": lab})
        out.append({"id": pid, "entities": [e for _, _, e, _ in ents], "relations": rels})
    extra = set(blocks) - {r["id"] for r in raws}
    if extra:
        print("unknown passages:", extra)
        ok = False
    (FOLDER / f"{prefix}_{part}.jsonl").write_text(
        "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in out), encoding="utf-8")
    return ok


if __name__ == "__main__":
    args = sys.argv[1:]
    prefix = "second"
    if args and args[0] == "--final":
        prefix, args = "final", args[1:]
    for p in args:
        print(prefix, p, "ok" if build(p, prefix) else "PROBLEMS")
