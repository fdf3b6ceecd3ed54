"""Build second_X.jsonl from a compact annotation file (second_src/X.txt).

Format: '## <id>' starts a passage; each following line is one entity in text order:
  LABEL[#key] quoted text[ || tokens]
LABEL: M MONEY, P PERCENT, D DATE, A AGENCY, J PROJECT. tokens: @key (AS_OF), >key (BELONGS_TO),
=value (DATE shorthand: yYYYY, YYYYY-YYYY, mYYYY-MM, dYYYY-MM-DD, qYYYY-N, fYYYY-N first N months,
lYYYY-N last N months, rSTART..END, n null; or JSON for any label). Occurrences are found
in order from the end of the previous entity. '\n' in a quote stands for a line break.
"""
import calendar, json, re, sys
from decimal import Decimal

def month_end(y, m):
    if y == '????':
        return '????-%02d-%02d' % (m, [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1])
    return '%s-%02d-%02d' % (y, m, calendar.monthrange(int(y), m)[1])

def date_value(s):
    if s == 'n':
        return {'start': None, 'end': None}
    k, r = s[0], s[1:]
    if k == 'y':
        return {'start': r + '-01-01', 'end': r + '-12-31'}
    if k == 'Y':
        a, b = r.split('-')
        return {'start': a + '-01-01', 'end': b + '-12-31'}
    if k == 'm':
        y, m = r.split('-')
        return {'start': '%s-%02d-01' % (y, int(m)), 'end': month_end(y, int(m))}
    if k == 'd':
        return {'start': r, 'end': r}
    if k == 'q':
        y, q = r.split('-'); q = int(q)
        return {'start': '%s-%02d-01' % (y, 3 * q - 2), 'end': month_end(y, 3 * q)}
    if k == 'f':
        y, n = r.split('-')
        return {'start': y + '-01-01', 'end': month_end(y, int(n))}
    if k == 'l':
        y, n = r.split('-')
        return {'start': '%s-%02d-01' % (y, 13 - int(n)), 'end': y + '-12-31'}
    if k == 'r':
        a, b = r.split('..')
        return {'start': a, 'end': b}
    raise ValueError(s)

def num(s):
    s = s.strip().replace('.', '').replace(',', '.')
    return Decimal(s)

MULT = {'nghìn': 10**3, 'ngàn': 10**3, 'triệu': 10**6, 'tỷ': 10**9, 'tỉ': 10**9, 'trăm': 100}

def money_value(q):
    t = ' '.join(q.split())
    cur = 'USD' if re.search(r'USD|[Đđ]ô ?la', t) else 'VND'
    t = re.sub(r'(USD|[Đđ]ô ?la( Mỹ)?|đồng|đ)$', '', t).strip()
    m = re.match(r'^([\d.,]+)(?:\s*(?:-|–|đến)\s*([\d.,]+))?\s*(.*)$', t)
    a, b, mult = m.group(1), m.group(2), m.group(3).split()
    f = Decimal(1)
    for w in mult:
        f *= MULT[w]
    if b:
        return {'amount_min': int(num(a) * f), 'amount_max': int(num(b) * f), 'currency': cur}
    return {'amount': int(num(a) * f), 'currency': cur}

def pct_value(q):
    t = q.replace('%', ' ').replace('phần trăm', ' ')
    nums = re.findall(r'\d[\d.,]*', t)
    conv = lambda x: float(num(x)) if float(num(x)) != int(num(x)) else float(int(num(x)))
    if len(nums) == 2:
        return {'min': conv(nums[0]), 'max': conv(nums[1])}
    return {'value': conv(nums[0])}

LABELS = {'M': 'MONEY', 'P': 'PERCENT', 'D': 'DATE', 'A': 'AGENCY', 'J': 'PROJECT'}

def build(raw_path, ann_path, out_path):
    raws = [json.loads(l) for l in open(raw_path, encoding='utf-8') if l.strip()]
    texts = {r['id']: r['text'] for r in raws}
    blocks, cur = {}, None
    for line in open(ann_path, encoding='utf-8'):
        line = line.rstrip('\n')
        if not line.strip() or line.startswith('%'):
            continue
        if line.startswith('## '):
            cur = line[3:].strip(); blocks[cur] = []
            continue
        blocks[cur].append(line)
    out, errors = [], 0
    for k in blocks:
        if k not in texts:
            print(f'{k}: block without raw passage'); errors += 1
    for r in raws:
        pid, text = r['id'], r['text']
        ents, keys, rels_raw, cursor = [], {}, [], 0
        if pid not in blocks:
            print(f'{pid}: no block'); errors += 1
        for line in blocks.get(pid, []):
            head, _, rest = line.partition(' ')
            quote, _, toks = rest.partition(' || ')
            quote = quote.replace('\\n', '\n')
            lab, _, key = head.partition('#')
            label = LABELS[lab]
            pos = text.find(quote, cursor)
            if pos < 0:
                print(f'{pid}: not found after {cursor}: {quote!r}'); errors += 1; continue
            occ = text.count(quote, 0, pos) if False else sum(1 for i in range(pos) if text.startswith(quote, i)) + 1
            cursor = pos + len(quote)
            e = {'text': quote, 'label': label, 'occ': occ}
            val = None
            rel = []
            for tok in toks.split():
                if tok.startswith('@'):
                    rel.append((tok[1:], 'AS_OF'))
                elif tok.startswith('>'):
                    rel.append((tok[1:], 'BELONGS_TO'))
                elif tok.startswith('='):
                    v = tok[1:]
                    val = json.loads(v) if v.startswith('{') else date_value(v)
            if val is None:
                if label == 'MONEY':
                    val = money_value(quote)
                elif label == 'PERCENT':
                    val = pct_value(quote)
                elif label == 'DATE':
                    print(f'{pid}: DATE without value {quote!r}'); errors += 1
            if val is not None:
                e['value'] = val
            idx = len(ents)
            ents.append(e)
            if key:
                keys[key] = idx
            for k, l in rel:
                rels_raw.append((idx, k, l))
        rels = []
        for h, k, l in rels_raw:
            if k not in keys:
                print(f'{pid}: unknown key {k}'); errors += 1; continue
            rels.append({'head': h, 'tail': keys[k], 'label': l})
        out.append({'id': pid, 'entities': ents, 'relations': rels})
    with open(out_path, 'w', encoding='utf-8') as f:
        for o in out:
            f.write(json.dumps(o, ensure_ascii=False) + '\n')
    print(f'{out_path}: {len(out)} passages, {sum(len(o["entities"]) for o in out)} entities, '
          f'{sum(len(o["relations"]) for o in out)} relations, {errors} errors')

if __name__ == '__main__':
    build(*sys.argv[1:4])
