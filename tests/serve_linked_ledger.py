"""A small linked ledger for the reading room's identity tests: texts made up here, linked with ``run_links``.

Irena Vostok is named in full, by surname alone (with her affiliation, so the linker may merge), and in a wire
story that three outlets ran word for word; Paul Marren denies what she said.
"""

from __future__ import annotations

from pathlib import Path

from serve_ledger import Said, record

from onrecord.links.linker import run_links
from onrecord.model import Record
from onrecord.store import Ledger

WIRE = ("CALDER CITY (Wire) - Foreign Minister Irena Vostok said on Tuesday that the northern border crossing at "
        "Kestrel Pass would reopen to trucks carrying grain and medicine within ten days, after weeks of talks "
        "with the neighbouring province. \"The trucks will move again before the month is out,\" Vostok told "
        "reporters at the ministry in Calder City. Officials from the province did not answer calls on Tuesday "
        "evening, and traders at the pass said queues of lorries already stretched for several kilometres.")
WIRE_OUTLETS = ("Harbor Times", "Valley Courier", "Morning Post")


def records() -> list[Record]:
    t1 = ("Foreign Minister Irena Vostok said on Monday that the Kestrel Pass crossing would stay closed for now. "
          "\"We will not rush this,\" Vostok said.")
    t2 = ("Vostok, of the Calder foreign ministry, said the grain convoys were ready. "
          "Opposition leader Paul Marren denied that the crossing at Kestrel Pass would reopen within ten days.")
    out = [
        record(t1, [
            Said("the Kestrel Pass crossing would stay closed for now", "said", "Irena Vostok", "Irena Vostok",
                 kind="indirect", role="Foreign Minister", affiliation="Calder foreign ministry",
                 channel="remarks", date="2021-03-01"),
            Said("We will not rush this,", "said", "Vostok", "Irena Vostok", role="Foreign Minister",
                 affiliation="Calder foreign ministry", channel="remarks", date="2021-03-01"),
        ], title="Kestrel Pass stays shut", published="2021-03-01", outlet="Daily Ledger", id="b-shut"),
        record(t2, [
            Said("the grain convoys were ready", "said", "Vostok", "Vostok", kind="indirect",
                 affiliation="Calder foreign ministry", channel="statement", date="2021-03-20"),
            Said("that the crossing at Kestrel Pass would reopen within ten days", "denied", "Paul Marren",
                 "Paul Marren", kind="indirect", role="Opposition leader", channel="remarks", date="2021-03-20",
                 flags=("denial",)),
        ], title="Convoys ready, opposition doubts", published="2021-03-20", outlet="Daily Ledger", id="b-doubt"),
    ]
    for n, outlet in enumerate(WIRE_OUTLETS):
        text = f"{WIRE}\n\nThis story was published by {outlet}."  # copies differ by a line, as they do
        out.append(record(text, [
            Said("the northern border crossing at Kestrel Pass would reopen to trucks carrying grain and medicine "
                 "within ten days", "said", "Foreign Minister Irena Vostok", "Irena Vostok", kind="indirect",
                 role="Foreign Minister", channel="remarks", date="2021-03-16"),
            Said("The trucks will move again before the month is out,", "told", "Vostok", "Irena Vostok",
                 role="Foreign Minister", channel="press", date="2021-03-16"),
        ], title=f"Kestrel Pass to reopen ({outlet})", published="2021-03-16", outlet=outlet, id=f"b-wire-{n}"))
    return out


def build_linked_ledger(path: Path, *, link: bool = True) -> Path:
    """Write the ledger at ``path`` (a fresh file), link it unless ``link`` is False, and return the path."""
    with Ledger.open(path) as ledger:
        with ledger.transaction():
            for rec in records():
                ledger.add(rec)
        if link:
            run_links(ledger.conn)
        ledger.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path
