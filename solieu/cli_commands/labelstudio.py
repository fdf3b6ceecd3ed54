"""`solieu labelstudio …` and `solieu annotations suggest`: the annotation
round trip with Label Studio and doccano, as thin commands over
solieu.labelstudio, solieu.doccano and solieu.suggest."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from solieu.cli_commands import user_errors

labelstudio_app = typer.Typer(help="Label Studio and doccano: config, tasks with predictions, import.",
                              no_args_is_help=True)


def _pipeline(extractor: str, model: str | None):
    """(extract_many, model_version) of the chosen extractor; model paths may be a models dir with promoted.json."""
    from solieu.errors import InputError
    from solieu.extractors import load_extractor
    from solieu.labelstudio.ml_backend import model_version_of

    if extractor == "none":
        return None, "none", None
    if extractor not in ("model", "rules"):
        raise InputError(f"unknown extractor {extractor!r}; choose model, rules or none")
    pipeline = load_extractor(extractor, model=model)
    return (pipeline.extract_many, model_version_of(pipeline.name, pipeline.version),
            pipeline if extractor == "model" else None)


def _write_json(data, output: str) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=2)
    if output == "-":
        typer.echo(text)
    else:
        Path(output).write_text(text + "\n", encoding="utf-8")


@labelstudio_app.command("config")
def config_cmd(
    output: Annotated[str, typer.Option("-o", "--output", help="File to write, or - for stdout.")] = "-",
) -> None:
    """Print the labeling config (5 entity labels, BELONGS_TO / AS_OF relations)."""
    from solieu.labelstudio.config import labeling_config

    xml = labeling_config()
    if output == "-":
        typer.echo(xml, nl=False)
    else:
        Path(output).write_text(xml, encoding="utf-8")
        typer.echo(f"wrote the labeling config to {output}", err=True)


@labelstudio_app.command("export")
@user_errors
def export_cmd(
    source: Annotated[str, typer.Argument(help="A .txt/.md file, a directory of them, a JSONL of {id, text}, or -.")],
    output: Annotated[str, typer.Option("-o", "--output", help="Label Studio tasks JSON, or - for stdout.")] = "tasks.json",
    model: Annotated[str | None, typer.Option(help="Model directory, or a models dir with promoted.json.")] = None,
    extractor: Annotated[str, typer.Option(help="Predictions from: model, rules, or none.")] = "model",
    segments: Annotated[bool, typer.Option("--segments/--documents",
                                           help="One task per paragraph/list item/footnote, or per report.")] = False,
    document_date: Annotated[str | None, typer.Option(help="YYYY-MM-DD, gives year-less dates a year.")] = None,
) -> None:
    """Turn reports into Label Studio tasks with solieu's predictions pre-filled."""
    from solieu.inputs import read_inputs
    from solieu.labelstudio.tasks import build_tasks

    inputs = read_inputs(source, stdin=sys.stdin)
    if document_date:
        inputs = [i if i.document_date else i.model_copy(update={"document_date": document_date}) for i in inputs]
    extract_many, version, _ = _pipeline(extractor, model)
    tasks = build_tasks(inputs, extract_many=extract_many, model_version=version, segments=segments)
    _write_json(tasks, output)
    if output != "-":
        typer.echo(f"wrote {len(tasks)} task(s) from {len(inputs)} report(s) to {output} (model version {version})",
                   err=True)


@labelstudio_app.command("import")
@user_errors
def import_cmd(
    export: Annotated[Path, typer.Argument(help="Label Studio export (Export → JSON).")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Exchange-format JSONL to write.")],
) -> None:
    """Turn a Label Studio JSON export into validated exchange-format JSONL (all or nothing)."""
    from solieu.corpus import write_documents
    from solieu.labelstudio.importer import import_export_file

    report = import_export_file(export)
    write_documents(report.documents, output)
    typer.echo(f"{report.summary()}; wrote {output}", err=True)


@labelstudio_app.command("doccano-import")
@user_errors
def doccano_import_cmd(
    source: Annotated[Path, typer.Argument(help="doccano JSONL export (entities + relations).")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Exchange-format JSONL to write.")],
) -> None:
    """doccano JSONL → exchange-format JSONL, validated (all or nothing)."""
    from solieu.corpus import write_documents
    from solieu.doccano import import_file

    report = import_file(source)
    write_documents(report.documents, output)
    trimmed = f", {report.trimmed} span edge(s) trimmed of whitespace" if report.trimmed else ""
    typer.echo(f"{len(report.documents)} document(s) imported{trimmed}; wrote {output}", err=True)


@labelstudio_app.command("doccano-export")
@user_errors
def doccano_export_cmd(
    source: Annotated[Path, typer.Argument(help="Exchange-format JSONL (gold or predicted).")],
    output: Annotated[Path, typer.Option("-o", "--output", help="doccano JSONL to write.")],
) -> None:
    """Exchange-format JSONL → doccano JSONL (entities + relations)."""
    from solieu.corpus import read_documents
    from solieu.doccano import export_documents

    if not source.exists():
        from solieu.errors import InputError

        raise InputError(f"{source}: no such file")
    n = export_documents(read_documents(source), output)
    typer.echo(f"wrote {n} document(s) to {output}", err=True)


@user_errors
def suggest(
    corpus: Annotated[str, typer.Argument(help="Reports: .txt/.md files, a directory of them, or a JSONL of {id, text}.")],
    n: Annotated[int, typer.Option("--n", min=1, help="How many segments to suggest.")] = 50,
    annotated: Annotated[list[Path] | None, typer.Option(
        "--annotated", help="Gold corpora (JSONL files/dirs) whose segments count as done.")] = None,
    model: Annotated[str | None, typer.Option(help="Model directory, or a models dir with promoted.json.")] = None,
    output: Annotated[str, typer.Option("-o", "--output", help="Suggestions JSONL, or - for stdout.")] = "-",
    tasks: Annotated[Path | None, typer.Option(help="Also write them as Label Studio tasks with predictions.")] = None,
    max_similarity: Annotated[float, typer.Option(min=0.0, max=1.0,
                                                  help="Skip a segment this similar to a chosen one.")] = 0.6,
) -> None:
    """Rank unannotated segments by model uncertainty, near-duplicates left out."""
    from solieu.corpus import expand_corpus_paths, read_documents
    from solieu.inputs import read_inputs
    from solieu.labelstudio.tasks import _slice, prediction, task_data
    from solieu.rules import extract as rules_extract
    from solieu.suggest import rank_segments, relation_threshold

    inputs = read_inputs(corpus, stdin=sys.stdin)
    gold = [d for f in expand_corpus_paths(annotated or []) for d in read_documents(f)]
    extract_many, version, pipeline = _pipeline("model", model)
    predicted: dict[str, object] = {}

    def remembering(items):
        for doc in extract_many(items):
            predicted[doc.id] = doc
            yield doc

    chosen = rank_segments(inputs, extract_many=remembering, rules=rules_extract, annotated=gold, n=n,
                           threshold=relation_threshold(pipeline), max_similarity=max_similarity)
    lines = "\n".join(json.dumps(s.as_dict(), ensure_ascii=False) for s in chosen)
    if output == "-":
        if lines:
            typer.echo(lines)
    else:
        Path(output).write_text(lines + ("\n" if lines else ""), encoding="utf-8")
    if tasks is not None:
        out = [{"data": task_data(s.id, s.text, source_id=s.doc_id, source_offset=s.start, uncertainty=s.score),
                "predictions": [prediction(_slice(predicted[s.doc_id], s.start, s.end, s.id), model_version=version)]}
               for s in chosen]
        tasks.write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    typer.echo(f"{len(chosen)} segment(s) suggested from {len(inputs)} report(s)"
               + (f"; tasks in {tasks}" if tasks else ""), err=True)
