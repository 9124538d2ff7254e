from __future__ import annotations

from pathlib import Path

import pytest

from onrecord.links.denials import Report, Said, link_stances, stance, what_is_claimed
from onrecord.links.linker import run_links
from onrecord.model import Article, Record, Speaker, Span, Statement
from onrecord.store import Ledger


@pytest.mark.parametrize("content, cue, lead, flags, expected", [
    ("reports that a ceasefire had been agreed were not true", "said", "", (), "denial"),
    ("the claims are baseless", "said", "", (), "denial"),
    ("it had agreed to sell the unit", "denied", "", (), "denial"),
    ("it had agreed to sell the unit", "", "The company denied that ", (), "denial"),
    ("there was no truth to market rumours of a merger", "said", "", (), "denial"),
    ("that story is completely fabricated", "told reporters", "", (), "denial"),
    ("the talks went well", "said", "", ("denial",), "denial"),
    ("it had received a bid", "confirmed", "", (), "confirmation"),
    ("it had received a bid", "", "The company confirmed that ", (), "confirmation"),
    ("the figures are true", "said", "", ("confirmation",), "confirmation"),
    ("the talks were held in Oslo", "said", "", (), None),
    ("it would reject the offer", "said", "", (), None),
    ("he could not confirm the report", "said", "", (), None),
    ("the company had no plans to sell the unit", "said", "", (), None),
    ("the harbour would reopen on Monday", "said", "", (), None),
])
def test_stance(content, cue, lead, flags, expected):
    assert stance(content, cue, flags=flags, lead=lead) == expected


def test_rejected_reports_in_the_sentence_is_a_denial():
    context = "The ministry on Friday rejected media reports that the border would close"
    assert stance("the border would close", "rejected", context) == "denial"
    assert stance("the border would close", "said", "The minister said") is None


# -- linking ----------------------------------------------------------------------------------------------------

def test_links_a_denial_to_the_statement_it_denies_across_articles():
    said = [
        Said(1, 10, "2024-02-01", "the Velmar refinery will be sold to Ostrava Energy next month", identity=1),
        Said(2, 11, "2024-02-01", "quarterly output at the Velmar plant rose four percent", identity=2),
        Said(3, 12, "2024-02-03", "reports that the Velmar refinery would be sold to Ostrava Energy were untrue",
             identity=3),
        Said(4, 13, "2024-02-02", "the harbour at Velmar froze over", identity=4),
    ]
    stances, links = link_stances(said)
    assert stances == {3: "denial"}
    assert [(k.statement_id, k.target_statement_id, k.relation) for k in links] == [(3, 1, "denies")]


def test_time_window_and_same_speaker_are_respected():
    said = [
        Said(1, 10, "2023-01-01", "the Velmar refinery will be sold to Ostrava Energy", identity=1),
        Said(2, 12, "2024-02-03", "reports that the Velmar refinery would be sold to Ostrava Energy were untrue",
             identity=3),
        Said(3, 13, "2024-02-01", "the Velmar refinery will be sold to Ostrava Energy", identity=3),
    ]
    _, links = link_stances(said)
    assert links == []


def test_copies_of_the_same_wire_story_are_not_targets():
    said = [
        Said(1, 10, "2024-02-03", "claims that Ostrava Energy will buy the Velmar refinery are baseless",
             identity=1, dup=10),
        Said(2, 11, "2024-02-03", "claims that Ostrava Energy will buy the Velmar refinery are baseless",
             identity=2, dup=10),
    ]
    _, links = link_stances(said)
    assert links == []


def test_a_denied_report_without_a_statement_links_to_the_article():
    said = [Said(1, 20, "2024-02-03", "reports that Ostrava Energy would buy the Velmar refinery were untrue")]
    reports = [Report(19, "2024-02-02", "Ostrava Energy to buy Velmar refinery\nOstrava Energy plans to buy..."),
               Report(18, "2024-02-02", "Harbour freezes\nThe harbour at Nordvik froze."),
               Report(20, "2024-02-03", "Velmar sale denied")]
    _, links = link_stances(said, reports)
    assert [(k.target_statement_id, k.target_article_id) for k in links] == [(None, 19)]


def test_confirmation_links_within_the_same_article():
    said = [Said(1, 5, "2024-03-01", "the mayor will resign after the budget vote", identity=1),
            Said(2, 5, "2024-03-01", "the mayor would resign after the vote on the budget", cue="confirmed",
                 identity=2)]
    stances, links = link_stances(said)
    assert stances == {2: "confirmation"}
    assert [(k.statement_id, k.target_statement_id, k.relation) for k in links] == [(2, 1, "confirms")]


def _record(text: str, published: str, said: list[tuple[str, str, str, str]]) -> Record:
    out = []
    for content, cue, name, type_ in said:
        i = text.index(content)
        j = text.index(cue)
        out.append(Statement("indirect", Span.of(text, i, i + len(content)), Span.of(text, j, j + len(cue)),
                             Speaker(name, type_)))
    return Record(Article(text=text, published=published), tuple(out))


def test_denial_links_in_a_ledger():
    with Ledger.open(":memory:") as ledger:
        ledger.add(_record("Union leader Ada Brink said dock workers at Port Selden would strike on Monday.",
                           "2024-04-01",
                           [("dock workers at Port Selden would strike on Monday", "said", "Ada Brink", "person")]))
        ledger.add(_record("The port authority denied that dock workers at Port Selden would strike. "
                           "It said ferries were running.", "2024-04-02",
                           [("dock workers at Port Selden would strike", "denied", "port authority", "organization"),
                            ("ferries were running", "said", "port authority", "organization")]))
        run_links(ledger.conn)
        rows = ledger.conn.execute(
            "SELECT s.content, t.content, l.relation FROM statement_links l JOIN statements s ON s.id = l.statement_id"
            " JOIN statements t ON t.id = l.target_statement_id").fetchall()
        assert [tuple(r) for r in rows] == [("dock workers at Port Selden would strike",
                                             "dock workers at Port Selden would strike on Monday", "denies")]
        stances = ledger.conn.execute("SELECT statement_id, stance FROM statement_stance").fetchall()
        assert [tuple(r) for r in stances] == [(2, "denial")]


@pytest.mark.parametrize("flags", [(), ("confirmation",)])
def test_a_question_is_neither(flags):
    assert stance("the tool was used for leather", "confirm", lead="How did you confirm ", flags=flags,
                  question=True) is None


def test_a_reported_denial_inside_the_content_is_not_the_speakers_denial():
    with Ledger.open(":memory:") as ledger:
        ledger.add(_record("A newspaper reported that the council denied all claims that the bridge was unsafe.",
                           "2024-04-02", [("the council denied all claims that the bridge was unsafe", "reported",
                                           "newspaper", "outlet")]))
        run_links(ledger.conn)
        assert ledger.conn.execute("SELECT count(*) FROM statement_stance").fetchone()[0] == 0


def test_a_target_must_carry_the_names_of_what_is_denied():
    said = [
        Said(1, 10, "2024-02-01", "the Velmar refinery will be sold to Ostrava Energy next month", identity=1),
        Said(2, 11, "2024-02-01", "the Kessing refinery will be sold to Brandt Oil next month", identity=2),
        Said(3, 12, "2024-02-03", "reports that the Kessing refinery would be sold to Brandt Oil were untrue",
             identity=3),
    ]
    _, links = link_stances(said)
    assert [(k.statement_id, k.target_statement_id) for k in links] == [(3, 2)]
    _, links = link_stances([said[0], said[2]])
    assert links == []


# -- what a denial is about ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("content, speaker, around, has, of_reports, anaphor", [
    ("reports that the Velmar refinery would be sold were untrue", "Ostrava Energy", "", {"velmar", "refinery", "sold"},
     True, False),
    ("while talks went well, reports of a truce with Dunmore \"are not true.\"", "Ada Brink", "", {"truce", "dunmore"},
     True, False),
    ("reports that it raised its offer for Kessing Mills", "Ostrava Energy", "", {"ostrava", "raised", "kessing"}, True,
     False),
    ("the accusation", "the mayor", "For days the mayor denied ... .", set(), False, True),
    ("No, that is not true at all", "the mayor", "", set(), False, True),
    ("No, that is not true at all", "the mayor",
     ('" ... ," the mayor said when asked about a report that the harbour fund paid for his yacht.'),
     {"harbour", "fund", "yacht"}, True, False),
    ("the harbour would reopen on Monday", "the mayor", "", {"harbour", "reopen"}, False, False),
])
def test_what_is_claimed(content, speaker, around, has, of_reports, anaphor):
    claim = what_is_claimed(Said(1, 1, None, content, speaker=speaker, around=around))
    assert {w[:4] for w in has} <= {w[:4] for w in claim.stems}
    assert (claim.of_reports, claim.anaphor) == (of_reports, anaphor)


# -- links in a ledger: (text, date, [(content, cue, speaker, type)]) per article; expected (denial, target) ---------

REPORT = ("The Harbour Post reported that Ostrava Energy plans to buy the Kessing steel mill for 40 million euros.",
          "2024-03-01", [("Ostrava Energy plans to buy the Kessing steel mill for 40 million euros", "reported",
                          "Harbour Post", "outlet")])
DENIAL = ("Ostrava Energy on Sunday denied reports that it plans to buy the Kessing steel mill.", "2024-03-03",
          [("reports that it plans to buy the Kessing steel mill", "denied", "Ostrava Energy", "organization")])


def _links(articles: list[tuple[str, str, list[tuple[str, str, str, str]]]]) -> list[tuple[str, str]]:
    with Ledger.open(":memory:") as ledger:
        for text, published, said in articles:
            ledger.add(_record(text, published, said))
        run_links(ledger.conn)
        rows = ledger.conn.execute(
            "SELECT s.content, COALESCE(t.content, a.title, 'article ' || a.id) FROM statement_links l"
            " JOIN statements s ON s.id = l.statement_id LEFT JOIN statements t ON t.id = l.target_statement_id"
            " LEFT JOIN articles a ON a.id = l.target_article_id ORDER BY l.statement_id").fetchall()
        return [tuple(r) for r in rows]


@pytest.mark.parametrize("articles, expected", [
    pytest.param(  # the article carries the report it denies
        [(("Local papers reported that the Velmar refinery would close in May, citing union sources. The energy "
           "ministry said reports of a closure of the Velmar refinery in May were not true."), "2024-03-01",
          [("the Velmar refinery would close in May", "reported", "Local papers", "outlet"),
           ("reports of a closure of the Velmar refinery in May were not true", "said", "energy ministry",
            "organization")])],
        [("reports of a closure of the Velmar refinery in May were not true",
          "the Velmar refinery would close in May")],
        id="same-article"),
    pytest.param([REPORT, DENIAL],
                 [("reports that it plans to buy the Kessing steel mill",
                   "Ostrava Energy plans to buy the Kessing steel mill for 40 million euros")],
                 id="earlier-article"),
    pytest.param([("Ostrava Energy reported higher profits at its Velmar power plant on Friday.", "2024-03-01",
                   [("higher profits at its Velmar power plant", "reported", "Ostrava Energy", "organization")]),
                  DENIAL], [], id="unrelated-article"),
    pytest.param([(REPORT[0], "2024-03-05", REPORT[2]), DENIAL], [], id="later-article"),
    pytest.param([("Ostrava Energy said on Friday that it plans to buy the Kessing steel mill for 40 million euros.",
                   "2024-03-01", [("it plans to buy the Kessing steel mill for 40 million euros", "said",
                                   "Ostrava Energy", "organization")]), DENIAL], [], id="same-speaker"),
    pytest.param(  # "the accusation" names no proposition: the claim just before it
        [(("Senator Ada Brink said the port director took bribes from shipping firms. The port director denied "
           "the accusation."), "2024-03-01",
          [("the port director took bribes from shipping firms", "said", "Ada Brink", "person"),
           ("the accusation", "denied", "port director", "organization")])],
        [("the accusation", "the port director took bribes from shipping firms")], id="anaphor"),
    pytest.param(  # a content that keeps its complementizer (the accurate engine's): the claim is what follows
        [("Traders said Ostrava Energy raised its offer for the Kessing steel mill to 50 million euros.",
          "2024-03-01", [("Ostrava Energy raised its offer for the Kessing steel mill to 50 million euros", "said",
                          "Traders", "anonymous")]),
         ("Ostrava Energy denied reports that it raised its offer for the Kessing steel mill.", "2024-03-03",
          [("that it raised its offer for the Kessing steel mill", "denied reports", "Ostrava Energy",
            "organization")])],
        [("that it raised its offer for the Kessing steel mill",
          "Ostrava Energy raised its offer for the Kessing steel mill to 50 million euros")],
        id="content-with-that"),
])
def test_links_in_a_ledger(articles, expected):
    assert _links(articles) == expected


@pytest.mark.parametrize("content, cue, linked", [
    ("reports that Ostrava Energy would buy the Kessing steel mill for 40 million euros", "denied", True),
    ("Ostrava Energy would buy the Kessing steel mill for 40 million euros", "denied", True),
    ("the Ostrava Energy offer of 40 million euros for the Kessing steel mill", "rejected", False),
    ("the Ostrava Energy application to buy the Kessing steel mill for 40 million euros", "denied", False),
])
def test_only_a_denial_of_a_claim_is_linked(content, cue, linked):
    said = [Said(1, 10, "2024-03-01", "Ostrava Energy plans to buy the Kessing steel mill for 40 million euros",
                 identity=1),
            Said(2, 11, "2024-03-03", content, cue=cue, flags=("denial",), identity=2)]
    stances, links = link_stances(said)
    assert stances == {2: "denial"}
    assert [(k.statement_id, k.target_statement_id) for k in links] == ([(2, 1)] if linked else [])


def test_denial_of_reports_links_to_sources_account_in_same_article():
    # a spokesman says "reports of X are not true" while the article carries unnamed sources' account of X,
    # which shares only one rare word with the denial and none of its names
    text = ("Velmari spokesman Oren Dask said that while there was progress at the meetings, reports of an agreement "
            "on a truce and talks with Dunmore \"are not true.\" Earlier, unnamed Velmari sources quoted by the "
            "Harbour Post had said that the group offered assurances on the border. \"In 18 months, if the "
            "garrison is withdrawn and a truce is in force then other steps can follow,\" a Velmari source told the "
            "Harbour Post, quoting from the draft.")
    denial = ('while there was progress at the meetings, reports of an agreement on a truce and talks with Dunmore '
              '"are not true."')
    account = "In 18 months, if the garrison is withdrawn and a truce is in force then other steps can follow"
    links = _links([(text, "2024-01-26", [
        (denial, "said", "Oren Dask", "person"),
        ("the group offered assurances on the border", "said", "unnamed Velmari sources", "anonymous"),
        (account, "told", "a Velmari source", "anonymous")])])
    assert links == [(denial, account)]


SEED = Path(__file__).resolve().parents[1] / ".." / "shared" / "seed"


def test_seed_denial_links_to_the_sources_account(tmp_path):
    if not SEED.is_dir():
        pytest.skip("../shared/seed not present: the seed page is read from there")
    with Ledger.open(tmp_path / "seed.db") as ledger:
        ledger.ingest([SEED])
        run_links(ledger.conn)
        rows = ledger.conn.execute(
            "SELECT s.flags, t.speaker_type, t.speaker_name, s.speaker_name FROM statement_links l"
            " JOIN statements s ON s.id = l.statement_id JOIN statements t ON t.id = l.target_statement_id").fetchall()
    assert len(rows) == 1
    flags, target_type, target_name, speaker = rows[0]
    assert "denial" in flags and target_type == "anonymous" and target_name != speaker


@pytest.mark.parametrize(("cue", "accuses", "claims"), [
    ("accused", True, True),
    # the accurate engine keeps auxiliaries and adverbs in its cues (regression: "have repeatedly accused"
    # was no accusation, and its denial went unlinked)
    ("have repeatedly accused", True, True),
    ("also said", False, True),
    ("was never told", False, True),
    ("declined", False, False),
    ("have repeatedly declined", False, False),
])
def test_cue_words_before_the_verb(cue: str, accuses: bool, claims: bool) -> None:
    from onrecord.links.denials import _ACCUSES, _CLAIM_CUE, _cue_is

    assert (_cue_is(_ACCUSES, cue), _cue_is(_CLAIM_CUE, cue)) == (accuses, claims)
