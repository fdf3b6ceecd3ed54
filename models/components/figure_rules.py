"""`solieu_figure_rules`: pattern-exact MONEY and PERCENT spans over the NER's.

Money and percentages are closed forms (number, multiplier, currency word or
`%`); the patterns in solieu.rules read them exactly, where a statistical
model trained on a few reports still misses digits at the edges. This
component, placed after `ner`, gives those labels to the patterns: the
model's spans of the configured labels are replaced by the pattern matches,
and model spans of other labels that overlap a match give way; dates,
agencies and projects stay the model's.
"""

from __future__ import annotations

from solieu.models.components.base import StatelessComponent
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import filter_spans

from solieu.rules import find_spans
from solieu.text.tokenizer import doc_text


class FigureRules(StatelessComponent):
    def __init__(self, labels: list[str]):
        self.labels = frozenset(labels)

    def __call__(self, doc: Doc) -> Doc:
        rule_spans = []
        for span in find_spans(doc_text(doc)):
            if span.label in self.labels:
                tokens = doc.char_span(span.start, span.end, label=span.label, alignment_mode="expand")
                if tokens is not None:
                    rule_spans.append(tokens)
        covered = {i for span in rule_spans for i in range(span.start, span.end)}
        # The patterns own the configured labels: the model's spans of those labels go, and so does any
        # model span that overlaps a pattern's.
        model_spans = [e for e in doc.ents
                       if e.label_ not in self.labels and not any(i in covered for i in range(e.start, e.end))]
        doc.ents = filter_spans(rule_spans + model_spans)
        return doc


@Language.factory("solieu_figure_rules", requires=["doc.ents"], assigns=["doc.ents"],
                  default_config={"labels": ["MONEY", "PERCENT"]})
def make_figure_rules(nlp: Language, name: str, labels: list[str]) -> FigureRules:
    return FigureRules(labels)
