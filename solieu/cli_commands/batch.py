"""`solieu batch`: tag a whole archive into resumable JSONL shards.

Registered in solieu/cli.py with `app.command("batch")(batch)`; also runnable
alone as `python -m solieu.batch`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer


def batch(
    source: Annotated[str, typer.Argument(
        help="A directory tree of .txt/.md/.pdf/.docx files, a glob (quote it: 'reports/**/*.pdf'), "
        "or a JSONL of {id, text, document_date}.",
    )],
    out_dir: Annotated[Path, typer.Option(
        "-o", "--out-dir", help="Output directory: shards/, manifest.json, errors.jsonl. Run again to resume.",
    )],
    extractor: Annotated[str, typer.Option(help="model, rules or underthesea.")] = "model",
    model: Annotated[str | None, typer.Option(help="Model directory (default: the shipped model).")] = None,
    engine: Annotated[str, typer.Option(help="local (worker processes) or ray (Ray Data; the 'ray' extra).")] = "local",
    n_process: Annotated[int | None, typer.Option(
        "--n-process", "-j", min=1, help="Worker processes, or Ray actors (default: one per CPU core).",
    )] = None,
    ray_address: Annotated[str | None, typer.Option(
        help="Ray cluster to run on (ray://HEAD:10001, or auto); default: a local Ray instance.",
    )] = None,
    shard_size: Annotated[int, typer.Option(min=1, help="Documents per chunk, committed as one shard.")] = 64,
    document_date: Annotated[str | None, typer.Option(help="YYYY-MM-DD, gives year-less dates a year.")] = None,
    max_chars: Annotated[int | None, typer.Option(
        min=1, help="Record longer documents as errors instead of tagging them.",
    )] = None,
    table: Annotated[str | None, typer.Option(
        help="Also write every figure, with its value, owner, date and confidence, to OUT_DIR/figures.csv or "
             "figures.parquet: csv or parquet.",
    )] = None,
    progress: Annotated[bool | None, typer.Option(
        "--progress/--no-progress", help="Progress bar (default: on a terminal) or periodic log lines.",
    )] = None,
) -> None:
    """Tag every document of SOURCE into OUT_DIR; resumable, each document exactly once."""
    from solieu.batch import run_batch
    from solieu.batch.progress import LogProgress, RichProgress, progress_for
    from solieu.errors import SolieuError

    if progress is None:
        reporter = progress_for(sys.stderr)
    else:
        reporter = RichProgress(sys.stderr) if progress else LogProgress(sys.stderr)
    try:
        summary = run_batch(
            source, out_dir, extractor=extractor, model=model, engine=engine,
            n_process=n_process or os.cpu_count() or 1, ray_address=ray_address, shard_size=shard_size,
            document_date=document_date, max_chars=max_chars, table=table, progress=reporter,
        )
    except SolieuError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(1) from e
    except KeyboardInterrupt:
        typer.echo(f"interrupted; run the same command again to resume into {out_dir}", err=True)
        raise typer.Exit(130) from None
    duplicates = summary.manifest["documents"]["duplicates"]
    if duplicates:
        typer.echo(
            f"warning: {duplicates} document(s) appear in more than one committed file of {out_dir}; "
            "was it written by two runs at once, or were shards copied in by hand?",
            err=True,
        )
    failed = f"; {summary.failed} failed, see {out_dir / 'errors.jsonl'}" if summary.failed else ""
    rate = f" ({summary.documents_per_second:.1f} docs/s)" if summary.processed else ""
    typer.echo(
        f"{summary.status}: {summary.written} of {summary.inputs} document(s) in {out_dir / 'shards'}{failed}; "
        f"this run tagged {summary.processed} in {summary.seconds:.1f}s{rate}",
        err=True,
    )
