"""``onrecord link``, ``onrecord story`` and ``onrecord speakers merge|split|rename``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from ..links.queries import LinkError


def _open(db: str, *, must_exist: bool = True) -> Any:
    from ..store import Ledger

    if must_exist and db != ":memory:" and not Path(db).exists():
        raise click.UsageError(f"no ledger at {db}: build one with `onrecord ingest PATH --db {db}`")
    return Ledger.open(db)


def _fail(e: Exception) -> None:
    click.echo(f"error: {e}", err=True)
    sys.exit(2)


db_option = click.option("--db", "db", default="ledger.db", show_default=True, envvar="ONRECORD_LEDGER",
                         type=click.Path(dir_okay=False), help="The ledger (SQLite file; $ONRECORD_LEDGER).")
sub_db_option = click.option("--db", "db", default=None, type=click.Path(dir_okay=False),
                             help="The ledger (SQLite file); default: the --db given to `speakers`.")


@click.command("link")
@db_option
@click.option("--bare-surnames-within", "bare_days", type=click.IntRange(0), default=None,
              help="Also let a bare surname with no other evidence join the only person of the ledger with that "
                   "surname quoted within DAYS (default: off; bare surnames need evidence).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Summary as lines of text or one JSON object.")
def link(db: str, bare_days: int | None, fmt: str) -> None:
    """Link across articles: speaker identities, near-duplicates, stories, denials and what they deny."""
    from ..links.linker import LinkConfig, run_links

    with _open(db) as ledger:
        result = run_links(ledger.conn, LinkConfig(bare_window_days=bare_days))
    if fmt == "json":
        click.echo(json.dumps(result))
        return
    for k, v in result["counts"].items():
        click.echo(f"{k:>22}  {v}")
    click.echo(f"{'seconds':>22}  " + ", ".join(f"{k} {v:.2f}" for k, v in result["timings"].items()))


@click.command("story")
@click.argument("query")
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True,
              help="A table grouped by speaker, or one JSON object per statement.")
@click.option("--width", type=int, default=100, show_default=True, help="Characters of content shown per row (table).")
def story(query: str, db: str, fmt: str, width: int) -> None:
    """The statements of the story that best matches QUERY (full-text), by speaker over time."""
    from ..links.queries import find_story

    with _open(db) as ledger:
        try:
            found = find_story(ledger.conn, query)
        except LinkError as e:
            _fail(e)
            return
    if found is None:
        click.echo(f"no story matches {query!r}", err=True)
        sys.exit(1)
    rows = found.pop("statements")
    if fmt == "jsonl":
        for row in rows:
            click.echo(json.dumps({"story": found["id"], **row}, ensure_ascii=False))
        return
    click.echo(f"story {found['id']}: {found['title'] or '(untitled)'}")
    click.echo(f"{found['n_articles']} article(s), {found['first_date'] or '?'} .. {found['last_date'] or '?'};"
               f" terms: {', '.join(found['terms'])}")
    rows, copies = _once_per_wire_story(rows)
    by_speaker: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_speaker.setdefault(row["speaker"] or "(unknown speaker)", []).append(row)
    for speaker, items in by_speaker.items():
        click.echo(f"\n{speaker}")
        for row in items:
            mark = {"denial": "DENIES ", "confirmation": "CONFIRMS "}.get(row["stance"] or "", "")
            content = " ".join(row["content"].split())
            if len(content) > width:
                content = content[: width - 1] + "\u2026"
            n = copies.get(row["article_id"], 0)
            also = f"  (+{n} wire cop{'y' if n == 1 else 'ies'})" if n else ""
            click.echo(f"  {row['date'] or '????-??-??'}  {mark}{content}{also}")


def _once_per_wire_story(rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], dict[int, int]]:
    """Statements of the first article of each near-duplicate cluster only, and how many copies each stands for."""
    first: dict[int, int] = {}  # cluster -> the article kept
    copies: dict[int, set[int]] = {}
    kept = []
    for row in rows:
        cluster = row.get("duplicate_of")
        if cluster is None:
            kept.append(row)
            continue
        keep = first.setdefault(cluster, row["article_id"])
        if row["article_id"] == keep:
            kept.append(row)
        else:
            copies.setdefault(keep, set()).add(row["article_id"])
    return kept, {a: len(c) for a, c in copies.items()}


@click.command("merge")
@click.argument("a")
@click.argument("b")
@sub_db_option
@click.pass_context
def speakers_merge(ctx: click.Context, a: str, b: str, db: str | None) -> None:
    """Merge speaker B into speaker A (each an id or a name); kept across re-ingest and re-linking."""
    _override(_db(ctx, db), "merge", a, b)


@click.command("split")
@click.argument("a")
@sub_db_option
@click.pass_context
def speakers_split(ctx: click.Context, a: str, db: str | None) -> None:
    """Split speaker A (an id or a name) back into the names that were merged into it."""
    _override(_db(ctx, db), "split", a)


@click.command("rename")
@click.argument("a")
@click.argument("new")
@sub_db_option
@click.pass_context
def speakers_rename(ctx: click.Context, a: str, new: str, db: str | None) -> None:
    """Show speaker A (an id or a name) under the name NEW."""
    _override(_db(ctx, db), "rename", a, name=new)


def _db(ctx: click.Context, db: str | None) -> str:
    if db is not None:
        return db
    parent = ctx.find_object(dict) or {}
    return str(parent.get("db") or "ledger.db")


def _override(db: str, op: str, a: str, b: str | None = None, name: str | None = None) -> None:
    from ..links.linker import relink_identities
    from ..links.queries import add_override, find_identity

    with _open(db) as ledger:
        try:
            first = find_identity(ledger.conn, a)
            second = find_identity(ledger.conn, b) if b is not None else None
            add_override(ledger.conn, op, first, second, name)
        except LinkError as e:
            _fail(e)
            return
        n = relink_identities(ledger.conn)
    click.echo(f"{op}: {first['name']}" + (f" <- {second['name']}" if second else "") +
               (f" as {name!r}" if name else "") + f"; {n} speakers")


SUBCOMMANDS = (speakers_merge, speakers_split, speakers_rename)

try:  # the ledger's `speakers` group, with the override subcommands added
    from .ledger_cmd import speakers
except ImportError:  # pragma: no cover - the ledger commands are not installed
    speakers = None
else:
    for _cmd in SUBCOMMANDS:
        if isinstance(speakers, click.Group) and _cmd.name not in speakers.commands:
            speakers.add_command(_cmd)
