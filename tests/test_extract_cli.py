import csv
import io
import json

import pytest
from typer.testing import CliRunner

from solieu.cli import app
from solieu.inputs import read_inputs

runner = CliRunner()
TEXT_A = "Tính đến ngày 15/06/2024, Sở Tài chính đã giải ngân 12.500 triệu đồng, đạt 45,2% kế hoạch.\n"
TEXT_B = "## Báo cáo\n\nTrong tháng 5/2024 thu ngân sách được 8.200 triệu đồng<sup>1</sup>.\n"


def _lines(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _check_offsets(record):
    for entity in record["entities"]:
        assert record["text"][entity["start"] : entity["end"]] == entity["text"]


def test_directory_in_path_order_with_paths_as_ids(tmp_path):
    src = tmp_path / "reports"
    (src / "sub").mkdir(parents=True)
    (src / "b.md").write_text(TEXT_B, encoding="utf-8")
    (src / "sub" / "a.txt").write_text(TEXT_A, encoding="utf-8")
    (src / "ignored.csv").write_text("x", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["extract", str(src), "-o", str(out), "--extractor", "rules"])
    assert result.exit_code == 0, result.output
    records = _lines(out)
    assert [r["id"] for r in records] == [str(src / "b.md"), str(src / "sub" / "a.txt")]
    for record in records:
        _check_offsets(record)
    assert any(e["label"] == "MONEY" for e in records[1]["entities"])


def test_jsonl_keeps_ids_and_order(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps({"id": i, "text": t}, ensure_ascii=False)
                             for i, t in [("z", TEXT_A), ("a", TEXT_B), ("m", TEXT_A)]) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["extract", str(src), "-o", str(out), "--extractor", "rules"])
    assert result.exit_code == 0, result.output
    assert [r["id"] for r in _lines(out)] == ["z", "a", "m"]


def test_stdin_to_stdout_with_the_default_model():
    result = runner.invoke(app, ["extract", "-", "-o", "-"], input=TEXT_A)
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout.strip().splitlines()[-1])
    assert record["id"] == "<stdin>" and record["text"] == TEXT_A
    _check_offsets(record)
    assert {e["label"] for e in record["entities"]} >= {"MONEY", "PERCENT", "DATE"}


def test_two_processes_give_the_same_output(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps({"id": str(i), "text": TEXT_A if i % 2 else TEXT_B}, ensure_ascii=False)
                             for i in range(6)) + "\n", encoding="utf-8")
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    assert runner.invoke(app, ["extract", str(src), "-o", str(one), "--extractor", "rules"]).exit_code == 0
    assert runner.invoke(app, ["extract", str(src), "-o", str(two), "--extractor", "rules", "--n-process", "2"]).exit_code == 0
    assert one.read_text(encoding="utf-8") == two.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "content, message",
    [("{\"id\": \"a\", \"text\": \"x\"}\n{broken\n", ":2: not valid JSON"),
     ("{\"id\": \"a\", \"text\": \"x\"}\n{\"id\": \"b\"}\n", ":2: text"),
     ("{\"id\": \"a\", \"text\": \"x\"}\n{\"id\": \"a\", \"text\": \"y\"}\n", "already used"),
     ("{\"id\": \"a\", \"text\": \"x\"}\n{\"id\": \"b\", \"text\": \"  \"}\n", ":2: the text is empty")],
    ids=["bad-json", "no-text", "duplicate-id", "empty-text"],
)
def test_bad_jsonl_lines_are_listed_and_the_rest_is_written(tmp_path, content, message):
    src = tmp_path / "in.jsonl"
    src.write_text(content, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["extract", str(src), "-o", str(out), "--extractor", "rules"])
    assert result.exit_code == 1
    assert message in result.output and "1 could not be read or extracted" in result.output
    assert [r["id"] for r in _lines(out)] == ["a"]


def test_a_directory_goes_on_past_bad_and_empty_files(tmp_path):
    src = tmp_path / "reports"
    src.mkdir()
    (src / "a.txt").write_text(TEXT_A, encoding="utf-8")
    (src / "b.txt").write_bytes(b"ok \xff\xfe broken")
    (src / "c.md").write_text("   \n", encoding="utf-8")
    (src / "d.md").write_text(TEXT_B, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["extract", str(src), "-o", str(out), "--extractor", "rules"])
    assert result.exit_code == 1
    assert [r["id"] for r in _lines(out)] == [str(src / "a.txt"), str(src / "d.md")]
    assert "b.txt: not UTF-8" in result.output and "c.md: the text is empty" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("args", "message"), [
    (["--document-date", "2024-13-45"], "--document-date: '2024-13-45' is not a calendar date"),
    (["-o", "/nonexistent-folder/x.jsonl"], "does not exist"),
    (["--extractor", "magic"], "unknown extractor"),
])
def test_bad_options_are_one_line_before_any_work(tmp_path, args, message):
    src = tmp_path / "a.txt"
    src.write_text(TEXT_A, encoding="utf-8")
    result = runner.invoke(app, ["extract", str(src), "--extractor", "rules", *args])
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output


def test_undecodable_file_is_named(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"ok \xff\xfe broken")
    result = runner.invoke(app, ["extract", str(bad), "-o", str(tmp_path / "o.jsonl"), "--extractor", "rules"])
    assert result.exit_code == 1 and "bad.txt: not UTF-8" in result.output


def test_unknown_extractor_is_one_line_error(tmp_path):
    result = runner.invoke(app, ["extract", "-", "--extractor", "magic"], input="x")
    assert result.exit_code == 1 and "unknown extractor" in result.output


def test_stdin_jsonl_is_recognised():
    docs = read_inputs("-", stdin=io.StringIO(json.dumps({"id": "q", "text": "a"}) + "\n"))
    assert [d.id for d in docs] == ["q"]


def test_a_figures_table_beside_the_output_with_each_figure_and_its_confidence(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps({"id": i, "text": t}, ensure_ascii=False)
                             for i, t in [("a", TEXT_A), ("b", TEXT_B)]) + "\n", encoding="utf-8")
    out, table = tmp_path / "out.jsonl", tmp_path / "figures.csv"
    result = runner.invoke(app, ["extract", str(src), "-o", str(out), "--table", str(table)])
    assert result.exit_code == 0, result.output
    figures = [(r["id"], e) for r in _lines(out) for e in r["entities"] if e["label"] in ("MONEY", "PERCENT")]
    with open(table, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["document"], r["figure"]) for r in rows] == [(doc_id, e["text"]) for doc_id, e in figures]
    assert f"{len(rows)} figure(s) to {table}" in result.output
    # The shipped model scores every figure: the table carries the same confidence as the JSON.
    assert [float(r["score"]) for r in rows] == [e["score"] for _, e in figures]


def test_a_table_path_that_cannot_be_written_is_refused_before_any_work(tmp_path):
    src = tmp_path / "in.txt"
    src.write_text(TEXT_A, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["extract", str(src), "-o", str(out), "--extractor", "rules",
                                 "--table", str(tmp_path / "figures.xlsx")])
    assert result.exit_code != 0
    assert "written as .csv or .parquet, not .xlsx" in result.output
    assert not out.exists()


def test_figures_turns_exchange_format_files_into_a_table(tmp_path):
    src = tmp_path / "in.txt"
    src.write_text(TEXT_A, encoding="utf-8")
    out, table = tmp_path / "out.jsonl", tmp_path / "figures.csv"
    assert runner.invoke(app, ["extract", str(src), "-o", str(out), "--extractor", "rules"]).exit_code == 0
    result = runner.invoke(app, ["figures", str(out), str(out), "-o", str(table)])
    assert result.exit_code == 0, result.output
    with open(table, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    figures = [e["text"] for r in _lines(out) for e in r["entities"] if e["label"] in ("MONEY", "PERCENT")]
    assert [r["figure"] for r in rows] == figures * 2 and len(figures) == 2
    assert f"wrote {len(rows)} figure(s) from 2 file(s)" in result.output


def test_figures_writes_nothing_when_a_line_is_not_a_document(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "text": "x", "entities": [{"id": "e1"}]}\n', encoding="utf-8")
    result = runner.invoke(app, ["figures", str(bad), "-o", str(tmp_path / "figures.csv")])
    assert result.exit_code == 1
    assert f"{bad}:1: not an exchange-format document" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.jsonl"]


def test_figures_refuses_a_missing_file_and_a_folder(tmp_path):
    missing = runner.invoke(app, ["figures", str(tmp_path / "nope.jsonl"), "-o", str(tmp_path / "f.csv")])
    assert missing.exit_code == 1 and "no such file" in missing.output
    folder = runner.invoke(app, ["figures", str(tmp_path), "-o", str(tmp_path / "f.csv")])
    assert folder.exit_code == 1 and "is a directory" in folder.output
