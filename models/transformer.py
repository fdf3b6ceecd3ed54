"""`solieu.HFTok2Vec.v1`: a Hugging Face encoder as the pipeline's tok2vec.

The encoder (a hub name such as `vinai/phobert-base-v2` or a local directory)
reads each segment's tokens as pre-split words; its sub-word vectors are
mean-pooled per token and projected to `width`, so the same NER and relation
components sit on top of it as on the CNN. Tokens the encoder's tokenizer
cannot see (whitespace) get zero vectors. Needs the `transformer` extra
(torch, transformers); nothing here is imported by the default pipeline.
"""

from __future__ import annotations

from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import ArgsKwargs, Model, PyTorchWrapper_v2
from thinc.types import Floats2d


def _module(name_or_path: str, width: int):
    import torch
    from transformers import AutoModel

    class WordEncoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(name_or_path)
            self.project = torch.nn.Linear(self.encoder.config.hidden_size, width)

        def forward(self, input_ids, attention_mask, pooling):
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            return self.project(torch.bmm(pooling, hidden))

    return WordEncoder()


@registry.architectures("solieu.HFTok2Vec.v1")
def build_hf_tok2vec(name_or_path: str, width: int = 256, max_length: int = 256) -> Model[list[Doc], list[Floats2d]]:
    import torch
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(name_or_path)
    if not tokenizer.is_fast:
        raise ValueError(f"{name_or_path}: a fast tokenizer is needed to map sub-words to words")

    def convert_inputs(model: Model, docs: list[Doc], is_train: bool):
        words = [[t.text if not t.is_space else tokenizer.unk_token for t in doc] or [tokenizer.unk_token] for doc in docs]
        batch = tokenizer(words, is_split_into_words=True, truncation=True, max_length=max_length,
                          padding=True, return_tensors="pt")
        n_words = max(len(doc) for doc in docs) if docs else 0
        pooling = torch.zeros((len(docs), max(n_words, 1), batch["input_ids"].shape[1]))
        for row, doc in enumerate(docs):
            for sub, word in enumerate(batch.word_ids(row)):
                if word is not None and not doc[word].is_space:
                    pooling[row, word, sub] = 1.0
        pooling = pooling / pooling.sum(dim=2, keepdim=True).clamp(min=1.0)
        kwargs = {"input_ids": batch["input_ids"], "attention_mask": batch["attention_mask"], "pooling": pooling}
        return ArgsKwargs(args=(), kwargs=kwargs), lambda d_inputs: docs

    def convert_outputs(model: Model, inputs_outputs, is_train: bool):
        docs, torch_out = inputs_outputs
        lengths = [len(doc) for doc in docs]
        out = [model.ops.asarray2f(torch_out[i, :n].detach().cpu().numpy()) for i, n in enumerate(lengths)]

        def backprop(d_out: list[Floats2d]) -> ArgsKwargs:
            grad = torch.zeros_like(torch_out)
            for i, d in enumerate(d_out):
                grad[i, : lengths[i]] = torch.from_numpy(model.ops.to_numpy(d)).to(grad.dtype)
            return ArgsKwargs(args=(torch_out,), kwargs={"grad_tensors": grad})

        return out, backprop

    model = PyTorchWrapper_v2(_module(name_or_path, width), convert_inputs=convert_inputs,
                              convert_outputs=convert_outputs)
    model.set_dim("nO", width)
    return model
