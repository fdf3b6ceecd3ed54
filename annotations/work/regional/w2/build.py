"""Build raw_X.jsonl and writer_X.jsonl of writer w2 from an inline-marked source file.

    python build.py src_a.txt a

Source: blocks starting `### <id> | <province> | <genre> | <era>`, then the passage lines
(joined by newlines; `⏎` inside a line is a newline too). Spans: `[[text|L]]`, `[[text|L:key]]`,
`[[text|L:key=value]]`, `[[text|L>k1,k2]]`, any combination (`[[text|L:key=value>k1,k2]]`).
L: D DATE, M MONEY, P PERCENT, A AGENCY, J PROJECT. `>k` from a MONEY/PERCENT gives AS_OF when
k is a DATE and BELONGS_TO otherwise. DATE values: `Y`, `Y-M`, `Y-M-D`, `A..B`, `null`; MONEY and
PERCENT values are computed from the span unless given.
"""

import calendar
import json
import re
import sys
from decimal import Decimal
from pathlib import Path

LABELS = {"D": "DATE", "M": "MONEY", "P": "PERCENT", "A": "AGENCY", "J": "PROJECT"}
SPAN = re.compile(r"\[\[(.+?)\|([DMPAJ])(?::([A-Za-z0-9_]+))?(?:=([^>\]]+))?(?:>([A-Za-z0-9_,]+))?\]\]", re.S)
MULT = {"nghìn": 10**3, "ngàn": 10**3, "triệu": 10**6, "tỷ": 10**9, "tỉ": 10**9, "trăm": 100}


def num(s):
    s = s.strip()
    if re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d+)?", s) or re.fullmatch(r"\d+(,\d+)?", s):
        return Decimal(s.replace(".", "").replace(",", "."))
    raise ValueError(f"bad number {s!r}")


def plain(d):
    return int(d) if d == d.to_integral_value() else float(d)


def money(span):
    s = span.replace("\n", " ")
    cur = "USD" if re.search(r"USD|[Đđ]ô ?la", s) else "VND"
    s = re.sub(r"USD|[Đđ]ô la Mỹ|[Đđ]ôla Mỹ|[Đđ]ô ?la|đồng|VNĐ|đ$", "", s).strip()
    parts = re.split(r"\s*(?:-|–|đến)\s*", s)
    vals = []
    for p in parts:
        toks = p.split()
        n = num(toks[0])
        m = 1
        for t in toks[1:]:
            m *= MULT[t]
        vals.append((n, m, len(toks) > 1))
    if len(vals) == 1:
        return {"amount": plain(vals[0][0] * vals[0][1]), "currency": cur}
    (a, ma, ha), (b, mb, hb) = vals
    if not ha:
        ma = mb
    return {"amount_min": plain(a * ma), "amount_max": plain(b * mb), "currency": cur}


def percent(span):
    s = span.replace("\n", " ").replace("phần trăm", "%")
    nums = re.findall(r"\d+(?:,\d+)?", s)
    vals = [plain(num(x)) for x in nums]
    vals = [float(v) for v in vals]
    if len(vals) == 1:
        return {"value": vals[0]}
    return {"min": vals[0], "max": vals[1]}


def endpoint(v, first):
    parts = v.split("-")
    y = parts[0]
    if len(parts) == 1:
        return f"{y}-01-01" if first else f"{y}-12-31"
    m = int(parts[1])
    if len(parts) == 2:
        if first:
            return f"{y}-{m:02d}-01"
        last = calendar.monthrange(2001 if y == "????" else int(y), m)[1]
        return f"{y}-{m:02d}-{last}"
    return f"{y}-{m:02d}-{int(parts[2]):02d}"


def date_value(v):
    if v == "null":
        return {"start": None, "end": None}
    a, _, b = v.partition("..")
    b = b or a
    return {"start": endpoint(a, True), "end": endpoint(b, False)}


def occurrence(text, quote, start):
    pos, occ = -1, 0
    while True:
        pos = text.find(quote, pos + 1)
        occ += 1
        if pos == start:
            return occ
        if pos < 0 or pos > start:
            raise AssertionError(quote)


def build(block):
    head, *lines = block.split("\n")
    pid, prov, genre, era = [x.strip() for x in head.split("|")]
    src = "\n".join(l for l in lines).strip("\n").replace("⏎", "\n")
    text, ents, pos = "", [], 0
    for m in SPAN.finditer(src):
        text += src[pos:m.start()]
        span, lab, key, val, tgt = m.groups()
        ents.append({"span": span, "label": LABELS[lab], "key": key, "val": val,
                     "tgt": tgt.split(",") if tgt else [], "start": len(text)})
        text += span
        pos = m.end()
    text += src[pos:]
    assert "[[" not in text and "]]" not in text, (pid, "unparsed markup")
    keys = {e["key"]: i for i, e in enumerate(ents) if e["key"]}
    out_ents, rels, warn = [], [], []
    for i, e in enumerate(ents):
        s = e["span"]
        if s != s.strip():
            warn.append(f"{pid}: span with outer whitespace {s!r}")
        item = {"text": s, "label": e["label"], "occ": occurrence(text, s, e["start"])}
        if e["label"] == "DATE":
            if not e["val"]:
                warn.append(f"{pid}: DATE without value {s!r}")
            else:
                item["value"] = date_value(e["val"])
        elif e["label"] == "MONEY":
            item["value"] = json.loads(e["val"]) if e["val"] else money(s)
        elif e["label"] == "PERCENT":
            item["value"] = json.loads(e["val"]) if e["val"] else percent(s)
        out_ents.append(item)
        kinds = set()
        for t in e["tgt"]:
            j = keys[t]
            kind = "AS_OF" if ents[j]["label"] == "DATE" else "BELONGS_TO"
            if kind in kinds:
                warn.append(f"{pid}: two {kind} on {s!r}")
            kinds.add(kind)
            rels.append({"head": i, "tail": j, "label": kind})
            lo, hi = sorted([e["start"], ents[j]["start"]])
            between = text[lo:hi]
            if re.search(r"[.;:] [A-ZĐÂĂÊÔƠƯ]|\n", between):
                warn.append(f"{pid}: relation {s!r} -> {ents[j]['span']!r} may cross a sentence")
    raw = {"id": pid, "province": prov, "genre": genre, "era": era, "text": text}
    ann = {"id": pid, "entities": out_ents, "relations": rels}
    return raw, ann, ents, text, warn


CHECKS = [
    r"\d[\d.,]*\s*(?:%|phần trăm)",
    r"\d[\d.,]*\s*(?:nghìn|ngàn|triệu|tỷ|tỉ|trăm)?\s*(?:tỷ\s*)?(?:đồng|USD|đôla|Đô la|đ\b|VNĐ)",
    r"(?i)\b(?:năm|tháng|quý|ngày|giai đoạn|niên độ)\s+[\dIVX]",
    r"\b\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{4})?\b",
    r"\b(?:20[1-3]\d)\b",
    r"UBND|HĐND|Ủy ban|Sở |Ban Quản lý|Công ty|Tổng công ty|Tập đoàn|Ngân hàng|NHCSXH|Kho bạc|KBNN|Thuế |Thống kê|"
    r"Thanh tra|Kiểm toán|Bộ |Chính phủ|Tỉnh ủy|Thành ủy|Cục |Chi nhánh|Hợp tác xã|BIDV|Agribank|Vietcombank|VietinBank|EVN|Đảng ủy|Quốc hội|Hải quan|Công an|Mặt trận|Phòng giao dịch|Trung tâm|Chi cục|Bệnh viện|Trường",
    r"(?i)dự án|công trình|chương trình|đề án|khu công nghiệp|cụm công nghiệp|cầu |hồ chứa|kè |cao tốc|quốc lộ|đường tỉnh|khu đô thị",
]


def lint(pid, text, ents):
    covered = [(e["start"], e["start"] + len(e["span"])) for e in ents]
    msgs = []
    for pat in CHECKS:
        for m in re.finditer(pat, text):
            if re.fullmatch(r"(?i)dự án|công trình|chương trình|đề án", m.group()) and any(
                    m.end() + 1 == a or m.end() == a for a, b in covered):
                continue
            if not any(a <= m.start() < b for a, b in covered):
                ctx = text[max(0, m.start() - 25):m.end() + 25].replace("\n", "⏎")
                msgs.append(f"  {pid} uncovered {m.group()!r}: …{ctx}…")
    spans = sorted(covered)
    for (a, b), (c, d) in zip(spans, spans[1:]):
        if c < b:
            msgs.append(f"  {pid} OVERLAP {text[a:b]!r} / {text[c:d]!r}")
    return msgs


def main():
    src, part = sys.argv[1], sys.argv[2]
    here = Path(__file__).parent
    blocks = [b for b in re.split(r"^### ", Path(here / src).read_text(encoding="utf-8"), flags=re.M) if b.strip()]
    raws, anns, allwarn, lints = [], [], [], []
    for b in blocks:
        raw, ann, ents, text, warn = build(b)
        raws.append(raw)
        anns.append(ann)
        allwarn += warn
        lints += lint(raw["id"], text, ents)
        n = len(re.findall(r"[.!?](?:\s|$)", text))
        print(f"{raw['id']} {raw['province']:12} {raw['genre']:18} {raw['era']:11} chars={len(text):5} "
              f"ents={len(ents):3} rels={len(ann['relations']):3} ~sent={n}")
    with open(here / f"raw_{part}.jsonl", "w", encoding="utf-8") as f:
        for r in raws:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    with open(here / f"writer_{part}.jsonl", "w", encoding="utf-8") as f:
        for a in anns:
            f.write(json.dumps(a, ensure_ascii=False) + "\n")
    total = sum(len(r["text"]) for r in raws)
    print(f"{len(raws)} passages, {total} chars, mean {total / len(raws):.0f}")
    for w in allwarn:
        print("WARN", w)
    if "-q" not in sys.argv:
        print("lint (uncovered candidates):")
        for l in lints:
            print(l)


if __name__ == "__main__":
    main()
