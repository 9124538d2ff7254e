from __future__ import annotations

import itertools

import pytest

from onrecord.links.identity import Mention, Override, form_of, link_identities
from onrecord.links.linker import relink_identities, run_links
from onrecord.links.queries import add_override, find_identity, identity_speakers
from onrecord.model import Article, Record, Speaker, Span, Statement
from onrecord.store import Ledger

_ids = itertools.count(1)


def m(article: int, name: str | None, type: str = "person", role: str | None = None, aff: str | None = None,
      date: str = "2024-03-01") -> Mention:
    return Mention(next(_ids), article, date, name, type, role, aff, name)


def groups(mentions: list[Mention], **kw: object) -> list[set[str | None]]:
    """The names in each identity with more than one name form, as sets."""
    by_id = {x.statement_id: x for x in mentions}
    out = []
    for ident in link_identities(mentions, **kw):  # type: ignore[arg-type]
        names = {by_id[s].name for s in ident.statement_ids}
        out.append(names)
    return out


def same(mentions: list[Mention], a: int, b: int, **kw: object) -> bool:
    idents = link_identities(mentions, **kw)  # type: ignore[arg-type]
    where = {s: n for n, i in enumerate(idents) for s in i.statement_ids}
    return where[mentions[a].statement_id] == where[mentions[b].statement_id]


@pytest.mark.parametrize("mentions, a, b, expected", [
    # full names that agree merge across articles
    ([m(1, "Zalmay Khalilzad"), m(2, "Zalmay Khalilzad")], 0, 1, True),
    ([m(1, "Zalmay Khalilzad"), m(2, "Mr. Zalmay Khalilzad")], 0, 1, True),
    # people who share a surname never merge
    ([m(1, "Laura Bush"), m(2, "George Bush")], 0, 1, False),
    ([m(1, "Mara Quill", role="minister", aff="Ruritania"), m(2, "Tomas Quill", role="minister", aff="Ruritania")],
     0, 1, False),
    # a bare surname alone is no evidence across articles
    ([m(1, "Petra Lindqvist"), m(2, "Lindqvist")], 0, 1, False),
    # ... but a shared affiliation is
    ([m(1, "Petra Lindqvist", aff="Norland Bank"), m(2, "Lindqvist", aff="Norland Bank")], 0, 1, True),
    # ... unless two people with that surname are known
    ([m(1, "Petra Lindqvist", aff="Norland Bank"), m(3, "Anders Lindqvist", aff="Norland Bank"),
      m(2, "Lindqvist", aff="Norland Bank")], 0, 2, False),
    # an initial or a nickname needs evidence
    ([m(1, "Robert Okafor"), m(2, "Bob Okafor")], 0, 1, False),
    ([m(1, "Robert Okafor", role="coach"), m(2, "Bob Okafor", role="head coach")], 0, 1, True),
    ([m(1, "Robert Okafor", aff="Lagos FC"), m(2, "R. Okafor", aff="Lagos FC")], 0, 1, True),
    # a short form that could be two different people stays apart
    ([m(1, "George W. Bush", aff="U.S."), m(2, "George H. W. Bush", aff="U.S."), m(3, "George Bush", aff="U.S.")],
     0, 2, False),
    ([m(1, "George W. Bush", aff="U.S."), m(2, "George H. W. Bush", aff="U.S.")], 0, 1, False),
    # anonymous sources never merge, even with the same description
    ([m(1, "a Taliban source", "anonymous", aff="Taliban"), m(2, "a Taliban source", "anonymous", aff="Taliban")],
     0, 1, False),
    ([m(1, "a senior official", "anonymous"), m(1, "Karin Holm")], 0, 1, False),
    # organisations merge by name
    ([m(1, "the Interior Ministry", "organization"), m(2, "Interior Ministry", "organization")], 0, 1, True),
    # descriptions stay in their article
    ([m(1, "the company", "organization"), m(2, "the company", "organization")], 0, 1, False),
])
def test_merging(mentions, a, b, expected):
    assert same(mentions, a, b) is expected


def test_story_cooccurrence_is_evidence():
    ms = [m(1, "Petra Lindqvist"), m(2, "Lindqvist")]
    assert not same(ms, 0, 1)
    assert same(ms, 0, 1, story_of={1: 1, 2: 1})


def test_pronouns_and_missing_names_get_no_identity():
    assert form_of(m(1, None)) is None
    assert form_of(m(1, "he")) is None
    assert form_of(m(1, "a Taliban source", "anonymous")).startswith("anon:1:")


def test_identity_carries_aliases_roles_and_dates():
    ms = [m(1, "Zalmay Khalilzad", role="special envoy", aff="U.S.", date="2019-01-20"),
          m(2, "Zalmay Khalilzad", role="special envoy", aff="U.S.", date="2019-01-26"),
          m(2, "Khalilzad", role="envoy", aff="U.S.", date="2019-01-26")]
    ms[0] = Mention(ms[0].statement_id, 1, "2019-01-20", "Zalmay Khalilzad", "person", "special envoy", "U.S.",
                    "U.S. special envoy Zalmay Khalilzad")
    (ident,) = link_identities(ms)
    assert ident.name == "Zalmay Khalilzad"
    assert "U.S. special envoy Zalmay Khalilzad" in ident.aliases and "Khalilzad" in ident.aliases
    assert ident.roles[0] == {"value": "special envoy", "first_seen": "2019-01-20", "last_seen": "2019-01-26",
                              "count": 2}
    assert ident.affiliations[0]["count"] == 3
    assert (ident.first_seen, ident.last_seen, ident.articles) == ("2019-01-20", "2019-01-26", 2)


def test_duplicate_articles_count_once():
    ms = [m(1, "Zalmay Khalilzad"), m(2, "Zalmay Khalilzad")]
    ms = [Mention(x.statement_id, x.article_id, x.date, x.name, x.type, content="progress was made") for x in ms]
    (ident,) = link_identities(ms, dup_of={1: 1, 2: 1})
    assert (ident.statements, ident.articles) == (1, 1)
    (ident,) = link_identities(ms)
    assert (ident.statements, ident.articles) == (2, 2)


@pytest.mark.parametrize("overrides, expected", [
    ([], [{"Laura Bush"}, {"George Bush"}]),
    ([Override("merge", "person:laura bush", "person:george bush")], [{"Laura Bush", "George Bush"}]),
    ([Override("merge", "person:laura bush", "person:george bush"), Override("split", "person:george bush")],
     [{"Laura Bush"}, {"George Bush"}]),
    ([Override("merge", "person:nobody here", "person:george bush")], [{"Laura Bush"}, {"George Bush"}]),
])
def test_overrides(overrides, expected):
    ms = [m(1, "Laura Bush"), m(2, "George Bush")]
    got = groups(ms, overrides=overrides)
    assert sorted(map(sorted, got)) == sorted(map(sorted, expected))


def test_split_undoes_an_automatic_merge():
    ms = [m(1, "Petra Lindqvist", aff="Norland Bank"), m(2, "Lindqvist", aff="Norland Bank")]
    assert len(link_identities(ms)) == 1
    assert len(link_identities(ms, overrides=[Override("split", "person:petra lindqvist")])) == 2


def test_rename():
    (ident,) = link_identities([m(1, "Zalmay Khalilzad")], overrides=[Override("rename", "person:zalmay khalilzad",
                                                                                name="Z. Khalilzad (envoy)")])
    assert ident.name == "Z. Khalilzad (envoy)"


# -- in a ledger ------------------------------------------------------------------------------------------------

def record(text: str, published: str, said: list[tuple[str, str, str]]) -> Record:
    """An article and its statements: (content, speaker name, speaker type); offsets found in ``text``."""
    out = []
    for content, name, type_ in said:
        i = text.index(content)
        out.append(Statement("indirect", Span.of(text, i, i + len(content)), None, Speaker(name, type_)))
    return Record(Article(text=text, published=published), tuple(out))


FIRST = [
    record("Hana Moreau said the harbour would reopen on Monday.", "2024-05-01",
           [("the harbour would reopen on Monday", "Hana Moreau", "person")]),
    record("Luc Moreau said the harbour fees would double.", "2024-05-02",
           [("the harbour fees would double", "Luc Moreau", "person")]),
]
LATER = [
    record("Hana Moreau said the ferry timetable was final.", "2024-05-09",
           [("the ferry timetable was final", "Hana Moreau", "person")]),
]


def names_by_identity(ledger: Ledger) -> list[set[str]]:
    rows = ledger.conn.execute(
        "SELECT si.identity_id, s.speaker_name FROM statement_identity si JOIN statements s ON s.id = si.statement_id")
    out: dict[int, set[str]] = {}
    for iid, name in rows:
        out.setdefault(iid, set()).add(name)
    return sorted(out.values(), key=sorted)


def test_overrides_survive_reingest_and_relinking():
    with Ledger.open(":memory:") as ledger:
        for r in FIRST:
            ledger.add(r)
        run_links(ledger.conn)
        assert names_by_identity(ledger) == [{"Hana Moreau"}, {"Luc Moreau"}]
        hana = find_identity(ledger.conn, "Hana Moreau")
        add_override(ledger.conn, "merge", hana, find_identity(ledger.conn, "luc moreau"))
        add_override(ledger.conn, "rename", hana, name="The Moreaus")
        relink_identities(ledger.conn)
        assert names_by_identity(ledger) == [{"Hana Moreau", "Luc Moreau"}]
        # the same inputs again plus a new article, then a full link run
        for r in FIRST + LATER:
            ledger.add(r)
        run_links(ledger.conn)
        assert names_by_identity(ledger) == [{"Hana Moreau", "Luc Moreau"}]
        (listed,) = identity_speakers(ledger.conn)
        assert listed["name"] == "The Moreaus" and listed["statements"] == 3 and listed["id"] == hana["id"]
        assert set(listed) >= {"id", "name", "aliases", "roles", "affiliations", "statements", "articles",
                               "first_seen", "last_seen"}
        n_speakers = ledger.conn.execute("SELECT count(DISTINCT identity_id) FROM speakers").fetchone()[0]
        assert n_speakers == 1


def test_find_identity_refuses_ambiguous_and_unknown_names():
    from onrecord.links.queries import LinkError

    with Ledger.open(":memory:") as ledger:
        for r in FIRST:
            ledger.add(r)
        ledger.add(record("A harbour official said fees were fair.", "2024-05-03",
                          [("fees were fair", "a harbour official", "anonymous")]))
        ledger.add(record("A harbour official said the quay was closed.", "2024-05-04",
                          [("the quay was closed", "a harbour official", "anonymous")]))
        run_links(ledger.conn)
        with pytest.raises(LinkError, match="names 2 speakers"):
            find_identity(ledger.conn, "a harbour official")
        with pytest.raises(LinkError, match="no speaker named"):
            find_identity(ledger.conn, "Nobody Atall")
        assert find_identity(ledger.conn, "HANA MOREAU")["name"] == "Hana Moreau"


def test_a_bare_surname_joins_the_full_name_of_its_own_article():
    ms = [m(1, "Anna Kessler"), m(2, "Jonas Kessler"), m(3, "Jonas Kessler"), m(3, "Kessler")]
    assert same(ms, 3, 1) and not same(ms, 3, 0)


def test_a_bare_surname_joins_the_full_name_its_article_text_spells_out():
    ms = [m(1, "Anna Kessler"), m(2, "Jonas Kessler"), m(3, "Kessler")]
    texts = {3: "Finance minister Jonas\nKessler said on Monday ...", 1: "", 2: ""}
    assert same(ms, 2, 1, texts=texts) and not same(ms, 2, 0, texts=texts)
    assert not same(ms, 2, 1)


@pytest.mark.parametrize("type_", ["organization", "unknown"])
def test_a_one_word_speaker_with_a_known_surname_is_a_bare_surname(type_):
    ms = [m(1, "Jonas Kessler", aff="Treasury"), m(2, "Kessler", type_, aff="Treasury")]
    assert form_of(ms[1], {"kessler"}) == "bare:2:kessler"
    assert same(ms, 0, 1)


@pytest.mark.parametrize("days, expected", [(None, False), (30, True), (3, False)])
def test_bare_surname_time_window_is_opt_in(days, expected):
    ms = [m(1, "Jonas Kessler", date="2024-03-01"), m(2, "Kessler", date="2024-03-20")]
    assert same(ms, 0, 1, bare_window_days=days) is expected


def test_time_window_still_refuses_two_candidates():
    ms = [m(1, "Jonas Kessler", date="2024-03-01"), m(3, "Anna Kessler", date="2024-03-05"),
          m(2, "Kessler", date="2024-03-20")]
    assert not same(ms, 0, 2, bare_window_days=30) and not same(ms, 1, 2, bare_window_days=30)


@pytest.mark.slow
def test_overrides_survive_a_real_reingest(tmp_path):
    """Through the engine: ingest, link, merge; ingest the same files and a new one, link: still merged."""
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.txt").write_text("Hana Moreau, the harbour master, said on Monday that the quay would reopen.\n",
                                 encoding="utf-8")
    (pages / "b.txt").write_text("Luc Moreau, a ferry captain, said on Tuesday that the fees were too high.\n",
                                 encoding="utf-8")
    db = tmp_path / "ledger.db"
    with Ledger.open(db) as ledger:
        ledger.ingest([pages], workers=0)
        run_links(ledger.conn)
        if len(names_by_identity(ledger)) != 2:
            pytest.skip(f"the engine did not find both speakers: {names_by_identity(ledger)}")
        add_override(ledger.conn, "merge", find_identity(ledger.conn, "Hana Moreau"),
                     find_identity(ledger.conn, "Luc Moreau"))
        relink_identities(ledger.conn)
    (pages / "c.txt").write_text("Hana Moreau said on Friday that the ferry timetable was final.\n", encoding="utf-8")
    with Ledger.open(db) as ledger:
        ledger.ingest([pages], workers=0)
        run_links(ledger.conn)
        assert names_by_identity(ledger) == [{"Hana Moreau", "Luc Moreau"}]
        assert ledger.conn.execute("SELECT count(*) FROM statement_identity").fetchone()[0] == 3
