"""Build second_X.jsonl from a compact spec file (second_src/spec_X.txt).

Spec format, one block per passage:
  ### <id>
  L[:tag] <exact span> [= start..end]   (L: M MONEY, P PERCENT, D DATE, A AGENCY, J PROJECT)
  L[:tag] <exact span> #k                (take the k-th occurrence after the cursor)
  R h>t h>t ...                          (tail DATE -> AS_OF, else BELONGS_TO)
Spans are found in document order, each after the previous one.
"""
import json, re, sys, calendar
from decimal import Decimal

LAB = {"M": "MONEY", "P": "PERCENT", "D": "DATE", "A": "AGENCY", "J": "PROJECT"}
ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "1": 1, "2": 2, "3": 3, "4": 4}
WORDNUM = {"chín": 9, "sáu": 6, "năm": 5, "bảy": 7, "tám": 8, "mười": 10}


def num(s):
    s = s.strip().replace(".", "").replace(",", ".")
    return Decimal(s)


def money(span):
    s = span
    cur = None
    for pat, c in [(r"(USD|Đô la Mỹ|đôla|đô la)$", "USD"), (r"(đồng|đ)$", "VND")]:
        m = re.search(pat, s)
        if m:
            cur = c; s = s[:m.start()].strip(); break
    assert cur, span
    mult = Decimal(1)
    words = {"nghìn": 10**3, "ngàn": 10**3, "triệu": 10**6, "tỷ": 10**9, "tỉ": 10**9, "trăm": 100}
    while True:
        m = re.search(r"\s*(nghìn|ngàn|triệu|tỷ|tỉ|trăm)$", s)
        if not m:
            break
        mult *= words[m.group(1)]; s = s[:m.start()].strip()
    parts = re.split(r"\s*(?:-|–|đến)\s*", s)
    vals = [num(p) * mult for p in parts]
    for v in vals:
        assert v == int(v), span
    if len(vals) == 1:
        return {"amount": int(vals[0]), "currency": cur}
    return {"amount_min": int(vals[0]), "amount_max": int(vals[1]), "currency": cur}


def percent(span):
    s = re.sub(r"\s*(%|phần trăm)$", "", span)
    parts = re.split(r"\s*%?\s*(?:-|–|đến)\s*", s)
    vals = [float(num(p)) for p in parts]
    if len(vals) == 1:
        return {"value": vals[0]}
    return {"min": vals[0], "max": vals[1]}


def last(y, m):
    if y == "????":
        return calendar.monthrange(2023 if m != 2 else 2024, m)[1] if m != 2 else 29
    return calendar.monthrange(int(y), m)[1]


def d(y, m, day):
    return f"{y}-{m:02d}-{day:02d}"


def date(span):
    s = span.strip()
    low = s.lower()
    m = re.fullmatch(r"(?:ngày )?(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", low)
    if m:
        v = d(m[3], int(m[2]), int(m[1])); return {"start": v, "end": v}
    m = re.fullmatch(r"(?:ngày )?(\d{1,2})[/.\-](\d{1,2})", low)
    if m:
        v = d("????", int(m[2]), int(m[1])); return {"start": v, "end": v}
    m = re.fullmatch(r"tháng (\d{1,2})(?:/| năm )(\d{4})", low)
    if m:
        mo = int(m[1]); return {"start": d(m[2], mo, 1), "end": d(m[2], mo, last(m[2], mo))}
    m = re.fullmatch(r"(?:năm |niên độ )?(\d{4})", low)
    if m:
        return {"start": f"{m[1]}-01-01", "end": f"{m[1]}-12-31"}
    m = re.fullmatch(r"cuối năm (\d{4})", low)
    if m:
        return {"start": f"{m[1]}-12-31", "end": f"{m[1]}-12-31"}
    m = re.fullmatch(r"đầu năm (\d{4})", low)
    if m:
        return {"start": f"{m[1]}-01-01", "end": f"{m[1]}-01-01"}
    m = re.fullmatch(r"quý (i{1,3}|iv|\d)(?:/|\.| năm )(\d{4})", low)
    if m:
        q = ROMAN[m[1].upper()]; mo = 3 * q
        return {"start": d(m[2], mo - 2, 1), "end": d(m[2], mo, last(m[2], mo))}
    m = re.fullmatch(r"(\d{1,2}|chín|sáu|năm|bảy|tám|mười) tháng( đầu năm| cuối năm| năm)?(?: (\d{4}))?", low)
    if m:
        n = int(m[1]) if m[1].isdigit() else WORDNUM[m[1]]
        y = m[3] or "????"
        if m[2] == " cuối năm":
            return {"start": d(y, 13 - n, 1), "end": d(y, 12, 31)}
        return {"start": d(y, 1, 1), "end": d(y, n, last(y, n))}
    m = re.fullmatch(r"(?:giai đoạn |nhiệm kỳ |thời kỳ )?(\d{4}) - (\d{4})", low)
    if m:
        return {"start": f"{m[1]}-01-01", "end": f"{m[2]}-12-31"}
    m = re.fullmatch(r"năm học (\d{4}) - (\d{4})", low)
    if m:
        return {"start": f"{m[1]}-09-01", "end": f"{m[2]}-05-31"}
    raise ValueError(f"cannot read date {span!r}; give '= start..end'")


def build(raw_path, spec_path, out_path):
    raws = [json.loads(l) for l in open(raw_path, encoding="utf-8") if l.strip()]
    blocks, cur = {}, None
    for line in open(spec_path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("//"):
            continue
        if line.startswith("### "):
            cur = line[4:].strip(); blocks[cur] = []; continue
        blocks[cur].append(line)
    out = []
    for raw in raws:
        pid, text = raw["id"], raw["text"]
        ents, tags, rels = [], {}, []
        cursor = 0
        for line in blocks.get(pid, []):
            if line.startswith("R "):
                for pair in line[2:].split():
                    h, t = pair.split(">")
                    rels.append((h, t)); continue
                continue
            m = re.match(r"([MPDAJ])(?::(\w+))? (.+)$", line)
            assert m, (pid, line)
            lab, tag, rest = LAB[m[1]], m[2], m[3]
            override, k = None, 1
            mm = re.search(r" = (\S+)\.\.(\S+)$", rest)
            if mm:
                override = {"start": mm[1], "end": mm[2]}; rest = rest[:mm.start()]
            mm = re.search(r" #(\d+)$", rest)
            if mm:
                k = int(mm[1]); rest = rest[:mm.start()]
            span = rest
            pos = cursor - 1
            for _ in range(k):
                pos = text.find(span, pos + 1)
                if pos < 0:
                    sys.exit(f"{pid}: span {span!r} not found after {cursor}")
            # occ counted as the anchor tool does
            occ, p = 0, -1
            while True:
                p = text.find(span, p + 1)
                occ += 1
                if p == pos:
                    break
            cursor = pos + len(span)
            e = {"text": span, "label": lab, "occ": occ}
            if lab == "MONEY":
                e["value"] = money(span)
            elif lab == "PERCENT":
                e["value"] = percent(span)
            elif lab == "DATE":
                e["value"] = override or date(span)
            if tag:
                assert tag not in tags, (pid, tag)
                tags[tag] = len(ents)
            e["_pos"] = pos
            ents.append(e)
        # overlap check
        spans = sorted((e["_pos"], e["_pos"] + len(e["text"])) for e in ents)
        for a, b in zip(spans, spans[1:]):
            assert a[1] <= b[0], (pid, a, b)
        relations = []
        for h, t in rels:
            hi, ti = tags[h], tags[t]
            lab = "AS_OF" if ents[ti]["label"] == "DATE" else "BELONGS_TO"
            relations.append({"head": hi, "tail": ti, "label": lab})
        for e in ents:
            del e["_pos"]
        out.append({"id": pid, "entities": ents, "relations": relations})
    with open(out_path, "w", encoding="utf-8") as f:
        for o in out:
            f.write(json.dumps(o, ensure_ascii=False) + "\n")
    print(f"wrote {len(out)} passages to {out_path}")


if __name__ == "__main__":
    build(*sys.argv[1:4])
