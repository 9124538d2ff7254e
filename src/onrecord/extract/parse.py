"""Article -> Parsed: split the body into paragraphs and run spaCy over them."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..model import Article
from .types import Paragraph, Parsed

if TYPE_CHECKING:
    from spacy.language import Language

_PARA_BREAK = re.compile(r"\n\s*\n")


def paragraph_bounds(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank paragraph; paragraphs are separated by blank lines."""
    bounds: list[tuple[int, int]] = []
    pos = 0
    for m in _PARA_BREAK.finditer(text):
        bounds.append((pos, m.start()))
        pos = m.end()
    bounds.append((pos, len(text)))
    out = []
    for a, b in bounds:
        chunk = text[a:b]
        stripped = chunk.strip()
        if not stripped:
            continue
        a2 = a + (len(chunk) - len(chunk.lstrip()))
        out.append((a2, a2 + len(stripped)))
    return out


def parse(article: Article, nlp: Language) -> Parsed:
    """Run the pipeline over every paragraph of the article."""
    bounds = paragraph_bounds(article.text)
    texts = [article.text[a:b] for a, b in bounds]
    docs = nlp.pipe(texts)
    paragraphs = [Paragraph(i, a, b, doc, True) for i, ((a, b), doc) in enumerate(zip(bounds, docs))]
    return Parsed(article, paragraphs)
