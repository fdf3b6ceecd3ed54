"""Run an extractor over many documents, in order, on one or more processes."""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Iterator, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

from solieu.errors import ExtractionFailed, InputError, SolieuError
from solieu.schema import Document, DocumentInput

_worker_extractor = None


def _init_worker(extractor: str, model: str | None) -> None:
    global _worker_extractor
    from solieu.extractors import load_extractor

    _worker_extractor = load_extractor(extractor, model=model).extract


def _run_one(args: tuple[DocumentInput, str | None]) -> tuple[str, str]:
    """("ok", JSON line) or ("error", one line naming the document): one bad document
    does not stop the others."""
    doc, default_date = args
    try:
        result = _worker_extractor(doc.text, doc_id=doc.id, document_date=doc.document_date or default_date)
    except SolieuError as e:
        return "error", f"{doc.id}: {e}"
    except Exception as e:  # noqa: BLE001 - reported per document, the run goes on and exits non-zero
        return "error", f"{doc.id}: extraction failed: {type(e).__name__}: {e}"
    return "ok", result.model_dump_json(exclude_none=True)


def iter_outcomes(
    docs: Sequence[DocumentInput], *, extractor: str = "model", model: str | None = None,
    n_process: int = 1, document_date: str | None = None,
) -> Iterator[tuple[str, str]]:
    """("ok", JSON line) or ("error", message) per document, in input order; the model loads once per process."""
    jobs = [(doc, document_date) for doc in docs]
    if n_process <= 1:
        _init_worker(extractor, model)
        yield from map(_run_one, jobs)
        return
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(n_process, initializer=_init_worker, initargs=(extractor, model)) as pool:
        yield from pool.imap(_run_one, jobs, chunksize=1)


def iter_results(docs: Sequence[DocumentInput], **kwargs) -> Iterator[str]:
    """JSON lines of the results, in input order; the first failure raises."""
    for status, payload in iter_outcomes(docs, **kwargs):
        if status == "error":
            raise ExtractionFailed(payload)
        yield payload


@dataclass
class RunReport:
    written: int
    failures: list[str]
    figures: int | None = None  # rows of the figures table, when one was asked for


def check_output_path(output: str) -> None:
    """An output file's folder must exist before any work starts."""
    if output == "-":
        return
    folder = Path(output).resolve().parent
    if not folder.is_dir():
        raise InputError(f"-o {output}: the folder {folder} does not exist")
    if Path(output).is_dir():
        raise InputError(f"-o {output}: is a directory; give a file name")


def extract_all(
    docs: Sequence[DocumentInput], *, output: str, extractor: str = "model", model: str | None = None,
    n_process: int = 1, document_date: str | None = None, progress: bool = False, table: str | None = None,
) -> RunReport:
    """Write every document that extracts; name each one that does not. `table` (.csv or
    .parquet) also gets every figure of the documents written, one row each
    (`solieu.figures`)."""
    from solieu.figures import FiguresTable

    check_output_path(output)
    # Opened (and so checked) before the output is: a bad table path leaves no output behind.
    figures = nullcontext(None) if table is None else FiguresTable.open(table)
    outcomes = iter_outcomes(docs, extractor=extractor, model=model, n_process=n_process, document_date=document_date)
    report = RunReport(0, [])
    sink = nullcontext(sys.stdout) if output == "-" else Path(output).open("w", encoding="utf-8")
    with figures as rows, sink as fh:
        if progress:
            from rich.progress import track

            outcomes = track(outcomes, total=len(docs), description="extracting", transient=True)
        for status, payload in outcomes:
            if status == "error":
                report.failures.append(payload)
                continue
            fh.write(payload + "\n")
            report.written += 1
            if rows is not None:
                rows.add(Document.model_validate_json(payload))
    report.figures = None if rows is None else rows.rows
    return report


def extract_documents(docs: Sequence[DocumentInput], **kwargs) -> list[Document]:
    return [Document.model_validate_json(line) for line in iter_results(docs, **kwargs)]
