"""``Ledger``: the SQLite ledger, opened with its schema up to date; the one door the CLI and the web API use."""

from __future__ import annotations

import json
import logging
import platform
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .. import __version__
from ..model import ErrorRecord, Record, Result
from ..settings import Settings
from .migrations import migrate
from .rows import article_row, dumps, speaker_key, statement_row

log = logging.getLogger(__name__)

# Tables a dump or an export may name, in dependency order.
TABLES: tuple[str, ...] = ("runs", "articles", "speakers", "statements", "problems", "errors", "inputs")


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _insert(conn: sqlite3.Connection, table: str, row: dict[str, Any]) -> int:
    cols = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    cur = conn.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", tuple(row.values()))
    return int(cur.lastrowid or 0)


class Ledger:
    """An onrecord ledger in SQLite (WAL mode). ``path`` may be ``":memory:"``.

        with Ledger.open("ledger.db") as ledger:
            ledger.ingest(["pages/"])
            for row in ledger.search("ceasefire", speaker="Khalilzad"):
                ...
    """

    def __init__(self, conn: sqlite3.Connection, path: str) -> None:
        self.conn = conn
        self.path = path

    # -- opening and closing -------------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path = ":memory:", *, readonly: bool = False) -> Ledger:
        """Open (creating when needed) the ledger at ``path`` and bring its schema up to date."""
        path = str(path)
        if readonly:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None, check_same_thread=False)
        else:
            if path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(path, isolation_level=None, timeout=60.0)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            migrate(conn)
        conn.row_factory = sqlite3.Row
        return cls(conn, path)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- runs -----------------------------------------------------------------------------------------------------

    def start_run(self, settings: Settings, engine: str = "local") -> int:
        from dataclasses import asdict

        versions = {"onrecord": __version__, "python": platform.python_version(), "sqlite": sqlite3.sqlite_version}
        try:
            from ..nlp import resolve_model_name

            versions["model"] = resolve_model_name(settings.model)
        except Exception:  # the model is reported, not required, here
            pass
        with self.transaction():
            return _insert(self.conn, "runs", {"started": now(), "engine": engine, "settings": dumps(asdict(settings)),
                                               "versions": dumps(versions)})

    def finish_run(self, run_id: int, counts: dict[str, int], status: str = "done") -> None:
        with self.transaction():
            self.conn.execute("UPDATE runs SET finished = ?, status = ?, counts = ? WHERE id = ?",
                              (now(), status, dumps(counts), run_id))

    # -- writing --------------------------------------------------------------------------------------------------

    def transaction(self) -> _Transaction:
        """``with ledger.transaction():`` — BEGIN IMMEDIATE ... COMMIT, ROLLBACK on an exception."""
        return _Transaction(self.conn)

    def add(self, result: Result, *, run_id: int | None = None) -> tuple[str, int]:
        """Write one Record or ErrorRecord: inside the caller's transaction, or in one of its own.

        Returns ``("article", id)`` for a new article, ``("duplicate", id)`` when its body is already in, or
        ``("error", error_id)``.
        """
        if not self.conn.in_transaction:
            with self.transaction():
                return self.add(result, run_id=run_id)
        if isinstance(result, ErrorRecord):
            return "error", _insert(self.conn, "errors", {
                "input": result.source, "stage": result.stage, "code": result.error.code,
                "message": result.error.message, "run_id": run_id, "created_at": now()})
        return self._add_record(result, run_id)

    def _add_record(self, record: Record, run_id: int | None) -> tuple[str, int]:
        row = article_row(record.article)
        found = self.conn.execute("SELECT id FROM articles WHERE content_hash = ?", (row["content_hash"],)).fetchone()
        if found is not None:
            return "duplicate", int(found[0])
        row.update(n_statements=len(record.statements), run_id=run_id, created_at=now())
        article_id = _insert(self.conn, "articles", row)
        speaker_ids: dict[tuple[str | None, str], int] = {}
        counts: dict[int, int] = {}
        for seq, st in enumerate(record.statements):
            key = speaker_key(st)
            if key not in speaker_ids:
                sp = st.speaker
                speaker_ids[key] = _insert(self.conn, "speakers", {
                    "article_id": article_id, "name": key[0], "type": key[1], "role": sp.role,
                    "affiliation": sp.affiliation, "issued_by": sp.issued_by})
            sid = speaker_ids[key]
            counts[sid] = counts.get(sid, 0) + 1
            _insert(self.conn, "statements", {"article_id": article_id, "speaker_id": sid, **statement_row(seq, st)})
        self.conn.executemany("UPDATE speakers SET n_statements = ? WHERE id = ?", [(n, i) for i, n in counts.items()])
        self.conn.executemany("INSERT INTO problems (article_id, code, message) VALUES (?, ?, ?)",
                              [(article_id, p.code, p.message) for p in record.problems])
        return "article", article_id

    def mark_input(self, key: str, *, kind: str, status: str, source: str | None = None,
                   article_id: int | None = None, error_id: int | None = None, n_items: int | None = None,
                   run_id: int | None = None) -> None:
        """Record that the input ``key`` is done (``inputs`` row); the same transaction as its rows."""
        self.conn.execute(
            "INSERT OR REPLACE INTO inputs (key, kind, source, status, article_id, error_id, n_items, run_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (key, kind, source, status, article_id, error_id, n_items, run_id))

    def done_keys(self, prefix: str) -> set[str]:
        """Keys of the item inputs under ``prefix`` (a file's absolute path) that are already in."""
        rows = self.conn.execute("SELECT key FROM inputs WHERE kind = 'item' AND key >= ? AND key < ?",
                                 (prefix + "#", prefix + "$"))
        return {r[0] for r in rows}

    def file_done(self, path: str) -> bool:
        row = self.conn.execute("SELECT 1 FROM inputs WHERE key = ? AND kind = 'file'", (path,)).fetchone()
        return row is not None

    # -- the high-level operations ------------------------------------------------------------------------------

    def ingest(self, paths: Iterable[str | Path], *, settings: Settings | None = None, workers: int | None = None,
               format: str | None = None, progress: Callable[[dict[str, int]], None] | None = None,
               batch: int | None = None) -> dict[str, int]:
        """Read, extract and store every input under ``paths`` (resumable); returns the run's counts.

        ``workers``: processes (default all cores, 0 in this process); ``batch``: items per transaction.
        """
        from .ingest import BATCH_ITEMS, ingest

        return ingest(self, [str(p) for p in paths], settings=settings or Settings.load(), workers=workers,
                      format=format, progress=progress, batch=batch or BATCH_ITEMS)

    def merge(self, folder: str | Path, *, progress: Callable[[dict[str, int]], None] | None = None) -> dict[str, int]:
        """Load the Parquet shards of ``ingest --engine ray`` in ``folder``, with the same dedupe rules."""
        from .merge import merge

        return merge(self, folder, progress=progress)

    def search(self, query: str | None = None, **filters: Any) -> list[dict[str, Any]]:
        """Statements matching an FTS5 ``query`` and filters (speaker, kind, since, until, limit)."""
        from .query import search

        return search(self.conn, query, **filters)

    def speakers(self, **filters: Any) -> list[dict[str, Any]]:
        """Speakers by name and type with their statement and article counts."""
        from .query import speakers

        return speakers(self.conn, **filters)

    def export(self, table: str = "statements", format: str = "jsonl", out: Any = None) -> int:
        """Write ``table`` as jsonl, csv or parquet to ``out`` (a text stream or, for parquet, a path)."""
        from .export import export

        return export(self.conn, table, format, out)

    def counts(self) -> dict[str, int]:
        """Rows per table."""
        return {t: int(self.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in TABLES}

    def rows(self, table: str) -> Iterator[dict[str, Any]]:
        """Every row of ``table`` in id (or key) order."""
        if table not in TABLES:
            raise ValueError(f"unknown table {table!r}; known: {', '.join(TABLES)}")
        order = "key" if table == "inputs" else "id"
        for r in self.conn.execute(f"SELECT * FROM {table} ORDER BY {order}"):
            yield dict(r)


class _Transaction:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type: object, *rest: object) -> None:
        self.conn.execute("ROLLBACK" if exc_type is not None else "COMMIT")


def loads_json_columns(row: dict[str, Any], columns: Iterable[str]) -> dict[str, Any]:
    """``row`` with the named JSON text columns decoded."""
    for c in columns:
        if isinstance(row.get(c), str):
            row[c] = json.loads(row[c])
    return row
