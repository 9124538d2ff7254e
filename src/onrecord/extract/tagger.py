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

import json
import logging
import re
import tempfile
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy

from ..model import Kind
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
# components a re-parse skips, as the pipeline's own parse does (features use none of them)
_SKIP = ("lemmatizer", "attribute_ruler", "senter")


# ---------------------------------------------------------------- features


def _bucket(n: int) -> str:
    if n <= 3:
        return str(n)
    if n <= 6:
        return "4-6"
    if n <= 12:
        return "7-12"
    return "13+"


def _is_quote(t: Token) -> bool:
    return t.text in QUOTE_CHARS or (len(t.text) <= 2 and any(c in QUOTE_CHARS for c in t.text) and t.is_punct)


def _quote_state(doc: Doc) -> list[bool]:
    """Whether each token sits inside quote marks (straight quotes toggle, curly ones open and close)."""
    inside, out = False, []
    for t in doc:
        if _is_quote(t):
            ch = t.text[0]
            if ch in OPEN_QUOTES or t.text == "``":
                out.append(False)
                inside = True
                continue
            if ch in CLOSE_QUOTES and ch != "’" or t.text == "''":
                out.append(False)
                inside = False
                continue
            if ch == "’":  # apostrophe more often than a closing single quote
                out.append(inside)
                continue
            out.append(False)
            inside = not inside
            continue
        out.append(inside)
    return out


def _quote_distances(doc: Doc) -> tuple[list[int], list[int]]:
    n = len(doc)
    left, right = [99] * n, [99] * n
    last = -1
    for i, t in enumerate(doc):
        if _is_quote(t) and t.text != "’":
            last = i
        left[i] = i - last if last >= 0 else 99
    last = -1
    for i in range(n - 1, -1, -1):
        t = doc[i]
        if _is_quote(t) and t.text != "’":
            last = i
        right[i] = last - i if last >= 0 else 99
    return left, right


_COARSE = {"MD": "AUX", "CD": "NUM", "CC": "CCONJ", "TO": "PART", "RP": "PART", "POS": "PART", "EX": "PRON",
           "NNP": "PROPN", "NNPS": "PROPN", "PRP": "PRON", "PRP$": "PRON", "WP": "PRON", "WP$": "PRON",
           "DT": "DET", "PDT": "DET", "WDT": "DET", "IN": "ADP", "UH": "INTJ"}
_COARSE_PREFIX = (("VB", "VERB"), ("NN", "NOUN"), ("JJ", "ADJ"), ("RB", "ADV"), ("WRB", "ADV"))
CUE_CLASSES = frozenset({"VERB", "NOUN", "ADJ", "ADP", "AUX"})


def coarse(tag: str) -> str:
    """A coarse word class from the fine-grained tag alone (the pipeline may skip the attribute ruler)."""
    if tag in _COARSE:
        return _COARSE[tag]
    for prefix, name in _COARSE_PREFIX:
        if tag.startswith(prefix):
            return name
    return "PUNCT" if tag and not tag[0].isalpha() else "X"


def doc_features(doc: Doc, cues: frozenset[str]) -> list[list[str]]:
    """The CRF feature strings of every token of a paragraph doc.

    Uses word forms, fine tags, the dependency parse, entities and sentences; never lemmas or
    coarse POS, which the pipeline does not always compute.
    """
    n = len(doc)
    inq = _quote_state(doc)
    qleft, qright = _quote_distances(doc)
    tags = [t.tag_ for t in doc]
    poss = [coarse(x) for x in tags]
    is_cue = [t.lower_ in cues and p in CUE_CLASSES for t, p in zip(doc, poss)]
    cue_idx = [i for i, c in enumerate(is_cue) if c]
    sent_has_cue: dict[int, bool] = {}
    sent_has_quote: dict[int, bool] = {}
    sent_start: list[int] = [0] * n
    sent_len: list[int] = [1] * n
    for s in doc.sents:
        sent_has_cue[s.start] = any(is_cue[i] for i in range(s.start, s.end))
        sent_has_quote[s.start] = any(_is_quote(doc[i]) for i in range(s.start, s.end))
        for i in range(s.start, s.end):
            sent_start[i] = s.start
            sent_len[i] = s.end - s.start
    lowers = [t.lower_ if not t.like_num else "<num>" for t in doc]
    deps = [t.dep_ for t in doc]
    feats: list[list[str]] = []
    ci = 0
    for i, t in enumerate(doc):
        if t.is_space:
            feats.append(["bias", "space"])
            continue
        h = t.head
        f = [
            "bias",
            "w=" + lowers[i],
            "sh=" + t.shape_[:4],
            "suf=" + lowers[i][-3:],
            "p=" + poss[i],
            "t=" + t.tag_,
            "d=" + deps[i],
            "dp=" + deps[i] + "|" + poss[i],
            "hl=" + lowers[h.i],
            "hp=" + poss[h.i],
            "dh=" + deps[i] + "|" + poss[h.i],
            "hd=" + h.dep_,
            "e=" + (t.ent_iob_ + "-" + t.ent_type_ if t.ent_type_ else "O"),
            "q=" + str(inq[i]),
            "ql=" + _bucket(qleft[i]),
            "qr=" + _bucket(qright[i]),
            "qlr=" + _bucket(qleft[i]) + "|" + _bucket(qright[i]) + "|" + str(inq[i]),
            "ss=" + str(i == sent_start[i]),
            "sp=" + _bucket(i - sent_start[i]),
            "sr=" + _bucket(sent_start[i] + sent_len[i] - 1 - i),
            "sc=" + str(sent_has_cue[sent_start[i]]),
            "sq=" + str(sent_has_quote[sent_start[i]]),
            "lr=" + str(t.n_lefts) + "|" + str(min(t.n_rights, 3)),
            "gd=" + deps[i] + "|" + h.dep_ + "|" + h.head.dep_,
            "hw=" + lowers[h.i] + "|" + deps[i],
            "he=" + (h.ent_type_ or "O"),
        ]
        if i == h.left_edge.i:
            f.append("hle=" + h.dep_)
        if i == h.right_edge.i:
            f.append("hre=" + h.dep_)
        if is_cue[i]:
            f.append("cue")
            f.append("cuep=" + poss[i] + "|" + deps[i])
        # the nearest cue-lexicon ancestor and the relation under which this token's subtree hangs from it
        child, anc, depth = t, h, 1
        gov = None
        path: list[str] = []
        while anc.i != child.i and depth < 12:
            if gov is None and poss[anc.i] in ("VERB", "AUX"):
                gov = anc
            if is_cue[anc.i]:
                f.append("ca=" + lowers[anc.i])
                f.append("cr=" + child.dep_)
                f.append("crd=" + child.dep_ + "|" + _bucket(depth))
                f.append("crq=" + child.dep_ + "|" + str(inq[i]))
                f.append("cs=" + ("L" if i < anc.i else "R") + "|" + child.dep_)
                if i == child.left_edge.i:
                    f.append("cle=" + child.dep_)
                if i == child.right_edge.i:
                    f.append("cre=" + child.dep_)
                if depth > 1:
                    f.append("cp=" + child.dep_ + ">" + path[-1])
                break
            path.append(child.dep_)
            child, anc, depth = anc, anc.head, depth + 1
        else:
            f.append("ca=none")
        if gov is not None:
            f.append("gv=" + lowers[gov.i])
        if t.dep_ == "ROOT":
            f.append("root")
        # token distance to the nearest cue word, left and right
        while ci < len(cue_idx) and cue_idx[ci] < i:
            ci += 1
        dl = i - cue_idx[ci - 1] if ci > 0 else 99
        dr = cue_idx[ci] - i if ci < len(cue_idx) else 99
        if ci < len(cue_idx) and cue_idx[ci] == i:
            dr = 0
        f.append("cdl=" + _bucket(dl))
        f.append("cdr=" + _bucket(dr))
        for k in (-3, 3):
            if 0 <= i + k < n:
                f.append(f"{k}w=" + lowers[i + k])
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
            f.append("bw=" + lowers[i - 1] + "|" + lowers[i])
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
    """The CRF's weights as arrays (read from the model dump), for marginals at a temperature.

    Averaged-perceptron weights are large, so crfsuite's own marginals overflow; scaling the
    scores by a temperature fitted on dev gives usable probabilities.
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
        self.rows: dict[str, int] = {}  # feature -> row of ``self.state``
        cells: list[tuple[int, int, float]] = []
        for attr, lab, w in _DUMP_LINE.findall(states_text):
            row = self.rows.setdefault(attr, len(self.rows))
            cells.append((row, index[lab], float(w)))
        self.state = numpy.zeros((len(self.rows), n))
        for row, col, w in cells:
            self.state[row, col] = w

    def scores(self, feats: list[list[str]]) -> numpy.ndarray:
        """The state score of every label (columns) at every token (rows)."""
        get = self.rows.get
        tokens: list[int] = []
        rows: list[int] = []
        for i, f in enumerate(feats):
            for a in f:
                r = get(a)
                if r is not None:
                    tokens.append(i)
                    rows.append(r)
        out = numpy.zeros((len(feats), len(self.labels)))
        numpy.add.at(out, numpy.asarray(tokens, dtype=numpy.intp), self.state[numpy.asarray(rows, dtype=numpy.intp)])
        return out

    def marginals(self, feats: list[list[str]], temperature: float) -> numpy.ndarray:
        """P(label | token) for each token (rows) and label (columns, in ``self.labels`` order)."""
        return self.marginals_of(self.scores(feats), temperature)

    def marginals_of(self, scores: numpy.ndarray, temperature: float) -> numpy.ndarray:
        s = scores / temperature
        tr = self.trans / temperature
        with numpy.errstate(over="ignore", invalid="ignore"):
            p = _scaled_marginals(s, tr)
        if numpy.isfinite(p).all():
            return p
        return _log_marginals(s, tr)  # weights too large for the scaled form


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

    def __init__(self, model_path: Path, cues: frozenset[str], temperature: float = 1.0,
                 nlp: Language | None = None) -> None:
        import pycrfsuite

        self._crf = pycrfsuite.Tagger()
        self._crf.open(str(model_path))
        self.cues = cues
        self.temperature = temperature
        self.model_path = model_path
        self._nlp = nlp
        self._weights: Weights | None = None

    @classmethod
    def from_files(cls, model_path: Path, cues_path: Path, meta_path: Path | None = None) -> Tagger:
        words = cues_path.read_text(encoding="utf-8").split()
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path and meta_path.is_file() else {}
        return cls(model_path, frozenset(words), float(meta.get("temperature", 1.0)))

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
        if self._nlp is None:
            from .. import nlp as nlp_mod

            self._nlp = nlp_mod.load()
        skip = [n for n in _SKIP if n in self._nlp.pipe_names]
        doc = self._nlp(paragraph.doc.text, disable=skip)
        if len(doc) != len(paragraph.doc):
            log.warning("re-tokenised paragraph %d differs (%d vs %d tokens); not tagged",
                        paragraph.index, len(doc), len(paragraph.doc))
            return paragraph.doc[0:0].as_doc()
        return doc

    def _tag_doc(self, doc: Doc) -> list[str]:
        return list(self._crf.tag(doc_features(doc, self.cues))) if len(doc) else []

    def tag_with_confidence(self, doc: Doc) -> tuple[list[str], list[float]]:
        """Labels of a parsed doc and the probability of each label (marginals at ``temperature``)."""
        if not len(doc):
            return [], []
        feats = doc_features(doc, self.cues)
        labels = list(self._crf.tag(feats))
        if all(lab == "O" for lab in labels):  # no span: nothing needs a probability
            return labels, [1.0] * len(labels)
        marg = self.weights.marginals(feats, self.temperature)
        col = {lab: k for k, lab in enumerate(self.weights.labels)}
        return labels, [float(marg[i, col[lab]]) for i, lab in enumerate(labels)]

    def attributions(self, parsed: Parsed, *, only_parsed: bool = False,
                     skip: frozenset[int] = frozenset()) -> list[Attribution]:
        """The tagged attributions of an article, one per content span.

        ``only_parsed`` tags only the paragraphs the pipeline parsed (those with a reporting word), so
        nothing is parsed twice; otherwise skipped paragraphs are parsed here first. Paragraphs whose
        index is in ``skip`` are left out.
        """
        out: list[Attribution] = []
        for para in parsed.paragraphs:
            if (only_parsed and not para.parsed) or para.index in skip:
                continue
            doc = self._parsed_doc(para)
            labels, probs = self.tag_with_confidence(doc)
            if len(labels) != len(para.doc):
                continue
            out.extend(group(parsed.text, para, doc, labels, probs))
        return out


def _head(doc: Doc, i: int, j: int) -> int:
    """The token of doc[i:j] whose head lies outside the span (the first such)."""
    for k in range(i, j):
        h = doc[k].head.i
        if h < i or h >= j or h == k:
            return k
    return i


def _sent_id(doc: Doc) -> list[int]:
    ids = [0] * len(doc)
    for n, s in enumerate(doc.sents):
        for k in range(s.start, s.end):
            ids[k] = n
    return ids


def _kind(doc: Doc, i: int, j: int) -> Kind:
    toks = [t for t in doc[i:j] if not t.is_space]
    quotes = [t for t in toks if _is_quote(t) and t.text != "’"]
    if not quotes:
        return "indirect"
    inner = [t for t in toks if not t.is_punct]
    state = _quote_state(doc)
    quoted = sum(1 for t in inner if state[t.i] or _is_quote(t))
    if inner and quoted == len(inner):
        return "direct"
    return "mixed"


def _gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    if a[1] <= b[0]:
        return b[0] - a[1]
    if b[1] <= a[0]:
        return a[0] - b[1]
    return 0


def _nearest_cue(doc: Doc, sent: list[int], cues: list[tuple[int, int]], span: tuple[int, int],
                 window: int) -> int | None:
    """Index in ``cues`` of the cue that governs or sits next to ``span``: dependency link first, then adjacency."""
    if not cues:
        return None
    head = doc[_head(doc, *span)]
    anc = {a.i for a in head.ancestors}
    best, best_key = None, None
    for n, (ci, cj) in enumerate(cues):
        linked = any(k in anc or doc[k].head.i == head.i for k in range(ci, cj))
        same = sent[ci] == sent[span[0]] or sent[cj - 1] == sent[span[1] - 1]
        gap = _gap((ci, cj), span)
        if not linked and not same and gap > window:
            continue
        key = (not linked, not same, gap)
        if best_key is None or key < best_key:
            best, best_key = n, key
    return best


def group(text: str, para: Paragraph, doc: Doc, labels: list[str], probs: list[float]) -> list[Attribution]:
    """Tagged spans of one paragraph (``doc``: its parse) -> Attributions: each content span with its
    cue and that cue's source."""
    spans = spans_from_bio(labels)
    cues = [(i, j) for r, i, j in spans if r == "C"]
    sources = [(i, j) for r, i, j in spans if r == "S"]
    contents = [(i, j) for r, i, j in spans if r == "Q"]
    if not contents:
        return []
    sent = _sent_id(doc)
    # each cue's source: a source span linked to it in the tree (subject), else the nearest in its sentence
    cue_source: dict[int, tuple[int, int] | None] = {}
    for n, c in enumerate(cues):
        pick = _nearest_cue(doc, sent, [s for s in sources], c, window=6)
        cue_source[n] = sources[pick] if pick is not None else None
    out = []
    for q in contents:
        n = _nearest_cue(doc, sent, cues, q, window=8)
        cue = cues[n] if n is not None else None
        src = cue_source.get(n) if n is not None else None
        toks = [q] + ([cue] if cue else [])
        ps = [probs[k] for a, b in toks for k in range(a, b) if not doc[k].is_space]
        conf = round(sum(ps) / len(ps), 3) if ps else 0.0
        out.append(Attribution(
            kind=_kind(doc, *q),
            content=para.span(text, *q),
            cue=para.span(text, *cue) if cue else None,
            source=para.span(text, *src) if src else None,
            paragraph=para.index,
            source_head=_head(doc, *src) if src else None,
            cue_head=_head(doc, *cue) if cue else None,
            confidence=conf,
            rule="tagger",
        ))
    return out


def _model_files() -> tuple[Path, Path, Path]:
    """The shipped model, its cue list and its settings (files inside the installed package)."""
    base = resources.files("onrecord") / "models"
    model, cues, meta = (Path(str(base / f"{MODEL_NAME}{ext}")) for ext in (".crfsuite", ".cues.txt", ".json"))
    return model, cues, meta


@lru_cache(maxsize=1)
def load_tagger() -> Tagger:
    """The tagger shipped with onrecord (loaded once per process, offline)."""
    model, cues, meta = _model_files()
    if not model.is_file():
        from ..errors import ModelNotFound

        raise ModelNotFound(
            f"the attribution tagger model is missing ({model}); rebuild it with\n"
            "  python eval/train_tagger.py --data ../shared/data/polnear --out src/onrecord/models/tagger"
        )
    log.debug("loading attribution tagger %s", model)
    return Tagger.from_files(model, cues, meta)
