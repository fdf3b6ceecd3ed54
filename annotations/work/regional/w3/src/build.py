"""Build raw_X.jsonl + writer_X.jsonl from an inline-marked source file (writer w3's own tool).

Source format:
  === w3-001 | Thái Nguyên | report | pre-merger
  text lines with [[L#key@date^owner|span]] or [[D#key|span=2023-01-01..2023-06-30]]
  L: D DATE, M MONEY, P PERCENT, A AGENCY, J PROJECT.  Lines starting '#!' are comments.
MONEY/PERCENT values are computed here (override with '=json').  Relations: @key AS_OF, ^key BELONGS_TO.
"""
import json
import re
import sys
from decimal import Decimal
from pathlib import Path

LABELS = {"D": "DATE", "M": "MONEY", "P": "PERCENT", "A": "AGENCY", "J": "PROJECT"}
MARK = re.compile(r"\[\[([DMPAJ])([^|\]]*)\|(.*?)\]\]", re.S)


def num(s):
    s = s.strip()
    if "," in s:
        whole, frac = s.split(",")
        return Decimal(whole.replace(".", "") + "." + frac)
    if "." in s:
        groups = s.split(".")
        assert all(len(g) == 3 for g in groups[1:]), s
        return Decimal(s.replace(".", ""))
    return Decimal(s)


MULT = {"nghìn": 10**3, "ngàn": 10**3, "trăm": 100, "triệu": 10**6, "tỷ": 10**9, "tỉ": 10**9}


def plain(d):
    return int(d) if d == d.to_integral_value() else float(d)


def amount(part):
    m = re.fullmatch(r"\s*(\d[\d.,]*)\s*((?:(?:nghìn|ngàn|trăm|triệu|tỷ|tỉ)\s*)*)(.*)", part)
    assert m, part
    value = num(m.group(1))
    for w in m.group(2).split():
        value *= MULT[w]
    return value, m.group(2).strip()


def money(text):
    low = text.lower()
    if re.search(r"usd|đô la|đôla", low):
        cur = "USD"
    elif re.search(r"đồng|đ$|đ\b", low):
        cur = "VND"
    else:
        raise ValueError(f"no currency in {text!r}")
    core = re.sub(r"\s*(đồng|đ|usd|đô la mỹ|đôla|đô la)\s*$", "", low)
    parts = re.split(r"\s*(?:\s-\s|–|đến)\s*", core)
    if len(parts) == 2:
        hi, hmult = amount(parts[1])
        lo, lmult = amount(parts[0])
        if not lmult:
            for w in hmult.split():
                lo *= MULT[w]
        return {"amount_min": plain(lo), "amount_max": plain(hi), "currency": cur}
    v, _ = amount(core)
    return {"amount": plain(v), "currency": cur}


def percent(text):
    low = text.lower()
    nums = re.findall(r"\d[\d.,]*\d|\d", low)
    if len(nums) == 1:
        return {"value": plain(num(nums[0]))}
    assert len(nums) == 2, text
    return {"min": plain(num(nums[0])), "max": plain(num(nums[1]))}


def date_value(v):
    if ".." in v:
        a, b = v.split("..")
    else:
        a = b = v
    for x in (a, b):
        assert re.fullmatch(r"(\d{4}|\?{4})-\d\d-\d\d", x), v
    return {"start": a, "end": b}


def occurrence(text, quote, start):
    pos, occ = -1, 0
    while True:
        pos = text.find(quote, pos + 1)
        assert pos >= 0
        occ += 1
        if pos == start:
            return occ


def parse_passage(pid, body):
    out, ents, pos = [], [], 0
    plain_len = 0
    for m in MARK.finditer(body):
        out.append(body[pos:m.start()])
        plain_len += m.start() - pos
        label = LABELS[m.group(1)]
        header = m.group(2)
        span = m.group(3)
        value = None
        if "=" in span:
            span, raw_value = span.rsplit("=", 1)
            if label == "DATE":
                value = date_value(raw_value)
            else:
                value = json.loads(raw_value)
        if label == "DATE" and value is None:
            raise ValueError(f"{pid}: DATE {span!r} without value")
        if label == "MONEY" and value is None:
            value = money(span)
        if label == "PERCENT" and value is None:
            value = percent(span)
        keys = dict(re.findall(r"([#@^])(\w+)", header))
        assert re.fullmatch(r"(?:[#@^]\w+)*", header), (pid, header)
        ents.append({"label": label, "text": span, "start": plain_len, "value": value,
                     "key": keys.get("#"), "date": keys.get("@"), "owner": keys.get("^")})
        out.append(span)
        plain_len += len(span)
        pos = m.end()
    out.append(body[pos:])
    text = "".join(out)
    assert "[[" not in text and "]]" not in text, (pid, text)
    keymap = {}
    for i, e in enumerate(ents):
        if e["key"]:
            assert e["key"] not in keymap, (pid, e["key"])
            keymap[e["key"]] = i
    entities, relations = [], []
    for i, e in enumerate(ents):
        assert text[e["start"]:e["start"] + len(e["text"])] == e["text"]
        assert e["text"] == e["text"].strip(), (pid, e["text"])
        item = {"text": e["text"], "label": e["label"], "occ": occurrence(text, e["text"], e["start"])}
        if e["value"] is not None:
            item["value"] = e["value"]
        entities.append(item)
        for rel, k in (("BELONGS_TO", e["owner"]), ("AS_OF", e["date"])):
            if k:
                assert k in keymap, (pid, k)
                relations.append({"head": i, "tail": keymap[k], "label": rel})
    return text, entities, relations, ents


SUSPECT = re.compile(
    r"\d[\d.,]*\s*(?:%|phần trăm|đồng|đ\b|tỷ|tỉ|triệu|USD|đô)|\b(?:19|20)\d\d\b|\bquý\b|\btháng\s+\d|"
    r"\bngày\s+\d|\d+/\d+|UBND|HĐND|Ủy ban|Sở |Ban |Công ty|Tổng công ty|Tập đoàn|Ngân hàng|NHCSXH|KBNN|Kho bạc|"
    r"Chi nhánh|Thuế|Cục |Bộ |Chương trình|Đề án|dự án|Dự án|công trình|Kiểm toán|Thanh tra|Tỉnh ủy|Hợp tác xã|"
    r"HTX|Trường|Bệnh viện|Trung tâm|Phòng |Chính phủ|Quốc hội|Agribank|BIDV|Vietcombank|VietinBank|EVN|Đảng ủy|Thống kê")


def main(part):
    here = Path(__file__).resolve().parent
    folder = here.parent
    src = (here / f"part_{part}.txt").read_text(encoding="utf-8")
    chunks = re.split(r"^=== ", src, flags=re.M)[1:]
    raws, writers = [], []
    totals = {}
    for chunk in chunks:
        head, _, body = chunk.partition("\n")
        pid, province, genre, era = [x.strip() for x in head.split("|")]
        body = "\n".join(l for l in body.split("\n") if not l.startswith("#!")).strip("\n")
        text, entities, relations, ents = parse_passage(pid, body)
        raws.append({"id": pid, "province": province, "genre": genre, "era": era, "text": text})
        writers.append({"id": pid, "entities": entities, "relations": relations})
        for e in entities:
            totals[e["label"]] = totals.get(e["label"], 0) + 1
        for r in relations:
            totals[r["label"]] = totals.get(r["label"], 0) + 1
        nsent = len(re.findall(r"[.;:!?](?:\s|$)", text))
        print(f"--- {pid} {province} / {genre} / {era}: {len(text)} chars, ~{nsent} sentence ends, "
              f"{len(entities)} ents, {len(relations)} rels")
        if not 400 <= len(text) <= 1300:
            print("   !! LENGTH out of range")
        # unmarked suspicious spans
        covered = [False] * len(text)
        for e in ents:
            for k in range(e["start"], e["start"] + len(e["text"])):
                covered[k] = True
        for m in SUSPECT.finditer(text):
            if not any(covered[m.start():m.end()]):
                ctx = text[max(0, m.start() - 25):m.end() + 25].replace("\n", "⏎")
                print(f"   ? unmarked {m.group(0)!r}: …{ctx}…")
        for e in ents:
            if e["label"] in ("MONEY", "PERCENT"):
                print(f"   {e['label'][0]} {e['text']!r} {e['value']} owner={e['owner']} date={e['date']}")
    (folder / f"raw_{part}.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in raws), encoding="utf-8")
    (folder / f"writer_{part}.jsonl").write_text(
        "".join(json.dumps(w, ensure_ascii=False) + "\n" for w in writers), encoding="utf-8")
    chars = sum(len(r["text"]) for r in raws)
    print(f"== part {part}: {len(raws)} passages, {chars} chars (avg {chars // max(1, len(raws))}), {totals}")


if __name__ == "__main__":
    main(sys.argv[1])
