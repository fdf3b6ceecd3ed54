"""The one adapter between the exchange format and spaCy's in-memory Doc, both ways: gold
Documents into training Docs (`document_examples`, `segment_to_doc`) and predicted Docs into
spans and links (`collect_doc`), which `extraction.build_document` turns into a Document.

Gold documents are read with the report reader, their entities mapped to the
clean text, and cut into one spaCy Doc per segment (paragraph, list item,
footnote), which is also how the pipeline sees text at inference. A span that
does not fall on token boundaries raises AlignmentError: it is never dropped.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example

from solieu.errors import AlignmentError
from solieu.extraction import Link, prepare
from solieu.extraction import Span as TextSpan
from solieu.schema import Document, value_of


@dataclass(frozen=True)
class GoldSegment:
    text: str
    entities: list[tuple[int, int, str]]  # char offsets in `text`
    relations: list[tuple[int, int, str]]  # indices into `entities`


def gold_segments(document: Document) -> Iterator[GoldSegment]:
    """Cut a gold document into reader segments with segment-relative spans."""
    read_text = prepare(document.text)
    clean_spans: dict[str, tuple[int, int]] = {}
    for ent in document.entities:
        mapped = read_text.to_clean(ent.start, ent.end)
        if mapped is None:
            raise AlignmentError(f"document {document.id}: entity {ent.id} {ent.text!r} has no character the reader keeps")
        clean_spans[ent.id] = mapped
    placed: set[str] = set()
    for segment in read_text.segments:
        inside = [
            ent for ent in document.entities
            if segment.start <= clean_spans[ent.id][0] < segment.end
        ]
        index = {}
        entities = []
        for ent in sorted(inside, key=lambda e: clean_spans[e.id]):
            start, end = clean_spans[ent.id]
            if end > segment.end:
                raise AlignmentError(
                    f"document {document.id}: entity {ent.id} {ent.text!r} runs past the end of its reader segment"
                )
            index[ent.id] = len(entities)
            entities.append((start - segment.start, end - segment.start, ent.label))
            placed.add(ent.id)
        relations = [
            (index[r.head], index[r.tail], r.label)
            for r in document.relations
            if r.head in index and r.tail in index
        ]
        yield GoldSegment(read_text.clean[segment.start : segment.end], entities, relations)
    unplaced = [e.id for e in document.entities if e.id not in placed]
    if unplaced:
        raise AlignmentError(f"document {document.id}: entities {unplaced[:5]} fall outside every reader segment")


def segment_to_doc(nlp: Language, segment: GoldSegment) -> Doc:
    """A reference Doc: tokens, gold entities and gold relations."""
    from solieu.models.components.extensions import register_extensions

    register_extensions()
    doc = nlp.make_doc(segment.text)
    spans = []
    for start, end, label in segment.entities:
        span = doc.char_span(start, end, label=label, alignment_mode="strict")
        if span is None:
            raise AlignmentError(
                f"span {segment.text[start:end]!r} [{start}:{end}] does not fall on token boundaries "
                f"(tokens: {[t.text for t in doc if t.idx < end and t.idx + len(t) > start]})"
            )
        spans.append(span)
    doc.ents = spans
    doc._.relations = [
        (spans[h].start, spans[h].end, spans[t].start, spans[t].end, label, 1.0)
        for h, t, label in segment.relations
    ]
    return doc


def document_examples(nlp: Language, document: Document, *, gold_entities: bool = False) -> Iterator[Example]:
    """One Example per segment; with `gold_entities` the predicted doc starts
    with the reference entities, so that a pipeline without an entity
    recogniser (a relation-only training) is evaluated on the gold candidates."""
    for segment in gold_segments(document):
        reference = segment_to_doc(nlp, segment)
        predicted = nlp.make_doc(segment.text)
        if gold_entities:
            predicted.ents = [Span(predicted, e.start, e.end, label=e.label_) for e in reference.ents]
        yield Example(predicted, reference)


def collect_doc(offset: int, doc, spans: list[TextSpan], links: list[Link],
                probabilities: dict[tuple[int, int, str], float] | None = None, *,
                values_read: bool = False) -> None:
    """The other direction: append a predicted segment doc's entities (at `offset` in the clean
    text) and its relations between them, for `extraction.build_document`; with `values_read`,
    each entity keeps the value the `solieu_values` component read from the clean segment
    (values are read once)."""
    index: dict[tuple[int, int], int] = {}
    for ent in doc.ents:
        index[(ent.start, ent.end)] = len(spans)
        score = probabilities.get((ent.start, ent.end, ent.label_)) if probabilities is not None else None
        spans.append(TextSpan(offset + ent.start_char, offset + ent.end_char, ent.label_,
                              None if score is None else round(min(1.0, float(score)), 4),
                              value=value_of(ent.label_, ent._.value) if values_read else None,
                              value_read=values_read))
    for head_start, head_end, tail_start, tail_end, label, score in doc._.relations or []:
        head, tail = index.get((head_start, head_end)), index.get((tail_start, tail_end))
        if head is not None and tail is not None:
            links.append(Link(head, tail, label, round(float(score), 4)))
