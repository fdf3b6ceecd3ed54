"""A spaCy tokenizer for Vietnamese report text.

Tokens are syllables (Vietnamese writes one syllable per space-separated
word), numbers and punctuation. Punctuation is always split off (`toán;`,
`(Chỉ`, `%).`); Vietnamese numbers stay whole (`5.060.889.000`, `55,3`), as do
slash dates (`14/05/2025`, `5/2025`, `30/4`); letters and digits glued
together are split (`đồng1` → `đồng` `1`, `5.850ha` → `5.850` `ha`), so that a
footnote marker or a unit never hides an entity boundary. `doc.text` is always
exactly the input text.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import spacy
from spacy.attrs import IDX, LENGTH, SPACY
from spacy.tokens import Doc
from spacy.vocab import Vocab

# Where the tokenizer keeps its input on the doc: `doc.text` rebuilds the text from a Token object
# per token, and the pipeline's components each read the text of every doc.
_TEXT_KEY = "solieu.text"

_TOKEN = re.compile(
    r"""
    (?P<date>\d{1,2}/\d{1,2}/\d{4}(?![\d/])|\d{1,2}/\d{4}(?![\d/])|\d{1,2}/\d{1,2}(?![\d/,.]\d|\d))
    |(?P<number>\d+(?:[.,]\d+)*)
    |(?P<word>[^\W\d_]+)
    |(?P<ellipsis>\.{2,}|…)
    |(?P<space>\s+)
    |(?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


def tokenize_words(text: str) -> tuple[list[str], list[bool]]:
    """Words and trailing-space flags, spaCy style: `"".join(w + " "*s) == text`."""
    words: list[str] = []
    spaces: list[bool] = []
    for m in _TOKEN.finditer(text):
        piece = m.group(0)
        if m.lastgroup == "space":
            if words and not spaces[-1] and piece.startswith(" ") and not words[-1].isspace():
                spaces[-1] = True
                piece = piece[1:]
            if piece:
                words.append(piece)
                spaces.append(False)
            continue
        words.append(piece)
        spaces.append(False)
    return words, spaces


def doc_text(doc: Doc) -> str:
    """`doc.text`, from the tokenizer's copy where the doc has one (a doc's text never changes).
    The copy is used only if it ends where the doc's last token does, so that user data copied
    onto another doc cannot stand in for that doc's text."""
    text = doc.user_data.get(_TEXT_KEY)
    if isinstance(text, str) and len(doc):
        start, length, space = doc.to_array([IDX, LENGTH, SPACY])[-1].tolist()
        if start + length + space == len(text):
            return text
    return doc.text


def token_texts(doc: Doc) -> list[str]:
    """The text of each token, as `[t.text for t in doc]`, without making a Token per token."""
    text = doc_text(doc)
    return [text[start:start + length] for start, length in doc.to_array([IDX, LENGTH]).tolist()]


class VietnameseTokenizer:
    def __init__(self, vocab: Vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words, spaces = tokenize_words(text)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        doc.user_data[_TEXT_KEY] = text
        return doc

    def pipe(self, texts, batch_size: int = 1000):
        for text in texts:
            yield self(text)

    # The tokenizer has no state: serialisation writes nothing.
    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> VietnameseTokenizer:
        return self

    def to_disk(self, path, **kwargs) -> None:
        return None

    def from_disk(self, path, **kwargs) -> VietnameseTokenizer:
        return self


@spacy.registry.tokenizers("solieu.vi_tokenizer.v1")
def create_tokenizer() -> Callable[[spacy.Language], VietnameseTokenizer]:
    def make(nlp: spacy.Language) -> VietnameseTokenizer:
        return VietnameseTokenizer(nlp.vocab)

    return make
