"""Small corpora cut from the seed reports, and readers of a batch's output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import seed_texts


def seed_pieces(*, chars: int = 1500) -> list[str]:
    """The seed reports cut at paragraph breaks into pieces of about `chars` characters."""
    pieces: list[str] = []
    for text in seed_texts():
        current = ""
        for paragraph in text.split("\n\n"):
            current = f"{current}\n\n{paragraph}" if current else paragraph
            if len(current) >= chars:
                pieces.append(current)
                current = ""
        if current.strip():
            pieces.append(current)
    return pieces


def write_corpus(root: Path, count: int, *, chars: int = 1500) -> list[str]:
    """`count` documents in nested folders (`pNN/doc-NNNN.txt`); returns their ids."""
    pieces = seed_pieces(chars=chars)
    ids = []
    for i in range(count):
        rel = f"p{i % 7:02d}/doc-{i:04d}.{'md' if i % 5 == 0 else 'txt'}"
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        # The number keeps pieces reused for a big corpus distinct documents.
        path.write_text(f"Báo cáo số {i}.\n\n{pieces[i % len(pieces)]}", encoding="utf-8")
        ids.append(rel)
    return sorted(ids)


def output_ids(out_dir: Path) -> list[str]:
    """Every id in the committed shards and the errors file, with repeats, to check exactly-once."""
    ids = []
    for shard in sorted((out_dir / "shards").glob("*.jsonl")):
        with open(shard, encoding="utf-8") as fh:
            for line in fh:
                ids.append(json.loads(line)["id"])  # a torn line would fail here
    return ids


def output_documents(out_dir: Path) -> dict[str, dict]:
    docs = {}
    for shard in sorted((out_dir / "shards").glob("*.jsonl")):
        for line in shard.read_text(encoding="utf-8").splitlines():
            doc = json.loads(line)
            docs[doc["id"]] = doc
    return docs


def error_records(out_dir: Path) -> dict[str, dict]:
    path = out_dir / "errors.jsonl"
    return {r["id"]: r for r in map(json.loads, path.read_text(encoding="utf-8").splitlines())} if path.exists() else {}


@pytest.fixture
def small_corpus(tmp_path: Path) -> tuple[Path, list[str]]:
    root = tmp_path / "corpus"
    return root, write_corpus(root, 24)
