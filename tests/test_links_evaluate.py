from __future__ import annotations

import random
from pathlib import Path

import pytest

from onrecord.links.evaluate import GOLD, locate, make_copy, score_denials, score_speakers
from onrecord.links.linker import run_links
from onrecord.model import Article, Record, Speaker, Span, Statement
from onrecord.store import Ledger

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
WIRE = ("The port authority of Selden said on Tuesday that dock workers would return to work after a two-day "
        "strike over pay. Talks with the union would resume next week, a spokeswoman said. Ferries to the "
        "islands were running on a reduced timetable. Freight traffic was expected to recover by Friday, and "
        "the company said shares rose in early trading.")


@pytest.mark.parametrize("snippet, text, expected", [
    ("dock workers", "the dock workers said", (4, 16)),
    ("dock workers would", "the dock\n   workers would", (4, 25)),
    ("harbour", "the dock workers", None),
])
def test_locate(snippet, text, expected):
    assert locate(snippet, text) == expected


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


def test_gold_sets_are_offsets_not_text():
    import json

    for name, minimum in (("speakers.json", 300), ("denials.json", 50)):
        rows = json.loads((GOLD / name).read_text())["statements"]
        assert len(rows) >= minimum
        assert all(set(r) <= {"article", "start", "end", "speaker", "type", "engine_ok", "note",
                              "stance"} for r in rows)


def test_gold_offsets_fit_the_shared_articles():
    if not (SHARED / "wikinews-sample" / "articles.jsonl").exists():
        pytest.skip("../shared/data/wikinews-sample not present: the gold offsets index its articles")
    import json

    from onrecord.links.evaluate import read_corpus

    rows = json.loads((GOLD / "speakers.json").read_text())["statements"]
    texts = {r["id"]: r["text"] for r in read_corpus(SHARED.parent, {r["article"] for r in rows})}
    assert all(r["article"] in texts and 0 <= r["start"] < r["end"] <= len(texts[r["article"]]) for r in rows)
