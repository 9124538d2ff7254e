from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from onrecord.evaluation import cofenet
from onrecord.evaluation.cofenet import (
    Segment,
    bio_chunks,
    labels_from_statements,
    perturb,
    rebuild,
    score_labels,
    widen_over_quotes,
)
from onrecord.evaluation.scoring import PredStatement

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"
VALID = SHARED / "data" / "polnear-cofenet" / "res" / "polnear" / "valid.txt"


@pytest.mark.parametrize(
    "labels, strict, expected",
    [
        (["B-source", "I-source", "B-cue", "O"], False, {("source", 0, 1), ("cue", 2, 2)}),
        (["O", "I-content", "I-content", "O"], False, {("content", 1, 2)}),  # I- without B- opens a span
        (["O", "I-content", "I-content", "O"], True, set()),
        (["B-content", "I-content", "I-cue", "I-content"], False, {("content", 0, 1), ("cue", 2, 2), ("content", 3, 3)}),
        (["B-content", "B-content", "I-content"], False, {("content", 0, 0), ("content", 1, 2)}),
        (["B-cue"], False, {("cue", 0, 0)}),
        ([], False, set()),
    ],
)
def test_bio_chunks(labels, strict, expected):
    assert bio_chunks(labels, strict) == expected


def test_exact_span_scoring():
    gold = [["B-source", "I-source", "B-cue", "B-content", "I-content", "I-content"]]
    pred = [["B-source", "I-source", "B-cue", "B-content", "I-content", "O"]]
    s = score_labels(gold, pred).roles
    assert (s["source"].f1, s["cue"].f1, s["content"].f1) == (1.0, 1.0, 0.0)


def test_rebuild_keeps_token_offsets_and_maps_ptb_quotes():
    segs = [Segment("a", ("``", "Go", "home", ",", "''", "she", "said", "."), ("O",) * 8),
            Segment("a", ("Fine", "."), ("O", "O"))]
    r = rebuild(segs)
    assert r.text == "“ Go home , ” she said .\n\nFine ."
    assert [r.text[a:b] for a, b in r.offsets][:5] == ["“", "Go", "home", ",", "”"]
    assert r.segments == [(0, 8), (8, 10)]


def test_labels_from_statements_overlap_and_priority():
    segs = [Segment("a", ("``", "Go", "home", ",", "''", "she", "said", "."), ("O",) * 8)]
    r = rebuild(segs)
    text = r.text
    content = ((text.index("Go"), text.index(",") + 1),)
    she = ((text.index("she"), text.index("she") + 2),)  # a partial overlap still labels the token
    said = ((text.index("said"), text.index("said") + 4),)
    labels = labels_from_statements(r, [PredStatement("direct", content, said, she)])
    assert labels == ["O", "B-content", "I-content", "I-content", "O", "B-source", "B-cue", "O"]
    widened = cofenet.align_quotes(text, [PredStatement("direct", ((text.index("Go"), text.index("home") + 4),))])
    assert labels_from_statements(r, widened)[:5] == ["B-content"] + ["I-content"] * 4


@pytest.mark.parametrize(
    "text, part, expected",
    [
        ("“ Go home , ” she said", "Go home", "“ Go home , ”"),
        ("he said the boat is late .", "the boat is late", "the boat is late"),
        ('" Yes . "', "Yes", '" Yes . "'),
    ],
)
def test_widen_over_quotes(text, part, expected):
    a = text.index(part)
    x, y = widen_over_quotes(text, a, a + len(part))
    assert text[x:y] == expected


def test_gold_vs_gold_is_one_and_perturbed_is_lower():
    gold = [["B-source", "B-cue", "B-content", "I-content", "I-content", "O"] * 5]
    same, worse = score_labels(gold, gold), score_labels(gold, [perturb(g, random.Random(1), rate=1.0) for g in gold])
    assert all(c.f1 == 1.0 for c in same.roles.values())
    assert worse.roles["content"].f1 < 1.0


def test_predict_labels_per_article_and_per_segment():
    segs = [Segment("a", ("Hi", "."), ("O", "O")), Segment("a", ("Bye", "."), ("O", "O")),
            Segment("b", ("Yo", "."), ("O", "O"))]
    seen: list[str] = []

    def system(text: str) -> list[PredStatement]:
        seen.append(text)
        return [PredStatement("indirect", ((0, 2),))]

    labels = cofenet.predict_labels(segs, system, "article")
    assert seen == ["Hi .\n\nBye .", "Yo ."]
    assert labels == [["B-content", "O"], ["O", "O"], ["B-content", "O"]]
    seen.clear()
    assert cofenet.predict_labels(segs, system, "segment")[1] == ["B-content", "O"]
    assert len(seen) == 3


def test_read_segments_rejects_bad_lines(tmp_path):
    p = tmp_path / "x.txt"
    p.write_text(json.dumps({"tokens": ["a"], "labels": ["O", "O"], "id": "z"}) + "\n", "utf-8")
    with pytest.raises(ValueError, match="1 tokens but 2 labels"):
        cofenet.read_segments(p)


def test_self_check_on_the_real_files():
    if not VALID.is_file():
        pytest.skip(f"../shared/data/polnear-cofenet not present: {VALID}")
    segments = cofenet.read_segments(VALID)
    same, worse = cofenet.self_check(segments)
    assert all(c.f1 == 1.0 and c.n_gold > 0 for c in same.roles.values())
    assert all(c.f1 < 1.0 for c in worse.roles.values())


def test_cli_cofenet_json(tmp_path):
    from click.testing import CliRunner

    from onrecord.cli.main import cli

    seg = {"tokens": ["The", "mayor", "said", "the", "pier", "would", "reopen", "."],
           "labels": ["B-source", "I-source", "B-cue", "B-content", "I-content", "I-content", "I-content", "O"],
           "id": "story_x1"}
    path = tmp_path / "valid.txt"
    path.write_text(json.dumps(seg) + "\n", "utf-8")
    result = CliRunner().invoke(cli, ["eval", "cofenet", str(path), "--self-check", "--format", "json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["self_check"]["gold_vs_gold"]["content"]["f1"] == 1.0
    assert out["results"]["onrecord"]["roles"]["cue"]["n_gold"] == 1


@pytest.mark.parametrize(
    "text, part, expected",
    [
        ("he said that the boat is late .", "the boat is late", "that the boat is late"),
        ("he said the boat is late .", "the boat is late", "the boat is late"),
        ("she said whatthat boat is late", "boat is late", "boat is late"),
    ],
)
def test_alignment_takes_in_a_leading_that(text, part, expected):
    a = text.index(part)
    [st] = cofenet.align_quotes(text, [PredStatement("indirect", ((a, a + len(part)),))])
    (x, y), = st.content
    assert text[x:y] == expected
