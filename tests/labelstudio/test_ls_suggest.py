"""Ranking segments by uncertainty, with near-duplicates left out."""

from ls_helpers import GoldPipeline

from solieu.rules import extract as rules_extract
from solieu.schema import Document, DocumentInput, Entity, Relation
from solieu.suggest import combined_score, rank_segments, segment_signals, shingles


def _doc(text, entities, relations=()):
    ents = []
    for i, (surface, label) in enumerate(entities):
        start = text.index(surface)
        ents.append(Entity(id=f"e{i + 1}", start=start, end=start + len(surface), label=label, text=surface))
    return Document(id="d", text=text, entities=ents,
                    relations=[Relation(head=h, tail=t, label=lab, score=s) for h, t, lab, s in relations])


def test_signals():
    text = "Đến năm 2024 thu được 12.500 triệu đồng."
    agree = _doc(text, [("năm 2024", "DATE"), ("12.500 triệu đồng", "MONEY")], [("e2", "e1", "AS_OF", 0.98)])
    rules = _doc(text, [("năm 2024", "DATE"), ("12.500 triệu đồng", "MONEY")])
    calm = segment_signals(agree, rules)
    assert calm == {"disagreement": 0.0, "margin": 0.04, "orphans": 0.0}
    shaky = _doc(text, [("năm 2024", "DATE"), ("12.500 triệu", "MONEY")])
    signals = segment_signals(shaky, rules)
    assert signals["disagreement"] > 0.5 and signals["orphans"] == 1.0
    near = _doc(text, [("năm 2024", "DATE"), ("12.500 triệu đồng", "MONEY")], [("e2", "e1", "AS_OF", 0.52)])
    assert segment_signals(near, rules)["margin"] > 0.9
    assert combined_score(signals) > combined_score(calm)


def test_shingles_fold_digits():
    assert shingles("thu được 12.500 triệu đồng") == shingles("thu được 9.100 triệu đồng")


def test_ranking_prefers_uncertain_skips_duplicates_and_annotated():
    paragraphs = [
        "Trong tháng 5/2024, UBND huyện thu ngân sách được 8.200 triệu đồng, bằng 102,3% so với cùng kỳ.",
        "Trong tháng 6/2024, UBND huyện thu ngân sách được 9.400 triệu đồng, bằng 101,1% so với cùng kỳ.",
        "Dự án Đường vành đai phía Bắc được bố trí 30 tỷ đồng trong năm 2024.",
        "Hội nghị tổng kết công tác năm đã được tổ chức trang trọng tại hội trường lớn.",
        "Chương trình xóa nhà tạm đã giải ngân 4,5 tỷ đồng, đạt 60% kế hoạch năm 2024.",
    ]
    text = "\n\n".join(paragraphs) + "\n"
    # The model agrees with the rules on the whole report except on paragraph 3 (it misses the money).
    rules_doc = rules_extract(text, doc_id="r")
    missing = text.index("30 tỷ đồng")
    model_doc = rules_doc.model_copy(update={
        "entities": [e for e in rules_doc.entities if e.start != missing],
        "relations": [r for r in rules_doc.relations
                      if all(e.start != missing for e in rules_doc.entities if e.id in (r.head, r.tail))]})
    pipeline = GoldPipeline([model_doc])
    annotated = [Document(id="done", text=paragraphs[4])]
    chosen = rank_segments([DocumentInput(id="r", text=text)], extract_many=pipeline.extract_many,
                           rules=rules_extract, annotated=annotated, n=10)
    texts = [s.text for s in chosen]
    assert texts[0] == paragraphs[2] and chosen[0].score > 0
    assert paragraphs[4] not in texts  # already annotated
    assert sum(t in texts for t in paragraphs[:2]) == 1  # the monthly repeat counts once
    assert all(text[s.start:s.end] == s.text for s in chosen)
    assert [s.score for s in chosen] == sorted((s.score for s in chosen), reverse=True)
    assert len(rank_segments([DocumentInput(id="r", text=text)], extract_many=pipeline.extract_many,
                             rules=rules_extract, n=1)) == 1
