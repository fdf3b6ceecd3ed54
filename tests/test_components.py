"""Pipeline components on hand-made docs: decoding rules, figure patterns, rule features."""

import numpy
import pytest
import spacy
from solieu.models.architectures import STRUCTURE_COLUMNS, get_candidates, position_features
from solieu.models.components.extensions import register_extensions
from solieu.models.components.figure_rules import FigureRules
from solieu.models.components.rule_features import RuleFeatures
from solieu.models.components.sentences import ReportSentencizer
from spacy.tokens import Span


def _nlp():
    return spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": "solieu.vi_tokenizer.v1"}}})


def _doc(nlp, text, ents):
    register_extensions()
    doc = ReportSentencizer()(nlp.make_doc(text))
    doc.ents = [doc.char_span(text.index(s), text.index(s) + len(s), label=label) for s, label in ents]
    return doc


def test_candidates_stay_in_their_sentence():
    nlp = _nlp()
    text = "Sở Tài chính chi 5 tỷ đồng trong năm 2024. Năm 2025 dự kiến tăng 10%."
    doc = _doc(nlp, text, [("Sở Tài chính", "AGENCY"), ("5 tỷ đồng", "MONEY"), ("năm 2024", "DATE"),
                           ("Năm 2025", "DATE"), ("10%", "PERCENT")])
    pairs = {(doc[c.head[0]:c.head[1]].text, doc[c.tail[0]:c.tail[1]].text, c.column) for c in get_candidates(doc)}
    assert pairs == {("5 tỷ đồng", "Sở Tài chính", 0), ("5 tỷ đồng", "năm 2024", 1), ("10%", "Năm 2025", 1)}
    feats = position_features(doc, get_candidates(doc))
    assert feats.shape[0] == 3 and numpy.all(feats.sum(axis=1) > 0)


def test_decoding_keeps_one_relation_of_each_kind_per_figure():
    from solieu.models.components.relations import RelationExtractor

    nlp = _nlp()
    text = "Tháng 5/2024 và năm 2024, Sở Tài chính chi 5 tỷ đồng."
    doc = _doc(nlp, text, [("Tháng 5/2024", "DATE"), ("năm 2024", "DATE"), ("Sở Tài chính", "AGENCY"),
                           ("5 tỷ đồng", "MONEY")])
    component = RelationExtractor.__new__(RelationExtractor)
    component.cfg = {"thresholds": {"BELONGS_TO": 0.5, "AS_OF": 0.5}}

    class _Ops:
        @staticmethod
        def to_numpy(x):
            return x

    component.model = type("M", (), {"ops": _Ops()})()
    candidates = get_candidates(doc)
    scores = numpy.zeros((len(candidates), 2), dtype="f")
    for row, cand in enumerate(candidates):
        tail = doc[cand.tail[0]:cand.tail[1]].text
        scores[row, cand.column] = {"Tháng 5/2024": 0.7, "năm 2024": 0.9, "Sở Tài chính": 0.4}[tail]
    component.set_annotations([doc], scores)
    relations = [(doc[h:he].text, doc[t:te].text, label) for h, he, t, te, label, _ in doc._.relations]
    assert relations == [("5 tỷ đồng", "năm 2024", "AS_OF")]  # best date kept; owner below threshold


def test_figure_rules_replace_model_figures_and_clear_overlaps():
    nlp = _nlp()
    text = "Sở Tài chính chi 5.000 triệu đồng, đạt 45,2% kế hoạch."
    doc = nlp.make_doc(text)
    doc.ents = [Span(doc, 0, 7, label="AGENCY"), Span(doc, 11, 12, label="MONEY")]  # wrong spans
    doc = FigureRules(["MONEY", "PERCENT"])(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [("5.000 triệu đồng", "MONEY"), ("45,2%", "PERCENT")]


def test_rule_features_tag_tokens():
    nlp = _nlp()
    doc = RuleFeatures()(nlp.make_doc("Thu 5.000 triệu đồng ngày 14/05/2025."))
    assert [t.tag_ for t in doc] == ["O", "B-MONEY", "I-MONEY", "I-MONEY", "B-DATE", "I-DATE", "O"]


def _structure(doc):
    from solieu.models.architectures import structure_features

    candidates = get_candidates(doc)
    feats = structure_features(doc, candidates)
    return {(doc[c.head[0]:c.head[1]].text, doc[c.tail[0]:c.tail[1]].text): feats[row]
            for row, c in enumerate(candidates)}


def test_structure_features_mark_the_nearest_first_reading_and_skip_comparison_dates():
    nlp = _nlp()
    text = "Hết tháng 5, vốn giải ngân đạt 854 tỷ đồng, tăng 5,5% so với cùng kỳ năm 2023."
    doc = _doc(nlp, text, [("tháng 5", "DATE"), ("854 tỷ đồng", "MONEY"), ("5,5%", "PERCENT"), ("năm 2023", "DATE")])
    feats = _structure(doc)
    pick, before, after = (STRUCTURE_COLUMNS[k] for k in ("nearest_first_pick", "nearest_before", "nearest_after"))
    # "năm 2023" is nearer to 5,5% but introduced as a comparison point: the reading picks "tháng 5".
    assert feats[("5,5%", "tháng 5")][pick] == 1 and feats[("5,5%", "năm 2023")][pick] == 0
    assert feats[("854 tỷ đồng", "tháng 5")][pick] == 1
    # nearest on its own side: "tháng 5" is the nearest date before, "năm 2023" the nearest after
    assert feats[("5,5%", "tháng 5")][before] == 1 and feats[("5,5%", "năm 2023")][after] == 1
    assert feats[("5,5%", "tháng 5")][after] == 0
    comma, opening = STRUCTURE_COLUMNS["followed_by_comma"], STRUCTURE_COLUMNS["opens_clause"]
    assert feats[("854 tỷ đồng", "tháng 5")][comma] == 1 and feats[("854 tỷ đồng", "tháng 5")][opening] == 1
    assert feats[("5,5%", "năm 2023")][comma] == 0 and feats[("5,5%", "năm 2023")][opening] == 0
    commas = STRUCTURE_COLUMNS["commas_between"]
    assert feats[("5,5%", "tháng 5")][commas + 2] == 1  # "tháng 5 , … đồng , tăng 5,5%"
    assert feats[("5,5%", "tháng 5")][STRUCTURE_COLUMNS["before_any_figure"]] == 1
    assert feats[("5,5%", "năm 2023")][STRUCTURE_COLUMNS["before_any_figure"]] == 0


def test_structure_features_flag_dates_of_legal_references_and_brackets():
    nlp = _nlp()
    text = "Theo Kế hoạch số 70/KH-UBND ngày 18/4/2019, đã kê khai 2.566 thửa (đạt 85,5% trong năm 2023)."
    doc = _doc(nlp, text, [("ngày 18/4/2019", "DATE"), ("85,5%", "PERCENT"), ("năm 2023", "DATE")])
    feats = _structure(doc)
    reference, bracket = STRUCTURE_COLUMNS["legal_reference_date"], STRUCTURE_COLUMNS["bracket_mismatch"]
    assert feats[("85,5%", "ngày 18/4/2019")][reference] == 1
    assert feats[("85,5%", "năm 2023")][reference] == 0
    # 85,5% is inside the brackets, the reference date outside; "năm 2023" shares its bracket
    assert feats[("85,5%", "ngày 18/4/2019")][bracket] == 1
    assert feats[("85,5%", "năm 2023")][bracket] == 0


def test_listwise_loss_pushes_the_gold_date_up_and_its_rivals_down():
    from solieu.models.components.relations import RelationExtractor
    from solieu.models.components.sentences import ReportSentencizer as _Sentencizer
    from spacy.training import Example
    from thinc.api import NumpyOps

    nlp = _nlp()
    text = "Hết tháng 5, vốn đạt 854 tỷ đồng, tăng 5,5% so với năm 2023."
    ents = [("tháng 5", "DATE"), ("854 tỷ đồng", "MONEY"), ("5,5%", "PERCENT"), ("năm 2023", "DATE")]
    reference = _doc(nlp, text, ents)
    by_text = {e.text: e for e in reference.ents}
    month, money = by_text["tháng 5"], by_text["854 tỷ đồng"]
    # 854 tỷ đồng is as of tháng 5; 5,5% has no date (the reference leaves it unlinked).
    reference._.relations = [(money.start, money.end, month.start, month.end, "AS_OF", 1.0)]
    predicted = _Sentencizer()(nlp.make_doc(text))
    predicted.ents = [Span(predicted, e.start, e.end, label=e.label_) for e in reference.ents]
    example = Example(predicted, reference)
    component = RelationExtractor.__new__(RelationExtractor)
    component.cfg = {"loss": "listwise"}
    component.model = type("M", (), {"ops": NumpyOps()})()
    candidates = get_candidates(predicted)
    scores = numpy.full((len(candidates), 2), 0.5, dtype="f")
    loss, d_scores = component.get_loss([example], scores)
    assert loss > 0
    grads = {(predicted[c.head[0]:c.head[1]].text, predicted[c.tail[0]:c.tail[1]].text): d_scores[row, c.column]
             for row, c in enumerate(candidates) if c.column == 1}
    assert grads[("854 tỷ đồng", "tháng 5")] < 0 < grads[("854 tỷ đồng", "năm 2023")]
    # no gold date: "none" is the target, so both of its dates are pushed down
    assert grads[("5,5%", "tháng 5")] > 0 and grads[("5,5%", "năm 2023")] > 0


def test_an_unknown_relation_loss_is_a_config_error():
    from solieu.errors import ConfigError

    nlp = _nlp()
    with pytest.raises(ConfigError, match="loss must be one of pairwise, listwise"):
        nlp.add_pipe("solieu_relations", config={"loss": "hinge"})


def test_candidates_are_bounded_by_a_window_in_a_long_unbroken_stretch():
    from solieu.models.architectures import CANDIDATE_WINDOW

    nlp = _nlp()
    words = []
    for i in range(400):
        words += [f"ngày {i % 28 + 1}/5/2024", "chi", f"{i + 1} tỷ đồng", ","]
    text = " ".join(words)
    doc = ReportSentencizer()(nlp.make_doc(text))
    register_extensions()
    ents, cursor = [], 0
    for w in words:
        start = text.index(w, cursor)
        cursor = start + len(w)
        if w[0].isdigit():
            ents.append(doc.char_span(start, cursor, label="MONEY"))
        elif w.startswith("ngày"):
            ents.append(doc.char_span(start, cursor, label="DATE"))
    doc.ents = ents
    assert len(list(doc.sents)) == 1
    candidates = get_candidates(doc)
    assert candidates
    assert all(abs(c.tail[0] - c.head[0]) <= CANDIDATE_WINDOW + 10 for c in candidates)
    # Each figure sees the dates of a window, not of the whole stretch: linear, not quadratic.
    assert len(candidates) <= 400 * (2 * CANDIDATE_WINDOW // 7 + 2)
    assert position_features(doc, candidates).shape[0] == len(candidates)


def test_sentencizer_marks_starts_in_one_pass():
    nlp = _nlp()
    doc = ReportSentencizer()(nlp.make_doc("Thu 5 tỷ đồng. Chi 3 tỷ đồng.\nCòn lại 2 tỷ đồng"))
    assert [s.text.strip() for s in doc.sents] == ["Thu 5 tỷ đồng.", "Chi 3 tỷ đồng.", "Còn lại 2 tỷ đồng"]
    assert len(ReportSentencizer()(nlp.make_doc(""))) == 0
