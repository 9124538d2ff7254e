"""An article body as HTML with every statement marked in place, built from character offsets.

Every piece of article text passes through ``markupsafe.escape``; only the tags written here are markup.
A statement's content, its cue and its speaker mention are marked; overlapping spans are handled by
cutting the text at every span boundary and wrapping each piece once with the classes of all spans
that cover it, so the output is always well-formed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

PALETTE_SIZE = 12


def speaker_color(key: str | int | None) -> int:
    """A stable palette index (0..PALETTE_SIZE-1) for a speaker name or id; the same key always gets the same colour."""
    if key is None or key == "":
        return PALETTE_SIZE - 1
    norm = " ".join(str(key).split()).casefold()
    return int.from_bytes(hashlib.blake2b(norm.encode("utf-8"), digest_size=4).digest(), "big") % PALETTE_SIZE


@dataclass(frozen=True, slots=True)
class Mark:
    """One span to mark: ``role`` is "content", "cue" or "mention"; ``statement`` the statement id it belongs to."""

    start: int
    end: int
    role: str
    statement: int
    color: int


def marks_for(statements: Iterable[dict], text_len: int) -> list[Mark]:
    """The marks of statement dicts (keys as in the API: content_start/end, cue, speaker.mention), clipped to the text."""
    marks: list[Mark] = []
    for st in statements:
        color = int(st.get("color", 0))
        sid = int(st["id"])
        spans = [("content", st.get("content_start"), st.get("content_end"))]
        cue = st.get("cue")
        if cue:
            spans.append(("cue", cue.get("start"), cue.get("end")))
        mention = (st.get("speaker") or {}).get("mention")
        if mention:
            spans.append(("mention", mention.get("start"), mention.get("end")))
        for role, start, end in spans:
            if start is None or end is None:
                continue
            start, end = max(0, int(start)), min(text_len, int(end))
            if start < end:
                marks.append(Mark(start, end, role, sid, color))
    return marks


def _open_tag(active: Sequence[Mark], first_of: set[tuple[int, str]]) -> Markup:
    """The opening tag for a piece covered by ``active`` marks (innermost = the last started)."""
    classes: list[str] = []
    attrs: list[str] = []
    contents = [m for m in active if m.role == "content"]
    top = active[-1]
    if contents:
        classes.append("st")
        classes.append(f"c{contents[-1].color}")
        attrs.append(f'data-st="{contents[-1].statement}"')
        if len({m.statement for m in contents}) > 1:
            classes.append("nested")
    for role in ("cue", "mention"):
        hit = [m for m in active if m.role == role]
        if hit:
            classes.append(role)
            if not contents:
                classes.append(f"c{hit[-1].color}")
                attrs.append(f'data-st="{hit[-1].statement}"')
    ident = ""
    for m in active:
        key = (m.statement, m.role)
        if m.role == "content" and key in first_of:
            first_of.discard(key)
            ident = f' id="s-{m.statement}"'
    title = {"content": "statement", "cue": "cue", "mention": "speaker"}[top.role]
    return Markup(f'<mark class="{" ".join(classes)}"{ident} {" ".join(attrs)} title="{title}">')


def highlight(text: str, marks: Sequence[Mark]) -> Markup:
    """``text`` as escaped HTML with ``marks`` wrapped in ``<mark>`` elements; the first piece of each content gets ``id="s-<id>"``."""
    if not marks:
        return escape(text)
    cuts = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    ordered = sorted(marks, key=lambda m: (m.start, -m.end, m.statement))
    first_of = {(m.statement, m.role) for m in marks if m.role == "content"}
    out: list[str] = []
    for a, b in zip(cuts, cuts[1:]):
        piece = escape(text[a:b])
        active = [m for m in ordered if m.start <= a and m.end >= b]
        if active:
            out.append(_open_tag(active, first_of) + piece + Markup("</mark>"))
        else:
            out.append(piece)
    return Markup("").join(out)
