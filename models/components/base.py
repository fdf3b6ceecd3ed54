"""What every stateless solieu component shares: nothing to save or load."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.tokens import Doc


class StatelessComponent:
    """A pipeline step with no weights: serialisation writes and reads nothing."""

    def __call__(self, doc: Doc) -> Doc:  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)

    def to_disk(self, path, **kwargs) -> None:
        return None

    def from_disk(self, path, **kwargs):
        return self

    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data, **kwargs):
        return self
