"""Person names for cross-article matching: normal forms, given names, surnames and compatibility."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

HONORIFICS = frozenset(
    "mr mrs ms miss mx dr prof sir dame lord lady sen rep gov gen col lt sgt capt cmdr adm rev fr "
    "sheikh mullah herr mme mlle monsieur madame senor senora".split()
)
SUFFIXES = frozenset("jr sr ii iii iv v".split())
PARTICLES = frozenset("al el bin ibn abu van von der den de del della di da du la le st".split())

# given-name variants treated as the same name (both directions); kept short on purpose
NICKNAMES: dict[str, frozenset[str]] = {}
for _group in (
    "william bill will billy", "robert bob bobby rob", "james jim jimmy jamie", "richard dick rick rich",
    "thomas tom tommy", "michael mike mick", "joseph joe joey", "charles charlie chuck", "edward ed ted ned",
    "anthony tony", "daniel dan danny", "david dave", "john jack johnny", "elizabeth liz beth betty",
    "margaret maggie peggy", "katherine kate kathy katie", "catherine kate cathy", "patricia pat patty",
    "stephen steve", "steven steve", "nicholas nick", "alexander alex", "andrew andy", "benjamin ben",
    "christopher chris", "donald don", "gerald gerry jerry", "lawrence larry", "leonard len leo",
    "matthew matt", "peter pete", "ronald ron ronnie", "samuel sam", "timothy tim", "walter walt",
    "frederick fred", "henry hank", "jacob jake", "jeffrey jeff", "kenneth ken", "raymond ray",
    "susan sue", "deborah deb debbie", "jennifer jen jenny", "rebecca becky", "victoria vicky",
    "vladimir vlad", "mohammed mohammad muhammad mohamed", "abdul abdel",
):
    _names = _group.split()
    for _n in _names:
        NICKNAMES[_n] = NICKNAMES.get(_n, frozenset()) | frozenset(_names)

_TOKEN = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*\.?", re.UNICODE)


def fold(text: str) -> str:
    """Casefolded text without diacritics."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@dataclass(frozen=True, slots=True)
class PersonName:
    """A person's name split for matching: ``given`` names (initials as one letter), ``surname``, ``suffix``."""

    given: tuple[str, ...]
    surname: str
    suffix: str = ""

    @property
    def key(self) -> str:
        parts = [*self.given, self.surname] + ([self.suffix] if self.suffix else [])
        return " ".join(parts)

    @property
    def is_full(self) -> bool:
        """A given name (not only initials) and a surname."""
        return any(len(g) > 1 for g in self.given)


def parse_person(name: str) -> PersonName | None:
    """``name`` as a PersonName, or None when it holds no letters. A single token is a bare surname."""
    tokens = [t.rstrip(".") for t in _TOKEN.findall(fold(name))]
    tokens = [t.replace("\u2019", "'") for t in tokens if t]
    while tokens and tokens[0] in HONORIFICS and len(tokens) > 1:
        tokens = tokens[1:]
    suffix = ""
    if len(tokens) > 1 and tokens[-1] in SUFFIXES:
        suffix = tokens.pop()
    if not tokens:
        return None
    # a particle starts the surname: "Ludwig van Beethoven" -> surname "van beethoven"
    cut = len(tokens) - 1
    while cut > 1 and tokens[cut - 1] in PARTICLES:
        cut -= 1
    if len(tokens) == 1:
        return PersonName((), tokens[0], suffix)
    return PersonName(tuple(tokens[:cut]), " ".join(tokens[cut:]), suffix)


def _given_match(a: str, b: str) -> bool:
    if a == b:
        return True
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    return b in NICKNAMES.get(a, frozenset())


def compatible(a: PersonName, b: PersonName) -> bool:
    """Whether ``a`` and ``b`` can name the same person.

    Same surname, no conflicting suffix, first names that match (an initial matches its
    letter, a nickname its full form), and middle names that either match one for one or
    are missing on one side ("George Bush" fits "George W. Bush"; "George W. Bush" does not
    fit "George H. W. Bush"). A bare surname fits every name with that surname.
    """
    if a.surname != b.surname:
        return False
    if a.suffix and b.suffix and a.suffix != b.suffix:
        return False
    if not a.given or not b.given:
        return True
    if not _given_match(a.given[0], b.given[0]):
        return False
    ma, mb = a.given[1:], b.given[1:]
    if not ma or not mb:
        return True
    return len(ma) == len(mb) and all(_given_match(x, y) for x, y in zip(ma, mb))


def looks_like_person(name: str) -> bool:
    """Two to five capitalised words and nothing else: "Zalmay Khalilzad", "J. R. Smith"."""
    words = name.split()
    if not 2 <= len(words) <= 5:
        return False
    return all(w[:1].isupper() or fold(w.rstrip(".")) in PARTICLES for w in words) and any(
        len(w.rstrip(".")) > 1 for w in words)


_ARTICLE = re.compile(r"^(the|a|an)\s+", re.IGNORECASE)


def org_key(name: str) -> str:
    """Normal form of an organisation's name: folded, no leading article, no punctuation."""
    text = _ARTICLE.sub("", fold(name).strip())
    text = re.sub(r"[^\w\s&-]", "", text)
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\b(inc|corp|co|ltd|plc|llc|ag|sa|nv)$", "", text).strip()
    return text


def is_proper(name: str) -> bool:
    """A name rather than a description: at least one capitalised word after a leading article."""
    words = _ARTICLE.sub("", name.strip()).split()
    return any(w[:1].isupper() for w in words)
