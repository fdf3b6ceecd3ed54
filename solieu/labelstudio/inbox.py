"""Annotations received from Label Studio's webhook, waiting for retraining.

One JSONL file of one document per Label Studio task (named by a hash of
the document id), written atomically, so that the latest annotation of a
task replaces the previous one and concurrent events never interleave. The
directory is an ordinary corpus path: `solieu retrain --new DIR` reads it.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from pathlib import Path

from solieu.corpus import read_documents
from solieu.schema import Document


class Inbox:
    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()

    def _file(self, doc_id: str) -> Path:
        return self.path / f"{hashlib.sha256(doc_id.encode()).hexdigest()[:20]}.jsonl"

    def put(self, doc: Document) -> Path:
        self.path.mkdir(parents=True, exist_ok=True)
        target = self._file(doc.id)
        fd, tmp = tempfile.mkstemp(dir=self.path, prefix=".tmp-", suffix=".part")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(doc.model_dump_json(exclude_none=True) + "\n")
        os.replace(tmp, target)
        return target

    def documents(self) -> list[Document]:
        if not self.path.is_dir():
            return []
        return [doc for file in sorted(self.path.glob("*.jsonl")) for doc in read_documents(file)]

    def remove_annotation(self, annotation_id) -> int:
        """Drop the document that came from this Label Studio annotation, if held."""
        if annotation_id is None or not self.path.is_dir():
            return 0
        removed = 0
        with self._lock:
            for file in self.path.glob("*.jsonl"):
                for doc in read_documents(file):
                    if (doc.meta or {}).get("annotation_id") == annotation_id:
                        file.unlink(missing_ok=True)
                        removed += 1
        return removed

    def __len__(self) -> int:
        return len(list(self.path.glob("*.jsonl"))) if self.path.is_dir() else 0
