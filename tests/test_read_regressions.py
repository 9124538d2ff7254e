"""Regressions in the text reader, each named after what broke."""

from __future__ import annotations

import pytest

from onrecord.read.text import article_from_text

WIRE_SHORT_FIRST_LINE = (
    "Harbor Mills Co, a unit of Delmar\n"
    "Holdings Inc, said it is raising its flour price by\n"
    "two cents a pound, effective immediately.\n"
)
WIRE_INDENTED_FOUR_LINES = (
    "Kestrel Foods Inc said its\n"
    "board approved a three-for-one split of its common shares\n"
    "for holders of record as of May 2.\n"
    "    The company also said it will pay a special dividend.\n"
)


@pytest.mark.parametrize(
    "text, first_paragraph",
    [
        (WIRE_SHORT_FIRST_LINE, "Harbor Mills Co, a unit of Delmar Holdings Inc, said it is raising its flour price"
                                " by two cents a pound, effective immediately."),
        (WIRE_INDENTED_FOUR_LINES, "Kestrel Foods Inc said its board approved a three-for-one split of its common"
                                   " shares for holders of record as of May 2."),
    ],
)
def test_wire_first_line_is_not_dropped(text, first_paragraph):
    article = article_from_text(text, meta={"title": "A headline given by the feed"})
    assert article.text.split("\n\n")[0] == first_paragraph


WIRE_WITH_TABLE = (
    "The Grain Board of Ostland and\n"
    "its regional offices set these prices for\n"
    "wheat offered from public stocks this week.\n"
    "    Prices are per tonne in crowns.\n"
    "     WHEAT     HARD   SOFT\n"
    " Norrby        --    3.04\n"
    " Vasteby       2.90  3.16\n"
)


def test_wrapped_sentence_before_a_table_stays_one_paragraph():
    article = article_from_text(WIRE_WITH_TABLE, meta={"title": "Ostland grain prices"})
    assert article.text.startswith(
        "The Grain Board of Ostland and its regional offices set these prices for wheat offered from public"
        " stocks this week."
    )
