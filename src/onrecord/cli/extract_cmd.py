"""``onrecord extract``: read pages, print one record per article (JSON Lines, JSON or a table)."""

from __future__ import annotations

import json
import shutil
import sys
import textwrap
from typing import TextIO

import click

from ..errors import ConfigError, InputError
from ..limits import ArticleTimeout, time_limit
from ..model import Article, ErrorRecord, Problem, RawInput, Result, Statement
from ..settings import Settings

OUTPUT_FORMATS = ("jsonl", "json", "table")
INPUT_FORMATS = ("html", "text", "jsonl", "warc")


def process(item: RawInput | Article | ErrorRecord, settings: Settings, *, as_is: bool = False) -> Result:
    """One input through reading and extraction, within ``settings.article_timeout_s``."""
    from ..api import extract_one
    from ..read import read_input

    if isinstance(item, ErrorRecord):
        return item
    stage = "read"
    try:
        with time_limit(settings.article_timeout_s):
            if isinstance(item, RawInput):
                try:
                    article = read_input(item, settings, as_is=as_is)
                except InputError as e:
                    return ErrorRecord(item.source, Problem(e.code, e.message), stage="read")
                except Exception as e:  # one broken input never stops a batch
                    return ErrorRecord(item.source, Problem("read_failed", f"{type(e).__name__}: {e}"), stage="read")
            else:
                article = item
            stage = "extract"
            return extract_one(article, settings)
    except ArticleTimeout:
        return ErrorRecord(item.source, Problem(
            "timeout", f"over the {settings.article_timeout_s:g} s per-article limit (article_timeout_s)"), stage=stage)


@click.command("extract")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--format", "output_format", type=click.Choice(OUTPUT_FORMATS), default="jsonl", show_default=True,
              help="jsonl: one JSON object per article; json: one array; table: a readable rendering.")
@click.option("--as-is", is_flag=True, help="Take text inputs as the exact article body (no cleaning).")
@click.option("--input-format", type=click.Choice(INPUT_FORMATS), default=None,
              help="Read every input as this format instead of detecting it.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), default=None,
              help="A TOML settings file (see defaults.toml).")
def extract(paths: tuple[str, ...], output_format: str, as_is: bool, input_format: str | None,
            config_file: str | None) -> None:
    """Extract who said what from news pages: files, folders or - (standard input).

    Inputs: HTML (.html, .htm, .xhtml), scraped text (.txt), JSON Lines with a "text" or "html"
    field (.jsonl, .ndjson) and WARC (.warc, .warc.gz); .gz files are read too. An input that
    cannot be read gives an error object on standard output and a line on standard error; the
    batch goes on and the exit status is 1.

    \b
    Examples:
      onrecord extract --format table story.html
      onrecord extract pages/ > records.jsonl
      cat story.txt | onrecord extract -
    """
    from .. import nlp
    from ..read import iter_inputs

    try:
        settings = Settings.load(config_file)
    except ConfigError as e:
        raise click.BadParameter(str(e), param_hint="--config") from None
    nlp.load(settings.model, settings.numpy_gemm)  # a missing model is a setup error, not a per-article one
    out = sys.stdout
    writer = _Writer(output_format, out)
    failed = 0
    for item in iter_inputs(list(paths), format=input_format, settings=settings):
        result = process(item, settings, as_is=as_is)
        if isinstance(result, ErrorRecord):
            failed += 1
            click.echo(f"error: {result.source}: {result.stage}: {result.error.code}: {result.error.message}", err=True)
        writer.write(result)
    writer.close()
    if failed:
        sys.exit(1)


class _Writer:
    """Streams results in one of the output formats."""

    def __init__(self, fmt: str, out: TextIO) -> None:
        self.fmt = fmt
        self.out = out
        self.count = 0
        self.width = max(40, min(100, shutil.get_terminal_size((100, 24)).columns))

    def write(self, result: Result) -> None:
        if self.fmt == "table":
            self.out.write(render_table(result, self.width) + "\n")
        else:
            line = json.dumps(result.to_dict(), ensure_ascii=False)
            if self.fmt == "json":
                line = ("[\n" if self.count == 0 else ",\n") + line
            else:
                line += "\n"
            self.out.write(line)
        self.count += 1
        self.out.flush()

    def close(self) -> None:
        if self.fmt == "json":
            self.out.write("[]\n" if self.count == 0 else "\n]\n")
        self.out.flush()


def render_table(result: Result, width: int = 100) -> str:
    """A person's view of one result: the article header, then one block per statement."""
    rule = "=" * width
    if isinstance(result, ErrorRecord):
        return "\n".join([rule, f"{result.source}", f"  could not {result.stage} it: {result.error.code}: "
                          f"{result.error.message}", ""])
    a = result.article
    lines = [rule, a.title or "(untitled)"]
    facts = [("date", a.published), ("outlet", a.outlet), ("authors", ", ".join(a.authors)),
             ("credits", ", ".join(a.credits)), ("language", a.language)]
    lines.append("  ".join(f"{k}: {v}" for k, v in facts if v) or "(no metadata)")
    lines.append(f"source: {a.source}" + (f"  url: {a.url}" if a.url else ""))
    n = len(result.statements)
    lines.append(f"{n} statement{'s' if n != 1 else ''}" + (f", {len(result.problems)} problem(s): "
                 + ", ".join(p.code for p in result.problems) if result.problems else ""))
    for i, st in enumerate(result.statements, 1):
        lines.append("-" * width)
        lines.extend(_statement_block(i, st, width))
    lines.append("")
    return "\n".join(lines)


def _statement_block(i: int, st: Statement, width: int) -> list[str]:
    sp = st.speaker
    issued = f"issued by {sp.issued_by}" if sp.issued_by else None
    about = ", ".join(x for x in (sp.type, sp.role, sp.affiliation, issued) if x)
    who = f"{sp.name or '(unknown)'} ({about})"
    head = f"{i:>3}. {st.kind:<8} {who}"
    details = [f"{k}: {v}" for k, v in (("channel", st.channel), ("via", st.via), ("date", st.date),
                                         ("cue", st.cue.text if st.cue else None)) if v]
    if st.flags:
        details.append("flags: " + ", ".join(st.flags))
    if st.confidence < 1.0:
        details.append(f"confidence: {st.confidence:.2f}")
    indent = " " * 5
    out = [head]
    if details:
        out.extend(textwrap.wrap("  ".join(details), width, initial_indent=indent, subsequent_indent=indent))
    content = " ".join(st.content.text.split())
    out.extend(textwrap.wrap(f"“{content}”" if st.kind == "direct" else content, width,
                             initial_indent=indent, subsequent_indent=indent))
    return out
