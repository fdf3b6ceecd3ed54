"""`solieu_lexicon_features`: word classes and place names as token features.

Two token attributes the tok2vec layer embeds (attrs MORPH and LEMMA, which
no other component of the pipeline sets):

- `token.morph`: the word classes of `solieu.lexicon` the token is part of,
  with its position in the phrase (`AgencyHead=B`, `Sector=I`, `Ender=B`,
  `ProjectHead=B`, `Trigger=B`, `Generic=B`…);
- `token.lemma_`: `Place-B` / `Place-I` inside a place name of
  `solieu.places` written with a capital, `Unit` for a unit word (`tỉnh`,
  `huyện`, `xã`, `TP`…), `-` otherwise.

A model that has read five reports of one province has seen a handful of
localities and sectors; these features tell it, for a name it has never
seen, that `Mường Nhé` is a place and `Nông nghiệp và Môi trường` a sector.
"""

from __future__ import annotations

from functools import cache

import numpy
from solieu.models.components.base import StatelessComponent
from spacy.attrs import LEMMA, MORPH
from spacy.language import Language
from spacy.tokens import Doc

from solieu import lexicon
from solieu.places import UNIT_WORDS, place_names
from solieu.text.tokenizer import token_texts, tokenize_words

_CLASSES = {
    "AgencyHead": lexicon.AGENCY_HEADS,
    "Sector": lexicon.SECTORS,
    "Trigger": lexicon.PROJECT_TRIGGERS,
    "ProjectHead": lexicon.PROJECT_HEADS,
    "Ender": lexicon.NAME_ENDERS,
    "Generic": lexicon.GENERIC_MARKERS,
}


class PhraseTable:
    """Token sequences of one class, matched longest first from each position."""

    def __init__(self, phrases, *, lower: bool = False):
        self.lower = lower
        self.phrases: set[tuple[str, ...]] = set()
        for phrase in phrases:
            words = tuple(tokenize_words(phrase.lower() if lower else phrase)[0])
            if words:
                self.phrases.add(words)
        self.max_len = max((len(p) for p in self.phrases), default=0)
        # Longest phrase per first word: most words open no phrase and cost one lookup.
        self.longest_from: dict[str, int] = {}
        for p in self.phrases:
            self.longest_from[p[0]] = max(self.longest_from.get(p[0], 0), len(p))

    def matches(self, words: list[str]) -> list[tuple[int, int]]:
        """Non-overlapping (start, end) token ranges, left to right, longest at each start."""
        out = []
        longest_from, phrases, n = self.longest_from, self.phrases, len(words)
        free = 0  # the first position not inside a match already taken
        # Only positions whose word opens a phrase are tried (one set lookup per word, in a comprehension).
        for i in [i for i, word in enumerate(words) if word in longest_from]:
            if i < free:
                continue
            for length in range(min(longest_from[words[i]], n - i), 0, -1):
                if tuple(words[i : i + length]) in phrases:
                    out.append((i, i + length))
                    free = i + length
                    break
        return out


@cache
def _tables() -> tuple[dict[str, PhraseTable], PhraseTable, PhraseTable]:
    classes = {name: PhraseTable(words) for name, words in _CLASSES.items()}
    return classes, PhraseTable(place_names()), PhraseTable(UNIT_WORDS, lower=True)


def token_features(words: list[str]) -> tuple[list[str], list[str]]:
    """(morph string, lemma string) per word."""
    classes, places, units = _tables()
    # Most words are in no class: their features are kept only where there are some.
    morph: dict[int, dict[str, str]] = {}
    for name, table in classes.items():
        for start, end in table.matches(words):
            for i in range(start, end):
                morph.setdefault(i, {})[name] = "B" if i == start else "I"
    lemma = ["-"] * len(words)
    for start, end in units.matches([w.lower() for w in words]):
        for i in range(start, end):
            lemma[i] = "Unit"
    for start, end in places.matches(words):
        if words[start][:1].isupper() and all(lemma[i] == "-" for i in range(start, end)):
            for i in range(start, end):
                lemma[i] = "Place-B" if i == start else "Place-I"
    morph_strings = [""] * len(words)
    for i, feats in morph.items():
        morph_strings[i] = "|".join(f"{k}={v}" for k, v in sorted(feats.items()))
    return morph_strings, lemma


class LexiconFeatures(StatelessComponent):
    def __init__(self) -> None:
        self._keys: dict[tuple[str, str], tuple[int, int]] = {}
        _tables()  # built when the model loads (about 2 s, once per process), not on the first request

    def _key(self, doc: Doc, morph: str, lemma: str) -> tuple[int, int]:
        # Hash keys of each (morph, lemma) pair, computed once: setting `token.morph` and
        # `token.lemma_` token by token parses and hashes the strings every time.
        key = self._keys.get((morph, lemma))
        if key is None:
            vocab = doc.vocab
            key = (vocab.morphology.add(morph) if morph else 0, vocab.strings.add(lemma))
            self._keys[(morph, lemma)] = key
        return key

    def __call__(self, doc: Doc) -> Doc:
        if len(doc) == 0:
            return doc
        morph, lemma = token_features(token_texts(doc))
        values = numpy.array([self._key(doc, m, lem) for m, lem in zip(morph, lemma, strict=True)], dtype="uint64")
        doc.from_array([MORPH, LEMMA], values)
        return doc


@Language.factory("solieu_lexicon_features", assigns=["token.morph", "token.lemma"])
def make_lexicon_features(nlp: Language, name: str) -> LexiconFeatures:
    return LexiconFeatures()
