"""Read-only access to a ledger for the reading room: a small pool of ``mode=ro`` SQLite connections."""

from __future__ import annotations

import logging
import os
import queue
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

from ..errors import ConfigError

log = logging.getLogger(__name__)
T = TypeVar("T")

REQUIRED_TABLES = ("articles", "statements", "speakers", "statements_fts", "articles_fts")


def connect_ro(path: str | Path) -> sqlite3.Connection:
    """One read-only connection (SQLite URI ``mode=ro``, ``query_only``), usable from any thread."""
    uri = f"file:{quote(str(Path(path).resolve()))}?mode=ro"
    conn = sqlite3.connect(uri, uri=True, check_same_thread=False, cached_statements=256)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA query_only = ON")
    conn.execute("PRAGMA cache_size = -32768")  # 32 MiB page cache per connection
    conn.execute("PRAGMA mmap_size = 17179869184")  # map the whole file (SQLite caps it at its build limit)
    return conn


class ResultCache:
    """Answers to repeated queries, kept while the ledger file stays the same (least recently used first out).

    A popular search ("ceasefire") is answered once per change of the ledger, not once per request. Values
    are shared between requests: callers must not change them.
    """

    def __init__(self, generation: Callable[[], Hashable], size: int = 4096) -> None:
        self._generation = generation
        self._size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._seen: Hashable = None
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        gen = self._generation()
        with self._lock:
            if gen != self._seen:
                self._items.clear()
                self._seen = gen
            elif key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = compute()  # outside the lock: two first requests may both compute, which is harmless
        with self._lock:
            if gen == self._seen:
                self._items[key] = value
                while len(self._items) > self._size:
                    self._items.popitem(last=False)
        return value


class ReadOnlyPool:
    """Up to ``size`` read-only connections to one ledger, handed out one per request."""

    def __init__(self, path: str | Path, size: int = 8) -> None:
        self.path = Path(path)
        self.cache = ResultCache(self.generation)
        if not self.path.is_file():
            raise ConfigError(f"no ledger at {self.path}: build one with `onrecord ingest PATH --db {self.path}`")
        self._free: queue.LifoQueue[sqlite3.Connection] = queue.LifoQueue()
        self._size = size
        self._opened = 0
        self._check()

    def _check(self) -> None:
        try:
            conn = connect_ro(self.path)
        except sqlite3.OperationalError as e:
            raise ConfigError(f"cannot open {self.path} read-only: {e}") from e
        except sqlite3.DatabaseError as e:
            raise ConfigError(f"{self.path} is not an onrecord ledger ({e})") from e
        try:
            names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        except sqlite3.DatabaseError as e:
            conn.close()
            raise ConfigError(f"{self.path} is not an onrecord ledger: {e}") from e
        missing = [t for t in REQUIRED_TABLES if t not in names]
        if missing:
            conn.close()
            raise ConfigError(f"{self.path} is not an onrecord ledger (missing tables: {', '.join(missing)})")
        self._free.put(conn)
        self._opened = 1

    @contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        try:
            conn = self._free.get_nowait()
        except queue.Empty:
            conn = connect_ro(self.path)
            self._opened += 1
        try:
            yield conn
        finally:
            if conn.in_transaction:
                conn.rollback()
            if self._free.qsize() < self._size:
                self._free.put(conn)
            else:
                conn.close()

    def generation(self) -> tuple[float, int, float, int]:
        """Changes whenever the ledger file or its WAL changes: the key of anything cached from it."""
        out: list[float | int] = []
        for p in (self.path, Path(f"{self.path}-wal")):
            try:
                st = os.stat(p)
                out += [st.st_mtime, st.st_size]
            except FileNotFoundError:
                out += [0.0, 0]
        return (float(out[0]), int(out[1]), float(out[2]), int(out[3]))

    def close(self) -> None:
        while True:
            try:
                self._free.get_nowait().close()
            except queue.Empty:
                break
