"""`solieu.MultiHashEmbed.v1`: one hash embedding per attribute, each of its own width, mixed to the tok2vec's."""

import pytest
import spacy
from spacy.util import registry

ATTRS = ["NORM", "PREFIX", "SUFFIX", "SHAPE"]


def test_vectors_of_the_mixed_width_for_every_token():
    build = registry.architectures.get("solieu.MultiHashEmbed.v1")
    model = build(width=24, attrs=ATTRS, rows=[100, 50, 50, 20], widths=[16, 4, 4, 2])
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": "solieu.vi_tokenizer.v1"}}})
    docs = [nlp("Sở Tài chính giải ngân 12,5 tỷ đồng."), nlp("")]
    model.initialize(X=docs)
    vectors = model.predict(docs)
    assert [v.shape for v in vectors] == [(len(docs[0]), 24), (0, 24)]
    # The mixer reads the sum of the attribute widths, not width × attributes.
    [mixer] = [layer for layer in model.walk() if layer.name == "maxout"]
    assert mixer.get_dim("nI") == 26
    assert sorted(layer.get_dim("nO") for layer in model.walk() if layer.name == "hashembed") == [2, 4, 4, 16]


def test_one_width_per_attribute():
    build = registry.architectures.get("solieu.MultiHashEmbed.v1")
    with pytest.raises(ValueError, match="one entry each"):
        build(width=24, attrs=ATTRS, rows=[100, 50, 50, 20], widths=[16, 4])
