"""`solieu.sentencizer.v1`: sentence starts from solieu's report-aware splitter."""

from __future__ import annotations

import numpy
from solieu.models.components.base import StatelessComponent
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from solieu.text.sentences import sentence_spans


class ReportSentencizer(StatelessComponent):
    def __call__(self, doc: Doc) -> Doc:
        if len(doc) == 0:
            return doc
        starts = {start for start, _ in sentence_spans(doc.text)}
        # One array write: setting `token.is_sent_start` token by token checks the whole
        # doc's annotation each time, which made long unbroken stretches quadratic.
        values = numpy.array([1 if token.i == 0 or token.idx in starts else -1 for token in doc], dtype="int64")
        doc.from_array([SENT_START], values.astype("uint64").reshape(-1, 1))
        return doc


@Language.factory("solieu_sentencizer", requires=[], assigns=["token.is_sent_start"])
def make_sentencizer(nlp: Language, name: str) -> ReportSentencizer:
    return ReportSentencizer()
