"""Cue lexicons: reporting verbs and nouns, read once from ``lexicons/<language>/``.

    cue_lexicon(language)      -> CueLexicon (cached)
    CueLexicon.verb_lemma(tok) -> the cue lemma of a verb token, or None
    CueLexicon.noun_lemma(tok) -> the cue lemma of a noun token, or None
    CueLexicon.may_attribute(paragraph_text) -> whether a paragraph can carry an attribution

Lemmas come from data files (``cue_verbs.txt``, ``cue_belief.txt``, ``cue_object.txt``,
``cue_infinitive.txt``, ``cue_object_infinitive.txt``, ``cue_not.txt``, ``cue_nouns.txt``, ``cue_quote_only.txt``, ``cue_irregular.txt``);
inflected forms are generated, so matching needs no lemmatizer. Speech cues ("say") and
belief / stance cues ("believe", "want", "praise") are told apart: ``CueLexicon.weak``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

QUOTE_CHARS = "\"“”„«»‹›"
# adverbs that belong to the cue they stand before ("[also said]", "[repeatedly criticized]"): PolNeAR
# train puts them into it 538 times in 603; the accurate engine takes them in, the denial linker reads a
# cue's verb past them
CUE_ADVERBS = frozenset("also later still even now previously repeatedly recently publicly privately not never then "
                        "again already once first".split())
_QUOTE_RE = re.compile("[" + re.escape(QUOTE_CHARS) + "]")
_WORD_RE = re.compile(r"[A-Za-z]+")
_VOWELS = set("aeiou")
_SENTENCE_OPENERS = set(".!?:;\"“”(—–-")


def read_lexicon(language: str, name: str) -> list[str]:
    """Non-comment, non-blank lines of ``lexicons/<language>/<name>`` (lower-cased)."""
    path = resources.files("onrecord").joinpath("lexicons", language, name)
    if not path.is_file():
        return []
    out = []
    for line in path.read_text("utf-8").splitlines():
        line = line.split("#", 1)[0].strip().lower()
        if line:
            out.append(line)
    return out


def verb_forms(lemma: str) -> set[str]:
    """Regular inflections of an English verb lemma (over-generating is harmless)."""
    forms = {lemma}
    last = lemma[-1]
    if lemma.endswith(("s", "x", "z", "ch", "sh")):
        forms.add(lemma + "es")
    elif last == "y" and lemma[-2:-1] not in _VOWELS:
        forms.add(lemma[:-1] + "ies")
    else:
        forms.add(lemma + "s")
    if last == "e":
        forms.update({lemma + "d", lemma[:-1] + "ing"})
        if lemma.endswith("ee"):
            forms.add(lemma + "ing")
    elif last == "y" and lemma[-2:-1] not in _VOWELS:
        forms.update({lemma[:-1] + "ied", lemma + "ing"})
    else:
        forms.update({lemma + "ed", lemma + "ing"})
        if last not in _VOWELS and last not in "wxy" and lemma[-2:-1] in _VOWELS:
            forms.update({lemma + last + "ed", lemma + last + "ing"})
    return forms


def noun_forms(lemma: str) -> set[str]:
    """Singular and plural of an English noun lemma."""
    if lemma.endswith(("s", "x", "z", "ch", "sh")):
        return {lemma, lemma + "es"}
    if lemma.endswith("y") and lemma[-2:-1] not in _VOWELS:
        return {lemma, lemma[:-1] + "ies"}
    return {lemma, lemma + "s"}


def _verb_mistagged(token: Token) -> bool:
    """A present-tense verb tagged as a plural noun but parsed as a verb: "The campaign [plans] to
    employ ...", "she [says] that ..." (a subject before it, a clause or infinitive after it)."""
    if token.tag_ != "NNS" or token.dep_ not in ("ROOT", "ccomp", "conj"):
        return False
    kids = list(token.children)
    return (any(c.dep_ == "nsubj" and c.i < token.i for c in kids)
            and any(c.dep_ in ("xcomp", "ccomp") and c.i > token.i for c in kids))


@dataclass(frozen=True)
class CueLexicon:
    """Surface form -> lemma maps for reporting verbs and nouns."""

    verbs: dict[str, str]
    quote_only: dict[str, str]
    nouns: dict[str, str]
    triggers: frozenset[str]
    # lemmas of belief, intention and stance cues (lower confidence than speech cues)
    weak: frozenset[str] = frozenset()
    # lemmas whose direct object / to-infinitive is the content
    object_cues: frozenset[str] = frozenset()
    infinitive_cues: frozenset[str] = frozenset()
    # lemmas whose direct object and to-infinitive together are the content ("warned X to Y")
    object_infinitive_cues: frozenset[str] = frozenset()
    # forms of refusals (cue_not.txt: "refused", "declined"): never a cue, and a cue under one is negated
    not_cues: frozenset[str] = frozenset()
    # forms in cue_ambiguous.txt ("states", "reports"): they trigger a parse only in a clause shape
    ambiguous: frozenset[str] = frozenset()
    # forms of belief and stance cues: they trigger a parse only before a complement ("think that",
    # "wants to", "praised the"), not as nouns or in set phrases ("the back", "known as")
    weak_forms: frozenset[str] = frozenset()

    def verb_lemma(self, token: Token, *, quote_adjacent: bool = False) -> str | None:
        """The cue lemma of ``token`` when it is a verb form in the lexicon.

        ``quote_adjacent`` also admits verbs that are cues only next to a quotation ("continued").
        """
        if not token.tag_.startswith("VB") and not _verb_mistagged(token):
            return None
        low = token.lower_
        lemma = self.verbs.get(low)
        if lemma is None and quote_adjacent:
            lemma = self.quote_only.get(low)
        return lemma

    def noun_lemma(self, token: Token) -> str | None:
        if not token.tag_.startswith("NN"):
            return None
        return self.nouns.get(token.lower_)

    def may_attribute(self, text: str) -> bool:
        """Whether a paragraph holds a cue word or "according" (or, beside a quote mark, a
        quote-only cue such as "continued"): only such paragraphs need the dependency parse.

        Forms in ``cue_ambiguous.txt`` do not count, nor capitalised forms inside a
        sentence ("United States", "The Post"). A quotation with no cue word in its
        paragraph needs no parse either: it is a floating quote or no statement at all.
        """
        quoted = _QUOTE_RE.search(text) is not None
        triggers = self.triggers
        for m in _WORD_RE.finditer(text):
            word = m.group()
            low = word.lower()
            if low not in triggers:
                if quoted and low in self.quote_only:
                    return True
                if low in self.ambiguous and _clause_shape(text, m.start(), m.end()):
                    return True
                if low in self.weak_forms and _complement_shape(text, m.start(), m.end()):
                    return True
                continue
            if word[0].isupper() and low != "according":
                j = m.start() - 1
                while j >= 0 and text[j].isspace():
                    j -= 1
                if j >= 0 and text[j] not in _SENTENCE_OPENERS:
                    continue
            return True
        return False


# words that can open a reported clause right after a verb ("states that", "reports the ...")
_CLAUSE_OPENERS = frozenset(
    "that the a an he she it they we i there this these those his her their its our some many most".split())
# words before an ambiguous form that make it a noun ("the report", "in a statement")
_NOUN_MARKERS = frozenset(
    "the a an of in to for on with by from his her their its our my your this that these those".split())
_PREV_WORD_RE = re.compile(r"([A-Za-z]+)[^A-Za-z]*$")
_NEXT_WORD_RE = re.compile(r"\s+([A-Za-z]+)")


# what can follow a belief or stance verb that governs a complement
_COMPLEMENT_OPENERS = _CLAUSE_OPENERS | frozenset("to for out on him them us me you".split())


def _complement_shape(text: str, start: int, end: int) -> bool:
    """A belief or stance form followed by a clause, a to-infinitive, an object or a particle."""
    nxt = _NEXT_WORD_RE.match(text, end)
    if nxt is None:
        return False
    word = nxt.group(1)
    if word.lower() not in _COMPLEMENT_OPENERS and not word[0].isupper():
        return False
    prev = _PREV_WORD_RE.search(text, max(0, start - 40), start)
    return prev is None or prev.group(1).lower() not in _NOUN_MARKERS


def _clause_shape(text: str, start: int, end: int) -> bool:
    """An ambiguous cue form used as a verb with a clause after it: "The agency reports that ..."."""
    nxt = _NEXT_WORD_RE.match(text, end)
    if nxt is None or nxt.group(1).lower() not in _CLAUSE_OPENERS:
        return False
    prev = _PREV_WORD_RE.search(text, max(0, start - 40), start)
    return prev is not None and prev.group(1).lower() not in _NOUN_MARKERS and text[prev.end(1):start].strip() == ""


@lru_cache(maxsize=8)
def cue_lexicon(language: str = "en") -> CueLexicon:
    """The cue lexicon of ``language`` (read once per process)."""
    irregular: dict[str, str] = {}
    for line in read_lexicon(language, "cue_irregular.txt"):
        form, _, lemma = line.partition(" ")
        irregular[form] = lemma.strip()

    def forms_of(lemmas: list[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for lemma in lemmas:
            for f in verb_forms(lemma):
                out.setdefault(f, lemma)
        for form, lemma in irregular.items():
            if lemma in lemmas:
                out[form] = lemma
        return out

    speech = read_lexicon(language, "cue_verbs.txt")
    belief = [lemma for lemma in read_lexicon(language, "cue_belief.txt") if lemma not in speech]
    verbs = forms_of(speech + belief)
    quote_only = forms_of(read_lexicon(language, "cue_quote_only.txt"))
    nouns: dict[str, str] = {}
    for lemma in read_lexicon(language, "cue_nouns.txt"):
        for f in noun_forms(lemma):
            nouns.setdefault(f, lemma)
    ambiguous = set(read_lexicon(language, "cue_ambiguous.txt"))
    weak_forms = frozenset(f for f, lemma in verbs.items() if lemma in belief)
    triggers = (frozenset(verbs) | frozenset(nouns) | {"according"}) - ambiguous - weak_forms
    return CueLexicon(verbs, quote_only, nouns, triggers, weak=frozenset(belief), weak_forms=weak_forms,
                      object_cues=frozenset(read_lexicon(language, "cue_object.txt")),
                      infinitive_cues=frozenset(read_lexicon(language, "cue_infinitive.txt")),
                      object_infinitive_cues=frozenset(read_lexicon(language, "cue_object_infinitive.txt")),
                      not_cues=frozenset(forms_of(read_lexicon(language, "cue_not.txt"))),
                      ambiguous=frozenset(ambiguous))
