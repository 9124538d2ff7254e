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

from ..extract.quotes import DIRECT_SHARE, gold_kind, quoted_mask  # noqa: F401  (re-exported)

if TYPE_CHECKING:
    from spacy.language import Language

FORMS: tuple[str, ...] = ("name", "pronoun", "nominal", "none")
KIND_LABELS: tuple[str, ...] = ("direct", "indirect", "mixed")

PRONOUNS = frozenset(
    "i me we us you he him she her it they them who whom which that this these those one "
    "myself ourselves himself herself itself themselves everyone someone somebody anyone nobody".split()
)


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
