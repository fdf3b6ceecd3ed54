import json

import pytest
from pydantic import ValidationError

from solieu.schema import Document, Entity, MoneyValue, PercentValue

TEXT = "Thu 17.271 triệu đồng đạt 55,3% ngày 14/05/2025 của Sở Xây dựng."


def _ent(eid, surface, label, **kw):
    start = TEXT.index(surface)
    return {"id": eid, "start": start, "end": start + len(surface), "label": label, "text": surface, **kw}


def _doc(entities, relations=()):
    return {"id": "d", "text": TEXT, "entities": list(entities), "relations": list(relations)}


def test_valid_document_roundtrips():
    doc = Document.model_validate(_doc(
        [_ent("e1", "17.271 triệu đồng", "MONEY", value={"amount": 17271000000, "currency": "VND"}),
         _ent("e2", "ngày 14/05/2025", "DATE", value={"start": "2025-05-14", "end": "2025-05-14"}),
         _ent("e3", "Sở Xây dựng", "AGENCY")],
        [{"head": "e1", "tail": "e2", "label": "AS_OF"}, {"head": "e1", "tail": "e3", "label": "BELONGS_TO"}]))
    again = Document.model_validate_json(doc.model_dump_json())
    assert again == doc
    assert doc.entities[0].value.amount == 17271000000


@pytest.mark.parametrize(
    "entities, relations, message",
    [
        ([{**_ent("e1", "55,3%", "PERCENT"), "text": "55,4%"}], [], "differs from text"),
        ([{**_ent("e1", "55,3%", "PERCENT"), "end": 999}], [], "past the end"),
        ([_ent("e1", "17.271 triệu đồng", "MONEY"), {**_ent("e2", "triệu đồng", "MONEY")}], [], "overlaps"),
        ([_ent("e1", "55,3%", "PERCENT"), _ent("e2", "Sở Xây dựng", "AGENCY")],
         [{"head": "e2", "tail": "e1", "label": "BELONGS_TO"}], "not allowed"),
        ([_ent("e1", "55,3%", "PERCENT")], [{"head": "e1", "tail": "e9", "label": "AS_OF"}], "no entity with id e9"),
        ([_ent("e1", "55,3%", "PERCENT"), _ent("e2", "ngày 14/05/2025", "DATE"), _ent("e3", "Sở Xây dựng", "AGENCY")],
         [{"head": "e1", "tail": "e2", "label": "AS_OF"}, {"head": "e1", "tail": "e2", "label": "AS_OF"}], "already has"),
        ([_ent("e1", "55,3%", "PERCENT"), _ent("e1", "Sở Xây dựng", "AGENCY")], [], "duplicate id"),
    ],
    ids=["text-mismatch", "past-end", "overlap", "relation-types", "missing-tail", "two-as-of", "duplicate-id"],
)
def test_invariants_are_enforced(entities, relations, message):
    with pytest.raises(ValidationError, match=message):
        Document.model_validate(_doc(entities, relations))


def test_value_shape_follows_label():
    with pytest.raises(ValidationError, match="value"):
        Entity.model_validate({**_ent("e1", "55,3%", "PERCENT"), "value": {"amount": 1, "currency": "VND"}})
    with pytest.raises(ValidationError):
        Entity.model_validate({**_ent("e1", "Sở Xây dựng", "AGENCY"), "value": {"value": 3}})


def test_ranges_need_both_ends():
    with pytest.raises(ValidationError):
        MoneyValue(amount_min=1, currency="VND")
    with pytest.raises(ValidationError):
        PercentValue(value=1, min=1, max=2)
    assert PercentValue(min=10, max=11).max == 11


def test_unknown_fields_and_labels_are_rejected():
    with pytest.raises(ValidationError):
        Document.model_validate({**_doc([]), "extra": 1})
    with pytest.raises(ValidationError):
        Entity.model_validate({**_ent("e1", "55,3%", "PERCENT"), "label": "NUMBER"})


def test_a_date_with_no_known_ends_has_one_json_shape_at_every_dump():
    """CLI and batch dump with exclude_none, the service too: both write both keys, and read back."""
    doc = Document.model_validate({
        "id": "d", "text": "Trong 6 tháng qua thu được 5 tỷ đồng.",
        "entities": [{"id": "e1", "start": 6, "end": 17, "label": "DATE", "text": "6 tháng qua",
                      "value": {"start": None, "end": None}}],
    })
    for dumped in (doc.model_dump(exclude_none=True), doc.model_dump(mode="json", exclude_none=True),
                   json.loads(doc.model_dump_json(exclude_none=True)), json.loads(doc.model_dump_json())):
        assert dumped["entities"][0]["value"] == {"start": None, "end": None}
    assert Document.model_validate_json(doc.model_dump_json(exclude_none=True)) == doc
