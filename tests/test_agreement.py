"""agreement() and disagreements() on two tiny inline annotations of one text."""

from __future__ import annotations

import pytest

from solieu.agreement import agreement, disagreements
from solieu.errors import InputError
from solieu.schema import Document

TEXT = "Năm 2025 Sở Xây dựng chi 5 tỷ đồng, đạt 50% cho dự án Cầu Kỳ Cùng và UBND tỉnh."


def span(eid, piece, label, value=None):
    start = TEXT.index(piece)
    return {"id": eid, "start": start, "end": start + len(piece), "label": label, "text": piece, "value": value}


MONEY = {"amount": 5_000_000_000, "currency": "VND"}
YEAR = {"start": "2025-01-01", "end": "2025-12-31"}

A = Document.model_validate({
    "id": "x", "text": TEXT,
    "entities": [span("e1", "Năm 2025", "DATE", YEAR), span("e2", "Sở Xây dựng", "AGENCY"),
                 span("e3", "5 tỷ đồng", "MONEY", MONEY), span("e4", "50%", "PERCENT", {"value": 50}),
                 span("e5", "Cầu Kỳ Cùng", "PROJECT"), span("e6", "UBND tỉnh", "AGENCY")],
    "relations": [{"head": "e3", "tail": "e1", "label": "AS_OF"}, {"head": "e4", "tail": "e1", "label": "AS_OF"},
                  {"head": "e3", "tail": "e2", "label": "BELONGS_TO"}],
})
# B: the date without its time word, no UBND tỉnh, the project named as a PROJECT too,
# the money owned by the project, and a wrong percent value.
B = Document.model_validate({
    "id": "y", "text": TEXT,
    "entities": [span("b1", "2025", "DATE", YEAR), span("b2", "Sở Xây dựng", "AGENCY"),
                 span("b3", "5 tỷ đồng", "MONEY", MONEY), span("b4", "50%", "PERCENT", {"value": 5}),
                 span("b5", "Cầu Kỳ Cùng", "PROJECT")],
    "relations": [{"head": "b3", "tail": "b1", "label": "AS_OF"}, {"head": "b4", "tail": "b1", "label": "AS_OF"},
                  {"head": "b3", "tail": "b5", "label": "BELONGS_TO"}],
})


def test_per_label_and_micro_f1():
    result = agreement(A, B)
    ents = result["entities"]
    assert ents["MONEY"]["f1"] == 1.0 and ents["PERCENT"]["f1"] == 1.0 and ents["PROJECT"]["f1"] == 1.0
    assert ents["DATE"]["f1"] == 0.0  # strict spans: `Năm 2025` is not `2025`
    assert ents["AGENCY"]["f1"] == pytest.approx(2 * 1 * 0.5 / 1.5, abs=1e-4)  # P 1, R 1/2
    micro = result["entities_micro"]
    assert (micro["tp"], micro["fp"], micro["fn"]) == (4, 1, 2)
    assert micro["f1"] == pytest.approx(8 / 11, abs=1e-4)


def test_relations_need_both_ends_strict():
    rel = agreement(A, B)["relations"]
    # Both AS_OF point at a DATE whose span differs: no match at all.
    assert (rel["AS_OF"]["tp"], rel["AS_OF"]["fp"], rel["AS_OF"]["fn"]) == (0, 2, 2)
    assert rel["BELONGS_TO"]["f1"] == 0.0


def test_f1_is_symmetric():
    ab, ba = agreement(A, B), agreement(B, A)
    for label, prf in ab["entities"].items():
        assert prf["f1"] == ba["entities"][label]["f1"]
        assert prf["precision"] == ba["entities"][label]["recall"]
    assert ab["entities_micro"]["f1"] == ba["entities_micro"]["f1"]


def test_identical_annotations_agree_fully():
    result = agreement(A, A)
    assert result["entities_micro"]["f1"] == 1.0
    assert result["relations"]["AS_OF"]["f1"] == 1.0 and result["relations"]["BELONGS_TO"]["f1"] == 1.0


def test_disagreements_list_each_difference():
    found = {(d.kind, d.only_in, d.description.split(" [")[0]) for d in disagreements(A, B)}
    assert ("entity", "a", "DATE") in found and ("entity", "b", "DATE") in found
    assert ("entity", "a", "AGENCY") in found
    assert any(kind == "value" for kind, _, _ in found)
    assert sum(1 for d in disagreements(A, B) if d.kind == "relation") == 6


def test_different_texts_are_refused():
    other = Document(id="x", text=TEXT + " Hết.")
    with pytest.raises(InputError):
        agreement(A, other)
