"""Per-speaker counts, precomputed once per ledger state into a side file, so speaker pages cost a few lookups.

The ledger stays read-only: the counts live in a separate SQLite file in a cache folder, named after the
ledger's path and its state (file and WAL size and mtime). One pass over the ledger fills it; every server
process (and the next start) reuses it. When the ledger changes, a new file is built in the background while
the old one keeps answering.

    groups(gid, name, type, min_id, statements, articles, first, last, undated)
    dims(gid, dim, value, n)          dim: channel | kind | role | affiliation | outlet | day

When the ledger has been linked (``onrecord link``), the same pass also keeps its speaker identities:

    idents(rank, iid, name, type, aliases, roles, affiliations, statements, articles, first, last, said, names)
    idims(iid, dim, value, n)         dim: channel | outlet | day | stance (but for outlets, a wire story's copies once)
    itimeline(iid, w, g, seq, sid)    every statement of an identity by date; g: its near-duplicate cluster
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

FORMAT = 2
DIMS = ("channel", "kind", "role", "affiliation", "outlet")

BUILD_SQL = f"""
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TEMP TABLE f AS
    SELECT s.speaker_name AS name, s.speaker_type AS type, s.speaker_id AS sid, s.article_id AS aid,
           coalesce(s.date, a.published) AS w, s.channel AS channel, s.kind AS kind, s.role AS role,
           s.affiliation AS affiliation, a.outlet AS outlet{{linked_columns}}
    FROM l.statements s JOIN l.articles a ON a.id = s.article_id{{linked_joins}};
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
{{identities}}
DROP TABLE fg;
"""

IDENTITY_TABLES = """
CREATE TABLE idents (rank INTEGER PRIMARY KEY, iid INTEGER NOT NULL, name TEXT, type TEXT, aliases TEXT,
                     roles TEXT, affiliations TEXT, statements INTEGER, articles INTEGER, first TEXT, last TEXT,
                     said INTEGER NOT NULL DEFAULT 0, names TEXT);
CREATE TABLE idims (iid INTEGER NOT NULL, dim TEXT NOT NULL, value TEXT NOT NULL, n INTEGER NOT NULL);
CREATE TABLE itimeline (iid INTEGER NOT NULL, w TEXT, g INTEGER NOT NULL, seq INTEGER, sid INTEGER NOT NULL);
"""
IDENTITY_INDEXES = """
CREATE UNIQUE INDEX idents_iid ON idents(iid);
CREATE INDEX idims_iid ON idims(iid, dim);
CREATE INDEX itimeline_order ON itimeline(iid, w DESC, g DESC, seq, sid);
UPDATE idents SET said = c.n FROM (SELECT iid, count(*) AS n FROM itimeline GROUP BY iid) c WHERE c.iid = idents.iid;
"""
# from a linked ledger, the same pass reads each statement's identity, near-duplicate cluster and stance;
# ``copy`` marks a statement of an article that is a near-duplicate of an earlier one
LINKED_COLUMNS = """, s.id AS stid, s.seq AS seq, si.identity_id AS iid, coalesce(d.cluster_id, s.article_id) AS g,
           d.cluster_id IS NOT NULL AND d.cluster_id != s.article_id AS copy, st.stance AS stance"""
LINKED_JOINS = """
    LEFT JOIN l.statement_identity si ON si.statement_id = s.id
    LEFT JOIN l.article_duplicates d ON d.article_id = s.article_id
    LEFT JOIN l.statement_stance st ON st.statement_id = s.id"""
IDENTITY_FILL = """
CREATE TEMP VIEW fi AS SELECT * FROM fg WHERE iid IS NOT NULL;
INSERT INTO itimeline SELECT iid, w, g, seq, stid FROM fi;
INSERT INTO idents (iid, name, type, aliases, roles, affiliations, statements, articles, first, last, names)
    SELECT id, name, type, aliases, roles, affiliations, n_statements, n_articles, first_seen, last_seen,
           lower(name || char(10) || aliases)
    FROM l.speaker_identity ORDER BY n_statements DESC, name, id;
INSERT INTO idims SELECT iid, 'channel', channel, count(*) FROM fi WHERE channel IS NOT NULL AND NOT copy
    GROUP BY iid, channel;
INSERT INTO idims SELECT iid, 'stance', stance, count(*) FROM fi WHERE stance IS NOT NULL AND NOT copy
    GROUP BY iid, stance;
INSERT INTO idims SELECT iid, 'outlet', outlet, count(*) FROM fi WHERE outlet IS NOT NULL GROUP BY iid, outlet;
INSERT INTO idims SELECT iid, 'day', substr(w, 1, 10), count(*) FROM fi WHERE w IS NOT NULL AND NOT copy
    GROUP BY iid, substr(w, 1, 10);
DROP VIEW fi;
"""


def build_sql(linked: bool) -> str:
    """The side file's script; the identity tables are filled from a linked ledger and left empty otherwise."""
    return (BUILD_SQL.replace("{linked_columns}", LINKED_COLUMNS if linked else "")
            .replace("{linked_joins}", LINKED_JOINS if linked else "")
            .replace("{identities}", IDENTITY_TABLES + (IDENTITY_FILL if linked else "") + IDENTITY_INDEXES))


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
                    linked = conn.execute("SELECT 1 FROM l.sqlite_master WHERE name = 'statement_identity'").fetchone()
                    linked = linked is not None and conn.execute(
                        "SELECT 1 FROM l.speaker_identity LIMIT 1").fetchone() is not None
                    conn.executescript("BEGIN;" + build_sql(linked) + "COMMIT;")
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
