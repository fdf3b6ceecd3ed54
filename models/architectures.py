"""Model architectures of solieu's trainable components (thinc).

`solieu.RelationModel.v1` scores candidate (figure, owner) and (figure, date)
pairs of a sentence. Each pair is represented by the token vectors of the
figure, of the candidate, of the words between them and of the two words
before each, plus position features (distance, direction, how many rival
candidates and figures lie between, whether the candidate is introduced as a
comparison point). Nothing in it knows names: it learns from context.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

import numpy
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import Model, Relu, Sigmoid, chain
from thinc.types import Floats2d

FIGURE_LABELS = ("MONEY", "PERCENT")
OWNER_LABELS = ("PROJECT", "AGENCY")
RELATION_COLUMNS = ("BELONGS_TO", "AS_OF")
_TAIL_LABELS = ("PROJECT", "AGENCY", "DATE")
_DISTANCE_BUCKETS = (2, 5, 10, 20, 40)
_COMPARISON_CUES = frozenset({"so", "với", "cùng", "kỳ", "bằng", "hơn"})
_CONTEXT = 2


@dataclass(frozen=True)
class Candidate:
    """A (figure, tail) pair of one sentence, by token offsets."""

    head: tuple[int, int]
    tail: tuple[int, int]
    column: int  # index into RELATION_COLUMNS


def _sentence_bounds(doc: Doc) -> list[int]:
    if not doc.has_annotation("SENT_START"):
        return [0]
    return [token.i for token in doc if token.is_sent_start]


def get_candidates(doc: Doc) -> list[Candidate]:
    """Every figure paired with every owner and every date of its sentence."""
    ents = list(doc.ents)
    out: list[Candidate] = []
    if not any(e.label_ in FIGURE_LABELS for e in ents):
        return out
    starts = _sentence_bounds(doc)
    for head in ents:
        if head.label_ not in FIGURE_LABELS:
            continue
        i = bisect_right(starts, head.start) - 1
        sent = (starts[i], starts[i + 1] if i + 1 < len(starts) else len(doc))
        for tail in ents:
            if tail is head or not (sent[0] <= tail.start < sent[1]):
                continue
            if tail.label_ in OWNER_LABELS:
                out.append(Candidate((head.start, head.end), (tail.start, tail.end), 0))
            elif tail.label_ == "DATE":
                out.append(Candidate((head.start, head.end), (tail.start, tail.end), 1))
    return out


N_POSITION_FEATURES = 2 + len(_TAIL_LABELS) + 2 + 1 + (len(_DISTANCE_BUCKETS) + 1) + 4 + 4 + 4 + 1 + 1


def _bucket(value: int, edges: tuple[int, ...]) -> int:
    for i, edge in enumerate(edges):
        if value <= edge:
            return i
    return len(edges)


def position_features(doc: Doc, candidates: list[Candidate]) -> numpy.ndarray:
    feats = numpy.zeros((len(candidates), N_POSITION_FEATURES), dtype="f")
    ent_label = {(e.start, e.end): e.label_ for e in doc.ents}
    figure_starts = sorted(e.start for e in doc.ents if e.label_ in FIGURE_LABELS)
    for row, cand in enumerate(candidates):
        (hs, he), (ts, te) = cand.head, cand.tail
        col = 0
        feats[row, col + cand.column] = 1
        col += 2
        feats[row, col + _TAIL_LABELS.index(ent_label[cand.tail])] = 1
        col += len(_TAIL_LABELS)
        feats[row, col + FIGURE_LABELS.index(ent_label[cand.head])] = 1
        col += 2
        before = ts < hs
        feats[row, col] = 1.0 if before else 0.0
        col += 1
        gap_start, gap_end = (te, hs) if before else (he, ts)
        distance = max(0, gap_end - gap_start)
        feats[row, col + _bucket(distance, _DISTANCE_BUCKETS)] = 1
        col += len(_DISTANCE_BUCKETS) + 1
        rivals = [c for c in candidates if c.head == cand.head and c.column == cand.column and c.tail != cand.tail]
        between_rivals = sum(1 for c in rivals if gap_start <= c.tail[0] < gap_end)
        feats[row, col + min(between_rivals, 3)] = 1
        col += 4
        between_figures = sum(1 for s in figure_starts if gap_start <= s < gap_end and s != hs)
        feats[row, col + min(between_figures, 3)] = 1
        col += 4
        nearer = sum(1 for c in rivals if abs(c.tail[0] - hs) < abs(ts - hs))
        feats[row, col + min(nearer, 3)] = 1
        col += 4
        cue_words = {t.lower_ for t in doc[max(0, ts - 3) : ts]}
        feats[row, col] = 1.0 if cue_words & _COMPARISON_CUES else 0.0
        col += 1
        feats[row, col] = 1.0 if any(t.text == ";" for t in doc[gap_start:gap_end]) else 0.0
    return feats


def _pair_layer(tok2vec: Model) -> Model:
    return Model("solieu_rel_pairs", _pairs_forward, layers=[tok2vec], init=_pairs_init, dims={"nO": None})


def _pairs_init(model: Model, X=None, Y=None) -> Model:
    tok2vec = model.layers[0]
    if X is not None:
        tok2vec.initialize(X=X)
    width = tok2vec.get_dim("nO")
    model.set_dim("nO", 5 * width + N_POSITION_FEATURES)
    return model


def _mean_rows(vectors: numpy.ndarray, start: int, end: int, width: int) -> numpy.ndarray:
    if end <= start:
        return numpy.zeros((width,), dtype="f")
    return vectors[start:end].mean(axis=0)


def _pair_slices(cand: Candidate, n_tokens: int) -> list[tuple[int, int]]:
    (hs, he), (ts, te) = cand.head, cand.tail
    lo, hi = (te, hs) if ts < hs else (he, ts)
    return [(hs, he), (ts, te), (lo, hi), (max(0, hs - _CONTEXT), hs), (max(0, ts - _CONTEXT), ts)]


def _pairs_forward(model: Model, docs: list[Doc], is_train: bool):
    tok2vec = model.layers[0]
    tokvecs, backprop_tok2vec = tok2vec(docs, is_train)
    ops = model.ops
    width = tok2vec.get_dim("nO")
    rows: list[numpy.ndarray] = []
    index: list[tuple[int, list[tuple[int, int]]]] = []
    for doc_i, doc in enumerate(docs):
        candidates = get_candidates(doc)
        if not candidates:
            continue
        vectors = ops.to_numpy(tokvecs[doc_i])
        positions = position_features(doc, candidates)
        for row, cand in enumerate(candidates):
            slices = _pair_slices(cand, len(doc))
            parts = [_mean_rows(vectors, s, e, width) for s, e in slices]
            rows.append(numpy.concatenate(parts + [positions[row]]))
            index.append((doc_i, slices))
    n_out = 5 * width + N_POSITION_FEATURES
    output = ops.asarray2f(numpy.vstack(rows)) if rows else ops.alloc2f(0, n_out)

    def backprop(d_output: Floats2d) -> list[Doc]:
        d_out = ops.to_numpy(d_output)
        d_tokvecs = [numpy.zeros(ops.to_numpy(t).shape, dtype="f") for t in tokvecs]
        for row, (doc_i, slices) in enumerate(index):
            for part, (s, e) in enumerate(slices):
                if e > s:
                    d_tokvecs[doc_i][s:e] += d_out[row, part * width : (part + 1) * width] / (e - s)
        backprop_tok2vec([ops.asarray2f(d) for d in d_tokvecs])
        return docs

    return output, backprop


@registry.architectures("solieu.RelationModel.v1")
def build_relation_model(tok2vec: Model, hidden_width: int = 64, dropout: float = 0.1) -> Model[list[Doc], Floats2d]:
    """Probabilities (n_candidates, 2) for BELONGS_TO and AS_OF of each candidate pair."""
    model = chain(_pair_layer(tok2vec), Relu(nO=hidden_width, dropout=dropout), Sigmoid(nO=len(RELATION_COLUMNS)))
    model.set_ref("tok2vec", tok2vec)
    return model
