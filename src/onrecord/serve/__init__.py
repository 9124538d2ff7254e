"""The reading room: a read-only JSON API and web pages over a ledger (needs the ``serve`` extra).

    from onrecord.serve.app import create_app
    app = create_app("ledger.db")        # FastAPI app; run with uvicorn
"""

from __future__ import annotations
