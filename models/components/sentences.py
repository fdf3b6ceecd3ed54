"""`solieu.sentencizer.v1`: sentence starts from solieu's report-aware splitter."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from solieu.text.sentences import sentence_spans


class ReportSentencizer:
    def __call__(self, doc: Doc) -> Doc:
        starts = {start for start, _ in sentence_spans(doc.text)}
        for token in doc:
            token.is_sent_start = token.i == 0 or token.idx in starts
        return doc

    def to_disk(self, path, **kwargs) -> None:
        return None

    def from_disk(self, path, **kwargs):
        return self

    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data, **kwargs):
        return self


@Language.factory("solieu_sentencizer", requires=[], assigns=["token.is_sent_start"])
def make_sentencizer(nlp: Language, name: str) -> ReportSentencizer:
    return ReportSentencizer()
