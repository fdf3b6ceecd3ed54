from solieu.rules import extract


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
