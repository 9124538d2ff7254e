"""The learned attribution tagger: BIO decoding, quote state, and the shipped model on sentences written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from onrecord import nlp as nlp_mod
from onrecord.extract.parse import parse
from onrecord.extract.tagger import _quote_state, coarse, load_tagger, spans_from_bio
from onrecord.extract.types import Paragraph
from onrecord.model import Article


@pytest.mark.parametrize(
    "labels, expected",
    [
        (["B-S", "I-S", "B-C", "B-Q", "I-Q", "O"], [("S", 0, 2), ("C", 2, 3), ("Q", 3, 5)]),
        (["O", "I-Q", "I-Q", "O"], [("Q", 1, 3)]),
        (["B-Q", "B-Q", "I-C"], [("Q", 0, 1), ("Q", 1, 2), ("C", 2, 3)]),
        (["B-S", "I-C", "I-C"], [("S", 0, 1), ("C", 1, 3)]),
        (["O", "O"], []),
    ],
)
def test_spans_from_bio(labels: list[str], expected: list[tuple[str, int, int]]) -> None:
    assert spans_from_bio(labels) == expected


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    return nlp_mod.load()


@pytest.mark.parametrize(
    "text, quoted",
    [
        ("He said “we will win” today.", ["we", "will", "win"]),
        ('She said "no deal" again.', ["no", "deal"]),
        ("The mayor’s office said nothing.", []),
    ],
)
def test_quote_state(nlp, text: str, quoted: list[str]) -> None:  # type: ignore[no-untyped-def]
    doc = nlp(text)
    assert [t.text for t, q in zip(doc, _quote_state(doc)) if q] == quoted


@pytest.mark.parametrize(
    "tag, expected",
    [("VBD", "VERB"), ("MD", "AUX"), ("NNP", "PROPN"), ("NNS", "NOUN"), ("IN", "ADP"), ("PRP$", "PRON"),
     ("WRB", "ADV"), (",", "PUNCT"), ("``", "PUNCT"), ("", "X")],
)
def test_coarse(tag: str, expected: str) -> None:
    assert coarse(tag) == expected


def test_model_loads_offline() -> None:
    tagger = load_tagger()
    assert tagger.model_path.is_file()
    assert {"said", "told", "according"} <= tagger.cues
    assert tagger.temperature > 0
    assert load_tagger() is tagger


def test_missing_model_says_how_to_rebuild(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from onrecord.errors import ModelNotFound
    from onrecord.extract import tagger as tagger_mod

    missing = (tmp_path / "tagger.crfsuite", tmp_path / "tagger.cues.txt", tmp_path / "tagger.json")
    monkeypatch.setattr(tagger_mod, "_model_files", lambda: missing)
    load_tagger.cache_clear()
    try:
        with pytest.raises(ModelNotFound, match="eval/train_tagger.py"):
            load_tagger()
    finally:
        load_tagger.cache_clear()


def _roles(parsed, labels):  # type: ignore[no-untyped-def]
    doc = parsed.paragraphs[0].doc
    return {role: [doc[i:j].text for r, i, j in spans_from_bio(labels) if r == role] for role in "SCQ"}


@pytest.mark.parametrize(
    "text, source, cue, content",
    [
        ("The minister said that the bridge would reopen.", "The minister", "said", "the bridge would reopen"),
        ("“The deal is dead,” Senator Mara Velt told reporters on Tuesday.",
         "Senator Mara Velt", "told", "The deal is dead"),
        ("Officials in Dunmore believe the river will flood the lower town by spring.",
         "Officials in Dunmore", "believe", "the river will flood the lower town by spring"),
    ],
)
def test_tag_sentence(nlp, text: str, source: str, cue: str, content: str) -> None:  # type: ignore[no-untyped-def]
    parsed = parse(Article(text=text), nlp)
    labels = load_tagger().tag(parsed.paragraphs[0])
    assert len(labels) == len(parsed.paragraphs[0].doc)
    roles = _roles(parsed, labels)
    assert roles["S"] == [source]
    assert cue in roles["C"]
    assert len(roles["Q"]) == 1 and content in roles["Q"][0]


@pytest.mark.parametrize(
    "text, source, cue",
    [
        ("Farmers in Kell fear that the plant will close.", "Farmers in Kell", "fear"),
        ("Officials in Dunmore believe the river will flood the lower town by spring.",
         "Officials in Dunmore", "believe"),
    ],
)
def test_tag_unparsed_paragraph(nlp, text: str, source: str, cue: str) -> None:  # type: ignore[no-untyped-def]
    """A paragraph the pipeline only tokenised is parsed by the tagger, keeping the same tokens."""
    doc = nlp.make_doc(text)
    labels = load_tagger().tag(Paragraph(0, 0, len(text), doc, parsed=False))
    assert len(labels) == len(doc)
    spans = spans_from_bio(labels)
    assert [doc[i:j].text for r, i, j in spans if r == "S"] == [source]
    assert [doc[i:j].text for r, i, j in spans if r == "C"] == [cue]


@pytest.mark.parametrize(
    "text, kind, source, cue",
    [
        ("A short opening line.\n\nThe minister said that the bridge would reopen.",
         "indirect", "The minister", "said"),
        ("Intro.\n\n“We will not pay for the wall,” said Orla Benn, the party’s treasurer.",
         "direct", "Orla Benn, the party’s treasurer", "said"),
    ],
)
def test_attributions_offsets(nlp, text: str, kind: str, source: str, cue: str) -> None:  # type: ignore[no-untyped-def]
    parsed = parse(Article(text=text), nlp)
    atts = load_tagger().attributions(parsed)
    assert len(atts) == 1
    a = atts[0]
    assert a.rule == "tagger" and a.kind == kind and a.paragraph == 1
    for span in (a.content, a.cue, a.source):
        assert span is not None
        assert text[span.start:span.end] == span.text
    assert a.source is not None and a.source.text == source
    assert a.cue is not None and a.cue.text == cue
    assert a.cue_head is not None and parsed.paragraphs[1].doc[a.cue_head].text == cue
    assert a.source_head is not None
    assert 0.0 < a.confidence <= 1.0


def test_scaled_marginals_equal_the_log_space_ones():
    import numpy

    from onrecord.extract.tagger import _log_marginals, _scaled_marginals

    rng = numpy.random.default_rng(7)
    for size in (1, 2, 9, 40):
        s = rng.normal(0, 4, (size, 7))
        tr = rng.normal(0, 3, (7, 7))
        numpy.testing.assert_allclose(_scaled_marginals(s, tr), _log_marginals(s, tr), atol=1e-9)


SENTENCES = [
    "The minister said that the bridge would reopen.",
    "“The deal is dead,” Senator Mara Velt told reporters on Tuesday, “and nobody will revive it.”",
    "Officials in Dunmore believe the river will flood the lower town by spring. The mayor disagrees.",
    "Ortiz has promised a veto of the spending bill, according to two aides.",
    "It rained.",
]


@pytest.mark.parametrize("text", SENTENCES)
def test_numpy_viterbi_gives_crfsuites_labels(nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    from onrecord.extract.tagger import doc_features

    tagger = load_tagger()
    doc = nlp(text)
    feats = doc_features(doc, tagger.cues)
    assert tagger.weights.viterbi(tagger.weights.scores(feats)) == list(tagger._crf.tag(feats))


@pytest.mark.parametrize("text", SENTENCES)
def test_features_of_a_stretch_are_the_paragraphs_features(nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    """Tagging one sentence sees the same features as tagging its whole paragraph."""
    from onrecord.extract.tagger import Context, doc_features

    cues = load_tagger().cues
    doc = nlp(text)
    whole = doc_features(doc, cues)
    ctx = Context(doc, cues)
    for sent in doc.sents:
        assert ctx.features(range(sent.start, sent.end)) == whole[sent.start:sent.end]


def test_context_quote_state_is_the_tokens_quote_state(nlp) -> None:  # type: ignore[no-untyped-def]
    from onrecord.extract.tagger import Context

    doc = nlp("He said “we will win” today, and ‘maybe’ she said \"no deal\" again.")
    assert Context(doc, frozenset()).inq == _quote_state(doc)


def test_focus_skips_sentences_the_rules_took(nlp) -> None:  # type: ignore[no-untyped-def]
    text = ("The minister said that the bridge would reopen. Engineers doubt the repairs will hold. It rained.\n\n"
            "Nothing here.")
    parsed = parse(Article(text=text), nlp)
    first = text.index("The minister")
    taken = [(first, text.index(" Engineers"))]
    focus = load_tagger().focus_sentences(parsed, taken)
    doc = parsed.paragraphs[0].doc
    assert [doc[r.start:r.stop].text for r in focus.get(0, [])] == ["Engineers doubt the repairs will hold."]
    assert 1 not in focus


def test_trigger_words_ship_with_the_model() -> None:
    triggers = load_tagger().triggers
    assert triggers is not None and {"said", "according", "believes", "told"} <= triggers
    assert not {"the", "and", "president"} & triggers


def test_focus_without_trigger_list_falls_back_to_cue_verbs_and_nouns(nlp) -> None:  # type: ignore[no-untyped-def]
    from onrecord.extract.tagger import Tagger

    shipped = load_tagger()
    tagger = Tagger(shipped.model_path, shipped.cues, shipped.temperature)
    text = "Engineers doubt the repairs will hold. It rained on Monday."
    parsed = parse(Article(text=text), nlp)
    doc = parsed.paragraphs[0].doc
    assert [doc[r.start:r.stop].text for r in tagger.focus_sentences(parsed, []).get(0, [])] == [
        "Engineers doubt the repairs will hold."]


def test_many_statements_in_one_paragraph_each_keep_their_own_cue(nlp) -> None:  # type: ignore[no-untyped-def]
    """Grouping looks only at cues near each content (it used to compare every content with every cue)."""
    sentence = "Residents of Kell complained about the noise from the quarry near the river. "
    text = sentence * 60
    parsed = parse(Article(text=text), nlp)
    atts = load_tagger().attributions(parsed)
    assert len(atts) == 60
    for k, a in enumerate(atts):
        start = k * len(sentence)
        assert a.cue is not None and a.source is not None
        assert start <= a.source.start < a.cue.start < a.content.start < start + len(sentence)


def _labels(doc, cue: str, content: str, source: str | None = None) -> list[str]:  # type: ignore[no-untyped-def]
    """BIO labels for the first occurrences of the given words in ``doc`` (a tagger's output, by hand)."""
    labels = ["O"] * len(doc)
    for role, words in (("C", cue), ("Q", content), ("S", source)):
        if not words:
            continue
        start = doc.text.index(words)
        toks = [t.i for t in doc if start <= t.idx < start + len(words)]
        labels[toks[0]] = f"B-{role}"
        for k in toks[1:]:
            labels[k] = f"I-{role}"
    return labels


@pytest.mark.parametrize(
    "text, cue, content, source",
    [
        # the tagger found a cue and a content but no source: the cue's grammatical subject speaks
        ("The harbour master warned that the pier would close.", "warned", "that the pier would close",
         "The harbour master"),
        ("Residents who called for a vote on the quarry were ignored.", "called for", "a vote on the quarry", "who"),
        # no subject of its own: that of the verb the cue hangs from ("declined to comment", "... and added")
        ("The council declined to discuss the closure.", "discuss", "the closure", "The council"),
        ("The mayor smiled and added that the pier would open in May.", "added",
         "that the pier would open in May", "The mayor"),
        # a passive cue has no speaker in the sentence
        ("It was announced that the pier would close.", "announced", "that the pier would close", None),
        # a subject that is itself tagged (here the content) is not a speaker
        ("The closure of the pier was announced by nobody.", "was announced", "The closure of the pier", None),
    ],
)
def test_source_missing_from_the_tags_is_the_cues_subject(nlp, text: str, cue: str, content: str,
                                                          source: str | None) -> None:  # type: ignore[no-untyped-def]
    from onrecord.extract.tagger import group

    parsed = parse(Article(text=text), nlp)
    para = parsed.paragraphs[0]
    doc = nlp(para.doc.text)  # parsed whatever its words (the pipeline may have skipped the paragraph)
    [(att, _)] = group(parsed.text, para, doc, _labels(doc, cue, content))
    assert att.cue is not None and att.cue.text == cue
    assert (att.source.text if att.source else None) == source


def test_tagged_source_wins_over_the_subject(nlp) -> None:  # type: ignore[no-untyped-def]
    from onrecord.extract.tagger import group

    text = "The harbour master, the mayor warned, said the pier would close."
    parsed = parse(Article(text=text), nlp)
    para = parsed.paragraphs[0]
    doc = nlp(para.doc.text)
    [(att, _)] = group(parsed.text, para, doc, _labels(doc, "said", "the pier would close", "the mayor"))
    assert att.source is not None and att.source.text == "the mayor"


@pytest.mark.parametrize(
    "text, source, expected",
    [
        # a tagged source that stops inside its noun phrase runs on to the noun it modifies
        ("The Harbour Courier reported that the pier would close.", "The", "The Harbour Courier"),
        ("Mrs. Ruiz said that the pier would close.", "Mrs.", "Mrs. Ruiz"),
        # and takes the quantity or negation words before it
        ("At least one councillor said that the pier would close.", "one councillor", "At least one councillor"),
        ("Not everyone agreed that the pier should close.", "everyone", "Not everyone"),
        # a whole mention stays as it is; a title before it is not a quantity word
        ("Mayor Ana Ruiz said that the pier would close.", "Ana Ruiz", "Ana Ruiz"),
        ("The harbour master said that the pier would close.", "The harbour master", "The harbour master"),
    ],
)
def test_source_cut_inside_its_noun_phrase_is_completed(nlp, text: str, source: str,
                                                        expected: str) -> None:  # type: ignore[no-untyped-def]
    from onrecord.extract.tagger import group

    parsed = parse(Article(text=text), nlp)
    para = parsed.paragraphs[0]
    doc = nlp(para.doc.text)
    cue = next(w for w in ("reported", "said", "agreed") if f" {w} " in text)
    content = text[text.index(cue) + len(cue) + 1:].rstrip(".")
    [(att, _)] = group(parsed.text, para, doc, _labels(doc, cue, content, source))
    assert att.source is not None and att.source.text == expected


@pytest.mark.parametrize(
    "text, cue, content, expected",
    [
        # a tagged content that stops inside its phrase runs on to the phrase's end
        ("The senator voted against the Harbour Safety Act of 2015 because it cut funds.", "voted against",
         "the Harbour Safety Act", "the Harbour Safety Act of 2015"),
        ("The mayor thanked her deputy, Ana Ruiz, for the report.", "thanked", "her deputy",
         "her deputy, Ana Ruiz,"),
        # a noun phrase cut before its noun is not (on PolNeAR dev that lost more than it won)
        ("The senator voted against the Harbour Safety Act of 2015.", "voted against", "the Harbour Safety",
         "the Harbour Safety"),
        # a whole phrase stays as it is
        ("The mayor said that the pier would close in May.", "said", "that the pier would close in May",
         "that the pier would close in May"),
        # not over another tagged span: here the cue
        ("The pier will close, the mayor said.", "said", "The pier will close", "The pier will close"),
    ],
)
def test_content_cut_inside_its_phrase_runs_on(nlp, text: str, cue: str, content: str,
                                               expected: str) -> None:  # type: ignore[no-untyped-def]
    from onrecord.extract.tagger import group

    parsed = parse(Article(text=text), nlp)
    para = parsed.paragraphs[0]
    doc = nlp(para.doc.text)
    source = "The senator" if text.startswith("The senator") else "The mayor" if text.startswith("The mayor") else "the mayor"
    [(att, _)] = group(parsed.text, para, doc, _labels(doc, cue, content, source))
    assert att.content.text == expected


def test_source_in_another_sentence_is_not_the_cues(nlp) -> None:  # type: ignore[no-untyped-def]
    """'... she added. The mayor [is widely expected] to resign': a tagged source next to a cue but in
    the sentence before it is not its source (it spoke the sentence before)."""
    from onrecord.extract.tagger import group

    text = "The pier is safe, she added. The mayor is widely expected to resign."
    parsed = parse(Article(text=text), nlp)
    para = parsed.paragraphs[0]
    doc = nlp(para.doc.text)
    labels = _labels(doc, "added", "The pier is safe", "she")
    more = _labels(doc, "is widely expected", "to resign")
    labels = [b if b != "O" else a for a, b in zip(labels, more)]
    found = group(parsed.text, para, doc, labels)
    by_cue = {att.cue.text: att for att, _ in found if att.cue}
    assert by_cue["added"].source is not None and by_cue["added"].source.text == "she"
    assert by_cue["is widely expected"].source is None
