"""What to annotate next: unannotated segments ranked by model uncertainty,
with near-duplicates left out.

No beam or calibrated probabilities are needed; three cheap signals, each in
[0, 1], say where the model is likely wrong:

- disagreement: the rules baseline and the model find different MONEY /
  PERCENT / DATE spans (1 − Jaccard of the two span sets). The rules are
  precise on figures, so where they differ one of the two is wrong;
- relation margin: how close the relation scores of the segment are to the
  decision threshold (1 at the threshold, 0 at 0 or 1), the closest one;
- orphans: the share of predicted figures with no AS_OF although the segment
  holds a DATE (the spec's most common relation is then likely missed).

Score = 0.5·disagreement + 0.3·margin + 0.2·orphans. Diversity: segments are
taken greedily by score and one is skipped when its word shingles (digits
folded, so monthly reports that repeat a sentence with new numbers count as
the same) overlap a taken one's by `max_similarity` or more.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field

from solieu.schema import FIGURE_LABELS, Document, DocumentInput

ExtractMany = Callable[[Iterable[DocumentInput]], Iterator[Document]]
RulesExtract = Callable[..., Document]

WEIGHTS = {"disagreement": 0.5, "margin": 0.3, "orphans": 0.2}
_RULE_LABELS = frozenset({"MONEY", "PERCENT", "DATE"})
_WORD = re.compile(r"\w+", re.UNICODE)
_DIGITS = re.compile(r"\d+")


@dataclass
class Suggestion:
    doc_id: str
    start: int
    end: int
    text: str
    score: float
    signals: dict[str, float] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.doc_id}@{self.start}"

    def as_dict(self) -> dict:
        return {"id": self.id, **asdict(self)}


def normalised_segment(text: str) -> str:
    """Whitespace-collapsed text: the key that says two segments are the same one."""
    return " ".join(text.split())


def shingles(text: str, n: int = 3) -> frozenset[tuple[str, ...]]:
    words = [_DIGITS.sub("0", w.lower()) for w in _WORD.findall(text)]
    if len(words) < n:
        return frozenset({tuple(words)}) if words else frozenset()
    return frozenset(tuple(words[i:i + n]) for i in range(len(words) - n + 1))


def jaccard(a: frozenset, b: frozenset) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def _inside(doc: Document, start: int, end: int) -> Document:
    from solieu.labelstudio.tasks import _slice

    return _slice(doc, start, end, f"{doc.id}@{start}")


def segment_signals(model_doc: Document, rules_doc: Document | None, *, threshold: float = 0.5) -> dict[str, float]:
    """The three signals of one segment's predictions (offsets of both relative to the segment)."""
    model_spans = {(e.start, e.end, e.label) for e in model_doc.entities if e.label in _RULE_LABELS}
    disagreement = 0.0
    if rules_doc is not None:
        rule_spans = {(e.start, e.end, e.label) for e in rules_doc.entities if e.label in _RULE_LABELS}
        disagreement = 1.0 - jaccard(frozenset(model_spans), frozenset(rule_spans))
    width = max(threshold, 1.0 - threshold) or 1.0
    margins = [1.0 - min(1.0, abs(r.score - threshold) / width) for r in model_doc.relations if r.score is not None]
    margin = max(margins, default=0.0)
    figures = [e for e in model_doc.entities if e.label in FIGURE_LABELS]
    has_date = any(e.label == "DATE" for e in model_doc.entities)
    dated = {r.head for r in model_doc.relations if r.label == "AS_OF"}
    orphans = (sum(1 for e in figures if e.id not in dated) / len(figures)) if figures and has_date else 0.0
    return {"disagreement": round(disagreement, 4), "margin": round(margin, 4), "orphans": round(orphans, 4)}


def combined_score(signals: dict[str, float]) -> float:
    return round(sum(WEIGHTS[k] * signals.get(k, 0.0) for k in WEIGHTS), 4)


def rank_segments(
    inputs: list[DocumentInput],
    *,
    extract_many: ExtractMany,
    rules: RulesExtract | None = None,
    annotated: Iterable[Document] = (),
    n: int = 50,
    threshold: float = 0.5,
    max_similarity: float = 0.6,
    min_chars: int = 20,
) -> list[Suggestion]:
    """The `n` most uncertain, mutually dissimilar segments not already annotated."""
    from solieu.labelstudio.tasks import segment_spans

    known = {normalised_segment(doc.text[s:e]) for doc in annotated for s, e in segment_spans(doc.text)}
    known |= {normalised_segment(doc.text) for doc in annotated}
    candidates: list[Suggestion] = []
    seen: set[str] = set()
    for item, doc in zip(inputs, extract_many(inputs), strict=True):
        rules_doc = rules(item.text, doc_id=doc.id, document_date=item.document_date) if rules else None
        for start, end in segment_spans(item.text):
            text = item.text[start:end]
            key = normalised_segment(text)
            if len(key) < min_chars or key in known or key in seen:
                continue
            seen.add(key)
            part = _inside(doc, start, end)
            rule_part = _inside(rules_doc, start, end) if rules_doc is not None else None
            signals = segment_signals(part, rule_part, threshold=threshold)
            candidates.append(Suggestion(doc_id=doc.id, start=start, end=end, text=text,
                                         score=combined_score(signals), signals=signals))
    # Ties (often 0): longer segments first, they hold more to learn from; then input order.
    candidates.sort(key=lambda s: (-s.score, -(s.end - s.start)))
    chosen: list[Suggestion] = []
    chosen_shingles: list[frozenset] = []
    for candidate in candidates:
        if len(chosen) >= n:
            break
        sh = shingles(candidate.text)
        if any(jaccard(sh, other) >= max_similarity for other in chosen_shingles):
            continue
        chosen.append(candidate)
        chosen_shingles.append(sh)
    return chosen


def relation_threshold(pipeline) -> float:
    """The served model's relation threshold (the lower of the per-type ones), 0.5 if unknown."""
    nlp = getattr(pipeline, "nlp", None)
    if nlp is None or "solieu_relations" not in getattr(nlp, "pipe_names", []):
        return 0.5
    cfg = nlp.get_pipe("solieu_relations").cfg
    thresholds = cfg.get("thresholds") or {}
    values = [float(v) for v in thresholds.values()] or [float(cfg.get("threshold", 0.5))]
    return min(values)
