"""Offsets index the text exactly as the caller sent it (LABELS.md, first paragraph), whatever
its normal form and layout, and report-like text never breaks extraction."""

import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solieu.extraction import prepare_sent
from solieu.pipeline import load_pipeline
from solieu.rules import extract
from tests.conftest import seed_texts

SENTENCE = "Tính đến ngày 14/05/2025, Sở Tài chính thu được 17.271 triệu đồng, đạt 55,3% dự toán."


@pytest.fixture(scope="module")
def shipped():
    return load_pipeline()


def _assert_spans_point_into(doc, text):
    assert doc.text == text
    for e in doc.entities:
        assert text[e.start:e.end] == e.text
        assert e.text == e.text.strip()


@pytest.mark.parametrize("form", ["NFD", "NFKD"])
def test_decomposed_input_keeps_its_own_offsets_and_values(form):
    text = unicodedata.normalize(form, SENTENCE)
    assert text != SENTENCE
    doc = extract(text)
    _assert_spans_point_into(doc, text)
    values = {unicodedata.normalize("NFC", e.text): e.value.model_dump(exclude_none=True) for e in doc.entities if e.value}
    assert values["17.271 triệu đồng"] == {"amount": 17271000000, "currency": "VND"}
    assert values["ngày 14/05/2025"] == {"start": "2025-05-14", "end": "2025-05-14"}


def test_mixed_normal_forms_in_one_text():
    text = "Sở Tài chính " + unicodedata.normalize("NFD", "thu được 17.271 triệu đồng") + " trong năm 2024."
    doc = extract(text)
    _assert_spans_point_into(doc, text)
    assert {e.label for e in doc.entities} >= {"AGENCY", "MONEY", "DATE"}


def test_nfc_map_is_the_identity_for_nfc_text():
    assert prepare_sent(SENTENCE).nfc_to_sent is None


@pytest.mark.slow
@pytest.mark.parametrize(("first", "second"), [(1, 3), (3, 1), (1, 4)])
def test_two_seed_reports_joined_by_one_line_break(shipped, first, second):
    texts = seed_texts()
    text = texts[first] + "\n" + texts[second]
    _assert_spans_point_into(shipped.extract(text), text)


@pytest.mark.slow
def test_a_paragraph_then_one_line(shipped):
    text = seed_texts()[1][:6000] + "\n(bản 142)"
    _assert_spans_point_into(shipped.extract(text), text)


_PIECES = st.sampled_from([
    SENTENCE, "UBND tỉnh Hà Giang", "dự án Đường tỉnh ĐT.176", " \n", "\n\n", "\n", "1", "²", "**", "- ", "| 12 | 5% |",
    "đồng1", "ngày 25.8", "50.000đ", "8 đến 9%", "  ", "Kho bạc Nhà nước", "(bản 142)", "# Báo cáo", "…",
])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_PIECES, min_size=1, max_size=25), st.sampled_from(["NFC", "NFD"]))
def test_report_like_text_never_breaks_the_rules(pieces, form):
    text = unicodedata.normalize(form, "".join(pieces))
    _assert_spans_point_into(extract(text), text)


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_PIECES, min_size=1, max_size=25), st.sampled_from(["NFC", "NFD"]))
def test_report_like_text_never_breaks_the_model(shipped, pieces, form):
    text = unicodedata.normalize(form, "".join(pieces))
    _assert_spans_point_into(shipped.extract(text), text)


@given(st.text(alphabet="ab .\n", min_size=0, max_size=400), st.integers(5, 60))
def test_capped_pieces_cover_the_segment_in_order_within_the_cap(text, cap):
    from solieu.pipeline import capped_pieces

    pieces = capped_pieces(text, 0, len(text), cap=cap)
    assert all(b - a <= cap or len(text) <= cap for a, b in pieces)
    assert all(a < b for a, b in pieces) and all(p[1] <= q[0] for p, q in zip(pieces, pieces[1:], strict=False))
    # Only whitespace is left out between pieces.
    covered = set().union(*(range(a, b) for a, b in pieces)) if pieces else set()
    assert all(text[i].isspace() for i in range(len(text)) if i not in covered)


@pytest.mark.slow
def test_a_long_stretch_with_no_break_is_extracted_in_pieces(shipped):
    text = "Thu 5 tỷ đồng, đạt 5% kế hoạch; " * 800
    doc = shipped.extract(text)
    _assert_spans_point_into(doc, text)
    assert sum(e.label == "MONEY" for e in doc.entities) >= 790


def test_label_studio_segments_index_the_text_as_sent():
    from solieu.labelstudio.tasks import segment_spans

    text = unicodedata.normalize("NFD", "Báo cáo tháng 5.\n\nSở Tài chính thu được 17.271 triệu đồng.\n\n")
    spans = segment_spans(text)
    assert [text[a:b] for a, b in spans] == [unicodedata.normalize("NFD", "Báo cáo tháng 5."),
                                            unicodedata.normalize("NFD", "Sở Tài chính thu được 17.271 triệu đồng.")]


def test_the_pipeline_reads_each_value_once_from_the_clean_segment(monkeypatch):
    """The `solieu_values` component reads values; building the Document does not read them again."""
    import solieu.extraction
    from solieu.pipeline import load_pipeline

    pipeline = load_pipeline(calibrated=False)
    calls = []
    real = solieu.extraction.normalise
    monkeypatch.setattr(solieu.extraction, "normalise", lambda *a, **k: calls.append(a) or real(*a, **k))
    doc = pipeline.extract("Tính đến ngày 14/05/2025 thu được 17.271 triệu đồng, đạt 55,3% dự toán.")
    assert {e.label for e in doc.entities if e.value is not None} == {"DATE", "MONEY", "PERCENT"}
    assert calls == []


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(1, 12_000), max_size=40), st.integers(1, 30_000), st.integers(1, 70))
def test_pipe_batches_keep_every_piece_in_order_within_their_limits(lengths, max_chars, max_pieces):
    from solieu.pipeline import char_batches

    pieces, at = [], 0
    for n in lengths:
        pieces.append((at, at + n))
        at += n
    groups = list(char_batches(pieces, max_chars=max_chars, max_pieces=max_pieces))
    assert [p for g in groups for p in g] == pieces
    for g in groups:
        assert 1 <= len(g) <= max_pieces
        assert len(g) == 1 or sum(b - a for a, b in g) <= max_chars


def test_the_shipped_model_stops_a_huge_figure_dense_text_soon_after_its_budget():
    """390 KB of `5% ` once ran 25 s under a 5 s budget: spaCy ran all its pieces as one batch."""
    import time

    from solieu.budget import Budget, work_budget
    from solieu.errors import TimeBudgetExceeded
    from solieu.pipeline import load_pipeline

    pipeline = load_pipeline()
    started = time.monotonic()
    budget = Budget(seconds=1.0)
    budget.started = started
    with pytest.raises(TimeBudgetExceeded), work_budget(budget):
        pipeline.extract("5% " * 130_000)
    assert time.monotonic() - started < 3.0


def test_turns_on_the_model_go_in_order_of_arrival():
    import threading
    import time

    from solieu.budget import Turns

    turns, order = Turns(), []
    turns.__enter__()  # held, so that the three below queue up in the order they start
    threads = []
    for name in "abc":
        t = threading.Thread(target=lambda n=name: (turns.__enter__(), order.append(n), turns.__exit__()))
        t.start()
        threads.append(t)
        time.sleep(0.05)
    turns.__exit__()
    for t in threads:
        t.join(timeout=5)
    assert order == ["a", "b", "c"]


def test_a_short_request_is_answered_between_the_batches_of_a_long_one():
    import threading
    import time

    pipeline = load_pipeline()
    pipeline.extract("Khởi động.")
    inside, most = [0], [0]
    real_pipe = pipeline.nlp.pipe

    def counted_pipe(docs, **kwargs):  # how many threads are inside the model at once
        inside[0] += 1
        most[0] = max(most[0], inside[0])
        try:
            yield from real_pipe(docs, **kwargs)
        finally:
            inside[0] -= 1

    pipeline.nlp.pipe = counted_pipe
    long_done = threading.Event()
    worker = threading.Thread(target=lambda: (pipeline.extract("5% " * 60_000), long_done.set()))
    worker.start()
    time.sleep(0.3)  # the long one has the model
    started = time.monotonic()
    short = pipeline.extract("Tính đến ngày 14/05/2025 thu được 17.271 triệu đồng, đạt 55,3% dự toán.")
    waited = time.monotonic() - started
    assert not long_done.is_set(), "the long extraction should still be running"
    assert waited < 1.5 and {e.label for e in short.entities} >= {"DATE", "MONEY", "PERCENT"}
    worker.join(timeout=120)
    assert most[0] == 1  # never two threads in the model at once
