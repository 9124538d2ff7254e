"""Per-speaker counts, precomputed once per ledger state into a side file, so speaker pages cost a few lookups.

The ledger stays read-only: the counts live in a separate SQLite file in a cache folder, named after the
ledger's path and its state (file and WAL size and mtime). One pass over the ledger fills it; every server
process (and the next start) reuses it. When the ledger changes, a new file is built in the background while
the old one keeps answering.

    groups(gid, name, type, min_id, statements, articles, first, last, undated)
    dims(gid, dim, value, n)          dim: channel | kind | role | affiliation | outlet | day
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import sqlite3
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

from .db import ReadOnlyPool

log = logging.getLogger(__name__)

FORMAT = 1
DIMS = ("channel", "kind", "role", "affiliation", "outlet")

BUILD_SQL = f"""
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TEMP TABLE f AS
    SELECT s.speaker_name AS name, s.speaker_type AS type, s.speaker_id AS sid, s.article_id AS aid,
           coalesce(s.date, a.published) AS w, s.channel AS channel, s.kind AS kind, s.role AS role,
           s.affiliation AS affiliation, a.outlet AS outlet
    FROM l.statements s JOIN l.articles a ON a.id = s.article_id;
CREATE TABLE groups (gid INTEGER PRIMARY KEY, name TEXT, type TEXT, min_id INTEGER, statements INTEGER,
                     articles INTEGER, first TEXT, last TEXT, undated INTEGER);
INSERT INTO groups (name, type, min_id, statements, articles, first, last, undated)
    SELECT name, type, min(sid), count(*), count(DISTINCT aid), min(w), max(w), sum(w IS NULL)
    FROM f GROUP BY name, type ORDER BY count(*) DESC, name;
CREATE INDEX groups_key ON groups(name, type);
CREATE TEMP TABLE fg AS SELECT g.gid, f.* FROM f JOIN groups g ON g.name IS f.name AND g.type IS f.type;
DROP TABLE f;
CREATE TABLE dims (gid INTEGER NOT NULL, dim TEXT NOT NULL, value TEXT NOT NULL, n INTEGER NOT NULL);
{''.join(f"INSERT INTO dims SELECT gid, '{d}', {d}, count(*) FROM fg WHERE {d} IS NOT NULL GROUP BY gid, {d};" for d in DIMS)}
INSERT INTO dims SELECT gid, 'day', substr(w, 1, 10), count(*) FROM fg WHERE w IS NOT NULL GROUP BY gid, substr(w, 1, 10);
CREATE INDEX dims_gid ON dims(gid, dim);
DROP TABLE fg;
"""


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME")
    return Path(base) / "onrecord" / "serve" if base else Path(tempfile.gettempdir()) / "onrecord-serve"


class SpeakerCounts:
    """The side file for one ledger: built when missing, rebuilt (in the background) when the ledger changes."""

    def __init__(self, pool: ReadOnlyPool, cache_dir: Path | None = None, min_rebuild_s: float = 30.0) -> None:
        self.pool = pool
        self.dir = Path(cache_dir) if cache_dir else default_cache_dir()
        self.dir.mkdir(parents=True, exist_ok=True)
        self.stem = hashlib.sha1(str(pool.path.resolve()).encode()).hexdigest()[:12]
        self.min_rebuild_s = min_rebuild_s
        self._lock = threading.Lock()
        self._local = threading.local()
        self._current: Path | None = None
        self._building = False
        self._last_build = 0.0

    def path_for(self, generation: tuple[float, int, float, int]) -> Path:
        g = hashlib.sha1(f"{FORMAT}:{generation}".encode()).hexdigest()[:12]
        return self.dir / f"{self.stem}-{g}.db"

    def ensure(self) -> Path:
        """The side file to read now: the current one, built first if there is none yet."""
        wanted = self.path_for(self.pool.generation())
        if self._current == wanted:
            return wanted
        if wanted.exists():
            self._current = wanted
            return wanted
        if self._current is None:
            self._build(wanted)  # nothing to answer from yet: build now
            self._current = wanted
            return wanted
        self._rebuild_later(wanted)
        return self._current

    def _rebuild_later(self, wanted: Path) -> None:
        with self._lock:
            if self._building or time.monotonic() - self._last_build < self.min_rebuild_s:
                return
            self._building = True

        def work() -> None:
            try:
                self._build(wanted)
                self._current = wanted
            except Exception:  # a failed rebuild keeps the old counts; the next request tries again
                log.exception("rebuilding the speaker counts failed")
            finally:
                self._building = False

        threading.Thread(target=work, name="onrecord-speaker-counts", daemon=True).start()

    def _build(self, target: Path) -> None:
        lock_path = self.dir / f"{self.stem}.lock"
        with open(lock_path, "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # one process builds; the others wait, then reuse its file
            try:
                if target.exists():
                    return
                started = time.monotonic()
                for stale in self.dir.glob(f"{self.stem}-*.tmp*"):  # left by a build that was killed
                    stale.unlink(missing_ok=True)
                tmp = target.with_suffix(f".tmp{os.getpid()}")
                conn = sqlite3.connect(f"file:{quote(str(tmp))}", uri=True, isolation_level=None)
                try:
                    conn.execute("PRAGMA journal_mode=OFF")
                    conn.execute("PRAGMA synchronous=OFF")
                    conn.execute("PRAGMA temp_store=FILE")
                    ledger_uri = f"file:{quote(str(self.pool.path.resolve()))}?mode=ro"
                    conn.execute("ATTACH DATABASE ? AS l", (ledger_uri,))
                    conn.executescript("BEGIN;" + BUILD_SQL + "COMMIT;")
                    conn.execute("INSERT INTO meta VALUES ('ledger', ?), ('built', ?)",
                                 (str(self.pool.path.resolve()), time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())))
                    conn.execute("DETACH DATABASE l")
                finally:
                    conn.close()
                os.replace(tmp, target)
                for old in self.dir.glob(f"{self.stem}-*.db"):
                    if old != target:
                        old.unlink(missing_ok=True)
                self._last_build = time.monotonic()
                log.info("speaker counts for %s built in %.1fs", self.pool.path, time.monotonic() - started)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def connection(self) -> sqlite3.Connection:
        """A read-only connection to the current side file, one per thread."""
        path = self.ensure()
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None or getattr(self._local, "path", None) != path:
            if conn is not None:
                conn.close()
            conn = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            self._local.conn, self._local.path = conn, path
        return conn
