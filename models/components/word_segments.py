"""`solieu_word_segments`: Vietnamese word boundaries as a token feature.

Vietnamese writes syllables, not words: `Tài nguyên và Môi trường` is five
syllables and three words. underthesea's word segmenter (a CRF, fast) groups
syllables into words; each token gets `Seg=B` (first syllable of a
multi-syllable word), `Seg=I` (a later one) or `Seg=S` (a word of its own) as
its MORPH, which the tok2vec layer embeds. A name then tends to end where a
new verb word starts (`… Môi trường | thẩm định`), whatever the province.
"""

from __future__ import annotations

from solieu.models.components.base import StatelessComponent
from spacy.language import Language
from spacy.tokens import Doc


def segment_positions(doc: Doc) -> list[str]:
    from underthesea import word_tokenize  # loaded on first use, not at import

    positions = ["S"] * len(doc)
    text = doc.text
    cursor = 0
    for word in word_tokenize(text):
        syllables = word.split()
        starts = []
        for syllable in syllables:
            found = text.find(syllable, cursor)
            if found < 0:
                break
            starts.append(found)
            cursor = found + len(syllable)
        if len(starts) < 2:
            continue
        for k, start in enumerate(starts):
            token = doc.char_span(start, start + len(syllables[k]))
            if token is not None and len(token) == 1:
                positions[token.start] = "B" if k == 0 else "I"
    return positions


class WordSegments(StatelessComponent):
    def __call__(self, doc: Doc) -> Doc:
        if len(doc) == 0:
            return doc
        for token, position in zip(doc, segment_positions(doc), strict=True):
            token.set_morph(f"Seg={position}")
        return doc


@Language.factory("solieu_word_segments", assigns=["token.morph"])
def make_word_segments(nlp: Language, name: str) -> WordSegments:
    return WordSegments()
