import pytest

from solieu.rules import extract, find_spans


def _found(doc):
    return {(e.label, e.text) for e in doc.entities}


def test_rules_find_figures_dates_and_named_bodies():
    text = ("Tính đến hết ngày 14/05/2025, Sở Tài chính thu được 17.271 triệu đồng đạt 55,3% dự toán; "
            "dự án Đường tỉnh 226 được bố trí 10 - 15 tỷ đồng.")
    found = _found(extract(text))
    assert ("DATE", "ngày 14/05/2025") in found
    assert ("MONEY", "17.271 triệu đồng") in found
    assert ("MONEY", "10 - 15 tỷ đồng") in found
    assert ("PERCENT", "55,3%") in found
    assert ("AGENCY", "Sở Tài chính") in found


def test_rules_skip_fractions_scales_and_bare_numbers():
    found = _found(extract("Quy hoạch tỷ lệ 1/500, giải quyết 349/494 hồ sơ, kinh phí 49,7 tỷ."))
    assert not any(label in {"DATE", "MONEY"} for label, _ in found)


def test_nearest_date_relation_skips_comparison_points():
    doc = extract("Trong tháng 5/2025 thu 20 tỷ đồng, bằng 102% so với cùng kỳ năm 2024.")
    by_id = {e.id: e for e in doc.entities}
    as_of = {by_id[r.head].text: by_id[r.tail].text for r in doc.relations if r.label == "AS_OF"}
    assert as_of == {"20 tỷ đồng": "tháng 5/2025", "102%": "tháng 5/2025"}


def test_offsets_point_into_the_pdf_dump_text():
    text = ("Trong tháng, các đơn vị tiếp tục triển khai nhiệm vụ \n\nđược giao theo kế hoạch. Tổng số tiền \n\n"
            "đã chi là 1.250.000 \n\nđồng1, đạt 45% kế hoạch. \n\n                    \n1 Gồm hai đợt. \n")
    doc = extract(text)
    for e in doc.entities:
        assert text[e.start : e.end] == e.text
    assert any(e.text == "1.250.000 \n\nđồng" and e.value.amount == 1250000 for e in doc.entities)


# Notations that reports of other provinces use (issue 10, kinds 6 and 7): (sentence, label, span).
NOTATIONS = [
    ("thu hút 2,3 tỷ Đô la Mỹ vốn đăng ký", "MONEY", "2,3 tỷ Đô la Mỹ"),
    ("vốn đầu tư khoảng 450 triệu đôla, tăng", "MONEY", "450 triệu đôla"),
    ("hỗ trợ tiền ăn 50.000đ/ngày", "MONEY", "50.000đ"),
    ("được bố trí gần 2 trăm tỷ đồng", "MONEY", "2 trăm tỷ đồng"),
    ("đã giải ngân 215,4/3.050,7 tỷ đồng", "MONEY", "3.050,7 tỷ đồng"),
    ("viện trợ 3 triệu Euro cho dự án", "MONEY", "3 triệu Euro"),
    ("tăng bình quân 8 đến 9%/năm", "PERCENT", "8 đến 9%"),
    ("giải ngân 95% đến 100% kế hoạch", "PERCENT", "95% đến 100%"),
    ("đạt 12,4/7,8% kế hoạch", "PERCENT", "7,8%"),
    ("Tính đến ngày 25.8, toàn tỉnh", "DATE", "ngày 25.8"),
    ("Đến ngày 17-10, đã giải ngân", "DATE", "ngày 17-10"),
    ("Ngày 9-3-2024, UBND tỉnh", "DATE", "Ngày 9-3-2024"),
    ("Sáng 12-7, đoàn công tác", "DATE", "12-7"),
    ("Đến hết quý III.2021, dư nợ", "DATE", "quý III.2021"),
    ("thu ngân sách tháng 7.2025 đạt", "DATE", "tháng 7.2025"),
    ("thu chín tháng đầu năm 2019 đạt", "DATE", "chín tháng đầu năm 2019"),
    ("Trong 7 tháng, thu ngân sách", "DATE", "7 tháng"),
    ("Giai đoạn từ năm 2016 đến năm 2020, tỉnh", "DATE", "Giai đoạn từ năm 2016 đến năm 2020"),
    ("quyết toán ngân sách niên độ 2023", "DATE", "niên độ 2023"),
]


@pytest.mark.parametrize(("text", "label", "span"), NOTATIONS)
def test_rules_read_the_notations_of_every_province(text, label, span):
    found = [(s.label, text[s.start:s.end]) for s in find_spans(text)]
    assert (label, span) in found


@pytest.mark.parametrize("text", ["sau gần 10 tháng triển khai dự án", "bản đồ tỷ lệ 1/500", "Kế hoạch số 78/KH-UBND",
                                  "tỷ số 2-1 nghiêng về đội nhà"])
def test_rules_leave_durations_scales_and_codes(text):
    assert not [s for s in find_spans(text) if s.label in ("DATE", "MONEY", "PERCENT")]
