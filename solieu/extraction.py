"""What every extractor shares: read the text, find spans in the clean text,
map them back to the caller's text, attach values, build the Document."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

from solieu.schema import FIGURE_LABELS, Document, Entity, Relation, Value
from solieu.text.reader import ReadText, read
from solieu.values import normalise


@dataclass(frozen=True)
class Span:
    """A span of the clean text, as an extractor found it; `value_read` when the extractor already
    normalised its value (the pipeline's `solieu_values` component), so it is not read twice."""

    start: int
    end: int
    label: str
    score: float | None = None
    value: Value | None = None
    value_read: bool = False


@dataclass(frozen=True)
class Link:
    """A relation between two spans, by their index in the span list."""

    head: int
    tail: int
    label: str
    score: float | None = None


@dataclass(frozen=True)
class Prepared:
    """The caller's text, its NFC form as the reader read it, and the map between the two.

    `nfc_to_sent[i]` is the index in the sent text of the character cluster that
    NFC character `i` came from; one past the end maps to the end. For text that
    is NFC already (most input) the map is the identity and costs nothing.
    """

    sent: str
    read_text: ReadText
    nfc_to_sent: list[int] | None  # None: the sent text is NFC, offsets are the same

    def to_sent(self, start: int, end: int) -> tuple[int, int]:
        if self.nfc_to_sent is None:
            return start, end
        return self.nfc_to_sent[start], self.nfc_to_sent[end]

    def clean_to_sent(self, start: int, end: int) -> tuple[int, int]:
        """A clean-text span as the span of the sent text that covers it, edge whitespace left out
        (start == end when only whitespace is left)."""
        nfc_start, nfc_end = trimmed(self.read_text.original, *self.read_text.to_original(start, end))
        return self.to_sent(nfc_start, nfc_end)


def _nfc_with_map(text: str) -> tuple[str, list[int]]:
    """NFC of `text`, composed one cluster (a starter and the marks after it) at a time,
    with the sent index of every NFC character."""
    pieces: list[str] = []
    mapping: list[int] = []
    cluster_start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or unicodedata.combining(text[i]) == 0:
            composed = unicodedata.normalize("NFC", text[cluster_start:i])
            pieces.append(composed)
            mapping.extend([cluster_start] * len(composed))
            cluster_start = i
    nfc = "".join(pieces)
    mapping.append(len(text))
    if nfc != unicodedata.normalize("NFC", text):  # pragma: no cover - composition across clusters
        raise ValueError("text composes across character clusters; cannot map its offsets")
    return nfc, mapping


def prepare_sent(text: str) -> Prepared:
    """NFC once, at the boundary, then read into clean segments; offsets map back to `text`."""
    if unicodedata.is_normalized("NFC", text):
        return Prepared(text, read(text), None)
    nfc, mapping = _nfc_with_map(text)
    return Prepared(text, read(nfc), mapping)


def prepare(text: str) -> ReadText:
    """The reader's view of `text` (its NFC form); `prepare_sent` keeps the way back to `text`."""
    return prepare_sent(text).read_text


def parse_document_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def build_document(
    doc_id: str,
    read_text: ReadText | Prepared,
    spans: list[Span],
    links: list[Link],
    *,
    document_date: date | None = None,
    meta: dict | None = None,
) -> Document:
    """Map clean spans to the text as sent and assemble a valid Document.

    Each span goes clean text -> NFC text -> sent text; whitespace a mapped
    span would start or end with (a segment's trailing line break, a space
    the reader inserted) is left outside it. Spans that overlap once mapped
    back (a body span that crosses a spliced footnote block covers that
    block's spans) keep the earlier, longer span; relations of a dropped span
    are dropped with it, since they point at a span that is not returned.
    Values are read from the NFC surface, the form the normalisers know.
    """
    prepared = read_text if isinstance(read_text, Prepared) else Prepared(read_text.original, read_text, None)
    read_text = prepared.read_text
    nfc_text, original = read_text.original, prepared.sent
    placed: list[tuple[int, int, int, Span, str]] = []
    for index, span in enumerate(spans):
        segment = read_text.segment_at(span.start)
        if segment is not None and span.end > segment.end:
            # A span never runs from one segment into the next (a pattern's `\s+` can
            # match a paragraph break): it ends with its segment.
            span = Span(span.start, segment.end, span.label, span.score)
        nfc_start, nfc_end = trimmed(nfc_text, *read_text.to_original(span.start, span.end))
        if nfc_end <= nfc_start:
            continue
        start, end = prepared.to_sent(nfc_start, nfc_end)
        if end <= start:
            continue
        placed.append((start, end, index, span, nfc_text[nfc_start:nfc_end]))
    placed.sort(key=lambda p: (p[0], -(p[1] - p[0])))
    kept: dict[int, str] = {}
    entities: list[Entity] = []
    last_end = -1
    for start, end, index, span, nfc_surface in placed:
        if start < last_end:
            continue
        entity_id = f"e{len(entities) + 1}"
        entities.append(
            Entity(
                id=entity_id,
                start=start,
                end=end,
                label=span.label,
                text=original[start:end],
                value=span.value if span.value_read else normalise(span.label, nfc_surface, document_date),
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
