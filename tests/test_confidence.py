"""The confidence calibrator and the calibration measures, on data built here."""

import json

import numpy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from solieu.calibration import auroc, expected_calibration_error, fit, fit_logistic, reliability
from solieu.confidence import CONFIDENCE_FILE, ENTITY_FEATURES, Calibrator, entity_features
from solieu.errors import ModelError
from solieu.schema import Document


def test_logistic_fit_recovers_the_weights_it_was_drawn_from():
    rng = numpy.random.default_rng(0)
    x = numpy.column_stack([numpy.ones(4000), rng.normal(size=4000)])
    y = (rng.random(4000) < 1 / (1 + numpy.exp(-(0.5 + 2.0 * x[:, 1])))).astype(float)
    w = fit_logistic(x, y, l2=0.0)
    assert abs(w[0] - 0.5) < 0.2 and abs(w[1] - 2.0) < 0.25


def test_ece_is_zero_for_scores_that_match_their_accuracy_and_large_for_overconfident_ones():
    right = [1] * 9 + [0]
    assert expected_calibration_error([0.9] * 10, right) == pytest.approx(0.0)
    assert expected_calibration_error([1.0] * 10, right) == pytest.approx(0.1)
    assert [r["n"] for r in reliability([0.05, 0.95, 1.0], [0, 1, 1])] == [1, 0, 0, 0, 0, 0, 0, 0, 0, 2]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 1000).map(lambda k: k / 1000), st.booleans()), min_size=2, max_size=40))
def test_auroc_is_a_probability_and_flips_with_the_scores(pairs):
    scores, right = [p for p, _ in pairs], [int(r) for _, r in pairs]
    a = auroc(scores, right)
    if len(set(right)) < 2:
        assert a is None
        return
    assert 0.0 <= a <= 1.0
    assert auroc([1 - s for s in scores], right) == pytest.approx(1 - a)


def _doc(doc_id, text, spans, relations=()):
    entities = [{"id": f"e{i}", "start": s, "end": e, "label": label, "text": text[s:e]}
                for i, (s, e, label) in enumerate(spans, start=1)]
    return Document.model_validate({"id": doc_id, "text": text, "entities": entities,
                                    "relations": [{"head": h, "tail": t, "label": label, "score": 0.9}
                                                  for h, t, label in relations]})


def _corpus(n=60):
    """Agency spans that are right when they stop before a verb, wrong when they run on."""
    gold, predicted = [], []
    for i in range(n):
        text = f"Sở Tài chính tỉnh Số {i} làm chủ đầu tư dự án."
        name_end = text.index(" làm")
        gold.append(_doc(f"d{i}", text, [(0, name_end, "AGENCY")]))
        wrong = i % 4 == 0
        predicted.append(_doc(f"d{i}", text, [(0, text.index(" dự") if wrong else name_end, "AGENCY")]))
    return predicted, gold


def test_the_fitted_calibrator_scores_run_on_spans_lower_and_round_trips_through_its_file(tmp_path):
    predicted, gold = _corpus()
    calibrator = fit(predicted, gold)
    assert "AGENCY" in calibrator.entity
    scored = [calibrator.score(doc).entities[0].score for doc in predicted]
    right = [s for i, s in enumerate(scored) if i % 4]
    wrong = [s for i, s in enumerate(scored) if not i % 4]
    assert min(right) > max(wrong)
    calibrator.save(tmp_path)
    again = Calibrator.load(tmp_path)
    assert [again.score(doc).entities[0].score for doc in predicted] == scored


def test_a_label_with_too_few_examples_gets_its_smoothed_accuracy():
    predicted, gold = _corpus(8)
    calibrator = fit(predicted, gold)
    assert "AGENCY" not in calibrator.entity
    assert calibrator.prior["AGENCY"] == pytest.approx((6 + 1) / (8 + 2))


def test_a_confidence_file_made_for_other_features_is_a_model_error(tmp_path):
    Calibrator(entity={"AGENCY": [0.0] * len(ENTITY_FEATURES)}).save(tmp_path)
    data = json.loads((tmp_path / CONFIDENCE_FILE).read_text(encoding="utf-8"))
    data["entity_features"] = data["entity_features"][:-1]
    (tmp_path / CONFIDENCE_FILE).write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ModelError, match="run `solieu calibrate` again"):
        Calibrator.load(tmp_path)


def test_entity_features_read_the_text_around_the_span():
    text = "Ban Quản lý dự án tỉnh làm chủ đầu tư."
    features = dict(zip(ENTITY_FEATURES, entity_features(text, 0, 22, "AGENCY", False), strict=True))
    assert features["next_ender"] == 1.0 and features["next_lower"] == 1.0
    assert features["starts_head"] == 1.0 and features["no_value"] == 0.0
