"""`solieu_rule_features`: the rules extractor's opinion as a token feature.

Each token's `tag_` becomes `B-LABEL`, `I-LABEL` or `O` from the rule
matches of its text, so that the tok2vec layer can embed it (attrs TAG). The
statistical NER decides; the rules are evidence it learns how far to trust,
which keeps the model's number handling as exact as the patterns while
learning agencies and projects from context.
"""

from __future__ import annotations

import numpy
from solieu.models.components.base import StatelessComponent
from spacy.attrs import TAG
from spacy.language import Language
from spacy.tokens import Doc

from solieu.rules import find_spans
from solieu.text.tokenizer import doc_text


class RuleFeatures(StatelessComponent):
    def __call__(self, doc: Doc) -> Doc:
        if len(doc) == 0:
            return doc
        tags = ["O"] * len(doc)
        for span in find_spans(doc_text(doc)):
            tokens = doc.char_span(span.start, span.end, alignment_mode="expand")
            if tokens is None:
                continue
            for i, token in enumerate(tokens):
                tags[token.i] = ("B-" if i == 0 else "I-") + span.label
        strings = doc.vocab.strings
        # One array write: setting `token.tag_` token by token costs a string lookup and a Token each.
        doc.from_array([TAG], numpy.array([strings.add(tag) for tag in tags], dtype="uint64"))
        return doc


@Language.factory("solieu_rule_features", assigns=["token.tag"])
def make_rule_features(nlp: Language, name: str) -> RuleFeatures:
    return RuleFeatures()
