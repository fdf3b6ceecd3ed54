import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from solieu.convert import gold_segments
from solieu.corpus import read_documents
from solieu.text.tokenizer import tokenize_words


@pytest.fixture(scope="module")
def nlp():
    return spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": "solieu.vi_tokenizer.v1"}}})


@pytest.mark.parametrize(
    "text, tokens",
    [
        ("kế toán;", ["kế", "toán", ";"]),
        ("(Chỉ tiêu", ["(", "Chỉ", "tiêu"]),
        ("55,3%).", ["55,3", "%", ")", "."]),
        ("5.060.889.000 đồng1.", ["5.060.889.000", "đồng", "1", "."]),
        ("ngày 14/05/2025,", ["ngày", "14/05/2025", ","]),
        ("10-11%", ["10", "-", "11", "%"]),
        ("tháng 5/2025", ["tháng", "5/2025"]),
        ("6,82/362 tỷ", ["6,82", "/", "362", "tỷ"]),
        ("tỷ lệ 1/500", ["tỷ", "lệ", "1", "/", "500"]),
        ("TP. Lạng Sơn", ["TP", ".", "Lạng", "Sơn"]),
        ("5.850ha", ["5.850", "ha"]),
    ],
)
def test_tokens(text, tokens):
    words, _ = tokenize_words(text)
    assert [w for w in words if not w.isspace()] == tokens


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_doc_text_is_input_text(text):
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": "solieu.vi_tokenizer.v1"}}})
    assert nlp.make_doc(text).text == text


def test_every_gold_boundary_is_a_token_boundary(nlp, corpus_files):
    """The corpus measure of the issue: 100% of entity boundaries on token boundaries."""
    total = aligned = 0
    for path in corpus_files:
        for document in read_documents(path):
            for segment in gold_segments(document):
                doc = nlp.make_doc(segment.text)
                for start, end, _label in segment.entities:
                    total += 1
                    aligned += doc.char_span(start, end, alignment_mode="strict") is not None
    assert total > 1500
    assert aligned == total


def test_components_read_the_tokenizers_copy_of_the_text_only_while_it_fits_the_doc():
    import spacy

    from solieu.text.tokenizer import doc_text, token_texts

    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": "solieu.vi_tokenizer.v1"}}})
    doc = nlp("Sở Tài chính  giải ngân 12,5 tỷ đồng. ")
    assert doc_text(doc) == doc.text and token_texts(doc) == [t.text for t in doc]
    other = nlp("Năm 2024")
    other.user_data.update(doc.user_data)  # another doc's copy: it does not end where this doc does
    assert doc_text(other) == "Năm 2024"
    assert doc_text(nlp("")) == ""
