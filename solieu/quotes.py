"""Quote-based annotations: how people write annotations by hand, anchored into offsets.

An annotator who writes or reads a passage lists its spans by quoting them
(`{"text": "ngày 30/6/2023", "label": "DATE", "occ": 1, "value": …}`, `occ`
being which occurrence of that exact substring) and its relations by the
0-based index of each end in that list. Counting characters by hand is where
hand annotation goes wrong; quoting is not. This module turns such a record
into a `Document` of the exchange format and says, for every record, what is
wrong and where, so that the annotator can fix it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from pydantic import ValidationError

from solieu.schema import FIGURE_LABELS, RELATION_SIGNATURES, Document
from solieu.values import normalise


@dataclass
class Anchored:
    """One passage anchored: the document, or the problems that kept it from being one."""

    passage_id: str
    document: Document | None
    problems: list[str] = field(default_factory=list)
    # Values that differ from solieu's normaliser: not errors, things to look at twice.
    notes: list[str] = field(default_factory=list)


def _find_occurrence(text: str, quote: str, occ: int) -> int | None:
    position = -1
    for _ in range(occ):
        position = text.find(quote, position + 1)
        if position < 0:
            return None
    return position


def anchor_record(raw: dict, annotation: dict) -> Anchored:
    """Anchor `annotation` (quoted entities, indexed relations) into `raw`'s text."""
    passage_id = str(raw.get("id", "?"))
    text = raw.get("text")
    problems: list[str] = []
    notes: list[str] = []
    if not isinstance(text, str) or not text.strip():
        return Anchored(passage_id, None, [f"{passage_id}: no text"])
    if annotation.get("id") != raw.get("id"):
        return Anchored(passage_id, None, [f"{passage_id}: annotation id {annotation.get('id')!r} does not match"])
    entities = []
    quoted = annotation.get("entities") or []
    for index, item in enumerate(quoted):
        quote, label = item.get("text"), item.get("label")
        occ = item.get("occ", 1)
        where = f"{passage_id} entity {index} {label} {quote!r}"
        if not isinstance(quote, str) or not quote:
            problems.append(f"{where}: no quoted text")
            continue
        if not isinstance(occ, int) or occ < 1:
            problems.append(f"{where}: occ must be a positive integer, got {occ!r}")
            continue
        start = _find_occurrence(text, quote, occ)
        if start is None:
            count = text.count(quote)
            problems.append(f"{where}: occurrence {occ} not found (the text has {count})")
            continue
        entity = {"id": f"e{index}", "start": start, "end": start + len(quote), "label": label, "text": quote}
        if "value" in item and item["value"] is not None:
            entity["value"] = item["value"]
            if label in FIGURE_LABELS or label == "DATE":
                expected = normalise(label, quote)
                if expected is not None and expected.model_dump(exclude_none=True) != item["value"]:
                    notes.append(f"{where}: value {item['value']} differs from solieu's "
                                 f"{expected.model_dump(exclude_none=True)}; check it against the spec")
        elif label in FIGURE_LABELS or label == "DATE":
            problems.append(f"{where}: a {label} needs a value")
        entities.append(entity)
    relations = []
    seen: set[tuple[int, str]] = set()
    for item in annotation.get("relations") or []:
        head, tail, label = item.get("head"), item.get("tail"), item.get("label")
        where = f"{passage_id} relation {head}->{tail} {label}"
        if label not in RELATION_SIGNATURES:
            problems.append(f"{where}: unknown relation label")
            continue
        if not all(isinstance(i, int) and 0 <= i < len(quoted) for i in (head, tail)):
            problems.append(f"{where}: head and tail must index the entity list (0..{len(quoted) - 1})")
            continue
        heads, tails = RELATION_SIGNATURES[label]
        if quoted[head].get("label") not in heads or quoted[tail].get("label") not in tails:
            problems.append(f"{where}: {label} goes from {sorted(heads)} to {sorted(tails)}, "
                            f"not {quoted[head].get('label')} to {quoted[tail].get('label')}")
            continue
        if (head, label) in seen:
            problems.append(f"{where}: entity {head} already has a {label} (at most one per figure)")
            continue
        seen.add((head, label))
        relations.append({"head": f"e{head}", "tail": f"e{tail}", "label": label})
    if problems:
        return Anchored(passage_id, None, problems, notes)
    meta = {key: raw[key] for key in ("province", "genre") if key in raw}
    meta.update(raw.get("meta") or {})
    try:
        document = Document.model_validate(
            {"id": passage_id, "text": text, "entities": entities, "relations": relations, "meta": meta or None})
    except ValidationError as err:
        return Anchored(passage_id, None, [f"{passage_id}: {e['msg']}" for e in err.errors()], notes)
    return Anchored(passage_id, document, [], notes)


def anchor_lines(raw_lines: Iterable[str], annotation_lines: Iterable[str]) -> list[Anchored]:
    """Anchor two JSONL streams record by record, matched by id."""
    raws, problems = _parse_jsonl(raw_lines, "raw")
    annotations, more = _parse_jsonl(annotation_lines, "annotation")
    problems += more
    by_id = {str(a.get("id")): a for a in annotations}
    out = [Anchored("-", None, [p]) for p in problems]
    for raw in raws:
        annotation = by_id.pop(str(raw.get("id")), None)
        if annotation is None:
            out.append(Anchored(str(raw.get("id")), None, [f"{raw.get('id')}: no annotation"]))
            continue
        out.append(anchor_record(raw, annotation))
    for leftover in by_id:
        out.append(Anchored(leftover, None, [f"{leftover}: an annotation without a raw passage"]))
    return out


def _parse_jsonl(lines: Iterable[str], what: str) -> tuple[list[dict], list[str]]:
    records, problems = [], []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            problems.append(f"{what} line {number}: not JSON ({err.msg} at column {err.colno})")
            continue
        if not isinstance(record, dict):
            problems.append(f"{what} line {number}: not a JSON object")
            continue
        records.append(record)
    return records, problems
