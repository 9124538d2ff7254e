"""Render the CLI reference (docs/cli.md) from the commands' own ``--help``.

    python -m onrecord.cli.docs > docs/cli.md
"""

from __future__ import annotations

import click

from .main import cli


def _walk(cmd: click.Command, path: list[str], ctx: click.Context | None) -> list[tuple[list[str], click.Command, click.Context]]:
    settings = {"terminal_width": 100, "max_content_width": 100, **cmd.context_settings}
    sub_ctx = click.Context(cmd, info_name=path[-1], parent=ctx, **settings)
    out = [(path, cmd, sub_ctx)]
    if isinstance(cmd, click.Group):
        for name in cmd.list_commands(sub_ctx):
            child = cmd.get_command(sub_ctx, name)
            if child is not None and not child.hidden:
                out.extend(_walk(child, [*path, name], sub_ctx))
    return out


def render() -> str:
    lines = [
        "# Command-line reference",
        "",
        "Generated from the commands' own `--help` by `python -m onrecord.cli.docs > docs/cli.md`;",
        "a test fails when this file and the commands disagree.",
        "",
    ]
    for path, cmd, ctx in _walk(cli, ["onrecord"], None):
        lines += [f"## `{' '.join(path)}`", "", "```", cmd.get_help(ctx).rstrip(), "```", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    print(render(), end="")
