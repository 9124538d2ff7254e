"""Names in the paragraphs the entity recognizer does not read.

The statistical recognizer costs more than the tagger and parser together, and only the
paragraphs that can carry an attribution need it. The other paragraphs still name the
people that pronouns, surnames and role nouns of the statements point back to ("Nancy
Pelosi" three paragraphs before "Pelosi said"), so they get entities from this finder:

- the names the recognizer found elsewhere in the same article, wherever their words recur
  (with the recognizer's label: PERSON, ORG, GPE, NORP, ...);
- a run of capitalised words that ends in a known surname ("Nancy Pelosi" when "Pelosi" was
  found), starts with a known first name, or follows an honorific or a title ("Mr. Adamowicz",
  "spokesman Idris Halloran"), with the titles before it left out ("House Speaker Nancy
  Pelosi" -> "Nancy Pelosi");
- otherwise by form (``lexicons/<lang>/name_forms.txt``): a run ending in an organisation word
  is an organisation ("Norvik Shipping Ltd", "the Interior Ministry", "The Valdoria Herald"),
  an acronym is an organisation, and two or three capitalised words that are neither a place
  ("New Delhi", "Baker Street", "in Costa Rica") nor a date are a person ("Kiri Vance").
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import TYPE_CHECKING, Sequence

from .mentions import (ADJ_WORDS, DETERMINERS, HONORIFICS, OUTLET_WORDS, PREPOSITIONS, first_name_gender,
                       lexicon_lines, lexicon_sections, role_nouns, singulars)

if TYPE_CHECKING:
    from spacy.tokens import Doc

# entity labels carried over from the recognised paragraphs
CARRIED = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})
# lower-case words that may sit inside a name ("Ludwig van Beethoven", "Osama bin Laden")
PARTICLES = frozenset({"van", "von", "de", "der", "den", "da", "di", "del", "della", "du", "bin", "ibn", "al",
                       "el", "le", "la", "dos", "das", "y", "ter", "ten", "st."})
MAX_NAME = 5  # tokens in a person name found by form
# sentence-initial words that are not part of a name ("But Pelosi ...")
OPENERS = frozenset({"but", "and", "or", "so", "yet", "when", "while", "if", "as", "after", "before", "then"})


@lru_cache(maxsize=8)
def _first_names(language: str) -> frozenset[str]:
    return frozenset(first_name_gender(language))


@lru_cache(maxsize=8)
def _stopwords(language: str) -> frozenset[str]:
    return frozenset(w.lower() for w in lexicon_lines("stopwords.txt", language)) | OPENERS | DETERMINERS | PREPOSITIONS


def label_names(docs: Sequence[Doc], recognised: Sequence[bool], language: str = "en") -> None:
    """Set entities on the docs with ``recognised`` False (the entity recognizer did not read them), from
    what it found in the recognised docs of the same article."""
    if all(recognised):
        return
    known: dict[tuple[str, ...], Counter[str]] = {}
    surnames: set[str] = set()
    firsts: set[str] = set()
    for doc, rec in zip(docs, recognised):
        if not rec:
            continue
        for ent in doc.ents:
            if ent.label_ not in CARRIED:
                continue
            words = tuple(t.text for t in ent if not t.is_space)
            if not words or not words[0][:1].isupper():
                continue
            known.setdefault(words, Counter())[ent.label_] += 1
            if ent.label_ == "PERSON":
                surnames.add(words[-1])
                if len(words) > 1:
                    firsts.add(words[0])
    by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for words, labels in known.items():
        by_first.setdefault(words[0], []).append((words, labels.most_common(1)[0][0]))
    for options in by_first.values():
        options.sort(key=lambda x: -len(x[0]))
    firsts |= _first_names(language)
    titles = role_nouns(language)
    stop = _stopwords(language)
    forms = lexicon_sections("name_forms.txt", language)
    for doc, rec in zip(docs, recognised):
        if rec or not len(doc):
            continue
        words = [t.text for t in doc]
        spans = _find(words, by_first, surnames, firsts, titles, stop, forms)
        doc.set_ents([doc.char_span(doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text), label=label)
                      for a, b, label in spans], default="outside")


def _find(words: list[str], by_first: dict[str, list[tuple[tuple[str, ...], str]]],
          surnames: set[str], firsts: set[str], titles: frozenset[str], stop: frozenset[str],
          forms: dict[str, frozenset[str]]) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    i = 0
    while i < len(words):
        w = words[i]
        if not w[:1].isupper():
            i += 1
            continue
        j = _run_end(words, i)
        person = _person_in_run(words, i, j, surnames, firsts, titles, stop)
        if person is not None:
            out.append((person[0], person[1], "PERSON"))
            i = j
            continue
        form = _by_form(words, i, j, stop, forms, titles)
        if form is not None and not any(_known_at(words, k, by_first) for k in range(i, j)):
            out.append(form)
            i = j
            continue
        k = i
        while k < j:
            match = _known_at(words, k, by_first)
            if match is None:
                k += 1
                continue
            length, label = match
            out.append((k, k + length, label))
            k += length
        i = max(j, k)  # a known name may run past the capitalised words ("Bank of England")
    return out


def _run_end(words: list[str], i: int) -> int:
    """End of the run of capitalised words (with name particles: "Ludwig van Beethoven") starting at ``i``."""
    n = len(words)
    j = i + 1
    while j < n:
        w = words[j]
        if w[:1].isupper():
            j += 1
        elif w.lower() in PARTICLES and j + 1 < n and words[j + 1][:1].isupper():
            j += 2
        else:
            break
    return j


def _person_in_run(words: list[str], i: int, j: int, surnames: set[str], firsts: set[str],
                   titles: frozenset[str], stop: frozenset[str]) -> tuple[int, int] | None:
    """The person name a capitalised run holds, titles and determiners left out, or None."""
    before = words[i - 1].lower() if i > 0 else ""
    honorific = before in HONORIFICS or before in titles  # "Mr. Halloran", "spokesman Idris Halloran"
    a = i
    while a < j and words[a].lower() in stop:  # "But Pelosi", "On Monday"
        a += 1
    # "House Speaker Nancy Pelosi", "Mr. Smith", "The": the name starts after the last title word
    for k in range(a, j):
        low = words[k].lower()
        if low in titles or low in HONORIFICS or low in ADJ_WORDS or low in DETERMINERS:
            a = k + 1
            honorific = honorific or low in HONORIFICS or low in titles
    while a < j and not words[a][:1].isalpha():  # "- Jorgensen"
        a += 1
    b = j
    if a >= b or b - a > MAX_NAME:
        return None
    if words[b - 1] in surnames and (b - a > 1 or honorific):
        if b - a > 2 and words[a] not in firsts:  # "Democrats Nancy Pelosi": first name and surname
            k = b - 2
            while k > a and words[k].lower() in PARTICLES:  # "Ludwig van Beethoven"
                k -= 1
            a = k
        return a, b
    if b - a > 1 and words[a] in firsts:
        return a, b
    if honorific and b - a <= 3:
        return a, b
    return None


PLACE_PREPOSITIONS = frozenset({"in", "at", "from", "to", "near", "into", "across", "outside", "inside"})
OUTLET_HEADS = frozenset(w.lower() for w in OUTLET_WORDS)


def _by_form(words: list[str], i: int, j: int, stop: frozenset[str], forms: dict[str, frozenset[str]],
             titles: frozenset[str]) -> tuple[int, int, str] | None:
    """An organisation or a person told by the form of the capitalised run ``words[i:j]``, or None."""
    a = i
    while a < j and words[a].lower() in stop:
        a += 1
    if a >= j:
        return None
    core = words[a:j]
    lows = [w.lower() for w in core]
    if len(core) >= 2 and (lows[-1] in forms.get("org_heads", ()) or lows[-1] in OUTLET_HEADS):
        return a, j, "ORG"
    if len(core) == 1:
        w = core[0]
        label = j < len(words) and words[j] == ":"  # "NG:" in an interview transcript is a speaker's initials
        if 3 <= len(w) <= 6 and w.isalpha() and w.isupper() and w not in ("USA", "UAE") and not label:
            return a, j, "ORG"  # "NATO", "FBI"
        return None
    if len(core) > 3 or not all(len(w) > 1 and w.isalpha() and w.istitle() for w in core):
        return None
    if any(s in titles for x in lows for s in singulars(x)):  # "Prime Ministers"
        return None
    if any(x in forms.get("place_words", ()) or x in forms.get("calendar", ()) for x in lows):
        return None
    if a > 0 and words[a - 1].lower() in PLACE_PREPOSITIONS:
        return None
    return a, j, "PERSON"


def _known_at(words: list[str], k: int, by_first: dict[str, list[tuple[tuple[str, ...], str]]]
              ) -> tuple[int, str] | None:
    for name, label in by_first.get(words[k], ()):
        if tuple(words[k:k + len(name)]) == name:
            return len(name), label
    return None
