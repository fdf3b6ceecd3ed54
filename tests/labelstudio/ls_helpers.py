"""Helpers of the Label Studio tests: tiny gold documents, a fake pipeline,
Label Studio exports simulated from tasks."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator

from solieu.interface import PipelineInterface
from solieu.schema import Document, DocumentInput
from tests.conftest import _SENTENCES, make_document

TINY_DOCS = [make_document(f"tiny-{i}", _SENTENCES[i:] + _SENTENCES[:i]) for i in range(len(_SENTENCES))]

# Sentences that are in no TINY_DOCS document, for dev and held-out sets.
EXTRA_SENTENCES = [
    ("Đến ngày 30/09/2024, Sở Xây dựng đã giải ngân 7.300 triệu đồng, đạt 38,5% kế hoạch.",
     [("ngày 30/09/2024", "DATE"), ("Sở Xây dựng", "AGENCY"), ("7.300 triệu đồng", "MONEY"), ("38,5%", "PERCENT")],
     [(2, 1, "BELONGS_TO"), (2, 0, "AS_OF"), (3, 0, "AS_OF")]),
    ("Dự án Cầu Kỳ Lừa được bố trí 12 tỷ đồng trong năm 2025.",
     [("Cầu Kỳ Lừa", "PROJECT"), ("12 tỷ đồng", "MONEY"), ("năm 2025", "DATE")],
     [(1, 0, "BELONGS_TO"), (1, 2, "AS_OF")]),
    ("Trong tháng 8/2024, UBND thành phố thu ngân sách được 9.100 triệu đồng, bằng 97,6% so với cùng kỳ.",
     [("tháng 8/2024", "DATE"), ("UBND thành phố", "AGENCY"), ("9.100 triệu đồng", "MONEY"), ("97,6%", "PERCENT")],
     [(2, 1, "BELONGS_TO"), (2, 0, "AS_OF"), (3, 0, "AS_OF")]),
    ("Chương trình mục tiêu quốc gia giảm nghèo bền vững đã giải ngân 2,8 tỷ đồng, đạt 41% kế hoạch năm 2024.",
     [("Chương trình mục tiêu quốc gia giảm nghèo bền vững", "PROJECT"), ("2,8 tỷ đồng", "MONEY"), ("41%", "PERCENT"),
      ("năm 2024", "DATE")],
     [(1, 0, "BELONGS_TO"), (2, 0, "BELONGS_TO"), (1, 3, "AS_OF"), (2, 3, "AS_OF")]),
]


class GoldPipeline(PipelineInterface):
    """The pipeline interface answering with given documents (matched by text), or none."""

    def __init__(self, docs: Iterable[Document] = (), *, name: str = "fake", version: str = "1"):
        self.by_text = {d.text: d for d in docs}
        self.meta = {"name": name, "version": version}

    def extract_many(self, inputs: Iterable[DocumentInput]) -> Iterator[Document]:
        for item in inputs:
            found = self.by_text.get(item.text)
            if found is None:
                yield Document(id=item.id or "doc", text=item.text)
            else:
                yield found.model_copy(update={"id": item.id or found.id})


def simulate_export(tasks: list[dict], *, annotate=None, start_id: int = 1) -> list[dict]:
    """What Label Studio's JSON export holds after annotators accepted (or,
    through `annotate(task) -> result`, corrected) each task's prediction."""
    out = []
    for offset, task in enumerate(tasks):
        task = copy.deepcopy(task)
        task_id = start_id + offset
        result = annotate(task) if annotate else task["predictions"][0]["result"]
        task["id"] = task_id
        task["annotations"] = [{
            "id": 1000 + task_id, "completed_by": 1, "was_cancelled": False, "ground_truth": False,
            "created_at": "2025-06-01T10:00:00.000000Z", "updated_at": "2025-06-01T10:00:00.000000Z",
            "lead_time": 12.5, "result": copy.deepcopy(result), "task": task_id,
        }]
        out.append(task)
    return out


def entity_keys(doc: Document) -> set[tuple]:
    return {(e.start, e.end, e.label, e.text) for e in doc.entities}


def relation_keys(doc: Document) -> set[tuple]:
    ents = {e.id: (e.start, e.end, e.label) for e in doc.entities}
    return {(ents[r.head], ents[r.tail], r.label) for r in doc.relations}
