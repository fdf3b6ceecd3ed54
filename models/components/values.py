"""`solieu_values`: the normalised value of every MONEY, PERCENT and DATE entity."""

from __future__ import annotations

from datetime import date

from solieu.models.components.base import StatelessComponent
from solieu.models.components.extensions import register_extensions
from spacy.language import Language
from spacy.tokens import Doc

from solieu.values import normalise


class ValueNormaliser(StatelessComponent):
    def __call__(self, doc: Doc) -> Doc:
        register_extensions()
        anchor = date.fromisoformat(doc._.document_date) if doc._.document_date else None
        for ent in doc.ents:
            value = normalise(ent.label_, ent.text, anchor)
            ent._.value = value.model_dump(exclude_none=True) if value is not None else None
        return doc


@Language.factory("solieu_values", requires=["doc.ents"], assigns=["span._.value"])
def make_values(nlp: Language, name: str) -> ValueNormaliser:
    register_extensions()
    return ValueNormaliser()
