"""Run an extractor over many documents, in order, on one or more processes."""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Iterator, Sequence
from contextlib import nullcontext
from pathlib import Path

from solieu.schema import Document, DocumentInput

_worker_extractor = None


def _init_worker(extractor: str, model: str | None) -> None:
    global _worker_extractor
    from solieu.extractors import get_extractor

    _worker_extractor = get_extractor(extractor, model=model)


def _run_one(args: tuple[DocumentInput, str | None]) -> str:
    doc, default_date = args
    result = _worker_extractor(doc.text, doc_id=doc.id, document_date=doc.document_date or default_date)
    return result.model_dump_json(exclude_none=True)


def iter_results(
    docs: Sequence[DocumentInput], *, extractor: str = "model", model: str | None = None,
    n_process: int = 1, document_date: str | None = None,
) -> Iterator[str]:
    """JSON lines of the results, in input order; the model loads once per process."""
    jobs = [(doc, document_date) for doc in docs]
    if n_process <= 1:
        _init_worker(extractor, model)
        yield from map(_run_one, jobs)
        return
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(n_process, initializer=_init_worker, initargs=(extractor, model)) as pool:
        yield from pool.imap(_run_one, jobs, chunksize=1)


def extract_all(
    docs: Sequence[DocumentInput], *, output: str, extractor: str = "model", model: str | None = None,
    n_process: int = 1, document_date: str | None = None, progress: bool = False,
) -> int:
    results = iter_results(docs, extractor=extractor, model=model, n_process=n_process, document_date=document_date)
    count = 0
    sink = nullcontext(sys.stdout) if output == "-" else Path(output).open("w", encoding="utf-8")
    with sink as fh:
        if progress:
            from rich.progress import track

            results = track(results, total=len(docs), description="extracting", transient=True)
        for line in results:
            fh.write(line + "\n")
            count += 1
    return count


def extract_documents(docs: Sequence[DocumentInput], **kwargs) -> list[Document]:
    return [Document.model_validate_json(line) for line in iter_results(docs, **kwargs)]
