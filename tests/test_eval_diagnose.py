from __future__ import annotations

import pytest

from onrecord.evaluation.brat import GoldDoc, parse_ann
from onrecord.evaluation.diagnose import diagnose, is_belief_cue
from onrecord.evaluation.polnear import label, run_system
from onrecord.evaluation.labels import FormTagger
from onrecord.evaluation.scoring import PredStatement

# 0         1         2         3         4         5         6         7         8         9
TEXT = ("Ilse Brandt said the ferry would run daily. Okafor believes the pier is safe. "
        "The boats are new.")
ANN = "\n".join([
    "T1\tSource 0 11\tIlse Brandt",
    "T2\tCue 12 16\tsaid",
    "T3\tContent 17 42\tthe ferry would run daily",
    "E1\tAttribution:T2 Content:T3 Cue:T2 Source:T1",
    "T4\tSource 44 50\tOkafor",
    "T5\tCue 51 59\tbelieves",
    "T6\tContent 60 76\tthe pier is safe",
    "E2\tAttribution:T5 Content:T6 Cue:T5 Source:T4",
])
DOC = GoldDoc("d", "x", TEXT, parse_ann(ANN))


def categories(preds):
    run = run_system("t", lambda text: preds, [DOC])
    return diagnose(label([DOC], run, FormTagger())).by_category()


def test_fixture_offsets():
    assert [TEXT[a:b] for r in DOC.relations for a, b in r.content] == ["the ferry would run daily", "the pier is safe"]


@pytest.mark.parametrize(
    "preds, expected",
    [
        ([], {"missed indirect, cue", "missed belief/intention attribution, cue"}),
        ([PredStatement("indirect", ((17, 42),), ((12, 16),), ((0, 11),))],
         {"missed belief/intention attribution, cue"}),
        ([PredStatement("indirect", ((17, 42),), None, None)],
         {"source missing", "cue missing", "missed belief/intention attribution, cue"}),
        ([PredStatement("direct", ((17, 42),), ((12, 16),), ((44, 50),))],
         {"wrong source", "kind mismatch", "missed belief/intention attribution, cue"}),
        ([PredStatement("indirect", ((17, 38),), ((12, 16),), ((0, 11),)),
          PredStatement("indirect", ((60, 85),), ((51, 59),), ((44, 50),))],
         {"content boundary too short", "content boundary too long"}),
        ([PredStatement("indirect", ((17, 42),), ((12, 16),), ((0, 11),)),
          PredStatement("indirect", ((60, 76),), ((51, 59),), ((44, 50),)),
          PredStatement("indirect", ((82, 95),), ((78, 81),), None)],
         {"false positive narration, cue"}),
    ],
)
def test_categories(preds, expected):
    assert set(categories(preds)) == expected


@pytest.mark.parametrize("cue, belief", [("believes", True), ("wants", True), ("hoped", True),
                                          ("said", False), ("according to", False), ("is planning", True)])
def test_belief_cues(cue, belief):
    assert is_belief_cue(cue) is belief


THAT_TEXT = "Brandt said that the ferry runs. “It runs,” she said, “every hour.”"
THAT_ANN = "\n".join([
    "T1\tSource 0 6\tBrandt",
    "T2\tCue 7 11\tsaid",
    "T3\tContent 12 31\tthat the ferry runs",
    "E1\tAttribution:T2 Content:T3 Cue:T2 Source:T1",
    "T4\tContent 33 43;54 67\t“It runs,” “every hour.”",
    "T5\tSource 44 47\tshe",
    "T6\tCue 48 52\tsaid",
    "E2\tAttribution:T6 Content:T4 Cue:T6 Source:T5",
])


def test_boundary_conventions_are_named():
    doc = GoldDoc("t", "x", THAT_TEXT, parse_ann(THAT_ANN))
    assert [THAT_TEXT[a:b] for r in doc.relations for a, b in r.content] == ["that the ferry runs", "“It runs,”", "“every hour.”"]
    preds = [PredStatement("indirect", ((17, 31),), ((7, 11),), ((0, 6),)),
             PredStatement("direct", ((55, 65),), ((48, 52),), ((44, 47),))]
    run = run_system("t", lambda text: preds, [doc])
    cats = diagnose(label([doc], run, FormTagger())).by_category()
    assert set(cats) == {"content boundary: leading 'that' left out (PolNeAR includes it)",
                         "content: one part of a split quote (PolNeAR joins the parts)"}
