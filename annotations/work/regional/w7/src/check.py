import json, re, sys
pat = re.compile(r"(\d[\d.,]*\s*(%|phần trăm|tỷ|tỉ|triệu|nghìn|ngàn|trăm|USD|đô|đ\b|đồng))|((năm|tháng|quý|ngày|giai đoạn|niên độ)\s+[\dIVX]+)|(\b\d{1,2}[/.-]\d{1,2}([/.-]\d{4})?\b)|(\b(19|20)\d\d\b)|(\b(\d+|một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười|mười một)\s+(tháng|THÁNG))", re.I)
for f in sys.argv[1:]:
    for l in open(f):
        d = json.loads(l)
        t = d["text"]
        cov = [False]*len(t)
        for e in d["entities"]:
            for i in range(e["start"], e["end"]): cov[i] = True
        for m in pat.finditer(t):
            if not any(cov[m.start():m.end()]):
                print(d["id"], repr(t[max(0,m.start()-25):m.end()+15]))
        # agencies heuristics
        for m in re.finditer(r"(UBND|HĐND|Sở|Ban Quản lý|Công ty|Ngân hàng|Kho bạc|KBNN|NHCSXH|Thanh tra|Kiểm toán|Cục|Chi cục|Thuế|Dự án|dự án|Chương trình|Đề án|Tổng công ty|Tập đoàn|Chi nhánh)", t):
            if not cov[m.start()]:
                print("  ?", d["id"], repr(t[max(0,m.start()-10):m.end()+35]))
