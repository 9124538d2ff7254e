from __future__ import annotations

import pytest

from onrecord.evaluation.peers import paragraphs, peer_system

TEXT = ('“The new ferry will run every hour from Monday,” Mayor Ilse Brandt said on Tuesday.\n\n'
        'She added that tickets would be cheaper.\n\n'
        'An odd “quote mark here.')


def test_paragraphs():
    padded = "\n" + TEXT + "\n\n"
    assert [padded[a:b][:3] for a, b in paragraphs(padded)] == ["“Th", "She", "An "]


def test_textacy_direct_quotes_with_offsets():
    pytest.importorskip("textacy")
    preds = peer_system("textacy")(TEXT)
    assert len(preds) == 1  # the indirect statement is not found; the odd paragraph is skipped
    (p,) = preds
    assert p.kind == "direct"
    assert "ferry will run" in TEXT[p.content[0][0]:p.content[-1][1]]
    assert TEXT[p.cue[0][0]:p.cue[-1][1]] == "said"
    assert "Brandt" in TEXT[p.source[0][0]:p.source[-1][1]]


def test_unknown_peer():
    with pytest.raises(ValueError, match="unknown peer"):
        peer_system("nobody")
