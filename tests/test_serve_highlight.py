"""Statement highlighting from offsets: every piece escaped, marks well-formed, overlaps handled."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("markupsafe")

from onrecord.serve.highlight import PALETTE_SIZE, Mark, highlight, marks_for, speaker_color  # noqa: E402


def strip_tags(html: str) -> str:
    return (re.sub(r"<[^>]+>", "", html).replace("&lt;", "<").replace("&gt;", ">").replace("&#34;", '"')
            .replace("&#39;", "'").replace("&amp;", "&"))


@pytest.mark.parametrize("text, marks, expected", [
    ("plain & <b>", [], "plain &amp; &lt;b&gt;"),
    ("He said yes.", [Mark(8, 11, "content", 7, 2)],
     'He said <mark class="st c2" id="s-7" data-st="7" title="statement">yes</mark>.'),
    ("He said yes.", [Mark(0, 2, "mention", 7, 2), Mark(3, 7, "cue", 7, 2)],
     '<mark class="mention c2" data-st="7" title="speaker">He</mark> '
     '<mark class="cue c2" data-st="7" title="cue">said</mark> yes.'),
    ("<i>x</i>", [Mark(3, 4, "content", 1, 0)],
     '&lt;i&gt;<mark class="st c0" id="s-1" data-st="1" title="statement">x</mark>&lt;/i&gt;'),
])
def test_highlight_exact(text: str, marks: list[Mark], expected: str) -> None:
    assert str(highlight(text, marks)) == expected


@pytest.mark.parametrize("text, marks", [
    ("one two three four", [Mark(0, 13, "content", 1, 0), Mark(4, 18, "content", 2, 1)]),  # overlapping
    ("a quote inside a quote", [Mark(0, 22, "content", 1, 0), Mark(8, 14, "content", 2, 1),
                                Mark(8, 14, "mention", 2, 1)]),  # nested, same range twice
    ('"</mark><script>x</script>" he said', [Mark(1, 26, "content", 5, 3), Mark(28, 30, "mention", 5, 3)]),
])
def test_highlight_keeps_text_and_is_well_formed(text: str, marks: list[Mark]) -> None:
    html = str(highlight(text, marks))
    assert strip_tags(html) == text
    assert html.count("<mark") == html.count("</mark>")
    assert "<script>" not in html
    depth = 0
    for tag in re.findall(r"</?mark", html):
        depth += 1 if tag == "<mark" else -1
        assert depth in (0, 1)  # pieces are never nested
    for m in marks:
        if m.role == "content":
            assert html.count(f'id="s-{m.statement}"') == 1


@pytest.mark.parametrize("statement, n_marks", [
    ({"id": 1, "content_start": 0, "content_end": 4}, 1),
    ({"id": 1, "content_start": 0, "content_end": 4, "cue": {"start": 5, "end": 9},
      "speaker": {"mention": {"start": 10, "end": 12}}}, 3),
    ({"id": 1, "content_start": 5, "content_end": 500}, 1),  # clipped to the text
    ({"id": 1, "content_start": 40, "content_end": 50}, 0),  # outside the text
    ({"id": 1, "content_start": 3, "content_end": 3}, 0),  # empty
    ({"id": 1, "content_start": None, "content_end": None, "cue": None}, 0),
])
def test_marks_for(statement: dict, n_marks: int) -> None:
    marks = marks_for([statement], 20)
    assert len(marks) == n_marks
    assert all(0 <= m.start < m.end <= 20 for m in marks)


@pytest.mark.parametrize("a, b", [("Marta Quill", "Marta Quill"), ("Marta  Quill", "marta quill"), (None, "")])
def test_speaker_color_is_stable(a: str | None, b: str | None) -> None:
    assert speaker_color(a) == speaker_color(b)
    assert 0 <= speaker_color(a) < PALETTE_SIZE


def test_speaker_colors_spread() -> None:
    colors = {speaker_color(f"Speaker {i}") for i in range(200)}
    assert colors == set(range(PALETTE_SIZE))
