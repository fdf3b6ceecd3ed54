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
