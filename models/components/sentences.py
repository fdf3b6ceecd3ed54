"""`solieu.sentencizer.v1`: sentence starts from solieu's report-aware splitter."""

from __future__ import annotations

import numpy
from solieu.models.components.base import StatelessComponent
from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from solieu.text.sentences import sentence_spans
from solieu.text.tokenizer import doc_text


class ReportSentencizer(StatelessComponent):
    def __call__(self, doc: Doc) -> Doc:
        if len(doc) == 0:
            return doc
        starts = numpy.fromiter((start for start, _ in sentence_spans(doc_text(doc))), dtype="int64")
        # One array write: setting `token.is_sent_start` token by token checks the whole
        # doc's annotation each time, which made long unbroken stretches quadratic.
        values = numpy.where(numpy.isin(doc.to_array(IDX).astype("int64"), starts), 1, -1)
        values[0] = 1
        doc.from_array([SENT_START], values.astype("uint64").reshape(-1, 1))
        return doc


@Language.factory("solieu_sentencizer", requires=[], assigns=["token.is_sent_start"])
def make_sentencizer(nlp: Language, name: str) -> ReportSentencizer:
    return ReportSentencizer()
