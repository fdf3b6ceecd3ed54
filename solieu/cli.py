"""The `solieu` command line: thin commands over library functions.

Each command parses its arguments, calls one library function and formats
the result; a SolieuError becomes one line on stderr and exit code 1.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from solieu.cli_commands import user_errors
from solieu.cli_commands.batch import batch
from solieu.cli_commands.labelstudio import labelstudio_app, suggest
from solieu.cli_commands.retrain import retrain
from solieu.cli_commands.serve import serve
from solieu.errors import SolieuError

app = typer.Typer(help="Figures out of Vietnamese socio-economic reports.", no_args_is_help=True, add_completion=False)
annotations_app = typer.Typer(help="Work with annotated corpora.", no_args_is_help=True)
app.add_typer(annotations_app, name="annotations")
app.command("serve")(serve)
app.command("batch")(batch)
app.add_typer(labelstudio_app, name="labelstudio")
app.command("retrain")(retrain)
annotations_app.command("suggest")(suggest)


def _existing(path: Path) -> Path:
    if not path.exists():
        raise SolieuError(f"{path}: no such file or directory")
    return path


@annotations_app.command("validate")
@user_errors
def annotations_validate(
    paths: Annotated[list[Path], typer.Argument(help="JSONL files or directories of them.")],
) -> None:
    """Check corpora against the schema and the spec's invariants."""
    from solieu.corpus import expand_corpus_paths, validate_files

    files = expand_corpus_paths([_existing(p) for p in paths])
    count, problems = validate_files(files)
    for problem in problems:
        typer.echo(problem, err=True)
    if problems:
        typer.echo(f"{len(problems)} problem(s) in {len(files)} file(s)", err=True)
        raise typer.Exit(1)
    typer.echo(f"ok: {count} document(s) in {len(files)} file(s)")


@annotations_app.command("check")
@user_errors
def annotations_check(
    paths: Annotated[list[Path], typer.Argument(help="JSONL files or directories of them.")],
) -> None:
    """Consistency check: label conflicts, unlabelled repeats, values the normaliser reads otherwise."""
    from solieu.consistency import find_inconsistencies, format_findings
    from solieu.corpus import expand_corpus_paths, read_documents

    docs = [doc for f in expand_corpus_paths([_existing(p) for p in paths]) for doc in read_documents(f)]
    typer.echo(format_findings(find_inconsistencies(docs)))


@annotations_app.command("split")
@user_errors
def annotations_split(
    output: Annotated[Path, typer.Option("-o", "--output", help="Folder for train.jsonl, dev.jsonl, test.jsonl.")],
    corpus: Annotated[list[Path] | None, typer.Argument(help="Corpus files or folders (default: annotations/corpus).")] = None,
    manifest: Annotated[Path, typer.Option(help="The split manifest.")] = Path("annotations/splits.json"),
) -> None:
    """Write the corpus's train, dev and test splits as the manifest assigns them."""
    from solieu.splits import write_split_files

    counts = write_split_files([_existing(p) for p in corpus or [Path("annotations/corpus")]], _existing(manifest), output)
    typer.echo(", ".join(f"{split}: {n} document(s)" for split, n in counts.items()) + f" -> {output}")


@app.command("evaluate")
@user_errors
def evaluate_cmd(
    gold: Annotated[Path, typer.Argument(help="Gold JSONL corpus.")],
    predicted: Annotated[Path | None, typer.Argument(help="Predicted JSONL (omit with --model or --extractor).")] = None,
    model: Annotated[str | None, typer.Option(help="Run this model on the gold texts and score it.")] = None,
    extractor: Annotated[str | None, typer.Option(help="Score a built-in extractor: model, rules, nearest, underthesea.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Strict span, relation and value scores of predictions against gold."""
    from solieu.corpus import read_documents
    from solieu.evaluate import evaluate, format_table

    gold_docs = read_documents(_existing(gold))
    if predicted is not None:
        pred_docs = read_documents(_existing(predicted))
    else:
        from solieu.extractors import load_extractor

        run = load_extractor(extractor or "model", model=model).extract
        pred_docs = [run(doc.text, doc_id=doc.id) for doc in gold_docs]
    report = evaluate(gold_docs, pred_docs)
    if as_json:
        typer.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        typer.echo(format_table(report, title=f"{gold} ({report.documents} document(s))"))


@app.command("extract")
@user_errors
def extract_cmd(
    source: Annotated[str, typer.Argument(help="A .txt/.md file, a directory of them, a JSONL of {id, text}, or - for stdin.")],
    output: Annotated[str, typer.Option("-o", "--output", help="Output JSONL, or - for stdout.")] = "-",
    model: Annotated[str | None, typer.Option(help="Model directory (default: the shipped model).")] = None,
    extractor: Annotated[str, typer.Option(help="model, rules, nearest or underthesea.")] = "model",
    n_process: Annotated[int, typer.Option("--n-process", min=1, help="Worker processes.")] = 1,
    document_date: Annotated[str | None, typer.Option(help="YYYY-MM-DD, gives year-less dates a year.")] = None,
    table: Annotated[str | None, typer.Option(
        "--table", help="Also write every figure, with its value, owner, date and confidence, to this .csv or "
                        ".parquet file, one row each.")] = None,
) -> None:
    """Tag documents; one exchange-format object per input document, in input order."""
    from solieu.extractors import check_extractor_name
    from solieu.inputs import check_document_date, collect_inputs
    from solieu.runner import check_output_path, extract_all

    check_document_date(document_date, "--document-date")
    check_extractor_name(extractor)
    check_output_path(output)
    if table is not None:
        from solieu.figures import check_table_path

        check_table_path(table)
    batch = collect_inputs(source, stdin=sys.stdin)
    report = extract_all(
        batch.documents, output=output, extractor=extractor, model=model, n_process=n_process,
        document_date=document_date, progress=sys.stderr.isatty() and output != "-", table=table,
    )
    skipped = batch.problems + report.failures
    for problem in skipped:
        typer.echo(f"error: {problem}", err=True)
    where = f" to {output}" if output != "-" else ""
    if report.figures is not None:
        where += f", {report.figures} figure(s) to {table}"
    typer.echo(f"wrote {report.written} document(s){where}"
               + (f"; {len(skipped)} could not be read or extracted (listed above)" if skipped else ""), err=True)
    if skipped:
        raise typer.Exit(1)


@app.command("figures")
@user_errors
def figures_cmd(
    sources: Annotated[list[Path], typer.Argument(
        help="Exchange-format JSONL: solieu extract's output, a batch run's shards/*.jsonl, an annotated corpus.")],
    output: Annotated[str, typer.Option("-o", "--output", help="The table to write: a .csv or .parquet file.")],
) -> None:
    """Every figure of exchange-format documents as one row of a table (value, owner, date, confidence)."""
    from solieu.figures import check_table_path, export_figures

    check_table_path(output, option="-o")
    paths = [_existing(p) for p in sources]
    for path in paths:
        if path.is_dir():
            raise SolieuError(f"{path}: is a directory; give its JSONL files (e.g. {path}/*.jsonl)")
    rows = export_figures(paths, Path(output))
    typer.echo(f"wrote {rows} figure(s) from {len(paths)} file(s) to {output}", err=True)


@app.command("train")
@user_errors
def train_cmd(
    config: Annotated[Path, typer.Argument(help="Training config, e.g. training/default.cfg.")],
    train: Annotated[str, typer.Option("--train", help="Training JSONL file(s)/dir(s), comma-separated.")],
    dev: Annotated[str, typer.Option("--dev", help="Dev JSONL for early stopping and model selection.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Model directory to write.")],
    test: Annotated[str | None, typer.Option("--test", help="Held-out JSONL scored once, after training.")] = None,
    name: Annotated[str | None, typer.Option(help="Model name in meta.json (default: output dir name).")] = None,
    version: Annotated[str, typer.Option(help="Model version in meta.json.")] = "0.1.0",
    override: Annotated[list[str] | None, typer.Option("--set", help="Config override KEY=VALUE (JSON value).")] = None,
) -> None:
    """Train a pipeline from a config; writes the model with its meta and scores."""
    from solieu.training.train import parse_overrides
    from solieu.training.train import train as run_training

    result = run_training(_existing(config), train_paths=train, dev_paths=dev, output=output, test_paths=test,
                          name=name, version=version, overrides=parse_overrides(override or []))
    scores = result.meta["solieu"]
    for split in ("dev_scores", "test_scores"):
        if split in scores:
            micro = scores[split]["entities_micro"]["f1"]
            rels = {k: v["f1"] for k, v in scores[split]["relations"].items()}
            if scores.get("scored_on") == "gold entities":
                typer.echo(f"{split}: relations F1 on gold entities {rels}")
            else:
                typer.echo(f"{split}: entities micro F1 {micro:.3f}, relations F1 {rels}")
    typer.echo(f"model written to {result.output}")


@app.command("assemble")
@user_errors
def assemble_cmd(
    ner_model: Annotated[Path, typer.Option("--entities", help="Model whose pipeline and NER are kept.")],
    relation_model: Annotated[Path, typer.Option("--relations", help="Model whose relation component is taken.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Model directory to write.")],
    dev: Annotated[str, typer.Option("--dev", help="Dev JSONL: relation thresholds are tuned on it.")],
    test: Annotated[str | None, typer.Option("--test", help="Held-out JSONL scored once.")] = None,
    name: Annotated[str | None, typer.Option(help="Model name in meta.json.")] = None,
    version: Annotated[str, typer.Option(help="Model version in meta.json.")] = "0.1.0",
) -> None:
    """Combine the NER of one trained model with the relation component of another."""
    from solieu.training.assemble import assemble

    meta = assemble(_existing(ner_model), _existing(relation_model), output=output, dev_paths=dev,
                    test_paths=test, name=name, version=version)
    for split in ("dev_scores", "test_scores"):
        if split in meta["solieu"]:
            scores = meta["solieu"][split]
            rels = {k: v["f1"] for k, v in scores["relations"].items()}
            typer.echo(f"{split}: entities micro F1 {scores['entities_micro']['f1']:.3f}, relations F1 {rels}")
    typer.echo(f"model written to {output}")


@app.command("calibrate")
@user_errors
def calibrate_cmd(
    model: Annotated[Path, typer.Argument(help="Model directory to give a calibrated confidence.")],
    on: Annotated[str, typer.Option("--on", help="Held-out gold JSONL file(s)/dir(s), comma-separated.")],
    predictions_from: Annotated[Path | None, typer.Option(
        "--predictions-from", help="Predict with this model (same recipe, not trained on --on) instead of MODEL.")] = None,
) -> None:
    """Fit the confidence of every entity and relation on held-out documents; writes confidence.json."""
    from solieu.training.calibrate import calibrate

    report = calibrate(_existing(model), on=on, predictions_from=predictions_from)
    for kind in ("entities", "relations"):
        s = report[kind]
        typer.echo(f"{kind}: {s['n']} predictions, {s['accuracy']:.3f} right; cross-fitted ECE {s['ece']:.3f}, "
                   f"AUROC {s['auroc']}")
    typer.echo(f"calibrator written to {model / 'confidence.json'}")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
