"""``onrecord ingest | merge | search | speakers | export``: build the ledger and read it."""

from __future__ import annotations

import csv
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import click

from ..errors import OnrecordError
from ..settings import Settings

INPUT_FORMATS = ("html", "text", "jsonl", "warc")


class UsageFail(click.ClickException):
    """A clear message and exit status 2 (a bad query, a bad option value)."""

    exit_code = 2


def _db_option(must_exist: bool) -> Any:
    return click.option(
        "--db", "db", default="ledger.db", show_default=True, envvar="ONRECORD_LEDGER",
        type=click.Path(dir_okay=False, exists=must_exist),
        help="The ledger (SQLite file; $ONRECORD_LEDGER).")


def _settings(config: str | None) -> Settings:
    try:
        return Settings.load(config)
    except OnrecordError as e:
        raise UsageFail(str(e)) from None


class Progress:
    """One line on stderr, rewritten at most four times a second: articles, duplicates, errors, articles/s."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.start = time.monotonic()
        self.last = 0.0
        self.stats: dict[str, int] = {}

    def __call__(self, stats: dict[str, int]) -> None:
        self.stats = stats
        now = time.monotonic()
        if self.enabled and now - self.last >= 0.25:
            self.last = now
            click.echo("\r" + self.line(), nl=False, err=True)

    def line(self) -> str:
        s = self.stats
        done = s.get("articles", 0) + s.get("duplicates", 0) + s.get("errors", 0)
        rate = done / max(time.monotonic() - self.start, 1e-9)
        return (f"ingest: {s.get('articles', 0)} articles, {s.get('duplicates', 0)} duplicates, "
                f"{s.get('errors', 0)} errors, {s.get('statements', 0)} statements, {rate:.1f} inputs/s")

    def finish(self) -> None:
        if self.enabled:
            click.echo("\r" + self.line(), err=True)


@click.command()
@click.argument("paths", nargs=-1, required=True)
@_db_option(False)
@click.option("--workers", "-j", type=click.IntRange(0), default=None,
              help="Worker processes (default: all cores; 0 runs in this process).")
@click.option("--input-format", type=click.Choice(INPUT_FORMATS), default=None,
              help="Read every input as this format (default: detect per file).")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="local: a process pool on this machine; ray: Ray Data over a cluster, Parquet shards to --out.")
@click.option("--address", default=None, help="Ray cluster address (--engine ray; default: start Ray locally).")
@click.option("--out", "out", type=click.Path(file_okay=False), default=None,
              help="Folder for the Parquet shards (--engine ray).")
@click.option("--config", type=click.Path(dir_okay=False, exists=True), default=None, help="A settings TOML file.")
@click.option("--batch", type=click.IntRange(1), default=64, show_default=True,
              help="Inputs written per transaction (a killed run loses at most one batch of work).")
@click.option("--progress/--no-progress", default=None, help="A progress line on stderr (default: when a terminal).")
def ingest(paths: tuple[str, ...], db: str, workers: int | None, input_format: str | None, engine: str,
           address: str | None, out: str | None, config: str | None, batch: int, progress: bool | None) -> None:
    """Read every input under PATHS (folders, HTML, text, JSONL, WARC, gzipped), extract, and store in the ledger.

    Re-running adds nothing new; a run that was killed picks up where it stopped. With --engine ray the work
    runs on Ray and lands as Parquet shards in --out, merged into --db when --db is given explicitly.
    """
    from ..store import Ledger

    settings = _settings(config)
    bar = Progress(sys.stderr.isatty() if progress is None else progress)
    try:
        if engine == "ray":
            if not out:
                raise UsageFail("--engine ray needs --out DIR for the Parquet shards")
            from ..scale import ray_ingest

            counts = ray_ingest(list(paths), out, settings=settings, address=address, format=input_format)
            click.echo(f"wrote {counts['items']} items in {counts['shards']} shard(s) to {out}", err=True)
            if _given(db):
                with Ledger.open(db) as ledger:
                    stats = ledger.merge(out, progress=bar)
                bar.finish()
                _summary(stats, db)
            return
        with Ledger.open(db) as ledger:
            stats = ledger.ingest(paths, settings=settings, workers=workers, format=input_format, progress=bar,
                                  batch=batch)
        bar.finish()
    except OnrecordError as e:
        raise UsageFail(str(e)) from None
    _summary(stats, db)


def _given(db: str) -> bool:
    ctx = click.get_current_context()
    return ctx.get_parameter_source("db") not in (click.core.ParameterSource.DEFAULT, None)


def _summary(stats: dict[str, int], db: str) -> None:
    click.echo(f"{db}: {stats['articles']} new articles, {stats['duplicates']} duplicates, {stats['errors']} errors, "
               f"{stats['statements']} statements; {stats['skipped'] + stats['skipped_files']} inputs already in")


@click.command()
@click.argument("folder", type=click.Path(file_okay=False, exists=True))
@_db_option(False)
@click.option("--progress/--no-progress", default=None, help="A progress line on stderr (default: when a terminal).")
def merge(folder: str, db: str, progress: bool | None) -> None:
    """Load the Parquet shards in FOLDER (from ingest --engine ray) into the ledger, with the same dedupe rules."""
    from ..store import Ledger

    bar = Progress(sys.stderr.isatty() if progress is None else progress)
    try:
        with Ledger.open(db) as ledger:
            stats = ledger.merge(folder, progress=bar)
    except OnrecordError as e:
        raise UsageFail(str(e)) from None
    bar.finish()
    _summary(stats, db)


def _emit(rows: list[dict[str, Any]], fmt: str, columns: list[tuple[str, int]]) -> None:
    if fmt == "jsonl":
        for r in rows:
            click.echo(json.dumps(r, ensure_ascii=False))
    elif fmt == "csv":
        if rows:
            w = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]), lineterminator="\n")
            w.writeheader()
            w.writerows({k: json.dumps(v) if isinstance(v, list) else v for k, v in r.items()} for r in rows)
    else:
        click.echo("  ".join(name.ljust(width) for name, width in columns).rstrip())
        for r in rows:
            cells = []
            for name, width in columns:
                text = " ".join(str("" if r.get(name) is None else r.get(name)).split())
                cells.append((text[: width - 1] + "…" if len(text) > width else text).ljust(width))
            click.echo("  ".join(cells).rstrip())


_FORMAT = click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "csv"]), default="table",
                       show_default=True, help="Output format.")


@click.command()
@click.argument("query", required=False, default="")
@_db_option(True)
@click.option("--speaker", default=None, help="Part of the speaker's name (case-insensitive).")
@click.option("--kind", type=click.Choice(["direct", "indirect", "mixed"]), default=None, help="Statement kind.")
@click.option("--channel", default=None, help="Channel (interview, statement, press conference, ...).")
@click.option("--outlet", default=None, help="The article's outlet.")
@click.option("--since", default=None, help="Said on or after this date (YYYY[-MM[-DD]]).")
@click.option("--until", default=None, help="Said on or before this date (YYYY[-MM[-DD]]).")
@click.option("--limit", type=click.IntRange(1), default=50, show_default=True, help="At most this many rows.")
@_FORMAT
def search(query: str, db: str, speaker: str | None, kind: str | None, channel: str | None, outlet: str | None,
           since: str | None, until: str | None, limit: int, fmt: str) -> None:
    """Statements matching QUERY (SQLite FTS5 syntax over content and speaker: words, "phrases", AND, OR, NOT,
    prefix*), best first; without QUERY, the newest statements that pass the filters."""
    from ..store import Ledger
    from ..store.query import QueryError

    with Ledger.open(db, readonly=True) as ledger:
        try:
            rows = ledger.search(query, speaker=speaker, kind=kind, channel=channel, outlet=outlet, since=since,
                                 until=until, limit=limit)
        except QueryError as e:
            raise UsageFail(str(e)) from None
    _emit(rows, fmt, [("date", 10), ("speaker_name", 24), ("kind", 8), ("content", 70), ("title", 30)])


@click.group(invoke_without_command=True)
@_db_option(False)  # checked below: a subcommand may name its own --db
@click.option("--name", default=None, help="Part of the speaker's name (case-insensitive).")
@click.option("--type", "type_", default=None, help="Speaker type (person, organization, anonymous, ...).")
@click.option("--limit", type=click.IntRange(1), default=None, help="At most this many rows.")
@_FORMAT
@click.pass_context
def speakers(ctx: click.Context, db: str, name: str | None, type_: str | None, limit: int | None, fmt: str) -> None:
    """Speakers in the ledger with their statement and article counts, most quoted first."""
    ctx.ensure_object(dict)["db"] = db
    if ctx.invoked_subcommand is not None:
        return
    if not Path(db).is_file():
        raise click.BadParameter(f"File {db!r} does not exist.", param_hint="'--db'")
    from ..store import Ledger

    with Ledger.open(db, readonly=True) as ledger:
        rows = ledger.speakers(name=name, type=type_, limit=limit)
    if fmt == "table":
        rows = [_speaker_row_for_people(r) for r in rows]
    _emit(rows, fmt, [("name", 30), ("type", 12), ("statements", 10), ("articles", 8), ("first", 10),
                      ("last", 10), ("roles", 30)])


def _speaker_row_for_people(row: dict) -> dict:
    """One shape for the table whether or not the cross-article pass ran (it adds dated roles, aliases)."""

    def values(v: object) -> str:
        if isinstance(v, list):
            return ", ".join(str(x.get("value") if isinstance(x, dict) else x) for x in v)
        return "" if v is None else str(v)

    return {**row, "first": row.get("first") or row.get("first_seen"), "last": row.get("last") or row.get("last_seen"),
            "roles": values(row.get("roles"))}


@click.command()
@_db_option(True)
@click.option("--table", type=click.Choice(["statements", "articles", "speakers", "problems", "errors", "inputs",
                                            "runs"]), default="statements", show_default=True, help="What to export.")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet"]), default="jsonl", show_default=True,
              help="Output format.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None,
              help="Output file (default: standard output; parquet needs a file).")
def export(db: str, table: str, fmt: str, output: str | None) -> None:
    """Write one ledger table as JSON Lines, CSV or Parquet."""
    from ..store import Ledger

    if fmt == "parquet" and not output:
        raise UsageFail("--format parquet needs --output FILE")
    try:
        with Ledger.open(db, readonly=True) as ledger:
            n = ledger.export(table, fmt, output)
    except OnrecordError as e:
        raise UsageFail(str(e)) from None
    if output:
        click.echo(f"wrote {n} {table} rows to {os.fspath(Path(output))}", err=True)
