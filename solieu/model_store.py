"""Where models live: the one module that resolves a model path, reads a model's meta, and
reads and writes the promotion pointer. `serve`, batch, `retrain`, `assemble` and
`load_pipeline` all go through it.

A *model directory* holds `config.cfg` (and `meta.json`); a *models directory* holds
versioned model directories and, once `solieu retrain` has promoted one, `promoted.json`:
`{"path": "<dir name or absolute path>", "name", "version", "promoted_at", "previous", "heldout"}`.
A models directory holding the pointer stands for the model it points at.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from importlib import resources
from pathlib import Path

from solieu.errors import ModelError

DEFAULT_MODEL_NAME = "solieu_vi_default"
PROMOTED_POINTER = "promoted.json"


def shipped_models_dir() -> Path:
    return Path(str(resources.files("solieu.models") / "trained"))


def default_model_path() -> Path:
    """The shipped models directory when a model was promoted in it (resolved at
    load time, so that a reload picks up a newer promotion), else the shipped model."""
    trained = shipped_models_dir()
    return trained if (trained / PROMOTED_POINTER).is_file() else trained / DEFAULT_MODEL_NAME


def read_json(path: Path) -> dict | None:
    """A JSON file a model directory holds, None when it is absent; ModelError naming it when broken."""
    path = Path(path)
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise ModelError(f"{path}: not valid JSON: {e.msg}") from e


def read_pointer(models_dir: Path) -> dict | None:
    """The promotion pointer of `models_dir`, None when there is none; ModelError when it is broken."""
    pointer = Path(models_dir) / PROMOTED_POINTER
    data = read_json(pointer)
    if data is None:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("path"), str):
        raise ModelError(f"{pointer}: expected an object with 'path'")
    return data


def write_pointer(models_dir: Path, model_dir: Path, *, meta: dict, heldout: dict | None = None) -> Path:
    """Promote `model_dir`: point models_dir/promoted.json at it, atomically (write beside, then
    rename), remembering the model it replaces."""
    models_dir = Path(models_dir)
    models_dir.mkdir(parents=True, exist_ok=True)
    previous = read_pointer(models_dir)
    model_dir = Path(model_dir).resolve()
    try:
        stored = str(model_dir.relative_to(models_dir.resolve()))
    except ValueError:
        stored = str(model_dir)
    data = {"path": stored, "name": meta.get("name"), "version": meta.get("version"),
            "promoted_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "previous": previous.get("path") if previous else None, "heldout": heldout}
    fd, tmp = tempfile.mkstemp(dir=models_dir, prefix=".promoted-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=2)
    os.replace(tmp, models_dir / PROMOTED_POINTER)
    return models_dir / PROMOTED_POINTER


def resolve_model_path(path: str | Path) -> Path:
    """A model directory as given; a models directory holding promoted.json: the promoted model."""
    path = Path(path)
    if (path / "config.cfg").is_file():
        return path
    pointer = read_pointer(path)
    if pointer is None:
        return path
    target = Path(pointer["path"])
    return target if target.is_absolute() else path / target


def read_meta(model_dir: Path) -> dict:
    return read_json(Path(model_dir) / "meta.json") or {}


def write_meta(model_dir: Path, meta: dict) -> None:
    (Path(model_dir) / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")


def model_directory(path: str | Path | None = None) -> tuple[Path, dict]:
    """The model directory `path` names (default: the shipped or promoted model) and its
    meta, without loading it; ModelError when it is not a model directory."""
    model_path = resolve_model_path(Path(path) if path is not None else default_model_path())
    if not (model_path / "config.cfg").is_file():
        raise ModelError(f"{model_path}: not a model directory (no config.cfg); train one with `solieu train`, "
                         "or pass another model directory")
    return model_path, read_meta(model_path)
