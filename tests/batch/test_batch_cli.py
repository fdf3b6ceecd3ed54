"""The typer command: arguments to run_batch, user errors as one line and exit code 1."""

from __future__ import annotations

import json

import typer
from typer.testing import CliRunner

from solieu.cli_commands.batch import batch

from .conftest import output_ids

app = typer.Typer()
app.command("batch")(batch)  # as solieu/cli.py registers it
app.command("other")(lambda: None)  # two commands, so that `batch` is a subcommand as in solieu's CLI


def test_batch_command_tags_a_directory_and_reports_a_summary(small_corpus, tmp_path):
    root, ids = small_corpus
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["batch", str(root), "-o", str(out), "--extractor", "rules", "-j", "2", "--shard-size", "5",
              "--table", "csv", "--no-progress"],
    )
    assert result.exit_code == 0, result.output
    assert "complete: 24 of 24 document(s)" in result.output
    assert sorted(output_ids(out)) == ids
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["table"] == "figures.csv"
    assert (out / "figures.csv").is_file()


def test_user_errors_are_one_line_and_exit_code_1(tmp_path):
    result = CliRunner().invoke(app, ["batch", str(tmp_path / "missing"), "-o", str(tmp_path / "out"),
                                      "--extractor", "rules"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"error: {tmp_path / 'missing'}: no such file or directory, and not a glob pattern"
    ]
    assert "Traceback" not in result.output
