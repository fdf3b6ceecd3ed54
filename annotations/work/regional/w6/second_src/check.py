"""List figure-like and date-like strings in raw_X not covered by an entity of second_X.anchored.jsonl."""
import json, re, sys
from pathlib import Path
F = Path(__file__).resolve().parent.parent
part = sys.argv[1]
name = sys.argv[2] if len(sys.argv) > 2 else f"second_{part}.anchored.jsonl"
docs = [json.loads(l) for l in (F / name).read_text(encoding="utf-8").splitlines() if l.strip()]
pat = re.compile(r"%|phần trăm|đồng|\bđ\b|USD|[Đđ]ô ?la|\b(19|20)\d\d\b|\d+/\d+|tháng|quý|UBND|Sở|Ban|Công ty|Ngân hàng|NHCSXH|KBNN|Kho bạc|Thuế|Chi nhánh|Phòng|Bộ|Cục|Thanh tra|Kiểm toán|HĐND|Dự án|dự án|công trình|Công trình|Chương trình|chương trình|Đề án|đề án|Tập đoàn|Tổng công ty|Trung tâm|Hợp tác xã|Quỹ", re.I)
for d in docs:
    t = d["text"]
    cov = [(e["start"], e["end"]) for e in d["entities"]]
    for m in pat.finditer(t):
        if not any(s <= m.start() < e for s, e in cov):
            print(d["id"], repr(t[max(0, m.start()-30):m.end()+30]))
