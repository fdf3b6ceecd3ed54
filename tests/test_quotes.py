"""Quote-based annotations anchor into exact offsets, and every mistake is named."""

import json

from hypothesis import given
from hypothesis import strategies as st

from solieu.quotes import anchor_lines, anchor_record

TEXT = "Đến ngày 30/6/2023, KBNN tỉnh đã giải ngân 12 tỷ đồng; KBNN tỉnh thu 5 tỷ đồng."


def _ann(entities, relations=()):
    return {"id": "p1", "entities": entities, "relations": list(relations)}


def test_occurrences_pick_the_right_copy():
    raw = {"id": "p1", "province": "Hà Giang", "genre": "news", "text": TEXT}
    result = anchor_record(raw, _ann([
        {"text": "KBNN tỉnh", "label": "AGENCY", "occ": 2},
        {"text": "5 tỷ đồng", "label": "MONEY", "occ": 1, "value": {"amount": 5000000000, "currency": "VND"}},
    ], [{"head": 1, "tail": 0, "label": "BELONGS_TO"}]))
    assert result.problems == []
    agency = result.document.entities[0]
    assert (agency.start, TEXT[agency.start:agency.end]) == (TEXT.rindex("KBNN tỉnh"), "KBNN tỉnh")
    assert result.document.meta == {"province": "Hà Giang", "genre": "news"}


def test_problems_name_the_passage_and_the_entity():
    raw = {"id": "p1", "text": TEXT}
    result = anchor_record(raw, _ann([
        {"text": "KBNN tỉnh", "label": "AGENCY", "occ": 3},
        {"text": "12 tỷ đồng", "label": "MONEY", "occ": 1},
        {"text": "ngày 30/6/2023", "label": "DATE", "occ": 1, "value": {"start": "2023-06-30", "end": "2023-06-30"}},
    ], [{"head": 2, "tail": 0, "label": "AS_OF"}]))
    assert result.document is None
    joined = "\n".join(result.problems)
    assert "p1 entity 0 AGENCY 'KBNN tỉnh': occurrence 3 not found (the text has 2)" in joined
    assert "entity 1 MONEY '12 tỷ đồng': a MONEY needs a value" in joined
    assert "AS_OF goes from" in joined


def test_at_most_one_relation_of_a_type_per_figure():
    raw = {"id": "p1", "text": TEXT}
    result = anchor_record(raw, _ann([
        {"text": "ngày 30/6/2023", "label": "DATE", "occ": 1, "value": {"start": "2023-06-30", "end": "2023-06-30"}},
        {"text": "12 tỷ đồng", "label": "MONEY", "occ": 1, "value": {"amount": 12000000000, "currency": "VND"}},
        {"text": "KBNN tỉnh", "label": "AGENCY", "occ": 1},
        {"text": "KBNN tỉnh", "label": "AGENCY", "occ": 2},
    ], [{"head": 1, "tail": 2, "label": "BELONGS_TO"}, {"head": 1, "tail": 3, "label": "BELONGS_TO"}]))
    assert any("at most one" in p for p in result.problems)


def test_overlaps_are_refused_by_the_schema():
    raw = {"id": "p1", "text": TEXT}
    result = anchor_record(raw, _ann([
        {"text": "KBNN tỉnh đã", "label": "AGENCY", "occ": 1}, {"text": "tỉnh", "label": "AGENCY", "occ": 1},
    ]))
    assert result.document is None and any("overlaps" in p for p in result.problems)


def test_value_differing_from_the_normaliser_is_a_note_not_an_error():
    raw = {"id": "p1", "text": TEXT}
    result = anchor_record(raw, _ann([
        {"text": "12 tỷ đồng", "label": "MONEY", "occ": 1, "value": {"amount": 12, "currency": "VND"}}]))
    assert result.problems == [] and len(result.notes) == 1


def test_lines_report_bad_json_and_unmatched_ids():
    raw = [json.dumps({"id": "p1", "text": TEXT}), "{not json", json.dumps({"id": "p2", "text": TEXT})]
    ann = [json.dumps(_ann([])), json.dumps({"id": "p9", "entities": []})]
    problems = [p for a in anchor_lines(raw, ann) for p in a.problems]
    assert any(p.startswith("raw line 2: not JSON") for p in problems)
    assert "p2: no annotation" in problems
    assert "p9: an annotation without a raw passage" in problems


@given(st.text(alphabet="abc đ\n", min_size=1, max_size=40), st.integers(1, 3))
def test_an_anchored_quote_is_always_the_text_at_its_offsets(text, occ):
    quote = text.strip()[:3].strip()
    if not quote:
        return
    result = anchor_record({"id": "p1", "text": text}, _ann([{"text": quote, "label": "AGENCY", "occ": occ}]))
    if result.document is not None:
        entity = result.document.entities[0]
        assert text[entity.start:entity.end] == quote
        # The n-th occurrence counts overlapping ones (`aa` occurs three times in `aaaa`).
        assert sum(text.startswith(quote, i) for i in range(len(text))) >= occ
