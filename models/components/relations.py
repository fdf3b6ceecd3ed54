"""`solieu_relations` (solieu.relations.v1): a trainable relation component.

It scores every candidate (figure, owner) and (figure, date) pair of a
sentence with its model (`solieu.RelationModel.v1` or `.v2`) and decodes the
spec's "at most one" rule: each figure keeps its best-scoring owner and its
best-scoring date, when that score passes the threshold.

Training loss (`loss`): "pairwise" scores each pair on its own (binary
cross-entropy); "listwise" is a softmax over each figure's candidates of one
type plus "none", the training counterpart of that decoding.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy
from solieu.models.architectures import RELATION_COLUMNS, Candidate, get_candidates
from solieu.models.components.extensions import register_extensions
from solieu.models.components.sentences import ReportSentencizer
from spacy.language import Language
from spacy.pipeline import TrainablePipe
from spacy.tokens import Doc
from spacy.training import Example
from spacy.vocab import Vocab
from thinc.api import Config, Model, Optimizer
from thinc.types import Floats2d

from solieu.errors import ConfigError
from solieu.evaluate import PRF

_SENTENCIZER = ReportSentencizer()
LOSSES = ("pairwise", "listwise")

DEFAULT_MODEL_CONFIG = """
[model]
@architectures = "solieu.RelationModel.v1"
hidden_width = 64
dropout = 0.1

[model.tok2vec]
@architectures = "spacy.Tok2VecListener.v1"
width = 96
upstream = "*"
"""


def _aligned_gold(example: Example) -> set[tuple[tuple[int, int], tuple[int, int], str]]:
    """Gold relations of the reference in the predicted doc's token offsets."""
    ref, pred = example.reference, example.predicted
    gold: set[tuple[tuple[int, int], tuple[int, int], str]] = set()
    for hs, he, ts, te, label, _ in ref._.relations or []:
        head = pred.char_span(ref[hs].idx, ref[he - 1].idx + len(ref[he - 1]))
        tail = pred.char_span(ref[ts].idx, ref[te - 1].idx + len(ref[te - 1]))
        if head is not None and tail is not None:
            gold.add(((head.start, head.end), (tail.start, tail.end), label))
    return gold


class RelationExtractor(TrainablePipe):
    def __init__(self, vocab: Vocab, model: Model, name: str = "solieu_relations", *, threshold: float = 0.5,
                 thresholds: dict[str, float] | None = None, positive_weight: float = 1.0, loss: str = "pairwise"):
        register_extensions()
        self.vocab = vocab
        self.model = model
        self.name = name
        if loss not in LOSSES:
            raise ConfigError(f"solieu_relations: loss must be one of {', '.join(LOSSES)}, not {loss!r}")
        per_label = {label: float((thresholds or {}).get(label, threshold)) for label in RELATION_COLUMNS}
        self.cfg = {"thresholds": per_label, "labels": list(RELATION_COLUMNS), "positive_weight": positive_weight,
                    "loss": loss}

    @property
    def labels(self) -> tuple[str, ...]:
        return RELATION_COLUMNS

    def threshold_for(self, column: int) -> float:
        return float(self.cfg["thresholds"][RELATION_COLUMNS[column]])

    def predict(self, docs: Iterable[Doc]) -> Floats2d:
        # Only docs with a candidate pair go through the model: most segments have
        # none, and the model's tok2vec is the costly part of inference.
        with_pairs = [doc for doc in docs if get_candidates(doc)]
        if not with_pairs:
            return self.model.ops.alloc2f(0, len(RELATION_COLUMNS))
        return self.model.predict(with_pairs)

    def set_annotations(self, docs: Iterable[Doc], scores: Floats2d) -> None:
        scores = self.model.ops.to_numpy(scores)
        row = 0
        for doc in docs:
            candidates = get_candidates(doc)
            best: dict[tuple[tuple[int, int], int], tuple[float, Candidate]] = {}
            for cand in candidates:
                p = float(scores[row, cand.column])
                row += 1
                key = (cand.head, cand.column)
                if p >= self.threshold_for(cand.column) and (key not in best or p > best[key][0]):
                    best[key] = (p, cand)
            doc._.relations = [
                (c.head[0], c.head[1], c.tail[0], c.tail[1], RELATION_COLUMNS[c.column], p)
                for p, c in sorted(best.values(), key=lambda pc: (pc[1].head, pc[1].column))
            ]

    def _targets(self, examples: list[Example]) -> tuple[numpy.ndarray, numpy.ndarray]:
        targets, masks = [], []
        for eg in examples:
            gold = _aligned_gold(eg)
            for cand in get_candidates(eg.predicted):
                t = numpy.zeros((len(RELATION_COLUMNS),), dtype="f")
                m = numpy.zeros((len(RELATION_COLUMNS),), dtype="f")
                m[cand.column] = 1.0
                if (cand.head, cand.tail, RELATION_COLUMNS[cand.column]) in gold:
                    t[cand.column] = 1.0
                targets.append(t)
                masks.append(m)
        if not targets:
            empty = numpy.zeros((0, len(RELATION_COLUMNS)), dtype="f")
            return empty, empty
        return numpy.vstack(targets), numpy.vstack(masks)

    @staticmethod
    def _with_gold_entities(examples: Iterable[Example]) -> list[Example]:
        """Train on the reference entities: candidates must not depend on NER mistakes.

        The training loop does not run the sentencizer on predicted docs, so
        sentence starts are set here as they are at inference.
        """
        examples = list(examples)
        for eg in examples:
            if not eg.predicted.has_annotation("SENT_START"):
                _SENTENCIZER(eg.predicted)
            spans = [eg.predicted.char_span(e.start_char, e.end_char, label=e.label_) for e in eg.reference.ents]
            eg.predicted.ents = [s for s in spans if s is not None]
        return examples

    def update(self, examples: Iterable[Example], *, drop: float = 0.0, sgd: Optimizer | None = None,
               losses: dict[str, float] | None = None) -> dict[str, float]:
        losses = {} if losses is None else losses
        losses.setdefault(self.name, 0.0)
        examples = self._with_gold_entities(examples)
        docs = [eg.predicted for eg in examples]
        if not any(get_candidates(doc) for doc in docs):
            return losses
        scores, backprop = self.model.begin_update(docs)
        loss, gradient = self.get_loss(examples, scores)
        backprop(gradient)
        if sgd is not None:
            self.finish_update(sgd)
        losses[self.name] += loss
        return losses

    def get_loss(self, examples: Iterable[Example], scores: Floats2d) -> tuple[float, Floats2d]:
        if self.cfg.get("loss", "pairwise") == "listwise":
            return self._listwise_loss(list(examples), scores)
        targets, masks = self._targets(list(examples))
        ops = self.model.ops
        predicted = ops.to_numpy(scores)
        # Positive pairs are rare (most figures name no owner): weigh them up.
        weights = masks * (1.0 + (float(self.cfg.get("positive_weight", 1.0)) - 1.0) * targets)
        diff = (predicted - targets) * weights
        n = max(1.0, float(weights.sum()))
        # Sigmoid output: d(BCE)/d(logit) is (p - t); the Sigmoid layer expects d/dp,
        # so divide by p(1-p) to hand it the BCE gradient through its backprop.
        d_scores = diff / numpy.clip(predicted * (1 - predicted), 1e-4, None) / n
        eps = 1e-7
        bce = -(targets * numpy.log(predicted + eps) + (1 - targets) * numpy.log(1 - predicted + eps)) * weights
        return float(bce.sum() / n), ops.asarray2f(d_scores.astype("f"))

    def _listwise_loss(self, examples: list[Example], scores: Floats2d) -> tuple[float, Floats2d]:
        """Softmax over each figure's candidates of one relation type plus "none" (logit 0),
        the training counterpart of decoding the best candidate per figure."""
        ops = self.model.ops
        predicted = numpy.clip(ops.to_numpy(scores), 1e-6, 1 - 1e-6)
        logits = numpy.log(predicted / (1 - predicted))
        d_logits = numpy.zeros_like(predicted)
        loss, groups = 0.0, 0
        row = 0
        for eg in examples:
            gold = _aligned_gold(eg)
            by_group: dict[tuple[tuple[int, int], int], list[tuple[int, bool]]] = {}
            for cand in get_candidates(eg.predicted):
                positive = (cand.head, cand.tail, RELATION_COLUMNS[cand.column]) in gold
                by_group.setdefault((cand.head, cand.column), []).append((row, positive))
                row += 1
            for (_, column), members in by_group.items():
                rows = [r for r, _ in members]
                z = numpy.append(logits[rows, column], 0.0)
                z = numpy.exp(z - z.max())
                prob = z / z.sum()
                target = numpy.zeros_like(prob)
                hits = [i for i, (_, positive) in enumerate(members) if positive]
                target[hits[0] if hits else -1] = 1.0
                loss -= float(numpy.log(prob[target.argmax()] + 1e-9))
                d_logits[rows, column] = (prob - target)[:-1]
                groups += 1
        n = max(1, groups)
        # The Sigmoid layer expects d/dp: d/dlogit divided by p(1-p).
        d_scores = d_logits / (predicted * (1 - predicted)) / n
        return loss / n, ops.asarray2f(d_scores.astype("f"))

    def initialize(self, get_examples: Callable[[], Iterable[Example]], *, nlp: Language | None = None) -> None:
        examples = self._with_gold_entities(list(get_examples())[:50])
        docs = [eg.predicted for eg in examples]
        self.model.initialize(X=docs)

    def score(self, examples: Iterable[Example], **kwargs) -> dict[str, float]:
        per_label = {label: PRF() for label in RELATION_COLUMNS}
        for eg in examples:
            gold = _aligned_gold(eg)
            pred = {((hs, he), (ts, te), label) for hs, he, ts, te, label, _ in eg.predicted._.relations or []}
            for label, prf in per_label.items():
                g = {r for r in gold if r[2] == label}
                p = {r for r in pred if r[2] == label}
                prf.tp += len(g & p)
                prf.fp += len(p - g)
                prf.fn += len(g - p)
        total = PRF(sum(p.tp for p in per_label.values()), sum(p.fp for p in per_label.values()),
                    sum(p.fn for p in per_label.values()))
        scores = {"rel_micro_f": total.f1, "rel_micro_p": total.precision, "rel_micro_r": total.recall}
        for label, prf in per_label.items():
            scores[f"rel_{label}_f"] = prf.f1
        return scores


@Language.factory(
    "solieu_relations",
    requires=["doc.ents", "token.is_sent_start"],
    assigns=["doc._.relations"],
    default_config={"model": Config().from_str(DEFAULT_MODEL_CONFIG)["model"], "threshold": 0.5, "thresholds": {},
                    "positive_weight": 1.0, "loss": "pairwise"},
    default_score_weights={"rel_micro_f": 1.0, "rel_micro_p": 0.0, "rel_micro_r": 0.0,
                           "rel_BELONGS_TO_f": 0.0, "rel_AS_OF_f": 0.0},
)
def make_relation_extractor(nlp: Language, name: str, model: Model, threshold: float,
                            thresholds: dict[str, float], positive_weight: float, loss: str) -> RelationExtractor:
    """`threshold` applies to every relation type not given its own in `thresholds`
    (training tunes those on dev and writes them into the saved config)."""
    return RelationExtractor(nlp.vocab, model, name, threshold=threshold, thresholds=thresholds,
                             positive_weight=positive_weight, loss=loss)
