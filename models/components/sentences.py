"""`solieu.sentencizer.v1`: sentence starts from solieu's report-aware splitter."""

from __future__ import annotations

from solieu.models.components.base import StatelessComponent
from spacy.language import Language
from spacy.tokens import Doc

from solieu.text.sentences import sentence_spans


class ReportSentencizer(StatelessComponent):
    def __call__(self, doc: Doc) -> Doc:
        starts = {start for start, _ in sentence_spans(doc.text)}
        for token in doc:
            token.is_sent_start = token.i == 0 or token.idx in starts
        return doc


@Language.factory("solieu_sentencizer", requires=[], assigns=["token.is_sent_start"])
def make_sentencizer(nlp: Language, name: str) -> ReportSentencizer:
    return ReportSentencizer()
