"""Inter-annotator agreement between two annotations of the same document.

Strict-span F1 per entity label and micro-averaged, and relation F1 per type
with both ends strict. One annotation is taken as the reference; F1 does not
depend on which (precision and recall swap). The counting is
`solieu.evaluate.evaluate`'s, so agreement and model scores mean the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from solieu.errors import InputError
from solieu.evaluate import evaluate, values_equal
from solieu.schema import Document, Entity


def agreement(a: Document, b: Document) -> dict:
    """F1 of `b` against `a`: {"entities": {label: prf}, "entities_micro": prf, "relations": {type: prf}}.

    Each prf is `PRF.as_dict()` (precision, recall, f1, tp, fp, fn, support);
    `values` gives, per valued label, how often both gave the same value to
    a span they both marked.
    """
    b = _same_document(a, b)
    report = evaluate([a], [b]).as_dict()
    return {key: report[key] for key in ("entities", "entities_micro", "relations", "values")}


@dataclass(frozen=True)
class Disagreement:
    kind: str  # "entity", "relation" or "value"
    only_in: str | None  # "a", "b", or None for a value both spans share
    description: str
    start: int


def disagreements(a: Document, b: Document) -> list[Disagreement]:
    """What one annotation has and the other lacks, in text order: the cases to adjudicate."""
    b = _same_document(a, b)
    out: list[Disagreement] = []
    ka, kb = _entities_by_key(a), _entities_by_key(b)
    for side, mine, theirs in (("a", ka, kb), ("b", kb, ka)):
        for key in mine.keys() - theirs.keys():
            ent = mine[key]
            out.append(Disagreement("entity", side, f"{ent.label} [{ent.start}:{ent.end}] {ent.text!r}", ent.start))
    for key in ka.keys() & kb.keys():
        ea, eb = ka[key], kb[key]
        if not values_equal(ea.value, eb.value):
            va = ea.value.model_dump(exclude_none=True) if ea.value else None
            vb = eb.value.model_dump(exclude_none=True) if eb.value else None
            out.append(Disagreement("value", None, f"{ea.label} [{ea.start}:{ea.end}] {ea.text!r}: a {va}, b {vb}",
                                    ea.start))
    ra, rb = _relations_by_key(a), _relations_by_key(b)
    for side, mine, theirs in (("a", ra, rb), ("b", rb, ra)):
        for key in mine.keys() - theirs.keys():
            head, tail, label = mine[key]
            out.append(Disagreement("relation", side, f"{head.text!r} [{head.start}] {label} {tail.text!r} [{tail.start}]",
                                    head.start))
    return sorted(out, key=lambda d: (d.start, d.kind, d.only_in or ""))


def _same_document(a: Document, b: Document) -> Document:
    if a.text != b.text:
        raise InputError(f"documents {a.id!r} and {b.id!r} have different texts; agreement needs two annotations "
                         "of the same text")
    # evaluate() pairs documents by id; two passes may name the document differently.
    return b if b.id == a.id else b.model_copy(update={"id": a.id})


def _entities_by_key(doc: Document) -> dict[tuple[int, int, str], Entity]:
    return {(e.start, e.end, e.label): e for e in doc.entities}


def _relations_by_key(doc: Document) -> dict[tuple, tuple[Entity, Entity, str]]:
    ents = {e.id: e for e in doc.entities}
    out = {}
    for r in doc.relations:
        head, tail = ents[r.head], ents[r.tail]
        out[((head.start, head.end, head.label), (tail.start, tail.end, tail.label), r.label)] = (head, tail, r.label)
    return out
