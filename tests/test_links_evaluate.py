from __future__ import annotations

import random
from pathlib import Path

import pytest

from onrecord.links.evaluate import GOLD, locate, make_copy, score_denials, score_links, score_speakers
from onrecord.links.linker import run_links
from onrecord.model import Article, Record, Speaker, Span, Statement
from onrecord.store import Ledger

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
WIRE = ("The port authority of Selden said on Tuesday that dock workers would return to work after a two-day "
        "strike over pay. Talks with the union would resume next week, a spokeswoman said. Ferries to the "
        "islands were running on a reduced timetable. Freight traffic was expected to recover by Friday, and "
        "the company said shares rose in early trading.")


@pytest.mark.parametrize("snippet, text, near, expected", [
    ("dock workers", "the dock workers said", None, (4, 16)),
    ("dock workers would", "the dock\n   workers would", None, (4, 25)),
    ("harbour", "the dock workers", None, None),
    ("the rumors", "the rumors were untrue; he denied the rumors", None, (0, 10)),
    ("the rumors", "the rumors were untrue; he denied the rumors", 30, (34, 44)),
])
def test_locate(snippet, text, near, expected):
    assert locate(snippet, text, near) == expected


@pytest.mark.parametrize("source, part, text, expected", [
    # the ledger's copy lost a title line: offsets shift, and "the rumors" occurs twice
    ("TITLE\nThe rumors were untrue.  Coke denied the rumors on Monday.", "the rumors on",
     "The rumors were untrue. Coke denied the rumors on Monday.", (36, 49)),
    ("TITLE\nHe said it.", "it", "He said it.", (8, 10)),
])
def test_matcher_places_a_snippet_by_the_words_before_it(source, part, text, expected):
    from onrecord.links.evaluate import _Matcher

    start = source.index(part)
    assert _Matcher.place(source, start, start + len(part), text) == expected


def test_make_copy_is_deterministic():
    a, edits_a = make_copy(WIRE, random.Random(4))
    b, edits_b = make_copy(WIRE, random.Random(4))
    assert a == b and edits_a == edits_b and a != WIRE
    assert edits_a["boilerplate"] >= 1 and edits_a["dropped"] == 1 and edits_a["substituted"] >= 3


def _ledger(texts: dict[str, tuple[str, list[tuple[str, str, str]]]]) -> Ledger:
    ledger = Ledger.open(":memory:")
    for ext, (text, said) in texts.items():
        sts = []
        for content, name, type_ in said:
            i = text.index(content)
            sts.append(Statement("indirect", Span.of(text, i, i + len(content)), None, Speaker(name, type_)))
        ledger.add(Record(Article(text=text, id=ext, published="2024-05-01"), tuple(sts)))
    run_links(ledger.conn)
    return ledger


def test_score_speakers_counts_pairs_across_articles():
    sources = {"a": "Hana Moreau said the quay was closed.", "b": "Hana Moreau said the ferry was late.",
               "c": "Luc Moreau said the fees would rise."}
    ledger = _ledger({"a": (sources["a"], [("the quay was closed", "Hana Moreau", "person")]),
                      "b": (sources["b"], [("the ferry was late", "Hana Moreau", "person")]),
                      "c": (sources["c"], [("the fees would rise", "Luc Moreau", "person")])})
    gold = [{"article": k, "start": sources[k].index(c), "end": sources[k].index(c) + len(c), "speaker": s,
             "type": "person"} for k, c, s in [("a", "the quay was closed", "Hana Moreau"),
                                                ("b", "the ferry was late", "Hana Moreau"),
                                                ("c", "the fees would rise", "Hana Moreau")]]
    got = score_speakers(ledger.conn, gold, sources)
    assert got["matched"] == 3
    assert (got["end_to_end"]["tp"], got["end_to_end"]["fp"], got["end_to_end"]["fn"]) == (1, 0, 2)
    assert got["linker"]["statements"] == 2  # "Luc Moreau" does not name the gold speaker


def test_score_denials():
    sources = {"a": "The mayor denied that the quay was closed."}
    ledger = _ledger({"a": (sources["a"], [("the quay was closed", "mayor", "organization")])})
    i = sources["a"].index("the quay")
    got = score_denials(ledger.conn, [{"article": "a", "start": i, "end": i + 19, "stance": "denial"}], sources)
    assert got["denial"]["recall"] == 1.0 and got["denial"]["precision"] == 1.0


def _span(text: str, part: str) -> dict[str, int]:
    i = text.index(part)
    return {"start": i, "end": i + len(part)}


def test_score_links_counts_right_wrong_and_missed_links():
    sources = {
        "a": "The Harbour Post reported that Ostrava Energy plans to buy the Kessing steel mill.",
        "b": "Ostrava Energy denied reports that it plans to buy the Kessing steel mill.",
        "c": "Senator Ada Brink said the port director took bribes. The port director denied the accusation.",
    }
    ledger = Ledger.open(":memory:")
    said = {"a": [("Ostrava Energy plans to buy the Kessing steel mill", "Harbour Post", "outlet", "reported")],
            "b": [("reports that it plans to buy the Kessing steel mill", "Ostrava Energy", "organization", "denied")],
            "c": [("the port director took bribes", "Ada Brink", "person", "said"),
                  ("the accusation", "port director", "organization", "denied")]}
    for ext, day in (("a", "2024-05-01"), ("b", "2024-05-02"), ("c", "2024-05-02")):
        text = sources[ext]
        sts = [Statement("indirect", Span.of(text, text.index(c), text.index(c) + len(c)),
                         Span.of(text, text.index(cue), text.index(cue) + len(cue)), Speaker(n, t))
               for c, n, t, cue in said[ext]]
        ledger.add(Record(Article(text=text, id=ext, published=day), tuple(sts)))
    run_links(ledger.conn)
    gold = [
        # linked to the earlier report: right
        {"article": "b", **_span(sources["b"], said["b"][0][0]), "stance": "denial", "targets": [{"article": "a"}]},
        # linked to Brink's statement, but the gold says nothing in the ledger is the claim: wrong
        {"article": "c", **_span(sources["c"], "the accusation"), "stance": "denial", "targets": []},
        # a gold target the ledger has no link for: missed
        {"article": "a", **_span(sources["a"], said["a"][0][0]), "stance": "denial",
         "targets": [{"article": "c", **_span(sources["c"], "the port director took bribes")}]},
    ]
    got = score_links(ledger.conn, gold, sources)
    assert (got["tp"], got["fp"], got["fn"], got["links"]) == (1, 1, 1, 2)
    assert (got["precision"], got["recall"]) == (0.5, 0.5)
    assert got["other_article"] == "1/2" and got["links_outside_gold"] == 0 and got["wrong_on_non_stances"] == 0


def test_gold_sets_are_offsets_not_text():
    import json

    for name, minimum in (("speakers.json", 300), ("denials.json", 50)):
        rows = json.loads((GOLD / name).read_text())["statements"]
        assert len(rows) >= minimum
        assert all(set(r) <= {"article", "start", "end", "speaker", "type", "engine_ok", "note",
                              "stance"} for r in rows)


def test_denial_link_gold_is_offsets_and_labels():
    import json

    gold = json.loads((GOLD / "denial_links.json").read_text())
    rows = gold["statements"]
    assert sum(r["stance"] is not None for r in rows) >= 40
    assert all(set(r) == {"article", "start", "end", "stance", "targets", "note"} for r in rows)
    assert all(set(t) in ({"article"}, {"article", "start", "end"}) for r in rows for t in r["targets"])
    assert sum(bool(r["targets"]) for r in rows) >= 20


def test_denial_link_gold_offsets_fit_the_shared_articles():
    if not (SHARED / "reuters-21578" / "articles.jsonl.gz").exists():
        pytest.skip("../shared/data/reuters-21578 not present: the denial link gold indexes its articles")
    import json

    from onrecord.links.evaluate import read_corpus

    rows = json.loads((GOLD / "denial_links.json").read_text())["statements"]
    spans = [r for r in rows] + [t for r in rows for t in r["targets"] if "start" in t]
    texts = {r["id"]: r["text"] for r in read_corpus(SHARED.parent, {s["article"] for s in spans})}
    assert all(s["article"] in texts and 0 <= s["start"] < s["end"] <= len(texts[s["article"]]) for s in spans)


def test_gold_offsets_fit_the_shared_articles():
    if not (SHARED / "wikinews-sample" / "articles.jsonl").exists():
        pytest.skip("../shared/data/wikinews-sample not present: the gold offsets index its articles")
    import json

    from onrecord.links.evaluate import read_corpus

    rows = json.loads((GOLD / "speakers.json").read_text())["statements"]
    texts = {r["id"]: r["text"] for r in read_corpus(SHARED.parent, {r["article"] for r in rows})}
    assert all(r["article"] in texts and 0 <= r["start"] < r["end"] <= len(texts[r["article"]]) for r in rows)
