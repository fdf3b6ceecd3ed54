"""Build second_all.jsonl from the markup chunks in this folder (chunk_*.txt);
`build.py final_all.jsonl --prefix=final_chunk_` builds the adjudicated file from final_chunk_*.txt.

Markup, one item per line:
  @ <id>                      start of a passage
  A|J|D|M|P <text> [= value]  entity (AGENCY, PROJECT, DATE, MONEY, PERCENT), in text order;
                              \\n in <text> is a line break. DATE value: YYYY, YYYY-MM, YYYY-MM-DD
                              or start..end (each of those forms). MONEY/PERCENT value parsed
                              from the text unless given as JSON after '='.
  R <head> [| <head>...] > <tail>   relation; keys are entity texts, 'text#n' = nth such entity;
                              AS_OF when the tail is a DATE, else BELONGS_TO.
  # comment
  '<entity line> @ <context>' finds the entity inside the first <context> after the cursor.
"""
import calendar
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
FOLDER = HERE.parent
LABELS = {"A": "AGENCY", "J": "PROJECT", "D": "DATE", "M": "MONEY", "P": "PERCENT"}


def num(s):
    s = s.strip().replace(" ", "")
    if re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d+)?|\d+(,\d+)?", s):
        return float(s.replace(".", "").replace(",", "."))
    raise ValueError(s)


MULT = [("nghìn tỷ", 10**12), ("ngàn tỷ", 10**12), ("trăm tỷ", 10**11), ("tỷ", 10**9), ("tỉ", 10**9),
        ("triệu", 10**6), ("nghìn", 10**3), ("ngàn", 10**3)]


def money(t):
    t1 = t.replace("\n", " ")
    cur = "USD" if re.search(r"USD|[Đđ]ô ?la|đôla", t1) else "VND"
    m = re.match(r"^([\d.,]+)(?:\s*(?:-|–|đến)\s*([\d.,]+))?\s*(.*)$", t1)
    a, b, rest = m.group(1), m.group(2), m.group(3)
    mult = 1
    for w, v in MULT:
        if rest.startswith(w):
            mult = v
            if w == "trăm tỷ":
                mult = 10**11  # placeholder, fixed below
            break
    if rest.startswith("trăm tỷ"):
        mult = 100 * 10**9
    def amt(x):
        return int(round(num(x) * mult))
    if b:
        return {"amount_min": amt(a), "amount_max": amt(b), "currency": cur}
    return {"amount": amt(a), "currency": cur}


def percent(t):
    t1 = t.replace("\n", " ")
    m = re.match(r"^([\d.,]+)\s*%?\s*(?:(?:-|–|đến)\s*([\d.,]+))?\s*(%|phần trăm)$", t1)
    if not m:
        raise ValueError(t)
    def f(x):
        return float(x.replace(",", ".")) if "," in x or re.fullmatch(r"\d+", x) else float(x)
    if m.group(2):
        return {"min": f(m.group(1)), "max": f(m.group(2))}
    return {"value": f(m.group(1))}


def point(s, end):
    s = s.strip()
    if re.fullmatch(r"[\d?]{4}", s):
        return f"{s}-12-31" if end else f"{s}-01-01"
    if re.fullmatch(r"[\d?]{4}-\d\d", s):
        y, mo = s.split("-")
        if end:
            yy = int(y) if y.isdigit() else 2001
            return f"{y}-{mo}-{calendar.monthrange(yy, int(mo))[1]:02d}"
        return f"{s}-01"
    if re.fullmatch(r"[\d?]{4}-\d\d-\d\d", s):
        return s
    raise ValueError(s)


def date(v):
    if ".." in v:
        a, b = v.split("..")
    else:
        a = b = v
    return {"start": point(a, False), "end": point(b, True)}


def parse_chunks(prefix="chunk_"):
    docs = []
    for f in sorted(HERE.glob(prefix + "*.txt")):
        cur = None
        for ln, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            line = line.rstrip()
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            tag, _, rest = line.partition(" ")
            if tag == "@":
                cur = {"id": rest.strip(), "ents": [], "rels": [], "src": f.name}
                docs.append(cur)
            elif tag in LABELS:
                rest, _, ctx = rest.partition(" @ ")
                text, eq, val = rest.partition(" = ")
                ctx, eq2, val2 = ctx.partition(" = ")
                if eq2:
                    eq, val = eq2, val2
                cur["ents"].append((text.replace("\\n", "\n"), LABELS[tag], val.strip() if eq else None, ln,
                                    ctx.replace("\\n", "\n") or None))
            elif tag == "R":
                heads, _, tail = rest.partition(" > ")
                for h in heads.split(" | "):
                    cur["rels"].append((h.strip().replace("\\n", "\n"), tail.strip().replace("\\n", "\n"), ln))
            else:
                raise SystemExit(f"{f.name}:{ln}: bad line {line!r}")
    return docs


def main():
    raw = {}
    order = []
    for l in (FOLDER / "raw_all.jsonl").read_text(encoding="utf-8").splitlines():
        d = json.loads(l)
        raw[d["id"]] = d["text"]
        order.append(d["id"])
    prefix = next((a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--prefix=")), "chunk_")
    docs = parse_chunks(prefix)
    out = []
    ok = True
    for d in docs:
        text = raw[d["id"]]
        cursor = 0
        ents = []
        keys = {}
        for t, lab, val, ln, ctx in d["ents"]:
            if ctx:
                cpos = text.find(ctx, cursor)
                pos = -1 if cpos < 0 else text.find(t, cpos)
            else:
                pos = text.find(t, cursor)
            if pos < 0:
                print(f"{d['id']} line {ln}: not found after cursor: {t!r}")
                ok = False
                continue
            occ = 1
            i = text.find(t)
            while i < pos:
                occ += 1
                i = text.find(t, i + 1)
            cursor = pos + len(t)
            if lab == "MONEY":
                value = json.loads(val) if val else money(t)
            elif lab == "PERCENT":
                value = json.loads(val) if val else percent(t)
            elif lab == "DATE":
                if not val:
                    print(f"{d['id']} line {ln}: DATE without value {t!r}")
                    ok = False
                    value = None
                else:
                    value = date(val)
            else:
                value = None
            e = {"text": t, "label": lab, "occ": occ}
            if value is not None:
                e["value"] = value
            n = sum(1 for x in ents if x["text"] == t) + 1
            keys[t if n == 1 else f"{t}#{n}"] = len(ents)
            if n == 1:
                keys[f"{t}#1"] = len(ents)
            ents.append(e)
        rels = []
        for h, tl, ln in d["rels"]:
            if h not in keys or tl not in keys:
                print(f"{d['id']} line {ln}: unknown key {h!r} or {tl!r}")
                ok = False
                continue
            hi, ti = keys[h], keys[tl]
            lab = "AS_OF" if ents[ti]["label"] == "DATE" else "BELONGS_TO"
            rels.append({"head": hi, "tail": ti, "label": lab})
        out.append({"id": d["id"], "entities": ents, "relations": rels})
    ids = [d["id"] for d in out]
    if ids != order[: len(ids)]:
        print("ids out of order", ids)
        ok = False
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    name = args[0] if args else "second_all.jsonl"
    with open(FOLDER / name, "w", encoding="utf-8") as fh:
        for d in out:
            fh.write(json.dumps(d, ensure_ascii=False) + "\n")
    print(f"{len(out)} passages written to {name}", "" if ok else "WITH ERRORS")
    if "-v" in sys.argv:
        for d in out:
            text = raw[d["id"]]
            print("==", d["id"])
            for i, e in enumerate(d["entities"]):
                print(f"  {i:2d} {e['label'][:4]} {e['text']!r} {json.dumps(e.get('value'), ensure_ascii=False) if e.get('value') else ''}")
            for r in d["relations"]:
                print(f"     {d['entities'][r['head']]['text']!r} -{r['label']}-> {d['entities'][r['tail']]['text']!r}")


if __name__ == "__main__":
    main()
