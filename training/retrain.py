"""Retrain on the base corpus plus new annotations, compare with the served
model on the same held-out documents, promote only if not worse.

    merge → train (training/train.py; with a relations config, the relation
    scorer is trained apart and assembled behind the entity model, the
    shipped model's recipe) → evaluate old and new on held-out → print the
    comparison per label → promote (models/trained/promoted.json) →
    optionally ask the running service to reload.

Merging deduplicates by document id and by segment text: a newer annotation
of a segment replaces every older one (a new document with an existing id
replaces the base document; a base or older document that contains an
annotated segment is cut into its reader segments and that segment left out),
and no segment of a held-out document is ever trained on. What was replaced
or left out is counted in the merge report, never silently dropped.

Promotion writes `promoted.json` in the models directory:
`{"path": "<dir name>", "name", "version", "promoted_at", "previous", "heldout"}`;
`solieu.model_store` writes and follows it (a models directory holding the pointer
stands for the promoted model in it).
"""

from __future__ import annotations

import json
import re
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from solieu.training.train import train

from solieu.corpus import expand_corpus_paths, read_documents, write_documents
from solieu.errors import ConfigError, SolieuError
from solieu.evaluate import EvaluationReport, evaluate
from solieu.model_store import (
    PROMOTED_POINTER,
    default_model_path,
    read_meta,
    read_pointer,
    resolve_model_path,
    write_pointer,
)
from solieu.schema import ENTITY_LABELS, RELATION_LABELS, Document
from solieu.splits import read_manifest, split_documents

DEFAULT_NAME = "solieu_vi"

Echo = Callable[[str], None]


# --- the promoted model -------------------------------------------------------

def next_version(models_dir: Path, name: str, current: str | None) -> str:
    """One patch above the highest of `current` and every `<name>-X.Y.Z` in models_dir."""
    def parse(v: str) -> tuple[int, int, int] | None:
        m = re.fullmatch(r"(\d+)\.(\d+)\.(\d+)", v or "")
        return (int(m[1]), int(m[2]), int(m[3])) if m else None

    found = [parse(current or "")]
    if Path(models_dir).is_dir():
        for child in Path(models_dir).iterdir():
            if child.name.startswith(name + "-"):
                found.append(parse(child.name[len(name) + 1:]))
    best = max((v for v in found if v is not None), default=(0, 1, 0))
    return f"{best[0]}.{best[1]}.{best[2] + 1}"


# --- merging ------------------------------------------------------------------

@dataclass
class MergeReport:
    base: int = 0
    new: int = 0
    replaced_by_id: list[str] = field(default_factory=list)
    cut_into_segments: list[str] = field(default_factory=list)
    segments_replaced: int = 0
    segments_held_out: int = 0
    documents_out: int = 0

    def summary(self) -> str:
        return (f"merged {self.base} base + {self.new} new document(s) into {self.documents_out}: "
                f"{len(self.replaced_by_id)} replaced by id, {len(self.cut_into_segments)} cut into segments, "
                f"{self.segments_replaced} segment(s) superseded by newer annotations, "
                f"{self.segments_held_out} segment(s) left out because they are held out")


def _key(text: str) -> str:
    return " ".join(text.split())


def _segments(doc: Document) -> list[Document]:
    """The document cut at reader segments, each a Document of its own (clean text)."""
    from solieu.convert import gold_segments
    from solieu.values import normalise

    out = []
    for index, segment in enumerate(gold_segments(doc)):
        if not segment.text.strip():
            continue
        entities = [{"id": f"e{i + 1}", "start": s, "end": e, "label": label, "text": segment.text[s:e],
                     **({"value": v.model_dump(exclude_none=True)} if (v := normalise(label, segment.text[s:e])) else {})}
                    for i, (s, e, label) in enumerate(segment.entities)]
        relations = [{"head": f"e{h + 1}", "tail": f"e{t + 1}", "label": label} for h, t, label in segment.relations]
        out.append(Document.model_validate({"id": f"{doc.id}#{index}", "text": segment.text,
                                            "entities": entities, "relations": relations}))
    return out


def _segment_keys(doc: Document) -> list[str]:
    from solieu.extraction import prepare

    read_text = prepare(doc.text)
    return [k for seg in read_text.segments if (k := _key(read_text.clean[seg.start:seg.end]))]


def merge_corpora(base: list[Document], new: list[Document], held_out: Iterable[Document] = ()) -> tuple[list[Document], MergeReport]:
    """Training documents from `base` and `new` (later ones win), none overlapping `held_out`."""
    report = MergeReport(base=len(base), new=len(new))
    held_keys = {k for doc in held_out for k in _segment_keys(doc)}
    # Newest first: the first claim of a segment is the one that counts.
    latest_new: dict[str, Document] = {}
    for doc in new:
        latest_new[doc.id] = doc  # a later annotation of the same document replaces an earlier one
    ordered: list[tuple[Document, bool]] = [(d, True) for d in reversed(list(latest_new.values()))]
    for doc in base:
        if doc.id in latest_new:
            report.replaced_by_id.append(doc.id)
            continue
        ordered.append((doc, False))
    claimed: set[str] = set()
    kept_new: list[Document] = []
    kept_base: list[Document] = []
    for doc, is_new in ordered:
        kept = kept_new if is_new else kept_base
        keys = _segment_keys(doc)
        clash_held = [k for k in keys if k in held_keys]
        clash_claimed = [k for k in keys if k in claimed and k not in held_keys]
        if not clash_held and not clash_claimed:
            kept.append(doc)
            claimed.update(keys)
            continue
        report.cut_into_segments.append(doc.id)
        for part in _segments(doc):
            key = _key(part.text)
            if key in held_keys:
                report.segments_held_out += 1
            elif key in claimed:
                report.segments_replaced += 1
            else:
                kept.append(part)
                claimed.add(key)
    # Base documents first, in their order, then new ones oldest first.
    kept = kept_base + kept_new[::-1]
    report.documents_out = len(kept)
    return kept, report


# --- comparing ----------------------------------------------------------------

def primary_score(report: EvaluationReport) -> float:
    """The training config's selection score: 0.6 entity micro F1 + 0.4 relation micro F1."""
    tp = sum(p.tp for p in report.relations.values())
    fp = sum(p.fp for p in report.relations.values())
    fn = sum(p.fn for p in report.relations.values())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    rel_f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return round(0.6 * report.micro.f1 + 0.4 * rel_f1, 4)


def comparison_table(old: EvaluationReport, new: EvaluationReport, *, old_name: str, new_name: str) -> str:
    rows = [f"held-out: {old.documents} document(s)   old = {old_name}   new = {new_name}",
            f"{'label':<12}{'old F1':>8}{'new F1':>8}{'Δ':>8}{'support':>9}"]

    def row(label: str, o, n) -> str:
        delta = n.f1 - o.f1
        return f"{label:<12}{o.f1:>8.3f}{n.f1:>8.3f}{delta:>+8.3f}{n.tp + n.fn:>9}"

    for label in ENTITY_LABELS:
        rows.append(row(label, old.entities[label], new.entities[label]))
    rows.append(row("micro", old.micro, new.micro))
    for label in RELATION_LABELS:
        rows.append(row(label, old.relations[label], new.relations[label]))
    o, n = primary_score(old), primary_score(new)
    rows.append(f"{'score':<12}{o:>8.3f}{n:>8.3f}{n - o:>+8.3f}   (0.6·entity micro F1 + 0.4·relation micro F1)")
    return "\n".join(rows)


def evaluate_model(model_dir: Path, gold: list[Document]) -> EvaluationReport:
    from solieu.pipeline import load_pipeline

    pipeline = load_pipeline(model_dir)
    return evaluate(gold, list(pipeline.extract_many([_as_input(d) for d in gold])))


def _as_input(doc: Document):
    from solieu.schema import DocumentInput

    return DocumentInput(id=doc.id, text=doc.text)


# --- the whole run ------------------------------------------------------------

@dataclass
class RetrainResult:
    model_dir: Path
    meta: dict
    old_model: Path
    old_scores: dict
    new_scores: dict
    old_score: float
    new_score: float
    promoted: bool
    forced: bool
    merge: MergeReport
    table: str
    reloaded: dict | None = None


def _read_all(paths: Iterable[Path]) -> list[Document]:
    return [doc for f in expand_corpus_paths(paths) for doc in read_documents(f)]


def split_base(base_docs: list[Document], splits: Path | None) -> tuple[list[Document], list[Document], list[Document]]:
    """(train, dev, test) of the base corpus by the split manifest; without one, all is train."""
    if splits is None:
        return base_docs, [], []
    parts = split_documents(base_docs, read_manifest(Path(splits)))
    return parts["train"], parts["dev"], parts["test"]


def request_reload(url: str, token: str | None, *, timeout: float = 120.0) -> dict:
    """POST {url}/v1/admin/reload with the bearer token; the service's answer."""
    if not token:
        raise SolieuError("reloading the service needs its admin token (--admin-token or SOLIEU_ADMIN_TOKEN)")
    request = urllib.request.Request(url.rstrip("/") + "/v1/admin/reload", method="POST", data=b"",
                                     headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - the operator's own URL
            return json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as e:
        raise SolieuError(f"{url}: reload answered {e.code}: {e.read().decode('utf-8', 'replace')[:300]}") from e
    except urllib.error.URLError as e:
        raise SolieuError(f"{url}: cannot reach the service to reload it: {e.reason}") from e


def retrain(
    *,
    config: Path,
    new: list[Path],
    base: list[Path] = (),
    splits: Path | None = None,
    dev: list[Path] | None = None,
    held_out: list[Path] | None = None,
    old_model: Path | None = None,
    models_dir: Path,
    output: Path | None = None,
    name: str = DEFAULT_NAME,
    version: str | None = None,
    overrides: dict | None = None,
    relations_config: Path | None = None,
    relation_overrides: dict | None = None,
    force: bool = False,
    promote: bool = True,
    reload_url: str | None = None,
    admin_token: str | None = None,
    reload: Callable[[], dict] | None = None,
    echo: Echo = print,
) -> RetrainResult:
    """Merge, train, compare on held-out, promote if not worse (or forced), reload."""
    models_dir = Path(models_dir)
    base_docs = _read_all(base)
    train_base, dev_base, test_base = split_base(base_docs, splits)
    dev_docs = _read_all(dev) if dev else dev_base
    held_docs = _read_all(held_out) if held_out else test_base
    if not held_docs:
        raise ConfigError("no held-out documents: give --heldout, or a --splits manifest with a 'test' split")
    if not dev_docs:
        raise ConfigError("no dev documents for model selection: give --dev, or a --splits manifest with a 'dev' split")
    new_docs = _read_all(new)
    if not new_docs:
        raise ConfigError(f"no new annotations in {[str(p) for p in new]}")
    train_docs, merge = merge_corpora(train_base, new_docs, held_out=[*held_docs, *dev_docs])
    echo(merge.summary())

    if old_model is None:
        old_model = resolve_model_path(models_dir) if read_pointer(models_dir) else default_model_path()
    old_model = resolve_model_path(old_model)
    old_meta = read_meta(old_model)
    version = version or next_version(models_dir, name, str(old_meta.get("version", "")) if old_meta.get("name") == name else None)
    model_dir = Path(output) if output else models_dir / f"{name}-{version}"
    if model_dir.exists():
        raise ConfigError(f"{model_dir} already exists; give another --version or --output")

    with tempfile.TemporaryDirectory(prefix="solieu-retrain-") as tmp:
        data = Path(tmp)
        for split, docs in (("train", train_docs), ("dev", dev_docs), ("heldout", held_docs)):
            write_documents(docs, data / f"{split}.jsonl")
        echo(f"training {name} {version} on {len(train_docs)} document(s), selecting on {len(dev_docs)} …")
        splits_paths = {"train_paths": str(data / "train.jsonl"), "dev_paths": str(data / "dev.jsonl")}
        if relations_config is None:
            result = train(Path(config), **splits_paths, test_paths=str(data / "heldout.jsonl"), output=model_dir,
                           name=name, version=version, overrides=overrides)
            meta = result.meta
        else:
            from solieu.training.assemble import assemble

            entities = train(Path(config), **splits_paths, output=data / "entities", overrides=overrides)
            echo(f"training the relation scorer ({Path(relations_config).name}) …")
            relations = train(Path(relations_config), **splits_paths, output=data / "relations",
                              overrides=relation_overrides)
            meta = assemble(entities.output, relations.output, output=model_dir, dev_paths=splits_paths["dev_paths"],
                            test_paths=str(data / "heldout.jsonl"), name=name, version=version)
    old_report = evaluate_model(old_model, held_docs)
    new_report = evaluate_model(model_dir, held_docs)
    old_name = f"{old_meta.get('name', old_model.name)} {old_meta.get('version', '?')}"
    table = comparison_table(old_report, new_report, old_name=old_name, new_name=f"{name} {version}")
    echo(table)
    old_score, new_score = primary_score(old_report), primary_score(new_report)
    better = new_score >= old_score
    promoted = promote and (better or force)
    if promoted:
        write_pointer(models_dir, model_dir, meta=meta,
                      heldout={"old": old_score, "new": new_score, "documents": [d.id for d in held_docs]})
        why = "not worse on held-out" if better else "forced although worse on held-out"
        echo(f"promoted {name} {version} ({why}): {models_dir / PROMOTED_POINTER} → {model_dir.name}")
    elif promote:
        echo(f"not promoted: held-out score {new_score:.3f} < {old_score:.3f} of the current model "
             "(--force promotes anyway)")
    reloaded = None
    if promoted and (reload is not None or reload_url):
        reloaded = reload() if reload is not None else request_reload(reload_url, admin_token)
        echo(f"service reloaded: now serving {reloaded.get('model', {}).get('name')} "
             f"{reloaded.get('model', {}).get('version')}")
    return RetrainResult(model_dir=model_dir, meta=meta, old_model=old_model,
                         old_scores=old_report.as_dict(), new_scores=new_report.as_dict(), old_score=old_score,
                         new_score=new_score, promoted=promoted, forced=promoted and not better, merge=merge,
                         table=table, reloaded=reloaded)
