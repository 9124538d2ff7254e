"""What source mentions are made of: lexicons, token tests, titles and names.

The helpers here work on paragraphs with or without tags and a dependency parse (the
extraction parses only paragraphs that can carry an attribution) and without lemmas.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Iterable

import numpy

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span as TokSpan, Token

# ---------------------------------------------------------------- lexicons


@lru_cache(maxsize=64)
def lexicon_lines(name: str, language: str = "en") -> tuple[str, ...]:
    """Non-blank, non-comment lines of ``lexicons/<language>/<name>``."""
    text = resources.files("onrecord").joinpath(f"lexicons/{language}/{name}").read_text("utf-8")
    return tuple(ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#"))


@lru_cache(maxsize=64)
def lexicon_sections(name: str, language: str = "en") -> dict[str, frozenset[str]]:
    """A lexicon split into ``[section]`` blocks."""
    out: dict[str, set[str]] = {}
    current = ""
    for ln in lexicon_lines(name, language):
        if ln.startswith("[") and ln.endswith("]"):
            current = ln[1:-1]
            continue
        out.setdefault(current, set()).add(ln.lower())
    return {k: frozenset(v) for k, v in out.items()}


@lru_cache(maxsize=8)
def lexicon_table(name: str, language: str = "en") -> dict[str, str]:
    """A two-column TSV lexicon as a dict (first column -> second)."""
    out: dict[str, str] = {}
    for ln in lexicon_lines(name, language):
        key, _, value = ln.partition("\t")
        out[key.strip()] = value.strip()
    return out


@lru_cache(maxsize=8)
def role_nouns(language: str = "en") -> frozenset[str]:
    return frozenset(x.lower() for x in lexicon_lines("role_nouns.txt", language))


@lru_cache(maxsize=8)
def org_nouns(language: str = "en") -> frozenset[str]:
    return frozenset(x.lower() for x in lexicon_lines("organizations.txt", language))


def document_nouns(language: str = "en") -> dict[str, str]:
    return {k.lower(): v for k, v in lexicon_table("documents.txt", language).items()}


@lru_cache(maxsize=8)
def speaker_nouns(language: str = "en") -> frozenset[str]:
    """Nouns that name who can say something: roles, organisations, unnamed sources, documents."""
    return (role_nouns(language) | org_nouns(language)
            | lexicon_sections("anonymous.txt", language).get("nouns", frozenset())
            | frozenset(document_nouns(language)))


_SPEAKER_ENTITIES = frozenset({"PERSON", "ORG", "NORP"})
_PERSONAL = frozenset({"him", "her", "them", "me", "us"})


def is_speaker_noun(word: str, language: str = "en") -> bool:
    """``word`` or its singular (the pipeline does not lemmatize) is a speaker noun: "officials", "sources"."""
    nouns = speaker_nouns(language)
    word = word.lower()
    return (word in nouns or (word.endswith("s") and word[:-1] in nouns)
            or (word.endswith("ies") and word[:-3] + "y" in nouns))


def names_a_speaker(head: Token, language: str = "en") -> bool:
    """The head word of a noun phrase names who can say something: a person, an organisation, unnamed
    sources, a document, "him" ("citing [Taliban sources]"), not a thing ("citing [a threat to health]")."""
    if head.pos_ == "PRON":
        return head.lower_ in _PERSONAL
    if head.pos_ not in ("NOUN", "PROPN"):
        return False
    return head.ent_type_ in _SPEAKER_ENTITIES or head.pos_ == "PROPN" or is_speaker_noun(head.lower_, language)


@lru_cache(maxsize=4)
def outlets(language: str = "en") -> dict[str, str]:
    """Every spelling of a news outlet -> its canonical name."""
    out: dict[str, str] = {}
    for ln in lexicon_lines("outlets.txt", language):
        names = [n.strip() for n in ln.split("|") if n.strip()]
        for n in names:
            out[n] = names[0]
            if n.startswith(("The ", "the ")):
                out[n[4:]] = names[0]
    return out


# organisations whose name ends in one of these words are outlets even when no lexicon lists them
OUTLET_WORDS = ("Times", "News", "Post", "Journal", "Radio", "TV", "Television", "Agency", "Herald", "Tribune",
                "Gazette", "Daily", "Magazine", "Press", "Broadcasting", "Network", "Channel", "Telegraph")


def outlet_name(text: str, language: str = "en", by_form: bool = False) -> str | None:
    """The canonical outlet named by ``text`` ("the AP" -> "Associated Press"), or None.

    With ``by_form``, a name ending like an outlet's ("Fars News", "the Review-Journal") counts too.
    """
    t = re.sub(r"^(?:the)\s+", "", text.strip(), flags=re.I)
    t = re.sub(r"(?:'s|’s)$", "", t).strip(" .,;:")
    table = outlets(language)
    found = table.get(t) or table.get(text.strip())
    if found is None and by_form and t[:1].isupper() and re.split(r"[\s-]", t)[-1] in OUTLET_WORDS and " " in t:
        return t
    return found


def first_name_gender(language: str = "en") -> dict[str, str]:
    return lexicon_table("first_names.tsv", language)


PRONOUNS = {"he": "m", "she": "f", "they": "pl", "it": "n", "him": "m", "her": "f", "them": "pl"}
HONORIFICS = {"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "miss", "dr", "dr.", "sir", "dame", "prof", "prof.",
              "gen.", "lt.", "col.", "capt.", "sgt.", "adm.", "maj.", "sen.", "rep.", "gov.", "pres.", "gen", "st."}
# the last word of a company's name ("Swift Independent Packing Co", "Agip Petroli SpA")
CORPORATE_SUFFIXES = frozenset({"Inc", "Corp", "Co", "Ltd", "Plc", "PLC", "LLC", "LP", "SpA", "Spa", "AG", "SA", "NV",
                                "BV", "GmbH", "KG", "Oy", "AB", "ASA", "Pty", "Bhd", "KK"})
# platforms the recognizer glues onto a name after "on" ("on Twitter West accused ..."): never a first name
PLATFORMS = frozenset({"twitter", "facebook", "instagram", "telegram", "youtube", "tiktok", "linkedin", "weibo",
                       "wechat", "whatsapp", "snapchat", "reddit", "threads"})
GENDERED_HONORIFICS = {"mr": "m", "mr.": "m", "sir": "m", "mrs": "f", "mrs.": "f", "ms": "f", "ms.": "f",
                       "miss": "f", "dame": "f"}
GENDERED_ROLES = {"spokesman": "m", "spokeswoman": "f", "chairman": "m", "chairwoman": "f", "king": "m",
                  "queen": "f", "prince": "m", "princess": "f", "congressman": "m", "congresswoman": "f",
                  "councilman": "m", "councilwoman": "f"}
INDEFINITE = {"a", "an", "one", "some", "several", "two", "three", "four", "many", "few", "other", "another",
              "various", "multiple", "numerous"}
BOUNDARY = {",", ";", ":", "--", "—", "–", "(", ")", '"', "“", "”", "«", "»", "[", "]"}
QUOTE_CHARS = {'"': "both", "“": "open", "”": "close", "«": "open", "»": "close", "„": "open"}
_QUOTE_CHAR_RE = re.compile("[" + re.escape("".join(QUOTE_CHARS)) + "]")
ENTITY_AFFILIATION = {"ORG", "GPE", "NORP", "LOC"}



@dataclass
class RoleNP:
    role: str
    affiliation: str | None
    head: str
    appositive: bool = False  # said of a name in apposition ("X, chairman of Y")




# ---------------------------------------------------------------- token helpers


DETERMINERS = {"the", "a", "an", "this", "that", "these", "those"}
PREPOSITIONS = {"of", "for", "in", "at", "on", "with", "to", "from", "by", "about", "over", "under", "into",
                "after", "before", "during", "since", "between", "against", "among", "through", "near"}
ADJ_WORDS = {"former", "senior", "deputy", "special", "acting", "chief", "top", "foreign", "interim", "vice",
             "assistant", "associate", "executive", "general", "national", "regional", "local", "new", "outgoing",
             "incoming", "lead", "principal", "second", "first", "main", "high", "supreme"}


def tag(t: Token) -> str:
    """The fine-grained tag, or a guess from the word when the paragraph was not tagged."""
    if t.tag_:
        return t.tag_
    low = t.text.lower()
    if low in DETERMINERS:
        return "DT"
    if low in PREPOSITIONS:
        return "IN"
    if low in ("he", "she", "they", "it", "him", "her", "them", "i", "we", "you"):
        return "PRP"
    if low in ("'s", "’s"):
        return "POS"
    if low in ("who", "which", "whom"):
        return "WP"
    if t.is_punct:
        return t.text
    return ""


def is_verb(t: Token) -> bool:
    return tag(t).startswith("VB") or t.pos_ in ("VERB", "AUX")


def lemma(t: Token) -> str:
    return (t.lemma_ or t.text).lower()


def singulars(word: str) -> tuple[str, ...]:
    """``word`` and the singular forms it may have ("sources" -> "source"; "authorities" -> "authority")."""
    low = word.lower()
    out = [low]
    if low.endswith("ies") and len(low) > 4:
        out.append(low[:-3] + "y")
    if low.endswith(("sses", "shes", "ches", "xes")):
        out.append(low[:-2])
    if low.endswith("s") and not low.endswith("ss"):
        out.append(low[:-1])
    if low == "people":
        out.append("person")
    return tuple(out)


def in_lexicon(t: Token, lexicon: Iterable[str]) -> str | None:
    """The lexicon entry a noun token stands for, singular or plural, or None."""
    for form in word_forms(t):
        if form in lexicon:
            return form
    return None


def word_forms(t: Token) -> tuple[str, ...]:
    """The forms a lexicon may list a noun token under: its lemma, then the word and its singulars."""
    return _forms(t.lemma_, t.text)


@lru_cache(maxsize=65536)
def _forms(lemma_: str, text: str) -> tuple[str, ...]:
    return ((lemma_ or text).lower(), *singulars(text))


def noun_key(t: Token) -> str:
    """A noun token's lexicon key: its lemma, or its singular form when the lemmatizer did not run."""
    if t.lemma_ and t.lemma_.lower() != t.text.lower():
        return t.lemma_.lower()
    forms = singulars(t.text)
    plural = tag(t) in ("NNS", "NNPS") or not t.tag_
    return forms[-1] if plural and len(forms) > 1 else forms[0]


def premodifier(t: Token) -> bool:
    """A word that can sit before a title's head noun ("U.S.", "special", "Foreign", "Taliban")."""
    low = t.text.lower()
    if low in DETERMINERS or low in PREPOSITIONS:
        return False
    if t.tag_:
        return t.tag_ in ("JJ", "JJR", "JJS", "NN", "NNS", "NNP", "NNPS", "POS", "HYPH", "CD", "VBN", "VBG")
    if t.ent_type_ in ("ORG", "GPE", "NORP") or low in ADJ_WORDS or low in ("'s", "’s", "-"):
        return True
    return t.text[:1].isupper() and not t.is_sent_start


def is_plural(t: Token) -> bool:
    if t.tag_:
        return t.tag_ in ("NNS", "NNPS")
    return len(singulars(t.text)) > 1


def text_of(tokens: list[Token]) -> str:
    if not tokens:
        return ""
    doc = tokens[0].doc
    return doc[tokens[0].i: tokens[-1].i + 1].text


def strip_the(text: str) -> str:
    return re.sub(r"^(?:the|The)\s+", "", text.strip())


def quote_ranges(text: str) -> list[tuple[int, int]]:
    """Character ranges inside double quotes (an unclosed quote runs to the end of the text)."""
    ranges: list[tuple[int, int]] = []
    open_at: int | None = None
    for m in _QUOTE_CHAR_RE.finditer(text):
        i = m.start()
        kind = QUOTE_CHARS[m.group()]
        if open_at is None and kind in ("both", "open"):
            open_at = i + 1
        elif open_at is not None and kind in ("both", "close"):
            ranges.append((open_at, i))
            open_at = None
    if open_at is not None:
        ranges.append((open_at, len(text)))
    return ranges


def sentences(doc: Doc) -> list[TokSpan]:
    """The sentences of a paragraph doc (one sentence when it was not parsed)."""
    if doc.has_annotation("SENT_START") or doc.has_annotation("DEP"):
        # what ``doc.sents`` gives, from one array instead of a walk over the tokens
        from spacy.attrs import SENT_START

        if not len(doc):
            return []
        starts = [0, *(int(i) for i in numpy.flatnonzero(doc.to_array([SENT_START]).astype("int64") == 1) if i), len(doc)]
        return [doc[a:b] for a, b in zip(starts, starts[1:])]
    return [doc[:]]


def role_np(tokens: list[Token], roles: frozenset[str]) -> RoleNP | None:
    """A title noun phrase ("the U.S. special envoy for peace in Afghanistan") split into role and affiliation."""
    toks = [t for t in tokens if not t.is_space]
    while toks and (tag(toks[0]) in ("DT", "IN", "CC") or toks[0].text in BOUNDARY):
        toks = toks[1:]
    while toks and (toks[-1].text in BOUNDARY or toks[-1].is_punct):
        toks = toks[:-1]
    if not toks or any(is_verb(t) and tag(t) not in ("VBN", "VBG") for t in toks):
        return None
    if any(t.ent_type_ == "PERSON" for t in toks):
        return None
    first_prep = next((i for i, t in enumerate(toks) if tag(t) == "IN"), len(toks))
    heads = [i for i in range(first_prep) if in_lexicon(toks[i], roles)]
    if not heads:
        return None
    h = heads[-1]
    start = h
    while start > 0 and premodifier(toks[start - 1]):
        start -= 1
    toks, h = toks[start:], h - start
    # affiliation: an organisation, place or group named before the head, or "of/for <ORG>" after it
    aff_idx: list[int] = []
    for i in range(h):
        if toks[i].ent_type_ in ENTITY_AFFILIATION:
            if aff_idx and i != aff_idx[-1] + 1:
                break
            aff_idx.append(i)
        elif aff_idx:
            break
    if not aff_idx:
        # "Sela Times reporter", "KPD Constable": a leading run of proper nouns before a lower-case title,
        # or one holding an acronym, names the organisation
        i = 0
        while i < h and tag(toks[i]) in ("NNP", "NNPS") and toks[i].text[:1].isupper() \
                and toks[i].text.lower() not in roles and toks[i].text.lower() not in ADJ_WORDS:
            i += 1
        acronym = any(re.fullmatch(r"[A-Z][A-Z-]*[A-Z]", t.text) for t in toks[:i])
        named = i > 1 or acronym or (i == 1 and toks[0].ent_type_ != "")  # not "Prime minister", "Team leader"
        if 0 < i and named and (acronym or all(not t.text[:1].isupper() for t in toks[i:h + 1])):
            aff_idx = list(range(i))
    if aff_idx and aff_idx[-1] + 1 < h and tag(toks[aff_idx[-1] + 1]) == "POS":
        aff_idx.append(aff_idx[-1] + 1)
    affiliation = text_of([toks[i] for i in aff_idx if tag(toks[i]) != "POS"]) if aff_idx else None
    keep = [t for i, t in enumerate(toks) if i not in aff_idx]
    # "vice president of operations at Norvik Shipping": the role ends before the last "at/of/for <ORG>"
    for k in range(h + 1, len(toks) - 1):
        if affiliation is not None or toks[k].text.lower() not in ("of", "for", "at", "from"):
            continue
        rest = [t for t in toks[k + 1:] if tag(t) != "DT"]
        # the whole organisation name: "of Technology" in "University of Technology" is no cut
        whole = bool(rest) and (rest[0].ent_iob_ == "B" or tag(toks[k + 1]) == "DT")
        if whole and all(t.ent_type_ == "ORG" for t in rest) and rest[-1].i == toks[-1].i:
            affiliation = text_of(rest)
            keep = [t for t in toks[:k] if t not in [toks[i] for i in aff_idx]]
    while keep and (tag(keep[-1]) in ("CC", "IN", "DT") or keep[-1].text in BOUNDARY):
        keep = keep[:-1]  # "president and" left by a cut
    while keep and (keep[0].text.lower() in ("including", "among") or keep[0].text in BOUNDARY):
        keep = keep[1:]
    if affiliation:
        affiliation = re.sub(r"(?:'s|’s|')$", "", affiliation).strip()
        if affiliation.count("(") > affiliation.count(")"):
            affiliation = affiliation[: affiliation.rindex("(")].strip()
    role = re.sub(r"\s+", " ", text_of(keep) if contiguous(keep) else " ".join(t.text for t in keep)).strip()
    if not role:
        return None
    return RoleNP(role, strip_the(affiliation) if affiliation else None, in_lexicon(toks[h], roles) or "")


def contiguous(tokens: list[Token]) -> bool:
    return all(b.i == a.i + 1 for a, b in zip(tokens, tokens[1:]))


def name_key(tokens: Iterable[Token]) -> tuple[tuple[str, ...], str | None, list[Token]]:
    """Name tokens without honorifics and possessives: (key words, gender from an honorific, leading titles)."""
    toks = [t for t in tokens if tag(t) != "POS" and t.text not in ("'s", "’s", "'", "’")]
    gender = None
    titles: list[Token] = []
    while len(toks) > 1 and toks[0].text.lower() in PLATFORMS:
        toks = toks[1:]
    while toks and (toks[0].text.lower() in HONORIFICS):
        gender = gender or GENDERED_HONORIFICS.get(toks[0].text.lower())
        titles.append(toks[0])
        toks = toks[1:]
    words = tuple(_name_word(t.text) for t in toks)
    return tuple(w for w in words if w), gender, titles


_INITIALS = re.compile(r"(?:[A-Z]\.)+")


def is_initials(word: str) -> bool:
    """"W.", "G.K.", "U.S.": initials, each with its full stop."""
    return _INITIALS.fullmatch(word) is not None


def _name_word(text: str) -> str:
    word = re.sub(r"(?:'s|’s)$", "", text).strip(",")
    return word if is_initials(word) else word.strip(".")  # an initial keeps its full stop
