"""Parsed -> [Attribution]: direct quotes, indirect and mixed speech (quotes.py, cues.py, sources.py)."""

from __future__ import annotations

from ..settings import Settings
from .types import Attribution, Parsed


def find_attributions(parsed: Parsed, settings: Settings) -> list[Attribution]:
    # Work in progress: the quote pairing and cue stages land here.
    return []
