"""Build second_X.jsonl from second_src/ann_X.txt (entity list in text order).

ann format:
@@ <id>
<L> <span text> [#id] [>id ...] [=value]
L: M MONEY, P PERCENT, D DATE, A AGENCY, J PROJECT. '\\n' in a span = newline.
Relations: '>id' on a figure; AS_OF if target is DATE, else BELONGS_TO.
Date value override: =YYYY-MM-DD..YYYY-MM-DD ; money/percent override: =json
"""
import json, re, sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
F = HERE.parent
LAB = {"M": "MONEY", "P": "PERCENT", "D": "DATE", "A": "AGENCY", "J": "PROJECT"}

def num(s):
    s = s.strip().replace(" ", "")
    if "," in s:
        a, b = s.split(",")
        return float(a.replace(".", "") + "." + b)
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", s):
        return float(s.replace(".", ""))
    return float(s)

MULT = [("nghìn tỷ", 10**12), ("ngàn tỷ", 10**12), ("trăm tỷ", 10**11), ("tỷ", 10**9), ("tỉ", 10**9),
        ("triệu", 10**6), ("nghìn", 10**3), ("ngàn", 10**3)]

def money(t):
    cur = "USD" if re.search(r"USD|[Đđ]ô ?la|đôla", t) else "VND"
    m = 1
    for w, v in MULT:
        if w in t:
            m = v; break
    nums = re.findall(r"\d[\d.,]*", t)
    vals = [round(num(n.rstrip(".,")) * m) for n in nums]
    if len(vals) == 2:
        return {"amount_min": vals[0], "amount_max": vals[1], "currency": cur}
    return {"amount": vals[0], "currency": cur}

def percent(t):
    nums = [num(n.rstrip(".,")) for n in re.findall(r"\d[\d.,]*", t)]
    if len(nums) == 2:
        return {"min": nums[0], "max": nums[1]}
    return {"value": nums[0]}

ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "1": 1, "2": 2, "3": 3, "4": 4}
MDAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

def mend(y, m):
    d = MDAYS[m - 1]
    if m == 2 and y != "????" and not (int(y) % 4 == 0):
        d = 28
    return d

def fmt(y, m, d):
    return f"{y}-{m:02d}-{d:02d}"

def one_date(t):
    """returns (start, end) for a single (non-range) expression"""
    t = t.strip()
    low = t.lower()
    y = None
    m = re.search(r"(?:năm|/|\.|-| )\s*(\d{4})\b", t)
    ym = re.search(r"\b(\d{4})\b", t)
    y = ym.group(1) if ym else "????"
    # day-month-year
    m = re.search(r"(?<!\d)(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?!\d)(?:\s*[/.\-]\s*(\d{4}))?", t)
    if m and not re.search(r"quý|tháng", low):
        d, mo = int(m.group(1)), int(m.group(2))
        yy = m.group(3) or "????"
        return fmt(yy, mo, d), fmt(yy, mo, d)
    m = re.search(r"ngày (\d{1,2}) tháng (\d{1,2})(?: năm (\d{4}))?", low)
    if m:
        yy = m.group(3) or "????"
        return fmt(yy, int(m.group(2)), int(m.group(1))), fmt(yy, int(m.group(2)), int(m.group(1)))
    m = re.search(r"quý ([IV]+|\d)", t, re.I)
    if m:
        q = ROMAN[m.group(1).upper()]
        return fmt(y, 3 * q - 2, 1), fmt(y, 3 * q, mend(y, 3 * q))
    words = {"hai": 2, "ba": 3, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10}
    m = re.search(r"^(?:(\d{1,2})|(hai|ba|bốn|năm|sáu|bảy|tám|chín|mười)) tháng( đầu năm| cuối năm| năm| qua|$| đầu)", low)
    if m:
        n = int(m.group(1)) if m.group(1) else words[m.group(2)]
        if "cuối" in m.group(3):
            return fmt(y, 13 - n, 1), fmt(y, 12, 31)
        if "qua" in m.group(3):
            return None, None
        return fmt(y, 1, 1), fmt(y, n, mend(y, n))
    m = re.search(r"tháng (\d{1,2})", low)
    if m:
        mo = int(m.group(1))
        if "đầu" in low:
            return fmt(y, mo, 1), fmt(y, mo, 1)
        if "cuối" in low:
            return fmt(y, mo, mend(y, mo)), fmt(y, mo, mend(y, mo))
        if "giữa" in low:
            return fmt(y, mo, 15), fmt(y, mo, 15)
        return fmt(y, mo, 1), fmt(y, mo, mend(y, mo))
    if "năm học" in low:
        ys = re.findall(r"\d{4}", t)
        return f"{ys[0]}-09-01", f"{ys[1]}-05-31"
    ys = re.findall(r"\d{4}", t)
    if len(ys) == 2:
        return f"{ys[0]}-01-01", f"{ys[1]}-12-31"
    if len(ys) == 1:
        if "cuối" in low:
            return f"{y}-12-31", f"{y}-12-31"
        if "đầu" in low:
            return f"{y}-01-01", f"{y}-01-01"
        return f"{y}-01-01", f"{y}-12-31"
    raise ValueError(t)

def date(t):
    parts = re.split(r"\s+đến\s+", t)
    if len(parts) == 2:
        s, _ = one_date(parts[0])
        _, e = one_date(parts[1])
        # propagate year / month from the end
        ey = e[:4]
        if s.startswith("????") and ey != "????":
            s = ey + s[4:]
        return {"start": s, "end": e}
    s, e = one_date(t)
    return {"start": s, "end": e}

def build(part, prefix="second"):
    raws = [json.loads(l) for l in (F / f"raw_{part}.jsonl").read_text(encoding="utf-8").splitlines() if l.strip()]
    blocks = {}
    cur = None
    for line in (HERE / (f"ann_{part}.txt" if prefix == "second" else f"ann_{prefix}_{part}.txt")).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("//"):
            continue
        if line.startswith("@@"):
            cur = line[2:].strip(); blocks[cur] = []; continue
        blocks[cur].append(line)
    out = []
    errors = 0
    for raw in raws:
        text = raw["text"]
        ents, rels, ids, pend = [], [], {}, []
        pos = 0
        for line in blocks.get(raw["id"], []):
            lab, rest = line.split(" ", 1)
            toks = rest.split(" ")
            opts = []
            while toks and toks[-1][:1] in "#>=" and len(toks[-1]) > 1:
                opts.insert(0, toks.pop())
            span = " ".join(toks).replace("\\n", "\n")
            start = text.find(span, pos)
            if start < 0:
                print(f"{raw['id']}: not found after {pos}: {span!r}"); errors += 1; continue
            if (start > 0 and text[start-1].isalnum()) or (start+len(span) < len(text) and text[start+len(span)].isalnum()):
                print(f"{raw['id']}: WARN boundary {span!r}: {text[max(0,start-5):start+len(span)+5]!r}")
            occ = sum(1 for p in range(start) if text.startswith(span, p)) + 1
            pos = start + len(span)
            ent = {"text": span, "label": LAB[lab], "occ": occ}
            val = None
            for o in opts:
                if o[0] == "#":
                    ids[o[1:]] = len(ents)
                elif o[0] == ">":
                    for tgt in o[1:].split(","):
                        pend.append((len(ents), tgt))
                elif o[0] == "=":
                    v = o[1:]
                    if ".." in v:
                        a, b = v.split("..")
                        val = {"start": None if a == "null" else a, "end": None if b == "null" else b}
                    else:
                        val = json.loads(v)
            if lab in "MPD" and val is None:
                val = {"M": money, "P": percent, "D": date}[lab](span)
            if val is not None:
                ent["value"] = val
            ents.append(ent)
        for h, tgt in pend:
            if tgt not in ids:
                print(f"{raw['id']}: unknown id {tgt}"); errors += 1; continue
            t = ids[tgt]
            rels.append({"head": h, "tail": t, "label": "AS_OF" if ents[t]["label"] == "DATE" else "BELONGS_TO"})
        out.append({"id": raw["id"], "entities": ents, "relations": rels})
    (F / f"{prefix}_{part}.jsonl").write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in out), encoding="utf-8")
    print(part, "written", sum(len(o["entities"]) for o in out), "entities", sum(len(o["relations"]) for o in out), "relations", errors, "errors")

if __name__ == "__main__":
    args = sys.argv[1:]
    prefix = "second"
    if args and args[0].startswith("--out="):
        prefix = args.pop(0)[6:]
    for p in args:
        build(p, prefix)
