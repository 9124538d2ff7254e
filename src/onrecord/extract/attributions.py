"""Parsed -> [Attribution]: direct quotes, indirect and mixed speech (quotes.py, cues.py, sources.py).

A pass over the paragraphs' speaker labels, one over each parsed paragraph, then one
over the quotations left:

0. labels: a paragraph opening "NAME: ..." or "((Name)) ..." is the label's statement
   (``credits.py``).
1. cues: a reporting verb (``cue_verbs.txt``) governing a reported clause; the clause
   is the statement's content. A clause made only of a quotation gives a direct
   statement, a clause mixing quoted and unquoted words a mixed one, no quotation an
   indirect one. "according to X" and reporting nouns with a that-clause ("X's claim
   that ...") work the same way. Belief and stance verbs (``cue_belief.txt``) also take a
   to-infinitive or an object as content ("wants to run", "praised the plan") and give
   statements flagged "belief" with a lower confidence.
2. quotations the parse did not tie to a cue: a cue right after the closing mark
   ('"...," X said') or right before the opening one ('X said: "..."'); a dash credit
   ('"..." ― Name'); a quotation right after an attributed one's reporting clause takes
   its cue and source ('"A," X said. "B."'); else a quotation that fills its own
   sentence(s) is a floating quote (source None: the resolver gives it the previous
   speaker); anything else (scare quotes, titles) is not a statement.

Each quotation and each cue clause yields at most one statement; cue verbs inside a
quotation or inside another statement's content are not cues. docs/statements.md
says what counts as a statement.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from typing import TYPE_CHECKING

from ..model import Kind, Span
from ..settings import Settings
from .credits import dash_credit, speaker_labels
from .cues import CueLexicon, cue_lexicon
from .mentions import is_initials
from .quotes import Quote, find_quotes
from .sources import NO_SPEAKER, SUBJECT_DEPS, mention_range, relays_of, subject_of
from .types import Attribution, Paragraph, Parsed

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

CONFIDENCE = {"direct": 0.95, "indirect": 0.85, "mixed": 0.85}
FLOATING_CONFIDENCE = 0.6
NO_SOURCE_FACTOR = 0.8
UNCLOSED_FACTOR = 0.6
MIN_FLOATING_WORDS = 4  # shorter quotations with no cue are scare quotes or titles...
MAX_SCARE_WORDS = MIN_FLOATING_WORDS - 1
CUE_WINDOW = 12  # tokens between a quotation's mark and its cue verb, at most
WEAK_FACTOR = 0.75  # belief, intention and stance cues ("believes", "wants", "praised")
# cues made of a verb and a particle: "called for X", "pointed to X", "ruled out X"
_PARTICLE_CUES = {"call": ("for", "on"), "point": ("to",), "rule": ("out",)}
LABEL_CONFIDENCE = 0.7
MAX_CLAUSE_WORDS = 40  # words between a quotation and the next one it goes on with, at most
_SENTENCE_BREAK = re.compile(r"[.!?][\"”’']?\s+(?=[A-Z\"“'])")
_ABBREVIATIONS = frozenset("Mr Mrs Ms Dr St Jr Sr Gov Sen Rep Gen Lt Col Sgt Prof Rev Capt Adm Maj No Inc Co Corp".split())
# dependents of a cue that are not part of its object content
_NOT_CONTENT = frozenset({"cc", "conj", "punct", "parataxis", "advcl", "npadvmod"})
RELAY_WORDS = frozenset({"citing", "quoting"})
_QUOTE_TEXTS = frozenset(['"', "“", "”", "„", "«", "»", "''"])
_SENT_END = frozenset(".!?")
_LEAD_PUNCT = frozenset(",;:-—–()")


class _View:
    """A parsed paragraph and the quotations in it: which tokens are quoted, which are marks."""

    def __init__(self, para: Paragraph, quotes: list[tuple[int, Quote]]) -> None:
        self.para = para
        self.doc = para.doc
        n = len(self.doc)
        self.starts = [para.start + t.idx for t in self.doc]
        self.qid = [-1] * n  # quotation whose content holds the token (closed quotations only)
        self.weak = [-1] * n  # same, for unclosed quotations
        self.mark = [-1] * n  # quotation whose mark the token is
        self.open_tok: dict[int, int] = {}
        self.close_tok: dict[int, int] = {}
        self.consumed: list[tuple[int, int]] = []  # token ranges [a, b] of statements found (see consume)
        self._taken = bytearray(n)
        for qi, q in quotes:
            target = self.weak if "unclosed_quote" in q.flags else self.qid
            for a, b in q.pieces:
                if b <= para.start or a >= para.end:
                    continue
                for i in range(bisect_left(self.starts, a), bisect_left(self.starts, b)):
                    target[i] = qi
            for pos, table in ((q.open, self.open_tok), (q.close, self.close_tok)):
                if pos is not None and para.start <= pos < para.end:
                    i = bisect_left(self.starts, pos)
                    if not (i < n and self.starts[i] == pos) and i > 0 and self.doc[i - 1].text == "''":
                        i -= 1  # the second apostrophe of a '' mark
                    if i < n and pos - self.starts[i] < len(self.doc[i].text):
                        self.mark[i] = qi
                        table[qi] = i

    def quoted(self, i: int) -> bool:
        return self.qid[i] >= 0 or self.mark[i] >= 0

    def is_consumed(self, i: int) -> bool:
        return bool(self._taken[i])

    def consume(self, a: int, b: int) -> None:
        """Tokens a..b (inclusive) belong to a statement: no later cue there."""
        self.consumed.append((a, b))
        self._taken[a:b + 1] = b"\x01" * (b + 1 - a)

    def span(self, text: str, a: int, b: int) -> Span:
        return self.para.span(text, a, b + 1)


class _Finder:
    def __init__(self, parsed: Parsed, lexicon: CueLexicon) -> None:
        self.parsed = parsed
        self.text = parsed.text
        self.lex = lexicon
        bounds = [(p.start, p.end) for p in parsed.paragraphs]
        self.quotes = find_quotes(self.text, bounds)
        self.used: set[int] = set()
        self.out: list[Attribution] = []
        # per paragraph, its statements with a cue by cue end (ties: first found last), for
        # _after_reporting_clause: (cue end, -position in out, statement)
        self._cue_ends: dict[int, list[tuple[int, int, Attribution]]] = {}
        by_para: dict[int, list[tuple[int, Quote]]] = {}
        for qi, q in enumerate(self.quotes):
            for pi in set(q.paragraphs):
                by_para.setdefault(pi, []).append((qi, q))
        self.views = {p.index: _View(p, by_para.get(p.index, [])) for p in parsed.paragraphs if p.parsed}
        # direct statements by cue token, to link the halves of a split quotation
        self.direct_by_cue: dict[tuple[int, int], Attribution] = {}
        self.by_quote: dict[int, Attribution] = {}  # statements by (their last) quotation

    # -- pass 0: speaker labels ------------------------------------------------------------
    def label_pass(self) -> None:
        """A paragraph opening with a speaker label ("NAME: ...", "((Name)) ...") is that speaker's statement."""
        for c in speaker_labels(self.parsed):
            a, b = c.start, c.end
            qs = [qi for qi, q in enumerate(self.quotes) if q.start < b and q.end > a and qi not in self.used]
            quoted = sum(min(q.end, b) - max(q.start, a) for q in (self.quotes[qi] for qi in qs))
            kind: Kind = "direct" if qs and quoted >= 0.9 * (b - a - 2) else "mixed" if qs else "indirect"
            if c.transcript:
                kind = "direct"  # the answer is the label's own words
            if kind == "direct" and len(qs) == 1:
                content = _quote_span(self.text, self.quotes[qs[0]])
                if content.start < a or content.end > b:
                    # '"WALLACE: ...' paragraph by paragraph: the quote opens before the label and runs on
                    content = Span.of(self.text, max(content.start, a), min(content.end, b))
            else:
                content = Span.of(self.text, a, b)
            self.used.update(qs)
            self._add(Attribution(kind, content, c.cue, c.source, c.paragraph, source_head=c.source_head,
                                  cue_head=c.cue_head, confidence=LABEL_CONFIDENCE, rule="label"))

    # -- pass 1: cues ---------------------------------------------------------------------
    def cue_pass(self, view: _View) -> None:
        doc = view.doc
        verbs, nouns = self.lex.verbs, self.lex.nouns
        cands, others = [], []
        for t in doc:
            low = t.lower_
            if low in verbs and not (view.quoted(t.i) or t.dep_ == "amod" or _so_called(t) or low in RELAY_WORDS):
                lemma = self.lex.verb_lemma(t)
                if lemma is not None:
                    cands.append((_depth(t), t.i, lemma))
            if low == "according" or low in nouns:
                others.append(t)
        for _, i, lemma in sorted(cands):
            if not view.is_consumed(i):
                self.verb_cue(view, doc[i], lemma)
        for t in others:
            if view.quoted(t.i) or view.is_consumed(t.i):
                continue
            if t.lower_ == "according":
                if t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "to":
                    self.according_to(view, t)
            elif self.lex.noun_lemma(t):
                self.noun_cue(view, t)

    def verb_cue(self, view: _View, verb: Token, lemma: str) -> None:
        doc = view.doc
        if _negated(verb, self.lex.not_cues):
            return  # "did not say", "declined to say when ..."
        subj = self._speaker_subject(view, verb)
        if subj is None and any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
            return  # "it was said that", "until next of kin could be told": no speaker in the clause
        weak = lemma in self.lex.weak
        if weak and (subj is None or subj.lower_ in NO_SPEAKER or verb.dep_ in ("acl", "amod")):
            return  # a belief or stance needs its holder as subject ("ads supporting X" is not one)
        comp = next((c for c in verb.children if c.dep_ == "ccomp"), None)
        flags: tuple[str, ...] = ("belief",) if weak else ()
        cue = (verb.i, verb.i)
        if comp is not None and comp.i > verb.i and not (lemma == "call" and _object(verb) is not None):
            a, b = comp.left_edge.i, comp.right_edge.i
            mark = next((c for c in comp.children if c.dep_ == "mark" and c.lower_ == "that"), None)
            if mark is not None and mark.i > a:
                a = mark.i  # the clause starts at its complementizer
            for c in comp.children:  # "reported, citing Y, that ...": the relay is not content
                if c.dep_ == "advcl" and c.i < comp.i and c.lower_ in RELAY_WORDS:
                    a = max(a, c.right_edge.i + 1)
            b = self._before_second_cue(comp, b)
            b = _before_trailing_aside(doc, comp.left_edge.i, b)
            if b == comp.right_edge.i:
                # the parser's second clause of the cue, part of the first: "said A has X and B was Y"
                # (B hung on A, "was" on "said"), "in case it were to Y": one right after it (not after
                # a ";"), or one without a subject of its own
                for c in verb.children:
                    if c.dep_ != "ccomp" or c.i <= b or self.lex.verb_lemma(c) is not None:
                        continue
                    adjacent = c.left_edge.i == b + 1 and not c.left_edge.is_punct
                    if adjacent or not any(g.dep_ in ("nsubj", "nsubjpass", "expl") for g in c.children):
                        b = c.right_edge.i
            if a < verb.i:
                start = _reporting_start(verb, subj)
                if verb.dep_ == "relcl" or doc[a].tag_ in ("WDT", "WP", "WRB") or a >= start:
                    a = verb.i + 1  # "which NASA said might take place": the content starts after the cue
                else:  # "The landers, he said, could ...": the reporting clause interrupts the content
                    pieces = _pieces(doc, (a, start - 1), (verb.i + 1, b))
                    if pieces is None:
                        return
                    self.emit(view, a, b, cue, verb, subj, lemma, "syntactic", flags + ("interrupted",),
                              pieces=pieces)
                    return
        elif verb.dep_ == "parataxis" and verb.head.i > verb.i and comp is None:
            # "The talks, he said, will resume": the content surrounds the reporting clause
            start = _reporting_start(verb, subj)
            a, b = min(verb.head.left_edge.i, start), verb.head.right_edge.i
            pieces = _pieces(doc, (a, start - 1), (verb.right_edge.i + 1, b))
            if pieces is None:
                return
            flags += ("interrupted",)
            self.emit(view, a, b, cue, verb, subj, lemma, "syntactic", flags, pieces=pieces)
            return
        elif comp is not None or (verb.dep_ == "parataxis" and verb.head.i < verb.i):
            head = comp if comp is not None else verb.head
            start = _reporting_start(verb, subj)
            a, b = head.left_edge.i, start - 1
            if comp is None:
                a = verb.sent.start
                tail = [t for t in doc[verb.right_edge.i + 1: verb.sent.end] if not t.is_punct]
                if tail:
                    b, flags = verb.sent.end - 1, flags + ("interrupted",)
        else:
            found = self._complement(verb, lemma)
            if found is None:
                return
            a, b, cue = found
        if lemma == "deny":
            flags += ("denial",)
        self.emit(view, a, b, cue, verb, subj, lemma, "syntactic", flags)

    def _before_second_cue(self, comp: Token, b: int) -> int:
        """Where a reported clause ends when the parser hung another reporting clause on it: in "X
        said he would act and warned against Y", "warned" (a cue verb with no subject of its own)
        starts another statement; in "X said A, though she noted B" or "X said A, while critics
        argued B", a cue verb with a subject of its own does."""
        for c in comp.children:
            if not (comp.i < c.i <= b and c.dep_ in ("conj", "advcl")):
                continue
            own_subject = any(g.dep_ in ("nsubj", "nsubjpass") and g.i < c.i for g in c.children)
            marks = {g.lower_ for g in c.children if g.dep_ == "mark"}
            if self.lex.verb_lemma(c) is None:
                # "X said A, although B": the writer's concession, not what X said
                second = c.dep_ == "advcl" and own_subject and marks <= _CONCESSIVE_MARKS and bool(marks)
            elif c.dep_ == "advcl" and c.tag_ == "VBG" and not own_subject:
                second = _reporting_participle(c)  # "X said A, arguing that B"
            elif c.dep_ == "conj":
                # "... and that Y", "..., but she knows Y" (the speaker again): still what X said
                pronoun = any(g.dep_ in ("nsubj", "nsubjpass") and g.tag_ == "PRP" for g in c.children)
                second = not own_subject or (not marks and not pronoun)
            else:  # "because she doubted Y", "when he said Y": part of what X said
                second = own_subject and bool(marks) and marks <= _CONTRAST_MARKS
            if second and c.left_edge.i > comp.i:
                cc = [g.i for g in comp.children if g.dep_ in ("cc", "punct") and comp.i < g.i < c.left_edge.i]
                return min(b, (min(cc) if cc else c.left_edge.i) - 1)
        return b

    def _complement(self, verb: Token, lemma: str) -> tuple[int, int, tuple[int, int]] | None:
        """Content tokens [a, b] and cue tokens of a cue without a reported clause: "called for X",
        "ruled out X", "called X Y", "wants to X", "praised X for Y", "denied the reports"."""
        doc = verb.doc
        children = [c for c in verb.children if c.i > verb.i]
        prt = next((c for c in children if c.dep_ == "prt"), None)
        obj = _object(verb)
        if lemma in _PARTICLE_CUES:
            particle = _PARTICLE_CUES[lemma]
            prep = next((c for c in children if c.dep_ in ("prep", "prt") and c.lower_ in particle), None)
            if prep is not None and prep.i == verb.i + 1:
                target = obj if prep.dep_ == "prt" else next((g for g in prep.children if g.dep_ == "pobj"), None)
                if target is None:
                    return None
                b = target.right_edge.i
                if prep.lower_ == "on":  # "called on X to Y": X and what X is to do
                    more = [c for c in children if c.i > b and c.dep_ in ("xcomp", "advcl", "ccomp")]
                    if not more:
                        return None
                    b = max(c.right_edge.i for c in more)
                return target.left_edge.i, b, (verb.i, prep.i)
            if lemma != "call":
                return None
        if prt is not None:
            return None  # "called off", "pointed up": another verb
        if lemma == "call":
            oprd = max((c for c in children if c.dep_ == "oprd"), key=lambda c: c.i, default=None)
            if obj is None and oprd is not None:  # "called both X and Y crazy", "called X a Y" (parsed without an object)
                return verb.i + 1, oprd.right_edge.i, (verb.i, verb.i)
            if obj is None:
                return None
            second = next((c for c in children if c.i > obj.i and c.dep_ in ("oprd", "xcomp", "ccomp", "dobj")), None)
            if second is None:  # "called the plan 'a disaster'", parsed as an apposition
                second = next((c for c in obj.children if c.i > obj.i and c.dep_ == "appos"
                               and doc[c.left_edge.i - 1].text != ","), None)  # not "Keller, her lawyer"
            if second is None:
                return None  # "called him": a phone call, not a judgement
            return obj.left_edge.i, second.right_edge.i, (verb.i, verb.i)
        if lemma in self.lex.infinitive_cues:
            xc = _to_infinitive(children, verb.i)
            if xc is not None:
                b = xc.right_edge.i
                for c in children:  # "wants to triple X, grow Y and create Z", "grow" hung on "wants"
                    if c.dep_ == "conj" and c.i > b and c.tag_ == "VB" and not any(
                            g.dep_ in SUBJECT_DEPS for g in c.children):
                        b = c.right_edge.i
                return xc.left_edge.i, b, (verb.i, verb.i)
        if lemma in self.lex.object_infinitive_cues and obj is not None:
            xc = _to_infinitive(children, obj.i)
            if xc is not None:  # "warned residents to stay indoors"
                return obj.left_edge.i, xc.right_edge.i, (verb.i, verb.i)
        if lemma in self.lex.object_cues and obj is not None:
            b = obj.right_edge.i
            b = _before_aside(obj, b)
            for c in children:  # "praised X for Y", "supported X against Y", "showed X with 47 percent"
                if c.i > b and c.dep_ not in _NOT_CONTENT:
                    if c.dep_ == "prep" and c.lower_ in _SETTING_PREPS:
                        break  # "attacked X in early-morning tweets", "during the debate": when and where
                    b = max(b, c.right_edge.i)
            return obj.left_edge.i, b, (verb.i, verb.i)
        return None

    def according_to(self, view: _View, tok: Token) -> None:
        doc = view.doc
        to = doc[tok.i + 1]
        pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
        if pobj is None:
            return
        sa, sb = mention_range(pobj)
        phrase_end = max(pobj.right_edge.i, sb)  # "according to a statement released by ..."
        sent = tok.sent
        s_a, s_b = sent.start, sent.end - 1
        before = [t for t in doc[s_a: tok.i] if not t.is_punct]
        after = [t for t in doc[phrase_end + 1: s_b + 1] if not t.is_punct]
        flags: tuple[str, ...] = ()
        pieces = None
        if not before:
            a, b = phrase_end + 1, s_b
        elif not after or after[0].tag_ in ("WP", "WDT"):
            a, b = s_a, tok.i - 1  # "... according to CNN who reported that ...": the rest is CNN's own clause
        else:
            a, b, flags = s_a, s_b, ("interrupted",)
            pieces = _pieces(doc, (s_a, tok.i - 1), (phrase_end + 1, s_b))
        self.emit(view, a, b, (tok.i, tok.i + 1), pobj, None, "according to", "according_to", flags,
                  source_range=(sa, sb), pieces=pieces)

    def noun_cue(self, view: _View, noun: Token) -> None:
        poss = next((c for c in noun.children if c.dep_ == "poss"), None)
        clause = next((c for c in noun.children if c.dep_ in ("acl", "ccomp", "appos")
                       and c.left_edge.lower_ == "that" and c.left_edge.i > noun.i), None)
        if poss is None or clause is None:
            return
        self.emit(view, clause.left_edge.i, clause.right_edge.i, (noun.i, noun.i), noun, poss,
                  noun.lower_, "nominal", ())

    def emit(self, view: _View, a: int, b: int, cue: tuple[int, int], cue_tok: Token, subj: Token | None,
             lemma: str, rule: str, flags: tuple[str, ...], source_range: tuple[int, int] | None = None,
             pieces: list[tuple[int, int]] | None = None) -> None:
        """Classify the content tokens [a, b] as direct / mixed / indirect and record the statement."""
        doc = view.doc
        for ca, cb in view.consumed:  # never reach into another statement's cue and content
            if a <= cb < cue[0]:
                a = cb + 1
            elif cue[1] < ca <= b:
                b = ca - 1
        if rule == "syntactic" and not pieces:
            # a statement does not run across a semicolon outside quotation marks: "X said A; they B"
            a, b = _trim(doc, a, b)
            semis = [i for i in range(min(a, cue[0]), max(b, cue[1]) + 1)
                     if doc[i].text == ";" and not view.quoted(i)]
            if any(cue[1] < i < a or b < i < cue[0] for i in semis):
                return  # "A; X said B" parsed with the cue governing A
            if semis:
                if a > cue[1]:
                    b = min(b, semis[0] - 1) if semis[0] > a else b
                else:
                    a = max(a, semis[-1] + 1) if semis[-1] < b else a
        a, b = _trim(doc, a, b)
        if a > b:
            return
        rng = range(a, b + 1)
        qs = sorted({view.qid[i] for i in rng if view.qid[i] >= 0} | {view.weak[i] for i in rng if view.weak[i] >= 0}
                    | {view.mark[i] for i in rng if view.mark[i] >= 0})
        qs = [qi for qi in qs if not self._is_title(qi)]
        if any(qi in self.used for qi in qs):
            return
        keep = set(qs)
        free = sum(1 for i in rng if view.qid[i] not in keep and view.weak[i] not in keep and view.mark[i] not in keep
                   and not doc[i].is_punct and not doc[i].is_space)
        if subj is not None and source_range is None:
            source_range = mention_range(subj)
        source = view.span(self.text, *source_range) if source_range else None
        extra: dict[str, object] = {k: view.span(self.text, *r) for k, r in relays_of(cue_tok, subj, lemma).items()}
        for c in cue_tok.children:  # relays parsed inside the clause: "reported, citing Y, that ..."
            if c.dep_ == "ccomp":
                extra.update({k: view.span(self.text, *r) for k, r in relays_of(c, None, "").items() if k not in extra})
        if pieces:
            extra["pieces"] = [view.span(self.text, x, y) for x, y in pieces]
        if cue_tok.i == cue[0] == cue[1]:
            cue_span = view.span(self.text, _cue_start(cue_tok), _cue_end(cue_tok))
        else:
            cue_span = view.span(self.text, *cue)
        base = dict(cue=cue_span, source=source, paragraph=view.para.index,
                    source_head=(subj.i if subj is not None else None), cue_head=cue[0], rule=rule)
        if rule == "according_to":
            base["source_head"] = cue_tok.i
        edges = [a, b, *cue, *(source_range or ())]
        view.consume(min(edges), max(edges))
        if qs and free == 0:
            for qi in qs:
                att = self._direct(qi, flags=flags, extra=dict(extra), **base)
                self.direct_by_cue[(view.para.index, cue[0])] = att
            return
        kind: Kind = "mixed" if qs else "indirect"
        start, end = view.starts[a], view.starts[b] + len(doc[b].text)
        for qi in qs:
            q = self.quotes[qi]
            qa, qb = q.outer
            start, end = min(start, qa), max(end, qb)
            flags += tuple(f for f in q.flags if f not in flags)
            self.used.add(qi)
        att = self._make(kind, Span.of(self.text, start, end), flags, extra, **base)
        self._add(att)
        if qs:  # 'X is "a disgrace," she said. "Nobody asked us."': the next quotation may go on with it
            self.by_quote[qs[-1]] = att

    def _is_title(self, qi: int) -> bool:
        """A short quotation in title case ("Blue Harbor"): a name, not quoted speech."""
        words = self.text[self.quotes[qi].start:self.quotes[qi].end].split()
        return 0 < len(words) <= MAX_SCARE_WORDS and all(w[:1].isupper() for w in words)

    def _direct(self, qi: int, *, flags: tuple[str, ...], extra: dict[str, object], **base: object) -> Attribution:
        q = self.quotes[qi]
        self.used.add(qi)
        flags = flags + tuple(f for f in q.flags if f not in flags)
        if len(q.pieces) > 1:
            extra["pieces"] = [Span.of(self.text, x, y) for x, y in q.pieces]
        att = self._make("direct", _quote_span(self.text, q), flags, extra, **base)
        self._add(att)
        self.by_quote[qi] = att
        return att

    def _add(self, att: Attribution) -> None:
        if att.cue is not None:
            insort(self._cue_ends.setdefault(att.paragraph, []), (att.cue.end, -len(self.out), att))
        self.out.append(att)

    def _make(self, kind: Kind, content: Span, flags: tuple[str, ...], extra: dict[str, object],
              **base: object) -> Attribution:
        conf = CONFIDENCE[kind]
        if base.get("source") is None:
            conf *= NO_SOURCE_FACTOR
        if "unclosed_quote" in flags:
            conf *= UNCLOSED_FACTOR
        if "belief" in flags:
            conf *= WEAK_FACTOR
        return Attribution(kind, content, flags=flags, extra=extra, confidence=round(conf, 3), **base)  # type: ignore[arg-type]

    # -- pass 2: quotations left ------------------------------------------------------------
    def quote_pass(self) -> None:
        for qi, q in enumerate(self.quotes):
            if qi in self.used:
                continue
            if self._adjacent_cue(qi, q) or self._lead_in(qi, q):
                continue
            if self._continues(qi, q) or self._dash_credit(qi, q) or self._after_reporting_clause(qi, q):
                continue
            if "unclosed_quote" not in q.flags and self._fills_sentence(qi, q):
                self.used.add(qi)
                extra: dict[str, object] = {}
                if len(q.pieces) > 1:
                    extra["pieces"] = [Span.of(self.text, x, y) for x, y in q.pieces]
                self._add(Attribution("direct", _quote_span(self.text, q), None, None, q.paragraphs[0],
                                      confidence=FLOATING_CONFIDENCE, flags=q.flags, rule="floating", extra=extra))

    def _adjacent_cue(self, qi: int, q: Quote) -> bool:
        """A cue verb right after the closing mark or right before the opening one."""
        last = self.views.get(q.paragraphs[-1])
        if last is not None and qi in last.close_tok and self._starts_sentence(q):
            doc = last.doc
            for j in range(last.close_tok[qi] + 1, min(len(doc), last.close_tok[qi] + 1 + CUE_WINDOW)):
                t = doc[j]
                if last.mark[j] >= 0 or t.text in _SENT_END:
                    break
                lemma = self.lex.verb_lemma(t, quote_adjacent=True)
                if lemma is not None and not last.quoted(j):
                    return self._attach(last, qi, t, lemma, "quote_after")
        first = self.views.get(q.paragraphs[0])
        if first is not None and qi in first.open_tok and self._ends_sentence(q):
            doc = first.doc
            o = first.open_tok[qi]
            j = o - 1
            while j >= 0 and (doc[j].text in _LEAD_PUNCT or doc[j].lower_ == "that" or doc[j].is_space):
                j -= 1
            if j == o - 1:
                return False  # nothing like ':', ',', '-' or 'that' before the opening mark
            return self._cue_before(first, qi, j)
        return False

    def _cue_before(self, view: _View, qi: int, j: int, *, fresh: bool = False) -> bool:
        """Attach quotation ``qi`` to the nearest cue verb at or before token ``j`` of ``view``, within
        CUE_WINDOW tokens and the same sentence; ``fresh``: not a cue another statement took."""
        doc = view.doc
        for k in range(j, max(-1, j - CUE_WINDOW), -1):
            t = doc[k]
            if view.mark[k] >= 0 or t.text in _SENT_END:
                break
            lemma = self.lex.verb_lemma(t, quote_adjacent=True)
            if lemma is not None and not view.quoted(k) and not (fresh and view.is_consumed(k)):
                return self._attach(view, qi, t, lemma, "quote_before")
        return False

    def _lead_in(self, qi: int, q: Quote) -> bool:
        """A quotation opening its paragraph after a paragraph that ends in a cue and a colon:
        'He said:' then '"We have a situation ..."' (speeches and statements set out on their own)."""
        pi = q.paragraphs[0]
        if pi == 0 or q.open is None or q.open != self.parsed.paragraphs[pi].start:
            return False
        prev = self.views.get(pi - 1)
        if prev is None or not len(prev.doc) or prev.doc[-1].text != ":":
            return False
        return self._cue_before(prev, qi, len(prev.doc) - 2, fresh=True)

    def _speaker_subject(self, view: _View, verb: Token) -> Token | None:
        """``subject_of(verb)``, but not from inside a quotation the verb is outside of: the parser
        sometimes hangs the quotation's own subject on the reporting verb ('"..., it will," said X')."""
        if (verb.dep_ in ("conj", "advcl") and verb.head.dep_ == "ccomp" and verb.head.head.i < verb.head.i
                and self.lex.verb_lemma(verb.head.head) is not None
                and (verb.dep_ == "conj" or _reporting_participle(verb))
                and not any(c.dep_ in SUBJECT_DEPS + ("nsubjpass",) for c in verb.children)):
            # "X said A and urged B" / "X said A, arguing B", with the second verb hung on A: X's
            # second statement (see _before_second_cue)
            return subject_of(verb.head.head)
        subj = subject_of(verb)
        if subj is not None and view.quoted(subj.i) and not view.quoted(verb.i):
            subj = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS and not view.quoted(c.i)), None)
            if subj is None and verb.tag_ == "VBG":
                subj = self._clause_subject_before(view, verb)
        return subj

    def _clause_subject_before(self, view: _View, verb: Token) -> Token | None:
        """The subject of the nearest verb before a subjectless participle, in its sentence and outside
        quotations: '"...," X said, suggesting "..."', where the parser hung the participle on a verb
        inside the quotation."""
        for t in reversed(verb.doc[verb.sent.start: verb.i]):
            if t.tag_.startswith("VB") and not view.quoted(t.i):
                subj = next((c for c in t.children if c.dep_ in SUBJECT_DEPS), None)
                if subj is not None and not view.quoted(subj.i):
                    return subj
        return None

    def _attach(self, view: _View, qi: int, verb: Token, lemma: str, rule: str) -> bool:
        subj = self._speaker_subject(view, verb)
        source = view.span(self.text, *mention_range(subj)) if subj is not None else None
        extra: dict[str, object] = {k: view.span(self.text, *r) for k, r in relays_of(verb, subj, lemma).items()}
        flags: tuple[str, ...] = ()
        earlier = self.direct_by_cue.get((view.para.index, verb.i))
        if earlier is not None:
            flags = ("split_quote",)
            if "split_quote" not in earlier.flags:
                earlier.flags = earlier.flags + ("split_quote",)
        att = self._direct(qi, flags=flags, extra=extra, cue=view.span(self.text, _cue_start(verb), _cue_end(verb)),
                           source=source, paragraph=view.para.index,
                           source_head=subj.i if subj is not None else None, cue_head=verb.i, rule=rule)
        self.direct_by_cue.setdefault((view.para.index, verb.i), att)
        return True

    def _dash_credit(self, qi: int, q: Quote) -> bool:
        """'"..." ― Jane Roe' at the end of a line: a quotation credited to a name after a dash."""
        if q.close is None:
            return False
        c = dash_credit(self.parsed, self.parsed.paragraphs[q.paragraphs[-1]], q.close + 1)
        if c is None:
            return False
        self._direct(qi, flags=(), extra={}, cue=c.cue, source=c.source, paragraph=c.paragraph,
                     source_head=c.source_head, cue_head=c.cue_head, rule="dash_credit")
        return True

    def _continues(self, qi: int, q: Quote) -> bool:
        """'"A," she said. "B."' (or '"B." "C."'): a quotation right after the reporting clause of the
        previous one, or right after it, goes on with it (same cue and source, flagged "split_quote")."""
        prev = self.by_quote.get(qi - 1)
        pq = self.quotes[qi - 1] if qi > 0 else None
        if prev is None or pq is None or prev.cue is None or pq.close is None or q.open is None:
            return False
        if pq.paragraphs[-1] != q.paragraphs[0]:
            return False
        between = self.text[pq.close + 1: q.open]
        if between.strip(" \t,;:—–-"):  # not two quotations in a row: the cue must sit between them
            if not pq.close < prev.cue.start < prev.cue.end <= q.open:
                return False
            # what follows the cue (" on Monday. ", ", a lawyer who ... cases. ") must end its sentence
            between = self.text[prev.cue.end: q.open]
            if _breaks_sentence(between):
                return False
        elif "\n" in between:
            return False
        if any(c in between for c in "!?\n") or len(between.split()) > MAX_CLAUSE_WORDS:
            return False
        self._go_on(qi, prev)
        return True

    def _after_reporting_clause(self, qi: int, q: Quote) -> bool:
        """'A, Schiff said. "B."', or '"A," she said on Monday.' then a paragraph that is only '"B."':
        B goes on with the statement whose reporting clause ends right before it (same cue and source,
        flagged "split_quote"), as a quotation after a quotation's reporting clause does (``_continues``)."""
        paras = self.parsed.paragraphs
        pi = q.paragraphs[0]
        if q.open is None or q.close is None:
            return False
        if q.open == paras[pi].start:  # opens its paragraph: it must fill it, after a reporting clause
            if pi == 0 or len(q.paragraphs) > 1 or q.close + 1 < paras[pi].end:
                return False
            pi, end = pi - 1, paras[pi - 1].end
        else:
            end = q.open
        ends = self._cue_ends.get(pi, [])
        k = bisect_right(ends, (end, 1)) - 1  # the statement whose cue ends last before ``end``
        if k < 0:
            return False
        last = ends[k][2]
        assert last.cue is not None
        if last.cue.start < last.content.end:
            return False  # the statement must end in its reporting clause
        tail = self.text[last.cue.end: end]
        if (len(tail.split()) > MAX_CLAUSE_WORDS or any(c in tail for c in "!?\n\"“”«»")
                or not re.search(r"[.:]\s*$", tail) or _breaks_sentence(tail)):
            return False
        self._go_on(qi, last)
        return True

    def _go_on(self, qi: int, prev: Attribution) -> None:
        """Quotation ``qi`` goes on with statement ``prev``: same cue and source, both flagged "split_quote"."""
        if "split_quote" not in prev.flags:
            prev.flags = prev.flags + ("split_quote",)
        self._direct(qi, flags=("split_quote",), extra={}, cue=prev.cue, source=prev.source,
                     paragraph=prev.paragraph, source_head=prev.source_head, cue_head=prev.cue_head,
                     rule=prev.rule)

    def _follows_quote(self, qi: int, q: Quote) -> bool:
        """...unless they go on from an attributed quotation in the same paragraph ('"...," he said. "Go."')."""
        if qi == 0 or (qi - 1) not in self.used:
            return False
        prev = self.quotes[qi - 1]
        return prev.paragraphs[-1] == q.paragraphs[0] and prev.close is not None

    def _starts_sentence(self, q: Quote) -> bool:
        i = (q.open if q.open is not None else q.start) - 1
        while i >= 0 and self.text[i] in " \t":
            i -= 1
        return i < 0 or self.text[i] in ".!?:\n\"”»—–-"

    def _ends_sentence(self, q: Quote) -> bool:
        inner = self.text[q.start:q.end].rstrip()
        i = q.close + 1 if q.close is not None else q.end
        while i < len(self.text) and self.text[i] in " \t":
            i += 1
        if i >= len(self.text) or self.text[i] == "\n":
            return True
        if self.text[i] in ".!?;":
            return True
        return bool(inner) and inner[-1] in ".!?" and (self.text[i].isupper() or self.text[i] in "\"“«")

    def _fills_sentence(self, qi: int, q: Quote) -> bool:
        words = len(self.text[q.start:q.end].split())
        if words < MIN_FLOATING_WORDS and len(q.pieces) == 1 and not self._follows_quote(qi, q):
            return False
        return self._starts_sentence(q) and self._ends_sentence(q)


def find_attributions(parsed: Parsed, settings: Settings) -> list[Attribution]:
    """Every direct, indirect and mixed statement in ``parsed``, in text order."""
    finder = _Finder(parsed, cue_lexicon(settings.language))
    finder.label_pass()
    for view in finder.views.values():
        finder.cue_pass(view)
    finder.quote_pass()
    return sorted(finder.out, key=lambda a: (a.content.start, a.content.end))


def _depth(t: Token) -> int:
    d = 0
    while t.head.i != t.i and d < 50:
        t = t.head
        d += 1
    return d


def _abbreviation(text: str, dot: int) -> bool:
    """Whether the full stop at ``text[dot]`` ends an abbreviation or an initial ("Mr.", "J.", "G.K.")."""
    word = text[:dot].rsplit(None, 1)[-1] if text[:dot].split() else ""
    return word in _ABBREVIATIONS or is_initials(word + ".")


def _negated(verb: Token, refusals: frozenset[str]) -> bool:
    """A cue said not to have happened: "did not say", "declined to say when ..." (``refusals``: the
    forms of ``cue_not.txt``)."""
    if any(c.dep_ == "neg" for c in verb.children):
        return True
    head = verb.head
    return verb.dep_ == "xcomp" and head is not verb and head.lower_ in refusals


# subordinators of a clause set against the reported one ("..., though she noted B"), and of the
# writer's concession ("..., although he refused B")
_CONTRAST_MARKS = frozenset({"though", "although", "while", "whereas"})
_CONCESSIVE_MARKS = frozenset({"although"})
# prepositions of a reporting event's time and place ("during the debate", "in a tweet", "at a rally")
_SETTING_PREPS = frozenset({"during", "in", "at", "after", "before", "since", "until", "amid", "on"})


def _cue_start(verb: Token) -> int:
    """First token of a verb cue with its auxiliaries and adverbs: "has said", "is also warning", "to admit"."""
    if not verb.tag_.startswith("VB"):
        return verb.i
    doc = verb.doc
    j = verb.i - 1
    while j >= 0 and doc[j].head.i == verb.i and doc[j].dep_ in _CUE_MODIFIERS and doc[j].tag_ not in ("WRB", "WDT"):
        j -= 1
    return j + 1


def _cue_end(verb: Token) -> int:
    """Last token of a verb cue: its particle when one follows it ("pointed out")."""
    doc = verb.doc
    j = verb.i + 1
    if j < len(doc) and doc[j].dep_ == "prt" and doc[j].head.i == verb.i:
        return j
    return verb.i


# what a verb cue's span takes in from its left: auxiliaries ("has said", "to admit") and adverbs ("also said")
_CUE_MODIFIERS = frozenset({"aux", "auxpass", "advmod"})


def _before_aside(noun: Token, b: int) -> int:
    """An object's last token before a comma-led relative clause in it ("X, which ...", "the wisdom
    of backing Y, who ...")."""
    doc = noun.doc
    for c in noun.subtree:
        if c.dep_ == "relcl" and c.i > noun.i:
            first = c.left_edge.i
            if first > 0 and doc[first - 1].text == "," and doc[first].lower_ in ("which", "who", "whose"):
                return min(b, first - 2)
    return b


def _before_trailing_aside(doc: Doc, a: int, b: int) -> int:
    """A reported clause's last token before a comma-led apposition that ends it: the writer's gloss,
    not the speaker's words ("... in partnership with NATO, the alliance that includes the US")."""
    end = b
    while end > a and doc[end].is_punct:
        end -= 1
    for t in doc[a: end + 1]:
        first = t.left_edge.i
        if (t.dep_ == "appos" and first > a + 1 and doc[first - 1].text == "," and t.right_edge.i >= end
                and a <= t.head.i < first):
            return first - 2
    return b


def _breaks_sentence(text: str) -> bool:
    """``text`` holds a sentence break before its end (abbreviations aside)."""
    return any(m.end() < len(text) and not _abbreviation(text, m.start()) for m in _SENTENCE_BREAK.finditer(text))


def _reporting_participle(t: Token) -> bool:
    """", arguing that B", ',"' adding, "B"': a participle after a comma (and a closing quote mark) with a
    reported clause of its own."""
    if t.tag_ != "VBG" or t.i == 0:
        return False
    before = t.i - 1
    if t.doc[before].text in _QUOTE_TEXTS or t.doc[before].text in ("’", "'"):
        before -= 1
    return (before >= 0 and t.doc[before].text == ","
            and any(g.dep_ == "ccomp" and g.i > t.i for g in t.children))


def _to_infinitive(children: list[Token], after: int) -> Token | None:
    """The first to-infinitive among ``children`` after token ``after``: "wants [to run]"."""
    return next((c for c in children if c.dep_ == "xcomp" and c.i > after and any(
        g.dep_ == "aux" and g.lower_ == "to" for g in c.children)), None)


def _object(verb: Token) -> Token | None:
    return next((c for c in verb.children if c.dep_ == "dobj" and c.i > verb.i), None)


def _so_called(t: Token) -> bool:
    """'called' in 'so-called'."""
    doc = t.doc
    return t.lower_ == "called" and t.i >= 2 and doc[t.i - 1].text == "-" and doc[t.i - 2].lower_ == "so"


def _reporting_start(verb: Token, subj: Token | None) -> int:
    """First token of a reporting clause that follows its content ('..., Reuters had reported')."""
    start = verb.i
    if subj is not None and subj.i < verb.i:
        start = min(start, mention_range(subj)[0])
    doc = verb.doc
    j = start - 1
    while j >= 0 and doc[j].head is verb and doc[j].dep_ in ("aux", "auxpass", "neg", "advmod"):
        j -= 1
    return j + 1


def _pieces(doc, *ranges: tuple[int, int]) -> list[tuple[int, int]] | None:  # type: ignore[no-untyped-def]
    """The trimmed token ranges of an interrupted content ("The talks, he said, will resume"), or None
    when one of them is left empty."""
    pieces = [_trim(doc, a, b) for a, b in ranges]
    return None if any(a > b for a, b in pieces) else pieces


def _trim(doc, a: int, b: int) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """Drop edge punctuation and a leading 'that' (quote marks stay: they decide the kind)."""
    while a <= b and ((doc[a].is_punct and doc[a].text not in _QUOTE_TEXTS) or doc[a].is_space):
        a += 1
    if a < b and doc[a].lower_ == "that" and (
            doc[a].dep_ == "mark"
            or (doc[a].dep_ == "dobj" and (not doc[a + 1].is_punct or doc[a + 1].text in _QUOTE_TEXTS))):
        a += 1
        while a <= b and doc[a].text == ",":
            a += 1
    while a <= b and ((doc[b].is_punct and doc[b].text not in _QUOTE_TEXTS) or doc[b].is_space):
        b -= 1
    return a, b


def _quote_span(text: str, q: Quote) -> Span:
    """A direct statement's content: the quotation without its marks and a trailing comma."""
    a, b = q.start, q.end
    while b > a and text[b - 1] in ", \t":
        b -= 1
    return Span.of(text, a, b)
