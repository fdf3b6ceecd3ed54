"""The numeric backend solieu's models run on.

Nearly all of the model's time is matrix multiplication (the tok2vec's maxout
layers, the NER's precomputed features). thinc multiplies with BLIS by
default; on the 2-core AMD EPYC this project is measured on, numpy's own
OpenBLAS runs the same float32 products about three times faster
(`python benchmarks/throughput.py` prints both). The backend is chosen when a
model is built, because thinc binds a layer to the ops current at that moment:
`solieu train` builds under `model_ops()`, and `load_pipeline` rebinds every layer of the
loaded pipeline (`bind_ops`).

One process uses one BLAS thread: the cores are used by processes (batch
`--n-process`, the service's workers), and two BLAS threads per process would
make each process fight the others for the same cores.

    SOLIEU_GEMM=openblas|blis   (default openblas)
    SOLIEU_BLAS_THREADS=N       (default 1; 0 leaves the BLAS library's own setting)
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from solieu.errors import ConfigError

GEMM_BACKENDS = ("openblas", "blis")
DEFAULT_GEMM = "openblas"


def gemm_backend(name: str | None = None) -> str:
    """The backend `name` names, else SOLIEU_GEMM, else the default; ConfigError for another name."""
    chosen = (name or os.environ.get("SOLIEU_GEMM") or DEFAULT_GEMM).strip().lower()
    if chosen not in GEMM_BACKENDS:
        raise ConfigError(f"SOLIEU_GEMM={chosen!r}: expected one of {', '.join(GEMM_BACKENDS)}")
    return chosen


def blas_threads() -> int:
    raw = os.environ.get("SOLIEU_BLAS_THREADS", "1").strip()
    if not raw.isdigit():
        raise ConfigError(f"SOLIEU_BLAS_THREADS={raw!r}: expected a whole number (0: the BLAS library decides)")
    return int(raw)


def limit_blas_threads(threads: int | None = None) -> None:
    """Cap the BLAS library's threads for this process (0: leave it as it is)."""
    threads = blas_threads() if threads is None else threads
    if threads > 0:
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=threads, user_api="blas")


def cpu_ops(backend: str | None = None):
    from thinc.api import NumpyOps

    return NumpyOps(use_blis=gemm_backend(backend) == "blis")


def bind_ops(nlp, backend: str | None = None) -> None:
    """Every layer of every trainable component of `nlp` on `backend`'s ops; a layer that spaCy
    builds while loading (the NER's resized output layer) would otherwise keep thinc's default."""
    ops = cpu_ops(backend)
    for _name, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is not None and hasattr(model, "walk"):
            for node in model.walk():
                node.ops = ops


@contextmanager
def model_ops(backend: str | None = None) -> Iterator[None]:
    """Models built inside this block multiply with `backend` (see the module docstring)."""
    from thinc.api import get_current_ops, set_current_ops

    previous = get_current_ops()
    set_current_ops(cpu_ops(backend))
    try:
        yield
    finally:
        set_current_ops(previous)


# What names a model that runs on torch in its config (lower-cased): solieu's transformer tok2vec
# and the wrappers of spaCy and thinc. A model whose config names none of these never calls torch.
_TORCH_MARKERS = ("hftok2vec", "torch", "transformer")


def model_needs_torch(model_dir) -> bool:
    config = Path(model_dir) / "config.cfg"
    if not config.is_file():
        return True
    text = config.read_text(encoding="utf-8").lower()
    return any(marker in text for marker in _TORCH_MARKERS)


def keep_torch_out() -> bool:
    """Make `import torch` fail in this process from now on, unless torch is loaded already.

    thinc imports torch when it is imported, whenever torch is installed (the transformer and test
    extras install it), though the CNN models never call it: about 180 MB of resident memory in
    every server worker (317 against 136 MB peak with the shipped model loaded). A server whose
    model needs no torch calls this before spaCy is imported; libraries that look for torch then
    find it absent. True if torch is now kept out."""
    if "torch" not in sys.modules:
        sys.modules["torch"] = None  # what Python reads as "no such module"
    return torch_kept_out()


def torch_kept_out() -> bool:
    return "torch" in sys.modules and sys.modules["torch"] is None
