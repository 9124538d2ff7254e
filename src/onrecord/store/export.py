"""A ledger table out as JSON Lines, CSV or Parquet, streamed in id order."""

from __future__ import annotations

import csv
import json
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from ..errors import ConfigError, MissingExtra

FORMATS = ("jsonl", "csv", "parquet")
# columns holding JSON text: exported as JSON values in jsonl, as text in csv and parquet
JSON_COLUMNS = {"authors", "credits", "captions", "flags", "settings", "versions", "counts"}
EXPORT_TABLES = ("statements", "articles", "speakers", "problems", "errors", "inputs", "runs")
_CHUNK = 2000


def _cursor(conn: sqlite3.Connection, table: str) -> sqlite3.Cursor:
    if table not in EXPORT_TABLES:
        raise ConfigError(f"unknown table {table!r}; one of: {', '.join(EXPORT_TABLES)}")
    order = "key" if table == "inputs" else "id"
    return conn.execute(f"SELECT * FROM {table} ORDER BY {order}")


def _rows(cur: sqlite3.Cursor) -> Iterator[dict[str, Any]]:
    cols = [c[0] for c in cur.description]
    while chunk := cur.fetchmany(_CHUNK):
        for r in chunk:
            yield dict(zip(cols, r))


def export(conn: sqlite3.Connection, table: str, format: str, out: IO[str] | str | Path | None = None) -> int:
    """Write every row of ``table``; returns the number of rows. ``out``: a text stream (jsonl, csv; default
    standard output) or a file path (any format; required for parquet)."""
    if format not in FORMATS:
        raise ConfigError(f"unknown export format {format!r}; one of: {', '.join(FORMATS)}")
    cur = _cursor(conn, table)
    if format == "parquet":
        if out is None or not isinstance(out, (str, Path)):
            raise ConfigError("parquet export needs an output file (--output FILE)")
        return _parquet(cur, Path(out), _types(conn, table))
    if isinstance(out, (str, Path)):
        with open(out, "w", encoding="utf-8", newline="") as f:
            return _text(cur, format, f)
    return _text(cur, format, out or sys.stdout)


def _text(cur: sqlite3.Cursor, format: str, f: IO[str]) -> int:
    n = 0
    if format == "csv":
        writer = csv.writer(f)
        writer.writerow([c[0] for c in cur.description])
        while chunk := cur.fetchmany(_CHUNK):
            writer.writerows(chunk)
            n += len(chunk)
        return n
    for row in _rows(cur):
        for c in JSON_COLUMNS & row.keys():
            if isinstance(row[c], str):
                row[c] = json.loads(row[c])
        f.write(json.dumps(row, ensure_ascii=False) + "\n")
        n += 1
    return n


def _types(conn: sqlite3.Connection, table: str) -> dict[str, str]:
    return {r[1]: (r[2] or "TEXT").upper() for r in conn.execute(f"PRAGMA table_info({table})")}


def _parquet(cur: sqlite3.Cursor, path: Path, types: dict[str, str]) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise MissingExtra("parquet export", "ray") from None
    cols = [c[0] for c in cur.description]
    arrow = {"INTEGER": pa.int64(), "REAL": pa.float64()}
    schema = pa.schema([(c, arrow.get(types.get(c, "TEXT"), pa.string())) for c in cols])
    n = 0
    with pq.ParquetWriter(str(path), schema) as writer:
        while chunk := cur.fetchmany(_CHUNK * 5):
            writer.write_table(pa.table({c: [r[i] for r in chunk] for i, c in enumerate(cols)}, schema=schema))
            n += len(chunk)
    return n
