"""The flat table of figures: one row per MONEY/PERCENT, with value, owner, date and their scores."""

from __future__ import annotations

import csv

import pytest

from solieu.batch import export_figures, figure_rows, run_batch
from solieu.errors import InputError
from solieu.figures import COLUMNS, FiguresTable, check_table_path
from solieu.schema import Document

TEXT = "Dự án Đường tỉnh 229 giải ngân 5.060 triệu đồng, đạt 10 - 15% trong tháng 5/2024."


def _doc() -> Document:
    def span(eid, surface, label, value=None, score=None):
        start = TEXT.index(surface)
        return {"id": eid, "start": start, "end": start + len(surface), "label": label, "text": surface,
                **({"value": value} if value else {}), **({"score": score} if score is not None else {})}

    return Document.model_validate({
        "id": "lang-son/thang-5.txt",
        "text": TEXT,
        "entities": [
            span("e1", "Đường tỉnh 229", "PROJECT"),
            span("e2", "5.060 triệu đồng", "MONEY", {"amount": 5060000000, "currency": "VND"}, score=0.97),
            span("e3", "10 - 15%", "PERCENT", {"min": 10, "max": 15}),
            span("e4", "tháng 5/2024", "DATE", {"start": "2024-05-01", "end": "2024-05-31"}),
        ],
        "relations": [
            {"head": "e2", "tail": "e1", "label": "BELONGS_TO", "score": 0.61},
            {"head": "e2", "tail": "e4", "label": "AS_OF", "score": 0.88},
            {"head": "e3", "tail": "e4", "label": "AS_OF"},
        ],
    })


EXPECTED = [
    {"document": "lang-son/thang-5.txt", "figure_id": "e2", "label": "MONEY", "figure": "5.060 triệu đồng",
     "score": 0.97, "value": 5060000000, "value_min": None, "value_max": None, "currency": "VND",
     "owner": "Đường tỉnh 229", "owner_label": "PROJECT", "owner_score": 0.61,
     "date": "tháng 5/2024", "date_start": "2024-05-01", "date_end": "2024-05-31", "date_score": 0.88},
    {"document": "lang-son/thang-5.txt", "figure_id": "e3", "label": "PERCENT", "figure": "10 - 15%",
     "score": None, "value": None, "value_min": 10, "value_max": 15, "currency": None,
     "owner": None, "owner_label": None, "owner_score": None,
     "date": "tháng 5/2024", "date_start": "2024-05-01", "date_end": "2024-05-31", "date_score": None},
]


def _without_offsets(row: dict) -> dict:
    return {k: v for k, v in row.items() if k not in ("start", "end")}


def test_one_row_per_figure_with_value_owner_and_date():
    rows = list(figure_rows(_doc()))
    assert [_without_offsets(r) for r in rows] == EXPECTED
    assert TEXT[rows[0]["start"] : rows[0]["end"]] == "5.060 triệu đồng"


def _shard(tmp_path):
    path = tmp_path / "part-0.jsonl"
    path.write_text(_doc().model_dump_json(exclude_none=True) + "\n", encoding="utf-8")
    return path


def test_csv_is_utf8_with_bom_for_spreadsheets(tmp_path):
    assert export_figures([_shard(tmp_path)], tmp_path / "figures.csv") == 2
    raw = (tmp_path / "figures.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with open(tmp_path / "figures.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(rows[0]) == COLUMNS
    assert rows[0]["value"] == "5060000000" and rows[0]["owner"] == "Đường tỉnh 229"
    assert rows[1]["value"] == "" and rows[1]["value_min"] == "10"
    assert rows[0]["score"] == "0.97" and rows[0]["owner_score"] == "0.61" and rows[1]["score"] == ""


def test_parquet_round_trips_through_pyarrow(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet", reason="pyarrow is not installed")
    assert export_figures([_shard(tmp_path)], tmp_path / "figures.parquet") == 2
    rows = pq.read_table(tmp_path / "figures.parquet").to_pylist()
    assert [_without_offsets(r) for r in rows] == [
        {**r, **{k: (None if r[k] is None else float(r[k])) for k in ("value", "value_min", "value_max")}}
        for r in EXPECTED
    ]


@pytest.mark.parametrize("name, problem", [
    ("figures.xlsx", r"written as \.csv or \.parquet, not \.xlsx"),
    ("missing/figures.csv", r"the folder .*missing does not exist"),
    ("a-folder", r"written as \.csv or \.parquet"),
])
def test_a_table_path_that_cannot_be_written_is_refused_before_any_work(tmp_path, name, problem):
    (tmp_path / "a-folder").mkdir()
    with pytest.raises(InputError, match=problem):
        check_table_path(tmp_path / name)


def test_a_directory_named_like_a_table_is_refused(tmp_path):
    (tmp_path / "figures.csv").mkdir()
    with pytest.raises(InputError, match="is a directory"):
        check_table_path(tmp_path / "figures.csv")


def test_a_table_whose_writing_fails_leaves_nothing_behind(tmp_path):
    path = tmp_path / "figures.csv"
    with pytest.raises(RuntimeError), FiguresTable.open(path) as table:
        table.add(_doc())
        raise RuntimeError("the run was stopped")
    assert list(tmp_path.iterdir()) == []


def test_a_table_is_written_one_document_at_a_time(tmp_path):
    with FiguresTable.open(tmp_path / "figures.csv") as table:
        table.add(_doc())
        table.add(_doc().model_copy(update={"id": "other"}))
    assert table.rows == 4
    with open(tmp_path / "figures.csv", encoding="utf-8-sig", newline="") as fh:
        assert [r["document"] for r in csv.DictReader(fh)] == ["lang-son/thang-5.txt"] * 2 + ["other"] * 2


def test_a_batch_run_writes_the_table_beside_its_shards(small_corpus, tmp_path):
    root, _ = small_corpus
    summary = run_batch(str(root), tmp_path / "out", extractor="rules", table="csv")
    assert summary.manifest["table"] == "figures.csv"
    with open(tmp_path / "out" / "figures.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    figures = sum(
        1 for shard in (tmp_path / "out" / "shards").glob("*.jsonl")
        for line in shard.read_text(encoding="utf-8").splitlines()
        for e in Document.model_validate_json(line).entities if e.label in ("MONEY", "PERCENT")
    )
    assert len(rows) == figures > 0


def test_a_csv_cell_that_a_spreadsheet_would_run_is_written_as_text(tmp_path):
    doc = _doc().model_copy(update={"id": '=HYPERLINK("http://example.org","x")'})
    with FiguresTable.open(tmp_path / "figures.csv") as table:
        table.add(doc)
    with open(tmp_path / "figures.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["document"] for r in rows} == {"'" + doc.id}
    # Numbers are numbers, and ordinary text is as written.
    assert rows[0]["value"] == "5060000000" and rows[0]["figure"] == "5.060 triệu đồng"


def test_parquet_keeps_every_cell_as_it_is(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet", reason="pyarrow is not installed")
    doc = _doc().model_copy(update={"id": "=SUM(A1:A2)"})
    with FiguresTable.open(tmp_path / "figures.parquet") as table:
        table.add(doc)
    assert {r["document"] for r in pq.read_table(tmp_path / "figures.parquet").to_pylist()} == {"=SUM(A1:A2)"}
