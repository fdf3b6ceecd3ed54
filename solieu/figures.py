"""Every figure as one row of a flat table, for spreadsheets and pandas.

One row per MONEY or PERCENT entity: the document, the figure as written, its
confidence, its normalised value (a range fills value_min/value_max instead of
value), its owner (the BELONGS_TO tail) and its date (the AS_OF tail, with the
period it normalises to), each link with its own confidence. CSV is written as
UTF-8 with a byte-order mark, so that spreadsheet programs show Vietnamese
correctly, and a text cell that a spreadsheet would run as a formula (one that
starts with =, +, -, @, a tab or a carriage return: a document named
`=HYPERLINK(…)`) is written with a leading apostrophe, which spreadsheets show
as text; Parquet has no formulas and keeps every cell as it is, and needs pyarrow.

    with FiguresTable.open("figures.csv") as table:
        for doc in docs:
            table.add(doc)

A table is written to a temporary file beside its path and moved there only when
the `with` block ends without an error: there is never a half-written table.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from pathlib import Path

from solieu.errors import InputError, MissingDependency
from solieu.schema import FIGURE_LABELS, DateValue, Document, MoneyValue, PercentValue

COLUMNS = (
    "document", "figure_id", "label", "figure", "start", "end", "score",
    "value", "value_min", "value_max", "currency",
    "owner", "owner_label", "owner_score", "date", "date_start", "date_end", "date_score",
)
TABLE_SUFFIXES = (".csv", ".parquet")
# What makes a spreadsheet read a cell as a formula (OWASP's list for CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Rows held before a Parquet row group is written.
_PARQUET_ROWS = 50_000


def figure_rows(doc: Document) -> Iterator[dict]:
    """One row per figure of `doc`, in text order."""
    by_id = {e.id: e for e in doc.entities}
    links = {(rel.head, rel.label): rel for rel in doc.relations}
    for ent in sorted(doc.entities, key=lambda e: e.start):
        if ent.label not in FIGURE_LABELS:
            continue
        row = {c: None for c in COLUMNS}
        row.update(document=doc.id, figure_id=ent.id, label=ent.label, figure=ent.text, start=ent.start, end=ent.end,
                   score=ent.score)
        value = ent.value
        if isinstance(value, MoneyValue):
            row.update(value=value.amount, value_min=value.amount_min, value_max=value.amount_max,
                       currency=value.currency)
        elif isinstance(value, PercentValue):
            row.update(value=value.value, value_min=value.min, value_max=value.max)
        if (owner := links.get((ent.id, "BELONGS_TO"))) is not None:
            tail = by_id[owner.tail]
            row.update(owner=tail.text, owner_label=tail.label, owner_score=owner.score)
        if (date := links.get((ent.id, "AS_OF"))) is not None:
            tail = by_id[date.tail]
            row.update(date=tail.text, date_score=date.score)
            if isinstance(tail.value, DateValue):
                row.update(date_start=tail.value.start, date_end=tail.value.end)
        yield row


def check_table_path(path: str | Path, option: str = "--table") -> Path:
    """A table path that can be written, checked before any work: .csv or .parquet (with pyarrow
    installed), in a folder that exists."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise InputError(f"{option} {path}: the figures table is written as .csv or .parquet, "
                         f"not {suffix or '(no suffix)'}")
    if not path.resolve().parent.is_dir():
        raise InputError(f"{option} {path}: the folder {path.resolve().parent} does not exist")
    if path.is_dir():
        raise InputError(f"{option} {path}: is a directory; give a file name")
    if suffix == ".parquet":
        _pyarrow()
    return path


class FiguresTable:
    """A figures table being written; `add` each document, in order."""

    def __init__(self, path: Path, writer: _CsvRows | _ParquetRows):
        self.path = path
        self.rows = 0
        self._writer = writer

    @classmethod
    def open(cls, path: str | Path) -> FiguresTable:
        path = check_table_path(path, option="table")
        tmp = path.with_name(path.name + ".tmp")
        writer = _CsvRows(tmp) if path.suffix.lower() == ".csv" else _ParquetRows(tmp)
        return cls(path, writer)

    def add(self, doc: Document) -> None:
        for row in figure_rows(doc):
            self._writer.write(row)
            self.rows += 1

    def __enter__(self) -> FiguresTable:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self._writer.close()
        if exc_type is None:
            self._writer.tmp.replace(self.path)
        else:
            self._writer.tmp.unlink(missing_ok=True)


def export_figures(shards: Iterable[Path], path: Path) -> int:
    """Write the figures of every document in `shards` (exchange-format JSONL) to `path` (.csv or
    .parquet); returns the row count."""
    with FiguresTable.open(path) as table:
        for doc in iter_documents(shards):
            table.add(doc)
    return table.rows


def iter_documents(shards: Iterable[Path]) -> Iterator[Document]:
    for shard in shards:
        with open(shard, encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    yield Document.model_validate_json(line)
                except ValueError as e:
                    raise InputError(f"{shard}:{lineno}: not an exchange-format document ({e})") from e


def figures_csv(docs: Iterable[Document]) -> str:
    """The figures table of `docs` as CSV text, led by a byte-order mark as the files are."""
    out = io.StringIO()
    out.write("\ufeff")
    rows = _CsvWriter(out)
    for doc in docs:
        for row in figure_rows(doc):
            rows.write(row)
    return out.getvalue()


class _CsvWriter:
    def __init__(self, fh):
        self._writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        self._writer.writeheader()

    def write(self, row: dict) -> None:
        self._writer.writerow({k: _csv_cell(v) for k, v in row.items()})


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


class _CsvRows(_CsvWriter):
    def __init__(self, tmp: Path):
        self.tmp = tmp
        self._fh = open(tmp, "w", encoding="utf-8-sig", newline="")
        super().__init__(self._fh)

    def close(self) -> None:
        self._fh.close()


def _pyarrow():
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as e:
        raise MissingDependency("a Parquet table needs pyarrow, which is not installed (pip install pyarrow)") from e
    return pa, pq


class _ParquetRows:
    def __init__(self, tmp: Path):
        pa, pq = _pyarrow()
        self.tmp = tmp
        self._pa = pa
        text, number = pa.string(), pa.float64()  # float64 holds every amount exactly up to 9·10^15
        self._schema = pa.schema([
            ("document", text), ("figure_id", text), ("label", text), ("figure", text),
            ("start", pa.int64()), ("end", pa.int64()), ("score", number),
            ("value", number), ("value_min", number), ("value_max", number), ("currency", text),
            ("owner", text), ("owner_label", text), ("owner_score", number),
            ("date", text), ("date_start", text), ("date_end", text), ("date_score", number),
        ])
        self._writer = pq.ParquetWriter(tmp, self._schema)
        self._buffer: list[dict] = []
        self._written = 0

    def write(self, row: dict) -> None:
        self._buffer.append(row)
        if len(self._buffer) >= _PARQUET_ROWS:
            self._flush()

    def _flush(self) -> None:
        self._writer.write_table(self._pa.Table.from_pylist(self._buffer, schema=self._schema))
        self._written += len(self._buffer)
        self._buffer = []

    def close(self) -> None:
        if self._buffer or self._written == 0:  # an empty table still has its columns
            self._flush()
        self._writer.close()
