"""Article metadata found in text lines: dates, bylines, wire credits, captions, outlet names."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from .lexicon import outlets

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12, "jan": 1, "feb": 2, "mar": 3, "apr": 4,
    "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = r"(?P<mon>January|February|March|April|May|June|July|August|September|October|November|December|" \
         r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DATES = (
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.I),
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.I),
    re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)-(?P<mon>[01]?\d)-(?P<day>[0-3]?\d)(?!\d)"),
    re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)/(?P<mon>[01]?\d)/(?P<day>[0-3]?\d)(?!\d)"),
)
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Mon|Tue|Tues|Wed|Thu|Thurs|Fri|Sat|Sun)\.?"
_DATE_LINE_REST = re.compile(
    rf"^(?:(?:published|updated|last updated|posted|first published|date|on)\b:?|{_WEEKDAY},?|at|"
    r"\d{1,2}[:.]\d\d(?:\s*[ap]\.?m\.?)?|[ap]\.?m\.?|(?-i:[A-Z]{2,4})\b|\d+\s+min(?:ute)?s?\s+read|"
    r"[|,·•/()\-–—]+|\s+)+$", re.I)


def _iso(m: re.Match[str]) -> str | None:
    mon = m.group("mon")
    month = int(mon) if mon.isdigit() else _MONTHS.get(mon.lower().rstrip("."))
    try:
        return date(int(m.group("year")), month or 0, int(m.group("day"))).isoformat()
    except (ValueError, TypeError):
        return None


def find_dates(text: str) -> list[tuple[int, int, str]]:
    """Every calendar date written out in ``text``: (start, end, ISO date), in order."""
    found: list[tuple[int, int, str]] = []
    for rx in _DATES:
        for m in rx.finditer(text):
            iso = _iso(m)
            if iso and not any(s < m.end() and m.start() < e for s, e, _ in found):
                found.append((m.start(), m.end(), iso))
    return sorted(found)


def date_line(line: str) -> str | None:
    """The ISO date of a line that is only a date ("Published: March 4, 2024 10:02 GMT"), else None."""
    if len(line) > 80:
        return None
    dates = find_dates(line)
    if len(dates) != 1:
        return None
    s, e, iso = dates[0]
    rest = (line[:s] + " " + line[e:]).strip()
    if not rest or _DATE_LINE_REST.match(rest):
        return iso
    return None


_BYLINE = re.compile(r"^(?:by|written by|words by|text by|story by)[:\s]+(?P<names>.+?)\.?$", re.I)
_NAME = re.compile(r"^(?:[A-Z][\w'’.-]*|de|da|van|von|der|al|bin|la|le|di)(?:\s+(?:[A-Z][\w'’.-]*|de|da|van|von|der|"
                   r"al|bin|la|le|di)){0,4}$")
_SPLIT = re.compile(r"\s*(?:,|;|\band\b|&|\|)\s*")
_PLACE_TAIL = re.compile(r"\s+(?:in|from)\s+[A-Z][\w.'’ -]*$")


def _names(text: str) -> list[str]:
    out = []
    for part in _SPLIT.split(text):
        part = _PLACE_TAIL.sub("", part.strip(" .()")).strip()
        part = re.sub(r"^(?:the|The)\s+", "", part) if outlets().canonical(part) else part
        if part:
            out.append(part)
    return out


def byline(line: str) -> tuple[list[str], str | None] | None:
    """Authors (and an outlet, when named) of a byline "By A and B, Reuters"; None for another line."""
    if len(line.split()) > 16:
        return None
    m = _BYLINE.match(line.strip())
    if not m:
        return None
    authors: list[str] = []
    outlet: str | None = None
    for name in _names(m.group("names")):
        known = outlets().canonical(name)
        if known:
            outlet = outlet or known
        elif _NAME.match(name):
            authors.append(name)
        else:
            return None
    return (authors, outlet) if authors or outlet else None


_CREDIT_BY = re.compile(
    r"^\(?\s*(?:with\s+|additional\s+|and\s+)?(?:reporting|writing|research|wire services?|reporting and writing)"
    r"\s+(?:by|from)\s+(?P<rest>.+?)\s*\)?\.?$", re.I)
_CREDIT_CONTRIB = re.compile(
    r"^\(?\s*(?P<who>.{2,120}?)\s+(?:contributed|also contributed)\s+(?:to\s+)?(?:this|the)\s+"
    r"(?:report|story|article|reporting)\s*\.?\s*\)?$", re.I)
_CREDIT_MISC = re.compile(
    r"^\(?\s*(?:compiled|based on reports?|written)\s+(?:by|from)\s+(?P<rest>.+?)\s*\)?\.?$|"
    r"^\(?\s*material from\s+(?P<rest2>.+?)\s+was used in this (?:report|story|article)\s*\.?\s*\)?$|"
    r"^\(?\s*(?:sources?|with)\s*:?\s+(?P<rest3>.+?)\s*\)?\.?$", re.I)
_EDIT = re.compile(r"^\s*(?:editing|edited|additional editing|compiled|graphics|fact-?checking|translated)\s+by\b", re.I)


def credit_line(line: str) -> list[str] | None:
    """The contributors a wire-credit line names ("With reporting by AFP and Reuters" -> ["AFP", "Reuters"]).

    None when ``line`` is not a credit line. Editors ("Editing by ...") are not credits.
    """
    text = line.strip()
    if not text or len(text.split()) > 40:
        return None
    known = outlets()
    bare = text.strip("()[]-–— .")
    if known.canonical(bare) in known.wires:  # "(Reuters)" alone, "- AFP"
        return [known.canonical(bare) or bare]
    credits: list[str] = []
    matched = False
    for segment in re.split(r"\s*;\s*", text.strip("() .")):
        m = _CREDIT_BY.match(segment) or _CREDIT_CONTRIB.match(segment)
        if m is None and credits:
            if _EDIT.match(segment):
                continue
        if m is None:
            m2 = _CREDIT_MISC.match(segment)
            if m2 is None:
                if _EDIT.match(segment) and matched:
                    continue
                return None
            rest = m2.group("rest") or m2.group("rest2") or m2.group("rest3") or ""
            names = _names(rest)
            if not names or not all(known.canonical(n) for n in names):
                return None  # "With: ..." and "Sources: ..." count only for known outlets
            credits.extend(known.canonical(n) or n for n in names)
            matched = True
            continue
        rest = m.groupdict().get("rest") or m.groupdict().get("who") or ""
        names = _names(rest)
        if not names or not all(known.canonical(n) or _NAME.match(n) for n in names):
            return None
        credits.extend(known.canonical(n) or n for n in names)
        matched = True
    return _unique(credits) if matched else None


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


_CAPTION_PLACE = re.compile(r"^[A-Z][A-Z.,'’/& -]{1,40}\s+(?:--|—|–)\s+\S")
_PHOTO_CREDIT = re.compile(
    r"(?:(?:REUTERS|Reuters|AFP|AP|EPA|EPA-EFE|Getty Images|AFP via Getty Images|Xinhua|ANSA|dpa)\s*/\s*"
    r"[A-Z][\w .'’-]{1,40}|\((?:AP|AFP|Reuters|EPA)\s+Photo(?:/[\w .'’-]+)?\)|(?:via|/)\s*Getty Images|"
    r"\b(?:Photo|Image|Picture)(?:\s+credit)?\s*:\s*[^.]{1,60})\s*[).]?$")
_CAPTION_PREFIX = re.compile(r"^(?:image caption|photo caption|caption|file photo)\s*[:,-]?\s*", re.I)
_REPORTING = re.compile(r"\b(?:said|says|told|tells|announced|reported|added|according)\b", re.I)


def caption(line: str) -> tuple[str, str | None] | None:
    """(caption text, ISO date it names or None) for an image caption line, else None.

    Captions: "PLACE -- a photo description ending in a date", a line ending in a photo credit
    ("REUTERS/Jane Roe"), or a line that says it is a caption.
    """
    text = line.strip()
    if not text or len(text.split()) > 80:
        return None
    dates = find_dates(text)
    last = dates[-1] if dates else None
    if _CAPTION_PLACE.match(text) and last and not text[last[1]:].strip(" .)") and not _REPORTING.search(text):
        return text, last[2]
    if _PHOTO_CREDIT.search(text) and not text.endswith(('."', '.”')):
        return text, last[2] if last else None
    m = _CAPTION_PREFIX.match(text)
    if m and m.end() < len(text) and text[:m.end()].strip():
        rest = text[m.end():]
        return rest, last[2] if last else None
    return None


_DATELINE = re.compile(r"^[^\n()]{0,80}?\((?P<who>[A-Za-z][\w/ .&-]{1,40})\)\s*(?:-|–|—|--)\s")
_BLURB_OWNER = re.compile(r"^(?P<owner>[A-Z][\w/&.-]*(?:\s+[A-Z][\w/&.-]*){0,4})(?:'s|’s)\s+[A-Z]")
_BLURB = re.compile(
    r"^(?P<name>[A-Z][^\s,;]*(?:\s+[^\s,;]+){0,5}?)\s+(?:is|are)\s+(?:one of the|an?|the)\s+(?:[\w'’-]+\s+){0,6}?"
    r"(?:(?:media|news)\s+(?:outlets?|organi[sz]ations?|services?|agency|agencies|networks?|sources?|sites?|brands?)|"
    r"broadcasters?|newspapers?|news agency|magazines?|publications?|radio station)\b")


def dateline_outlet(paragraph: str) -> str | None:
    """The agency of a dateline "KABUL (Reuters) - ..." at the start of ``paragraph``."""
    m = _DATELINE.match(paragraph)
    if not m:
        return None
    return outlets().canonical(m.group("who"))


def blurb_outlet(paragraph: str) -> str | None:
    """The outlet an "about us" blurb describes ("RFE/RL's Radio Azadi is one of the most ..." -> "RFE/RL")."""
    m = _BLURB.match(paragraph)
    if not m:
        return None
    name = m.group("name")
    owner = _BLURB_OWNER.match(name)
    found = owner.group("owner") if owner else name
    return outlets().canonical(found) or found.strip()


def normalize_date(value: Any) -> str | None:
    """An ISO date ``YYYY-MM-DD`` from a record's date field ("2019-01-04T10:00Z", "January 4, 2019")."""
    if value is None:
        return None
    text = str(value).strip()
    dates = find_dates(text)
    return dates[0][2] if dates else None


def as_names(value: Any) -> list[str]:
    """A record's names field as a list: ``["A", "B"]`` or ``"A; B"`` / ``"A and B"`` -> ``["A", "B"]``."""
    if isinstance(value, str):
        return [v.strip() for v in re.split(r"\s*(?:;|,|\band\b)\s*", value) if v.strip()]
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if v is not None and str(v).strip()]
    return []


_COPYRIGHT_OWNER = re.compile(
    r"^\W*(?:copyright\s*)?(?:©|\(c\))?\s*(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)\d\d)?,?\s+"
    r"(?P<name>[A-Z][\w&'’/ .-]{1,60}?)\s*(?:[.,|]|\ball rights reserved|$)", re.I)


def copyright_outlet(line: str) -> str | None:
    """The owner a copyright line names ("© 2023 The Sela Courier. All rights reserved." -> "The Sela Courier")."""
    m = _COPYRIGHT_OWNER.match(line.strip())
    if not m or not re.match(r"^\W*(?:copyright|©|\(c\))", line.strip(), re.I):
        return None
    name = m.group("name").strip(" .")
    return outlets().canonical(name) or name
