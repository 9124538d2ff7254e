"""A learned attribution tagger: a linear-chain CRF labels each token as source, cue or content (BIO).

    load_tagger()                -> Tagger           (the model shipped in onrecord/models/, cached)
    Tagger.tag(paragraph)        -> ["B-S", "I-S", "B-C", "B-Q", "I-Q", "O", ...]  one label per token
    Tagger.attributions(parsed)  -> [Attribution]    tagged spans grouped around their cues

Labels: ``S`` source, ``C`` cue, ``Q`` content. Features come from the spaCy parse of the paragraph
(word forms, fine tags, dependencies, the path to the nearest cue-word ancestor, quote-mark state,
entities, sentence position); the cue lexicon is the list of cue words seen in training, shipped
beside the model. Paragraphs the pipeline left unparsed are parsed here first (same tokens).
``eval/train_tagger.py`` trains the model; docs/tagger.md has the figures.
"""

from __future__ import annotations

import bisect
import json
import logging
import re
import tempfile
from array import array
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from functools import lru_cache
from importlib import resources
from itertools import chain, repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy

from ..model import Kind
from .parse import parse_light
from .types import Attribution, Paragraph, Parsed

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

log = logging.getLogger(__name__)

MODEL_NAME = "tagger"
OPEN_QUOTES = frozenset("“‘«„")
CLOSE_QUOTES = frozenset("”’»")
AMBIGUOUS_QUOTES = frozenset('"')
QUOTE_CHARS = OPEN_QUOTES | CLOSE_QUOTES | AMBIGUOUS_QUOTES | {"''", "``"}


# ---------------------------------------------------------------- features


def _bucket(n: int) -> str:
    """A distance or count in coarse bands ("0".."3", "4-6", "7-12", "13+")."""
    if n <= 3:
        return str(n)
    if n <= 6:
        return "4-6"
    if n <= 12:
        return "7-12"
    return "13+"


_BUCKETS = tuple(_bucket(k) for k in range(14))  # _bucket(k) is _BUCKETS[min(k, 13)] for k >= 0


def _is_quote(t: Token) -> bool:
    return _is_quote_text(t.text, t.is_punct)


def _is_quote_text(text: str, is_punct: bool) -> bool:
    """A quote mark token: one of QUOTE_CHARS, or a short punctuation token holding one."""
    return text in QUOTE_CHARS or (len(text) <= 2 and is_punct and any(c in QUOTE_CHARS for c in text))


def _quote_state(doc: Doc) -> list[bool]:
    """Whether each token sits inside quote marks (straight quotes toggle, curly ones open and close)."""
    return _quote_state_of([t.text for t in doc], [_is_quote(t) for t in doc])


def _quote_state_of(texts: list[str], quote: list[bool]) -> list[bool]:
    """``_quote_state`` from token texts and their quote-mark flags."""
    inside, out = False, []
    for t, is_q in zip(texts, quote):
        if is_q:
            ch = t[0]
            if ch in OPEN_QUOTES or t == "``":
                out.append(False)
                inside = True
            elif ch in CLOSE_QUOTES and ch != "’" or t == "''":
                out.append(False)
                inside = False
            elif ch == "’":  # apostrophe more often than a closing single quote
                out.append(inside)
            else:
                out.append(False)
                inside = not inside
            continue
        out.append(inside)
    return out


def _distances(marks: list[int], n: int) -> tuple[list[int], list[int]]:
    """Token distance to the nearest of ``marks`` (sorted token indices) on the left and on the right
    (99: none)."""
    left, right = [99] * n, [99] * n
    last = -1
    k = 0
    for i in range(n):
        if k < len(marks) and marks[k] == i:
            last = i
            k += 1
        left[i] = i - last if last >= 0 else 99
    last = -1
    k = len(marks) - 1
    for i in range(n - 1, -1, -1):
        if k >= 0 and marks[k] == i:
            last = i
            k -= 1
        right[i] = last - i if last >= 0 else 99
    return left, right


_COARSE = {"MD": "AUX", "CD": "NUM", "CC": "CCONJ", "TO": "PART", "RP": "PART", "POS": "PART", "EX": "PRON",
           "NNP": "PROPN", "NNPS": "PROPN", "PRP": "PRON", "PRP$": "PRON", "WP": "PRON", "WP$": "PRON",
           "DT": "DET", "PDT": "DET", "WDT": "DET", "IN": "ADP", "UH": "INTJ"}
_COARSE_PREFIX = (("VB", "VERB"), ("NN", "NOUN"), ("JJ", "ADJ"), ("RB", "ADV"), ("WRB", "ADV"))
CUE_CLASSES = frozenset({"VERB", "NOUN", "ADJ", "ADP", "AUX"})
# word classes (first two letters of the fine tag) whose cue-lexicon words make a sentence worth tagging
_TRIGGER_TAGS = frozenset({"VB", "NN"})


def coarse(tag: str) -> str:
    """A coarse word class from the fine-grained tag alone (the pipeline may skip the attribute ruler)."""
    if tag in _COARSE:
        return _COARSE[tag]
    for prefix, name in _COARSE_PREFIX:
        if tag.startswith(prefix):
            return name
    return "PUNCT" if tag and not tag[0].isalpha() else "X"


def doc_features(doc: Doc, cues: frozenset[str], tokens: range | None = None) -> list[list[str]]:
    """The CRF feature strings of every token of a paragraph doc (or of the tokens in ``tokens``).

    Uses word forms, fine tags, the dependency parse, entities and sentences; never lemmas or
    coarse POS, which the pipeline does not always compute. A token's features are the same
    whether ``tokens`` covers the paragraph or one sentence of it: context always comes from the
    whole paragraph, as in training.
    """
    return Context(doc, cues).features(tokens)


_IOB = ("", "I", "O", "B")


class Context:
    """What the features of a paragraph's tokens look at, read once per paragraph doc.

    The token attributes come from ``Doc.to_array`` (no spaCy ``Token`` object per token); the
    subtree edges are read from the tokens that need them.
    """

    def __init__(self, doc: Doc, cues: frozenset[str]) -> None:
        from spacy.attrs import (
            DEP,
            ENT_IOB,
            ENT_TYPE,
            HEAD,
            IS_PUNCT,
            IS_SPACE,
            LIKE_NUM,
            LOWER,
            ORTH,
            SENT_START,
            SHAPE,
            TAG,
        )

        self.doc = doc
        n = self.n = len(doc)
        strings = doc.vocab.strings
        arr = doc.to_array([ORTH, LOWER, TAG, DEP, HEAD, SHAPE, ENT_IOB, ENT_TYPE, LIKE_NUM, IS_SPACE, IS_PUNCT,
                            SENT_START])  # uint64; HEAD (a relative offset) and SENT_START are signed
        orth, lower, tag, dep, _, shape, iob, etype, num, space, punct, _ = arr.T.tolist()
        head, sent = arr[:, [4, 11]].astype(numpy.int64).T.tolist()
        texts = [strings[h] for h in orth]
        self.quote = quote = [_is_quote_text(t, p == 1) for t, p in zip(texts, punct)]
        self.texts = texts
        self.inq = _quote_state_of(texts, quote)
        self.qleft, self.qright = _distances([i for i in range(n) if quote[i] and texts[i] != "’"], n)
        self.tags = tags = [strings[h] for h in tag]
        self.poss = poss = [coarse(x) for x in tags]
        self.lowers = [("<num>" if nm else strings[h]) for h, nm in zip(lower, num)]
        self.deps = [strings[h] for h in dep]
        self.heads = heads = [i + d for i, d in enumerate(head)]
        self.shapes = [strings[h][:4] for h in shape]
        types = [strings[h] if h else "" for h in etype]
        self.ents = [(_IOB[b] + "-" + t if t else "O") for b, t in zip(iob, types)]
        self.ent_types = [t or "O" for t in types]
        self.space = space
        self.punct = punct
        self.is_cue = is_cue = [w in cues and p in CUE_CLASSES for w, p in zip(
            (strings[h] for h in lower), poss)]
        self.cue_idx = [i for i, c in enumerate(is_cue) if c]
        n_lefts, n_rights = [0] * n, [0] * n
        for i, h in enumerate(heads):
            if h < i:
                n_rights[h] += 1
            elif h > i:
                n_lefts[h] += 1
        self.n_lefts, self.n_rights = n_lefts, n_rights
        starts = [i for i in range(n) if i == 0 or sent[i] == 1]
        self.sent_start = sent_start = [0] * n
        self.sent_end = sent_end = [0] * n
        self.sent_has_cue: dict[int, bool] = {}
        self.sent_has_quote: dict[int, bool] = {}
        for k, a in enumerate(starts):
            b = starts[k + 1] if k + 1 < len(starts) else n
            self.sent_has_cue[a] = any(is_cue[a:b])
            self.sent_has_quote[a] = any(quote[a:b])
            sent_start[a:b] = [a] * (b - a)
            sent_end[a:b] = [b] * (b - a)
        self._edges: dict[int, tuple[int, int]] = {}

    def edges(self, i: int) -> tuple[int, int]:
        """First and last token of the subtree under token ``i``."""
        e = self._edges.get(i)
        if e is None:
            t = self.doc[i]
            e = self._edges[i] = (t.left_edge.i, t.right_edge.i)
        return e

    def features(self, tokens: range | None = None) -> list[list[str]]:
        n = self.n
        inq, poss, lowers, deps, heads = self.inq, self.poss, self.lowers, self.deps, self.heads
        is_cue, cue_idx, sent_start, sent_end = self.is_cue, self.cue_idx, self.sent_start, self.sent_end
        bucket = _BUCKETS
        feats: list[list[str]] = []
        ci = 0
        for i in tokens if tokens is not None else range(n):
            if self.space[i]:
                feats.append(["bias", "space"])
                continue
            hi = heads[i]
            low, dep, pos, hdep = lowers[i], deps[i], poss[i], deps[hi]
            ss = sent_start[i]
            q = str(inq[i])
            qlb, qrb = bucket[min(self.qleft[i], 13)], bucket[min(self.qright[i], 13)]
            f = [
                "bias",
                "w=" + low,
                "sh=" + self.shapes[i],
                "suf=" + low[-3:],
                "p=" + pos,
                "t=" + self.tags[i],
                "d=" + dep,
                "dp=" + dep + "|" + pos,
                "hl=" + lowers[hi],
                "hp=" + poss[hi],
                "dh=" + dep + "|" + poss[hi],
                "hd=" + hdep,
                "e=" + self.ents[i],
                "q=" + q,
                "ql=" + qlb,
                "qr=" + qrb,
                "qlr=" + qlb + "|" + qrb + "|" + q,
                "ss=" + str(i == ss),
                "sp=" + bucket[min(i - ss, 13)],
                "sr=" + bucket[min(sent_end[i] - 1 - i, 13)],
                "sc=" + str(self.sent_has_cue[ss]),
                "sq=" + str(self.sent_has_quote[ss]),
                "lr=" + str(self.n_lefts[i]) + "|" + str(min(self.n_rights[i], 3)),
                "gd=" + dep + "|" + hdep + "|" + deps[heads[hi]],
                "hw=" + lowers[hi] + "|" + dep,
                "he=" + self.ent_types[hi],
            ]
            hle, hre = self.edges(hi)
            if i == hle:
                f.append("hle=" + hdep)
            if i == hre:
                f.append("hre=" + hdep)
            if is_cue[i]:
                f.append("cue")
                f.append("cuep=" + pos + "|" + dep)
            # the nearest cue-lexicon ancestor and the relation under which this token's subtree hangs from it
            child, anc, depth = i, hi, 1
            gov = -1
            path: list[str] = []
            while anc != child and depth < 12:
                if gov < 0 and poss[anc] in ("VERB", "AUX"):
                    gov = anc
                if is_cue[anc]:
                    cdep = deps[child]
                    f.append("ca=" + lowers[anc])
                    f.append("cr=" + cdep)
                    f.append("crd=" + cdep + "|" + bucket[min(depth, 13)])
                    f.append("crq=" + cdep + "|" + q)
                    f.append("cs=" + ("L" if i < anc else "R") + "|" + cdep)
                    cle, cre = self.edges(child)
                    if i == cle:
                        f.append("cle=" + cdep)
                    if i == cre:
                        f.append("cre=" + cdep)
                    if depth > 1:
                        f.append("cp=" + cdep + ">" + path[-1])
                    break
                path.append(deps[child])
                child, anc, depth = anc, heads[anc], depth + 1
            else:
                f.append("ca=none")
            if gov >= 0:
                f.append("gv=" + lowers[gov])
            if dep == "ROOT":
                f.append("root")
            # token distance to the nearest cue word, left and right
            while ci < len(cue_idx) and cue_idx[ci] < i:
                ci += 1
            dl = i - cue_idx[ci - 1] if ci > 0 else 99
            dr = cue_idx[ci] - i if ci < len(cue_idx) else 99
            f.append("cdl=" + bucket[min(dl, 13)])
            f.append("cdr=" + bucket[min(dr, 13)])
            if i >= 3:
                f.append("-3w=" + lowers[i - 3])
            if i + 3 < n:
                f.append("3w=" + lowers[i + 3])
            for k in (-2, -1, 1, 2):
                j = i + k
                if 0 <= j < n:
                    f.append(f"{k}w=" + lowers[j])
                    f.append(f"{k}p=" + poss[j])
                    f.append(f"{k}d=" + deps[j])
                    if is_cue[j]:
                        f.append(f"{k}cue")
                else:
                    f.append(f"{k}edge")
            if i > 0:
                f.append("bw=" + lowers[i - 1] + "|" + low)
            feats.append(f)
        return feats


def spans_from_bio(labels: list[str]) -> list[tuple[str, int, int]]:
    """(role letter, first token, end token) of each labelled span; a stray I- opens a span."""
    out: list[tuple[str, int, int]] = []
    role, start = None, 0
    for i, lab in enumerate(labels + ["O"]):
        if lab == "O" or lab.startswith("B-") or (role is not None and lab[2:] != role):
            if role is not None:
                out.append((role, start, i))
                role = None
            if lab != "O":
                role, start = lab[2:], i
        elif role is None:
            role, start = lab[2:], i
    return out


_DUMP_LINE = re.compile(r"  \(\d+\) (.*?) --> (\S+): (\S+)\n", re.S)


class Weights:
    """The CRF's weights as arrays (read from the model dump): scores, Viterbi and marginals in numpy.

    Tagging here gives crfsuite's own labels (same model, same decoding: state scores plus label
    transitions, no start or end weights) at a third of its cost, because the scores computed once
    serve both the Viterbi path and the marginals. Averaged-perceptron weights are large, so
    crfsuite's own marginals overflow; scaling the scores by a temperature fitted on dev gives
    usable probabilities.
    """

    def __init__(self, crf: Any) -> None:
        self.labels = list(crf.labels())
        index = {lab: k for k, lab in enumerate(self.labels)}
        n = len(self.labels)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "dump.txt"
            crf.dump(str(path))
            text = path.read_text(encoding="utf-8", errors="replace")
        _, _, rest = text.partition("TRANSITIONS = {\n")
        trans_text, _, states_text = rest.partition("STATE_FEATURES = {\n")
        self.trans = numpy.zeros((n, n))
        for a, b, w in _DUMP_LINE.findall(trans_text):
            self.trans[index[a], index[b]] = float(w)
        del text, rest, trans_text
        # feature -> row of ``self.state``, in order of first appearance (read line by line: the
        # dump holds a few hundred thousand lines, and a list of them all would double the memory)
        self.rows: dict[str, int] = {}
        rows, cols, weights = array("l"), array("l"), array("d")
        setdefault = self.rows.setdefault
        for m in _DUMP_LINE.finditer(states_text):
            rows.append(setdefault(m.group(1), len(self.rows)))
            cols.append(index[m.group(2)])
            weights.append(float(m.group(3)))
        del states_text
        self.state = numpy.zeros((len(self.rows), n))
        self.state[numpy.frombuffer(rows, dtype=numpy.int_) if rows else [],
                   numpy.frombuffer(cols, dtype=numpy.int_) if cols else []] = numpy.frombuffer(weights) if weights else []

    def scores(self, feats: list[list[str]]) -> numpy.ndarray:
        """The state score of every label (columns) at every token (rows)."""
        size, n = len(feats), len(self.labels)
        flat = list(chain.from_iterable(feats))
        rows = numpy.fromiter(map(self.rows.get, flat, repeat(-1)), dtype=numpy.intp, count=len(flat))
        tokens = numpy.repeat(numpy.arange(size), [len(f) for f in feats])
        known = rows >= 0
        values = self.state[rows[known]]
        tokens = tokens[known]
        out = numpy.empty((size, n))
        for k in range(n):
            out[:, k] = numpy.bincount(tokens, weights=values[:, k], minlength=size)
        return out

    def viterbi(self, scores: numpy.ndarray) -> list[str]:
        """The best label sequence for ``scores`` (as crfsuite decodes it)."""
        labels = self.labels
        return [labels[k] for k in viterbi_path(scores, self.trans)]

    def marginals_of(self, scores: numpy.ndarray, temperature: float) -> numpy.ndarray:
        """P(label | token) for each token (rows) and label (columns, in ``self.labels`` order)."""
        s = scores / temperature
        tr = self.trans / temperature
        with numpy.errstate(over="ignore", invalid="ignore"):
            p = _scaled_marginals(s, tr)
        if numpy.isfinite(p).all():
            return p
        return _log_marginals(s, tr)  # weights too large for the scaled form


def viterbi_path(scores: numpy.ndarray, trans: numpy.ndarray, start: numpy.ndarray | None = None) -> list[int]:
    """The best label path (column indices) for per-token ``scores``, label ``trans``itions and optional
    ``start`` scores."""
    size, n = scores.shape
    if not size:
        return []
    cols = numpy.arange(n)
    back = numpy.empty((size, n), dtype=numpy.intp)
    cur = scores[0] if start is None else scores[0] + start
    for i in range(1, size):
        m = cur[:, None] + trans
        best = m.argmax(axis=0)
        back[i] = best
        cur = m[best, cols] + scores[i]
    k = int(cur.argmax())
    path = [k]
    for i in range(size - 1, 0, -1):
        k = int(back[i, k])
        path.append(k)
    return path[::-1]


def _scaled_marginals(s: numpy.ndarray, tr: numpy.ndarray) -> numpy.ndarray:
    """Forward-backward in probability space, renormalised at every step (fast; may overflow)."""
    size, n = s.shape
    e = numpy.exp(tr - tr.max())
    es = numpy.exp(s - s.max(axis=1, keepdims=True))
    fwd = numpy.empty((size, n))
    bwd = numpy.empty((size, n))
    fwd[0] = es[0] / es[0].sum()
    for i in range(1, size):
        v = (fwd[i - 1] @ e) * es[i]
        fwd[i] = v / v.sum()
    bwd[-1] = 1.0 / n
    for i in range(size - 2, -1, -1):
        v = e @ (es[i + 1] * bwd[i + 1])
        bwd[i] = v / v.sum()
    p = fwd * bwd
    return p / p.sum(axis=1, keepdims=True)


def _log_marginals(s: numpy.ndarray, tr: numpy.ndarray) -> numpy.ndarray:
    """Forward-backward in log space (slower; never overflows)."""
    size, n = s.shape
    fwd = numpy.empty((size, n))
    bwd = numpy.zeros((size, n))
    fwd[0] = s[0]
    for i in range(1, size):
        m = fwd[i - 1][:, None] + tr
        top = m.max(axis=0)
        fwd[i] = top + numpy.log(numpy.exp(m - top).sum(axis=0)) + s[i]
    for i in range(size - 2, -1, -1):
        m = tr + (s[i + 1] + bwd[i + 1])[None, :]
        top = m.max(axis=1)
        bwd[i] = top + numpy.log(numpy.exp(m - top[:, None]).sum(axis=1))
    tot = fwd + bwd
    p = numpy.exp(tot - tot.max(axis=1, keepdims=True))
    return p / p.sum(axis=1, keepdims=True)


# ---------------------------------------------------------------- the tagger


class Tagger:
    """A trained CRF, its cue lexicon, and the temperature that turns its scores into probabilities."""

    def __init__(self, model_path: Path | None, cues: frozenset[str], temperature: float = 1.0,
                 nlp: Language | None = None, triggers: frozenset[str] | None = None,
                 parse_triggers: frozenset[str] = frozenset()) -> None:
        self._crf: Any = None
        if model_path is not None:
            import pycrfsuite

            self._crf = pycrfsuite.Tagger()
            self._crf.open(str(model_path))
        self.cues = cues
        # words that make a sentence worth tagging (part of a cue in >= 30 % of their uses in training)
        self.triggers = triggers
        # words that make a paragraph the rules would skip worth parsing for the tagger (>= 50 %)
        self.parse_triggers = parse_triggers
        self.temperature = temperature
        self.model_path = model_path
        self._nlp = nlp
        self._weights: Weights | None = None

    @classmethod
    def from_files(cls, model_path: Path, cues_path: Path, meta_path: Path | None = None) -> Tagger:
        """The model, its cue list (``*.cues.txt``), its settings and, when present beside the cue list,
        its trigger words (``*.triggers.txt``, ``*.parse_triggers.txt``)."""
        words = cues_path.read_text(encoding="utf-8").split()
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path and meta_path.is_file() else {}

        def beside(suffix: str) -> frozenset[str] | None:
            path = cues_path.with_name(cues_path.name.replace(".cues.txt", suffix))
            return frozenset(path.read_text(encoding="utf-8").split()) if path.is_file() else None

        return cls(model_path, frozenset(words), float(meta.get("temperature", 1.0)), triggers=beside(".triggers.txt"),
                   parse_triggers=beside(".parse_triggers.txt") or frozenset())

    @property
    def weights(self) -> Weights:
        if self._weights is None:
            self._weights = Weights(self._crf)
        return self._weights

    def tag(self, paragraph: Paragraph) -> list[str]:
        """One BIO label per token of ``paragraph.doc``."""
        return self._tag_doc(self._parsed_doc(paragraph))

    def _parsed_doc(self, paragraph: Paragraph) -> Doc:
        """The paragraph's doc with tags and dependencies (parsed here when the pipeline skipped it)."""
        if paragraph.parsed:
            return paragraph.doc
        return self._parse([paragraph])[paragraph.index]

    def _parse(self, paragraphs: Sequence[Paragraph]) -> dict[int, Doc]:
        """Parses of paragraphs the pipeline skipped, in one batch (paragraph index -> doc); a paragraph
        whose tokens come out differently gets an empty doc (it is not tagged)."""
        if not paragraphs:
            return {}
        if self._nlp is None:
            from .. import nlp as nlp_mod

            self._nlp = nlp_mod.load()
        out: dict[int, Doc] = {}
        for para, doc in zip(paragraphs, parse_light(self._nlp, [p.doc.text for p in paragraphs])):
            if len(doc) != len(para.doc):
                log.warning("re-tokenised paragraph %d differs (%d vs %d tokens); not tagged",
                            para.index, len(doc), len(para.doc))
                doc = para.doc[0:0].as_doc()
            out[para.index] = doc
        return out

    def _prepare(self, docs: Sequence[Doc]) -> None:
        """Work done once for all the docs an article's tagging will read (nothing, for the CRF)."""

    def _tag_doc(self, doc: Doc) -> list[str]:
        return self.weights.viterbi(self.weights.scores(doc_features(doc, self.cues))) if len(doc) else []

    def _tag_range(self, ctx: Context, r: range, mix: float = 0.0) -> tuple[list[str], numpy.ndarray]:
        """Labels of the tokens in ``r`` (one sequence) and their state scores (``mix``: see
        ``EncoderTagger``)."""
        scores = self.weights.scores(ctx.features(r))
        return self.weights.viterbi(scores), scores

    def attributions(self, parsed: Parsed, *, only_parsed: bool = False, skip: frozenset[int] = frozenset(),
                     focus: Mapping[int, Sequence[range]] | None = None,
                     keep: Callable[[Attribution], bool] | None = None, mix: float = 0.0) -> list[Attribution]:
        """The tagged attributions of an article, one per content span.

        ``only_parsed`` tags only the paragraphs the pipeline parsed (those with a reporting word), so
        nothing is parsed twice; otherwise skipped paragraphs are parsed here first. Paragraphs whose
        index is in ``skip`` are left out. With ``focus`` (paragraph index -> token ranges) only those
        stretches of those paragraphs are tagged (see ``focus_sentences``). ``keep`` filters the
        attributions before their confidence is computed (the marginals are the costly part), so it
        must not look at ``confidence``. ``mix`` mixes the CRF's label probabilities into the encoder's
        (``EncoderTagger``; the CRF ignores it).
        """
        out: list[Attribution] = []
        wanted = [p for p in parsed.paragraphs if not (only_parsed and not p.parsed) and p.index not in skip
                  and (focus is None or focus.get(p.index))]
        reparsed = self._parse([p for p in wanted if not p.parsed])
        docs = [reparsed.get(p.index, p.doc) for p in wanted]
        self._prepare(docs)
        for para, doc in zip(wanted, docs):
            ranges = focus.get(para.index) if focus is not None else None
            if ranges is not None and para.index in reparsed:  # now that it has sentences
                ranges = self.trigger_sentences(doc)
            n = len(doc)
            if n != len(para.doc) or not n:
                continue
            labels = ["O"] * n
            tagged: list[tuple[range, numpy.ndarray, list[str]]] = []
            ctx = Context(doc, self.cues)
            for r in ranges if ranges is not None else (range(n),):
                seq, scores = self._tag_range(ctx, r, mix)
                if any(lab != "O" for lab in seq):
                    labels[r.start:r.stop] = seq
                    tagged.append((r, scores, seq))
            found = group(parsed.text, para, doc, labels, ctx)
            if keep is not None:
                found = [(a, toks) for a, toks in found if keep(a)]
            if not found:
                continue
            probs = self._probabilities(n, tagged)
            for att, toks in found:
                ps = [probs[k] for k in toks if not ctx.space[k]]
                out.append(replace(att, confidence=round(sum(ps) / len(ps), 3) if ps else 0.0))
        return out

    def _probabilities(self, n: int, tagged: Sequence[tuple[range, numpy.ndarray, list[str]]]) -> list[float]:
        """The marginal probability of each token's label (1.0 outside the tagged stretches)."""
        probs = [1.0] * n
        weights = self.weights
        col = {lab: k for k, lab in enumerate(weights.labels)}
        for r, scores, seq in tagged:
            marg = weights.marginals_of(scores, self.temperature)
            for k, lab in enumerate(seq):
                probs[r.start + k] = float(marg[k, col[lab]])
        return probs

    def focus_sentences(self, parsed: Parsed, taken: Sequence[tuple[int, int]],
                        unparsed: bool = False) -> dict[int, list[range]]:
        """The sentences worth tagging: in a parsed paragraph, touching none of the character ranges
        in ``taken`` (statements already found), and holding a trigger word (without a trigger list: a
        verb or noun of the cue lexicon). With ``unparsed``, also every paragraph the pipeline did not
        parse that holds a trigger word, whole: it has no sentences yet; ``attributions`` parses it and
        keeps its sentences with a trigger word.

        Paragraph index -> token ranges; neighbouring sentences form one range.
        """
        out: dict[int, list[range]] = {}
        for para in parsed.paragraphs:
            if not para.parsed:
                if unparsed and any(t.lower_ in self._trigger_words for t in para.doc):
                    out[para.index] = [range(len(para.doc))]
                continue
            base = para.start
            inside = [(a - base, b - base) for a, b in taken if a < para.end and para.start < b]
            ranges = self.trigger_sentences(para.doc, inside)
            if ranges:
                out[para.index] = ranges
        return out

    @property
    def _trigger_words(self) -> frozenset[str]:
        return self.triggers if self.triggers is not None else self.cues

    def trigger_sentences(self, doc: Doc, inside: Sequence[tuple[int, int]] = ()) -> list[range]:
        """Token ranges of the sentences of a parsed ``doc`` that hold a trigger word and touch none of
        the character ranges ``inside`` (paragraph offsets); neighbouring sentences form one range."""
        cues, triggers = self.cues, self.triggers
        sents = list(doc.sents)
        bounds = [(doc[x.start].idx, doc[x.end - 1].idx + len(doc[x.end - 1].text)) for x in sents]
        firsts = [a for a, _ in bounds]
        touched: set[int] = set()
        for x, y in inside:  # the sentences each range overlaps
            k = max(0, bisect.bisect_right(firsts, x) - 1)
            while k < len(bounds) and bounds[k][0] < y:
                if x < bounds[k][1]:
                    touched.add(k)
                k += 1
        ranges: list[range] = []
        for k, sent in enumerate(sents):
            if k in touched:
                continue
            if triggers is not None:
                if not any(t.lower_ in triggers for t in sent):
                    continue
            elif not any(t.lower_ in cues and t.tag_[:2] in _TRIGGER_TAGS for t in sent):
                continue
            if ranges and ranges[-1].stop == sent.start:
                ranges[-1] = range(ranges[-1].start, sent.end)
            else:
                ranges.append(range(sent.start, sent.end))
        return ranges


class EncoderTagger(Tagger):
    """The tagger with the fine-tuned transformer encoder (``encoder.py``) in place of the CRF.

    The encoder reads each paragraph whole, once, and gives every word a probability for each BIO label;
    a stretch's labels are the most probable sequence that is valid BIO (an ``I-X`` only after ``B-X`` or
    ``I-X``), and a label's probability is the encoder's own. Where it looks, the trigger words, the
    grouping of spans into attributions: all as for the CRF.
    """

    def __init__(self, encoder: Any, cues: frozenset[str], triggers: frozenset[str] | None = None,
                 parse_triggers: frozenset[str] = frozenset(), nlp: Language | None = None) -> None:
        super().__init__(None, cues, 1.0, nlp=nlp, triggers=triggers, parse_triggers=parse_triggers)
        self.encoder = encoder
        self.crf: Tagger | None = None
        self._columns: list[int] | None = None
        self._lp: dict[int, tuple[Doc, numpy.ndarray]] = {}
        labels = encoder_labels()
        n = len(labels)
        self._trans = numpy.zeros((n, n))
        for a, la in enumerate(labels):
            for b, lb in enumerate(labels):
                if lb.startswith("I-") and la[2:] != lb[2:]:
                    self._trans[a, b] = -1e4
        self._start = numpy.array([-1e4 if lab.startswith("I-") else 0.0 for lab in labels])

    def _prepare(self, docs: Sequence[Doc]) -> None:
        self._lp = {}
        docs = [d for d in docs if len(d)]
        for doc, lp in zip(docs, self.encoder.log_probs([[t.text for t in d] for d in docs])):
            self._lp[id(doc)] = (doc, lp)

    def _log_probs(self, doc: Doc) -> numpy.ndarray:
        got = self._lp.get(id(doc))
        if got is None or got[0] is not doc:
            return self.encoder.log_probs([[t.text for t in doc]])[0]
        return got[1]

    def _tag_doc(self, doc: Doc) -> list[str]:
        return self._viterbi(self._log_probs(doc)) if len(doc) else []

    def _tag_range(self, ctx: Context, r: range, mix: float = 0.0) -> tuple[list[str], numpy.ndarray]:
        """Labels of the tokens in ``r`` and their log-probabilities: the encoder's, or with ``mix`` > 0
        a mixture ``(1 - mix) * encoder + mix * CRF`` of the two models' label probabilities (the CRF's
        marginals, as for its own confidence)."""
        lp = self._log_probs(ctx.doc)[r.start:r.stop]
        if mix > 0 and self.crf is not None:
            weights = self.crf.weights
            marg = weights.marginals_of(weights.scores(ctx.features(r)), self.crf.temperature)
            p = (1.0 - mix) * numpy.exp(lp) + mix * marg[:, self._crf_columns(weights)]
            lp = numpy.log(numpy.maximum(p, 1e-12))
        space = {k for k in range(len(lp)) if ctx.space[r.start + k]}
        if not space:
            return self._viterbi(lp), lp
        # white space (a non-breaking space, "A\u00a0Bloomberg poll") is no word: the labels are those of
        # the words around it, and a span that runs on over it takes it in
        words = [k for k in range(len(lp)) if k not in space]
        seq = ["O"] * len(lp)
        for k, lab in zip(words, self._viterbi(lp[words]) if words else []):
            seq[k] = lab
        for k in sorted(space):
            before = next((seq[x] for x in range(k - 1, -1, -1) if x not in space), "O")
            after = next((seq[x] for x in range(k + 1, len(seq)) if x not in space), "O")
            if before != "O" and after == "I-" + before[2:]:
                seq[k] = after
        return seq, lp

    def _crf_columns(self, weights: Weights) -> list[int]:
        """The CRF's label columns in the encoder's label order."""
        if self._columns is None:
            self._columns = [weights.labels.index(lab) for lab in encoder_labels()]
        return self._columns

    def _viterbi(self, lp: numpy.ndarray) -> list[str]:
        labels = encoder_labels()
        return [labels[k] for k in viterbi_path(lp, self._trans, self._start)]

    def _probabilities(self, n: int, tagged: Sequence[tuple[range, numpy.ndarray, list[str]]]) -> list[float]:
        probs = [1.0] * n
        col = {lab: k for k, lab in enumerate(encoder_labels())}
        for r, lp, seq in tagged:
            for k, lab in enumerate(seq):
                probs[r.start + k] = float(numpy.exp(lp[k, col[lab]]))
        return probs


def encoder_labels() -> tuple[str, ...]:
    from .encoder import LABELS

    return LABELS


def _head(heads: list[int], i: int, j: int) -> int:
    """The token of tokens [i, j) whose head (``heads``: each token's head index) lies outside the
    span (the first such)."""
    for k in range(i, j):
        h = heads[k]
        if h < i or h >= j or h == k:
            return k
    return i


def _kind(ctx: Context, i: int, j: int) -> Kind:
    """direct when every word of tokens [i, j) is inside quote marks, mixed when some are."""
    quote, punct, inq = ctx.quote, ctx.punct, ctx.inq
    words = [k for k in range(i, j) if not ctx.space[k]]
    if not any(quote[k] and ctx.texts[k] != "’" for k in words):
        return "indirect"
    inner = [k for k in words if not punct[k]]
    if inner and all(inq[k] or quote[k] for k in inner):
        return "direct"
    return "mixed"


def _gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    if a[1] <= b[0]:
        return b[0] - a[1]
    if b[1] <= a[0]:
        return a[0] - b[1]
    return 0


def _nearest_cue(ctx: Context, cues: list[tuple[int, int]], span: tuple[int, int], window: int) -> int | None:
    """Index in ``cues`` (in text order) of the cue that governs or sits next to ``span``: dependency
    link first, then the same sentence, then adjacency (at most ``window`` tokens away).

    Only cues near the span's sentences are looked at: a dependency link never crosses a sentence,
    so a cue farther away could only be adjacent, and it is not. A sentence is known by its first
    token (``ctx.sent_start``).
    """
    if not cues:
        return None
    sent, heads = ctx.sent_start, ctx.heads
    head = _head(heads, *span)
    hs, s0, s1 = sent[head], sent[span[0]], sent[span[1] - 1]
    longest = max(cj - ci for ci, cj in cues)
    lo = min(s0, hs) - window - longest
    hi = max(ctx.sent_end[s1], ctx.sent_end[hs]) + window
    anc: set[int] | None = None
    best, best_key = None, None
    for n in range(bisect.bisect_left(cues, (lo, lo)), bisect.bisect_right(cues, (hi, ctx.n + 1))):
        ci, cj = cues[n]
        linked = False
        if any(sent[k] == hs for k in range(ci, cj)):
            if anc is None:
                anc = {a.i for a in ctx.doc[head].ancestors}
            linked = any(k in anc or heads[k] == head for k in range(ci, cj))
        same = sent[ci] == s0 or sent[cj - 1] == s1
        gap = _gap((ci, cj), span)
        if not linked and not same and gap > window:
            continue
        key = (not linked, not same, gap)
        if best_key is None or key < best_key:
            best, best_key = n, key
    return best


# a cue with no tagged source takes the grammatical subject of its verb, or of the verb it hangs from
# ("... and [added]", "[declined] to comment", "who [called for]")
_SUBJECT_DEPS = frozenset({"nsubj"})
_SUBJECT_VIA = frozenset({"xcomp", "ccomp", "conj"})


def _subject(doc: Doc, heads: list[int], cue: tuple[int, int],
             taken: Sequence[tuple[int, int]]) -> tuple[int, int] | None:
    """Token span [i, j) of the subject (the whole subtree of its ``nsubj``) of the cue's head word,
    or, when it has none and is an ``xcomp``, ``ccomp`` or ``conj``, of the word it hangs from; None
    without a parse, without a subject, or when that subject overlaps a tagged span."""
    head = doc[_head(heads, *cue)]
    for word in (head, head.head) if head.dep_ in _SUBJECT_VIA else (head,):
        subj = next((x for x in word.children if x.dep_ in _SUBJECT_DEPS), None)
        if subj is None:
            continue
        i, j = subj.left_edge.i, subj.right_edge.i + 1
        if any(a < j and i < b for a, b in taken):
            return None
        return i, j
    return None


# a learned source that stops inside its noun phrase: the words it modifies ("[The] Daily Caller",
# "[CNN's Jake] Tapper"), and the quantity or negation words before it ("[at least] one Democrat",
# "[not] everyone")
_NP_INNER = frozenset({"det", "compound", "amod", "nummod"})
_QUANTIFIERS = frozenset({"not", "at", "least", "most", "nearly", "almost", "about", "roughly", "approximately",
                          "more", "fewer", "less", "than", "over", "under", "some"})


def _completed(doc: Doc, span: tuple[int, int], taken: Sequence[tuple[int, int]]) -> tuple[int, int]:
    """A source span (tokens [i, j)) run on to the noun its last word modifies (at most three words on)
    and back over the quantity or negation words that modify its first words, where nothing else tagged
    lies in between."""
    i, j = span
    others = [(a, b) for a, b in taken if (a, b) != span]
    last = doc[j - 1]
    while last.dep_ in _NP_INNER and j <= last.head.i < j + 3:
        k = last.head.i + 1
        if any(a < k and j < b for a, b in others):
            break
        j, last = k, doc[k - 1]
    while i > 0 and doc[i - 1].lower_ in _QUANTIFIERS and doc[i - 1].dep_ in ("advmod", "neg", "quantmod") \
            and i <= doc[i - 1].head.i < j and not any(a < i and i - 1 < b for a, b in others):
        i -= 1
    return i, j


def _run_on(doc: Doc, span: tuple[int, int], taken: Sequence[tuple[int, int]]) -> tuple[int, int]:
    """A learned content (tokens [i, j)) that stops inside its phrase runs on to the phrase's end: the
    last word under its head word, where no other tagged span lies in between ("[the rosy-sounding
    Justice] for Victims of Trafficking Act", "[his senior climate adviser], Brian Deese,")."""
    i, j = span
    if not doc.has_annotation("DEP"):
        return span
    heads = [k for k in range(i, j) if doc[k].head.i == k or not i <= doc[k].head.i < j]
    if len(heads) != 1:
        return span
    end = doc[heads[0]].right_edge.i + 1
    if end <= j or any(a < end and j < b for a, b in taken if (a, b) != span):
        return span
    return i, end


def group(text: str, para: Paragraph, doc: Doc, labels: list[str],
          ctx: Context | None = None) -> list[tuple[Attribution, list[int]]]:
    """Tagged spans of one paragraph (``doc``: its parse) -> Attributions: each content span with its
    cue and that cue's source, and the tokens whose mean label probability is its confidence (the
    content's and the cue's; ``confidence`` is left at 0 for the caller to fill in)."""
    spans = spans_from_bio(labels)
    cues = [(i, j) for r, i, j in spans if r == "C"]
    sources = [(i, j) for r, i, j in spans if r == "S"]
    contents = [(i, j) for r, i, j in spans if r == "Q"]
    if not contents:
        return []
    ctx = ctx or Context(doc, frozenset())
    # each cue's source: a source span linked to it in the tree (subject), else the nearest in its sentence
    taken = [(i, j) for _, i, j in spans]
    sources = [_completed(doc, s, taken) for s in sources]
    contents = [_run_on(doc, q, taken) for q in contents]
    cue_source: dict[int, tuple[int, int] | None] = {}
    for n, c in enumerate(cues):
        pick = _nearest_cue(ctx, sources, c, window=0)
        cue_source[n] = sources[pick] if pick is not None else _subject(doc, ctx.heads, c, taken)
    out = []
    for q in contents:
        n = _nearest_cue(ctx, cues, q, window=8)
        cue = cues[n] if n is not None else None
        src = cue_source.get(n) if n is not None else None
        toks = [k for a, b in ([q] + ([cue] if cue else [])) for k in range(a, b)]
        out.append((Attribution(
            kind=_kind(ctx, *q),
            content=para.span(text, *q),
            cue=para.span(text, *cue) if cue else None,
            source=para.span(text, *src) if src else None,
            paragraph=para.index,
            source_head=_head(ctx.heads, *src) if src else None,
            cue_head=_head(ctx.heads, *cue) if cue else None,
            confidence=0.0,
            rule="tagger",
            flags=("learned",),
        ), toks))
    return out


def _model_files() -> tuple[Path, Path, Path]:
    """The shipped model, its cue list and its settings (files inside the installed package)."""
    base = resources.files("onrecord") / "models"
    model, cues, meta = (Path(str(base / f"{MODEL_NAME}{ext}")) for ext in (".crfsuite", ".cues.txt", ".json"))
    return model, cues, meta


@lru_cache(maxsize=2)
def load_tagger(kind: str = "crf") -> Tagger:
    """The tagger shipped with onrecord (loaded once per process, offline): ``crf`` or ``encoder``."""
    model, cues, meta = _model_files()
    if kind == "encoder":
        from .encoder import load_encoder

        # the CRF tagger (cached) lends its word lists and, for tagger_crf_weight, its probabilities
        crf = load_tagger("crf") if model.is_file() else Tagger.from_files(None, cues, meta)  # type: ignore[arg-type]
        t = EncoderTagger(load_encoder(), crf.cues, crf.triggers, crf.parse_triggers)
        t.crf = crf if crf._crf is not None else None
        return t
    if not model.is_file():
        from ..errors import ModelNotFound

        raise ModelNotFound(
            f"the attribution tagger model is missing ({model}); rebuild it with\n"
            "  python eval/train_tagger.py --data ../shared/data/polnear --out src/onrecord/models/tagger"
        )
    log.debug("loading attribution tagger %s", model)
    return Tagger.from_files(model, cues, meta)
