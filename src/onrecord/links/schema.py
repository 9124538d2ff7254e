"""The cross-article tables: one ledger migration, appended to ``onrecord.store.migrations.MIGRATIONS``.

Everything here except ``speaker_overrides`` is rebuilt by every ``onrecord link`` run;
overrides are the user's and are re-applied after each run. No foreign keys: these tables are
derived, and must never stop the ledger from replacing an article's rows. See docs/links.md.
"""

from __future__ import annotations

LINKS_V1 = """
-- a speaker across articles; ``key`` is the form that stands for it (stable across link runs, so is ``id``)
CREATE TABLE speaker_identity (
    id            INTEGER PRIMARY KEY,
    key           TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    type          TEXT NOT NULL,
    aliases       TEXT NOT NULL DEFAULT '[]',   -- JSON list of other names and mentions
    roles         TEXT NOT NULL DEFAULT '[]',   -- JSON [{"value","first_seen","last_seen","count"}]
    affiliations  TEXT NOT NULL DEFAULT '[]',   -- JSON, same shape as roles
    forms         TEXT NOT NULL DEFAULT '[]',   -- JSON list of the form keys merged into it
    n_statements  INTEGER NOT NULL DEFAULT 0,   -- a statement repeated in near-duplicate articles counts once
    n_articles    INTEGER NOT NULL DEFAULT 0,   -- near-duplicate articles count once
    first_seen    TEXT,
    last_seen     TEXT
);
CREATE INDEX speaker_identity_name ON speaker_identity(name);

CREATE TABLE statement_identity (
    statement_id  INTEGER PRIMARY KEY,
    identity_id   INTEGER NOT NULL,
    form          TEXT NOT NULL
);
CREATE INDEX statement_identity_identity ON statement_identity(identity_id);

-- manual corrections, applied in id order after every automatic run; a and b are form keys
CREATE TABLE speaker_overrides (
    id          INTEGER PRIMARY KEY,
    op          TEXT NOT NULL CHECK (op IN ('merge', 'split', 'rename')),
    a           TEXT NOT NULL,
    b           TEXT,
    name        TEXT,
    note        TEXT,                            -- the names as the user saw them
    created_at  TEXT NOT NULL
);

-- statements that deny or confirm (the engine's flag or the linker's detector)
CREATE TABLE statement_stance (
    statement_id  INTEGER PRIMARY KEY,
    stance        TEXT NOT NULL CHECK (stance IN ('denial', 'confirmation'))
);

CREATE TABLE statement_links (
    id                   INTEGER PRIMARY KEY,
    statement_id         INTEGER NOT NULL,
    target_statement_id  INTEGER,
    target_article_id    INTEGER,
    relation             TEXT NOT NULL CHECK (relation IN ('denies', 'confirms')),
    score                REAL NOT NULL,
    CHECK (target_statement_id IS NOT NULL OR target_article_id IS NOT NULL)
);
CREATE INDEX statement_links_statement ON statement_links(statement_id);
CREATE INDEX statement_links_target ON statement_links(target_statement_id);

-- near-duplicate articles: cluster_id is the smallest article id of the cluster
CREATE TABLE article_duplicates (
    article_id  INTEGER PRIMARY KEY,
    cluster_id  INTEGER NOT NULL,
    similarity  REAL NOT NULL
);
CREATE INDEX article_duplicates_cluster ON article_duplicates(cluster_id);

CREATE TABLE stories (
    id            INTEGER PRIMARY KEY,           -- the smallest article id of the story
    title         TEXT,
    terms         TEXT NOT NULL DEFAULT '[]',    -- JSON list of the words its articles share
    first_date    TEXT,
    last_date     TEXT,
    n_articles    INTEGER NOT NULL,
    n_statements  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE story_articles (
    article_id  INTEGER PRIMARY KEY,
    story_id    INTEGER NOT NULL
);
CREATE INDEX story_articles_story ON story_articles(story_id);

CREATE TABLE link_runs (
    id        INTEGER PRIMARY KEY,
    started   TEXT NOT NULL,
    finished  TEXT,
    settings  TEXT NOT NULL DEFAULT '{}',       -- JSON: the options the run used
    counts    TEXT NOT NULL DEFAULT '{}',       -- JSON
    timings   TEXT NOT NULL DEFAULT '{}'        -- JSON: seconds per step
);
"""
