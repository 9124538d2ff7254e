"""Shared fixtures: a WARC writer for test archives, and a dump of a ledger to compare runs row for row."""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

# columns that differ between two runs over the same inputs by design
_VOLATILE = {"run_id", "created_at"}


def dump_ledger(db: str | Path) -> dict[str, list[tuple]]:
    """Every table of the ledger but ``runs``, rows sorted, without run ids and timestamps."""
    conn = sqlite3.connect(str(db))
    try:
        out = {}
        for table in ("articles", "speakers", "statements", "problems", "errors", "inputs"):
            cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[1] not in _VOLATILE]
            out[table] = sorted(conn.execute(f"SELECT {', '.join(cols)} FROM {table}").fetchall(), key=repr)
        return out
    finally:
        conn.close()


@pytest.fixture
def ledger_dump() -> Callable[[str | Path], dict[str, list[tuple]]]:
    return dump_ledger


def write_warc(path: Path, records: list[dict], gzip: bool = True) -> Path:
    """A WARC file of ``records``: dicts with url, body (bytes), and optional type (response), status (200),
    content_type (text/html), date (ISO)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gzip)
    for r in records:
        rec_type = r.get("type", "response")
        headers = {"WARC-Date": r.get("date", "2021-03-04T05:06:07Z")}
        if rec_type == "response":
            http = StatusAndHeaders(str(r.get("status", "200 OK")),
                                    [("Content-Type", r.get("content_type", "text/html; charset=utf-8"))],
                                    protocol="HTTP/1.1")
            rec = writer.create_warc_record(r["url"], "response", payload=io.BytesIO(r["body"]), http_headers=http,
                                            warc_headers_dict=headers)
        else:
            rec = writer.create_warc_record(r["url"], rec_type, payload=io.BytesIO(r["body"]),
                                            warc_headers_dict=headers)
        writer.write_record(rec)
    path.write_bytes(buf.getvalue())
    return path


@pytest.fixture
def make_warc() -> Callable[..., Path]:
    pytest.importorskip("warcio")
    return write_warc
