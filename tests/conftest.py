import json
from pathlib import Path

import pytest

from solieu.corpus import write_documents
from solieu.schema import Document

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "annotations" / "corpus"



def seed_texts() -> list[str]:
    """The five seed reports' texts (NFC), as the corpus in the repository holds them,
    so that tests need nothing outside the clone."""
    texts = [json.loads(line)["text"] for path in sorted(CORPUS.glob("*.jsonl"))
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(texts) == 5, f"expected the five seed reports in {CORPUS}"
    return texts

# A tiny gold corpus in the exchange format, built from sentences in the style
# of the reports (not copied from the seeds), with every label and relation.
_SENTENCES = [
    ("Tính đến ngày 15/06/2024, Sở Tài chính đã giải ngân 12.500 triệu đồng, đạt 45,2% kế hoạch.",
     [("ngày 15/06/2024", "DATE"), ("Sở Tài chính", "AGENCY"), ("12.500 triệu đồng", "MONEY"), ("45,2%", "PERCENT")],
     [(2, 1, "BELONGS_TO"), (2, 0, "AS_OF"), (3, 0, "AS_OF")]),
    ("Dự án Đường vành đai phía Bắc được bố trí 30 tỷ đồng trong năm 2024.",
     [("Đường vành đai phía Bắc", "PROJECT"), ("30 tỷ đồng", "MONEY"), ("năm 2024", "DATE")],
     [(1, 0, "BELONGS_TO"), (1, 2, "AS_OF")]),
    ("Trong tháng 5/2024, UBND huyện thu ngân sách được 8.200 triệu đồng, bằng 102,3% so với cùng kỳ.",
     [("tháng 5/2024", "DATE"), ("UBND huyện", "AGENCY"), ("8.200 triệu đồng", "MONEY"), ("102,3%", "PERCENT")],
     [(2, 1, "BELONGS_TO"), (2, 0, "AS_OF"), (3, 0, "AS_OF")]),
    ("Chương trình mục tiêu quốc gia xây dựng nông thôn mới đã giải ngân 4,5 tỷ đồng, đạt 60% kế hoạch năm 2024.",
     [("Chương trình mục tiêu quốc gia xây dựng nông thôn mới", "PROJECT"), ("4,5 tỷ đồng", "MONEY"), ("60%", "PERCENT"),
      ("năm 2024", "DATE")],
     [(1, 0, "BELONGS_TO"), (2, 0, "BELONGS_TO"), (1, 3, "AS_OF"), (2, 3, "AS_OF")]),
]


def make_document(doc_id: str, sentences) -> Document:
    from solieu.values import normalise

    text = ""
    entities, relations = [], []
    for sentence, ents, rels in sentences:
        base = len(text)
        ids = []
        cursor = 0
        for surface, label in ents:
            start = sentence.index(surface, cursor)
            cursor = start + len(surface)
            eid = f"e{len(entities) + 1}"
            ids.append(eid)
            value = normalise(label, surface)
            entities.append({"id": eid, "start": base + start, "end": base + start + len(surface), "label": label,
                             "text": surface, **({"value": value.model_dump(exclude_none=True)} if value else {})})
        for h, t, label in rels:
            relations.append({"head": ids[h], "tail": ids[t], "label": label})
        text += sentence + "\n\n"
    return Document.model_validate({"id": doc_id, "text": text, "entities": entities, "relations": relations})


@pytest.fixture
def tiny_documents() -> list[Document]:
    return [make_document(f"tiny-{i}", _SENTENCES[i:] + _SENTENCES[:i]) for i in range(len(_SENTENCES))]


@pytest.fixture
def tiny_corpus(tmp_path, tiny_documents) -> Path:
    path = tmp_path / "tiny.jsonl"
    write_documents(tiny_documents, path)
    return path


@pytest.fixture
def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*.jsonl"))


def jsonl_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
