"""docs/cli.md is the commands' own help: an undocumented option or command fails here."""

from __future__ import annotations

from pathlib import Path

from onrecord.cli.docs import render

DOC = Path(__file__).resolve().parents[1] / "docs" / "cli.md"


def test_cli_reference_is_current():
    assert DOC.exists(), "docs/cli.md is missing: python -m onrecord.cli.docs > docs/cli.md"
    assert DOC.read_text("utf-8") == render(), "docs/cli.md is stale: python -m onrecord.cli.docs > docs/cli.md"
