"""Labels for breakdowns: a gold statement's kind from its quote marks, a mention's speaker form.

Kind: the share of the content's word characters that sit between quote marks
(“ ” « » „ " and a doubled apostrophe ''; quote marks paired per paragraph; a quote left open runs to the paragraph end, the
news convention for quotes over several paragraphs): all -> direct, some -> mixed,
none -> indirect.

Speaker form of a source mention: ``pronoun`` (he, they, who, ...), ``name`` (the
mention's head is a proper noun: "Flynn, a top surrogate,", "The New York Post"),
``nominal`` (a common-noun head: "a source", "the campaign"), ``none`` (no mention).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .spans import Frags

if TYPE_CHECKING:
    from spacy.language import Language

FORMS: tuple[str, ...] = ("name", "pronoun", "nominal", "none")
KIND_LABELS: tuple[str, ...] = ("direct", "indirect", "mixed")

DIRECT_SHARE = 0.9

_OPEN = "“«„"
_CLOSE = "”»"
_PARA = re.compile(r"\n\s*\n")

PRONOUNS = frozenset(
    "i me we us you he him she her it they them who whom which that this these those one "
    "myself ourselves himself herself itself themselves everyone someone somebody anyone nobody".split()
)


def quoted_mask(text: str) -> bytearray:
    """1 for every character of ``text`` that sits inside a quotation, else 0."""
    mask = bytearray(len(text))
    starts = [0] + [m.end() for m in _PARA.finditer(text)]
    ends = [m.start() for m in _PARA.finditer(text)] + [len(text)]
    for a, b in zip(starts, ends):
        _mark_paragraph(text, a, b, mask)
    return mask


def _mark_paragraph(text: str, a: int, b: int, mask: bytearray) -> None:
    double: int | None = None
    single: int | None = None
    i = a - 1
    while i + 1 < b:
        i += 1
        ch = text[i]
        if ch == "'" and i + 1 < b and text[i + 1] == "'":
            ch = '"'  # two apostrophes stand for a straight double quote in some feeds (''Yes,'' he said)
            i += 1
        if ch in _OPEN or (ch == '"' and double is None):
            if double is None:
                double = i
        elif ch in _CLOSE or ch == '"':
            if double is not None:
                mask[double:i + 1] = b"\x01" * (i + 1 - double)
                double = None
                single = None
        elif double is None and ch == "‘" and (i == a or not text[i - 1].isalnum()):
            single = i
        elif double is None and single is not None and ch == "’" and (i + 1 >= b or not text[i + 1].isalnum()):
            mask[single:i + 1] = b"\x01" * (i + 1 - single)
            single = None
    if double is not None:
        mask[double:b] = b"\x01" * (b - double)


def gold_kind(text: str, content: Frags, mask: bytearray | None = None) -> str:
    """direct / mixed / indirect from the share of the content's word characters inside quotes."""
    mask = quoted_mask(text) if mask is None else mask
    inside = total = 0
    for a, b in content:
        for i in range(a, b):
            if text[i].isalnum():
                total += 1
                inside += mask[i]
    if total == 0 or inside == 0:
        return "indirect"
    return "direct" if inside / total >= DIRECT_SHARE else "mixed"


class FormTagger:
    """Speaker form of mention strings, from the mention's syntactic head (cached per string)."""

    def __init__(self, nlp: Language | None = None) -> None:
        self._nlp = nlp
        self._cache: dict[str, str] = {}

    def _load(self) -> Language:
        if self._nlp is None:
            from .. import nlp as nlp_mod
            from ..settings import Settings

            settings = Settings.load()
            self._nlp = nlp_mod.load(settings.model, settings.numpy_gemm)
        return self._nlp

    def forms(self, mentions: Sequence[str | None]) -> list[str]:
        """The form of each mention (``none`` for None or an empty mention)."""
        todo = sorted({m.strip() for m in mentions if m and m.strip() and m.strip() not in self._cache})
        easy = [m for m in todo if _rule_form(m)]
        for m in easy:
            self._cache[m] = _rule_form(m) or "nominal"
        hard = [m for m in todo if m not in self._cache]
        if hard:
            nlp = self._load()
            for m, doc in zip(hard, nlp.pipe(hard)):
                self._cache[m] = _doc_form(doc)
        return [self._cache[m.strip()] if m and m.strip() else "none" for m in mentions]

    def form(self, mention: str | None) -> str:
        return self.forms([mention])[0]


_DETERMINERS = frozenset("the a an this that these those some many most all".split())


def _rule_form(mention: str) -> str | None:
    words = re.findall(r"[\w'’]+", mention)
    lower = [w.lower() for w in words]
    if words and all(w in PRONOUNS for w in lower):
        return "pronoun"
    if words and len(words) <= 4 and all(w[0].isupper() for w in words) and lower[0] not in _DETERMINERS:
        return "name"  # "Cruz", "Mike Huckabee": a short run of capitalised words (the tagger alone may miss them)
    return None


def _doc_form(doc) -> str:  # type: ignore[no-untyped-def]
    roots = [t for t in doc if t.head.i == t.i]
    head = roots[0] if roots else (doc[0] if len(doc) else None)
    if head is None:
        return "none"
    if head.pos_ == "PRON" or head.lower_ in PRONOUNS:
        return "pronoun"
    if head.pos_ == "PROPN" or (head.ent_type_ in {"PERSON", "ORG", "GPE", "NORP"} and head.text[:1].isupper()):
        return "name"
    return "nominal"
