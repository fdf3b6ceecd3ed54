"""What every extractor shares: read the text, find spans in the clean text,
map them back to the caller's text, attach values, build the Document."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

from solieu.schema import FIGURE_LABELS, Document, Entity, Relation
from solieu.text.reader import ReadText, read
from solieu.values import normalise


@dataclass(frozen=True)
class Span:
    """A span of the clean text, as an extractor found it."""

    start: int
    end: int
    label: str
    score: float | None = None


@dataclass(frozen=True)
class Link:
    """A relation between two spans, by their index in the span list."""

    head: int
    tail: int
    label: str
    score: float | None = None


def prepare(text: str) -> ReadText:
    """NFC once, at the boundary, then read into clean segments."""
    return read(unicodedata.normalize("NFC", text))


def parse_document_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def build_document(
    doc_id: str,
    read_text: ReadText,
    spans: list[Span],
    links: list[Link],
    *,
    document_date: date | None = None,
    meta: dict | None = None,
) -> Document:
    """Map clean spans to the original text and assemble a valid Document.

    Spans that overlap once mapped back (a body span that crosses a spliced
    footnote block covers that block's spans) keep the earlier, longer span;
    relations of a dropped span are dropped with it, since they point at a
    span that is not returned.
    """
    original = read_text.original
    placed: list[tuple[int, int, int, Span]] = []
    for index, span in enumerate(spans):
        segment = read_text.segment_at(span.start)
        if segment is not None and span.end > segment.end:
            # A span never runs from one segment into the next (a pattern's `\s+` can
            # match a paragraph break): it ends with its segment.
            span = Span(span.start, segment.end, span.label, span.score)
        start, end = read_text.to_original(span.start, span.end)
        if end <= start:
            continue
        placed.append((start, end, index, span))
    placed.sort(key=lambda p: (p[0], -(p[1] - p[0])))
    kept: dict[int, str] = {}
    entities: list[Entity] = []
    last_end = -1
    for start, end, index, span in placed:
        if start < last_end:
            continue
        entity_id = f"e{len(entities) + 1}"
        surface = original[start:end]
        entities.append(
            Entity(
                id=entity_id,
                start=start,
                end=end,
                label=span.label,
                text=surface,
                value=normalise(span.label, surface, document_date),
                score=span.score,
            )
        )
        kept[index] = entity_id
        last_end = end
    relations: list[Relation] = []
    taken: set[tuple[str, str]] = set()
    by_id = {e.id: e for e in entities}
    for link in sorted(links, key=lambda lk: -(lk.score or 0.0)):
        head, tail = kept.get(link.head), kept.get(link.tail)
        if head is None or tail is None or (head, link.label) in taken:
            continue
        if by_id[head].label not in FIGURE_LABELS:
            continue
        taken.add((head, link.label))
        relations.append(Relation(head=head, tail=tail, label=link.label, score=link.score))
    relations.sort(key=lambda r: (int(r.head[1:]), r.label))
    return Document(id=doc_id, text=original, entities=entities, relations=relations, meta=meta)
