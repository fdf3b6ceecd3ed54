"""The small public API a user learns in a minute: solieu.load(), .extract(text), .extract_many(...)."""

import pytest

import solieu
from solieu.errors import ModelError


def test_load_rules_extract_and_extract_many():
    nlp = solieu.load("rules")
    doc = nlp.extract("Tính đến ngày 14/05/2025 thu được 17.271 triệu đồng, đạt 55,3% dự toán.")
    assert isinstance(doc, solieu.Document)
    assert {e.label for e in doc.entities} == {"DATE", "MONEY", "PERCENT"}
    docs = list(nlp.extract_many([solieu.DocumentInput(id="a", text="Thu 5 tỷ đồng."),
                                  solieu.DocumentInput(id="b", text="Chi 3 tỷ đồng.")]))
    assert [d.id for d in docs] == ["a", "b"]


@pytest.mark.slow
def test_load_defaults_to_the_shipped_model():
    nlp = solieu.load()
    assert nlp.version == solieu.__version__
    assert nlp.extract("Sở Tài chính tỉnh Nghệ An đã giải ngân 12 tỷ đồng.").entities


def test_a_missing_model_is_a_model_error(tmp_path):
    with pytest.raises(ModelError, match="not a model directory"):
        solieu.load(str(tmp_path))


def test_unknown_attribute_is_an_attribute_error():
    with pytest.raises(AttributeError):
        solieu.nothing_here  # noqa: B018


@pytest.mark.parametrize("name", ["rules", "underthesea"])
def test_the_registry_loads_every_baseline_behind_one_interface(name):
    from solieu.extractors import load_extractor
    from solieu.interface import PipelineInterface

    pipeline = load_extractor(name)
    assert isinstance(pipeline, PipelineInterface)
    assert pipeline.meta["solieu"]["spec_version"] and pipeline.version
    assert callable(pipeline.extract) and callable(pipeline.extract_many)


def test_an_unknown_extractor_is_a_one_line_input_error():
    from solieu.errors import InputError
    from solieu.extractors import load_extractor

    with pytest.raises(InputError, match="choose one of model, rules, underthesea"):
        load_extractor("spacy")
