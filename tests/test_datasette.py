"""The ledger opens in datasette, which finds the full-text tables and searches statements and articles."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from onrecord.store import Ledger
from test_ledger import records

pytest.importorskip("datasette")
from datasette.app import Datasette  # noqa: E402


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "ledger.db"
    with Ledger.open(path) as led:
        with led.transaction():
            for r in records():
                led.add(r)
    return path


def get(ds: Datasette, url: str):
    async def go():
        return await ds.client.get(url)

    return asyncio.run(go())


@pytest.mark.parametrize("table, search, column, expected", [
    ("statements", "quay", "content", ["The quay is safe,"]),
    ("statements", "pell", "content", ["the bridge vote was delayed", "We need more time,"]),
    ("statements", "zebra", "content", []),
    ("articles", "harbour", "title", ["Harbour to reopen"]),
])
def test_datasette_searches_the_ledger(db: Path, table: str, search: str, column: str, expected: list[str]):
    ds = Datasette([str(db)])
    resp = get(ds, f"/ledger/{table}.json?_search={search}&_shape=array")
    assert resp.status_code == 200, resp.text
    assert sorted(r[column] for r in resp.json()) == sorted(expected)


@pytest.mark.parametrize("table", ["statements", "articles"])
def test_datasette_detects_the_fts_tables(db: Path, table: str):
    database = Datasette([str(db)]).get_database("ledger")
    assert asyncio.run(database.fts_table(table)) == f"{table}_fts"
