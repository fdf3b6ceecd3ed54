import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from solieu.text.reader import read

PDF_DUMP = (
    " I. CÔNG TÁC CHỈ ĐẠO \n\n"
    "Trong tháng 5 năm 2025, UBND huyện đã thu được tổng số tiền 1.250.000 \n\n"
    "đồng1; đẩy nhanh tiến độ các công trình2. \n\n"
    "                                           \n"
    "1 Thu phí vệ sinh môi trường: 320.000.000 đồng  \n"
    "2 (1) Đường liên xã Tân An; (2) Trường mầm non \n\n"
    "xã Bình Minh \n\n"
    " Tiếp tục triển khai kế hoạch năm 2025, dự kiến chi 2.000 \n\n"
    "triệu đồng. \n\n"
)

MARKDOWN = (
    "## BÁO CÁO\n\n"
    "**Tình hình kinh tế - xã hội tháng 5**\n\n"
    "- Thu ngân sách đạt 55,3%<sup>1</sup> dự toán; giải ngân 12 tỷ đồng với số tiền 82,5\n\n"
    "<sup>1</sup> Trong đó thu nội địa 30 tỷ đồng.\n\n"
    "triệu đồng cho *Dự án* nước sạch 4.050 nghìn m<sup>3</sup>.\n"
)


def _assert_offsets(original: str, result) -> None:
    assert len(result.offsets) == len(result.clean)
    for i, ch in enumerate(result.clean):
        if not result.joints[i]:
            assert original[result.offsets[i]] == ch


def test_pdf_dump_rejoins_lines_and_moves_footnotes():
    result = read(PDF_DUMP)
    _assert_offsets(PDF_DUMP, result)
    texts = {s.kind: [] for s in result.segments}
    for s in result.segments:
        texts[s.kind].append(result.clean[s.start : s.end])
    body = " ".join(texts["paragraph"])
    assert "1.250.000 đồng;" in body  # line break joined, marker `1` removed
    assert "công trình." in body
    assert "dự kiến chi 2.000 triệu đồng." in body  # the page's footnote block does not split it
    assert texts["footnote"] == [
        "Thu phí vệ sinh môi trường: 320.000.000 đồng",
        "(1) Đường liên xã Tân An; (2) Trường mầm non xã Bình Minh",
    ]
    assert texts["heading"] == ["I. CÔNG TÁC CHỈ ĐẠO"]


def test_markdown_markup_and_markers_removed_and_spliced_text_rejoined():
    result = read(MARKDOWN)
    _assert_offsets(MARKDOWN, result)
    clean = result.clean
    assert "**" not in clean and "<sup>" not in clean and "##" not in clean and "*Dự" not in clean
    assert "đạt 55,3% dự toán" in clean
    assert "với số tiền 82,5 triệu đồng cho Dự án" in clean
    assert "4.050 nghìn m3" in clean  # a unit's power is kept, not taken for a footnote
    kinds = [s.kind for s in result.segments]
    assert kinds == ["heading", "paragraph", "list_item", "footnote"]


def test_spans_map_both_ways():
    result = read(PDF_DUMP)
    start = result.clean.index("1.250.000 đồng")
    o_start, o_end = result.to_original(start, start + len("1.250.000 đồng"))
    assert PDF_DUMP[o_start:o_end] == "1.250.000 \n\nđồng"
    assert result.to_clean(o_start, o_end) == (start, start + len("1.250.000 đồng"))


def test_seed_reports_keep_every_offset():
    from tests.conftest import seed_texts

    for original in seed_texts():
        assert unicodedata.is_normalized("NFC", original)
        result = read(original)
        _assert_offsets(original, result)
        assert result.segments


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab đồng1. \n*<sup>2</sup>#-;:ÂĐ0123456789,")), max_size=200))
def test_any_text_keeps_offsets(text):
    result = read(text)
    _assert_offsets(text, result)
    for segment in result.segments:
        assert 0 <= segment.start < segment.end <= len(result.clean)

