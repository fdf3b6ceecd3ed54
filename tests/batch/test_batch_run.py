"""run_batch end to end with the rules extractor: outputs, errors, manifest, resuming."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from solieu.batch import run_batch
from solieu.batch.local import Task, _after_crash
from solieu.batch.progress import LogProgress, NullProgress
from solieu.batch.sources import enumerate_source
from solieu.batch.state import OutputDir, OutputLocked, commit_chunk
from solieu.errors import InputError, ModelError
from solieu.schema import Document

from .conftest import error_records, output_documents, output_ids, write_corpus


def test_every_document_is_written_once_as_a_valid_exchange_document(small_corpus, tmp_path):
    root, ids = small_corpus
    summary = run_batch(str(root), tmp_path / "out", extractor="rules", n_process=2, shard_size=5)
    assert (summary.status, summary.written, summary.failed, summary.pending) == ("complete", 24, 0, 0)
    assert sorted(output_ids(tmp_path / "out")) == ids
    docs = output_documents(tmp_path / "out")
    for doc in docs.values():
        Document.model_validate(doc)  # offsets, relations and values hold the spec's invariants
    assert sum(len(d["entities"]) for d in docs.values()) == summary.manifest["entities"] > 0


def test_batch_output_equals_tagging_each_document_alone(small_corpus, tmp_path):
    from solieu.extractors import load_extractor

    root, ids = small_corpus
    run_batch(str(root), tmp_path / "out", extractor="rules", n_process=2, shard_size=4)
    extract = load_extractor("rules").extract
    docs = output_documents(tmp_path / "out")
    for doc_id in ids[:5]:
        expected = extract((root / doc_id).read_text(encoding="utf-8"), doc_id=doc_id, document_date=None)
        assert docs[doc_id] == json.loads(expected.model_dump_json(exclude_none=True))


def test_bad_documents_are_listed_in_the_errors_file_and_never_stop_the_run(small_corpus, tmp_path):
    from .test_batch_sources import minimal_pdf

    root, ids = small_corpus
    (root / "bad" / "latin1.txt").parent.mkdir()
    (root / "bad" / "latin1.txt").write_bytes("Thu ngân sách".encode("cp1258"))
    (root / "bad" / "corrupt.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog")
    (root / "bad" / "truncated.pdf").write_bytes(minimal_pdf("x")[:80])
    (root / "bad" / "not-a-zip.docx").write_bytes(b"PK\x03\x04 nope")
    (root / "bad" / "huge.txt").write_text("x" * 5000, encoding="utf-8")
    out = tmp_path / "out"
    summary = run_batch(str(root), out, extractor="rules", n_process=2, shard_size=3, max_chars=4000)
    errors = error_records(out)
    assert set(errors) == {"bad/latin1.txt", "bad/corrupt.pdf", "bad/truncated.pdf", "bad/not-a-zip.docx", "bad/huge.txt"}
    assert errors["bad/latin1.txt"]["code"] == "invalid_input" and "not UTF-8" in errors["bad/latin1.txt"]["error"]
    assert errors["bad/huge.txt"]["code"] == "document_too_large"
    for record in errors.values():
        assert record["stage"] == "read" and record["source"].endswith(record["id"])
        if record["id"].endswith((".pdf", ".docx")):
            assert "cannot be read" in record["error"] or "not a " in record["error"]
    assert sorted(output_ids(out)) == ids  # every good document, once
    assert (summary.written, summary.failed) == (24, 5)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["documents"] == {
        "inputs": 29, "written": 24, "failed": 5, "pending": 0, "not_in_source": 0, "ignored_files": 0,
        "duplicates": 0,
    }


def test_manifest_names_the_extractor_and_times_the_run(small_corpus, tmp_path):
    root, _ = small_corpus
    run_batch(str(root), tmp_path / "out", extractor="rules", n_process=1)
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "complete"
    assert manifest["extractor"]["name"] == "solieu.rules" and manifest["extractor"]["version"]
    assert manifest["versions"]["spec"] == "1"
    (run,) = manifest["timings"]["runs"]
    assert run["status"] == "complete" and run["documents"] == 24 and run["seconds"] > 0
    assert run["documents_per_second"] > 0 and run["characters_per_second"] > 0
    assert sum(s["documents"] for s in manifest["shards"]) == 24


def test_a_second_run_tags_only_what_is_new(small_corpus, tmp_path):
    root, ids = small_corpus
    out = tmp_path / "out"
    run_batch(str(root), out, extractor="rules", n_process=2, shard_size=5)
    again = run_batch(str(root), out, extractor="rules", n_process=2, shard_size=5)
    assert again.processed == 0 and again.status == "complete"
    (root / "p00" / "new.txt").write_text("Tháng 5/2024 thu 12 tỷ đồng.", encoding="utf-8")
    third = run_batch(str(root), out, extractor="rules", n_process=2, shard_size=5)
    assert third.processed == 1
    assert sorted(output_ids(out)) == sorted(ids + ["p00/new.txt"])
    assert len(json.loads((out / "manifest.json").read_text(encoding="utf-8"))["timings"]["runs"]) == 2


def test_resuming_with_other_settings_is_refused(small_corpus, tmp_path):
    root, _ = small_corpus
    run_batch(str(root), tmp_path / "out", extractor="rules")
    with pytest.raises(InputError, match="other settings.*document_date"):
        run_batch(str(root), tmp_path / "out", extractor="rules", document_date="2024-06-04")


def test_a_missing_model_is_one_clear_error_before_any_work(small_corpus, tmp_path):
    root, _ = small_corpus
    with pytest.raises(ModelError, match="not a model directory.*--extractor rules"):
        run_batch(str(root), tmp_path / "out", extractor="model", model=str(tmp_path / "no-model"))
    assert not (tmp_path / "out" / "shards").exists()


def test_torn_temporary_files_are_discarded_and_a_lost_index_is_rebuilt(small_corpus, tmp_path):
    root, ids = small_corpus
    out = tmp_path / "out"
    run_batch(str(root), out, extractor="rules", n_process=1, shard_size=5)
    # What a kill during a commit leaves: a half-written temp file, and a shard whose index was not yet written.
    first = sorted((out / "shards").glob("*.jsonl"))[0]
    torn = out / "shards" / "part-r0002-t000000-00.jsonl.4242.tmp"
    torn.write_text(first.read_text(encoding="utf-8")[:300], encoding="utf-8")
    (out / ".state" / "index" / (first.stem + ".ids")).unlink()
    # ... and a document removed from the output, so there is something left to do.
    victim = sorted((out / "shards").glob("*.jsonl"))[-1]
    lines = victim.read_text(encoding="utf-8").splitlines()
    victim.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    again = run_batch(str(root), out, extractor="rules", n_process=1, shard_size=5)
    assert again.processed == 1
    assert not torn.exists()
    assert sorted(output_ids(out)) == ids


def test_two_runs_cannot_write_to_the_same_output(tmp_path):
    out = OutputDir(tmp_path / "out")
    with out.session():
        with pytest.raises(OutputLocked, match="another `solieu batch` is writing here"):
            with OutputDir(tmp_path / "out").session():
                pass


def test_a_document_that_kills_its_worker_alone_is_recorded_and_the_rest_retried(tmp_path):
    root = tmp_path / "corpus"
    ids = write_corpus(root, 6)
    items = enumerate_source(str(root)).items
    out = OutputDir(tmp_path / "out")
    with out.session():
        # The chunk [0:3] had committed its first document before its worker died.
        commit_chunk(out.root, "part-r0001-t000000-00", [(ids[0], json.dumps({"id": ids[0], "text": ""}), 0, 0, 0)], [])
        lost = [Task("part-r0001-t000000", items[0:3]), Task("part-r0001-t000001", items[3:5])]
        retry, crashed, _ = _after_crash(out, lost, NullProgress())
        # Lost with others, nobody is to blame: every uncommitted document is retried alone.
        assert [t.items[0].id for t in retry] == ids[1:5] and all(t.suspect and len(t.items) == 1 for t in retry)
        assert crashed == []
        # Before any document was tagged, a lone suspect is not blamed yet, only retried last.
        assert _after_crash(out, [retry[2]], NullProgress(), blame=False) == ([], [], [retry[2]])
        # Afterwards, a suspect that breaks the pool while alone in it is the culprit.
        retry, crashed, deferred = _after_crash(out, [retry[2]], NullProgress())
        assert retry == deferred == [] and len(crashed) == 1 and crashed[0].failed == 1
        (record,) = out.scan().failed.values()
        assert record["id"] == ids[3] and record["code"] == "worker_crashed"


def test_plain_progress_lines_show_counts_rate_and_eta(small_corpus, tmp_path, capsys):
    import sys

    root, _ = small_corpus
    run_batch(str(root), tmp_path / "out", extractor="rules", progress=LogProgress(sys.stderr, interval_s=0.0))
    err = capsys.readouterr().err
    assert "24 document(s) to tag (0 of 24 already done)" in err
    assert "24/24 documents (100.0%), 0 failed" in err and "docs/s" in err and "ETA" in err


def test_unknown_engine_and_table_format_are_refused(small_corpus, tmp_path):
    root, _ = small_corpus
    with pytest.raises(InputError, match="unknown engine"):
        run_batch(str(root), tmp_path / "out", extractor="rules", engine="spark")
    with pytest.raises(InputError, match="unknown table format"):
        run_batch(str(root), tmp_path / "out", extractor="rules", table="xlsx")
    assert not Path(tmp_path / "out" / "manifest.json").exists()
