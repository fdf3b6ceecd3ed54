"""`--engine ray` on a local Ray instance gives the output of the local engine."""

from __future__ import annotations

import json

import pytest

from solieu.batch import run_batch

from .conftest import error_records, output_documents, output_ids

pytestmark = [
    pytest.mark.slow,
    # Ray Data warns about its own deprecated settings while it copies its context.
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
]


def test_ray_engine_output_equals_local_output(small_corpus, tmp_path):
    pytest.importorskip("ray.data", reason="Ray is not installed (the optional 'ray' extra: pip install 'solieu[ray]')")
    root, ids = small_corpus
    (root / "bad.txt").write_bytes(b"\xff\xfe not utf-8")
    local = run_batch(str(root), tmp_path / "local", extractor="rules", n_process=2, shard_size=4)
    ray_run = run_batch(str(root), tmp_path / "ray", extractor="rules", engine="ray", n_process=2, shard_size=4)

    assert sorted(output_ids(tmp_path / "ray")) == sorted(output_ids(tmp_path / "local")) == ids
    assert output_documents(tmp_path / "ray") == output_documents(tmp_path / "local")
    assert error_records(tmp_path / "ray") == error_records(tmp_path / "local") != {}
    for key in ("written", "failed", "pending"):
        assert getattr(ray_run, key) == getattr(local, key)
    manifest = json.loads((tmp_path / "ray" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["timings"]["runs"][0]["engine"] == "ray"
    assert manifest["entities"] == local.manifest["entities"]

    # Resuming a Ray output: nothing left to do, nothing written twice.
    again = run_batch(str(root), tmp_path / "ray", extractor="rules", engine="ray", n_process=2, shard_size=4)
    assert again.processed == 0 and sorted(output_ids(tmp_path / "ray")) == ids
