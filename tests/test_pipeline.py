"""The pipeline: rule-found statements, plus the learned tagger's when it is switched on."""

from __future__ import annotations

import pytest

from onrecord import ConfigError, Settings, extract_text

TEXT = (
    "Senator Ada Frost believes the harbor bill will fail in committee. Her aides expect a vote in May.\n\n"
    '"We will not give up," Frost told reporters on Tuesday.\n\n'
    "Critics argue that the bill favours shipping companies over fishermen."
)


def test_the_tagger_only_adds_statements_the_rules_missed():
    off = extract_text(TEXT, settings=Settings.load(tagger=False))
    on = extract_text(TEXT, settings=Settings.load(tagger=True, tagger_min_confidence=0.0))
    off_spans = [(s.content.start, s.content.end) for s in off.statements]
    on_spans = [(s.content.start, s.content.end) for s in on.statements]
    assert set(off_spans) <= set(on_spans)
    for a, b in set(on_spans) - set(off_spans):
        assert not any(a < d and c < b for c, d in off_spans), "a tagged statement overlaps a rule-found one"
    for s in on.statements:
        assert TEXT[s.content.start:s.content.end] == s.content.text


def test_a_bad_tagger_scope_is_a_config_error():
    with pytest.raises(ConfigError, match="tagger_scope"):
        Settings.load(env={}, tagger_scope="everything")
