"""`solieu.MultiHashEmbed.v1`: spaCy's MultiHashEmbed with a width per attribute.

spaCy's `spacy.MultiHashEmbed.v2` gives every attribute the tok2vec's full width and mixes their
concatenation with a maxout layer, so with seven attributes the mixing product (7 x 96 inputs, 96
outputs, 3 pieces) cost a third of the tok2vec's time. A word's form carries far more than its
shape or its rule tag, so each attribute here gets a width of its own; the mixing layer reads
their sum. Hash embeddings, seeds and the maxout mixer are spaCy's, in the same order.
"""

from __future__ import annotations

from spacy.ml.featureextractor import FeatureExtractor
from spacy.util import registry
from thinc.api import (
    HashEmbed,
    Maxout,
    Model,
    chain,
    concatenate,
    list2ragged,
    ragged2list,
    with_array,
)


@registry.architectures("solieu.MultiHashEmbed.v1")
def build_multi_hash_embed(width: int, attrs: list[str], rows: list[int], widths: list[int]) -> Model:
    """One hash embedding per attribute (`rows[i]` rows of `widths[i]` columns), mixed to `width`."""
    if not (len(attrs) == len(rows) == len(widths)):
        raise ValueError(f"attrs, rows and widths must have one entry each: {len(attrs)}, {len(rows)}, {len(widths)}")
    # spaCy seeds its i-th embedding with 8 + i; the same here, so that one attribute list hashes alike.
    embeddings = [HashEmbed(widths[i], rows[i], column=i, seed=8 + i, dropout=0.0) for i in range(len(attrs))]
    return chain(
        FeatureExtractor(attrs),
        list2ragged(),
        with_array(concatenate(*embeddings)),
        with_array(Maxout(width, sum(widths), nP=3, dropout=0.0, normalize=True)),
        ragged2list(),
    )
