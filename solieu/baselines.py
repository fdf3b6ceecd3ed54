"""underthesea's own `ner` as a baseline: the tool a Vietnamese user tries first.

It knows PER, LOC, ORG and MISC; ORG is mapped to AGENCY and nothing else to
our labels. It runs sentence by sentence on the reader's clean text, and its
tokens are located in that text in order, so offsets map back like ours.
"""

from __future__ import annotations

from solieu.extraction import Span, build_document, parse_document_date, prepare_sent
from solieu.schema import Document
from solieu.text.sentences import sentence_spans


def _org_spans(sentence: str, offset: int) -> list[Span]:
    from underthesea import ner  # imported here: loading it costs seconds

    spans: list[Span] = []
    cursor = 0
    current: list[int] | None = None
    for token, _pos, _chunk, tag in ner(sentence):
        found = sentence.find(token, cursor)
        if found < 0:  # underthesea rewrote the token; the span cannot be placed
            current = None
            continue
        start, end = found, found + len(token)
        cursor = end
        if tag == "B-ORG" or (tag == "I-ORG" and current is None):
            if current:
                spans.append(Span(offset + current[0], offset + current[1], "AGENCY"))
            current = [start, end]
        elif tag == "I-ORG":
            current[1] = end
        else:
            if current:
                spans.append(Span(offset + current[0], offset + current[1], "AGENCY"))
            current = None
    if current:
        spans.append(Span(offset + current[0], offset + current[1], "AGENCY"))
    return spans


def extract_underthesea(text: str, *, doc_id: str = "doc", document_date: str | None = None) -> Document:
    prepared = prepare_sent(text)
    clean = prepared.read_text.clean
    spans: list[Span] = []
    for start, end in sentence_spans(clean):
        spans.extend(_org_spans(clean[start:end], start))
    return build_document(doc_id, prepared, spans, [], document_date=parse_document_date(document_date))
