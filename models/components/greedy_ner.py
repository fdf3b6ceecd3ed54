"""`solieu_ner`: spaCy's transition-based entity recogniser with a faster greedy decoder.

Training, weights and saved format are spaCy's `ner` (a model trained with either factory loads
with the other). Only greedy prediction differs, and only in how it is computed: spaCy's decoder
walks every token through compiled code that takes and releases the GIL several times per
candidate action (its state accessors are not `noexcept`), which made the NER's decoding 30% of
the pipeline's time. The recogniser's features (the next token, and while an entity is open its
first token and the token before the next) make most of that walk vectorisable:

- with no entity open, the scores of a token depend on the token alone, so the scores of every
  token of the batch in that state come from one matrix product;
- inside an entity opened at token e, the scores at token p depend on p and e alone, so a run of
  positions after e is scored at once and the entity ends at the first position whose best valid
  action is L (the last token can only be L).

A doc is then walked entity by entity, not token by token, with the same validity rules as
spaCy's BILUO system. Docs that hold preset entities, beam settings and parser shapes other than
the NER's go to spaCy's own decoder; `tests/test_greedy_ner.py` checks that both decoders find the
same entities.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy
from spacy.attrs import IS_SPACE, SENT_START
from spacy.language import Language
from spacy.pipeline.ner import DEFAULT_NER_MODEL, EntityRecognizer
from spacy.tokens import Doc, Span

# The actions of spaCy's BILUO system, by the first letter of their class names.
_BEGIN, _IN, _LAST, _UNIT, _OUT = "BILUO"
# Positions scored at once after an entity's first token; doubled while the entity stays open.
_FIRST_RUN = 8


@dataclass(frozen=True)
class DecodedEntities:
    """The entities of each doc of a batch, as (start token, end token, label name)."""

    per_doc: list[list[tuple[int, int, str]]]


@dataclass(frozen=True)
class _Actions:
    kinds: numpy.ndarray  # (n_classes,) the action letter of each class
    labels: list[str]  # the label of each class ("" for O and the blocked U-)
    inside: dict[str, int]  # label -> class index of I-label
    last: dict[str, int]  # label -> class index of L-label

    @classmethod
    def of(cls, moves) -> _Actions:
        names = [moves.get_class_name(i) for i in range(moves.n_moves)]
        kinds = numpy.array([name[0] for name in names])
        labels = [name[2:] if len(name) > 2 else "" for name in names]
        def index_of(kind: str) -> dict[str, int]:
            return {label: i for i, (k, label) in enumerate(zip(kinds, labels, strict=True)) if k == kind and label}

        return cls(kinds, labels, index_of(_IN), index_of(_LAST))


class GreedyEntityRecognizer(EntityRecognizer):
    """spaCy's EntityRecognizer whose greedy `predict` runs the vectorised decoder above."""

    def predict(self, docs):
        if isinstance(docs, Doc):
            docs = [docs]
        if not self._fast_decodable(docs):
            return super().predict(docs)
        return DecodedEntities(_decode(self, docs))

    def set_annotations(self, docs, predictions) -> None:
        if not isinstance(predictions, DecodedEntities):
            super().set_annotations(docs, predictions)
            return
        for doc, entities in zip(docs, predictions.per_doc, strict=True):
            # spaCy's decoder leaves no token unset: tokens outside entities become O.
            doc.set_ents([Span(doc, start, end, label=label) for start, end, label in entities], default="outside")

    def _fast_decodable(self, docs) -> bool:
        model = self.model
        if self.cfg.get("beam_width", 1) != 1 or not model.attrs.get("has_upper") or len(model.layers) != 3:
            return False
        if model.layers[1].get_dim("nF") != 3:  # the NER's three state tokens (extra_state_tokens = false)
            return False
        if model.attrs.get("unseen_classes"):  # spaCy scores those apart; rare, and left to its decoder
            return False
        # Preset entities constrain spaCy's actions in ways this decoder does not model.
        return not any(len(doc) and doc.has_annotation("ENT_IOB") for doc in docs)


def _maxout(pieces: numpy.ndarray) -> numpy.ndarray:
    """The largest of the last axis (maxout pieces); numpy's max over an axis of 2 or 3 is slow."""
    best = pieces[..., 0]
    for piece in range(1, pieces.shape[-1]):
        best = numpy.maximum(best, pieces[..., piece])
    return best


def _decode(ner: GreedyEntityRecognizer, docs: list[Doc]) -> list[list[tuple[int, int, str]]]:
    lengths = [len(doc) for doc in docs]
    if not sum(lengths):
        return [[] for _ in docs]
    actions = _Actions.of(ner.moves)
    to_hidden, lower, upper = ner.model.layers
    tokvecs = to_hidden.predict(docs)
    features = lower.predict(tokvecs)  # (tokens + 1, 3 features, hidden, pieces); row 0 is padding
    padding, cached = features[0], features[1:]
    bias = lower.get_param("b")
    weights, class_bias = upper.get_param("W"), upper.get_param("b")

    ends = numpy.cumsum(lengths)
    starts = ends - numpy.asarray(lengths)
    flags = numpy.concatenate([doc.to_array([SENT_START, IS_SPACE]).reshape(-1, 2) for doc in docs])
    sent_start, is_space = (flags == 1).T
    # Whether an entity may go on past token i: not the doc's last token, nor before a sentence start.
    can_continue = numpy.ones(len(sent_start), dtype=bool)
    can_continue[:-1] = ~sent_start[1:]
    can_continue[ends - 1] = False

    # Scores with no entity open: the padding stands for the two entity features (same sum order as spaCy).
    closed = _maxout(((cached[:, 0] + padding[1]) + padding[2]) + bias) @ weights.T + class_bias
    kinds = actions.kinds
    has_label = numpy.array([bool(label) for label in actions.labels])
    valid = numpy.broadcast_to(kinds == _OUT, closed.shape).copy()
    valid |= ((kinds == _UNIT) & has_label)[None, :] & ~is_space[:, None]
    valid |= ((kinds == _BEGIN) & has_label)[None, :] & (can_continue & ~is_space)[:, None]
    chosen = numpy.where(valid, closed, -numpy.inf).argmax(axis=1)
    opening = numpy.flatnonzero(kinds[chosen] != _OUT)

    def entity_end(first: int, label: str, doc_end: int) -> int:
        inside, last = actions.inside[label], actions.last[label]
        pair = weights[[inside, last]]
        pair_bias = class_bias[[inside, last]]
        run = _FIRST_RUN
        position = first + 1
        while position < doc_end:
            stop = min(position + run, doc_end)
            span = numpy.arange(position, stop)
            hidden = _maxout(((cached[span, 0] + cached[first, 1]) + cached[span - 1, 2]) + bias)
            scores = hidden @ pair.T + pair_bias
            # I comes before L among the classes, so a tie goes to I, as in spaCy's argmax.
            ends_here = ~can_continue[span] | (scores[:, 1] > scores[:, 0])
            hit = numpy.flatnonzero(ends_here)
            if hit.size:
                return position + int(hit[0]) + 1
            position, run = stop, run * 2
        return doc_end  # not reached: an entity cannot go on past its doc's last token

    per_doc: list[list[tuple[int, int, str]]] = [[] for _ in docs]
    cursor = 0
    for d, (doc_start, doc_end) in enumerate(zip(starts.tolist(), ends.tolist(), strict=True)):
        position = doc_start
        while cursor < len(opening) and opening[cursor] < doc_end:
            token = int(opening[cursor])
            cursor += 1
            if token < position:  # inside the entity just read
                continue
            action = int(chosen[token])
            label = actions.labels[action]
            end = token + 1 if kinds[action] == _UNIT else entity_end(token, label, doc_end)
            per_doc[d].append((token - doc_start, end - doc_start, label))
            position = end
    return per_doc


@Language.factory(
    "solieu_ner",
    assigns=["doc.ents", "token.ent_iob", "token.ent_type"],
    default_config={
        "moves": None,
        "update_with_oracle_cut_size": 100,
        "model": DEFAULT_NER_MODEL,
        "incorrect_spans_key": None,
        "scorer": {"@scorers": "spacy.ner_scorer.v1"},
    },
    default_score_weights={"ents_f": 1.0, "ents_p": 0.0, "ents_r": 0.0, "ents_per_type": None},
)
def make_greedy_ner(nlp: Language, name: str, model, moves, update_with_oracle_cut_size: int,
                    incorrect_spans_key, scorer) -> GreedyEntityRecognizer:
    return GreedyEntityRecognizer(nlp.vocab, model, name=name, moves=moves,
                                  update_with_oracle_cut_size=update_with_oracle_cut_size,
                                  incorrect_spans_key=incorrect_spans_key, scorer=scorer)
