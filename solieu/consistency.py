"""Consistency checks over an annotated corpus (`solieu annotations check`).

Three kinds of finding, each a hint for a human to look at, not a verdict:

- `label_conflict`: one surface string (whitespace-normalised) carries
  different labels in different places;
- `unlabelled_occurrence`: a surface string labelled somewhere appears
  elsewhere in the corpus with no entity on it (AGENCY/PROJECT strings of two
  tokens or more; every MONEY/PERCENT/DATE string), occurrences that overlap
  another entity being skipped;
- `value_mismatch`: a MONEY/PERCENT/DATE whose gold value differs from what
  `solieu.values.normalise` reads from its text.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from solieu.evaluate import values_equal
from solieu.schema import VALUED_LABELS, Document, Entity
from solieu.values import normalise

FindingKind = Literal["label_conflict", "unlabelled_occurrence", "value_mismatch"]
FINDING_KINDS: tuple[str, ...] = ("label_conflict", "unlabelled_occurrence", "value_mismatch")

# Names shorter than this many tokens recur as ordinary words ("Đảng",
# "Sở"), so searching for their unlabelled occurrences would be mostly noise.
MIN_NAME_TOKENS = 2
NAME_LABELS: frozenset[str] = frozenset({"AGENCY", "PROJECT"})


@dataclass(frozen=True)
class Finding:
    kind: FindingKind
    doc_id: str
    start: int
    end: int
    text: str
    message: str
    entity_id: str | None = None  # None for an unlabelled occurrence

    def as_dict(self) -> dict[str, str | int | None]:
        return {"kind": self.kind, "doc_id": self.doc_id, "entity_id": self.entity_id,
                "start": self.start, "end": self.end, "text": self.text, "message": self.message}


def surface(text: str) -> str:
    """The whitespace-normalised form two mentions are compared by."""
    return " ".join(text.split())


def find_inconsistencies(docs: Sequence[Document]) -> list[Finding]:
    """Every finding of the three kinds over `docs`, ordered by document and offset."""
    findings = [*_label_conflicts(docs), *_unlabelled_occurrences(docs), *_value_mismatches(docs)]
    order = {doc.id: i for i, doc in enumerate(docs)}
    return sorted(findings, key=lambda f: (order[f.doc_id], f.start, f.end, FINDING_KINDS.index(f.kind)))


def _label_conflicts(docs: Sequence[Document]) -> list[Finding]:
    by_surface: dict[str, list[tuple[Document, Entity]]] = defaultdict(list)
    for doc in docs:
        for ent in doc.entities:
            by_surface[surface(ent.text)].append((doc, ent))
    findings = []
    for text, mentions in by_surface.items():
        labels = Counter(ent.label for _, ent in mentions)
        if len(labels) < 2:
            continue
        summary = ", ".join(f"{label} ×{n}" for label, n in sorted(labels.items()))
        for doc, ent in mentions:
            findings.append(Finding("label_conflict", doc.id, ent.start, ent.end, ent.text,
                                    f"{text!r} is labelled {ent.label} here; across the corpus: {summary}",
                                    entity_id=ent.id))
    return findings


def _checked_for_unlabelled(ent: Entity) -> bool:
    if ent.label in NAME_LABELS:
        return len(ent.text.split()) >= MIN_NAME_TOKENS
    return ent.label in VALUED_LABELS


def _occurrence_pattern(text: str) -> re.Pattern[str]:
    """`text` with any run of whitespace, bounded so it is not part of a longer word or number."""
    body = r"\s+".join(re.escape(tok) for tok in text.split())
    # Not glued to a preceding word or number: `2025` must not match in `12/2025`.
    before = r"(?<![\w/.,])" if text[0].isalnum() else ""
    if text[-1].isdigit():
        # Not continued as a longer number (`10` in `10.000`, `5/2025` in `5/20251`).
        after = r"(?!\w|[.,/]\d)"
    elif text[-1].isalpha():
        # A footnote marker glued to the end (`đồng1`) is allowed, a letter is not.
        after = r"(?![^\W\d_])"
    else:
        after = ""
    return re.compile(before + body + after)


def _unlabelled_occurrences(docs: Sequence[Document]) -> list[Finding]:
    labelled: dict[str, Counter[str]] = defaultdict(Counter)
    for doc in docs:
        for ent in doc.entities:
            if _checked_for_unlabelled(ent):
                labelled[surface(ent.text)][ent.label] += 1
    findings = []
    for doc in docs:
        spans = sorted((e.start, e.end) for e in doc.entities)
        for text, labels in labelled.items():
            summary = ", ".join(f"{label} ×{n}" for label, n in sorted(labels.items()))
            for m in _occurrence_pattern(text).finditer(doc.text):
                if _overlaps_any(spans, m.start(), m.end()):
                    continue
                findings.append(Finding("unlabelled_occurrence", doc.id, m.start(), m.end(), m.group(0),
                                        f"{text!r} is labelled elsewhere ({summary}) but not here"))
    return findings


def _overlaps_any(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    # Spans are few per document (hundreds); a linear scan keeps this obvious.
    return any(s < end and start < e for s, e in spans)


def _value_mismatches(docs: Sequence[Document]) -> list[Finding]:
    findings = []
    for doc in docs:
        for ent in doc.entities:
            if ent.label not in VALUED_LABELS:
                continue
            expected = normalise(ent.label, ent.text)
            if values_equal(ent.value, expected):
                continue
            gold = ent.value.model_dump(exclude_none=True) if ent.value is not None else None
            read = expected.model_dump(exclude_none=True) if expected is not None else None
            findings.append(Finding("value_mismatch", doc.id, ent.start, ent.end, ent.text,
                                    f"gold value {gold} differs from the normaliser's {read}",
                                    entity_id=ent.id))
    return findings


def format_findings(findings: Sequence[Finding]) -> str:
    """One line per finding, then counts by kind: what the CLI prints."""
    lines = [f"{f.doc_id}\t{f.kind}\t{f.entity_id or '-'}\t[{f.start}:{f.end}]\t{surface(f.text)!r}\t{f.message}"
             for f in findings]
    counts = Counter(f.kind for f in findings)
    lines.append("  ".join(f"{kind}: {counts.get(kind, 0)}" for kind in FINDING_KINDS))
    return "\n".join(lines)
