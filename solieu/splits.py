"""The split manifest (`annotations/splits.json`): which documents train, select and test a model.

Out-of-province passages are split by territory: every passage goes to the
split of the post-merger province its province lies in (`solieu.places`), so
no territory, under its old or its new name, is in two splits. The seed
reports (one province, Lạng Sơn, no `meta.province`) are split by report as
before. The manifest keeps both rules and the document lists they give; the
lists are what training and evaluation read, the rules what a test checks
them against.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from solieu.corpus import expand_corpus_paths, read_documents, write_documents
from solieu.errors import ConfigError
from solieu.places import post_merger_province
from solieu.schema import Document

SPLITS = ("train", "dev", "test")


def read_manifest(path: Path) -> dict:
    try:
        manifest = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        raise ConfigError(f"{path}: cannot read the split manifest: {e}") from e
    if not isinstance(manifest, dict) or not all(isinstance(manifest.get(s), list) for s in SPLITS):
        raise ConfigError(f"{path}: a split manifest has lists 'train', 'dev' and 'test'")
    return manifest


def territory_of(doc: Document) -> str | None:
    """The post-merger province of an out-of-province passage; None for a seed report."""
    province = (doc.meta or {}).get("province")
    return post_merger_province(province) if province else None


def assign(docs: Iterable[Document], territories: dict[str, list[str]], seed_reports: dict[str, list[str]]) -> dict[str, list[str]]:
    """Document ids per split by the two rules; ConfigError for a document no rule places."""
    split_of_territory = {t: s for s in SPLITS for t in territories.get(s, [])}
    split_of_report = {r: s for s in SPLITS for r in seed_reports.get(s, [])}
    out: dict[str, list[str]] = {s: [] for s in SPLITS}
    for doc in docs:
        territory = territory_of(doc)
        if territory is None:
            split = split_of_report.get(doc.id)
            where = "seed report"
        else:
            split = split_of_territory.get(territory)
            where = f"territory {territory!r}"
        if split is None:
            raise ConfigError(f"document {doc.id!r} ({where}) is in no split of the manifest")
        out[split].append(doc.id)
    return out


def split_documents(docs: Iterable[Document], manifest: dict) -> dict[str, list[Document]]:
    """The documents of each split, in corpus order; ConfigError for one the manifest does not list."""
    split_of = {doc_id: s for s in SPLITS for doc_id in manifest[s]}
    out: dict[str, list[Document]] = {s: [] for s in SPLITS}
    for doc in docs:
        if doc.id not in split_of:
            raise ConfigError(f"document {doc.id!r} is in the corpus but in no split of the manifest")
        out[split_of[doc.id]].append(doc)
    return out


def is_out_of_province(doc: Document) -> bool:
    return territory_of(doc) is not None


def corpus_splits(corpus_paths: Iterable[Path], manifest_path: Path) -> dict[str, list[Document]]:
    """The documents of the corpus files or folders, in the splits the manifest gives them."""
    docs = [d for f in expand_corpus_paths(corpus_paths) for d in read_documents(f)]
    return split_documents(docs, read_manifest(manifest_path))


def write_split_files(corpus_paths: Iterable[Path], manifest_path: Path, out_dir: Path) -> dict[str, int]:
    """`train.jsonl`, `dev.jsonl`, `test.jsonl` of the corpus in `out_dir`, as training reads them;
    the number of documents in each."""
    parts = corpus_splits(corpus_paths, manifest_path)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    return {split: write_documents(parts[split], out_dir / f"{split}.jsonl") for split in SPLITS}
