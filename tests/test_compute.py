"""The numeric backend is chosen by name or environment, and a wrong name is a one-line error."""

import pytest

from solieu.compute import blas_threads, gemm_backend, model_ops
from solieu.errors import ConfigError


def test_backend_from_argument_environment_and_default(monkeypatch):
    monkeypatch.delenv("SOLIEU_GEMM", raising=False)
    assert gemm_backend() == "openblas"
    monkeypatch.setenv("SOLIEU_GEMM", "BLIS")
    assert gemm_backend() == "blis"
    assert gemm_backend("openblas") == "openblas"


@pytest.mark.parametrize("name", ["mkl", "cuda", "open blas"])
def test_unknown_backend_is_a_config_error(monkeypatch, name):
    monkeypatch.setenv("SOLIEU_GEMM", name)
    with pytest.raises(ConfigError, match="SOLIEU_GEMM"):
        gemm_backend()


def test_blas_threads_must_be_a_whole_number(monkeypatch):
    monkeypatch.setenv("SOLIEU_BLAS_THREADS", "2")
    assert blas_threads() == 2
    monkeypatch.setenv("SOLIEU_BLAS_THREADS", "two")
    with pytest.raises(ConfigError, match="SOLIEU_BLAS_THREADS"):
        blas_threads()


def test_models_built_inside_the_block_use_its_ops_and_the_previous_ops_return():
    from thinc.api import Linear, get_current_ops

    before = get_current_ops()
    with model_ops("openblas"):
        layer = Linear(4, 3)
    with model_ops("blis"):
        other = Linear(4, 3)
    assert layer.ops.use_blis is False and other.ops.use_blis is True
    assert get_current_ops() is before


def _in_fresh_process(code: str, **env) -> str:
    import os
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                          env={**os.environ, **env})
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip().splitlines()[-1]


def test_a_server_of_a_cnn_model_keeps_torch_out():
    # The app factory of a server process: the shipped model needs no torch, so none is loaded.
    code = ("import sys; from solieu.service.app import create_app_from_env; create_app_from_env(); "
            "import spacy; from solieu.pipeline import load_pipeline; load_pipeline(None); "
            "print(sys.modules.get('torch', 'absent'))")
    assert _in_fresh_process(code, SOLIEU_EXTRACTOR="model") == "None"


def test_a_model_that_needs_torch_is_refused_with_a_reason_once_torch_is_kept_out(tmp_path):
    from solieu.compute import model_needs_torch
    from solieu.model_store import default_model_path

    assert not model_needs_torch(default_model_path())
    model = tmp_path / "hf"
    model.mkdir()
    (model / "config.cfg").write_text('[components.tok2vec.model]\n@architectures = "solieu.HFTok2Vec.v1"\n')
    (model / "meta.json").write_text('{"name": "hf", "version": "0.0.1", "lang": "vi"}')
    assert model_needs_torch(model)
    code = ("from solieu.compute import keep_torch_out; from solieu.errors import ModelError; "
            "from solieu.pipeline import load_pipeline; keep_torch_out()\n"
            f"try:\n    load_pipeline({str(model)!r})\nexcept ModelError as e:\n    print('refused:', e)")
    assert "runs on torch" in _in_fresh_process(code)
