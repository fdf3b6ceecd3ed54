"""Build raw_X.jsonl and writer_X.jsonl from a marked-up source (writer w1's own helper).

Source: blocks starting with '=== id | province | genre | era', then the text with
[[span|M]] [[span|P]] [[span|A]] [[span|J]] [[span|D=start..end]] marks (optional #name after
the label letter: [[span|M#m1]], [[span|D#d1=2024-01-01..2024-12-31]]), then a line
'R: m1@d1 m1^a1' (@ AS_OF, ^ BELONGS_TO). Money/percent values are computed here by exact
decimal arithmetic; dates are written by hand.
"""
import json, re, sys
from decimal import Decimal

LAB = {"M": "MONEY", "P": "PERCENT", "D": "DATE", "A": "AGENCY", "J": "PROJECT"}
MARK = re.compile(r"\[\[(.+?)\|([MPDAJ])(?:#(\w+))?(?:=([^\]]+))?\]\]", re.S)
NUM = r"\d+(?:\.\d{3})*(?:,\d+)?"

def num(s):
    return Decimal(s.replace(".", "").replace(",", "."))

def mult(s):
    m = Decimal(1)
    for w, f in (("trăm", 100), ("nghìn", 1000), ("ngàn", 1000), ("triệu", 10**6), ("tỷ", 10**9), ("tỉ", 10**9)):
        if re.search(r"\b" + w + r"\b", s):
            m *= f
    return m

def money(t):
    low = t.lower()
    cur = "USD" if ("usd" in low or "đô la" in low or "đôla" in low) else "VND"
    assert cur == "USD" or "đồng" in low or re.search(r"\dđ$", low), t
    nums = re.findall(NUM, low)
    if len(nums) == 2:
        left, right = re.split(r"\s*(?:-|–|đến)\s*", low, maxsplit=1)
        mr = mult(right)
        ml = mult(left) if mult(left) != 1 else mr
        a, b = num(nums[0]) * ml, num(nums[1]) * mr
        assert a == int(a) and b == int(b)
        return {"amount_min": int(a), "amount_max": int(b), "currency": cur}
    assert len(nums) == 1, t
    a = num(nums[0]) * mult(low)
    assert a == int(a), t
    return {"amount": int(a), "currency": cur}

def pct(t):
    nums = re.findall(NUM, t)
    f = lambda x: float(num(x))
    if len(nums) == 2:
        return {"min": f(nums[0]), "max": f(nums[1])}
    assert len(nums) == 1, t
    return {"value": f(nums[0])}

def date(v):
    if v == "null":
        return {"start": None, "end": None}
    a, _, b = v.partition("..")
    b = b or a
    for x in (a, b):
        assert re.fullmatch(r"(\d{4}|\?\?\?\?)-\d\d-\d\d", x), v
    return {"start": a, "end": b}

def build(src, part):
    blocks = re.split(r"^=== ", open(src, encoding="utf-8").read(), flags=re.M)[1:]
    raw_out, ann_out, listing = [], [], []
    for blk in blocks:
        head, body = blk.split("\n", 1)
        pid, prov, genre, era = [x.strip() for x in head.split("|")]
        body = body.rstrip("\n")
        rels_line = ""
        lines = body.split("\n")
        if lines[-1].startswith("R:"):
            rels_line = lines[-1][2:].strip()
            body = "\n".join(lines[:-1]).rstrip("\n")
        plain, ents, names = [], [], {}
        pos = 0; out = ""
        for m in MARK.finditer(body):
            out += body[pos:m.start()]
            span, lab, name, val = m.group(1), m.group(2), m.group(3), m.group(4)
            assert span == span.strip(), (pid, span)
            start = len(out)
            out += span
            pos = m.end()
            e = {"text": span, "label": LAB[lab], "_start": start}
            if lab == "M": e["value"] = money(span)
            elif lab == "P": e["value"] = pct(span)
            elif lab == "D":
                assert val, (pid, span); e["value"] = date(val)
            if name:
                assert name not in names, (pid, name)
                names[name] = len(ents)
            ents.append(e)
        out += body[pos:]
        assert "[[" not in out and "]]" not in out, (pid, out[out.find("[["):][:80])
        text = out
        for e in ents:
            occ = text[:e["_start"]].count(e["text"]) + 1
            # count overlapping-safe occurrences the way the anchor tool does
            p, k = -1, 0
            while True:
                p = text.find(e["text"], p + 1)
                k += 1
                if p == e["_start"]: break
                assert p >= 0
            e["occ"] = k
        rels = []
        for tok in rels_line.split():
            if "@" in tok:
                h, t = tok.split("@"); lab = "AS_OF"
            else:
                h, t = tok.split("^"); lab = "BELONGS_TO"
            rels.append({"head": names[h], "tail": names[t], "label": lab})
        raw_out.append({"id": pid, "province": prov, "genre": genre, "era": era, "text": text})
        ann_out.append({"id": pid, "entities": [{k: v for k, v in e.items() if k != "_start"} for e in ents],
                        "relations": rels})
        listing.append(f"### {pid} {prov} {genre} {era} ({len(text)} chars)\n{text}\n")
        inv = {v: k for k, v in names.items()}
        for i, e in enumerate(ents):
            listing.append(f"  {i:2d} {inv.get(i, ''):4s} {e['label']:8s} {e['text']!r} {e.get('value', '')}")
        for r in rels:
            listing.append(f"     {ents[r['head']]['text']!r} -{r['label']}-> {ents[r['tail']]['text']!r}")
        listing.append("")
    d = "/work/main/annotations/work/regional/w1/"
    with open(d + f"raw_{part}.jsonl", "w", encoding="utf-8") as f:
        for r in raw_out: f.write(json.dumps(r, ensure_ascii=False) + "\n")
    with open(d + f"writer_{part}.jsonl", "w", encoding="utf-8") as f:
        for r in ann_out: f.write(json.dumps(r, ensure_ascii=False) + "\n")
    open(d + f"src/listing_{part}.txt", "w", encoding="utf-8").write("\n".join(listing))
    lens = [len(r["text"]) for r in raw_out]
    print(part, len(raw_out), "passages", sum(lens), "chars, min", min(lens), "max", max(lens))

if __name__ == "__main__":
    build(sys.argv[1], sys.argv[2])
