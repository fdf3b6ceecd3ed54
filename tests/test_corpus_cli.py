import json

from typer.testing import CliRunner

from solieu.cli import app
from tests.conftest import CORPUS

runner = CliRunner()


def test_shipped_corpus_validates():
    result = runner.invoke(app, ["annotations", "validate", str(CORPUS)])
    assert result.exit_code == 0, result.output
    # The five seed reports and at least the 600 out-of-province passages.
    count = int(result.output.split("ok: ")[1].split(" document")[0])
    assert count >= 605


def test_errors_name_file_line_and_entity(tmp_path, tiny_documents):
    good = tiny_documents[0].model_dump(exclude_none=True)
    bad = json.loads(json.dumps(good))
    bad["id"] = "broken"
    bad["entities"][1]["text"] = "Sở Tài chánh"
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps(good, ensure_ascii=False) + "\n" + json.dumps(bad, ensure_ascii=False) + "\n{oops\n",
                    encoding="utf-8")
    result = runner.invoke(app, ["annotations", "validate", str(path)])
    assert result.exit_code == 1
    assert f"{path}:2" in result.output and "e2" in result.output and "Sở Tài chánh" in result.output
    assert f"{path}:3: not valid JSON" in result.output


def test_duplicate_document_ids_are_reported(tmp_path, tiny_documents):
    line = tiny_documents[0].model_dump_json(exclude_none=True)
    path = tmp_path / "dup.jsonl"
    path.write_text(line + "\n" + line + "\n", encoding="utf-8")
    result = runner.invoke(app, ["annotations", "validate", str(path)])
    assert result.exit_code == 1 and "also at" in result.output


def test_missing_path_is_one_line_error():
    result = runner.invoke(app, ["annotations", "validate", "/nonexistent/x.jsonl"])
    assert result.exit_code == 1 and "no such file" in result.output
