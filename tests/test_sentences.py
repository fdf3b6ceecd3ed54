from solieu.text.sentences import sentence_spans


def _sentences(text):
    return [text[a:b] for a, b in sentence_spans(text)]


def test_splits_on_sentence_ends_only():
    text = "1. Kinh tế. Thu 5.060.889 đồng. TP. Lạng Sơn có TT. Đồng Đăng.\n\nII. KẾT QUẢ\n\nĐạt 5%. (Chỉ tiêu) tăng."
    assert _sentences(text) == [
        "1. Kinh tế.", "Thu 5.060.889 đồng.", "TP. Lạng Sơn có TT. Đồng Đăng.", "II. KẾT QUẢ", "Đạt 5%.",
        "(Chỉ tiêu) tăng.",
    ]


def test_lowercase_after_dot_does_not_split():
    assert _sentences("Ngày 5. tháng sau") == ["Ngày 5. tháng sau"]
