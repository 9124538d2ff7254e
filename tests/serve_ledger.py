"""A small ledger for the reading-room tests, written through ``onrecord.store.Ledger`` from texts made up here.

Some strings are hostile on purpose (markup, event handlers, a javascript: URL): the pages must show them as text.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from onrecord.model import Article, Record, Speaker, Span, Statement
from onrecord.store import Ledger

XSS_TITLE = '<script>alert("title")</script> Talks & <b>more</b>'
XSS_OUTLET = '"><img src=x onerror=alert("outlet")>'
XSS_SPEAKER = "<img src=x onerror=alert(1)>"
XSS_CONTENT = '<script>alert(2)</script> is not a quote & never was'
XSS_SPEAKER_2 = "Ana </mark><b>Bold</b>"
XSS_CONTENT_2 = "the ceasefire is <svg onload=alert(3)>"


def _span(text: str, piece: str, after: int = 0) -> Span:
    start = text.index(piece, after)
    return Span.of(text, start, start + len(piece))


@dataclass(frozen=True)
class Said:
    """One statement to put in an article: pieces of the text found by search (the n-th occurrence after ``after``)."""

    content: str
    cue: str | None
    mention: str | None
    name: str | None
    type: str = "person"
    kind: str = "direct"
    channel: str | None = None
    date: str | None = None
    role: str | None = None
    affiliation: str | None = None
    flags: tuple[str, ...] = ()
    after: int = 0


def record(text: str, said: list[Said], **meta: object) -> Record:
    statements = []
    for s in said:
        content = _span(text, s.content, s.after)
        mention = _span(text, s.mention, s.after) if s.mention else None
        cue = _span(text, s.cue, s.after) if s.cue else None
        speaker = Speaker(s.name, s.type, mention, s.role, s.affiliation)  # type: ignore[arg-type]
        statements.append(Statement(s.kind, content, cue, speaker, None, s.channel, s.date, 0.9, s.flags))  # type: ignore[arg-type]
    return Record(Article(text=text, **meta), tuple(statements))  # type: ignore[arg-type]


def records() -> list[Record]:
    t1 = ('The special envoy Marta Quill said on Monday that the ceasefire talks "made real progress."\n\n'
          '"We are not there yet," Quill told reporters in Doha. A spokesman for the Northern Alliance, '
          "Tomas Brenn, denied that any deal had been signed.")
    t2 = ('Marta Quill said the ceasefire would hold. "It will hold," she said in a statement. '
          "The Ministry of Calm said in a statement it welcomed the ceasefire. A senior official, speaking on "
          "condition of anonymity, said the talks had stalled.")
    t3 = (f'An official named {XSS_SPEAKER} said "{XSS_CONTENT}." Later, {XSS_SPEAKER_2} said '
          f"{XSS_CONTENT_2}.")
    out = [
        record(t1, [
            Said("made real progress.", "said", "Marta Quill", "Marta Quill", role="special envoy",
                 channel="remarks", date="2019-02-25"),
            Said("We are not there yet,", "told", "Quill", "Marta Quill", role="special envoy", channel="press",
                 date="2019-02-25", after=t1.index('"We')),
            Said("that any deal had been signed", "denied", "Tomas Brenn", "Tomas Brenn", kind="indirect",
                 role="spokesman", affiliation="Northern Alliance", channel="remarks", date="2019-02-25",
                 flags=("denial",)),
        ], title="Envoy reports progress in ceasefire talks", published="2019-02-25", outlet="Daily Ledger",
            url="https://example.org/envoy-progress", id="a-envoy"),
        record(t2, [
            Said("the ceasefire would hold", "said", "Marta Quill", "Marta Quill", kind="indirect",
                 role="special envoy", channel="remarks", date="2019-03-10"),
            Said("It will hold,", "said", "she", "Marta Quill", role="special envoy", channel="statement",
                 date="2019-03-10"),
            Said("it welcomed the ceasefire", "said", "The Ministry of Calm", "Ministry of Calm",
                 type="organization", kind="indirect", channel="statement", date="2019-03-10",
                 after=t2.index("The Ministry")),
            Said("the talks had stalled", "said", "A senior official", "a senior official", type="anonymous",
                 kind="indirect", channel="anonymous", date="2019-03-10"),
        ], title="Quill: the ceasefire will hold", published="2019-03-10", outlet="Wire Service",
            url="https://example.org/quill-hold", id="a-hold"),
        record(t3, [
            Said(XSS_CONTENT, "said", XSS_SPEAKER, XSS_SPEAKER, channel="remarks", date="2020-01-05"),
            Said(XSS_CONTENT_2, "said", XSS_SPEAKER_2, XSS_SPEAKER_2, kind="indirect", date="2020-01-05",
                 after=t3.index("Later")),
        ], title=XSS_TITLE, published="2020-01-05", outlet=XSS_OUTLET, url='javascript:alert("url")', id="a-xss"),
        record("Sunny skies all week, the forecast says nothing about politics.", [],
               title="Weather report", published="2019-04-01", outlet="Daily Ledger", id="a-weather"),
    ]
    for month in range(4, 9):
        text = f"Marta Quill said the ceasefire talks resumed in month {month}."
        out.append(record(text, [
            Said(f"the ceasefire talks resumed in month {month}", "said", "Marta Quill", "Marta Quill",
                 kind="indirect", role="special envoy", channel="interview", date=f"2019-{month:02d}-15"),
        ], title=f"Talks resume ({month})", published=f"2019-{month:02d}-15", outlet="Wire Service",
            id=f"a-resume-{month}"))
    return out


def build_ledger(path: Path) -> Path:
    """Write the test ledger at ``path`` (a fresh file) and return the path."""
    with Ledger.open(path) as ledger:
        with ledger.transaction():
            for rec in records():
                ledger.add(rec)
        ledger.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path
