"""w4's own helper: inline-marked source -> raw_X.jsonl + writer_X.jsonl (quote format).

Source format (one file per part, src/part_X.txt):
### w4-001 | Phú Thọ | report | pre-merger
Text with ⟦d1:6 tháng đầu năm 2023⟧ and ⟦m1:1.124,6 tỷ đồng⟧ ...
(more lines = hard line breaks in the passage)
@r m1>d1 m1>a1
@v d1=2023-01-01..2023-06-30     (override / required where my parser cannot read the span)
Key letter: d DATE, m MONEY, p PERCENT, a AGENCY, j PROJECT.
"""
import json, re, sys, unicodedata
from decimal import Decimal
from pathlib import Path

LABEL = {"d": "DATE", "m": "MONEY", "p": "PERCENT", "a": "AGENCY", "j": "PROJECT"}
MARK = re.compile(r"⟦([dmpaj]\d+):(.*?)⟧", re.S)

def num(s):
    s = s.strip()
    return Decimal(s.replace(".", "").replace(",", "."))

def plain(d):
    return int(d) if d == d.to_integral_value() else float(d)

MULT = {"nghìn": 10**3, "ngàn": 10**3, "triệu": 10**6, "tỷ": 10**9, "tỉ": 10**9}

def money(t):
    t = " ".join(t.split())
    cur = "USD" if re.search(r"USD|[Đđ]ô la|đôla|Đôla", t) else "VND"
    body = re.sub(r"\s*(đồng|đ|USD|Đô la Mỹ|đô la Mỹ|đôla|Đôla|đô la)$", "", t)
    def amount(part):
        part = part.strip()
        m = re.fullmatch(r"([\d.,]+)((?:\s*(?:trăm|nghìn|ngàn|triệu|tỷ|tỉ))*)", part)
        if not m:
            raise ValueError(f"money? {t!r}")
        v = num(m.group(1))
        for w in m.group(2).split():
            v *= 100 if w == "trăm" else MULT[w]
        return v
    r = re.fullmatch(r"([\d.,]+)\s*(?:-|–|đến)\s*([\d.,]+)(.*)", body)
    if r:
        tail = r.group(3)
        return {"amount_min": plain(amount(r.group(1) + tail)), "amount_max": plain(amount(r.group(2) + tail)), "currency": cur}
    return {"amount": plain(amount(body)), "currency": cur}

def percent(t):
    t = " ".join(t.split())
    r = re.fullmatch(r"([\d,]+)\s*%?\s*(?:-|–|đến)\s*([\d,]+)\s*(?:%|phần trăm)", t)
    if r:
        return {"min": float(num(r.group(1))), "max": float(num(r.group(2)))}
    r = re.fullmatch(r"([\d,]+)\s*(?:%|phần trăm)", t)
    if not r:
        raise ValueError(f"percent? {t!r}")
    return {"value": float(num(r.group(1)))}

import calendar
WORDNUM = {"một": 1, "hai": 2, "ba": 3, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10, "mười một": 11}
ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}

def Y(y):
    return f"{y:04d}" if y else "????"

def last(y, m):
    return calendar.monthrange(y or 2001, m)[1]

def iso(y, m, d):
    return f"{Y(y)}-{m:02d}-{d:02d}"

def single(s):
    """-> (y, (m1,d1), (m2,d2)) with y possibly None."""
    s = " ".join(s.split()).strip()
    low = s.lower()
    pos = None
    m = re.match(r"^(đầu|cuối|giữa)\s+(.*)$", low)
    if m and not re.match(r"^\d", m.group(2)):
        pos, low = m.group(1), m.group(2)
    def narrow(y, a, b):
        if pos == "đầu":
            return (y, a, a)
        if pos == "cuối":
            return (y, b, b)
        if pos == "giữa":
            return (y, (a[0], 15), (a[0], 15)) if a[0] == b[0] else (y, a, b)
        return (y, a, b)
    # day
    m = re.fullmatch(r"(?:ngày\s+)?(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?:\s*[/.\-]\s*(\d{4}))?", low)
    if m:
        d, mo = int(m.group(1)), int(m.group(2)); y = int(m.group(3)) if m.group(3) else None
        return narrow(y, (mo, d), (mo, d))
    m = re.fullmatch(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", low)
    if m:
        d, mo, y = map(int, m.groups()); return narrow(y, (mo, d), (mo, d))
    # month
    m = re.fullmatch(r"tháng\s+(\d{1,2})(?:\s*(?:/|\.|-|\s+năm\s+)\s*(\d{4}))?", low)
    if m:
        mo = int(m.group(1)); y = int(m.group(2)) if m.group(2) else None
        return narrow(y, (mo, 1), (mo, last(y, mo)))
    # quarter
    m = re.fullmatch(r"quý\s+(i{1,3}|iv|\d)(?:\s*(?:/|\.|\s+năm\s+)\s*(\d{4}))?", low)
    if m:
        q = m.group(1).upper(); q = ROMAN.get(q) or int(q); y = int(m.group(2)) if m.group(2) else None
        a = 3 * q - 2; b = 3 * q
        return narrow(y, (a, 1), (b, last(y, b)))
    # N months
    m = re.fullmatch(r"(\d{1,2}|sáu|chín|bảy|tám|mười một|mười|năm|ba|bốn|hai)\s+tháng(?:\s+(đầu|cuối))?(?:\s+năm)?(?:\s+(\d{4}))?(\s+qua)?", low)
    if m and not m.group(4):
        n = m.group(1); n = int(n) if n.isdigit() else WORDNUM[n]
        y = int(m.group(3)) if m.group(3) else None
        if m.group(2) == "cuối":
            return (y, (13 - n, 1), (12, 31))
        return (y, (1, 1), (n, last(y, n)))
    # school year
    m = re.fullmatch(r"năm học\s+(\d{4})\s*[-–]\s*(\d{4})", low)
    if m:
        return ("R", (int(m.group(1)), 9, 1), (int(m.group(2)), 5, 31))
    # year span
    m = re.fullmatch(r"(?:giai đoạn|thời kỳ|nhiệm kỳ)?\s*(\d{4})\s*[-–]\s*(\d{4})", low)
    if m:
        return ("R", (int(m.group(1)), 1, 1), (int(m.group(2)), 12, 31))
    m = re.fullmatch(r"(?:năm|niên độ|vụ)?\s*(\d{4})", low)
    if m:
        y = int(m.group(1)); return narrow(y, (1, 1), (12, 31))
    raise ValueError(f"date? {s!r}")

def date(t):
    s = " ".join(t.split())
    r = re.fullmatch(r"(?i)(?:giai đoạn\s+(?:từ\s+)?)?(.+?)\s+(?:đến|-|–)\s+((?:ngày|tháng|năm|quý|cuối|đầu).+)", s)
    if r and not re.fullmatch(r"(?:giai đoạn|năm học|thời kỳ|nhiệm kỳ)?\s*\d{4}\s*[-–]\s*\d{4}", s.lower()):
        a, b = single(r.group(1)), single(r.group(2))
        ya, yb = a[0], b[0]
        if ya is None:
            ya = yb
        return {"start": iso(ya, *a[1]), "end": iso(yb, *b[2])}
    y, a, b = single(s)
    if y == "R":
        return {"start": iso(*a), "end": iso(*b)}
    return {"start": iso(y, *a), "end": iso(y, *b)}

def parse_override(v):
    if ".." in v:
        a, b = v.split("..")
        return {"start": a, "end": b}
    if v.startswith("{"):
        return json.loads(v)
    return None

def build(src, raw_out, ann_out):
    blocks = re.split(r"^### ", Path(src).read_text(encoding="utf-8"), flags=re.M)[1:]
    raws, anns, errors = [], [], []
    for block in blocks:
        lines = block.split("\n")
        pid, prov, genre, era = [x.strip() for x in lines[0].split("|")]
        body, rels, vals = [], [], {}
        for line in lines[1:]:
            if line.startswith("@r"):
                rels += line[2:].split()
            elif line.startswith("@v"):
                for item in re.findall(r"(\w+)=(\{.*?\}|\S+)", line[2:]):
                    vals[item[0]] = item[1]
            elif line.startswith("%"):
                continue
            else:
                body.append(line)
        marked = "\n".join(body).strip("\n")
        marked = unicodedata.normalize("NFC", marked)
        text, ents, keys, spans = "", [], {}, []
        pos = 0
        for m in MARK.finditer(marked):
            text += marked[pos:m.start()]
            key, quote = m.group(1), m.group(2)
            if key in keys:
                errors.append(f"{pid}: duplicate key {key}")
            start = len(text); text += quote; spans.append((start, start + len(quote), key, quote))
            pos = m.end()
        text += marked[pos:]
        if "⟦" in text or "⟧" in text:
            errors.append(f"{pid}: stray bracket")
        for start, end, key, quote in spans:
            label = LABEL[key[0]]
            occ = text[:start].count(quote) if False else None
            # occurrence index of this exact substring (overlapping search as quotes.py does)
            occ, p = 0, -1
            while True:
                p = text.find(quote, p + 1)
                occ += 1
                if p == start or p < 0:
                    break
            if p < 0:
                errors.append(f"{pid}: cannot locate {quote!r}")
            e = {"text": quote, "label": label, "occ": occ}
            try:
                if key in vals:
                    v = vals[key]
                    e["value"] = parse_override(v) if label == "DATE" else json.loads(v) if v.startswith("{") else {"amount": int(v), "currency": "VND"}
                elif label == "MONEY":
                    e["value"] = money(quote)
                elif label == "PERCENT":
                    e["value"] = percent(quote)
                elif label == "DATE":
                    e["value"] = date(quote)
            except (ValueError, KeyError) as err:
                errors.append(f"{pid} {key}: {err}")
            keys[key] = len(ents); ents.append(e)
        relations = []
        for r in rels:
            h, t = r.split(">")
            if h not in keys or t not in keys:
                errors.append(f"{pid}: bad relation {r}"); continue
            tl = LABEL[t[0]]
            relations.append({"head": keys[h], "tail": keys[t], "label": "AS_OF" if tl == "DATE" else "BELONGS_TO"})
        for k in vals:
            if k not in keys:
                errors.append(f"{pid}: value for unknown key {k}")
        raws.append({"id": pid, "province": prov, "genre": genre, "era": era, "text": text})
        anns.append({"id": pid, "entities": ents, "relations": relations})
    with open(raw_out, "w", encoding="utf-8") as f:
        for r in raws:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    with open(ann_out, "w", encoding="utf-8") as f:
        for a in anns:
            f.write(json.dumps(a, ensure_ascii=False) + "\n")
    for e in errors:
        print("ERROR:", e)
    for r in raws:
        print(r["id"], r["province"], r["genre"], r["era"], len(r["text"]), "chars")
    return not errors

if __name__ == "__main__":
    part = sys.argv[1]
    d = Path(__file__).resolve().parent.parent
    ok = build(d / "src" / f"part_{part}.txt", d / f"raw_{part}.jsonl", d / f"writer_{part}.jsonl")
    sys.exit(0 if ok else 1)
