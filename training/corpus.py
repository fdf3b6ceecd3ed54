"""`solieu.JsonlCorpus.v1`: spaCy training examples from exchange-format JSONL.

Each gold document is read with the report reader and cut into segments, the
unit the pipeline sees at inference (see solieu.convert).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.training import Example

from solieu.convert import document_examples
from solieu.corpus import expand_corpus_paths, iter_documents
from solieu.errors import ConfigError


def corpus_files(paths: str | Path) -> list[Path]:
    """A path, a directory, or several separated by commas."""
    files: list[Path] = []
    for part in str(paths).split(","):
        path = Path(part.strip())
        if not path.exists():
            raise ConfigError(f"corpus path {path} does not exist")
        files.extend(expand_corpus_paths([path]))
    if not files:
        raise ConfigError(f"corpus path {paths} holds no .jsonl files")
    return files


@spacy.registry.readers("solieu.JsonlCorpus.v1")
def create_jsonl_corpus(path: str, gold_entities: bool = False) -> Callable[[Language], Iterator[Example]]:
    """`gold_entities = true` hands the pipeline the reference entities (for a
    relation-only training, whose dev score must not depend on a recogniser)."""
    files = corpus_files(path)

    def read(nlp: Language) -> Iterator[Example]:
        for file in files:
            for document in iter_documents(file):
                yield from document_examples(nlp, document, gold_entities=gold_entities)

    return read
