"""find_inconsistencies on tiny inline corpora: each finding kind, and what must not be found."""

from __future__ import annotations

from solieu.consistency import find_inconsistencies, format_findings, surface
from solieu.schema import Document, Entity


def ent(doc_text: str, eid: str, piece: str, label: str, value: dict | None = None, *, nth: int = 0) -> Entity:
    start = -1
    for _ in range(nth + 1):
        start = doc_text.index(piece, start + 1)
    return Entity.model_validate({"id": eid, "start": start, "end": start + len(piece), "label": label,
                                  "text": piece, "value": value})


def doc(doc_id: str, text: str, entities: list[Entity]) -> Document:
    return Document(id=doc_id, text=text, entities=entities)


def kinds(findings, kind):
    return [f for f in findings if f.kind == kind]


def test_surface_normalises_whitespace():
    assert surface("Sở  Xây\n\ndựng ") == "Sở Xây dựng"


def test_label_conflict_across_documents_with_different_whitespace():
    t1 = "Sở Xây dựng họp."
    t2 = "Dự án Sở Xây\ndựng mới."
    d1 = doc("d1", t1, [ent(t1, "e1", "Sở Xây dựng", "AGENCY")])
    d2 = doc("d2", t2, [ent(t2, "e1", "Sở Xây\ndựng", "PROJECT")])
    found = kinds(find_inconsistencies([d1, d2]), "label_conflict")
    assert {(f.doc_id, f.entity_id) for f in found} == {("d1", "e1"), ("d2", "e1")}
    assert all("AGENCY ×1" in f.message and "PROJECT ×1" in f.message for f in found)


def test_same_label_everywhere_is_no_conflict():
    t = "UBND tỉnh và UBND tỉnh"
    d = doc("d", t, [ent(t, "e1", "UBND tỉnh", "AGENCY"), ent(t, "e2", "UBND tỉnh", "AGENCY", nth=1)])
    assert kinds(find_inconsistencies([d]), "label_conflict") == []
    assert kinds(find_inconsistencies([d]), "unlabelled_occurrence") == []


def test_unlabelled_occurrence_in_another_document_with_line_break():
    t1 = "Báo cáo của Sở Xây dựng."
    t2 = "Theo Sở Xây\n\ndựng thì tốt."
    d1 = doc("d1", t1, [ent(t1, "e1", "Sở Xây dựng", "AGENCY")])
    d2 = doc("d2", t2, [])
    found = kinds(find_inconsistencies([d1, d2]), "unlabelled_occurrence")
    assert len(found) == 1
    f = found[0]
    assert (f.doc_id, f.entity_id, f.text) == ("d2", None, "Sở Xây\n\ndựng")
    assert t2[f.start:f.end] == f.text
    assert "AGENCY" in f.message


def test_unlabelled_figure_found_but_not_inside_a_longer_number():
    t = "thu 17 tỷ đồng; chi 17 tỷ đồng; 117 tỷ đồng; 5,17 tỷ đồng"
    d = doc("d", t, [ent(t, "e1", "17 tỷ đồng", "MONEY", {"amount": 17_000_000_000, "currency": "VND"})])
    found = kinds(find_inconsistencies([d]), "unlabelled_occurrence")
    assert [(f.start, f.text) for f in found] == [(t.index("chi 17") + 4, "17 tỷ đồng")]


def test_year_inside_a_date_or_code_is_not_an_occurrence():
    t = "năm 2025; tháng 5/2025; số 12/2025/QĐ; cả 2025; rồi 2025."
    d = doc("d", t, [ent(t, "e1", "2025", "DATE", {"start": "2025-01-01", "end": "2025-12-31"}, nth=3),
                     ent(t, "e2", "năm 2025", "DATE", {"start": "2025-01-01", "end": "2025-12-31"})])
    found = kinds(find_inconsistencies([d]), "unlabelled_occurrence")
    # `5/2025` and `12/2025/` are parts of other numbers; only the last bare year is missed.
    assert [(f.start, f.text) for f in found] == [(t.rindex("2025"), "2025")]


def test_footnote_marker_after_currency_word_still_matches():
    t = "chi 5 tỷ đồng1. Sau đó chi 5 tỷ đồng"
    d = doc("d", t, [ent(t, "e1", "5 tỷ đồng", "MONEY", {"amount": 5_000_000_000, "currency": "VND"}, nth=1)])
    found = kinds(find_inconsistencies([d]), "unlabelled_occurrence")
    assert [(f.start, f.end) for f in found] == [(4, 13)]


def test_overlapping_occurrence_is_skipped_and_single_token_names_are_not_searched():
    t = "Sở Xây dựng tỉnh; Sở Xây dựng; Tỉnh ủy; Tỉnh ủy"
    d = doc("d", t, [ent(t, "e1", "Sở Xây dựng tỉnh", "AGENCY"), ent(t, "e2", "Sở Xây dựng", "AGENCY", nth=1),
                     ent(t, "e3", "Tỉnh", "AGENCY")])
    found = kinds(find_inconsistencies([d]), "unlabelled_occurrence")
    assert found == []


def test_value_mismatch_reports_both_values():
    t = "thu 1.851 tỷ đồng, đạt 55,3%"
    wrong = {"amount": 1_851_000_000, "currency": "VND"}
    d = doc("d", t, [ent(t, "e1", "1.851 tỷ đồng", "MONEY", wrong),
                     ent(t, "e2", "55,3%", "PERCENT", {"value": 55.3})])
    found = kinds(find_inconsistencies([d]), "value_mismatch")
    assert [f.entity_id for f in found] == ["e1"]
    assert "1851000000" in found[0].message and "1851000000000" in found[0].message


def test_missing_gold_value_is_a_mismatch():
    t = "ngày 14/05/2025"
    d = doc("d", t, [ent(t, "e1", "ngày 14/05/2025", "DATE")])
    found = kinds(find_inconsistencies([d]), "value_mismatch")
    assert len(found) == 1 and "None" in found[0].message and "2025-05-14" in found[0].message


def test_clean_corpus_has_no_findings_and_format_counts():
    t = "Sở Xây dựng chi 5 tỷ đồng năm 2025"
    d = doc("d", t, [ent(t, "e1", "Sở Xây dựng", "AGENCY"),
                     ent(t, "e2", "5 tỷ đồng", "MONEY", {"amount": 5_000_000_000, "currency": "VND"}),
                     ent(t, "e3", "năm 2025", "DATE", {"start": "2025-01-01", "end": "2025-12-31"})])
    findings = find_inconsistencies([d])
    assert findings == []
    assert format_findings(findings).endswith("label_conflict: 0  unlabelled_occurrence: 0  value_mismatch: 0")
