"""PolNeAR's brat standoff files -> gold attribution relations.

``T`` lines carry a label and one or more ``start end`` fragments (";"-separated,
character offsets into the article's .txt); ``E`` lines link an ``Attribution``
(or ``Attribution-no-source``) anchor to its ``Content``, ``Cue`` and ``Source``
(extra ``Content2``... roles add fragments to the content). Annotator flags
(``Discuss``, ``Discard``) and unlinked spans are ignored.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .spans import Frags, frags_of

log = logging.getLogger(__name__)

SPLITS = ("train", "dev", "test")


@dataclass(frozen=True)
class GoldRelation:
    """One annotated attribution: content, cue and source spans (source None when the text gives none)."""

    content: Frags
    cue: Frags | None
    source: Frags | None
    id: str = ""


@dataclass(frozen=True)
class GoldDoc:
    """One annotated article: its text and the relations of one annotator."""

    name: str
    annotator: str
    text: str
    relations: tuple[GoldRelation, ...]

    @property
    def key(self) -> str:
        return f"{self.name}_{self.annotator}" if self.annotator else self.name


class BratError(ValueError):
    """A line of a .ann file that cannot be read."""


def _role(name: str) -> str:
    """``Content2`` -> ``Content``."""
    return name.rstrip("0123456789")


# an annotation id: T1 (text span), E1 (event), R1, A1, N1, #1 (note), * (equivalence)
_ID = re.compile(r"[TERAMN#]\d+|\*")


def parse_ann(ann: str) -> tuple[GoldRelation, ...]:
    """The relations of one .ann file's contents."""
    spans: dict[str, Frags] = {}
    events: list[tuple[str, list[tuple[str, str]]]] = []  # (tag, [(role, T ref)])
    last = ""
    for lineno, line in enumerate(ann.splitlines(), 1):
        if not line.strip():
            continue
        tag = line.split("\t", 1)[0]
        if not _ID.fullmatch(tag):
            if last.startswith("T"):
                continue  # the span text of the line before runs over a line break
            raise BratError(f"line {lineno}: no annotation id in {line!r}")
        last = tag
        if tag.startswith("T"):
            try:
                _, label_offsets, *_rest = line.split("\t")
                _label, offsets = label_offsets.split(" ", 1)
                pairs = [tuple(int(x) for x in frag.split()) for frag in offsets.split(";")]
                if any(len(p) != 2 for p in pairs):
                    raise ValueError("a fragment needs a start and an end")
                spans[tag] = frags_of(pairs)
            except ValueError as e:
                raise BratError(f"line {lineno}: bad T line {line!r}") from e
        elif tag.startswith("E"):
            parts = line.split("\t")
            if len(parts) < 2:
                raise BratError(f"line {lineno}: bad E line {line!r}")
            args: list[tuple[str, str]] = []
            for arg in parts[1].split():
                role, sep, ref = arg.partition(":")
                if not sep:
                    raise BratError(f"line {lineno}: bad E argument {arg!r} in {line!r}")
                args.append((role, ref))
            events.append((tag, args))
    relations: list[GoldRelation] = []
    for tag, args in events:
        roles: dict[str, list[tuple[int, int]]] = {}
        for role, ref in args:
            if ref not in spans:
                log.warning("%s refers to unknown span %s", tag, ref)
                continue
            roles.setdefault(_role(role), []).extend(spans[ref])
        if not roles.get("Content"):
            continue
        relations.append(GoldRelation(
            content=frags_of(roles["Content"]),
            cue=frags_of(roles["Cue"]) if roles.get("Cue") else None,
            source=frags_of(roles["Source"]) if roles.get("Source") else None,
            id=tag,
        ))
    relations.sort(key=lambda r: r.content)
    return tuple(relations)


def split_dir(root: str | Path, split: str) -> Path:
    """The folder holding ``text/`` and ``attributions/`` for ``split``.

    ``root`` may be the PolNeAR folder (with ``data/``), its ``data/`` folder, or the split folder itself.
    """
    root = Path(root)
    for candidate in (root / "data" / split, root / split, root):
        if (candidate / "text").is_dir() and (candidate / "attributions").is_dir():
            return candidate
    raise FileNotFoundError(f"no PolNeAR split {split!r} under {root} (looked for text/ and attributions/)")


def load_split(root: str | Path, split: str = "dev", *, annotator: str = "first",
               limit: int | None = None) -> Iterator[GoldDoc]:
    """The gold documents of ``split``, articles in sorted order.

    ``annotator="first"`` keeps one annotation per article (the first .ann in sorted
    order); ``"all"`` yields one document per annotation file.
    """
    if annotator not in ("first", "all"):
        raise ValueError(f"annotator must be 'first' or 'all', not {annotator!r}")
    base = split_dir(root, split)
    anns: dict[str, list[Path]] = {}
    for ann in sorted((base / "attributions").glob("*.ann")):
        article, _, who = ann.stem.rpartition("_")
        anns.setdefault(article, []).append(ann)
    texts = sorted((base / "text").glob("*.txt"))
    if limit is not None:
        texts = texts[:limit]
    for txt in texts:
        files = anns.get(txt.stem, [])
        if not files:
            log.warning("no annotation for %s", txt.name)
            continue
        text = txt.read_text("utf-8")
        for ann in files if annotator == "all" else files[:1]:
            who = ann.stem.rpartition("_")[2]
            yield GoldDoc(txt.stem, who, text, parse_ann(ann.read_text("utf-8")))
