"""The ledger's schema: ordered migrations, applied on open, recorded in ``PRAGMA user_version``.

A migration is appended to ``MIGRATIONS`` and never edited once released: the
database's ``user_version`` is the number of migrations applied to it. The
tables are documented in docs/ledger.md.
"""

from __future__ import annotations

import logging
import sqlite3

from ..errors import ConfigError
from ..links.schema import LINKS_V1

log = logging.getLogger(__name__)

V1 = """
CREATE TABLE runs (
    id          INTEGER PRIMARY KEY,
    started     TEXT NOT NULL,
    finished    TEXT,
    engine      TEXT NOT NULL DEFAULT 'local',
    status      TEXT NOT NULL DEFAULT 'running',   -- running | done | failed (a killed run stays 'running')
    settings    TEXT NOT NULL DEFAULT '{}',        -- JSON: the Settings used
    versions    TEXT NOT NULL DEFAULT '{}',        -- JSON: onrecord, model, python, ...
    counts      TEXT NOT NULL DEFAULT '{}'         -- JSON: articles, duplicates, errors, statements
);

CREATE TABLE articles (
    id            INTEGER PRIMARY KEY,
    content_hash  TEXT NOT NULL UNIQUE,            -- onrecord.model.content_hash(text): the dedupe key
    ext_id        TEXT,                            -- the input's own id (a JSONL "id"), else the content hash
    source        TEXT NOT NULL,                   -- where it was first read from (file, file:line, file#record)
    url           TEXT,
    title         TEXT,
    published     TEXT,                            -- ISO YYYY-MM-DD
    authors       TEXT NOT NULL DEFAULT '[]',      -- JSON list of names
    outlet        TEXT,
    credits       TEXT NOT NULL DEFAULT '[]',      -- JSON list ("Reporting by ...")
    language      TEXT,
    captions      TEXT NOT NULL DEFAULT '[]',      -- JSON list of image captions kept out of the body
    text          TEXT NOT NULL,                   -- clean body; every offset in statements indexes this
    n_statements  INTEGER NOT NULL DEFAULT 0,
    run_id        INTEGER REFERENCES runs(id),
    created_at    TEXT NOT NULL
);
CREATE INDEX articles_published ON articles(published);
CREATE INDEX articles_outlet ON articles(outlet);

-- one speaker per article and identity (name + type) in that article; a cross-article pass sets identity_id
CREATE TABLE speakers (
    id           INTEGER PRIMARY KEY,
    article_id   INTEGER NOT NULL REFERENCES articles(id),
    name         TEXT,                             -- resolved name, or a description ("a Taliban source")
    type         TEXT NOT NULL,                    -- person | organization | anonymous | document | outlet | unknown
    role         TEXT,
    affiliation  TEXT,
    issued_by    TEXT,
    n_statements INTEGER NOT NULL DEFAULT 0,
    identity_id  INTEGER,                          -- NULL until a cross-article identity table links it
    UNIQUE (article_id, name, type)
);
CREATE INDEX speakers_name ON speakers(name);
CREATE INDEX speakers_identity ON speakers(identity_id);

CREATE TABLE statements (
    id              INTEGER PRIMARY KEY,
    article_id      INTEGER NOT NULL REFERENCES articles(id),
    seq             INTEGER NOT NULL,              -- 0.. in the engine's order within the article
    kind            TEXT NOT NULL,                 -- direct | indirect | mixed
    content         TEXT NOT NULL,
    content_start   INTEGER NOT NULL,
    content_end     INTEGER NOT NULL,
    cue             TEXT,
    cue_start       INTEGER,
    cue_end         INTEGER,
    speaker_mention TEXT,
    mention_start   INTEGER,
    mention_end     INTEGER,
    speaker_id      INTEGER REFERENCES speakers(id),
    speaker_name    TEXT,                          -- copied from speakers for full-text search and export
    speaker_type    TEXT NOT NULL DEFAULT 'unknown',
    role            TEXT,
    affiliation     TEXT,
    issued_by       TEXT,
    via             TEXT,
    channel         TEXT,
    date            TEXT,                          -- ISO YYYY-MM-DD: when it was said
    confidence      REAL NOT NULL DEFAULT 1.0,
    flags           TEXT NOT NULL DEFAULT '[]',    -- JSON list: unclosed_quote, denial, confirmation, ...
    UNIQUE (article_id, seq)
);
CREATE INDEX statements_speaker ON statements(speaker_id);
CREATE INDEX statements_speaker_name ON statements(speaker_name);
CREATE INDEX statements_date ON statements(date);
CREATE INDEX statements_kind ON statements(kind);
CREATE INDEX statements_channel ON statements(channel);

CREATE TABLE problems (
    id          INTEGER PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES articles(id),
    code        TEXT NOT NULL,
    message     TEXT NOT NULL
);
CREATE INDEX problems_article ON problems(article_id);

CREATE TABLE errors (
    id          INTEGER PRIMARY KEY,
    input       TEXT NOT NULL,                     -- the reader's name for the input (file, file:line, ...)
    stage       TEXT NOT NULL,                     -- read | extract
    code        TEXT NOT NULL,                     -- empty, binary, decode, truncated, bad_json, bad_gzip, timeout, ...
    message     TEXT NOT NULL,
    run_id      INTEGER REFERENCES runs(id),
    created_at  TEXT NOT NULL
);
CREATE INDEX errors_code ON errors(code);

-- what is done: one row per file (kind 'file', written when the whole file is in) and per item read from it
-- (kind 'item', key "<absolute path>#<ordinal>"); written in the same transaction as the item's rows
CREATE TABLE inputs (
    key         TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,                     -- file | item
    source      TEXT,                              -- the reader's name for the item
    status      TEXT NOT NULL,                     -- article | duplicate | error | done (file)
    article_id  INTEGER REFERENCES articles(id),
    error_id    INTEGER REFERENCES errors(id),
    n_items     INTEGER,                           -- for a file: how many items it gave
    run_id      INTEGER REFERENCES runs(id)
) WITHOUT ROWID;
CREATE INDEX inputs_article ON inputs(article_id);

-- full text: FTS5 external-content tables kept in step by triggers (datasette detects <table>_fts)
CREATE VIRTUAL TABLE statements_fts USING fts5(
    content, speaker_name, content="statements", content_rowid="id", tokenize="unicode61 remove_diacritics 2"
);
CREATE TRIGGER statements_ai AFTER INSERT ON statements BEGIN
    INSERT INTO statements_fts(rowid, content, speaker_name) VALUES (new.id, new.content, new.speaker_name);
END;
CREATE TRIGGER statements_ad AFTER DELETE ON statements BEGIN
    INSERT INTO statements_fts(statements_fts, rowid, content, speaker_name)
        VALUES ('delete', old.id, old.content, old.speaker_name);
END;
CREATE TRIGGER statements_au AFTER UPDATE OF content, speaker_name ON statements BEGIN
    INSERT INTO statements_fts(statements_fts, rowid, content, speaker_name)
        VALUES ('delete', old.id, old.content, old.speaker_name);
    INSERT INTO statements_fts(rowid, content, speaker_name) VALUES (new.id, new.content, new.speaker_name);
END;

CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, text, content="articles", content_rowid="id", tokenize="unicode61 remove_diacritics 2"
);
CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
END;
CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;
"""

# Append only. Index i holds the SQL that takes a database from user_version i to i + 1.
# V2: the cross-article tables (speaker identities, overrides, denial links, duplicates, stories)
MIGRATIONS: list[str] = [V1, LINKS_V1]

SCHEMA_VERSION = len(MIGRATIONS)


def user_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection) -> int:
    """Apply every pending migration, each in its own transaction; returns the resulting version."""
    current = user_version(conn)
    target = len(MIGRATIONS)
    if current > target:
        raise ConfigError(
            f"the ledger has schema version {current}, newer than this onrecord knows ({target}): upgrade onrecord"
        )
    for version in range(current, target):
        log.info("ledger: migrating schema %d -> %d", version, version + 1)
        # executescript commits first; the BEGIN makes each migration all-or-nothing
        conn.executescript(f"BEGIN IMMEDIATE;\n{MIGRATIONS[version]}\nPRAGMA user_version = {version + 1};\nCOMMIT;")
    return target
