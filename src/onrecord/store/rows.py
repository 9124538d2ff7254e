"""Record -> table rows, and records to and from JSON (the form they travel in between processes and shards)."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from ..model import Article, ErrorRecord, Problem, Record, Result, Statement


def dumps(value: Any) -> str:
    """Compact, stable JSON for the ledger's JSON columns."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=False)


def article_row(article: Article) -> dict[str, Any]:
    """The ``articles`` columns an Article fills (ids, run and timestamps are added by the writer)."""
    return {
        "content_hash": article.content_hash,
        "ext_id": article.id,
        "source": article.source,
        "url": article.url,
        "title": article.title,
        "published": article.published,
        "authors": dumps(list(article.authors)),
        "outlet": article.outlet,
        "credits": dumps(list(article.credits)),
        "language": article.language,
        "captions": dumps(list(article.captions)),
        "text": article.text,
    }


def speaker_key(statement: Statement) -> tuple[str | None, str]:
    """What makes two statements of one article share a ``speakers`` row: the resolved name and type."""
    sp = statement.speaker
    name = sp.name if sp.name else (sp.mention.text if sp.mention else None)
    return name, sp.type


def statement_row(seq: int, st: Statement) -> dict[str, Any]:
    """The ``statements`` columns of one statement (``article_id`` and ``speaker_id`` are added by the writer)."""
    sp = st.speaker
    return {
        "seq": seq,
        "kind": st.kind,
        "content": st.content.text,
        "content_start": st.content.start,
        "content_end": st.content.end,
        "cue": st.cue.text if st.cue else None,
        "cue_start": st.cue.start if st.cue else None,
        "cue_end": st.cue.end if st.cue else None,
        "speaker_mention": sp.mention.text if sp.mention else None,
        "mention_start": sp.mention.start if sp.mention else None,
        "mention_end": sp.mention.end if sp.mention else None,
        "speaker_name": speaker_key(st)[0],
        "speaker_type": sp.type,
        "role": sp.role,
        "affiliation": sp.affiliation,
        "issued_by": sp.issued_by,
        "via": st.via,
        "channel": st.channel,
        "date": st.date,
        "confidence": round(float(st.confidence), 3),
        "flags": dumps(list(st.flags)),
    }


def result_to_json(result: Result) -> str:
    """A Record or ErrorRecord as one JSON string, lossless for everything the ledger stores."""
    if isinstance(result, ErrorRecord):
        return dumps({"error": result.to_dict()})
    d = result.to_dict()
    d["article"]["captions"] = list(result.article.captions)
    d["article"]["date_hint"] = result.article.date_hint
    for s, st in zip(d["statements"], result.statements):
        s["confidence"] = round(float(st.confidence), 3)
    return dumps({"record": d})


def result_from_json(text: str) -> Result:
    """The inverse of ``result_to_json``."""
    d = json.loads(text)
    if "error" in d:
        e = d["error"]
        return ErrorRecord(e["source"], Problem(e["error"]["code"], e["error"]["message"]), e.get("stage", "read"))
    rec = Record.from_dict(d["record"])
    a = d["record"]["article"]
    article = replace(rec.article, captions=tuple(a.get("captions") or ()), date_hint=a.get("date_hint"))
    return replace(rec, article=article)
