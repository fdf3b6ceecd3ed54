"""Fitting the confidence calibrator on held-out passages, and measuring how well scores are
calibrated: expected calibration error (ECE), a reliability table, Brier score and AUROC.

An entity is *right* when its span and label match a gold entity exactly; a relation, when its
label and both ends match a gold relation's exactly (the strict matching of `solieu.evaluate`).
Reported ECE is cross-fitted: the documents are split in folds by id, and each fold is scored
by a calibrator fitted on the others, so no score is measured on the data that fitted it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy

from solieu.confidence import (
    ENTITY_FEATURES,
    RELATION_FEATURES,
    Calibrator,
    entity_features,
    relation_features,
)
from solieu.schema import ENTITY_LABELS, RELATION_LABELS, Document

# Fewer examples than this, or no wrong one: the label gets a constant (its smoothed accuracy).
MIN_EXAMPLES = 20
MIN_ERRORS = 3


def fit_logistic(x: numpy.ndarray, y: numpy.ndarray, *, l2: float = 1.0, steps: int = 50) -> numpy.ndarray:
    """Weights of an L2-regularised logistic regression (Newton's method; the bias, column 0,
    is not regularised)."""
    w = numpy.zeros(x.shape[1])
    penalty = numpy.full(x.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + numpy.exp(-numpy.clip(x @ w, -30, 30)))
        gradient = x.T @ (p - y) + penalty * w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + numpy.diag(penalty + 1e-6)
        step = numpy.linalg.solve(hessian, gradient)
        w -= step
        if numpy.abs(step).max() < 1e-8:
            break
    return w


@dataclass
class Examples:
    """Feature rows and right/wrong flags of every predicted entity and relation, by label."""

    entity: dict[str, tuple[list[list[float]], list[int]]]
    relation: dict[str, tuple[list[list[float]], list[int]]]


def collect(predicted: Sequence[Document], gold: Sequence[Document], calibrator: Calibrator | None = None,
            ) -> tuple[Examples, dict[str, list[float]]]:
    """Features and flags of the predictions, and (when `calibrator` is given) its probability of each;
    relation features read entity probabilities from `calibrator` (0.5 without one)."""
    gold_by_id = {d.id: d for d in gold}
    examples = Examples({label: ([], []) for label in ENTITY_LABELS}, {label: ([], []) for label in RELATION_LABELS})
    probabilities: dict[str, list[float]] = {"entity": [], "relation": [], "entity_right": [], "relation_right": []}
    for doc in predicted:
        reference = gold_by_id[doc.id]
        gold_spans = {(e.start, e.end, e.label) for e in reference.entities}
        gold_ids = {e.id: (e.start, e.end, e.label) for e in reference.entities}
        gold_links = {(gold_ids[r.head], gold_ids[r.tail], r.label) for r in reference.relations}
        entity_scores = []
        for e in doc.entities:
            features = entity_features(doc.text, e.start, e.end, e.label, e.value is not None)
            right = int((e.start, e.end, e.label) in gold_spans)
            rows, flags = examples.entity[e.label]
            rows.append(features)
            flags.append(right)
            p = calibrator.entity_probability(features, e.label) if calibrator else 0.5
            entity_scores.append(p)
            probabilities["entity"].append(p)
            probabilities["entity_right"].append(right)
        spans = {e.id: (e.start, e.end, e.label) for e in doc.entities}
        positions = {e.id: i for i, e in enumerate(doc.entities)}
        for i, r in enumerate(doc.relations):
            features = relation_features(doc, i, entity_scores, positions)
            right = int((spans[r.head], spans[r.tail], r.label) in gold_links)
            rows, flags = examples.relation[r.label]
            rows.append(features)
            flags.append(right)
            if calibrator:
                probabilities["relation"].append(calibrator.relation_probability(features, r.label))
                probabilities["relation_right"].append(right)
    return examples, probabilities


def _fit_table(table: dict[str, tuple[list[list[float]], list[int]]], width: int, l2: float,
               ) -> tuple[dict[str, list[float]], dict[str, float], dict[str, dict]]:
    weights, prior, counts = {}, {}, {}
    for label, (rows, flags) in table.items():
        n, right = len(flags), sum(flags)
        counts[label] = {"examples": n, "right": right}
        prior[label] = round((right + 1) / (n + 2), 4)  # Laplace: a label never seen is 0.5
        if n >= MIN_EXAMPLES and n - right >= MIN_ERRORS and right >= MIN_ERRORS:
            x = numpy.asarray(rows, dtype="float64").reshape(n, width)
            weights[label] = [round(float(v), 6) for v in fit_logistic(x, numpy.asarray(flags, dtype="float64"), l2=l2)]
    return weights, prior, counts


def fit(predicted: Sequence[Document], gold: Sequence[Document], *, l2: float = 1.0) -> Calibrator:
    """A calibrator fitted on the predictions of held-out gold documents: entities first, then
    relations, whose features read the fitted entity probabilities."""
    examples, _ = collect(predicted, gold)
    entity, entity_prior, entity_counts = _fit_table(examples.entity, len(ENTITY_FEATURES), l2)
    first = Calibrator(entity=entity, prior=entity_prior)
    examples, _ = collect(predicted, gold, first)
    relation, relation_prior, relation_counts = _fit_table(examples.relation, len(RELATION_FEATURES), l2)
    return Calibrator(entity=entity, relation=relation, prior={**entity_prior, **relation_prior},
                      fitted_on={"documents": len(predicted), "entities": entity_counts,
                                 "relations": relation_counts, "l2": l2})


# --- measuring --------------------------------------------------------------------------

def reliability(probabilities: Sequence[float], right: Sequence[int], bins: int = 10) -> list[dict]:
    """Per equal-width bin: how many scores fell in it, their mean, and how many were right."""
    table = []
    p = numpy.asarray(probabilities, dtype="float64")
    y = numpy.asarray(right, dtype="float64")
    edges = numpy.linspace(0, 1, bins + 1)
    for k in range(bins):
        inside = (p >= edges[k]) & ((p < edges[k + 1]) if k < bins - 1 else (p <= 1))
        n = int(inside.sum())
        table.append({"bin": f"{edges[k]:.1f}-{edges[k + 1]:.1f}", "n": n,
                      "mean_score": float(p[inside].mean()) if n else None,
                      "accuracy": float(y[inside].mean()) if n else None})
    return table


def expected_calibration_error(probabilities: Sequence[float], right: Sequence[int], bins: int = 10) -> float:
    total = len(probabilities)
    if not total:
        return 0.0
    return sum(row["n"] / total * abs(row["mean_score"] - row["accuracy"])
               for row in reliability(probabilities, right, bins) if row["n"])


def auroc(probabilities: Sequence[float], right: Sequence[int]) -> float | None:
    """How well scores rank right above wrong predictions (0.5: not at all); None without both."""
    p = numpy.asarray(probabilities, dtype="float64")
    y = numpy.asarray(right, dtype="int64")
    positives, negatives = p[y == 1], p[y == 0]
    if not len(positives) or not len(negatives):
        return None
    # Mann-Whitney: the chance a right prediction outscores a wrong one, ties counting half.
    greater = (positives[:, None] > negatives[None, :]).sum()
    ties = (positives[:, None] == negatives[None, :]).sum()
    return float((greater + 0.5 * ties) / (len(positives) * len(negatives)))


def summary(probabilities: Sequence[float], right: Sequence[int]) -> dict:
    p = numpy.asarray(probabilities, dtype="float64")
    y = numpy.asarray(right, dtype="float64")
    return {"n": len(p), "accuracy": float(y.mean()) if len(y) else None,
            "ece": round(expected_calibration_error(p, y), 4),
            "brier": round(float(((p - y) ** 2).mean()), 4) if len(p) else None,
            "auroc": None if (a := auroc(p, y)) is None else round(a, 4)}


def _fold(doc_id: str, folds: int) -> int:
    return int(hashlib.sha256(doc_id.encode()).hexdigest(), 16) % folds


def cross_fitted(predicted: Sequence[Document], gold: Sequence[Document], *, folds: int = 5, l2: float = 1.0,
                 ) -> dict[str, list[float]]:
    """Every prediction's probability from a calibrator fitted on the other folds, with its flag."""
    out: dict[str, list[float]] = {"entity": [], "relation": [], "entity_right": [], "relation_right": []}
    for k in range(folds):
        held = [d for d in predicted if _fold(d.id, folds) == k]
        rest = [d for d in predicted if _fold(d.id, folds) != k]
        if not held or not rest:
            continue
        _, scored = collect(held, gold, fit(rest, gold, l2=l2))
        for key in out:
            out[key].extend(scored[key])
    return out
