"""Build raw_X.jsonl and writer_X.jsonl from src_X.txt (inline markup written by w5).

Markup: [[span|TAG]] with TAG = L[:name][=value][>date_name][@owner_name]
L: D DATE, M MONEY, P PERCENT, A AGENCY, J PROJECT.
DATE values: =A or =A~B, each YYYY | YYYY-MM | YYYY-MM-DD (year may be ????).
MONEY/PERCENT values are parsed from the span (or given with =).
"""
import calendar, json, re, sys, unicodedata
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).parent
LABELS = {"D": "DATE", "M": "MONEY", "P": "PERCENT", "A": "AGENCY", "J": "PROJECT"}
MARK = re.compile(r"\[\[(.+?)\|([^\]]*)\]\]", re.S)
TAG = re.compile(r"^([DMPAJ])(?::(\w+))?(?:=([^>@]+))?((?:[>@]\w+)*)$")


def last_day(y, m):
    if y == "????":
        return {2: 28}.get(m, calendar.monthrange(2001, m)[1])
    return calendar.monthrange(int(y), m)[1]


def date_part(s, end):
    p = s.split("-")
    y = p[0]
    if len(p) == 1:
        return f"{y}-12-31" if end else f"{y}-01-01"
    m = int(p[1])
    if len(p) == 2:
        return f"{y}-{m:02d}-{last_day(y, m):02d}" if end else f"{y}-{m:02d}-01"
    return f"{y}-{m:02d}-{int(p[2]):02d}"


def date_value(v):
    a, _, b = v.partition("~")
    b = b or a
    return {"start": date_part(a.strip(), False), "end": date_part(b.strip(), True)}


NUM = r"\d[\d.]*(?:,\d+)?"


def num(s):
    return Decimal(s.replace(".", "").replace(",", "."))


MULT = {"nghìn tỷ": 10**12, "ngàn tỷ": 10**12, "trăm tỷ": 10**11, "trăm triệu": 10**8,
        "nghìn": 10**3, "ngàn": 10**3, "triệu": 10**6, "tỷ": 10**9, "tỉ": 10**9, "": 1}
CUR = {"đồng": "VND", "đ": "VND", "VNĐ": "VND", "USD": "USD", "Đô la Mỹ": "USD", "đô la Mỹ": "USD",
       "đôla": "USD", "đô la": "USD"}
MONEY_RE = re.compile(rf"^({NUM})(?:\s*(?:-|–|đến)\s*({NUM}))?\s*(nghìn tỷ|ngàn tỷ|trăm tỷ|trăm triệu|nghìn|ngàn|triệu|tỷ|tỉ|)\s*"
                      rf"(đồng|đ|VNĐ|USD|Đô la Mỹ|đô la Mỹ|đôla|đô la)$")
PCT_RE = re.compile(rf"^({NUM})\s*%?(?:\s*(?:-|–|đến)\s*({NUM}))?\s*(%|phần trăm)$")


def intval(d):
    assert d == d.to_integral_value(), d
    return int(d)


def money_value(s):
    m = MONEY_RE.match(re.sub(r"\s+", " ", s))
    assert m, f"cannot parse money {s!r}"
    mult, cur = MULT[m.group(3)], CUR[m.group(4)]
    if m.group(2):
        return {"amount_min": intval(num(m.group(1)) * mult), "amount_max": intval(num(m.group(2)) * mult), "currency": cur}
    return {"amount": intval(num(m.group(1)) * mult), "currency": cur}


def pct_value(s):
    m = PCT_RE.match(re.sub(r"\s+", " ", s))
    assert m, f"cannot parse percent {s!r}"
    if m.group(2):
        return {"min": float(num(m.group(1))), "max": float(num(m.group(2)))}
    return {"value": float(num(m.group(1)))}


def occ_of(text, quote, start):
    occ, pos = 0, -1
    while True:
        pos = text.find(quote, pos + 1)
        assert pos >= 0
        occ += 1
        if pos == start:
            return occ


def parse_block(header, body):
    pid, province, genre, era = [x.strip() for x in header.split("|")]
    body = unicodedata.normalize("NFC", body)
    text, ents, last = "", [], 0
    for m in MARK.finditer(body):
        text += body[last:m.start()]
        span, tag = m.group(1), m.group(2)
        t = TAG.match(tag)
        assert t, f"{pid}: bad tag {tag!r}"
        assert span == span.strip(), f"{pid}: whitespace at span edge {span!r}"
        ents.append({"start": len(text), "span": span, "L": t.group(1), "name": t.group(2),
                     "val": t.group(3), "rels": re.findall(r"([>@])(\w+)", t.group(4))})
        text += span
        last = m.end()
    text += body[last:]
    assert "[[" not in text and "]]" not in text, f"{pid}: stray markup"
    names = {}
    for i, e in enumerate(ents):
        if e["name"]:
            assert e["name"] not in names, f"{pid}: duplicate name {e['name']}"
            names[e["name"]] = i
    out_e, out_r = [], []
    for i, e in enumerate(ents):
        item = {"text": e["span"], "label": LABELS[e["L"]], "occ": occ_of(text, e["span"], e["start"])}
        if e["L"] == "D":
            assert e["val"], f"{pid}: DATE {e['span']!r} needs a value"
            item["value"] = date_value(e["val"])
        elif e["L"] == "M":
            item["value"] = json.loads(e["val"]) if e["val"] else money_value(e["span"])
        elif e["L"] == "P":
            item["value"] = json.loads(e["val"]) if e["val"] else pct_value(e["span"])
        out_e.append(item)
        kinds = [k for k, _ in e["rels"]]
        assert len(kinds) == len(set(kinds)), f"{pid}: two relations of one kind on {e['span']!r}"
        for k, n in e["rels"]:
            assert n in names, f"{pid}: unknown name {n}"
            j = names[n]
            want = "D" if k == ">" else "AJ"
            assert ents[j]["L"] in want, f"{pid}: {e['span']!r} {k} {ents[j]['span']!r}"
            out_r.append({"head": i, "tail": j, "label": "AS_OF" if k == ">" else "BELONGS_TO"})
    # overlap check
    spans = sorted((e["start"], e["start"] + len(e["span"])) for e in ents)
    for (a, b), (c, d) in zip(spans, spans[1:]):
        assert c >= b, f"{pid}: overlap at {c}"
    raw = {"id": pid, "province": province, "genre": genre, "era": era, "text": text}
    return raw, {"id": pid, "entities": out_e, "relations": out_r}


def main(part):
    src = (HERE / f"src_{part}.txt").read_text(encoding="utf-8")
    blocks = re.split(r"^=== (.+)$", src, flags=re.M)[1:]
    raws, anns = [], []
    for header, body in zip(blocks[::2], blocks[1::2]):
        body = body.strip("\n")
        raw, ann = parse_block(header, body)
        n = len(raw["text"])
        flag = "" if 400 <= n <= 1300 else "  <-- LENGTH"
        print(f"{raw['id']} {raw['province']:<22} {raw['genre']:<18} {raw['era']:<11} {n:5d} chars "
              f"{len(ann['entities']):3d} ents {len(ann['relations']):3d} rels{flag}")
        raws.append(raw)
        anns.append(ann)
    with open(HERE / f"raw_{part}.jsonl", "w", encoding="utf-8") as f:
        for r in raws:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    with open(HERE / f"writer_{part}.jsonl", "w", encoding="utf-8") as f:
        for a in anns:
            f.write(json.dumps(a, ensure_ascii=False) + "\n")
    total = sum(len(r["text"]) for r in raws)
    print(f"{len(raws)} passages, {total} chars, mean {total / len(raws):.0f}")


if __name__ == "__main__":
    main(sys.argv[1])
