"""Strict span, relation and value scores of predicted documents against gold."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from solieu.errors import InputError
from solieu.schema import ENTITY_LABELS, RELATION_LABELS, VALUED_LABELS, Document, Entity


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
                "tp": self.tp, "fp": self.fp, "fn": self.fn, "support": self.tp + self.fn}


@dataclass
class ValueAccuracy:
    matched: int = 0
    correct: int = 0

    @property
    def accuracy(self) -> float:
        return self.correct / self.matched if self.matched else 0.0


@dataclass
class EvaluationReport:
    entities: dict[str, PRF] = field(default_factory=lambda: {label: PRF() for label in ENTITY_LABELS})
    relations: dict[str, PRF] = field(default_factory=lambda: {label: PRF() for label in RELATION_LABELS})
    values: dict[str, ValueAccuracy] = field(default_factory=lambda: {label: ValueAccuracy() for label in sorted(VALUED_LABELS)})
    documents: int = 0

    @property
    def micro(self) -> PRF:
        total = PRF()
        for prf in self.entities.values():
            total.tp, total.fp, total.fn = total.tp + prf.tp, total.fp + prf.fp, total.fn + prf.fn
        return total

    def as_dict(self) -> dict:
        return {
            "documents": self.documents,
            "entities": {label: prf.as_dict() for label, prf in self.entities.items()},
            "entities_micro": self.micro.as_dict(),
            "relations": {label: prf.as_dict() for label, prf in self.relations.items()},
            "values": {label: {**asdict(v), "accuracy": round(v.accuracy, 4)} for label, v in self.values.items()},
        }


def _key(e: Entity) -> tuple[int, int, str]:
    return (e.start, e.end, e.label)


def values_equal(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    da, db = a.model_dump(), b.model_dump()
    if da.keys() != db.keys():
        return False
    for k in da:
        x, y = da[k], db[k]
        if isinstance(x, int | float) and isinstance(y, int | float):
            if not math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9):
                return False
        elif x != y:
            return False
    return True


def evaluate(gold: Sequence[Document], predicted: Sequence[Document]) -> EvaluationReport:
    """Score `predicted` against `gold`, matched by document id.

    Every gold document must have a prediction and the texts must be the
    same: scoring a subset silently would report a number nobody measured.
    """
    by_id = {doc.id: doc for doc in predicted}
    missing = [doc.id for doc in gold if doc.id not in by_id]
    if missing:
        raise InputError(f"no prediction for gold document(s) {missing[:10]}; predictions have ids {sorted(by_id)[:10]}")
    report = EvaluationReport()
    for gold_doc in gold:
        pred_doc = by_id[gold_doc.id]
        if pred_doc.text != gold_doc.text:
            raise InputError(f"document {gold_doc.id!r}: predicted text differs from the gold text; offsets cannot be compared")
        report.documents += 1
        gold_keys = {_key(e): e for e in gold_doc.entities}
        pred_keys = {_key(e): e for e in pred_doc.entities}
        for label in ENTITY_LABELS:
            g = {k for k in gold_keys if k[2] == label}
            p = {k for k in pred_keys if k[2] == label}
            prf = report.entities[label]
            prf.tp += len(g & p)
            prf.fp += len(p - g)
            prf.fn += len(g - p)
        for k in gold_keys.keys() & pred_keys.keys():
            if k[2] in report.values:
                acc = report.values[k[2]]
                acc.matched += 1
                acc.correct += values_equal(gold_keys[k].value, pred_keys[k].value)
        for label in RELATION_LABELS:
            g = _relation_keys(gold_doc, label)
            p = _relation_keys(pred_doc, label)
            prf = report.relations[label]
            prf.tp += len(g & p)
            prf.fp += len(p - g)
            prf.fn += len(g - p)
    return report


def _relation_keys(doc: Document, label: str) -> set[tuple]:
    ents = {e.id: e for e in doc.entities}
    return {(_key(ents[r.head]), _key(ents[r.tail])) for r in doc.relations if r.label == label}


def format_table(report: EvaluationReport, title: str = "") -> str:
    rows = [f"{title}".rstrip(), f"{'':<12}{'P':>8}{'R':>8}{'F1':>8}{'support':>9}"]
    for label, prf in report.entities.items():
        rows.append(f"{label:<12}{prf.precision:>8.3f}{prf.recall:>8.3f}{prf.f1:>8.3f}{prf.tp + prf.fn:>9}")
    micro = report.micro
    rows.append(f"{'micro':<12}{micro.precision:>8.3f}{micro.recall:>8.3f}{micro.f1:>8.3f}{micro.tp + micro.fn:>9}")
    for label, prf in report.relations.items():
        rows.append(f"{label:<12}{prf.precision:>8.3f}{prf.recall:>8.3f}{prf.f1:>8.3f}{prf.tp + prf.fn:>9}")
    for label, v in report.values.items():
        rows.append(f"value {label:<6}{'accuracy':>16}{v.accuracy:>8.3f}{v.matched:>9}")
    return "\n".join(r for r in rows if r)
