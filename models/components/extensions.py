"""Custom attributes solieu components read and write on spaCy objects.

`Doc._.relations`: list of (head_start, head_end, tail_start, tail_end, label,
score) with token offsets of the head figure and its tail entity.
`Doc._.document_date`: ISO date used to give year-less dates a year.
`Span._.value`: the normalised value (a dict) of a MONEY, PERCENT or DATE span.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span


def register_extensions() -> None:
    if not Doc.has_extension("relations"):
        Doc.set_extension("relations", default=None)
    if not Doc.has_extension("document_date"):
        Doc.set_extension("document_date", default=None)
    if not Span.has_extension("value"):
        Span.set_extension("value", default=None)


def relations_of(doc: Doc) -> list[tuple[int, int, int, int, str, float]]:
    return doc._.relations or []
