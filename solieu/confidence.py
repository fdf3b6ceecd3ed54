"""Calibrated confidence for every entity and relation of an extracted Document.

The score of an entity is the probability, learnt on held-out passages, that the span is right
with its exact ends and label; the score of a relation, that the link is right with both ends
exact. A small logistic model per label reads what a reader would look at (how long the span
is, how it starts and what follows it, whether the value could be read, the relation model's
own score, the distance between a figure and its owner, how sure we are of both ends) and is
fitted by `solieu calibrate` on a split the recogniser did not train on (`solieu.calibration`).

It reads the finished Document, so it costs a few microseconds per entity (no second pass over
the model, which the beam scores it replaces needed: 2.4x the extraction), and it scores the
spans exactly as the caller gets them. The fitted weights live beside the model, in
`confidence.json`.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from solieu.errors import ModelError
from solieu.schema import ENTITY_LABELS, RELATION_LABELS, Document

CONFIDENCE_FILE = "confidence.json"
FORMAT = "solieu.confidence/1"

ENTITY_FEATURES = (
    "bias", "log_words", "one_word", "long", "no_value", "first_upper", "upper_share", "has_digit",
    "has_list", "has_paren", "next_lower", "next_upper", "next_punct", "next_end", "next_ender",
    "prev_trigger", "prev_lower", "starts_head", "has_sector",
)
RELATION_FEATURES = ("bias", "model_logit", "log_distance", "head_logit", "tail_logit", "tail_before")

_PUNCT = set(",.;:!?)]}\"'”’")


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


def _next_word(text: str, end: int) -> str:
    rest = text[end:end + 40].lstrip(" \t")
    if not rest or rest[0] == "\n":
        return ""
    return rest.split(maxsplit=1)[0] if rest[0] not in _PUNCT else rest[0]


def _previous_word(text: str, start: int) -> str:
    words = text[max(0, start - 40):start].split()
    return words[-1] if words else ""


@cache
def _phrases() -> dict[str, re.Pattern]:
    """The lexicon's phrase lists as patterns: a phrase at the start of a text and not followed by a
    letter or digit (heads, enders), at the end (triggers), at the start of a word (sectors)."""
    from solieu import lexicon

    def alternatives(words) -> str:
        return "|".join(re.escape(w) for w in sorted({w.lower() for w in words}, key=len, reverse=True))

    return {"heads": re.compile(f"(?:{alternatives(lexicon.AGENCY_HEADS + lexicon.PROJECT_HEADS)})(?![^\\W_])"),
            "sectors": re.compile(f"(?:^|(?<= ))(?:{alternatives(lexicon.SECTORS)})"),
            "triggers": re.compile(f"(?:{alternatives(lexicon.PROJECT_TRIGGERS)})\\Z"),
            "enders": re.compile(f"(?:{alternatives(lexicon.NAME_ENDERS)})(?![^\\W_])")}


def entity_features(text: str, start: int, end: int, label: str, has_value: bool) -> list[float]:
    """What the calibrator reads of one span (ENTITY_FEATURES, in order), from the text alone."""
    phrases = _phrases()
    surface = text[start:end]
    lowered = surface.lower()
    words = surface.split()
    n = len(words)
    after = _next_word(text, end)
    rest = text[end:end + 60].lstrip(" ,").lower()
    before = text[max(0, start - 30):start].rstrip().lower()
    previous = _previous_word(text, start)
    return [
        1.0,
        math.log1p(n),
        float(n <= 1),
        float(n >= 12),
        float(label in ("MONEY", "PERCENT", "DATE") and not has_value),
        float(surface[:1].isupper()),
        sum(w[:1].isupper() for w in words) / max(n, 1),
        float(any(c.isdigit() for c in surface)),
        float(" và " in surface or ", " in surface),
        float("(" in surface or ")" in surface),
        float(bool(after) and after[:1].islower()),
        float(bool(after) and after[:1].isupper()),
        float(bool(after) and after[:1] in _PUNCT),
        float(not after),
        float(phrases["enders"].match(rest) is not None),
        float(phrases["triggers"].search(before) is not None),
        float(previous[:1].islower()),
        float(phrases["heads"].match(lowered) is not None),
        float(phrases["sectors"].search(lowered) is not None),
    ]


def relation_features(doc: Document, rel_index: int, entity_scores: list[float],
                      positions: dict[str, int]) -> list[float]:
    """What the calibrator reads of one relation (RELATION_FEATURES, in order); `positions` maps
    each entity id of `doc` to its index, built once per document."""
    rel = doc.relations[rel_index]
    head, tail = positions[rel.head], positions[rel.tail]
    h, t = doc.entities[head], doc.entities[tail]
    distance = abs((h.start + h.end) / 2 - (t.start + t.end) / 2)
    return [1.0, _logit(rel.score if rel.score is not None else 0.5), math.log1p(distance / 10),
            _logit(entity_scores[head]), _logit(entity_scores[tail]), float(t.end <= h.start)]


@dataclass
class Calibrator:
    """Weights of one logistic model per entity and per relation label (a missing label: the
    constant `prior`), and how they were fitted."""

    entity: dict[str, list[float]] = field(default_factory=dict)
    relation: dict[str, list[float]] = field(default_factory=dict)
    prior: dict[str, float] = field(default_factory=dict)
    fitted_on: dict = field(default_factory=dict)

    def entity_probability(self, features: list[float], label: str) -> float:
        return self._probability(self.entity.get(label), features, label)

    def relation_probability(self, features: list[float], label: str) -> float:
        return self._probability(self.relation.get(label), features, label)

    def _probability(self, weights: list[float] | None, features: list[float], label: str) -> float:
        if weights is None:
            return self.prior.get(label, 0.5)
        return _sigmoid(sum(w * x for w, x in zip(weights, features, strict=True)))

    def score(self, doc: Document) -> Document:
        """`doc` with every entity's and relation's score replaced by its calibrated probability."""
        values = [e.value is not None for e in doc.entities]
        entity_scores = [self.entity_probability(entity_features(doc.text, e.start, e.end, e.label, v), e.label)
                         for e, v in zip(doc.entities, values, strict=True)]
        positions = {e.id: i for i, e in enumerate(doc.entities)}
        relation_scores = [self.relation_probability(relation_features(doc, i, entity_scores, positions), r.label)
                           for i, r in enumerate(doc.relations)]
        entities = [e.model_copy(update={"score": round(p, 4)}) for e, p in zip(doc.entities, entity_scores, strict=True)]
        relations = [r.model_copy(update={"score": round(p, 4)})
                     for r, p in zip(doc.relations, relation_scores, strict=True)]
        return doc.model_copy(update={"entities": entities, "relations": relations})

    # --- the file beside the model -------------------------------------------------------

    def to_json(self) -> dict:
        return {"format": FORMAT, "entity_features": list(ENTITY_FEATURES),
                "relation_features": list(RELATION_FEATURES), "entity": self.entity,
                "relation": self.relation, "prior": self.prior, "fitted_on": self.fitted_on}

    def save(self, model_dir: Path) -> Path:
        path = Path(model_dir) / CONFIDENCE_FILE
        path.write_text(json.dumps(self.to_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        return path

    @classmethod
    def load(cls, model_dir: Path) -> Calibrator | None:
        """The model's calibrator, None when it has none; ModelError when the file does not fit this code."""
        from solieu.model_store import read_json

        path = Path(model_dir) / CONFIDENCE_FILE
        data = read_json(path)
        if data is None:
            return None
        if (data.get("format") != FORMAT or data.get("entity_features") != list(ENTITY_FEATURES)
                or data.get("relation_features") != list(RELATION_FEATURES)):
            raise ModelError(f"{path}: made for other confidence features; run `solieu calibrate` again")
        for table, width in (("entity", len(ENTITY_FEATURES)), ("relation", len(RELATION_FEATURES))):
            for label, weights in data.get(table, {}).items():
                if label not in (*ENTITY_LABELS, *RELATION_LABELS) or len(weights) != width:
                    raise ModelError(f"{path}: {table} weights of {label!r} do not fit the features")
        return cls(entity=data["entity"], relation=data["relation"], prior=data.get("prior", {}),
                   fitted_on=data.get("fitted_on", {}))
