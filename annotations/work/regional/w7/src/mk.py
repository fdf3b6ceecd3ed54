"""Build raw_X.jsonl and writer_X.jsonl from marked-up passages.

Markup: [[span|L#tag|b=tag|a=tag|v=...]]  L in M P D A J.
DATE v: 'A..B' or single 'X' (X..X); each end YYYY / YYYY-MM / YYYY-MM-DD (???? allowed).
"""
import json, re, sys, unicodedata, calendar
from decimal import Decimal

LAB = {"M": "MONEY", "P": "PERCENT", "D": "DATE", "A": "AGENCY", "J": "PROJECT"}
MARK = re.compile(r"\[\[(.+?)\]\]", re.S)

def num(s):
    s = s.strip().replace(".", "").replace(",", ".")
    return Decimal(s)

def money(span):
    t = span.replace("\n", " ")
    t = re.sub(r"\s+", " ", t)
    cur = "VND"
    if re.search(r"USD|đô ?la|Đô la|đôla", t, re.I):
        cur = "USD"
    m = re.match(r"^([\d.,]+)(?:\s*(?:-|–|đến)\s*([\d.,]+))?\s*(.*)$", t)
    a, b, rest = m.group(1), m.group(2), m.group(3)
    mult = Decimal(1)
    for w, f in (("trăm", 100), ("nghìn", 1000), ("ngàn", 1000), ("triệu", 10**6), ("tỷ", 10**9), ("tỉ", 10**9)):
        mult *= Decimal(f) ** len(re.findall(r"\b" + w + r"\b", rest))
    def v(x):
        r = num(x) * mult
        assert r == int(r), span
        return int(r)
    if b:
        return {"amount_min": v(a), "amount_max": v(b), "currency": cur}
    return {"amount": v(a), "currency": cur}

def percent(span):
    t = re.sub(r"\s+", " ", span.replace("\n", " "))
    nums = re.findall(r"\d[\d.,]*", t)
    vals = [float(num(x)) for x in nums]
    if len(vals) == 2:
        return {"min": vals[0], "max": vals[1]}
    assert len(vals) == 1, span
    return {"value": vals[0]}

def _end(x):
    p = x.split("-")
    if len(p) == 1:
        return f"{p[0]}-12-31"
    if len(p) == 2:
        y, mth = p
        yy = 2023 if y == "????" else int(y)
        return f"{y}-{mth}-{calendar.monthrange(yy, int(mth))[1]:02d}"
    return x

def _start(x):
    p = x.split("-")
    if len(p) == 1:
        return f"{p[0]}-01-01"
    if len(p) == 2:
        return f"{x}-01"
    return x

def date(v):
    if v == "null":
        return {"start": None, "end": None}
    a, b = (v.split("..") + [None])[:2]
    if b is None:
        b = a
    return {"start": _start(a), "end": _end(b)}

def parse(markup, pid):
    out, ents, tags, pend = [], [], {}, []
    pos = 0
    for m in MARK.finditer(markup):
        out.append(markup[pos:m.start()])
        parts = m.group(1).split("|")
        span, lab = parts[0], parts[1]
        tag = None
        if "#" in lab:
            lab, tag = lab.split("#")
        opts = dict(p.split("=", 1) for p in parts[2:])
        start = sum(len(x) for x in out)
        out.append(span)
        label = LAB[lab]
        e = {"text": span, "label": label, "_start": start}
        if label == "MONEY":
            e["value"] = json.loads(opts["v"]) if "v" in opts else money(span)
        elif label == "PERCENT":
            e["value"] = json.loads(opts["v"]) if "v" in opts else percent(span)
        elif label == "DATE":
            e["value"] = date(opts["v"])
        idx = len(ents)
        ents.append(e)
        if tag:
            assert tag not in tags, (pid, tag)
            tags[tag] = idx
        for k in ("b", "a"):
            if k in opts:
                pend.append((idx, opts[k], "BELONGS_TO" if k == "b" else "AS_OF"))
        assert label in ("MONEY", "PERCENT") or not pend or pend[-1][0] != idx, (pid, span)
        pos = m.end()
    out.append(markup[pos:])
    text = "".join(out)
    assert "[[" not in text and "]]" not in text, pid
    for e in ents:
        s = e.pop("_start")
        assert text[s:s + len(e["text"])] == e["text"]
        assert e["text"] == e["text"].strip(), (pid, e["text"])
        e["occ"] = text.count(e["text"], 0, s + len(e["text"]) - 0) if False else _occ(text, e["text"], s)
    rels = []
    for h, t, l in pend:
        assert t in tags, (pid, t)
        rels.append({"head": h, "tail": tags[t], "label": l})
    return text, ents, rels

def _occ(text, q, s):
    n, p = 0, -1
    while True:
        p = text.find(q, p + 1)
        if p < 0 or p > s:
            break
        n += 1
    return n

def build(part, passages, first_id, folder):
    raw, ann = [], []
    for i, p in enumerate(passages):
        pid = f"w7-{first_id + i:03d}"
        markup = unicodedata.normalize("NFC", p["t"].strip("\n"))
        text, ents, rels = parse(markup, pid)
        raw.append({"id": pid, "province": p["p"], "genre": p["g"], "era": p["e"], "text": text})
        ann.append({"id": pid, "entities": [{k: e[k] for k in ("text", "label", "occ", "value") if k in e} for e in ents], "relations": rels})
        print(pid, p["p"], p["g"], p["e"], len(text), "chars", len(ents), "ents", len(rels), "rels", text.count(". ") + 1, "sent~")
    with open(f"{folder}/raw_{part}.jsonl", "w", encoding="utf-8") as f:
        for r in raw:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    with open(f"{folder}/writer_{part}.jsonl", "w", encoding="utf-8") as f:
        for r in ann:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    tot = sum(len(r["text"]) for r in raw)
    print(part, len(raw), "passages", tot, "chars", tot / len(raw), "avg")
