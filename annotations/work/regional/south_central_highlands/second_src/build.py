"""Build a quote-format annotation file from a line markup (second annotator's tool).

    .venv/bin/python .../second_src/build.py RAW.jsonl MARKUP.txt OUT.jsonl [--review]

Markup: `@ID` starts a passage; then one entity per line, in text order:
    L text [| b REF] [| a REF] [| v JSON] [| o OCC]
L is M (MONEY), P (PERCENT), D (DATE), A (AGENCY), J (PROJECT). `\\n` in text is a line break.
b = BELONGS_TO target, a = AS_OF target; REF is the text of another entity of the passage,
`text#k` for the k-th entity with that text. Values default to solieu's normaliser; v overrides.
Occurrences are found in text order (next occurrence after the previous entity) unless o is given.
Lines starting with `#` are comments.
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[5]))
from solieu.values import normalise  # noqa: E402

LABELS = {"M": "MONEY", "P": "PERCENT", "D": "DATE", "A": "AGENCY", "J": "PROJECT"}


def parse(markup: str):
    passages, cur = [], None
    for raw in markup.splitlines():
        line = raw.rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line.startswith("@"):
            cur = {"id": line[1:].strip(), "items": []}
            passages.append(cur)
            continue
        code, rest = line.split(" ", 1)
        parts = rest.split(" | ")
        item = {"label": LABELS[code], "text": parts[0].replace("\\n", "\n")}
        for p in parts[1:]:
            k, v = p.split(" ", 1)
            item[k] = v
        cur["items"].append(item)
    return passages


def occurrences_before(text, quote, start):
    n, pos = 0, -1
    while True:
        pos = text.find(quote, pos + 1)
        if pos < 0 or pos > start:
            return n
        n += 1


def main():
    raw_path, markup_path, out_path = sys.argv[1:4]
    review = "--review" in sys.argv
    raws = {json.loads(l)["id"]: json.loads(l) for l in open(raw_path, encoding="utf-8")}
    order = [json.loads(l)["id"] for l in open(raw_path, encoding="utf-8")]
    passages = {p["id"]: p for p in parse(Path(markup_path).read_text(encoding="utf-8"))}
    out = []
    for pid in order:
        if pid not in passages:
            continue
        text = raws[pid]["text"]
        items = passages[pid]["items"]
        ents, pos, names = [], 0, {}
        for i, it in enumerate(items):
            q = it["text"]
            if "o" in it:
                occ = int(it["o"])
                start = -1
                for _ in range(occ):
                    start = text.find(q, start + 1)
            else:
                start = text.find(q, pos)
                if start < 0:
                    sys.exit(f"{pid}: {q!r} not found after {pos}")
                occ = occurrences_before(text, q, start)
            if start < pos:
                print(f"WARNING {pid}: {q!r} starts before previous end", file=sys.stderr)
            pos = start + len(q)
            e = {"text": q, "label": it["label"], "occ": occ}
            if it["label"] in ("MONEY", "PERCENT", "DATE"):
                if "v" in it:
                    e["value"] = json.loads(it["v"])
                else:
                    v = normalise(it["label"], q)
                    if v is None:
                        sys.exit(f"{pid}: no value for {q!r}")
                    e["value"] = v.model_dump(exclude_none=True)
            ents.append(e)
            key = q
            k = 1
            while f"{key}#{k}" in names:
                k += 1
            names[f"{key}#{k}"] = i
            if k == 1:
                names[key] = i
            it["_start"] = start
        rels = []
        for i, it in enumerate(items):
            for k, lab in (("b", "BELONGS_TO"), ("a", "AS_OF")):
                if k in it:
                    ref = it[k].replace("\\n", "\n")
                    if ref not in names:
                        sys.exit(f"{pid}: unknown ref {ref!r}")
                    rels.append({"head": i, "tail": names[ref], "label": lab})
        out.append({"id": pid, "entities": ents, "relations": rels})
        if review:
            print(f"===== {pid}")
            for i, (it, e) in enumerate(zip(items, ents)):
                s = it["_start"]
                ctx = text[max(0, s - 15):s].replace("\n", "⏎") + "[" + e["text"].replace("\n", "⏎") + "]" + \
                    text[s + len(e["text"]):s + len(e["text"]) + 12].replace("\n", "⏎")
                rel = " ".join(f"{lab}->{ents[r['tail']]['text']!r}" for r in rels if r["head"] == i
                               for lab in [r["label"][:2]])
                print(f"{i:2} {e['label'][:4]:4} {ctx}  {json.dumps(e.get('value'), ensure_ascii=False) if 'value' in e else ''}  {rel}")
    with open(out_path, "w", encoding="utf-8") as f:
        for o in out:
            f.write(json.dumps(o, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
