"""Model architectures of solieu's trainable components (thinc).

`solieu.RelationModel.v1` scores candidate (figure, owner) and (figure, date)
pairs of a sentence. Each pair is represented by the token vectors of the
figure, of the candidate, of the words between them and of the two words
before each, plus position features (distance, direction, how many rival
candidates and figures lie between, whether the candidate is introduced as a
comparison point). Nothing in it knows names: it learns from context.

`solieu.RelationModel.v2` is the same network over more pair features, the
structure of report sentences that holds in any province: which candidate a
nearest-first reading would pick (the heuristic becomes one piece of evidence
the model can overrule), whether the candidate is the nearest on its side,
commas and brackets between the pair, whether the date belongs to a legal
reference ("Kế hoạch số 70/KH-UBND ngày …") and whether it opens the sentence
before any figure ("Hết tháng 5, …").
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

import numpy
from spacy.attrs import SENT_START
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import Linear, Model, Relu, Sigmoid, chain, with_array
from thinc.types import Floats2d

FIGURE_LABELS = ("MONEY", "PERCENT")
OWNER_LABELS = ("PROJECT", "AGENCY")
RELATION_COLUMNS = ("BELONGS_TO", "AS_OF")
_TAIL_LABELS = ("PROJECT", "AGENCY", "DATE")
_DISTANCE_BUCKETS = (2, 5, 10, 20, 40)
_COMPARISON_CUES = frozenset({"so", "với", "cùng", "kỳ", "bằng", "hơn"})
_CONTEXT = 2
_COMMA_BUCKETS = 4
_REFERENCE_WINDOW = 6


@dataclass(frozen=True)
class Candidate:
    """A (figure, tail) pair of one sentence, by token offsets."""

    head: tuple[int, int]
    tail: tuple[int, int]
    column: int  # index into RELATION_COLUMNS


def _sentence_bounds(doc: Doc) -> list[int]:
    if not doc.has_annotation("SENT_START"):
        return [0]
    # `token.is_sent_start` of every token, from one array (a Token object per token costs more).
    return numpy.flatnonzero(doc.to_array(SENT_START).astype("int64") > 0).tolist()


# How far (in tokens, either side) a figure looks for its owner and its date. Gold pairs of the
# corpus lie within 53 words of each other in 99% of cases; the window bounds the work per figure,
# so that a long stretch with no sentence end (a table, a list of figures) costs linear time.
CANDIDATE_WINDOW = 120


def get_candidates(doc: Doc) -> list[Candidate]:
    """Every figure paired with every owner and every date of its sentence within CANDIDATE_WINDOW tokens."""
    ents = list(doc.ents)
    out: list[Candidate] = []
    if not any(e.label_ in FIGURE_LABELS for e in ents):
        return out
    tails = [e for e in ents if e.label_ in OWNER_LABELS or e.label_ == "DATE"]
    if not tails:
        return out
    tail_starts = [t.start for t in tails]
    starts = _sentence_bounds(doc)
    for head in ents:
        if head.label_ not in FIGURE_LABELS:
            continue
        i = bisect_right(starts, head.start) - 1
        sent_start, sent_end = starts[i], starts[i + 1] if i + 1 < len(starts) else len(doc)
        lo = bisect_left(tail_starts, max(sent_start, head.start - CANDIDATE_WINDOW))
        hi = bisect_left(tail_starts, min(sent_end, head.end + CANDIDATE_WINDOW))
        for tail in tails[lo:hi]:
            column = 0 if tail.label_ in OWNER_LABELS else 1
            out.append(Candidate((head.start, head.end), (tail.start, tail.end), column))
    return out


def _count_in(sorted_starts: list[int], lo: int, hi: int) -> int:
    return bisect_left(sorted_starts, hi) - bisect_left(sorted_starts, lo) if hi > lo else 0


N_POSITION_FEATURES = 2 + len(_TAIL_LABELS) + 2 + 1 + (len(_DISTANCE_BUCKETS) + 1) + 4 + 4 + 4 + 1 + 1


def _bucket(value: int, edges: tuple[int, ...]) -> int:
    for i, edge in enumerate(edges):
        if value <= edge:
            return i
    return len(edges)


def _is_comparison_point(doc: Doc, start: int) -> bool:
    return bool({t.lower_ for t in doc[max(0, start - 3) : start]} & _COMPARISON_CUES)


def position_features(doc: Doc, candidates: list[Candidate]) -> numpy.ndarray:
    feats = numpy.zeros((len(candidates), N_POSITION_FEATURES), dtype="f")
    ent_label = {(e.start, e.end): e.label_ for e in doc.ents}
    figure_starts = sorted(e.start for e in doc.ents if e.label_ in FIGURE_LABELS)
    by_head: dict[tuple[tuple[int, int], int], list[Candidate]] = {}
    for cand in candidates:
        by_head.setdefault((cand.head, cand.column), []).append(cand)
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
        rivals = [c for c in by_head[(cand.head, cand.column)] if c.tail != cand.tail]
        between_rivals = sum(1 for c in rivals if gap_start <= c.tail[0] < gap_end)
        feats[row, col + min(between_rivals, 3)] = 1
        col += 4
        between_figures = _count_in(figure_starts, gap_start, gap_end) - (gap_start <= hs < gap_end)
        feats[row, col + min(between_figures, 3)] = 1
        col += 4
        nearer = sum(1 for c in rivals if abs(c.tail[0] - hs) < abs(ts - hs))
        feats[row, col + min(nearer, 3)] = 1
        col += 4
        feats[row, col] = 1.0 if _is_comparison_point(doc, ts) else 0.0
        col += 1
        feats[row, col] = 1.0 if any(t.text == ";" for t in doc[gap_start:gap_end]) else 0.0
    return feats


_STRUCTURE_LAYOUT = (
    ("nearest_first_pick", 1), ("nearest_before", 1), ("nearest_after", 1), ("commas_between", _COMMA_BUCKETS),
    ("bracket_mismatch", 1), ("legal_reference_date", 1), ("before_any_figure", 1), ("followed_by_comma", 1),
    ("opens_clause", 1),
)
STRUCTURE_COLUMNS = {name: sum(width for _, width in _STRUCTURE_LAYOUT[:i]) for i, (name, _) in enumerate(_STRUCTURE_LAYOUT)}
N_STRUCTURE_FEATURES = sum(width for _, width in _STRUCTURE_LAYOUT)
_CLAUSE_OPENING = 3


def _in_reference(doc: Doc, start: int) -> bool:
    """A date right after a document number ("số 70/KH-UBND ngày 18/4/2019") dates the document, not a figure."""
    window = doc[max(0, start - _REFERENCE_WINDOW) : start]
    return any(
        t.text == "/" and t.i + 1 < len(doc) and doc[t.i + 1].is_upper and len(doc[t.i + 1]) >= 2 for t in window
    )


def _bracket_depths(doc: Doc) -> list[int]:
    depths, depth = [], 0
    for t in doc:
        if t.text in ")]":
            depth = max(0, depth - 1)
        depths.append(depth)
        if t.text in "([":
            depth += 1
    return depths


def structure_features(doc: Doc, candidates: list[Candidate]) -> numpy.ndarray:
    """Sentence-structure evidence for each pair (see the module docstring), for RelationModel.v2.

    Columns are laid out by STRUCTURE_COLUMNS (a saved model depends on this order).
    """
    feats = numpy.zeros((len(candidates), N_STRUCTURE_FEATURES), dtype="f")
    depths = _bracket_depths(doc)
    figure_starts = sorted(e.start for e in doc.ents if e.label_ in FIGURE_LABELS)
    starts = _sentence_bounds(doc)
    by_head: dict[tuple[tuple[int, int], int], list[Candidate]] = {}
    for cand in candidates:
        by_head.setdefault((cand.head, cand.column), []).append(cand)
    col = STRUCTURE_COLUMNS
    for row, cand in enumerate(candidates):
        (hs, he), (ts, te) = cand.head, cand.tail
        rivals = by_head[(cand.head, cand.column)]
        # The nearest-first reading skips dates introduced as a comparison point ("so với cùng kỳ 2024").
        readable = [c for c in rivals if cand.column == 0 or not _is_comparison_point(doc, c.tail[0])] or rivals
        feats[row, col["nearest_first_pick"]] = min(readable, key=lambda c: abs(c.tail[0] - hs)) == cand
        same_side = [c for c in rivals if (c.tail[0] < hs) == (ts < hs)]
        side = "nearest_before" if ts < hs else "nearest_after"
        feats[row, col[side]] = min(same_side, key=lambda c: abs(c.tail[0] - hs)) == cand
        lo, hi = (te, hs) if ts < hs else (he, ts)
        commas = sum(1 for t in doc[lo:hi] if t.text == ",")
        feats[row, col["commas_between"] + min(commas, _COMMA_BUCKETS - 1)] = 1
        feats[row, col["bracket_mismatch"]] = depths[hs] != depths[ts]
        feats[row, col["legal_reference_date"]] = cand.column == 1 and _in_reference(doc, ts)
        sent_start = starts[bisect_right(starts, ts) - 1]
        feats[row, col["before_any_figure"]] = _count_in(figure_starts, sent_start, ts) == 0
        # A framing adverbial: "Hết tháng 5, …", "…; lũy kế 5 tháng, …".
        feats[row, col["followed_by_comma"]] = te < len(doc) and doc[te].text == ","
        opening = doc[max(sent_start, ts - _CLAUSE_OPENING) : ts]
        feats[row, col["opens_clause"]] = ts - sent_start <= _CLAUSE_OPENING or any(t.text == ";" for t in opening)
    return feats


def _pair_layer(tok2vec: Model | None, structure: bool = False) -> Model:
    """Pair rows: pooled token vectors (when there is a tok2vec) and the pair features."""
    return Model("solieu_rel_pairs", _pairs_forward, layers=[tok2vec] if tok2vec is not None else [],
                 init=_pairs_init, dims={"nO": None}, attrs={"structure": structure})


def _n_pair_features(model: Model) -> int:
    return N_POSITION_FEATURES + (N_STRUCTURE_FEATURES if model.attrs["structure"] else 0)


def _vector_width(model: Model) -> int:
    return model.layers[0].get_dim("nO") if model.layers else 0


def _pairs_init(model: Model, X=None, Y=None) -> Model:
    if model.layers and X is not None:
        model.layers[0].initialize(X=X)
    model.set_dim("nO", 5 * _vector_width(model) + _n_pair_features(model))
    return model


def _pair_features(model: Model, doc: Doc, candidates: list[Candidate]) -> numpy.ndarray:
    features = position_features(doc, candidates)
    if model.attrs["structure"]:
        features = numpy.hstack([features, structure_features(doc, candidates)])
    return features


def _mean_rows(vectors: numpy.ndarray, start: int, end: int, width: int) -> numpy.ndarray:
    if end <= start:
        return numpy.zeros((width,), dtype="f")
    return vectors[start:end].mean(axis=0)


def _pair_slices(cand: Candidate, n_tokens: int) -> list[tuple[int, int]]:
    (hs, he), (ts, te) = cand.head, cand.tail
    lo, hi = (te, hs) if ts < hs else (he, ts)
    return [(hs, he), (ts, te), (lo, hi), (max(0, hs - _CONTEXT), hs), (max(0, ts - _CONTEXT), ts)]


def _pairs_forward(model: Model, docs: list[Doc], is_train: bool):
    ops = model.ops
    n_out = 5 * _vector_width(model) + _n_pair_features(model)
    if not model.layers:
        rows = [_pair_features(model, doc, c) for doc in docs if (c := get_candidates(doc))]
        output = ops.asarray2f(numpy.vstack(rows)) if rows else ops.alloc2f(0, n_out)
        return output, lambda d_output: docs
    tok2vec = model.layers[0]
    tokvecs, backprop_tok2vec = tok2vec(docs, is_train)
    width = _vector_width(model)
    rows: list[numpy.ndarray] = []
    index: list[tuple[int, list[tuple[int, int]]]] = []
    for doc_i, doc in enumerate(docs):
        candidates = get_candidates(doc)
        if not candidates:
            continue
        vectors = ops.to_numpy(tokvecs[doc_i])
        features = _pair_features(model, doc, candidates)
        for row, cand in enumerate(candidates):
            slices = _pair_slices(cand, len(doc))
            parts = [_mean_rows(vectors, s, e, width) for s, e in slices]
            rows.append(numpy.concatenate(parts + [features[row]]))
            index.append((doc_i, slices))
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


@registry.architectures("solieu.RelationModel.v2")
def build_relation_model_v2(tok2vec: Model | None = None, hidden_width: int = 64, dropout: float = 0.1,
                            projection_width: int = 8) -> Model[list[Doc], Floats2d]:
    """RelationModel.v1's network over position and sentence-structure features.

    Without a `tok2vec` the pair is scored from its features alone: on a few
    reports, pooled context vectors let the scorer memorise the training
    reports' wording, and it then does worse on an unseen report than the
    nearest-date reading (benchmarks/relations_cv.py measures this). With
    one (a pretrained encoder, say), the token vectors are projected to
    `projection_width` before pooling, so they cannot drown the features.
    """
    vectors = chain(tok2vec, with_array(Linear(nO=projection_width))) if tok2vec is not None else None
    model = chain(_pair_layer(vectors, structure=True), Relu(nO=hidden_width, dropout=dropout),
                  Sigmoid(nO=len(RELATION_COLUMNS)))
    if tok2vec is not None:
        model.set_ref("tok2vec", tok2vec)
    return model
