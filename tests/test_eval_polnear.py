from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from onrecord.cli.main import cli
from onrecord.evaluation.brat import GoldDoc, parse_ann
from onrecord.evaluation.polnear import evaluate, format_table, run_system
from onrecord.evaluation.scoring import PredStatement

TEXT = "Mayor Ilse Brandt said the ferry would run daily.\n\n“It runs every hour,” she added."
ANN = "\n".join([
    "T1\tSource 0 17\tMayor Ilse Brandt",
    "T2\tCue 18 22\tsaid",
    "T3\tContent 23 48\tthe ferry would run daily",
    "E1\tAttribution:T2 Content:T3 Cue:T2 Source:T1",
    "T4\tContent 51 72\t“It runs every hour,”",
    "T5\tSource 73 76\tshe",
    "T6\tCue 77 82\tadded",
    "E2\tAttribution:T6 Content:T4 Cue:T6 Source:T5",
])
DOC = GoldDoc("harbour", "x1", TEXT, parse_ann(ANN))


def gold_system(text: str) -> list[PredStatement]:
    kinds = ["indirect", "direct"]
    return [PredStatement(k, r.content, r.cue, r.source) for k, r in zip(kinds, DOC.relations)]


def shifted_system(text: str) -> list[PredStatement]:
    return [PredStatement(p.kind, tuple((a + 3, b + 3) for a, b in p.content), p.cue, None) for p in gold_system(text)]


def test_offsets_of_the_fixture():
    assert [TEXT[a:b] for r in DOC.relations for a, b in r.source] == ["Mayor Ilse Brandt", "she"]


def test_gold_as_prediction_scores_one():
    ev, _ = evaluate([DOC], run_system("gold", gold_system, [DOC]))
    assert set(ev.figures().values()) == {1.0}
    assert ev.kind_accuracy == 1.0
    assert ev.attribution.by["kind"]["direct"].recall == 1.0
    assert ev.attribution.by["form"]["pronoun"].n_gold == 1


def test_shifted_prediction_loses_exact_and_attribution():
    ev, _ = evaluate([DOC], run_system("shifted", shifted_system, [DOC]))
    fig = ev.figures()
    assert fig["content.exact"] == 0.0
    assert fig["content.overlap"] == 1.0
    assert fig["source.overlap"] == 0.0
    assert fig["attribution"] == 0.0  # contents match, sources missing
    assert "attribution" in format_table([ev])


def test_nothing_predicted():
    ev, _ = evaluate([DOC], run_system("none", lambda text: [], [DOC]))
    assert ev.attribution.total.n_gold == 2 and ev.attribution.total.f1 == 0.0


def test_cli_polnear_json(tmp_path):
    split = tmp_path / "dev"
    (split / "text").mkdir(parents=True)
    (split / "attributions").mkdir()
    (split / "text" / "harbour.txt").write_text(TEXT, "utf-8")
    (split / "attributions" / "harbour_x1.ann").write_text(ANN, "utf-8")
    result = CliRunner().invoke(cli, ["eval", "polnear", str(tmp_path), "--format", "json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    (res,) = out["results"]
    assert res["system"] == "onrecord"
    assert res["attribution"]["n_gold"] == 2
    assert 0.0 <= res["attribution"]["f1"] <= 1.0


def test_cli_polnear_missing_split(tmp_path):
    result = CliRunner().invoke(cli, ["eval", "polnear", str(tmp_path)])
    assert result.exit_code == 2
    assert "no PolNeAR split" in result.output


@pytest.mark.parametrize("peer", ["textacy"])
def test_cli_polnear_peer_only(tmp_path, peer):
    pytest.importorskip(peer)
    split = tmp_path / "dev"
    (split / "text").mkdir(parents=True)
    (split / "attributions").mkdir()
    (split / "text" / "harbour.txt").write_text(TEXT, "utf-8")
    (split / "attributions" / "harbour_x1.ann").write_text(ANN, "utf-8")
    result = CliRunner().invoke(cli, ["eval", "polnear", str(tmp_path), "--no-onrecord", "--peer", peer])
    assert result.exit_code == 0, result.output
    assert peer in result.stdout and "onrecord " not in result.stdout


def test_statements_sharing_a_cue_merge():
    from onrecord.evaluation.polnear import merge_shared_cues

    a = PredStatement("direct", ((0, 5),), ((10, 14),), ((7, 9),))
    b = PredStatement("direct", ((20, 30),), ((10, 14),), None)
    c = PredStatement("indirect", ((40, 50),), ((35, 39),), None)
    d = PredStatement("indirect", ((60, 70),), None, None)
    e = PredStatement("indirect", ((80, 90),), None, None)
    merged = merge_shared_cues([a, b, c, d, e])
    assert merged[0] == PredStatement("direct", ((0, 5), (20, 30)), ((10, 14),), ((7, 9),))
    assert merged[1:] == [c, d, e]  # no cue: never merged
    assert merge_shared_cues([a, PredStatement("indirect", ((20, 30),), ((10, 14),))])[0].kind == "mixed"


def test_split_quote_scores_as_one_relation():
    text = "“It runs,” she said, “every hour.”"
    ann = "T1\tContent 0 10;21 34\tx\nT2\tSource 11 14\tshe\nT3\tCue 15 19\tsaid\nE1\tCue:T3 Content:T1 Source:T2"
    doc = GoldDoc("s", "x", text, parse_ann(ann))
    halves = [PredStatement("direct", ((1, 8),), ((15, 19),), ((11, 14),)),
              PredStatement("direct", ((22, 32),), ((15, 19),), ((11, 14),))]
    merged, _ = evaluate([doc], run_system("m", lambda t: halves, [doc]))
    raw, _ = evaluate([doc], run_system("r", lambda t: halves, [doc], merge=False))
    assert merged.figures()["content.exact"] == 1.0
    assert raw.figures()["content.exact"] == 0.0 and raw.roles["cue"]["exact"].total.n_pred == 1


def test_interrupted_content_loses_its_own_cue_and_mention():
    from onrecord.evaluation.polnear import from_statement
    from onrecord.model import Span, Speaker, Statement
    from onrecord.evaluation.spans import text_of, trim

    text = "But to prevent problems, he said, officials should be vigilant."
    st = Statement("indirect", Span.of(text, 0, 62), Span.of(text, 28, 32), Speaker("Ola Berg", "person", Span.of(text, 25, 27)))
    pred = from_statement(st)
    assert text_of(text, trim(text, pred.content), "|") == "But to prevent problems|officials should be vigilant"
    assert pred.cue == ((28, 32),) and pred.source == ((25, 27),)


def test_precision_by_origin_tells_rules_from_the_learned_tagger():
    """Each prediction is tagged with where it came from; the report gives the precision of each."""
    def system(text: str) -> list[PredStatement]:
        right, wrong = gold_system(text)[0], PredStatement("indirect", ((0, 5),), None, None)
        return [PredStatement(right.kind, right.content, right.cue, right.source, "rules"),
                PredStatement(wrong.kind, wrong.content, None, None, "learned")]

    ev, _ = evaluate([DOC], run_system("two", system, [DOC]))
    origin = ev.attribution.by["origin"]
    assert (origin["rules"].precision, origin["rules"].n_pred) == (1.0, 1)
    assert (origin["learned"].precision, origin["learned"].n_pred) == (0.0, 1)
    assert "P of learned" in format_table([ev])


def test_from_statement_marks_learned_statements():
    from onrecord.evaluation.polnear import from_statement
    from onrecord.model import Span, Speaker, Statement

    def statement(flags: tuple[str, ...]) -> Statement:
        return Statement("indirect", Span("the port", 10, 18), Span("said", 5, 9), Speaker("Ruiz", "person"),
                         flags=flags)

    assert from_statement(statement(("learned",))).rule == "learned"
    assert from_statement(statement(())).rule == "rules"
