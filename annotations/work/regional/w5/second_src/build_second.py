"""Build second_X.jsonl from second_src/mark_X.txt (second annotator's own source).

Format of mark_X.txt:
    @ <id>
    <L>[+k] <span>[ = <json value>]     one line per entity, in text order
    R <name>><name> ...                 relations (tail DATE -> AS_OF, else BELONGS_TO)
L is M (MONEY), P (PERCENT), D (DATE), A (AGENCY), J (PROJECT); names are given automatically
per passage: m1.., p1.., d1.., a1.., j1.. in listing order. `\\n` in a span is a line break.
`+k` skips k occurrences after the cursor. Values are computed from the span unless given.

    python build_second.py X [--show] [--final]   (--final: final_mark_X.txt -> final_X.jsonl)
"""
import json
import re
import sys
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
FOLDER = HERE.parent
LABELS = {"M": "MONEY", "P": "PERCENT", "D": "DATE", "A": "AGENCY", "J": "PROJECT"}

NUM = r"\d[\d.]*(?:,\d+)?"


def num(s: str) -> Decimal:
    s = s.strip()
    if re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d+)?", s) or re.fullmatch(r"\d+(,\d+)?", s):
        return Decimal(s.replace(".", "").replace(",", "."))
    raise ValueError(f"number {s!r}")


MULT = [("nghìn tỷ", 10**12), ("ngàn tỷ", 10**12), ("trăm tỷ", 10**11), ("tỷ", 10**9), ("tỉ", 10**9),
        ("triệu", 10**6), ("nghìn", 10**3), ("ngàn", 10**3)]
CURR = [("Đô la Mỹ", "USD"), ("đô la Mỹ", "USD"), ("đôla", "USD"), ("USD", "USD"), ("VNĐ", "VND"),
        ("đồng", "VND"), ("đ", "VND")]


def money(span: str) -> dict:
    s = span.replace("\n", " ")
    cur = None
    for word, code in CURR:
        if s.endswith(word):
            cur, s = code, s[: -len(word)].strip()
            break
    if cur is None:
        raise ValueError(f"currency in {span!r}")
    mult = 1
    for word, m in MULT:
        if s.endswith(word):
            mult, s = m, s[: -len(word)].strip()
            break
    parts = re.split(r"\s*(?:-|–|đến)\s*", s)
    vals = [num(p) * mult for p in parts]
    for v in vals:
        if v != int(v):
            raise ValueError(f"fractional amount {span!r}")
    if len(vals) == 1:
        return {"amount": int(vals[0]), "currency": cur}
    return {"amount_min": int(vals[0]), "amount_max": int(vals[1]), "currency": cur}


def percent(span: str) -> dict:
    s = span.replace("phần trăm", "%")
    parts = [p for p in re.split(r"\s*(?:-|–|đến)\s*", s)]
    vals = [float(num(p.replace("%", "").strip())) for p in parts]
    if len(vals) == 1:
        return {"value": vals[0]}
    return {"min": vals[0], "max": vals[1]}


ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "1": 1, "2": 2, "3": 3, "4": 4}
WORDNUM = {"hai": 2, "ba": 3, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10,
           "mười một": 11}
MDAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


def last_day(y: str, m: int) -> int:
    if m == 2 and y != "????":
        yi = int(y)
        return 29 if (yi % 4 == 0 and (yi % 100 != 0 or yi % 400 == 0)) else 28
    return MDAYS[m - 1]


def ymd(y, m, d):
    return f"{y}-{int(m):02d}-{int(d):02d}"


def point(s: str):
    """A single time point/period -> (start, end)."""
    s = s.strip()
    low = s.lower()
    low = re.sub(r"^(ngày|hết)\s+", "", low)
    m = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})(?:[/.\-](\d{4}))?", low)
    if m:
        y = m.group(3) or "????"
        return ymd(y, m.group(2), m.group(1)), ymd(y, m.group(2), m.group(1))
    m = re.fullmatch(r"(\d{1,2})", low)
    if m:
        return None
    m = re.fullmatch(r"(đầu |cuối |giữa )?tháng (\d{1,2})(?:(?:/| năm )(\d{4}))?", low)
    if m:
        y = m.group(3) or "????"
        mo = int(m.group(2))
        pos = (m.group(1) or "").strip()
        if pos == "đầu":
            return ymd(y, mo, 1), ymd(y, mo, 1)
        if pos == "cuối":
            return ymd(y, mo, last_day(y, mo)), ymd(y, mo, last_day(y, mo))
        if pos == "giữa":
            return ymd(y, mo, 15), ymd(y, mo, 15)
        return ymd(y, mo, 1), ymd(y, mo, last_day(y, mo))
    m = re.fullmatch(r"quý (i{1,3}|iv|[1-4])(?:(?:/|\.| năm )(\d{4}))?", low)
    if m:
        q = ROMAN[m.group(1).upper()]
        y = m.group(2) or "????"
        return ymd(y, 3 * q - 2, 1), ymd(y, 3 * q, last_day(y, 3 * q))
    m = re.fullmatch(r"(đầu |cuối )?(?:năm |niên độ )?(\d{4})", low)
    if m:
        y = m.group(2)
        pos = (m.group(1) or "").strip()
        if pos == "đầu":
            return ymd(y, 1, 1), ymd(y, 1, 1)
        if pos == "cuối":
            return ymd(y, 12, 31), ymd(y, 12, 31)
        return ymd(y, 1, 1), ymd(y, 12, 31)
    m = re.fullmatch(r"(\d{1,2}|[a-zàáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ ]+?)"
                     r" tháng(?: (đầu|cuối))?(?: năm)?(?: (\d{4}))?", low)
    if m:
        n = m.group(1)
        n = int(n) if n.isdigit() else WORDNUM[n]
        y = m.group(3) or "????"
        if m.group(2) == "cuối":
            return ymd(y, 13 - n, 1), ymd(y, 12, 31)
        return ymd(y, 1, 1), ymd(y, n, last_day(y, n))
    raise ValueError(f"date {s!r}")


def date(span: str) -> dict:
    s = span.replace("\n", " ").strip()
    low = s.lower()
    m = re.fullmatch(r"năm học(?: mới)? (\d{4}) ?[-–] ?(\d{4})", low)
    if m:
        return {"start": f"{m.group(1)}-09-01", "end": f"{m.group(2)}-05-31"}
    m = re.fullmatch(r"(?:giai đoạn |thời kỳ |nhiệm kỳ )?(?:từ )?(?:năm )?(\d{4}) ?(?:-|–|đến) ?(?:năm )?(\d{4})", low)
    if m:
        return {"start": f"{m.group(1)}-01-01", "end": f"{m.group(2)}-12-31"}
    parts = re.split(r"\s+(?:đến|-|–)\s+", s)
    if len(parts) == 2:
        a, b = parts
        pb = point(b)
        pa = point(a)
        if pa is None:  # "ngày 9 đến ngày 11/12/2020"
            d = re.sub(r"^ngày\s+", "", a.strip().lower())
            return {"start": pb[0][:8] + f"{int(d):02d}", "end": pb[1]}
        if pa[0].startswith("????") and not pb[0].startswith("????"):
            pa = (pb[0][:4] + pa[0][4:], pb[0][:4] + pa[1][4:])
        return {"start": pa[0], "end": pb[1]}
    p = point(s)
    return {"start": p[0], "end": p[1]}


VALUE = {"MONEY": money, "PERCENT": percent, "DATE": date}


def parse_marks(path: Path):
    docs, cur = {}, None
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("@ "):
            cur = line[2:].strip()
            docs[cur] = {"ents": [], "rels": []}
            continue
        if line.startswith("R "):
            docs[cur]["rels"].extend(line[2:].split())
            continue
        m = re.match(r"([MPDAJ])(?:\+(\d+))? (.+)$", line)
        if not m:
            raise SystemExit(f"{path}:{n}: bad line {line!r}")
        span, val = m.group(3), None
        if " = {" in span:
            span, v = span.split(" = {", 1)
            val = json.loads("{" + v)
        docs[cur]["ents"].append((m.group(1), int(m.group(2) or 0), span.replace("\\n", "\n"), val, n))
    return docs


def occ_of(text, span, start):
    k, pos = 0, -1
    while True:
        pos = text.find(span, pos + 1)
        if pos < 0:
            raise AssertionError
        k += 1
        if pos == start:
            return k


def build(part: str, show: bool, kind: str = "second"):
    raws = [json.loads(l) for l in (FOLDER / f"raw_{part}.jsonl").read_text(encoding="utf-8").splitlines() if l.strip()]
    docs = parse_marks(HERE / (f"mark_{part}.txt" if kind == "second" else f"final_mark_{part}.txt"))
    out, errors = [], []
    for raw in raws:
        rid, text = raw["id"], raw["text"]
        d = docs.get(rid)
        if d is None:
            errors.append(f"{rid}: not marked")
            continue
        cursor, ents, names, spans = 0, [], {}, []
        counters = {}
        for (L, skip, span, val, ln) in d["ents"]:
            pos = text.find(span, cursor)
            for _ in range(skip):
                pos = text.find(span, pos + 1)
            if pos < 0:
                errors.append(f"{rid} line {ln}: {span!r} not found after {cursor}")
                continue
            label = LABELS[L]
            counters[L] = counters.get(L, 0) + 1
            name = f"{L.lower()}{counters[L]}"
            if val is None and label in VALUE:
                try:
                    val = VALUE[label](span)
                except Exception as exc:  # noqa
                    errors.append(f"{rid} line {ln}: value: {exc}")
                    val = {}
            e = {"text": span, "label": label, "occ": occ_of(text, span, pos)}
            if label in VALUE:
                e["value"] = val
            names[name] = len(ents)
            ents.append(e)
            spans.append((pos, pos + len(span), name))
            cursor = pos + len(span)
        rels, seen = [], set()
        for r in d["rels"]:
            h, t = r.split(">")
            if h not in names or t not in names:
                errors.append(f"{rid}: relation {r}: unknown name")
                continue
            hi, ti = names[h], names[t]
            lab = "AS_OF" if ents[ti]["label"] == "DATE" else "BELONGS_TO"
            if (hi, lab) in seen:
                errors.append(f"{rid}: second {lab} for {h}")
            seen.add((hi, lab))
            rels.append({"head": hi, "tail": ti, "label": lab})
        out.append({"id": rid, "entities": ents, "relations": rels})
        if show:
            print(f"== {rid}")
            for (s, e_, nm), e in zip(spans, ents):
                print(f"  {nm:4} {e['label']:8} {e['text']!r} {json.dumps(e.get('value'), ensure_ascii=False) if 'value' in e else ''}")
            for r in rels:
                h = [k for k, v in names.items() if v == r["head"]][0]
                t = [k for k, v in names.items() if v == r["tail"]][0]
                print(f"    {r['label']:10} {h}:{ents[r['head']]['text']!r} -> {t}:{ents[r['tail']]['text']!r}")
    (FOLDER / f"{kind}_{part}.jsonl").write_text(
        "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in out), encoding="utf-8")
    for e in errors:
        print("ERROR:", e)
    print(f"{part}: {len(out)} passages, {sum(len(o['entities']) for o in out)} entities, "
          f"{sum(len(o['relations']) for o in out)} relations, {len(errors)} errors")


if __name__ == "__main__":
    build(sys.argv[1], "--show" in sys.argv, "final" if "--final" in sys.argv else "second")
