"""Build second_X.jsonl from a line-based markup (second_src/marks_X.txt).

Markup, per passage:
  # <id>
  <LAB> <text>[ ^k][ = start..end][ > owner-ref][ @ date-ref]
LAB: M (MONEY) P (PERCENT) D (DATE) AG (AGENCY) PR (PROJECT).
Entities are listed in text order; each is placed at the first word-boundary
occurrence after the previous entity (^k: the k-th such occurrence).
A ref is an entity text, optionally '#n' (n-th entity with that text);
without '#n' the nearest entity with that text is used.
'\\n' in a text stands for a line break.
"""
import json, re, sys, unicodedata
from pathlib import Path

LAB = {"M": "MONEY", "P": "PERCENT", "D": "DATE", "AG": "AGENCY", "PR": "PROJECT"}

def num(s):
    s = s.strip()
    if re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d+)?", s) or re.fullmatch(r"\d+(,\d+)?", s):
        return float(s.replace(".", "").replace(",", "."))
    raise ValueError(s)

MULT = [("nghìn tỷ", 10**12), ("ngàn tỷ", 10**12), ("trăm tỷ", 10**11), ("tỷ", 10**9), ("tỉ", 10**9),
        ("triệu", 10**6), ("nghìn", 10**3), ("ngàn", 10**3)]

def money(t):
    t = t.replace("\n", " ")
    t = re.sub(r"\s+", " ", t)
    cur = "USD" if re.search(r"USD|đôla|Đô la|đô la", t) else "VND"
    body = re.sub(r"\s*(USD|Đô la Mỹ|đô la Mỹ|đôla|đồng|đ)$", "", t)
    mult = 1
    for w, m in MULT:
        if body.endswith(" " + w):
            mult = m; body = body[: -len(w) - 1]; break
    parts = re.split(r"\s*(?:-|–|đến)\s*", body)
    vals = [round(num(p) * mult) for p in parts]
    if len(vals) == 1:
        return {"amount": vals[0], "currency": cur}
    return {"amount_min": vals[0], "amount_max": vals[1], "currency": cur}

def percent(t):
    body = t.replace("phần trăm", "%")
    parts = [p for p in re.split(r"\s*%?\s*(?:-|–|đến)\s*", body.replace(" %", "%").rstrip("%").strip()) if p]
    vals = [num(p.rstrip("%").strip()) for p in parts]
    vals = [int(v) if v == int(v) else v for v in vals]
    vals = [float(v) for v in vals]
    if len(vals) == 1:
        return {"value": vals[0]}
    return {"min": vals[0], "max": vals[1]}

ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "1": 1, "2": 2, "3": 3, "4": 4}
LAST = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

def last(y, m):
    if m == 2 and y != "????" and int(y) % 4 == 0:
        return 29
    return LAST[m - 1]

def iso(y, m, d):
    return f"{y}-{m:02d}-{d:02d}"

def date_single(s):
    s = s.strip()
    l = s.lower()
    m = re.fullmatch(r"(?:ngày )?(\d{1,2})[/\-.](\d{1,2})(?:[/\-.](\d{4}))?", l)
    if m:
        d, mo, y = int(m[1]), int(m[2]), m[3] or "????"
        return (iso(y, mo, d), iso(y, mo, d))
    m = re.fullmatch(r"(cuối |đầu |giữa )?tháng (\d{1,2})(?:(?:/| năm )(\d{4}))?", l)
    if m:
        mo, y = int(m[2]), m[3] or "????"
        a, b = iso(y, mo, 1), iso(y, mo, last(y, mo))
        if m[1] == "cuối ": a = b
        if m[1] == "đầu ": b = a
        if m[1] == "giữa ": a = b = iso(y, mo, 15)
        return (a, b)
    m = re.fullmatch(r"(cuối |đầu )?năm (\d{4})", l) or re.fullmatch(r"()(\d{4})", l)
    if m:
        y = m[2]
        a, b = iso(y, 1, 1), iso(y, 12, 31)
        if m[1] == "cuối ": a = b
        if m[1] == "đầu ": b = a
        return (a, b)
    m = re.fullmatch(r"quý (iv|iii|ii|i|1|2|3|4)(?:[/.](\d{4})| năm (\d{4}))?", l)
    if m:
        q = ROMAN[m[1].upper()]; y = m[2] or m[3] or "????"
        return (iso(y, 3 * q - 2, 1), iso(y, 3 * q, last(y, 3 * q)))
    m = re.fullmatch(r"(\d{1,2}) tháng( đầu năm| cuối năm| năm)?(?: (\d{4}))?", l)
    if m:
        n, y = int(m[1]), m[3] or "????"
        if m[2] == " cuối năm":
            return (iso(y, 13 - n, 1), iso(y, 12, 31))
        return (iso(y, 1, 1), iso(y, n, last(y, n)))
    m = re.fullmatch(r"(?:giai đoạn |nhiệm kỳ |thời kỳ )?(\d{4}) ?- ?(\d{4})", l)
    if m:
        return (iso(m[1], 1, 1), iso(m[2], 12, 31))
    return None

def date(t):
    t = re.sub(r"\s+", " ", t.replace("\n", " "))
    v = date_single(t)
    if v: return {"start": v[0], "end": v[1]}
    l = re.sub(r"^(giai đoạn|thời kỳ) (từ )?", "", t, flags=re.I)
    m = re.fullmatch(r"(.+?) đến (.+)", l)
    if m:
        b = date_single(m[2]); a = date_single(m[1])
        if a and b:
            sa = a[0]
            if sa.startswith("????") and not b[1].startswith("????"):
                sa = b[1][:4] + sa[4:]
            return {"start": sa, "end": b[1]}
    raise ValueError("date? " + t)

def boundary_ok(text, i, q):
    if i > 0:
        p = text[i - 1]
        if p.isalnum() or (p in ".," and i > 1 and text[i - 2].isdigit() and q[0].isdigit()):
            return False
    j = i + len(q)
    if j < len(text) and q[-1].isdigit() and (text[j].isdigit() or (text[j] in ".," and j + 1 < len(text) and text[j + 1].isdigit())):
        return False
    if j < len(text) and q[-1].isalpha() and text[j].isalpha():
        return False
    return True

def build(raw_path, marks_path, out_path, show):
    raws = [json.loads(l) for l in Path(raw_path).read_text(encoding="utf-8").splitlines() if l.strip()]
    blocks, cur = {}, None
    order = []
    for line in Path(marks_path).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("//"):
            continue
        if line.startswith("# "):
            cur = line[2:].strip(); blocks[cur] = []; order.append(cur); continue
        blocks[cur].append(line)
    assert order == [r["id"] for r in raws], (order, [r["id"] for r in raws])
    out = []
    for raw in raws:
        text = raw["text"]
        ents, pos = [], 0
        pend = []
        for line in blocks[raw["id"]]:
            lab, rest = line.split(" ", 1)
            owner = datref = val = None
            if " @ " in rest: rest, datref = rest.split(" @ ", 1)
            if " > " in rest: rest, owner = rest.split(" > ", 1)
            if " = " in rest: rest, val = rest.split(" = ", 1)
            k = 1
            m = re.search(r" \^(\d+)$", rest)
            if m: k = int(m[1]); rest = rest[: m.start()]
            q = rest.replace("\\n", "\n")
            i, found = pos - 1, 0
            while True:
                i = text.find(q, i + 1)
                if i < 0: raise SystemExit(f"{raw['id']}: not found after {pos}: {q!r}")
                if boundary_ok(text, i, q):
                    found += 1
                    if found == k: break
            occ = 1; j = text.find(q)
            while j != i: j = text.find(q, j + 1); occ += 1
            label = LAB[lab]
            e = {"text": q, "label": label, "occ": occ, "_start": i}
            if label == "MONEY": e["value"] = money(q)
            if label == "PERCENT": e["value"] = percent(q)
            if label == "DATE":
                if val:
                    a, b = val.split("..")
                    e["value"] = {"start": a, "end": b}
                else:
                    e["value"] = date(q)
            ents.append(e); pend.append((len(ents) - 1, owner, datref))
            pos = i + len(q)
        def resolve(ref, me):
            m = re.search(r" ?#(\d+)$", ref)
            n = None
            if m: n = int(m[1]); ref = ref[: m.start()]
            ref = ref.replace("\\n", "\n")
            cands = [x for x, e in enumerate(ents) if e["text"] == ref]
            if not cands: raise SystemExit(f"{raw['id']}: ref {ref!r} not found")
            if n: return cands[n - 1]
            return min(cands, key=lambda x: (abs(ents[x]["_start"] - ents[me]["_start"]), ents[x]["_start"] > ents[me]["_start"]))
        rels = []
        for me, owner, datref in pend:
            if owner: rels.append({"head": me, "tail": resolve(owner, me), "label": "BELONGS_TO"})
            if datref: rels.append({"head": me, "tail": resolve(datref, me), "label": "AS_OF"})
        if show:
            marked, last_ = [], 0
            for x, e in enumerate(ents):
                marked.append(text[last_: e["_start"]]); marked.append(f"[{e['text']}]{e['label'][:2]}{x}")
                last_ = e["_start"] + len(e["text"])
            marked.append(text[last_:])
            print("=====", raw["id"]); print("".join(marked))
            for e in ents:
                if "value" in e: print("   ", e["text"].replace("\n", "⏎"), e["value"])
            for r in rels:
                print("   ", r["label"], ents[r["head"]]["text"].replace("\n", "⏎"), "->", ents[r["tail"]]["text"].replace("\n", "⏎"), f"({r['tail']})")
        for e in ents: del e["_start"]
        out.append({"id": raw["id"], "entities": ents, "relations": rels})
    Path(out_path).write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in out), encoding="utf-8")

if __name__ == "__main__":
    part = sys.argv[1]
    base = Path(__file__).resolve().parent.parent
    final = "--final" in sys.argv
    marks = base / "second_src" / (f"final_marks_{part}.txt" if final else f"marks_{part}.txt")
    out = base / (f"final_{part}.jsonl" if final else f"second_{part}.jsonl")
    build(base / f"raw_{part}.jsonl", marks, out, "-v" in sys.argv)
