"""Attributions built by hand over real parses, to test the resolver apart from the attribution finder."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from onrecord import nlp as nlp_mod
from onrecord.extract.parse import parse
from onrecord.extract.types import Attribution, Parsed
from onrecord.model import Article, Span


@dataclass
class Spec:
    """One statement: the content, cue and source as substrings of the text (the occurrence nearest the content)."""

    kind: str
    content: str
    cue: str | None
    source: str | None
    extra: dict[str, str] = field(default_factory=dict)
    after: str | None = None  # the content is the first occurrence after this substring


def near(text: str, sub: str, around: Span) -> Span:
    """The occurrence of ``sub`` (as a whole word run) nearest to ``around``, in the same paragraph if any."""
    starts = [m.start() for m in re.finditer(r"(?<!\w)" + re.escape(sub) + r"(?!\w)", text)]
    if not starts:
        raise AssertionError(f"{sub!r} not in text")

    def dist(a: int) -> tuple[int, int]:
        b = a + len(sub)
        gap = around.start - b if b <= around.start else (a - around.end if a >= around.end else 0)
        between = text[min(b, around.start):max(a, around.end)] if gap else ""
        return ("\n\n" in between, gap)

    a = min(starts, key=dist)
    return Span.of(text, a, a + len(sub))


def build(text: str, specs: list[Spec], **article: Any) -> tuple[Parsed, list[Attribution]]:
    parsed = parse(Article(text=text, **article), nlp_mod.load())
    out = []
    for s in specs:
        base = text.index(s.after) if s.after else 0
        c0 = text.index(s.content, base)
        content = Span.of(text, c0, c0 + len(s.content))
        cue = near(text, s.cue, content) if s.cue else None
        source = near(text, s.source, cue or content) if s.source else None
        extra: dict[str, object] = {k: near(text, v, cue or content) for k, v in s.extra.items()}
        para = parsed.paragraph_at((cue or content).start)
        assert para is not None
        out.append(Attribution(s.kind, content, cue, source, para.index, extra=extra))  # type: ignore[arg-type]
    return parsed, out


def resolved(text: str, specs: list[Spec], **article: Any):  # type: ignore[no-untyped-def]
    """(statements, problems) of the resolver over hand-built attributions."""
    from onrecord.extract.resolve import resolve
    from onrecord.settings import Settings

    parsed, attrs = build(text, specs, **article)
    return resolve(parsed, attrs, Settings.load())
