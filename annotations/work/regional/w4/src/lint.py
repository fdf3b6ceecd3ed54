"""List cues outside any entity span (to check nothing was missed), and show relations."""
import json, re, sys
from pathlib import Path
part = sys.argv[1]
d = Path(__file__).resolve().parent.parent
docs = [json.loads(l) for l in open(d / f"writer_{part}.anchored.jsonl", encoding="utf-8")]
CUES = [r"\d[\d.,]*\s*(?:nghìn|ngàn|triệu|tỷ|tỉ|trăm)?\s*(?:tỷ\s*)?(?:đồng|đ\b|USD|[Đđ]ô la|đôla)", r"\d[\d,]*\s*(?:%|phần trăm)",
        r"(?i)\b(?:năm|tháng|quý|ngày|giai đoạn)\s+[\dIVX]", r"\b(?:19|20)\d\d\b", r"\b\d{1,2}[/.-]\d{1,2}\b",
        r"UBND|HĐND|Sở |Công ty|Ngân hàng|NHCSXH|KBNN|Kho bạc|Ban Quản lý|Thanh tra|Kiểm toán|Cục |Tổng công ty|Tập đoàn|Bộ |Thuế|Chi nhánh|Hợp tác xã|Quỹ|Chương trình|Đề án|Trung tâm|Ủy ban|Tỉnh ủy|Đảng ủy|Thống kê",
        r"(?:dự án|công trình|Dự án|Công trình)\s+[A-ZĐÂ]"]
for doc in docs:
    text = doc["text"]; covered = [False] * len(text)
    for e in doc["entities"]:
        for i in range(e["start"], e["end"]): covered[i] = True
    hits = []
    for c in CUES:
        for m in re.finditer(c, text):
            if not any(covered[m.start():m.end()]):
                hits.append(m.group(0))
    print(doc["id"], "UNCOVERED:", hits)
    if "-v" in sys.argv:
        ents = {e["id"]: e for e in doc["entities"]}
        for r in doc["relations"]:
            print("   ", ents[r["head"]]["text"], "--", r["label"], "->", ents[r["tail"]]["text"])
        rel_heads = {r["head"] for r in doc["relations"]}
        print("    no relation:", [e["text"] for e in doc["entities"] if e["label"] in ("MONEY", "PERCENT") and e["id"] not in rel_heads])
