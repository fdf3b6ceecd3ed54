"""`solieu_ner` decodes as spaCy's `ner` does: the same entities from the same weights."""

import numpy
import pytest
import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from solieu.models.components.greedy_ner import DecodedEntities
from spacy.pipeline.ner import EntityRecognizer
from spacy.tokens import Span

LABELS = ["AGENCY", "PROJECT", "MONEY", "PERCENT", "DATE"]
WORDS = ["Sở", "Tài", "chính", "dự", "án", "đường", "tỉnh", "12,5", "tỷ", "đồng", "45%", "năm", "2024",
         "UBND", "huyện", ",", ".", "\n", "  ", "(", ")", "Quảng", "Trị", "giải", "ngân", "kế", "hoạch"]


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": "solieu.vi_tokenizer.v1"}}})
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("tok2vec")
    ner = nlp.add_pipe("solieu_ner", name="ner",
                       config={"model": {"tok2vec": {"@architectures": "spacy.Tok2VecListener.v1", "width": 96,
                                                     "upstream": "tok2vec"}}})
    for label in LABELS:
        ner.add_label(label)
    nlp.initialize()
    return nlp


def _randomise(ner, seed: int, scale: float) -> None:
    # An initialised upper layer is all zeros (every action ties); random weights exercise every action.
    rng = numpy.random.default_rng(seed)
    ner.model.attrs["unseen_classes"] = set()  # as after training on examples of every action
    for layer in ner.model.walk():
        for name in layer.param_names:
            if layer.has_param(name):
                value = layer.get_param(name)
                layer.set_param(name, rng.normal(0.0, scale, value.shape).astype(value.dtype))


def _entities_both_ways(nlp, texts):
    ner = nlp.get_pipe("ner")
    docs = list(nlp.pipe(texts, disable=["ner"]))
    fast_docs = [doc.copy() for doc in docs]
    predicted = ner.predict(fast_docs)
    ner.set_annotations(fast_docs, predicted)
    spacy_docs = [doc.copy() for doc in docs]
    EntityRecognizer.set_annotations(ner, spacy_docs, EntityRecognizer.predict(ner, spacy_docs))
    as_tuples = [[(e.start, e.end, e.label_) for e in doc.ents] for doc in fast_docs], \
        [[(e.start, e.end, e.label_) for e in doc.ents] for doc in spacy_docs]
    iob = [doc.to_array("ENT_IOB").tolist() for doc in fast_docs], [doc.to_array("ENT_IOB").tolist() for doc in spacy_docs]
    return predicted, as_tuples, iob


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(st.lists(st.sampled_from(WORDS), min_size=0, max_size=60).map(" ".join), min_size=1, max_size=6),
       seed=st.integers(0, 2**16), scale=st.sampled_from([0.3, 1.0, 3.0]))
def test_same_entities_as_spacys_decoder(nlp, texts, seed, scale):
    _randomise(nlp.get_pipe("ner"), seed, scale)
    predicted, (fast, slow), (fast_iob, slow_iob) = _entities_both_ways(nlp, texts)
    if any(texts):
        assert isinstance(predicted, DecodedEntities)
    assert fast == slow
    assert fast_iob == slow_iob


def test_ties_go_to_the_first_action(nlp):
    # Zero weights and every action but O scored alike: ties everywhere, and both decoders take the
    # lowest class index (B before U when no entity is open, I before L inside one).
    ner = nlp.get_pipe("ner")
    _randomise(ner, 0, 0.0)
    upper = ner.model.layers[-1]
    upper.set_param("b", numpy.array([-1.0 if ner.moves.get_class_name(i) == "O" else 0.0
                                      for i in range(ner.moves.n_moves)], dtype="f"))
    _, (fast, slow), _ = _entities_both_ways(nlp, ["Sở Tài chính giải ngân 12,5 tỷ đồng . Năm 2024 tỉnh Quảng Trị ."])
    assert fast == slow
    assert max(end - start for start, end, _ in fast[0]) > 3


def test_long_entities_cross_the_first_run(nlp):
    # Entities longer than the first run of scored positions: weights that favour I over L.
    ner = nlp.get_pipe("ner")
    _randomise(ner, 3, 0.05)
    upper = ner.model.layers[-1]
    bias = upper.get_param("b").copy()
    for i in range(ner.moves.n_moves):
        name = ner.moves.get_class_name(i)
        bias[i] = {"B": 5.0, "I": 20.0, "L": -20.0}.get(name[0], 0.0) if name != "O" else -5.0
    upper.set_param("b", bias)
    text = " ".join(["chính"] * 70) + ". " + " ".join(["tỉnh"] * 30)
    _, (fast, slow), _ = _entities_both_ways(nlp, [text])
    assert fast == slow
    assert max(end - start for start, end, _ in fast[0]) > 20


def test_preset_entities_go_to_spacys_decoder(nlp):
    ner = nlp.get_pipe("ner")
    _randomise(ner, 11, 1.0)
    doc = nlp.make_doc("Sở Tài chính giải ngân 12,5 tỷ đồng năm 2024 .")
    for _, proc in nlp.pipeline[:-1]:
        doc = proc(doc)
    doc.ents = [Span(doc, 0, 3, label="AGENCY")]
    predicted = ner.predict([doc])
    assert not isinstance(predicted, DecodedEntities)
    ner.set_annotations([doc], predicted)
    assert (doc.ents[0].start, doc.ents[0].end, doc.ents[0].label_) == (0, 3, "AGENCY")


def test_a_model_saved_by_spacys_ner_loads_and_agrees(nlp):
    # One saved format: weights written by `solieu_ner` load into spaCy's `ner`, and the two agree.
    _randomise(nlp.get_pipe("ner"), 5, 1.0)
    plain = spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": "solieu.vi_tokenizer.v1"}}})
    plain.add_pipe("sentencizer")
    plain.add_pipe("tok2vec")
    plain.add_pipe("ner", config={"model": {"tok2vec": {"@architectures": "spacy.Tok2VecListener.v1", "width": 96,
                                                        "upstream": "tok2vec"}}})
    for label in LABELS:
        plain.get_pipe("ner").add_label(label)
    plain.initialize()
    plain.from_bytes(nlp.to_bytes())
    assert type(plain.get_pipe("ner")) is EntityRecognizer
    text = "UBND huyện giải ngân 12,5 tỷ đồng , đạt 45% kế hoạch năm 2024 . Sở Tài chính dự án đường tỉnh ."
    assert [(e.start, e.end, e.label_) for e in nlp(text).ents] == [(e.start, e.end, e.label_) for e in plain(text).ents]
