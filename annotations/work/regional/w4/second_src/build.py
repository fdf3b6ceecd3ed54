"""Build second_X.jsonl from an ordered span list (second_src/X.txt).

Line format (entities in text order):  LABEL span [|| opt [|| opt ...]]
LABEL: M MONEY, P PERCENT, D DATE, A AGENCY, J PROJECT.  '\\n' in a span is a newline.
DATE options: a value  YYYY | YYYY-MM | YYYY-MM-DD | X..Y  (year may be ????).
Relations: A=<span>[#n] (AS_OF), B=<span>[#n] (BELONGS_TO); without #n the nearest entity
with that text is taken. skip=N skips N occurrences after the cursor.
MONEY / PERCENT values are computed from the span.
"""
import calendar, json, re, sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
LAB = {"M": "MONEY", "P": "PERCENT", "D": "DATE", "A": "AGENCY", "J": "PROJECT"}


def num(s):
    s = s.strip().replace(".", "").replace(",", ".")
    v = float(s)
    return v


def money(span):
    t = " ".join(span.split())
    m = re.fullmatch(r"([\d.,]+)(?:\s*-\s*([\d.,]+))?\s*(trăm|nghìn|ngàn|triệu|tỷ|tỉ)?\s*(nghìn|ngàn|triệu|tỷ|tỉ)?\s*(đồng|đ|USD|đôla|Đô la Mỹ)", t)
    assert m, span
    mult = 1
    for w in (m.group(3), m.group(4)):
        if w:
            mult *= {"trăm": 100, "nghìn": 1e3, "ngàn": 1e3, "triệu": 1e6, "tỷ": 1e9, "tỉ": 1e9}[w]
    cur = "VND" if m.group(5) in ("đồng", "đ") else "USD"
    a = round(num(m.group(1)) * mult)
    if m.group(2):
        return {"amount_min": a, "amount_max": round(num(m.group(2)) * mult), "currency": cur}
    return {"amount": a, "currency": cur}


def percent(span):
    t = " ".join(span.split())
    m = re.fullmatch(r"([\d.,]+)\s*%?(?:\s*(?:-|đến)\s*([\d,.]+))?\s*(%|phần trăm)", t)
    assert m, span
    if m.group(2):
        return {"min": float(m.group(1).replace(",", ".")), "max": float(m.group(2).replace(",", "."))}
    return {"value": float(m.group(1).replace(",", "."))}


def expand(p, end):
    parts = p.split("-")
    y = parts[0]
    if len(parts) == 1:
        return f"{y}-12-31" if end else f"{y}-01-01"
    mth = parts[1]
    if len(parts) == 2:
        if not end:
            return f"{y}-{mth}-01"
        yy = 2001 if y == "????" else int(y)  # 2001: not a leap year
        return f"{y}-{mth}-{calendar.monthrange(yy, int(mth))[1]:02d}"
    return p


def date(v):
    a, b = v.split("..") if ".." in v else (v, v)
    return {"start": expand(a, False), "end": expand(b, True)}


def build(part, final=False):
    pre = "final_" if final else ""
    raws = [json.loads(l) for l in (HERE.parent / f"raw_{part}.jsonl").read_text(encoding="utf-8").splitlines() if l.strip()]
    texts = {r["id"]: r["text"] for r in raws}
    blocks, cur = {}, None
    for line in (HERE / f"{pre}{part}.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("//"):
            continue
        if line.startswith("# "):
            cur = line[2:].strip(); blocks[cur] = []; continue
        blocks[cur].append(line)
    out, report = [], []
    for r in raws:
        pid, text = r["id"], r["text"]
        ents, pos, rels_raw = [], 0, []
        for line in blocks.get(pid, []):
            lab, rest = line.split(" ", 1)
            fields = [f.strip() for f in rest.split("||")]
            span = fields[0].replace("\\n", "\n")
            opts = fields[1:]
            skip = 0
            for o in opts:
                if o.startswith("skip="):
                    skip = int(o[5:])
            start = text.find(span, pos)
            for _ in range(skip):
                start = text.find(span, start + 1)
            assert start >= 0, (pid, span, pos)
            occ, p = 0, -1
            while True:
                p = text.find(span, p + 1)
                occ += 1
                if p == start:
                    break
            e = {"text": span, "label": LAB[lab], "occ": occ}
            if lab == "M":
                e["value"] = money(span)
            elif lab == "P":
                e["value"] = percent(span)
            elif lab == "D":
                vals = [o for o in opts if re.match(r"[\d?]{4}", o)]
                assert vals, (pid, span)
                e["value"] = date(vals[0])
            ents.append((start, start + len(span), e))
            for o in opts:
                if o[:2] in ("A=", "B="):
                    rels_raw.append((len(ents) - 1, o[0], o[2:]))
            pos = start + len(span)
        rels = []
        for h, kind, key in rels_raw:
            n = None
            if re.search(r"#\d+$", key):
                key, n = key.rsplit("#", 1); n = int(n)
            cands = [i for i, (_, _, e) in enumerate(ents) if e["text"] == key.replace("\\n", "\n")]
            assert cands, (pid, key)
            if n:
                t = cands[n - 1]
            else:
                t = min(cands, key=lambda i: abs(ents[i][0] - ents[h][0]))
            rels.append({"head": h, "tail": t, "label": "AS_OF" if kind == "A" else "BELONGS_TO"})
        out.append({"id": pid, "entities": [e for _, _, e in ents], "relations": rels})
        report.append(f"===== {pid}")
        for i, (s, en, e) in enumerate(ents):
            rr = [f"{x['label'][:2]}->{ents[x['tail']][2]['text']!r}" for x in rels if x["head"] == i]
            report.append(f"{i:2d} {e['label'][:4]} [{text[max(0,s-25):s]!r}] {e['text']!r} {e.get('value','')} {' '.join(rr)}")
    (HERE.parent / (f"final_{part}.jsonl" if final else f"second_{part}.jsonl")).write_text(
        "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in out), encoding="utf-8")
    (HERE / f"{pre}review_{part}.txt").write_text("\n".join(report) + "\n", encoding="utf-8")
    print(part, len(out), "passages", sum(len(o["entities"]) for o in out), "entities",
          sum(len(o["relations"]) for o in out), "relations")


if __name__ == "__main__":
    final = "--final" in sys.argv
    for part in [a for a in sys.argv[1:] if a != "--final"]:
        build(part, final)
