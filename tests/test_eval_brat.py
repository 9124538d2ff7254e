from __future__ import annotations

import pytest

from onrecord.evaluation.brat import BratError, load_split, parse_ann
from onrecord.evaluation.spans import text_of

TEXT = "Mayor Ilse Brandt said the ferry would run. “It runs,” she added, “every hour.”"
#       0         1         2         3         4         5         6         7
ANN = "\n".join([
    "T1\tSource 0 17\tMayor Ilse Brandt",
    "T2\tCue 18 22\tsaid",
    "T3\tContent 23 42\tthe ferry would run",
    "T4\tAttribution 18 22\tsaid",
    "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
    "T5\tSource 55 58\tshe",
    "T6\tCue 59 64\tadded",
    "T7\tContent 44 54;66 79\t“It runs,” “every hour.”",
    "T8\tAttribution 59 64\tadded",
    "E2\tAttribution:T8 Cue:T6 Source:T5 Content:T7",
    "T9\tCue 0 5\tMayor",
    "T10\tContent 23 32\tthe ferry",
    "T11\tAttribution-no-source 0 5\tMayor",
    "E3\tAttribution:T11 Cue:T9 Content:T10",
    "T12\tDiscuss 0 5\tMayor",
])


def test_parse_ann_relations():
    rels = parse_ann(ANN)
    assert len(rels) == 3
    by_cue = {text_of(TEXT, r.cue): r for r in rels}
    said, added, mayor = by_cue["said"], by_cue["added"], by_cue["Mayor"]
    assert text_of(TEXT, said.source) == "Mayor Ilse Brandt"
    assert text_of(TEXT, said.content) == "the ferry would run"
    assert added.content == ((44, 54), (66, 79))  # discontinuous content kept as fragments
    assert mayor.source is None


def test_content2_adds_fragments():
    ann = "T1\tContent 0 5\tMayor\nT2\tContent 23 32\tthe ferry\nT3\tCue 18 22\tsaid\nE1\tCue:T3 Content:T1 Content2:T2"
    (rel,) = parse_ann(ann)
    assert rel.content == ((0, 5), (23, 32))


def test_span_text_over_a_line_break_is_read_past():
    """A span whose text holds a line break continues on a line of its own (here one starting with "T")."""
    ann = "T1\tContent 0 31\tThe ferry\nThe number of people\nT2\tCue 32 36\tsaid\nE1\tCue:T2 Content:T1"
    (rel,) = parse_ann(ann)
    assert rel.content == ((0, 31),) and rel.cue == ((32, 36),)


@pytest.mark.parametrize("bad", ["T1\tSource zero 16\tx", "E1", "E1\tCue=T1", "The ferry\tx"])
def test_bad_lines_raise(bad):
    with pytest.raises(BratError):
        parse_ann(bad)


def test_load_split_picks_first_annotator(tmp_path):
    split = tmp_path / "data" / "dev"
    (split / "text").mkdir(parents=True)
    (split / "attributions").mkdir()
    (split / "text" / "b_story.txt").write_text(TEXT, "utf-8")
    (split / "text" / "a_story.txt").write_text(TEXT, "utf-8")
    (split / "attributions" / "a_story_x2.ann").write_text(ANN, "utf-8")
    (split / "attributions" / "a_story_x1.ann").write_text(ANN.split("\nT5")[0], "utf-8")
    (split / "attributions" / "b_story_x9.ann").write_text(ANN, "utf-8")
    first = list(load_split(tmp_path, "dev"))
    assert [(d.name, d.annotator, len(d.relations)) for d in first] == [("a_story", "x1", 1), ("b_story", "x9", 3)]
    every = list(load_split(tmp_path / "data", "dev", annotator="all"))
    assert [d.key for d in every] == ["a_story_x1", "a_story_x2", "b_story_x9"]
    assert [d.name for d in load_split(split, "dev", limit=1)] == ["a_story"]


def test_load_split_missing(tmp_path):
    with pytest.raises(FileNotFoundError):
        list(load_split(tmp_path, "dev"))
