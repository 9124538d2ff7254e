"""Parquet shards from ``ingest --engine ray`` -> the ledger, with the local ingest's keys and dedupe rules."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError, MissingExtra
from .ingest import Task, Writer
from .rows import result_from_json

if TYPE_CHECKING:
    from .ledger import Ledger

log = logging.getLogger(__name__)


RANGE_ROWS = 5000  # rows loaded at a time: the files are merged a range of them at a time, in input order


def _rows_in_order(dataset: Any) -> Iterator[dict[str, Any]]:
    """Every shard row sorted by (file, position in the file), holding about RANGE_ROWS rows in memory."""
    import pyarrow.compute as pc

    sizes = dataset.to_table(columns=["file_idx"]).column("file_idx").value_counts().to_pylist()
    per_file = sorted((int(d["values"]), int(d["counts"])) for d in sizes)
    start = 0
    while start < len(per_file):
        end, rows = start, 0
        while end < len(per_file) and (rows == 0 or rows + per_file[end][1] <= RANGE_ROWS):
            rows += per_file[end][1]
            end += 1
        lo, hi = per_file[start][0], per_file[end - 1][0]
        part = dataset.to_table(columns=["file_idx", "path", "ordinal", "n_items", "record"],
                                filter=(pc.field("file_idx") >= lo) & (pc.field("file_idx") <= hi))
        part = part.sort_by([("file_idx", "ascending"), ("ordinal", "ascending")])
        for batch in part.to_batches(max_chunksize=256):
            yield from batch.to_pylist()
        start = end


def merge(ledger: Ledger, folder: str | Path, *,
          progress: Callable[[dict[str, int]], None] | None = None) -> dict[str, int]:
    """Load every shard under ``folder`` in input order (file, then position in the file); returns counts."""
    try:
        import pyarrow.dataset as pads
    except ImportError:
        raise MissingExtra("merging Parquet shards", "ray") from None
    from ..settings import Settings

    files = sorted(Path(folder).glob("**/*.parquet"))
    if not files:
        raise ConfigError(f"no Parquet shards under {folder}")
    dataset = pads.dataset([str(f) for f in files], format="parquet")
    stats = dict.fromkeys(("articles", "duplicates", "errors", "statements", "files", "skipped", "skipped_files"), 0)
    run_id = ledger.start_run(Settings.load(), "ray")
    writer = Writer(ledger, run_id, stats, set())
    status = "failed"
    try:
        current: tuple[str, int] | None = None
        done: set[str] = set()
        skip_file = False
        for row in _rows_in_order(dataset):
            path = row["path"]
            if current is None or current[0] != path:
                if current is not None and not skip_file:
                    writer.write(Task(current[0], file_items=current[1]))
                current = (path, int(row["n_items"]))
                skip_file = ledger.file_done(path)
                stats["skipped_files"] += int(skip_file)
                done = set() if skip_file else ledger.done_keys(path)
            if skip_file:
                continue
            key = f"{path}#{row['ordinal']}"
            if key in done:
                stats["skipped"] += 1
                continue
            writer.write(Task(path, key, results=[result_from_json(row["record"])]))
            if progress is not None:
                progress(stats)
        if current is not None and not skip_file:
            writer.write(Task(current[0], file_items=current[1]))
        writer.commit()
        status = "done"
    finally:
        writer.rollback()
        ledger.finish_run(run_id, stats, status)
    return stats
