"""The model store: a model directory as given, a models directory through its pointer, one error
for what is neither; promotion is atomic and remembers the model it replaces."""

import json

import pytest

from solieu.errors import ModelError
from solieu.model_store import model_directory, read_pointer, resolve_model_path, write_pointer


def _model(path, name, version):
    path.mkdir(parents=True)
    (path / "config.cfg").write_text("[nlp]\n", encoding="utf-8")
    (path / "meta.json").write_text(json.dumps({"name": name, "version": version}), encoding="utf-8")
    return path


def test_a_model_directory_resolves_to_itself_with_its_meta(tmp_path):
    model = _model(tmp_path / "m", "solieu_vi", "0.3.0")
    assert model_directory(model) == (model, {"name": "solieu_vi", "version": "0.3.0"})


def test_a_models_directory_stands_for_its_promoted_model_and_promotion_keeps_the_previous(tmp_path):
    models = tmp_path / "models"
    old = _model(models / "solieu_vi-0.1.0", "solieu_vi", "0.1.0")
    new = _model(models / "solieu_vi-0.1.1", "solieu_vi", "0.1.1")
    write_pointer(models, old, meta={"name": "solieu_vi", "version": "0.1.0"})
    assert resolve_model_path(models) == old
    write_pointer(models, new, meta={"name": "solieu_vi", "version": "0.1.1"}, heldout={"micro_f1": 0.9})
    pointer = read_pointer(models)
    assert pointer["path"] == "solieu_vi-0.1.1" and pointer["previous"] == "solieu_vi-0.1.0"
    assert model_directory(models)[1]["version"] == "0.1.1"
    assert not list(models.glob(".promoted-*")), "the temporary pointer was left behind"


def test_a_model_outside_the_models_directory_is_stored_by_absolute_path(tmp_path):
    outside = _model(tmp_path / "elsewhere", "x", "1.0.0")
    write_pointer(tmp_path / "models", outside, meta={})
    assert resolve_model_path(tmp_path / "models") == outside.resolve()


@pytest.mark.parametrize("pointer, match", [("{not json", "not valid JSON"), ('{"name": "x"}', "expected an object with 'path'")])
def test_a_broken_pointer_is_a_model_error_naming_the_file(tmp_path, pointer, match):
    (tmp_path / "promoted.json").write_text(pointer, encoding="utf-8")
    with pytest.raises(ModelError, match=match):
        model_directory(tmp_path)


def test_a_directory_that_is_no_model_says_so(tmp_path):
    with pytest.raises(ModelError, match="not a model directory"):
        model_directory(tmp_path)
