"""Other systems, scored by the same code as onrecord.

``textacy``: ``textacy.extract.triples.direct_quotations`` over the same spaCy
pipeline onrecord uses, run per paragraph because it raises ``ValueError`` on an
odd number of quote marks (such paragraphs yield nothing). Its statements are all
``direct``; the speaker and cue token lists become (possibly discontinuous) spans.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from ..errors import MissingExtra
from ..settings import Settings
from .scoring import PredStatement
from .spans import Frags, frags_of

log = logging.getLogger(__name__)

PEERS: tuple[str, ...] = ("textacy",)

_PARA = re.compile(r"\n\s*\n")


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank paragraph (paragraphs are separated by blank lines)."""
    out = []
    pos = 0
    for m in list(_PARA.finditer(text)) + [None]:
        end = m.start() if m else len(text)
        chunk = text[pos:end]
        if chunk.strip():
            a = pos + len(chunk) - len(chunk.lstrip())
            out.append((a, a + len(chunk.strip())))
        if m:
            pos = m.end()
    return out


def _token_frags(tokens, offset: int) -> Frags | None:  # type: ignore[no-untyped-def]
    if not tokens:
        return None
    return frags_of((offset + t.idx, offset + t.idx + len(t.text)) for t in tokens)


def textacy_system(settings: Settings | None = None) -> Callable[[str], list[PredStatement]]:
    """textacy's direct quotations as a system (needs the dev extra)."""
    try:
        from textacy.extract.triples import direct_quotations
    except ImportError as e:
        raise MissingExtra("the textacy peer (onrecord eval polnear --peer textacy)", "dev") from e
    from .. import nlp as nlp_mod

    settings = settings or Settings.load()
    nlp = nlp_mod.load(settings.model, settings.numpy_gemm)

    def run(text: str) -> list[PredStatement]:
        bounds = paragraphs(text)
        out: list[PredStatement] = []
        for (a, _end), doc in zip(bounds, nlp.pipe(text[a:b] for a, b in bounds)):
            try:
                triples = list(direct_quotations(doc))
            except ValueError as e:  # odd number of quote marks in the paragraph
                log.debug("textacy skipped a paragraph at %d: %s", a, e)
                continue
            for t in triples:
                content = ((a + t.content.start_char, a + t.content.end_char),)
                out.append(PredStatement("direct", content, _token_frags(t.cue, a), _token_frags(t.speaker, a),
                                         rule="textacy"))
        return out

    return run


def peer_system(name: str, settings: Settings | None = None) -> Callable[[str], list[PredStatement]]:
    """The named peer system."""
    if name == "textacy":
        return textacy_system(settings)
    raise ValueError(f"unknown peer {name!r}; known: {', '.join(PEERS)}")
