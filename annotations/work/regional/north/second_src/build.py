"""Build second_all.jsonl from the markup files ann_*.txt (second annotator's own source).

Markup: '# <id>' starts a passage; then one entity per line, in text order:
  <L> <quoted text> [=<date value>] [:key] [@datekey] [^ownerkey]
L: M money, P percent, D date, A agency, J project. '\\n' in the quote is a line break.
Date value: Y, Y-MM, Y-MM-DD, or A..B of those (A expands to its first day, B to its last).
"""
import calendar, json, re, sys
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
FOLDER = HERE.parent
LABELS = {"M": "MONEY", "P": "PERCENT", "D": "DATE", "A": "AGENCY", "J": "PROJECT"}


def num(s):
    s = s.strip()
    return Decimal(s.replace(".", "").replace(",", "."))


MULT = {"nghìn": 10**3, "ngàn": 10**3, "triệu": 10**6, "tỷ": 10**9, "tỉ": 10**9, "trăm": 100}


def money(q):
    q1 = " ".join(q.split())
    m = re.match(r"^([\d.,]+)(?:\s*[-–]\s*([\d.,]+))?\s*(.*)$", q1)
    a, b, rest = m.group(1), m.group(2), m.group(3)
    factor = Decimal(1)
    words = rest.replace("đ", " đ ").split() if rest in ("đ",) else rest.split()
    cur = None
    for w in words:
        if w in MULT:
            factor *= MULT[w]
        elif w in ("đồng", "đ", "VNĐ"):
            cur = "VND"
        elif w in ("USD", "đôla"):
            cur = "USD"
        elif w in ("Đô", "la", "Mỹ"):
            cur = "USD"
        else:
            raise ValueError(f"money word {w!r} in {q!r}")
    if rest == "" and q1.endswith("đ"):
        pass
    if cur is None:
        raise ValueError(f"no currency in {q!r}")
    def amt(x):
        v = num(x) * factor
        assert v == int(v), q
        return int(v)
    if b:
        return {"amount_min": amt(a), "amount_max": amt(b), "currency": cur}
    return {"amount": amt(a), "currency": cur}


def money_q(q):
    # handle glued 'đ' as in 50.000đ
    m = re.match(r"^([\d.,]+)đ$", q)
    if m:
        return {"amount": int(num(m.group(1))), "currency": "VND"}
    return money(q)


def percent(q):
    q1 = " ".join(q.split())
    m = re.match(r"^([\d.,]+)\s*%?\s*(?:(?:-|–|đến)\s*([\d.,]+))?\s*(%|phần trăm)$", q1)
    if not m:
        raise ValueError(f"percent {q!r}")
    a, b = m.group(1), m.group(2)
    f = lambda x: float(num(x))
    if b:
        return {"min": f(a), "max": f(b)}
    return {"value": f(a)}


def expand(part, last):
    bits = part.split("-")
    y = bits[0]
    if len(bits) == 1:
        return f"{y}-12-31" if last else f"{y}-01-01"
    mo = int(bits[1])
    if len(bits) == 2:
        if last:
            yy = int(y) if y != "????" else 2001
            d = calendar.monthrange(yy, mo)[1]
            return f"{y}-{mo:02d}-{d:02d}"
        return f"{y}-{mo:02d}-01"
    return f"{y}-{mo:02d}-{int(bits[2]):02d}"


def date(v):
    if ".." in v:
        a, b = v.split("..")
    else:
        a = b = v
    return {"start": expand(a, False), "end": expand(b, True)}


def occurrence(text, quote, start):
    n, pos = 0, -1
    while True:
        pos = text.find(quote, pos + 1)
        if pos < 0 or pos > start:
            break
        n += 1
    return n


def parse(markup_files, raw):
    texts = {r["id"]: r["text"] for r in raw}
    passages, cur = {}, None
    for f in markup_files:
        for ln, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("//"):
                continue
            if line.startswith("# "):
                cur = line[2:].strip()
                passages[cur] = []
                continue
            lab, rest = line[0], line[2:]
            toks = rest.split(" ")
            opts = {}
            while toks and toks[-1][:1] in "=:@^" and len(toks[-1]) > 1:
                t = toks.pop()
                opts[t[0]] = t[1:]
            quote = " ".join(toks).replace("\\n", "\n")
            passages[cur].append((LABELS[lab], quote, opts, f"{f.name}:{ln}"))
    out = []
    for pid, ents in passages.items():
        text = texts[pid]
        cursor = 0
        records, keys, rels = [], {}, []
        for i, (label, quote, opts, where) in enumerate(ents):
            start = text.find(quote, cursor)
            if start < 0:
                sys.exit(f"{where}: {quote!r} not found after {cursor} in {pid}")
            cursor = start + len(quote)
            rec = {"text": quote, "label": label, "occ": occurrence(text, quote, start)}
            if label == "MONEY":
                rec["value"] = money_q(quote)
            elif label == "PERCENT":
                rec["value"] = percent(quote)
            elif label == "DATE":
                if "=" not in opts:
                    sys.exit(f"{where}: DATE without value")
                rec["value"] = date(opts["="])
            if ":" in opts:
                keys[opts[":"]] = i
            records.append(rec)
        for i, (label, quote, opts, where) in enumerate(ents):
            if "@" in opts:
                rels.append({"head": i, "tail": keys[opts["@"]], "label": "AS_OF"})
            if "^" in opts:
                rels.append({"head": i, "tail": keys[opts["^"]], "label": "BELONGS_TO"})
        out.append({"id": pid, "entities": records, "relations": rels})
    return out


if __name__ == "__main__":
    raw = [json.loads(l) for l in (FOLDER / "raw_all.jsonl").read_text(encoding="utf-8").splitlines() if l.strip()]
    prefix = sys.argv[1] if len(sys.argv) > 1 else "ann"
    target = sys.argv[2] if len(sys.argv) > 2 else "second_all.jsonl"
    files = sorted(HERE.glob(f"{prefix}_*.txt"))
    docs = parse(files, raw)
    order = [r["id"] for r in raw]
    got = {d["id"]: d for d in docs}
    with open(FOLDER / target, "w", encoding="utf-8") as fh:
        for pid in order:
            if pid in got:
                fh.write(json.dumps(got[pid], ensure_ascii=False) + "\n")
    print(f"{len(got)} of {len(order)} passages written")
