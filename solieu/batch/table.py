"""Every figure of a batch as one row of a flat table, for spreadsheets and pandas.

One row per MONEY or PERCENT entity: the document, the figure as written,
its normalised value (a range fills value_min/value_max instead of value),
its owner (the BELONGS_TO tail) and its date (the AS_OF tail, with the
period it normalises to). CSV is written as UTF-8 with a byte-order mark, so
that spreadsheet programs show Vietnamese correctly; Parquet needs pyarrow.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from pathlib import Path

from solieu.errors import InputError, MissingDependency
from solieu.schema import FIGURE_LABELS, DateValue, Document, MoneyValue, PercentValue

COLUMNS = (
    "document", "figure_id", "label", "figure", "start", "end",
    "value", "value_min", "value_max", "currency",
    "owner", "owner_label", "date", "date_start", "date_end",
)


def figure_rows(doc: Document) -> Iterator[dict]:
    """One row per figure of `doc`, in text order."""
    by_id = {e.id: e for e in doc.entities}
    owner: dict[str, str] = {}
    date: dict[str, str] = {}
    for rel in doc.relations:
        (owner if rel.label == "BELONGS_TO" else date)[rel.head] = rel.tail
    for ent in sorted(doc.entities, key=lambda e: e.start):
        if ent.label not in FIGURE_LABELS:
            continue
        row = {c: None for c in COLUMNS}
        row.update(document=doc.id, figure_id=ent.id, label=ent.label, figure=ent.text, start=ent.start, end=ent.end)
        value = ent.value
        if isinstance(value, MoneyValue):
            row.update(value=value.amount, value_min=value.amount_min, value_max=value.amount_max,
                       currency=value.currency)
        elif isinstance(value, PercentValue):
            row.update(value=value.value, value_min=value.min, value_max=value.max)
        if ent.id in owner:
            tail = by_id[owner[ent.id]]
            row.update(owner=tail.text, owner_label=tail.label)
        if ent.id in date:
            tail = by_id[date[ent.id]]
            row["date"] = tail.text
            if isinstance(tail.value, DateValue):
                row.update(date_start=tail.value.start, date_end=tail.value.end)
        yield row


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


def export_figures(shards: Iterable[Path], path: Path) -> int:
    """Write the figures of every document in `shards` to `path` (.csv or .parquet); returns the row count."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _write_csv(shards, path)
    if suffix == ".parquet":
        return _write_parquet(shards, path)
    raise InputError(f"{path}: the figures table is written as .csv or .parquet, not {suffix or '(none)'}")


def _write_csv(shards: Iterable[Path], path: Path) -> int:
    tmp = path.with_name(path.name + ".tmp")
    count = 0
    with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        for doc in iter_documents(shards):
            for row in figure_rows(doc):
                writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
                count += 1
    tmp.replace(path)
    return count


def _write_parquet(shards: Iterable[Path], path: Path) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as e:
        raise MissingDependency("a Parquet table needs pyarrow, which is not installed (pip install pyarrow)") from e
    schema = pa.schema([
        ("document", pa.string()), ("figure_id", pa.string()), ("label", pa.string()), ("figure", pa.string()),
        ("start", pa.int64()), ("end", pa.int64()),
        # float64 holds every amount exactly up to 9·10^15, beyond any budget these reports quote.
        ("value", pa.float64()), ("value_min", pa.float64()), ("value_max", pa.float64()),
        ("currency", pa.string()), ("owner", pa.string()), ("owner_label", pa.string()),
        ("date", pa.string()), ("date_start", pa.string()), ("date_end", pa.string()),
    ])
    tmp = path.with_name(path.name + ".tmp")
    count = 0
    with pq.ParquetWriter(tmp, schema) as writer:
        buffer: list[dict] = []
        for doc in iter_documents(shards):
            buffer.extend(figure_rows(doc))
            if len(buffer) >= 50_000:
                writer.write_table(pa.Table.from_pylist(buffer, schema=schema))
                count += len(buffer)
                buffer = []
        if buffer or count == 0:
            writer.write_table(pa.Table.from_pylist(buffer, schema=schema))
            count += len(buffer)
    tmp.replace(path)
    return count

