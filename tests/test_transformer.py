"""The transformer variant on a tiny random encoder built here (no hub access)."""

import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")

from solieu.training.train import train  # noqa: E402

from solieu.corpus import write_documents  # noqa: E402
from solieu.pipeline import load_pipeline  # noqa: E402
from tests.conftest import _SENTENCES, REPO, make_document  # noqa: E402


@pytest.fixture(scope="module")
def tiny_encoder(tmp_path_factory):
    from transformers import BertConfig, BertModel, BertTokenizerFast

    from solieu.text.tokenizer import tokenize_words

    path = tmp_path_factory.mktemp("encoder")
    words = sorted({w.lower() for s, _, _ in _SENTENCES for w in tokenize_words(s)[0] if not w.isspace()})
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *words]
    (path / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    BertTokenizerFast(vocab_file=str(path / "vocab.txt"), do_lower_case=True).save_pretrained(path)
    config = BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=64, max_position_embeddings=256)
    BertModel(config).save_pretrained(path)
    return path


def test_transformer_config_trains_and_loads(tmp_path, tiny_encoder):
    docs = [make_document(f"tiny-{i}", _SENTENCES[i:] + _SENTENCES[:i]) for i in range(len(_SENTENCES))]
    corpus = tmp_path / "tiny.jsonl"
    write_documents(docs, corpus)
    result = train(REPO / "training" / "transformer.cfg", train_paths=str(corpus), dev_paths=str(corpus),
                   output=tmp_path / "model",
                   overrides={"paths.encoder": str(tiny_encoder), "components.tok2vec.model.width": 32,
                              "training.max_steps": 12, "training.eval_frequency": 6, "training.optimizer.learn_rate": 0.001})
    assert result.meta["solieu"]["config"] == "transformer.cfg"
    pipeline = load_pipeline(result.output)
    out = pipeline.extract(docs[0].text, doc_id="x")
    assert out.text == docs[0].text
    for entity in out.entities:
        assert docs[0].text[entity.start : entity.end] == entity.text
    # The encoder's weights were trained and saved with the pipeline, not re-read from the hub.
    assert any(p.name.startswith("model") for p in (result.output / "tok2vec").iterdir())
