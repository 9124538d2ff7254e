"""When a statement was made: date phrases near the cue, resolved against the article's date.

    "on January 26", "Jan. 26, 2019", "26 January"   a day (the year from the phrase, the
                                                     publication date, or the page's date hint)
    "on Tuesday", "Tuesday night"                    the latest such weekday on/before publication
    "yesterday", "today", "last night"               relative to publication
    "last week", "last month"                        approximate (flagged)

A month alone ("in February") is never a statement date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {m: i + 1 for i, m in enumerate(("january", "february", "march", "april", "may", "june", "july",
                                          "august", "september", "october", "november", "december"))}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
WEEKDAYS = {d: i for i, d in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))}

_MONTH = r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December|" \
         r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?P<year>(?:19|20)\d\d))?"
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("iso", re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b")),
    ("md", re.compile(r"\b" + _MONTH + r"\s+" + _DAY + r"\b" + _YEAR)),
    ("dm", re.compile(r"\b" + _DAY + r"\s+(?:of\s+)?" + _MONTH + r"\b" + _YEAR)),
    ("weekday", re.compile(r"\b(?:(?P<last>last)\s+)?(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
                           r"Sunday)\b")),
    ("relative", re.compile(r"\b(?P<rel>yesterday|today|tonight|this morning|this afternoon|this evening|"
                            r"last night|earlier today|the day before)\b", re.I)),
    ("approx", re.compile(r"\b(?P<approx>last week|last month|earlier this week|earlier this month)\b", re.I)),
)
RELATIVE_DAYS = {"yesterday": -1, "last night": -1, "the day before": -1, "today": 0, "tonight": 0,
                 "this morning": 0, "this afternoon": 0, "this evening": 0, "earlier today": 0}
APPROX_DAYS = {"last week": -7, "last month": -30, "earlier this week": -2, "earlier this month": -10}


@dataclass(frozen=True)
class DateMention:
    """A date phrase at ``start:end`` of the article text."""

    kind: str
    text: str
    start: int
    end: int
    groups: tuple[tuple[str, str], ...]

    def group(self, name: str) -> str | None:
        return dict(self.groups).get(name)


@dataclass(frozen=True)
class ResolvedDate:
    """An ISO date, whether it is approximate, and where its year came from when the text did not say."""

    iso: str | None
    approximate: bool = False
    year_from: str | None = None  # "date_hint" when the year was inferred from the page's date hint
    reason: str | None = None  # why ``iso`` is None


def parse_iso(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def find_dates(text: str, lo: int, hi: int) -> list[DateMention]:
    """Date phrases in ``text[lo:hi]`` (article offsets), earliest first, never overlapping."""
    found: list[DateMention] = []
    window = text[lo:hi]
    for kind, rx in PATTERNS:
        for m in rx.finditer(window):
            a, b = lo + m.start(), lo + m.end()
            if any(a < f.end and f.start < b for f in found):
                continue
            groups = tuple((k, v) for k, v in m.groupdict().items() if v is not None)
            found.append(DateMention(kind, m.group(0), a, b, groups))
    return sorted(found, key=lambda f: f.start)


def resolve_date(mention: DateMention, published: dt.date | None, hint: dt.date | None) -> ResolvedDate:
    """The calendar date a phrase names, seen from an article published on ``published``.

    Without a publication date, a month and day take the year that puts them on or after
    ``hint`` (a date the page shows, a lower bound) and say so in ``year_from``.
    """
    if mention.kind in ("iso", "md", "dm"):
        month_s = mention.group("month") or ""
        month = int(month_s) if month_s.isdigit() else MONTHS.get(month_s.lower().rstrip("."), 0)
        day = int(mention.group("day") or 0)
        year_s = mention.group("year")
        if year_s:
            return _make(int(year_s), month, day)
        if published is not None:
            d = _make(published.year, month, day)
            if d.iso and dt.date.fromisoformat(d.iso) > published + dt.timedelta(days=1):
                d = _make(published.year - 1, month, day)
            return d
        if hint is not None:
            d = _make(hint.year, month, day)
            if d.iso and dt.date.fromisoformat(d.iso) < hint:
                d = _make(hint.year + 1, month, day)
            return ResolvedDate(d.iso, False, "date_hint", d.reason)
        return ResolvedDate(None, reason=f"{mention.text!r} has no year and the article has no date")
    if published is None:
        return ResolvedDate(None, reason=f"{mention.text!r} is relative and the article has no publication date")
    if mention.kind == "weekday":
        want = WEEKDAYS[(mention.group("weekday") or "").lower()]
        back = (published.weekday() - want) % 7
        if mention.group("last") and back == 0:
            back = 7
        return ResolvedDate((published - dt.timedelta(days=back)).isoformat())
    if mention.kind == "relative":
        days = RELATIVE_DAYS[(mention.group("rel") or "").lower()]
        return ResolvedDate((published + dt.timedelta(days=days)).isoformat())
    days = APPROX_DAYS[(mention.group("approx") or "").lower()]
    return ResolvedDate((published + dt.timedelta(days=days)).isoformat(), approximate=True)


def _make(year: int, month: int, day: int) -> ResolvedDate:
    try:
        return ResolvedDate(dt.date(year, month, day).isoformat())
    except ValueError:
        return ResolvedDate(None, reason=f"no such date {year}-{month:02d}-{day:02d}")
