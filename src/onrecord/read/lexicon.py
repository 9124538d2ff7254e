"""The readers' data files: page chrome, outlet names, stopwords (under ``onrecord/lexicons/<lang>/``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

_TRIM = " \t\u00a0•·▪►▶|>»:.…-–—"


def _lines(lang: str, name: str) -> list[str]:
    """Non-comment, non-blank lines of ``lexicons/<lang>/<name>`` ([] when the file is absent)."""
    path = resources.files("onrecord").joinpath("lexicons", lang, name)
    try:
        text = path.read_text("utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return []
    return [ln.rstrip("\n") for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


def chrome_key(line: str) -> str:
    """A line as the boilerplate lexicon compares it: trimmed of bullets and trailing marks, case-folded."""
    return " ".join(line.strip(_TRIM).split()).casefold()


@dataclass(frozen=True)
class Boilerplate:
    """Page-chrome lines: dropped wherever they stand, or ending the article."""

    drop: frozenset[str]
    drop_prefixes: tuple[str, ...]
    end: frozenset[str]
    end_prefixes: tuple[str, ...]

    def kind(self, line: str) -> str | None:
        """``"end"``, ``"drop"`` or None for a line of text."""
        key = chrome_key(line)
        if not key:
            return None
        words = len(key.split())
        if key in self.end or _starts(key, words, self.end_prefixes):
            return "end"
        if key in self.drop or _starts(key, words, self.drop_prefixes):
            return "drop"
        return None


def _starts(key: str, words: int, prefixes: tuple[str, ...]) -> bool:
    """``key`` (of ``words`` words) starts with one of ``prefixes`` as whole words, and is short.

    "watch:" matches "watch: live", "watch" does not match "watchdog". Short: 12 words after a
    one-word prefix, 30 after a longer one ("we use cookies to ...").
    """
    for p in prefixes:
        if words > (12 if " " not in p.strip() else 30):
            continue
        if key.startswith(p) and (len(key) == len(p) or not p[-1].isalnum() or not key[len(p)].isalnum()):
            return True
    return False


@lru_cache(maxsize=8)
def boilerplate(lang: str = "en") -> Boilerplate:
    """The boilerplate lexicon of ``lang``."""
    drop: set[str] = set()
    drop_p: list[str] = []
    end: set[str] = set()
    end_p: list[str] = []
    for raw in _lines(lang, "boilerplate.txt"):
        entry = raw.strip()
        is_end = entry.startswith("!")
        entry = entry.lstrip("!").strip()
        prefix = entry.endswith("*")
        entry = entry.rstrip("*").casefold()
        if not prefix:
            entry = chrome_key(entry)
        if not entry:
            continue
        if is_end:
            (end_p.append(entry) if prefix else end.add(entry))
        else:
            (drop_p.append(entry) if prefix else drop.add(entry))
    return Boilerplate(frozenset(drop), tuple(drop_p), frozenset(end), tuple(end_p))


@dataclass(frozen=True)
class Outlets:
    """Known outlet and wire-agency names: ``canonical(spelling)`` and a regex over all spellings."""

    names: dict[str, str]  # spelling -> reported name
    wires: frozenset[str]
    pattern: re.Pattern[str]

    def canonical(self, spelling: str) -> str | None:
        s = spelling.strip()
        return self.names.get(s) or self.names.get(s.removeprefix("the ").removeprefix("The "))


@lru_cache(maxsize=8)
def outlets(lang: str = "en") -> Outlets:
    """The outlets lexicon of ``lang``."""
    names: dict[str, str] = {}
    wires: set[str] = set()
    for raw in _lines(lang, "outlets.tsv"):
        cols = raw.split("\t")
        name = cols[0].strip()
        if not name:
            continue
        kind = cols[1].strip() if len(cols) > 1 else "outlet"
        others = [s.strip() for s in cols[2].split("|")] if len(cols) > 2 else []
        for spelling in (name, *others):
            if spelling:
                names[spelling] = name
        if kind == "wire":
            wires.add(name)
    alternatives = sorted(names, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w/])(?:%s)(?![\w/])" % "|".join(map(re.escape, alternatives))) if alternatives \
        else re.compile(r"(?!x)x")
    return Outlets(names, frozenset(wires), pattern)


@lru_cache(maxsize=1)
def stopwords() -> dict[str, frozenset[str]]:
    """Function words per language code, for every ``lexicons/<lang>/stopwords.txt``."""
    out: dict[str, frozenset[str]] = {}
    root = resources.files("onrecord").joinpath("lexicons")
    for entry in sorted(root.iterdir(), key=lambda p: p.name):
        if entry.is_dir():
            words = _lines(entry.name, "stopwords.txt")
            if words:
                out[entry.name] = frozenset(w.strip().casefold() for w in words)
    return out
