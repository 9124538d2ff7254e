"""``onrecord serve``: the reading room (web pages + JSON API) over a ledger, read-only."""

from __future__ import annotations

import os
from pathlib import Path

import click

from ..errors import MissingExtra


def _require_extra() -> None:
    try:
        import fastapi  # noqa: F401
        import jinja2  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as e:
        raise MissingExtra(f"onrecord serve ({e.name} is missing)", "serve") from None


@click.command()
@click.argument("ledger", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (loopback unless told otherwise).")
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True)
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True, help="Server processes.")
@click.option("--count-cap", type=click.IntRange(1, 1_000_000), default=1000, show_default=True,
              help="Filtered searches count at most this many matches (a full-text query alone is counted exactly).")
def serve(ledger: Path, host: str, port: int, workers: int, count_cap: int) -> None:
    """Serve the reading room for LEDGER (opened read-only): search, articles, speakers, stories, /api."""
    _require_extra()
    import uvicorn

    from ..serve.aggregates import SpeakerCounts
    from ..serve.app import CAP_ENV, LEDGER_ENV
    from ..serve.db import ReadOnlyPool

    pool = ReadOnlyPool(ledger)  # fails early, with a message, on a file that is not a ledger
    click.echo("counting speakers (once per ledger state) ...", err=True)
    SpeakerCounts(pool).ensure()
    pool.close()
    os.environ[LEDGER_ENV] = str(ledger.resolve())
    os.environ[CAP_ENV] = str(count_cap)
    click.echo(f"onrecord reading room on http://{host}:{port}/  (ledger {ledger}, read-only; Ctrl-C stops)", err=True)
    uvicorn.run("onrecord.serve.app:app_from_env", factory=True, host=host, port=port, workers=workers,
                log_level="warning", access_log=False)
