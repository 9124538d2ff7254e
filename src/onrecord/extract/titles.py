"""Titles around a person's name: pre-name roles, appositives, the organisation a person belongs to.

``Titles`` is a part of ``speakers.Discourse``: it reads "Taliban spokesman X", "X, the U.S. envoy,",
"U.S. envoy, X,", "X of NASA", "BBC's X", "the company's chief operating officer" and names run together
with their titles ("Rovers DL Tomas Brandt").
"""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING

from .mentions import BOUNDARY, ENTITY_AFFILIATION, RoleNP, is_verb, role_np, strip_the, tag, text_of

if TYPE_CHECKING:
    from spacy.tokens import Span as TokSpan, Token

    from .types import Parsed


class Titles:
    """Role and affiliation readers shared by ``Discourse`` (needs ``roles``, ``orgnouns`` and ``parsed``)."""

    roles: frozenset[str]
    orgnouns: frozenset[str]
    parsed: Parsed

    def _split_titles(self, key: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(the name, the title words before it) of a name the tagger ran together with its titles.

        "Rovers DL Tomas Brandt" -> ("Tomas", "Brandt"), ("Rovers", "DL"): everything up to the last role noun
        or position abbreviation (two to four capitals, cut only when a first and last name remain).
        """
        start = 0
        while len(key) - start > 1 and key[start].lower() in self.roles:
            start += 1
        for j in range(len(key) - 2, start - 1, -1):
            w = key[j]
            if w.lower() in self.roles or (w.isalpha() and w.isupper() and 2 <= len(w) <= 4 and len(key) - j > 2):
                start = j + 1
                break
        return key[start:], key[:start]

    def _roles_around(self, ent: TokSpan) -> list[RoleNP]:
        """Titles next to a name: "Taliban spokesman X", "X, the U.S. envoy,", "U.S. envoy, X,"."""
        doc = ent.doc
        out: list[RoleNP] = []
        # pre-name title: the words right before the name
        i = ent.start - 1
        pre: list[Token] = []
        while i >= 0:
            t = doc[i]
            if t.ent_type_ == "PERSON" or t.text in BOUNDARY or tag(t) in ("DT", "PRP$", "WP") or t.is_space:
                break
            if is_verb(t) and tag(t) not in ("VBN", "VBG"):
                break
            if tag(t) == "IN" and t.text.lower() not in ("of", "for"):
                break
            pre.insert(0, t)
            i -= 1
        if pre:
            np = role_np(pre, self.roles) or self._possessor_np(pre)
            if np:
                out.append(self._own_possessor(np, pre))
        # "X of NASA", "X at the Sela Port Authority": the organisation right after the name
        if ent.end + 1 < len(doc) and doc[ent.end].text.lower() in ("of", "at", "from") and tag(doc[ent.end]) == "IN":
            j = ent.end + 1
            while j < len(doc) and tag(doc[j]) == "DT":
                j += 1
            org = []  # the organisation tokens that start right there
            k = j
            while k < len(doc) and doc[k].ent_type_ == "ORG":
                org.append(doc[k])
                k += 1
            cut = next((n for n, t in enumerate(org) if t.text in BOUNDARY), len(org))  # "(WHO)" is not part of it
            if org[:cut]:
                out.append(RoleNP("", strip_the(re.sub(r"(?:'s|’s)$", "", text_of(org[:cut]))), ""))
        # appositive after: "X, the U.S. special envoy for peace in Afghanistan,"
        if ent.end < len(doc) and doc[ent.end].text == ",":
            after: list[Token] = []
            j = ent.end + 1
            while j < len(doc) and doc[j].text not in BOUNDARY and doc[j].text != "." and not (
                    is_verb(doc[j]) and tag(doc[j]) not in ("VBN", "VBG")):
                after.append(doc[j])
                j += 1
            if after and tag(after[0]) not in ("WP", "WDT") and (j >= len(doc) or doc[j].text in BOUNDARY
                                                                 or doc[j].text == "."):
                np = role_np(after, self.roles)
                if np:
                    out.append(dataclasses.replace(self._own_possessor(np, after), appositive=True))
        # appositive before: "U.S. special envoy for peace in Afghanistan, X, talks ..."
        closed = ent.end >= len(doc) or doc[ent.end].text in (",", ".")
        if ent.start > 0 and doc[ent.start - 1].text == "," and closed:
            before: list[Token] = []
            k = ent.start - 2
            while k >= 0 and doc[k].text not in BOUNDARY and not (
                    is_verb(doc[k]) and tag(doc[k]) not in ("VBN", "VBG")):
                before.insert(0, doc[k])
                k -= 1
            # the appositive is a noun phrase: cut it where a preposition follows a non-title word
            np = role_np(before, self.roles)
            if np:
                out.append(dataclasses.replace(self._own_possessor(np, before), appositive=True))
        return out

    def _possessor_np(self, tokens: list[Token]) -> RoleNP | None:
        """ "BBC's" before a name: the organisation the person belongs to, without a role."""
        toks = [t for t in tokens if not t.is_space]
        if len(toks) < 2 or tag(toks[-1]) != "POS" and toks[-1].text not in ("'s", "’s", "'", "’"):
            return None
        owner = toks[:-1]
        if all(tag(t) in ("NNP", "NNPS") or t.ent_type_ in ENTITY_AFFILIATION for t in owner):
            return RoleNP("", text_of(owner), "")
        return None

    def _own_possessor(self, np: RoleNP, tokens: list[Token]) -> RoleNP:
        """ "the company's chief operating officer": the organisation named before stands for "the company"."""
        m = re.match(r"^(?:the\s+)?(\w+)\s*(?:'s|’s)\s+(.+)$", np.role, re.I)
        if m is None or m.group(1).lower() not in self.orgnouns:
            return np
        first = next((t for t in tokens if t.text.lower() == m.group(1).lower()), None)
        org = self._org_before(first) if first is not None else None
        return RoleNP(m.group(2), org or np.affiliation, np.head, np.appositive)

    def _org_before(self, t: Token) -> str | None:
        """The last organisation named before token ``t`` in the article (captions: None)."""
        for p in self.parsed.paragraphs:
            if p.doc is t.doc:
                break
        else:
            return None
        last: str | None = None
        for q in self.parsed.paragraphs[: p.index + 1]:
            for ent in q.doc.ents:
                if ent.label_ == "ORG" and (q.index < p.index or ent.end <= t.i):
                    last = strip_the(re.sub(r"(?:'s|’s)$", "", ent.text))
        return last
