"""[Attribution] -> [Statement]: speakers resolved, channel, relay and date (speakers.py, channels.py, dates.py)."""

from __future__ import annotations

from ..model import Problem, Speaker, Statement
from ..settings import Settings
from .types import Attribution, Parsed


def resolve(parsed: Parsed, attributions: list[Attribution], settings: Settings) -> tuple[list[Statement], list[Problem]]:
    # Work in progress: speaker resolution, channels and dates land here.
    out = []
    for a in attributions:
        out.append(Statement(a.kind, a.content, a.cue,
                             Speaker(a.source.text if a.source else None, "unknown", a.source),
                             confidence=a.confidence, flags=a.flags))
    return out, []
