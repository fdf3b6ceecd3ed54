"""The Ray engine: the same tagging on Ray Data, locally or on a cluster.

`ray.data.from_items` holds the pending documents (only their ids and where
to read them), `map_batches` runs `RayTagger` — a callable class that loads
the extractor once per actor — on a fixed actor pool
(`compute=ray.data.ActorPoolStrategy(size=n)`), and the driver commits each
batch it receives exactly as a local worker does (see `state.py`), so the
output, its resumability and its manifest are those of the local engine.

Against a cluster (`--ray-address ray://head:10001`, or `auto` on a cluster
node) the actors read the documents from their paths, so the source must be
on storage every node mounts at the same path, and every node needs solieu
(and the model, for `--extractor model`) installed; the output directory is
written by the driver only.

Ray is the optional `ray` extra (`pip install 'solieu[ray]'`); it is imported
only when this engine runs.
"""

from __future__ import annotations

from solieu.batch.progress import Progress
from solieu.batch.sources import SourceItem
from solieu.batch.state import ChunkResult, OutputDir
from solieu.errors import MissingDependency


class RayTagger:
    """Holds one extractor per actor; tags a batch of items into result columns."""

    def __init__(self, *, extractor: str, model: str | None, document_date: str | None, max_chars: int | None):
        from solieu.extractors import load_extractor

        self.extract = load_extractor(extractor, model=model).extract
        self.document_date = document_date
        self.max_chars = max_chars

    def __call__(self, batch: dict) -> dict:
        import json

        from solieu.batch.work import process_item

        columns: dict[str, list] = {k: [] for k in ("id", "record", "ok", "characters", "entities", "relations")}
        for raw in batch["item"]:
            item = SourceItem.from_json(str(raw))
            outcome = process_item(item, self.extract, document_date=self.document_date, max_chars=self.max_chars)
            columns["id"].append(item.id)
            columns["ok"].append(outcome.error is None)
            columns["record"].append(outcome.json if outcome.error is None else json.dumps(outcome.error, ensure_ascii=False))
            columns["characters"].append(outcome.characters)
            columns["entities"].append(outcome.entities)
            columns["relations"].append(outcome.relations)
        return columns


def import_ray():
    try:
        import ray
        import ray.data
    except ImportError as e:
        raise MissingDependency(
            "--engine ray needs Ray Data, which is not installed; install the extra: pip install 'solieu[ray]'"
        ) from e
    return ray


def run_ray(
    pending: list[SourceItem], out: OutputDir, *, run: int, extractor: str, model: str | None,
    n_workers: int, shard_size: int, document_date: str | None, max_chars: int | None,
    address: str | None, progress: Progress,
) -> list[ChunkResult]:
    import json

    ray = import_ray()
    started_here = False
    if not ray.is_initialized():
        # No address: a local Ray instance for this run, stopped at the end.
        options = {"address": address} if address else {"num_cpus": max(n_workers, 1)}
        ray.init(
            **options, include_dashboard=False, ignore_reinit_error=True, log_to_driver=False,
            logging_level="WARNING",
        )
        started_here = True
    try:
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False  # ours is the one the user reads
        context.print_on_execution_start = False
        dataset = ray.data.from_items(
            [{"item": item.to_json()} for item in pending],
            override_num_blocks=max(1, min(len(pending), n_workers * 4)),
        )
        tagged = dataset.map_batches(
            RayTagger,
            fn_constructor_kwargs={
                "extractor": extractor, "model": model, "document_date": document_date, "max_chars": max_chars,
            },
            batch_size=shard_size,
            batch_format="numpy",
            compute=ray.data.ActorPoolStrategy(size=n_workers),
            num_cpus=1,
        )
        results: list[ChunkResult] = []
        for number, batch in enumerate(tagged.iter_batches(batch_size=shard_size, batch_format="numpy")):
            documents, errors = [], []
            for i, doc_id in enumerate(batch["id"]):
                if bool(batch["ok"][i]):
                    documents.append((
                        str(doc_id), str(batch["record"][i]), int(batch["characters"][i]),
                        int(batch["entities"][i]), int(batch["relations"][i]),
                    ))
                else:
                    errors.append(json.loads(str(batch["record"][i])))
            results.append(out.commit(f"part-r{run:04d}-b{number:06d}", documents, errors))
            progress.advance(
                documents=len(documents) + len(errors), characters=sum(d[2] for d in documents), failed=len(errors)
            )
        return results
    finally:
        if started_here:
            ray.shutdown()
