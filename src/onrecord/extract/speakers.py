"""Who a source mention stands for: names, roles, pronouns, organisations, anonymous sources, documents.

``Discourse(parsed, attributions, caption_docs)`` reads the whole article once (titles around names
are read by ``titles.Titles``) and keeps:

- the cast: every person named (full names, surnames mapped to them, roles and affiliations
  learned from pre-name titles, appositives and image captions, a gender when the text shows one),
  organisations and outlets;
- a left-to-right stream of mentions (names, role nouns, organisations, pronouns) in which each
  pronoun is resolved to the entity it most likely stands for.

``Discourse.speaker(paragraph, span, head)`` turns one source mention into a ``Speaker``.
"""

from __future__ import annotations

from bisect import bisect_right
import dataclasses
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable

from ..model import Span, Speaker, SpeakerType
from .mentions import (
    BOUNDARY, DETERMINERS, ENTITY_AFFILIATION, CORPORATE_SUFFIXES, GENDERED_HONORIFICS, GENDERED_ROLES, HONORIFICS, INDEFINITE,
    PREPOSITIONS, PRONOUNS, RoleNP, contiguous, document_nouns, first_name_gender, in_lexicon, is_plural, word_forms,
    lexicon_sections, name_key, noun_key, org_nouns, outlet_name, premodifier, quote_ranges, singulars,
    role_np, role_nouns, sentences, strip_the, tag, text_of,
)
from .titles import Titles

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span as TokSpan, Token

    from .types import Attribution, Parsed


# ---------------------------------------------------------------- records


@dataclass(eq=False)
class Entity:
    """Someone or something the article speaks of."""

    type: SpeakerType
    name: str
    role: str | None = None
    affiliation: str | None = None
    gender: str | None = None  # "m" | "f"
    plural: bool = False
    role_heads: set[str] = field(default_factory=set)
    label: str = ""  # the NER label it was named with ("ORG", "NORP"), "" when not named by an entity

    def learn_role(self, role: str | None, affiliation: str | None, head: str | None,
                   appositive: bool = False) -> None:
        """Keep the most informative role/affiliation seen for this entity.

        A longer role that contains the known one replaces it; so does a role in apposition
        ("General X, chairman of the Joint Chiefs") when the known one is a one-word title.
        """
        if head:
            self.role_heads.add(head)
            if self.gender is None and head in GENDERED_ROLES:
                self.gender = GENDERED_ROLES[head]
        if role and (self.role is None or (len(role) > len(self.role) and self.role.lower() in role.lower())
                     or (appositive and " " not in self.role and self.role[:1].isupper() and role != self.role)):
            self.role = role
        if affiliation and self.affiliation is None:
            self.affiliation = affiliation

    def speaker(self, mention: Span | None) -> Speaker:
        return Speaker(self.name, self.type, mention, self.role, self.affiliation)


@dataclass
class Mention:
    entity: Entity
    para: int
    token: int  # head token index in the paragraph doc
    sent: int  # global sentence index
    subject: bool
    main: bool
    obj: bool  # the object of a verb or preposition
    in_quote: bool
    speaker: bool = False  # the mention is the source of an attribution



# ---------------------------------------------------------------- the article's discourse


STREAM_PRONOUNS = frozenset({"he", "she", "they", "it", "him", "her", "them"})


class Discourse(Titles):
    """The people, organisations and mentions of one article, with pronouns resolved."""

    WINDOW = 6  # sentences a pronoun looks back
    LOOKBACK = 400  # mentions a surname, role noun or "the company" looks back

    def __init__(self, parsed: Parsed, attributions: Iterable[Attribution] = (), captions: Iterable[Doc] = (),
                 language: str = "en") -> None:
        self.parsed = parsed
        self.language = language
        self.roles = role_nouns(language)
        self.orgnouns = org_nouns(language)
        anon = lexicon_sections("anonymous.txt", language)
        self.anon_nouns = anon.get("nouns", frozenset())
        self.anon_modifiers = anon.get("modifiers", frozenset())
        self.anon_markers = anon.get("markers", frozenset())
        self.documents = document_nouns(language)
        self.genders = first_name_gender(language)
        self.captions = list(captions)
        self.persons: dict[tuple[str, ...], Entity] = {}
        self._by_word: tuple[dict[str, list[Entity]], dict[str, list[Entity]]] | None = None
        self.orgs: dict[str, Entity] = {}
        self.stream: list[Mention] = []
        self.at: dict[tuple[int, int], Mention] = {}
        self.quotes = [quote_ranges(parsed.text[p.start:p.end]) for p in parsed.paragraphs]
        # every noun form that can put a common noun into the mention stream
        self._stream_nouns = self.roles | self.orgnouns | self.OUTLET_NOUNS | self.anon_nouns
        self._ends: dict[int, list[int]] = {}
        self._person_keys: dict[tuple[int, int, int], tuple[tuple[str, ...], str | None]] = {}
        self._cand_hashes: set[int] | None = None
        self._pronoun_hashes: set[int] = set()
        self._nns = 0
        self._noun_hashes: dict[int, bool] = {}
        self._maybe: dict[int, list[bool] | None] = {}
        self._ents: dict[int, tuple[TokSpan, ...]] = {}
        self.sent_index: list[dict[int, int]] = []
        self.sent_spans: list[tuple[int, TokSpan]] = []
        for p in parsed.paragraphs:
            index: dict[int, int] = {}
            for s in sentences(p.doc):
                g = len(self.sent_spans)
                self.sent_spans.append((p.index, s))
                for i in range(s.start, s.end):
                    index[i] = g
            self.sent_index.append(index)
        self.source_heads = {(a.paragraph, h) for a in attributions
                             for h in [a.source_head if a.source_head is not None else self._head_of(a.source)]
                             if h is not None}
        self._collect_people()
        self._build_stream()

    # ---- helpers

    def in_quote(self, para: int, token: Token) -> bool:
        return any(a <= token.idx < b for a, b in self.quotes[para])

    def _head_of(self, span: Span | None) -> int | None:
        if span is None:
            return None
        tok = self.tokens_of(span)
        return self.np_head(tok).i if tok else None

    def tokens_of(self, span: Span) -> list[Token]:
        """The tokens of the paragraph that hold ``span``."""
        p = self.parsed.paragraph_at(span.start)
        if p is None:
            return []
        a, b = span.start - p.start, span.end - p.start
        doc = p.doc
        # the first token ending after a, then every token starting before b
        lo = bisect_right(self._token_ends(p.index), a)
        out = []
        for i in range(lo, len(doc)):
            t = doc[i]
            if t.idx >= b:
                break
            out.append(t)
        return out

    def _token_ends(self, para: int) -> list[int]:
        """End offset of each token of paragraph ``para`` (non-decreasing), cached."""
        ends = self._ends.get(para)
        if ends is None:
            from spacy.attrs import IDX, LENGTH

            doc = self.parsed.paragraphs[para].doc
            arr = doc.to_array([IDX, LENGTH]).astype("int64") if len(doc) else None
            ends = self._ends[para] = (arr[:, 0] + arr[:, 1]).tolist() if arr is not None else []
        return ends

    @staticmethod
    def np_head(tokens: list[Token]) -> Token:
        """The syntactic head of a token run (its last token when unparsed)."""
        ids = {t.i for t in tokens}
        if tokens and tokens[0].doc.has_annotation("DEP"):
            for t in tokens:
                if t.head.i not in ids or t.head.i == t.i:
                    return t
        return tokens[-1]

    def _subject(self, head: Token) -> tuple[bool, bool, bool]:
        """(is a subject, is the subject of the main clause, is an object)."""
        if not head.doc.has_annotation("DEP"):
            # no parse: the first name or pronoun of the sentence not governed by a preposition
            # stands in for its subject
            sent = head.sent if head.doc.has_annotation("SENT_START") else head.doc[:]
            start = head.i
            while start > sent.start and head.doc[start].ent_iob_ == "I":
                start -= 1

            def after_prep(i: int) -> bool:
                j = i - 1
                while j >= sent.start and head.doc[j].lower_ in DETERMINERS:
                    j -= 1
                return j >= sent.start and head.doc[j].lower_ in PREPOSITIONS

            obj = after_prep(start)
            first = not obj and not any(
                (t.ent_iob_ == "B" and t.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") or t.lower_ in PRONOUNS)
                and not after_prep(t.i) for t in head.doc[sent.start:start])
            return first, first, obj
        r = head
        while r.dep_ in ("compound", "appos", "flat", "amod", "nmod") and r.head.i != r.i:
            r = r.head
        subject = r.dep_ in ("nsubj", "nsubjpass", "csubj")
        verb = r.head
        main = subject and (verb.dep_ == "ROOT" or (verb.dep_ == "conj" and verb.head.dep_ == "ROOT"))
        return subject, main, r.dep_ in ("dobj", "pobj", "dative", "iobj", "obj", "agent")

    # ---- the cast

    def _docs(self) -> Iterable[tuple[int | None, Doc]]:
        for p in self.parsed.paragraphs:
            yield p.index, p.doc
        for d in self.captions:
            yield None, d

    def _person_key(self, ent: TokSpan) -> tuple[tuple[str, ...], str | None]:
        cache_key = (id(ent.doc), ent.start, ent.end)
        found = self._person_keys.get(cache_key)
        if found is None:
            found = self._person_keys[cache_key] = self._person_key_of(ent)
        return found

    def _person_key_of(self, ent: TokSpan) -> tuple[tuple[str, ...], str | None]:
        key, gender, _ = name_key(list(ent))
        key = self._split_titles(key)[0]
        if gender is None and ent.start > 0:
            gender = GENDERED_HONORIFICS.get(ent.doc[ent.start - 1].text.lower())
        return key, gender

    def _collect_people(self) -> None:
        singles: list[tuple[tuple[str, ...], str | None]] = []
        for _, doc in self._docs():
            for ent in self.ents_of(doc):
                if ent.label_ != "PERSON":
                    continue
                key, gender = self._person_key(ent)
                if not key:
                    continue
                if len(key) == 1:
                    singles.append((key, gender))
                    continue
                e = self.persons.get(key)
                if e is None:
                    e = self.persons[key] = Entity("person", _display_name(key))
                    e.gender = self.genders.get(key[0])
                e.gender = e.gender or gender
        for key, gender in singles:
            if not self.candidates_for(key[0]) and key not in self.persons:
                self.persons[key] = Entity("person", key[0], gender=gender or self.genders.get(key[0]))
        for _, doc in self._docs():
            for ent in self.ents_of(doc):
                key, gender = self._person_key(ent)
                # the small model often misses names in captions: any entity spelled like a known name counts
                if ent.label_ == "PERSON" or (len(key) > 1 and key in self.persons):
                    e = self.person(key)
                    if e is None:
                        continue
                    e.gender = e.gender or gender
                    titles = self._split_titles(name_key(list(ent))[0])[1]
                    if titles:  # "Rovers DL Tomas Brandt": role DL, affiliation Rovers
                        role = titles[-1]
                        e.learn_role(role, " ".join(titles[:-1]) or None,
                                     role.lower() if role.lower() in self.roles else None)
                    for np in self._roles_around(ent):
                        e.learn_role(np.role, np.affiliation, np.head, np.appositive)

    def candidates_for(self, word: str) -> list[Entity]:
        """Full-name persons a single name word may stand for (surname first, then first name)."""
        if self._by_word is None:
            by_last: dict[str, list[Entity]] = {}
            by_first: dict[str, list[Entity]] = {}
            for k, e in self.persons.items():
                if len(k) > 1:
                    by_last.setdefault(k[-1], []).append(e)
                    by_first.setdefault(k[0], []).append(e)
            self._by_word = (by_last, by_first)
        return self._by_word[0].get(word) or self._by_word[1].get(word) or []

    def recent(self, near: int, keep: Callable[[Entity], bool]) -> list[Entity]:
        """Entities of the mentions before stream position ``near`` that ``keep`` accepts, latest first."""
        out: list[Entity] = []
        for i in range(near - 1, max(-1, near - 1 - self.LOOKBACK), -1):
            e = self.stream[i].entity
            if keep(e) and e not in out:
                out.append(e)
        return out

    def person(self, key: tuple[str, ...], near: int | None = None) -> Entity | None:
        """The person a name stands for: a full name, or the full name a surname belongs to."""
        if not key:
            return None
        if key in self.persons and len(key) > 1:
            return self.persons[key]
        cands = self.candidates_for(key[-1]) if len(key) >= 1 else []
        if len(cands) > 1 and near is not None:
            recent = self.recent(near, lambda e: e in cands)
            if recent:
                return recent[0]
        if cands:
            return cands[0]
        return self.persons.get(key)

    # ---- the mention stream

    def _build_stream(self) -> None:
        for g, (pi, sent) in enumerate(self.sent_spans):
            items: list[tuple[int, str, Any]] = []
            taken: set[int] = set()
            for ent in self.ents_of(sent.doc):
                if ent.start < sent.start or ent.end > sent.end:
                    continue
                key, _ = self._person_key(ent)
                if ent.label_ == "PERSON" or (key in self.persons and len(key) > 1) or (
                        len(key) == 1 and ent.label_ in ("ORG", "GPE", "NORP", "LOC") and self.candidates_for(key[0])):
                    items.append((ent.start, "person", (ent, key)))
                    taken.update(range(ent.start, ent.end))
                elif ent.label_ in ("ORG", "NORP"):
                    items.append((ent.start, "org", ent))
                    taken.update(range(ent.start, ent.end))
            doc = sent.doc
            maybe = self._stream_candidates(pi, doc)
            for i in range(sent.start, sent.end):
                if i in taken or (maybe is not None and not maybe[i]):
                    continue
                t = doc[i]
                text, fine = t.text, t.tag_
                tg = fine or tag(t)
                if tg == "PRP" and text.lower() in STREAM_PRONOUNS:
                    items.append((t.i, "pronoun", t))
                elif (tg in ("NNP", "NNPS") or (not fine and text[:1].isupper())) and self.candidates_for(text):
                    items.append((t.i, "person", (sent.doc[t.i:t.i + 1], (text,))))
                elif (tg.startswith("NN") or (not fine and t.is_alpha)) and (
                        fine == "NNS" or not self._stream_nouns.isdisjoint(word_forms(t))):
                    plural = is_plural(t)
                    # the lexicons first: whether the noun is definite is asked only of role and
                    # organisation nouns
                    if not plural and in_lexicon(t, self.roles) and self._definite(t) \
                            and not self._names_a_person(t):
                        items.append((t.i, "role", t))
                    elif (not plural and t.dep_ == "nsubj" and (pi, t.i) in self.source_heads
                          and any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in t.children)
                          and in_lexicon(t, self.roles) and not self._names_a_person(t)):
                        items.append((t.i, "unnamed", t))  # "a company spokesman said ... He said"
                    elif (in_lexicon(t, self.orgnouns) or text.lower() in self.OUTLET_NOUNS) and self._definite(t):
                        items.append((t.i, "orgnoun", t))
                    elif plural and in_lexicon(t, self.anon_nouns):
                        items.append((t.i, "group", (t, "anonymous")))
                    elif fine == "NNS" and t.dep_ in ("nsubj", "nsubjpass") and not in_lexicon(t, self.documents):
                        items.append((t.i, "group", (t, "anonymous")))  # "the researchers": a group
            for ti, kind, payload in sorted(items, key=lambda x: x[0]):
                self._add(pi, g, kind, payload)

    def ents_of(self, doc: Doc) -> tuple[TokSpan, ...]:
        """``doc.ents``, built once per doc (spaCy builds the tuple from the tokens on every access)."""
        found = self._ents.get(id(doc))
        if found is None:
            found = self._ents[id(doc)] = tuple(self._with_first_name(doc, e) for e in doc.ents)
        return found

    def _with_first_name(self, doc: Doc, ent: TokSpan) -> TokSpan:
        """A person's name with the first name the recognizer left out between a role noun and the
        surname: "spokesperson [Barend] Leyts" (it found "Leyts" alone)."""
        if ent.label_ != "PERSON" or ent.start < 2:
            return ent
        first, role = doc[ent.start - 1], doc[ent.start - 2]
        if (first.tag_ == "NNP" and first.is_alpha and first.text[:1].isupper() and not first.text.isupper()
                and not first.ent_type_ and first.lower_ not in self.roles and first.lower_ not in HONORIFICS
                and role.lower_ in self.roles):
            from spacy.tokens import Span

            return Span(doc, ent.start - 1, ent.end, label=ent.label)
        return ent

    def _stream_candidates(self, pi: int, doc: Doc) -> list[bool] | None:
        """For each token of paragraph ``pi``, whether it can enter the mention stream at all (a stream
        pronoun, a word of a known name, a plural noun, a noun some lexicon lists), from the token
        arrays; None when the paragraph has lemmas (then every token is looked at)."""
        if pi in self._maybe:
            return self._maybe[pi]
        if not len(doc) or doc.has_annotation("LEMMA"):
            self._maybe[pi] = None
            return None
        from spacy.attrs import LOWER, ORTH, TAG
        from spacy.strings import get_string_id

        if self._cand_hashes is None:
            self.candidates_for("")  # builds the name-word index
            assert self._by_word is not None
            self._cand_hashes = {get_string_id(w) for index in self._by_word for w in index}
            self._pronoun_hashes = {get_string_id(w) for w in STREAM_PRONOUNS}
            self._nns = get_string_id("NNS")
        nouns = self._noun_hashes
        strings = doc.vocab.strings
        out = []
        for orth, low, tg in doc.to_array([ORTH, LOWER, TAG]).tolist():
            if low in self._pronoun_hashes or orth in self._cand_hashes or tg == self._nns:
                out.append(True)
                continue
            hit = nouns.get(low)
            if hit is None:
                hit = nouns[low] = not self._stream_nouns.isdisjoint(singulars(strings[low]))
            out.append(hit)
        self._maybe[pi] = out
        return out

    def _definite(self, t: Token) -> bool:
        left = [c for c in t.children if c.i < t.i] if t.doc.has_annotation("DEP") else []
        if t.doc.has_annotation("DEP"):
            return any(c.dep_ in ("det", "poss") and c.text.lower() in ("the", "this", "that", "its", "their")
                       for c in left)
        return t.i > 0 and t.doc[t.i - 1].text.lower() == "the"

    def _names_a_person(self, t: Token) -> bool:
        """The role noun is the title of a name next to it ("spokesman X", "X, the envoy")."""
        if not t.doc.has_annotation("DEP"):
            return t.i + 1 < len(t.doc) and t.doc[t.i + 1].ent_type_ == "PERSON"
        r = t
        while r.dep_ in ("compound", "amod", "nmod") and r.head.i != r.i:
            r = r.head
        if r.ent_type_ == "PERSON" or (r.dep_ == "appos" and r.head.ent_type_ == "PERSON"):
            return True
        return any(c.dep_ == "appos" and c.ent_type_ == "PERSON" for c in t.children)

    def _add(self, pi: int, g: int, kind: str, payload: Any) -> None:
        if kind == "person":
            ent, key = payload
            e = self.person(key, near=len(self.stream))
            if e is None:
                return
            head = ent[-1]
            self._push(e, pi, head, g, tokens=range(ent.start, ent.end))
        elif kind == "org":
            ent = payload
            name = strip_the(re.sub(r"(?:'s|’s)$", "", ent.text))
            outlet = outlet_name(name, self.language, by_form=ent.label_ == "ORG")
            e = self.orgs.get(outlet or name)
            if e is None:
                e = self.orgs[outlet or name] = Entity("outlet" if outlet else "organization", outlet or name,
                                                       plural=True, label=ent.label_)
            self._push(e, pi, ent[-1], g, tokens=range(ent.start, ent.end))
        elif kind == "role":
            t = payload
            np = role_np(self._np_tokens(t), self.roles)
            e = self.by_role(np, len(self.stream)) if np else None
            if e is not None:
                self._push(e, pi, t, g)
        elif kind == "orgnoun":
            t = payload
            e = self.org_for_noun(t, len(self.stream))
            self._push(e, pi, t, g)
        elif kind == "unnamed":
            # an unnamed role holder who speaks: what a later "he"/"she" may stand for, nothing more (the
            # mention itself is still read by the role rules, so it is not registered at its tokens)
            t = payload
            e = Entity("person", self.describe(self._np_tokens(t)), gender=GENDERED_ROLES.get(t.lower_))
            self._push(e, pi, t, g, register=False)
        elif kind == "group":
            t, kind_of = payload
            words = self._np_tokens(t)
            name = self.describe(words) if kind_of == "anonymous" else strip_the(text_of(words))
            self._push(Entity(kind_of, name, plural=True), pi, t, g)
        elif kind == "pronoun":
            t = payload
            if self.in_quote(pi, t):
                return
            e = self._antecedent(t, pi, g)
            if e is not None:
                gender = PRONOUNS[t.text.lower()]
                if gender in ("m", "f") and e.gender is None:
                    e.gender = gender
                self._push(e, pi, t, g)

    def _push(self, e: Entity, pi: int, head: Token, g: int, tokens: Iterable[int] = (), register: bool = True) -> None:
        subject, main, obj = self._subject(head)
        m = Mention(e, pi, head.i, g, subject, main, obj, self.in_quote(pi, head), (pi, head.i) in self.source_heads)
        self.stream.append(m)
        if register:
            for i in set(tokens) | {head.i}:
                self.at[(pi, i)] = m

    def _np_tokens(self, head: Token) -> list[Token]:
        """The noun phrase headed by ``head``: its left modifiers and prepositional complements, no clauses."""
        doc = head.doc
        if not doc.has_annotation("DEP"):
            i = head.i
            while i > 0 and (premodifier(doc[i - 1]) or tag(doc[i - 1]) == "DT"):
                i -= 1
                if tag(doc[i]) == "DT":
                    break
            return list(doc[i: head.i + 1])
        start = head.left_edge.i
        end = head.i + 1
        for c in head.rights:
            if c.dep_ in ("prep", "amod", "compound", "nmod", "nummod") and c.i == end:
                end = c.right_edge.i + 1
            elif c.i == end and c.dep_ == "punct" and c.text not in BOUNDARY and c.text != ",":
                end += 1
            else:
                break
        toks = list(doc[start:end])
        while toks and (toks[0].text in BOUNDARY or toks[0].is_punct):
            toks = toks[1:]
        return toks

    def by_role(self, np: RoleNP, near: int | None = None) -> Entity | None:
        """The person who holds this role in the article (before or after the mention)."""
        words = {w.lower() for w in re.findall(r"[\w.]+", np.role)}
        best: list[tuple[float, Entity]] = []
        for e in self.persons.values():
            if np.head not in e.role_heads:
                continue
            ewords = {w.lower() for w in re.findall(r"[\w.]+", e.role or "")}
            score = len(words & ewords) / max(1, len(words | ewords))
            if np.affiliation and e.affiliation:
                score += 1.0 if np.affiliation.lower() == e.affiliation.lower() else -1.0
            best.append((score, e))
        if not best:
            return None
        best.sort(key=lambda x: -x[0])
        top = [e for s, e in best if s >= best[0][0] - 1e-9]
        if len(top) == 1 or near is None:
            return top[0]
        recent = self.recent(near, lambda e: e in top)
        return recent[0] if recent else top[0]

    GENERIC_ORG = frozenset({"company", "firm", "group", "organization", "organisation", "movement", "party",
                             "alliance", "coalition", "agency", "militants", "insurgents", "rebels", "bank",
                             "airline", "carrier", "corporation", "cooperative", "insurer", "lender", "manufacturer",
                             "retailer", "utility"})
    OUTLET_NOUNS = frozenset({"publication", "newspaper", "broadcaster", "network", "station", "outlet",
                              "magazine", "daily", "agency", "tabloid"})

    def org_for_noun(self, t: Token, near: int) -> Entity:
        """ "the ministry" -> the Interior Ministry named before; "the company" -> the last organisation.

        A name whose words hold the noun wins over a nearer one ("the agency" -> the Valdoria Press Agency,
        not a people or place named since); "the publication" / "the newspaper" -> the last outlet; a generic
        noun ("the company") -> the last organisation named as one (not a nationality).
        """
        noun = t.text.lower()
        orgs = self.recent(near, lambda e: e.type in ("organization", "outlet") and e.label != "NORP")
        named = [e for e in orgs if noun in re.split(r"[\s-]+", e.name.lower())]
        if named:
            return named[0]
        outlets = [e for e in orgs if e.type == "outlet"]
        if outlets and noun in self.OUTLET_NOUNS:
            return outlets[0]
        orgs = [e for e in orgs if e.type == "organization"]
        if orgs and noun in self.GENERIC_ORG:
            return orgs[0]
        name = strip_the(text_of(self._np_tokens(t)))
        e = self.orgs.get(name.lower())
        if e is None:
            kind: SpeakerType = "anonymous" if self._is_group(t, self._np_tokens(t)) else "organization"
            e = self.orgs[name.lower()] = Entity(kind, self.describe(self._np_tokens(t)) if kind == "anonymous"
                                                 else name, plural=True)
        return e

    LAST_SOURCE_BONUS = 3.5

    def _antecedent(self, t: Token, pi: int, g: int) -> Entity | None:
        """The entity a pronoun stands for.

        Candidates are mentions outside quotes in the same sentence (before the pronoun) and the
        previous ``WINDOW`` sentences. Score: recency (-2 per sentence); subject of the main clause
        (+4), of any clause (+2), or object of a verb or preposition (-1); source of a statement
        (+1.5, or +6.5 when the pronoun's own verb goes on: "also said", "added", and +3.5 more for the
        last source before it); gender known to
        agree (+3 for "he", +6 for "she": a name of unknown gender is more often a man's in news
        text, so a known woman's name outweighs grammatical role for "she").
        Gender known to disagree, or the wrong kind (person for he/she, group for they/it) excludes.
        """
        want = PRONOUNS[t.text.lower()]
        # "They also said ...", "He added ...": the pronoun goes on for the last source, so sources weigh more
        goes_on = (pi, t.i) in self.source_heads and t.doc.has_annotation("DEP") and (
            any(c.lower_ in ("also", "further") for c in t.head.children)
            or t.head.lower_ in ("added", "adds", "continued", "continues"))
        source_bonus = 6.5 if goes_on else 1.5
        best: tuple[float, int, Entity] | None = None
        last_source = True  # the first source met going back is the last one before the pronoun
        for idx in range(len(self.stream) - 1, -1, -1):
            m = self.stream[idx]
            dist = g - m.sent
            if dist > self.WINDOW:
                break
            if m.in_quote or (dist == 0 and m.para == pi and m.token >= t.i):
                continue
            e = m.entity
            if want in ("m", "f"):
                if e.type != "person" or (e.gender is not None and e.gender != want):
                    continue
            elif want == "pl":
                if e.type not in ("organization", "anonymous") or not e.plural:
                    continue
            elif e.type != "organization":
                continue
            score = -2.0 * dist + (4 if m.main else 2 if m.subject else -1 if m.obj else 0) + (
                source_bonus if m.speaker else 0)
            if m.speaker and last_source:
                last_source = False
                if goes_on:  # "He continued": whoever spoke last, whatever their name says of gender
                    score += self.LAST_SOURCE_BONUS
            if want in ("m", "f") and e.gender == want:
                score += 6 if want == "f" else 3
            score -= 0.001 * idx if dist else -0.001 * idx  # earlier in an old sentence, later in this one
            if best is None or score > best[0]:
                best = (score, idx, e)
        return best[2] if best else None

    # ---- source mentions -> speakers

    def speaker(self, span: Span | None, head_index: int | None = None) -> Speaker | None:
        """The speaker a source mention stands for (None when ``span`` is None)."""
        if span is None:
            return None
        p = self.parsed.paragraph_at(span.start)
        tokens = self.tokens_of(span)
        if p is None or not tokens:
            return Speaker(span.text, "unknown", span)
        head = p.doc[head_index] if head_index is not None and head_index < len(p.doc) else self.np_head(tokens)
        if head.i < tokens[0].i or head.i > tokens[-1].i:
            head = self.np_head(tokens)
        named = self._named_in(p.index, tokens, head)
        if named is not None:
            return named.speaker(span)
        if head.text.lower() in ("who", "which", "that") and head.doc.has_annotation("DEP"):
            noun = None
            if head.head.dep_ == "relcl" and head.head.head.i != head.i:
                noun = head.head.head  # "X, who said ...": the noun the clause hangs on
            elif head.text.lower() == "who" and head.i > 0 and tag(head.doc[head.i - 1]) in ("NNP", "NNPS", "NN", "NNS"):
                noun = head.doc[head.i - 1]  # "according to CNN who reported ...", parsed as a clause of its own
            if noun is not None:
                toks = self._np_tokens(noun)
                return dataclasses.replace(
                    self.speaker(p.span(self.parsed.text, toks[0].i, toks[-1].i + 1), noun.i)
                    or Speaker(None, "unknown"), mention=span)
        low = head.text.lower()
        if tag(head) in ("PRP", "PRP$") or low in PRONOUNS:
            m = self.at.get((p.index, head.i))
            return m.entity.speaker(span) if m else Speaker(None, "unknown", span)
        if self._is_anonymous(head, tokens, p.index):
            return self._anonymous(head, span)
        m = self.at.get((p.index, head.i))
        if m is None or m.entity.type in ("organization", "unknown"):
            known = self._known_name(tokens, head)
            if known is not None:
                return known.speaker(span)
        if m is not None and m.entity.type != "anonymous":
            return m.entity.speaker(span)
        if self._is_group(head, tokens):
            return self._anonymous(head, span)
        ents = [e for e in self.ents_of(head.doc) if e.start <= head.i < e.end]
        outlet = outlet_name(text_of(tokens), self.language) or outlet_name(head.text, self.language) or (
            outlet_name(ents[0].text, self.language, by_form=True) if ents and ents[0].label_ == "ORG" else None)
        if outlet:
            return Speaker(outlet, "outlet", span)
        if in_lexicon(head, self.documents):
            return self._document(head, span)
        np = role_np(self._np_tokens(head), self.roles) if in_lexicon(head, self.roles) else None
        if np is not None:
            np = self._own_possessor(np, self._np_tokens(head))
            e = self.by_role(np, self._stream_pos(p.index, head.i))
            if e is not None:
                return Speaker(e.name, "person", span, e.role or np.role, e.affiliation or np.affiliation)
            return Speaker(self.describe(self._np_tokens(head)), "person", span, np.role, np.affiliation)
        if head.ent_type_ == "PERSON":
            key_words, _ = self._person_key(head.doc[head.i:head.i + 1])
            e = self.person(key_words)
            return e.speaker(span) if e else Speaker(head.text, "person", span)
        if (len(tokens) > 1 and tokens[-1].text.rstrip(".") in CORPORATE_SUFFIXES and tokens[-2].text[:1].isupper()
                and not any(x.text in (",", ";") for x in tokens)):
            return Speaker(strip_the(text_of(tokens)), "organization", span)  # "Gulf and Western Inc"
        if head.ent_type_ in ("ORG", "GPE", "NORP") or in_lexicon(head, self.orgnouns):
            name = strip_the(ents[0].text) if ents else strip_the(text_of(self._np_tokens(head)))
            return Speaker(name, "organization", span)
        if m is not None:
            return m.entity.speaker(span)
        return Speaker(strip_the(text_of(self._np_tokens(head))) or span.text, "unknown", span)

    def _named_in(self, para: int, tokens: list[Token], head: Token) -> Entity | None:
        """The person a title mention names: "spokesman X" (the name ends the mention) or "the envoy, X"."""
        if in_lexicon(head, self.anon_nouns) and not in_lexicon(head, self.roles):
            return None
        last = tokens[-1] if tokens[-1].text not in BOUNDARY else tokens[-2] if len(tokens) > 1 else tokens[-1]
        m = self.at.get((para, last.i))
        if m is not None and m.entity.type == "person" and head.i != last.i:
            first = last.i
            while first - 1 >= tokens[0].i and self.at.get((para, first - 1)) is m:
                first -= 1
            prev = head.doc[first - 1] if first > tokens[0].i else None
            if prev is not None and prev.text.lower() not in PREPOSITIONS | DETERMINERS | {"and", "or", "'s", "’s"}:
                return m.entity
        if head.doc.has_annotation("DEP"):
            for t in tokens:
                if t.dep_ == "appos" and t.head.i == head.i:
                    m = self.at.get((para, t.i))
                    if m is not None and m.entity.type == "person":
                        return m.entity
        return None

    def describe(self, tokens: list[Token]) -> str:
        """A description as a name: the noun phrase as written, a sentence-initial "The"/"A" lower-cased,
        no conjunction left hanging at its end ("the former secretary of state and" where the parser
        cut a coordinated title)."""
        while len(tokens) > 1 and (tag(tokens[-1]) == "CC" or tokens[-1].text in BOUNDARY):
            tokens = tokens[:-1]
        text = text_of(tokens)
        first = text.split(" ", 1)[0].lower()
        if first in DETERMINERS | INDEFINITE | self.anon_modifiers:
            text = text[:1].lower() + text[1:]
        return text

    def _stream_pos(self, para: int, token: int) -> int:
        for i, m in enumerate(self.stream):
            if (m.para, m.token) >= (para, token):
                return i
        return len(self.stream)

    def _is_anonymous(self, head: Token, tokens: list[Token], para: int) -> bool:
        if any(t.ent_type_ == "PERSON" for t in tokens):
            return False
        sent = head.sent.text.lower() if head.doc.has_annotation("SENT_START") else head.doc.text.lower()
        if tag(head) in ("NN", "NNS") and any(mk in sent for mk in self.anon_markers):
            return True  # "a rebel commander, speaking on condition of anonymity": any unnamed noun source
        if not in_lexicon(head, self.anon_nouns):
            return False
        np = self._np_tokens(head)
        words = {t.text.lower() for t in np}
        if words & self.anon_modifiers or words & INDEFINITE:
            return True
        if is_plural(head) and not any(t.text.lower() in ("the", "these", "those") for t in np):
            return True
        if any(mk in sent for mk in self.anon_markers):
            return True
        # "the source", "the official": an earlier anonymous source, unless the role belongs to a named person
        return self.by_role(RoleNP(head.text, None, in_lexicon(head, self.anon_nouns) or "")) is None

    COLLECTIVE = frozenset({"police", "staff", "personnel", "crew", "public", "team", "those", "others"})

    def _is_group(self, head: Token, tokens: list[Token]) -> bool:
        """A plural common noun with no proper noun at its head: "police", "researchers", "those in favour of X".

        Documents and outlets are not groups; neither is a plural that names an organisation ("the Democrats").
        """
        low = head.text.lower()
        if low in ("those", "others"):
            return True
        if not (tag(head) == "NNS" or low in self.COLLECTIVE) or head.text.isupper():
            return False
        if head.text[:1].isupper() and not head.is_sent_start and low not in self.COLLECTIVE \
                and not in_lexicon(head, self.anon_nouns):
            return False  # "Fallows said": a capitalised word inside the sentence is a name
        if in_lexicon(head, self.documents) or head.ent_type_ in ("ORG", "PERSON", "GPE", "FAC", "WORK_OF_ART"):
            return False
        np = self._np_tokens(head)
        return not any(t.ent_type_ == "PERSON" for t in np)

    def _known_name(self, tokens: list[Token], head: Token) -> Entity | None:
        """A name the tagger typed otherwise (or not at all) that the article uses for a person.

        The name's last word must be the surname or first name of a person named in full, or differ
        from one by a single letter (a misspelling) when both are at least five letters long.
        """
        words = [t for t in tokens if t.text not in BOUNDARY and tag(t) not in ("DT", "POS")]
        if not words or len(words) > 3 or not all(t.text[:1].isupper() for t in words) or head not in words:
            return None
        key, _, _ = name_key(words)
        if not key or key[-1].isupper():
            return None
        e = self.person(key)
        if e is not None:
            return e
        word = key[-1]
        if len(word) < 5:
            return None
        close = {id(x): x for k, x in self.persons.items() if len(k) > 1 and any(
            len(w) >= 5 and _one_edit(word, w) for w in (k[0], k[-1]))}
        return next(iter(close.values())) if len(close) == 1 else None

    def _anonymous(self, head: Token, span: Span) -> Speaker:
        """An unnamed source with its affiliation ("a senior government official" -> government)."""
        np = self._np_tokens(head)
        left = [t for t in np if t.i < head.i]
        affiliation = None
        ent_toks = [t for t in left if (t.ent_type_ in ENTITY_AFFILIATION or t.ent_type_ == "PERSON")
                    and t.text.lower() not in self.anon_modifiers | DETERMINERS | INDEFINITE]
        if ent_toks:
            affiliation = text_of(ent_toks) if contiguous(ent_toks) else ent_toks[0].text
        elif head.doc.has_annotation("DEP"):
            comp = [c for c in head.children if c.dep_ == "compound" and c.i < head.i and tag(c).startswith("NN")
                    and (tag(c) in ("NNP", "NNPS") or in_lexicon(c, self.orgnouns))]
            if comp:
                affiliation = comp[-1].text
        if affiliation is None:
            right = [t for t in np if t.i > head.i]
            for i, t in enumerate(right):
                if t.text.lower() in ("in", "at", "within", "from", "to", "inside", "of", "with") \
                        and i + 1 < len(right):
                    rest = [x for x in right[i + 1:] if tag(x) != "DT"]
                    ents = [x for x in rest if x.ent_type_ in ENTITY_AFFILIATION | {"PERSON"}]
                    if ents and contiguous(ents):
                        affiliation = text_of(ents)
                        break
                    nouns = [x for x in rest if in_lexicon(x, self.orgnouns)]
                    if nouns:
                        affiliation = nouns[0].text
                        break
        mods = [t.text for t in left if tag(t) == "JJ" and t.text.lower() not in self.anon_modifiers
                and t.ent_type_ not in ENTITY_AFFILIATION]
        noun = head.text
        role = " ".join(mods + [noun]) if in_lexicon(head, self.anon_nouns) in (
            "official", "diplomat", "aide", "representative") else None
        name = self.describe([t for t in np if t.text not in BOUNDARY]) or span.text
        return Speaker(name, "anonymous", span, role, strip_the(affiliation) if affiliation else None)

    def _document(self, head: Token, span: Span) -> Speaker:
        """A document as speaker; who issued it when the mention says ("Mujahid's statement")."""
        issuer: Speaker | None = None
        if head.doc.has_annotation("DEP"):
            p = self.parsed.paragraph_at(span.start)
            for c in head.children:
                target = None
                if c.dep_ == "poss":
                    target = c
                elif c.dep_ == "prep" and c.text.lower() in ("from", "by", "of"):
                    target = next((x for x in c.children if x.dep_ == "pobj"), None)
                elif c.dep_ == "acl":
                    agent = next((x for x in c.children if x.dep_ == "agent"), None)
                    target = next((x for x in agent.children if x.dep_ == "pobj"), None) if agent else None
                if target is not None and p is not None:
                    toks = self._np_tokens(target)
                    tspan = p.span(self.parsed.text, toks[0].i, toks[-1].i + 1)
                    issuer = self.speaker(tspan, target.i)
                    break
        noun = in_lexicon(head, self.documents) or noun_key(head)
        if issuer is None or issuer.name is None:
            return Speaker(noun, "document", span)
        aff = issuer.affiliation if issuer.type == "person" else issuer.name
        return Speaker(noun, "document", span, None, aff, issuer.name)


def _one_edit(a: str, b: str) -> bool:
    """``a`` and ``b`` differ by one substituted, inserted or deleted letter (case-insensitive)."""
    a, b = a.lower(), b.lower()
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    if len(a) > len(b):
        a, b = b, a
    return any(a == b[:i] + b[i + 1:] for i in range(len(b)))


def _display_name(words: tuple[str, ...]) -> str:
    """A name's words as written: "Jing-Shan Zhao", not "Jing - Shan Zhao" (the tokenizer splits hyphens)."""
    return re.sub(r" ?([-‐]) ?", r"\1", " ".join(words))
