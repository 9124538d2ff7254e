"""`onrecord story` counts a wire story once: copies are folded into the first article's lines."""

from __future__ import annotations

from onrecord.cli.links_cmd import _once_per_wire_story


def row(article_id: int, content: str, cluster: int | None) -> dict:
    return {"article_id": article_id, "content": content, "duplicate_of": cluster}


def test_wire_copies_are_folded_into_the_first_article():
    rows = [row(1, "a", 7), row(2, "a", 7), row(3, "b", None), row(4, "a", 7), row(5, "c", 8)]
    kept, copies = _once_per_wire_story(rows)
    assert [r["article_id"] for r in kept] == [1, 3, 5]
    assert copies == {1: 2}


def test_a_story_without_copies_is_unchanged():
    rows = [row(1, "a", None), row(2, "b", None)]
    assert _once_per_wire_story(rows) == (rows, {})
