"""The ``onrecord`` command group. Each command lives in its own module under ``onrecord.cli``."""

from __future__ import annotations

import importlib
import logging
import sys

import click

from .. import __version__
from ..errors import OnrecordError

# (module, attribute) of every command; a module owns its command(s) and options.
COMMANDS: list[tuple[str, str]] = [
    ("onrecord.cli.extract_cmd", "extract"),
    ("onrecord.cli.ledger_cmd", "ingest"),
    ("onrecord.cli.ledger_cmd", "merge"),
    ("onrecord.cli.ledger_cmd", "search"),
    ("onrecord.cli.links_cmd", "speakers"),  # the ledger's group plus merge/split/rename
    ("onrecord.cli.ledger_cmd", "speakers"),
    ("onrecord.cli.ledger_cmd", "export"),
    ("onrecord.cli.serve_cmd", "serve"),
    ("onrecord.cli.eval_cmd", "eval"),
    ("onrecord.cli.links_cmd", "story"),
    ("onrecord.cli.links_cmd", "link"),
]


class LazyGroup(click.Group):
    """Imports a command's module only when that command is used (keeps ``onrecord --help`` fast)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({name for _, name in COMMANDS if self._load(name) is not None})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        return self._load(name)

    @staticmethod
    def _load(name: str) -> click.Command | None:
        for module, attr in COMMANDS:
            if attr != name:
                continue
            try:
                mod = importlib.import_module(module)
            except ModuleNotFoundError as e:
                if e.name == module:
                    return None
                raise
            cmd = getattr(mod, attr, None)
            if cmd is not None:
                return cmd
        return None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="onrecord")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
def cli(verbose: int) -> None:
    """onrecord: who said what, when, through which channel, on whose authority."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


def main() -> None:
    try:
        cli(standalone_mode=True)
    except OnrecordError as e:  # configuration errors: a message, not a traceback
        click.echo(f"error: {e}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
